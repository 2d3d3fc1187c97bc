"""helpers.planner's notebook-facing modules: report (sentences, summary, metrics), inputs (cache-share source,
data sources), figures, costs.prompt_usd, and recommend's sweep, meets and cost ratio."""
from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from helpers import planner as P  # noqa: E402
from helpers.planner import inputs, report  # noqa: E402
from helpers.planner.costs import cost_identity_error, prompt_usd  # noqa: E402

TOKENS = {"non_reasoning": (20000.0, 1000.0), "reasoning": (20000.0, 8000.0)}
HARD = {"non_reasoning": (0.5, 1.0, 2.0), "reasoning": (0.05, 0.5, 2.0)}


def _inputs(target=0.6, cap=None, mixtures=None, n=400):
    rng = np.random.default_rng(0)
    mixtures = mixtures or {"non_reasoning": (0.3, 0.5, 3.0), "reasoning": (0.05, 1.0, 1.5)}
    w = P.build_workloads(mixtures, None, n, rng, predictor_noise=1.0, n_bins=5)
    prices = P.price_tables("Anthropic")
    costs = P.sample_costs(prices, TOKENS, 0.9, 1.0, 2000.0)
    return P.PlanInputs(w, costs, prices, TOKENS, target, cap, "pass_at_k", P.selector_of("pass_at_k", 1, 0), True,
                        0.1, 256, 2000.0, refine_points=6, seed=0)


@pytest.fixture(scope="module")
def planned():
    inp = _inputs()
    return inp, P.plan(inp)


def test_prompt_usd_closed_form_and_cost_identity():
    prices = P.price_tables("Anthropic")
    t = prices["reasoning"]
    costs = P.sample_costs(prices, TOKENS, 0.5, 0.0, 2000.0)
    # half the prompt read from the cache, the other half uncached
    want = 20000 * t.input_usd_per_mtok * (0.5 * t.read_mult + 0.5) / 1e6
    assert prompt_usd(costs, "reasoning", True) == pytest.approx(want)
    assert prompt_usd(costs, "reasoning", False) == pytest.approx(20000 * t.input_usd_per_mtok / 1e6)
    assert cost_identity_error(costs) < 1e-12


def test_target_sweep_meets_each_reachable_target_and_budgets_rise(planned):
    inp, _ = planned
    sweep = P.target_sweep(inp, [0.3, 0.6, 0.99])
    assert [s["target"] for s in sweep] == [0.3, 0.6, 0.99]
    for s in sweep[:2]:
        assert s["meets_target"] and s["expected_accuracy"] >= s["target"]
    assert not sweep[2]["meets_target"]                       # above both pass@k ceilings (0.7 and 0.95)
    assert sweep[1]["cost_per_artifact_usd"] >= sweep[0]["cost_per_artifact_usd"]


def test_recommendation_meets_reads_affordability_with_only_a_cap():
    pl = P.plan(_inputs(target=None, cap=1e-6))  # not one sample per task is affordable
    assert not P.recommendation_meets(pl, False, True)
    pl2 = P.plan(_inputs(target=None, cap=0.5))
    assert P.recommendation_meets(pl2, False, True)


def test_cost_ratio_vs_reasoning_only_when_both_meet(planned):
    _, pl = planned
    o = pl.options.copy()
    o["meets_target"] = True
    r = P.cost_ratio_vs_reasoning(o, True)
    u = o[(o["model_kind"] == "non_reasoning") & ~o["adaptive"]].iloc[0]
    best_r = o[o["model_kind"] == "reasoning"]["cost_per_artifact_usd"].min()
    assert r == pytest.approx(u["cost_per_artifact_usd"] / best_r)
    assert P.cost_ratio_vs_reasoning(o, False) is None
    o2 = o.copy()
    o2.loc[(o2["model_kind"] == "non_reasoning") & ~o2["adaptive"], "meets_target"] = False
    assert P.cost_ratio_vs_reasoning(o2, True) is None


def test_summary_branches_state_the_goal_and_the_recommendation():
    rec = pd.Series({"model_kind": "reasoning", "policy": "uniform", "mean_samples": 2.0, "expected_accuracy": 0.61,
                     "cost_per_artifact_usd": 0.5, "cost_per_artifact_usd_no_cache": 0.8})
    reach = {"target": 0.6, "asymptote": 0.7, "samples_needed": 133, "cost_ratio_vs_one_reasoning_sample": 25.5}
    kw = dict(share_source="tracelab_sample", reach=reach, aggregation="pass_at_k")
    s = report.summary(rec, status="meets target", meets=True, target_accuracy=0.6, budget_cap_usd=None, **kw)
    assert s.startswith("For a target of 60% the planner recommends the reasoning model with uniform sampling at 2.00")
    assert "0.5 USD per finished artifact with caching (0.8 without)" in s and "at 133 samples per task" in s
    s = report.summary(rec, status="no option meets", meets=False, target_accuracy=0.6, budget_cap_usd=2.0,
                       **{**kw, "reach": {**reach, "samples_needed": None}, "share_source": "unavailable"})
    assert s.startswith("No available option meets a target of 60% and a cap of 2 USD per task; the most accurate")
    assert "costs assume no caching" in s and "cannot reach 60%" in s
    s = report.summary(rec, status="no target or cap", meets=True, target_accuracy=None, budget_cap_usd=None, **kw)
    assert s.startswith("No target accuracy or budget cap was given")


def test_sweep_lines_name_the_switches_and_unmet_targets():
    mk = lambda t, k, p, m: {"target": t, "model_kind": k, "policy": p, "meets_target": m}  # noqa: E731
    lines = report.sweep_lines([mk(0.3, "non_reasoning", "uniform", True), mk(0.5, "non_reasoning", "uniform", True),
                                mk(0.8, "reasoning", "early_stop", True), mk(0.9, "reasoning", "early_stop", False)])
    assert lines == ["The recommendation changes at target(s): 80% (to reasoning, early_stop).",
                     "No option meets target(s): 90%."]
    assert report.sweep_lines([mk(0.3, "reasoning", "uniform", True)])[0].endswith("none in the grid.")


def test_metrics_block_keys_and_missing_saving_as_null(planned):
    inp, pl = planned
    pl.how["saving_vs_uniform"]["non_reasoning"] = math.nan
    split = P.search_split(P.claim1_model({}, inp.prices, inp.costs, TOKENS, 2000.0), 0.6)
    reach = P.reachability(inp.workloads["non_reasoning"], 0.6, "pass_at_k", inp.selector, 0.02, 0.1)
    shares = inputs.CacheShares(0.9, 1.0, "parameter")
    m = report.metrics(pl, status="meets target", meets=True, split=split, reach=reach, ratio_vs_r=None, shares=shares,
                       bvm={}, workloads=inp.workloads, costs=inp.costs, sweep=[], checks={})
    assert list(m)[:3] == ["status", "recommendation", "options"] and list(m)[-1] == "recovery"
    assert m["saving_vs_uniform"]["non_reasoning"] is None
    assert m["recommendation"]["per_attempt_split"]["reachable"] == split["reachable"]
    assert len(m["options"]) == 4 and len(m["all_policies"]) == len(pl.table)
    assert set(m["usd_per_sample"]) == {"non_reasoning", "non_reasoning_no_cache", "reasoning", "reasoning_no_cache"}


def test_recovery_lines_and_mrs_gap():
    checks = {"spend_error": 1e-3, "uniform_vs_closed_form_z": {"non_reasoning": 1.0, "reasoning": 2.0},
              "ledger_cost_identity": 0.0, "zero_share_cache_gap_usd": 0.0}
    inner = {"interior": True, "mrs": 66.0, "price_ratio": 60.0}
    assert report.mrs_gap(inner) == pytest.approx(0.1) and report.mrs_gap({**inner, "interior": False}) is None
    lines = report.recovery_lines(checks, inner)
    assert len(lines) == 5 and "relative gap 1.0e-01" in lines[4] and "non_reasoning 1.00, reasoning 2.00" in lines[1]


def test_cache_shares_come_from_the_parameter_or_the_logs():
    s = inputs.measure_cache_shares(0.3, 0.5, None, "Anthropic")
    assert (s.read_share, s.write_share, s.source, s.data_sources, s.notes) == (0.3, 0.5, "parameter", [], [])
    led = pd.DataFrame({"uncached_input": [100], "cache_write_5m": [300], "cache_write_1h": [0], "cache_read": [600],
                        "output": [50]}).astype("int64")
    s = inputs.measure_cache_shares(None, 1.0, led, "Anthropic")
    assert s.source == "logs_path" and s.read_share == pytest.approx(0.6) and s.write_share == pytest.approx(0.75)
    assert s.data_sources[0]["name"] == "user_logs" and s.notes[0].startswith("Your logs: 1 model calls")


def test_options_figure_draws_every_option_and_the_target(planned):
    inp, pl = planned
    fig = P.figures.options_figure(pl, inp.costs, 0.6)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_ylim() == (0, 1)
    labels = ax.get_legend_handles_labels()[1]
    assert "target accuracy" in labels and any(lab.startswith("recommended:") for lab in labels)
    assert sum(lab.startswith(("non_reasoning,", "reasoning,")) for lab in labels) == 4
    import matplotlib.pyplot as plt
    plt.close(fig)
