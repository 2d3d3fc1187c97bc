"""helpers.allocation.params: the notebook's schema, its cross checks, the run's sizes and what results record."""
from __future__ import annotations

import pytest

from helpers import paths, schema
from helpers.allocation import params as P
from helpers.validate import ParameterError

STEM = "03_adaptive_allocation"


def _defaults(**over):
    cell = schema.parameters_cell(paths.NOTEBOOKS / f"{STEM}.ipynb")
    return {**{n: d for n, _, d, _ in cell}, **over}


def test_schema_is_the_notebooks():
    assert schema.schema_of(STEM) is P.SCHEMA
    assert list(P.SCHEMA) == [n for n, *_ in schema.parameters_cell(paths.NOTEBOOKS / f"{STEM}.ipynb")]


@pytest.mark.parametrize("over, name", [
    ({"reference_budgets": [16, 48]}, r"'reference_budgets\[1\]'"),
    ({"share_budget": 3}, r"'share_budget'"),
    ({"easy_min_p": 0.005}, r"'easy_min_p'"),
    ({"levels_min_samples": 100}, r"'levels_min_samples'"),
    ({"selector_budgets": [2, 128]}, r"'selector_budgets\[1\]'"),
    ({"ratio_threshold": 3.0}, r"'ratio_threshold'"),
    ({"level": 0.8}, r"'level'"),
    ({"split_seed": 7}, r"'split_seed'"),
    ({"budgets": [1, 2.5, 4]}, r"'budgets\[1\]'"),
])
def test_cross_checks_name_the_parameter(over, name):
    with pytest.raises(ParameterError, match=name):
        P.SCHEMA.validate(_defaults(**over))


def test_sizes_full_and_quick():
    full = P.sizes(P.SCHEMA.validate(_defaults()))
    assert full.budgets == [float(b) for b in _defaults()["budgets"]] and full.max_models is None
    assert full.uniform_max == max(full.budgets) * _defaults()["uniform_max_factor"]
    q = P.sizes(P.SCHEMA.validate(_defaults(quick=True)))
    # quick keeps the reference and share budgets (the verdict reads them) and shrinks every size
    assert set(q.ref) <= set(q.budgets) and 64.0 in q.budgets and len(q.budgets) < len(full.budgets)
    assert q.n_syn <= 400 and q.n_boot <= 20 and q.n_boot_syn <= 10 and q.max_models == 1
    assert q.max_user_models == 2 and full.max_user_models is None  # a user's file keeps two models (pooled)
    assert q.split_seeds == [_defaults()["split_seed"]] and 1 <= q.mcp_configs <= 4
    assert all(b <= q.sel_k for b in q.sel_b)
    assert P.describe(q).startswith("budgets (mean samples per problem): [1, 4, 16, 64, 256]")


def test_recorded_parameters_are_the_sizes_used_in_the_cells_order():
    p = P.SCHEMA.validate(_defaults(quick=True))
    z = P.sizes(p)
    rec = P.recorded(p, z)
    assert list(rec) == list(P.SCHEMA) + ["max_models_per_dataset"]
    assert rec["n_problems"] == z.n_syn and rec["budgets"] == [int(b) for b in z.budgets]
    assert rec["quick"] is True and rec["beta_a"] == p.beta_a and rec["max_models_per_dataset"] == 1
