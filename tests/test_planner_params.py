"""helpers.planner.params: the notebook's schema, its cross-parameter checks, validate_inputs and the run sizes."""
from __future__ import annotations

import pytest

from helpers import paths, schema
from helpers.planner import params as PP
from helpers.validate import ParameterError

NB = paths.NOTEBOOKS / "07_budget_planner.ipynb"


def _defaults() -> dict:
    return {n: d for n, _, d, _ in schema.parameters_cell(NB)}


def _inputs(**changes) -> dict:
    d = {n: v for n, v in _defaults().items() if n in PP.INPUTS}
    d.update(changes)
    return d


def test_schema_lists_the_cell_and_its_defaults_are_valid():
    assert list(PP.SCHEMA) == list(_defaults())
    p = PP.SCHEMA.validate(_defaults())
    assert p.problems_path is None and p.as_dict() == _defaults()
    assert set(PP.INPUTS) == set(PP.SCHEMA.params) - {"quick", "seed", "target_grid"}


@pytest.mark.parametrize("changes, name", [
    ({"aggregation": "verifier", "verifier_tpr": 0.4, "verifier_fpr": 0.4}, "verifier_fpr"),
    ({"rs_model": {"interaction": 2.0}}, "rs_model"),
    ({"rs_model": {"price_reasoning_per_mtok": 1.0}}, "rs_model"),   # prices come from the planner
    ({"rs_model": {"interaction": "high"}}, "rs_model"),
])
def test_cross_parameter_checks_name_the_parameter(changes, name):
    with pytest.raises(ParameterError, match=name):
        PP.SCHEMA.validate({**_defaults(), **changes})
    with pytest.raises(ParameterError, match=name):
        PP.validate_inputs(**_inputs(**changes))


def test_a_verifier_below_its_false_positive_rate_is_fine_under_pass_at_k():
    PP.SCHEMA.validate({**_defaults(), "verifier_tpr": 0.1, "verifier_fpr": 0.9})  # rates unused: no error


def test_logs_and_a_given_share_exclude_each_other(tmp_path):
    f = tmp_path / "logs.csv"
    f.write_text("timestamp,session,model,uncached_input,cache_write,cache_read,output\n")
    with pytest.raises(ParameterError, match="cache_read_share"):
        PP.SCHEMA.validate({**_defaults(), "logs_path": str(f), "cache_read_share": 0.5})
    out = PP.validate_inputs(**_inputs(logs_path=str(f)))
    assert out["logs_path"] == f.resolve() and out["problems_path"] is None


def test_validate_inputs_rejects_every_bad_value_of_the_schema_by_name():
    tried = 0
    for name in PP.INPUTS:
        for value in PP.SCHEMA[name].bad_values():
            with pytest.raises(ParameterError, match=rf"'{name}(\[\d+\])?'"):
                PP.validate_inputs(**_inputs(**{name: value}))
            tried += 1
    assert tried >= 2 * len(PP.INPUTS)
    with pytest.raises(TypeError, match="colour"):
        PP.validate_inputs(**_inputs(colour=1))


def test_sizes_shrink_in_quick_mode_only():
    full = PP.sizes(PP.SCHEMA.validate(_defaults()))
    assert full == {"n_tasks_used": 4000, "refine_points_used": 24, "targets_used": [0.3, 0.5, 0.7, 0.8, 0.9]}
    quick = PP.sizes(PP.SCHEMA.validate({**_defaults(), "quick": True}))
    assert quick == {"n_tasks_used": 600, "refine_points_used": 8, "targets_used": [0.3, 0.9]}
    small = PP.sizes(PP.SCHEMA.validate({**_defaults(), "quick": True, "n_problems": 100, "target_grid": [0.4]}))
    assert small["n_tasks_used"] == 100 and small["targets_used"] == [0.4, 0.4]
