"""Tests of helpers.search_scaling.robustness: the specification curve's choices and evidence."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from helpers import search_scaling as ss
from helpers import verdicts
from helpers.search_scaling import robustness as R

P = SimpleNamespace(quick=False, approx_readings="reading_error", dr_method="fit", min_points=3, alpha=0.05, ladders_count=True,
                    search_axes=["search_steps"], min_resolved=1)


def test_alternative_axes_and_choices():
    assert R.alternative_axes(["search_steps"]) == ("samples", "search_steps")
    assert R.alternative_axes(["search_steps", "samples"]) == ("search_steps",)
    ch = R.choices(P, R.alternative_axes(P.search_axes))
    head = R.headline(P)
    for k, v in head.items():
        assert v in ch[k], k  # the headline is one of the specifications
        assert len(ch[k]) == 2, k  # and each choice has one alternative
    assert R.choices(SimpleNamespace(**{**vars(P), "alpha": 0.1}), ("search_steps",))["alpha"] == [0.05, 0.1]
    quick = R.choices(SimpleNamespace(**{**vars(P), "quick": True}), R.alternative_axes(P.search_axes))
    for k, v in head.items():  # quick mode holds two threshold choices at the headline, the rest keep both
        assert quick[k] == ([v] if k in ("min_points", "min_resolved") else ch[k]), k


def test_specifications_rebuild_the_evidence_of_the_rule(tmp_path, rng):
    from test_search_scaling_verdict import user_curves_text

    p = tmp_path / "c.csv"
    p.write_text(user_curves_text("consistent"))
    cur = pd.concat([ss.published_curves(), ss.read_curves(p).assign(series=lambda d: "user: " + d["series"])],
                    ignore_index=True)
    fits = ss.fit_table(cur, profile_points=6)
    dr = ss.diminishing_returns(cur, fits)
    tests = ss.shape_tests(cur, untestable=dr.loc[dr["status"] == "flat", "series"].tolist(), rng=rng, power_reps=6)
    meta = ss.curve_meta(cur)
    specs = R.Specifications(cur, fits, meta, tests, flat_tolerance=0.03, drop_tolerance=0.02, complement_margin=0.5,
                             min_power=0.8, support_share=0.75, user_given=True)
    ev = specs.evidence(R.headline(P))
    direct = verdicts.user_scope(ss.build_evidence(dr, meta, tests, ss.crossed_designs(cur), search_axes=["search_steps"],
                                                   alpha=0.05, min_power=0.8), True)
    pd.testing.assert_frame_equal(ev, direct)
    assert specs.verdict(R.headline(P)) == "supported"
    # a stricter rule (more resolved rows than the user's single crossed design) leaves (c) inconclusive
    assert specs.verdict({**R.headline(P), "min_resolved": 2}) == "partly supported"
    assert R.tests_for(tests, cur, ["search_steps"], ["search_steps"]) is tests


def test_memoized_specifications_match_fresh_ones():
    """The rows and verdicts the specification curve reuses (``build_evidence``'s memo, the verdict by rows, the
    caller's classes) are those a fresh ``Specifications`` computes for each specification alone."""
    from itertools import islice, product

    cur = ss.published_curves()
    fits = ss.fit_table(cur, profile_points=6, max_starts=2)
    dr = ss.diminishing_returns(cur, fits)
    tests = ss.shape_tests(cur, untestable=dr.loc[dr["status"] == "flat", "series"].tolist())
    meta = ss.curve_meta(cur)
    kw = dict(flat_tolerance=0.03, drop_tolerance=0.02, complement_margin=0.5, min_power=0.8, support_share=0.75,
              user_given=False)
    shared = R.Specifications(cur, fits, meta, tests, **kw, known={("fit", 0.05): (dr, ss.crossed_designs(cur))})
    ch = R.choices(P, R.alternative_axes(P.search_axes))
    specs = [dict(zip(ch, v)) for v in islice(product(*ch.values()), 0, None, 9)]  # 15 of the 128, every choice moved
    assert len(specs) >= 12 and all(len({s[k] for s in specs}) == 2 for k in ch)
    for spec in specs:
        fresh = R.Specifications(cur, fits, meta, tests, **kw)
        pd.testing.assert_frame_equal(shared.evidence(spec), fresh.evidence(spec))
        assert shared.verdict(spec) == fresh.verdict(spec) == ss.SearchScalingRule(
            support_share=0.75, min_resolved=spec["min_resolved"]).decide(fresh.evidence(spec))
