"""Notebook 05's schema (helpers.cache.params): quick-mode sizes, the simulator it builds, the cross checks,
and the specification choices (helpers.cache.verdict)."""
from __future__ import annotations

import pytest

from helpers import cache, paths, schema
from helpers.cache import params as P
from helpers.validate import ParameterError


def _defaults(**kw):
    d = {n: v for n, _, v, _ in schema.parameters_cell(paths.NOTEBOOKS / "05_cache_economics.ipynb")}
    return {**d, **kw}


def test_sizes_shrink_only_in_quick_mode():
    full = P.SCHEMA.validate(_defaults())
    assert P.sizes(full) == (full.days, full.n_reps, full.n_boot)
    q = P.SCHEMA.validate(_defaults(quick=True))
    assert P.sizes(q) == (14, 3, 200)
    small = P.SCHEMA.validate(_defaults(quick=True, days=5, n_reps=2, n_boot=150))
    assert P.sizes(small) == (5, 2, 150)


def test_agent_params_carry_every_simulator_parameter():
    p = P.SCHEMA.validate(_defaults(idle_prob=0.3, cache_ttl_s=900.0, quick=True))
    a = P.agent_params(p)
    assert isinstance(a, cache.AgentParams)
    assert a.idle_prob == 0.3 and a.cache_ttl_s == 900.0 and a.days == 14
    assert set(P.AGENT_FIELDS) <= set(P.SCHEMA.params)     # every field but day_start_hour is a parameter
    assert a.day_start_hour == cache.AgentParams().day_start_hour


def test_compaction_threshold_must_exceed_prefix_plus_summary():
    with pytest.raises(ParameterError, match="compaction_threshold_tokens"):
        P.SCHEMA.validate(_defaults(compaction_threshold_tokens=30_000))


def test_grid_items_must_be_valid_for_the_parameter_they_sweep():
    # 20k is a valid number but below the largest prefix plus summary: the cross check names the item
    with pytest.raises(ParameterError, match=r"'compaction_grid_tokens\[0\]'"):
        P.SCHEMA.validate(_defaults(compaction_grid_tokens=[20_000, 160_000]))
    with pytest.raises(ParameterError, match=r"'prefix_grid_tokens\[1\]'"):
        P.SCHEMA.validate(_defaults(prefix_grid_tokens=[5_000, 200_000]))
    P.SCHEMA.validate(_defaults(ttl_grid_s=[60, 3600]))


def test_specification_choices_put_the_notebook_value_first_without_repeats():
    p = P.SCHEMA.validate(_defaults(min_sessions=7, share_of="input"))
    choices, head = cache.verdict.specification_choices(p)
    assert list(choices) == list(head) == list(cache.verdict.SPEC_ALTERNATIVES)
    assert choices["min_sessions"] == [7, 2, 5, 10] and choices["share_of"] == ["input", "tokens"]
    assert choices["majority_share"] == [0.5, 2 / 3]   # the default 0.5 is not repeated
    assert all(choices[k][0] == head[k] for k in head)


def test_grids_thin_only_in_quick_mode_keeping_the_ends():
    full = P.SCHEMA.validate(_defaults())
    assert P.grids(full) == {g: getattr(full, g) for g in P.GRIDS}
    q = P.SCHEMA.validate(_defaults(quick=True))
    thin = P.grids(q)
    assert set(thin) == set(P.GRIDS)
    for g, vals in thin.items():
        given = getattr(q, g)
        assert 2 <= len(vals) == min(len(given), P.QUICK_GRID_POINTS), g
        assert vals[0] == given[0] and vals[-1] == given[-1], g      # the swept range is unchanged
        assert all(v in given for v in vals) and vals == sorted(vals), g
    assert thin["ttl_grid_s"] == [10, 300, 3600]                   # evenly spaced positions 0, 4, 7 of 8
    short = P.SCHEMA.validate(_defaults(quick=True, ttl_grid_s=[60, 3600]))
    assert P.grids(short)["ttl_grid_s"] == [60, 3600]


def test_specification_choices_in_quick_mode_keep_two_alternatives_each():
    p = P.SCHEMA.validate(_defaults(quick=True, min_sessions=7))
    choices, head = cache.verdict.specification_choices(p)
    full, _ = cache.verdict.specification_choices(P.SCHEMA.validate(_defaults(min_sessions=7)))
    assert list(choices) == list(full)
    for k in choices:     # every choice still varies: the notebook's value and the first other alternative
        assert choices[k] == full[k][:2] and len(choices[k]) == 2 and choices[k][0] == head[k], k
    assert choices["min_sessions"] == [7, 2]
