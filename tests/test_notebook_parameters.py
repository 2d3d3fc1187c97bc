"""Every notebook's validation cell, through the cheap path (``check_parameters``: the parameters cell and the
validation cell run in this process, no kernel): the defaults pass, and out-of-range or ill-typed values
fail with an error naming the parameter, before any computation. Each notebook also keeps one end-to-end
bad-input run in its own test file (through papermill), which shows the same error stops a real run."""
from __future__ import annotations

import papermill as pm
import pytest

from helpers import paths

STEMS = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

# each error must name the parameter (the wording is the notebooks' owners' to change)
BAD = [
    ("00_overview", {"quick": "yes"}, r"'quick'"),
    ("00_overview", {"seed": -1}, r"'seed'"),
    ("01_search_scaling", {"alpha": 1.5}, r"'alpha'"),
    ("01_search_scaling", {"curvature_ratios": [0.5, 1.0]}, r"'curvature_ratios'"),
    ("02_token_variance", {"n_boot": 5}, r"'n_boot'"),
    ("02_token_variance", {"upgrade_to": "B"}, r"'upgrade_to'"),
    ("03_adaptive_allocation", {"share_budget": 3}, r"'share_budget'"),
    ("03_adaptive_allocation", {"budgets": [1, 2.5, 4]}, r"'budgets\[1\]'"),
    ("04_reasoning_ceiling", {"breaks_min_share": 0.05}, r"'breaks_min_share'"),
    ("04_reasoning_ceiling", {"n_boot": 10}, r"'n_boot'"),
    ("05_cache_economics", {"ttl_grid_s": [10, 5]}, r"'ttl_grid_s'"),
    ("05_cache_economics", {"n_reps": 1}, r"'n_reps'"),
    ("06_synthesis", {"seed": 1.5}, r"'seed'"),
    ("07_budget_planner", {"target_accuracy": 1.5}, r"target_accuracy"),
    ("07_budget_planner", {"seed": "zero"}, r"'seed'"),
    ("08_sweep", {"quick": 1}, r"'quick'"),
    ("08_sweep", {"sweep_path": "/nonexistent/sweep.parquet"}, r"'sweep_path'"),
]


@pytest.mark.parametrize("stem", STEMS)
def test_defaults_pass_the_validation_cell(check_parameters, stem, reports_tmp):
    ns = check_parameters(stem)
    assert ns["quick"] is True and ns["seed"] == 0
    assert not reports_tmp.exists() or not any(reports_tmp.rglob("*.json"))  # validation writes nothing


@pytest.mark.parametrize("stem,params,match", BAD, ids=[f"{s}-{next(iter(p))}" for s, p, _ in BAD])
def test_bad_parameter_fails_in_the_validation_cell_naming_it(check_parameters, stem, params, match, reports_tmp):
    with pytest.raises(pm.PapermillExecutionError, match=match) as exc:
        check_parameters(stem, **params)
    assert exc.value.ename in ("ParameterError", "DataError", "ValueError", "TypeError"), exc.value.ename
    assert exc.value.exec_count == 3  # the validation cell, after the parameters and the injected cell
    assert not (reports_tmp / "results").exists()


def test_every_notebook_has_a_cheap_bad_parameter_check():
    assert {s for s, _, _ in BAD} == set(STEMS)
