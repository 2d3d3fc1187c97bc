"""Claim 3's rule and the out-of-sample replay behind it (helpers.allocation.verdict, .replay, .prior)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import allocation as A
from helpers.allocation import replay as R
from helpers.allocation import verdict as V
from helpers import results, sampling, verdicts
from helpers.validate import ParameterError


# ---------------------------------------------------------------- replay tables

def test_perfect_verifier_tables_are_pass_at_k_and_the_stopping_closed_form():
    n = np.array([4, 4, 10, 10, 30])
    c = np.array([0, 2, 3, 10, 7])
    t = R.replay_tables(n, c, 4)
    for k in range(1, 5):
        assert np.allclose(t.S[:, k], sampling.pass_at_k(n, c, k))
    # the exact (hypergeometric) verifier path at the perfect limit agrees with the closed forms
    t2 = R.replay_tables(n, c, 4, tpr=1 - 1e-12, fpr=1e-12)
    assert np.allclose(t.S, t2.S, atol=1e-9) and np.allclose(t.E, t2.E, atol=1e-9)
    # E: samples drawn with cap K, sum_{j<K} C(n-c, j)/C(n, j); never more than K
    from math import comb
    e = sum(comb(10 - 3, j) / comb(10, j) for j in range(4))
    assert t.E[2, 4] == pytest.approx(e)
    assert np.all(t.E <= np.arange(5)[None, :] + 1e-12)


def test_verifier_tables_match_a_simulation_and_saturate_below_one():
    rng = np.random.default_rng(1)
    n, c, K, tpr, fpr = 10, 3, 4, 0.8, 0.15
    t = R.replay_tables(np.array([n]), np.array([c]), K, tpr=tpr, fpr=fpr)
    N = 200_000
    correct = np.argsort(rng.random((N, n)), axis=1) < c
    acc = np.where(correct, rng.random(correct.shape) < tpr, rng.random(correct.shape) < fpr)[:, :K]
    first = np.where(acc.any(1), acc.argmax(1), K - 1)
    succ = correct[np.arange(N), first].mean()
    spent = np.where(acc.any(1), first + 1, K).mean()
    assert t.S[0, K] == pytest.approx(succ, abs=4 * np.sqrt(succ * (1 - succ) / N))
    assert t.E[0, K] == pytest.approx(spent, abs=0.01)
    # with a noisy verifier, more samples cannot push success to 1 (the cap p*tpr/q of the first accepted)
    big = R.replay_tables(np.array([400]), np.array([200]), 200, tpr=0.9, fpr=0.1)
    assert big.S[0, -1] == pytest.approx(0.9, abs=0.01)
    # draws with replacement (above exact_max) approximate the exact replay
    approx = R.replay_tables(np.array([400]), np.array([200]), 200, tpr=0.9, fpr=0.1, exact_max=0)
    assert np.max(np.abs(approx.S - big.S)) < 0.01


def test_replay_refuses_budgets_above_the_logged_samples():
    with pytest.raises(ParameterError, match="kmax"):
        R.replay_tables(np.array([4, 3]), np.array([1, 1]), 4)
    with pytest.raises(ParameterError, match="not replayable"):
        R.split_half(np.array([4] * 6), np.array([1] * 6), None, None, [8], choose_idx=[0, 1, 2],
                     score_idx=[3, 4, 5], rng=np.random.default_rng(0), policies=("early_stop",))


def test_uniform_has_ratio_one_and_beating_the_whole_curve_is_inf_written_as_inf():
    U = np.array([[0.2, 0.3, 0.35, 0.4]])
    assert A.ratio_at_spend(U, [0.3], [2.0])[0] == pytest.approx(1.0)
    assert A.ratio_at_spend(U, [0.35], [1.0])[0] == pytest.approx(3.0)
    r = A.ratio_at_spend(U, [0.5], [1.0])[0]
    assert np.isinf(r)
    row = verdicts.evidence_row("user:x", "m @ 1", in_scope=True, outcome="holds", figure=r, ci=[2.0, r],
                                setting="user")
    doc = {"metrics": json.loads(results.dumps(results.to_jsonable({"evidence": [row]})))}
    assert results.number(doc["metrics"]["evidence"][0]["figure"]) == np.inf
    assert doc["metrics"]["evidence"][0]["figure"] == "inf" and doc["metrics"]["evidence"][0]["ci"][1] == "inf"


# ---------------------------------------------------------------- out of sample

def _hetero(N=300, n=64, seed=0):
    rng = np.random.default_rng(seed)
    grp = np.arange(N) % 3
    p = np.array([0.0, 0.05, 1.0])[grp]
    return np.full(N, n), rng.binomial(n, p), grp.astype(float), rng


def test_policy_is_chosen_on_one_half_and_scored_on_the_other():
    n, c, score, rng = _hetero()
    iA, iB = R.split_indices(n.size, 0.5, np.random.default_rng(5))
    kw = dict(choose_idx=iA, score_idx=iB, n_boot=20, oracle=False)
    a = R.split_half(n, c, None, score, [4], rng=np.random.default_rng(0), **kw)[0]
    c2 = c.copy()
    c2[iB] = 0  # wreck the scoring half: the choice cannot move, the score must
    b = R.split_half(n, c2, None, score, [4], rng=np.random.default_rng(0), **kw)[0]
    assert a.chosen == b.chosen and a.choose_ratios == b.choose_ratios
    assert a.ratio[a.chosen] != b.ratio[b.chosen]


def test_bins_from_a_useless_predictor_gain_nothing_out_of_sample():
    n, c, score, rng = _hetero(N=600)
    iA, iB = R.split_indices(n.size, 0.5, rng)
    good = R.split_half(n, c, None, score, [4], choose_idx=iA, score_idx=iB, rng=rng, n_boot=0,
                        policies=("binned_predicted",), oracle=False)[0]
    noise = R.split_half(n, c, None, rng.random(n.size), [4], choose_idx=iA, score_idx=iB, rng=rng, n_boot=0,
                         policies=("binned_predicted",), oracle=False)[0]
    assert good.ratio["binned_predicted"] > 2.0
    assert noise.ratio["binned_predicted"] < 1.15


def test_the_prior_is_refitted_in_every_resample():
    rng = np.random.default_rng(2)
    p = sampling.sample_beta_mixture(80, 0.5, 4.0, 0.3, rng)
    n = np.full(80, 5)
    c = rng.binomial(n, p)
    out = A.prior_bootstrap(n, c, None, [16.0], np.random.default_rng(3), n_boot=6, uniform_max=256)
    pri = out["priors"]
    assert pri.shape == (6, 3) and np.ptp(pri[:, 2]) > 0  # the refits differ between resamples
    # replicate 0's prior is the fit to replicate 0's resample
    idx = np.random.default_rng(3).integers(0, 80, size=(6, 80))[0]
    direct = A.fit_zero_inflated_beta(n[idx], c[idx])
    assert pri[0][2] == pytest.approx(direct[2], abs=0.02)
    assert pri[0][0] / (pri[0][0] + pri[0][1]) == pytest.approx(direct[0] / (direct[0] + direct[1]), rel=0.05)


# ---------------------------------------------------------------- the rule

RULE = V.AllocationRule(bar=2.0, support_share=0.75, min_resolved=2, level=0.95)


def test_cell_outcomes():
    assert RULE.cell_outcome(2.5, 1.2, 3.0, 4.0) == "holds"
    assert RULE.cell_outcome(np.inf, 1.5, np.inf, 4.0) == "holds"
    assert RULE.cell_outcome(1.2, 0.9, 1.6, 4.0) == "breaks"
    assert RULE.cell_outcome(1.8, 1.1, 2.4, 4.0) == "unresolved"      # straddles the bar
    assert RULE.cell_outcome(1.3, 1.1, 1.4, 1.33) == "unresolved"     # the data cannot show 2x here
    assert RULE.cell_outcome(2.5, 0.9, 3.0, 4.0) == "unresolved"      # interval reaches 1


def _table(outcomes, in_scope=True):
    return verdicts.evidence_table([verdicts.evidence_row("mcpmark", f"m{i} @ 1", in_scope=in_scope, outcome=o)
                                    for i, o in enumerate(outcomes)])


@pytest.mark.parametrize("outcomes,verdict", [
    (["holds", "holds", "holds"], "supported"),
    (["holds", "breaks", "holds", "breaks"], "partly supported"),
    (["breaks", "breaks", "unresolved"], "not supported"),
    (["holds", "unresolved", "unresolved"], "inconclusive"),
])
def test_every_outcome_is_reachable(outcomes, verdict):
    assert RULE.decide(_table(outcomes)) == verdict


def test_rule_text_is_computed_from_the_thresholds():
    assert "2x" in RULE.describe() and "75%" in RULE.describe() and "95%" in RULE.describe()
    assert "1.5x" in V.AllocationRule(1.5).describe()


def _cells(rows):
    base = {"source": "mcpmark", "setting": "tool use", "aggregation": "verifier", "split_seed": 0, "spend": 1.0,
            "k_sat": 4.0, "n_choose": 50, "n_score": 50, "n_min": 4, "gain": 0.0}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_the_oracle_and_prior_cells_never_decide():
    rows = []
    for m in ("a", "b", "c"):
        rows += [{"model": m, "budget": 1.0, "policy": "early_stop", "ratio": 1.1, "choose_ratio": 1.2,
                  "boot": np.full(50, 1.1)},
                 {"model": m, "budget": 1.0, "policy": "oracle_greedy", "ratio": 4.0, "choose_ratio": np.nan,
                  "boot": np.full(50, 4.0)}]
    cells = _cells(rows)
    prior = V.prior_rows("mcpmark", "a", "tool use", [64.0], np.array([10.0]), np.full((50, 1), 10.0), RULE)
    t = V.evidence(cells, RULE, aggregation="verifier", split_seed=0, prior_rows=prior)
    assert set(t.loc[t["in_scope"], "note"].str.split(" ").str[0]) == {"early_stop"}
    assert t.loc[~t["in_scope"], "outcome"].tolist() == ["holds"]          # shown apart, marked
    assert "fitted prior" in t.loc[~t["in_scope"], "unit"].iloc[0]
    assert RULE.decide(t) == "not supported"


def test_few_attempt_sources_can_be_excluded():
    cells = _cells([{"model": m, "budget": 1.0, "policy": "early_stop", "ratio": 3.0, "choose_ratio": 3.0,
                     "boot": np.full(50, 3.0)} for m in "ab"])
    assert RULE.decide(V.evidence(cells, RULE, aggregation="verifier", split_seed=0)) == "supported"
    t = V.evidence(cells, RULE, aggregation="verifier", split_seed=0, count_few=False)
    assert RULE.decide(t) == "inconclusive"


def _user_frame(kind, n=64, N=90):
    grp = np.arange(N) % 3
    if kind == "hetero":  # never solved, rarely solved, always solved; the label says which
        c = np.array([0, 3, n])[grp]
        lab = np.array(["never", "rare", "always"])[grp]
    else:                 # every problem alike: one success in n
        c = np.ones(N, dtype=int)
        lab = np.full(N, "same")
    return pd.DataFrame({"model": "mine", "problem_id": [f"q{i}" for i in range(N)], "n_samples": n,
                         "n_correct": c, "cost": 1.0, "difficulty_label": lab})


@pytest.mark.parametrize("kind,verdict", [("hetero", "supported"), ("alike", "not supported")])
def test_clear_cut_user_problems(kind, verdict):
    f = A.add_predictor(_user_frame(kind))
    cells = R.replay_cells(f, [1.0, 2.0, 4.0, 8.0, 16.0], seed=0, n_boot=40, aggregations=("perfect verifier",))
    cells = cells.assign(source="user:mine.csv", setting="user")
    t = verdicts.user_scope(V.evidence(cells, RULE, aggregation="perfect verifier", split_seed=0), True)
    assert RULE.decide(t) == verdict
    resolved = t[t["in_scope"] & (t["outcome"] != "unresolved")]
    assert len(resolved) >= 2
    assert set(resolved["outcome"]) == ({"holds"} if verdict == "supported" else {"breaks"})


def test_specification_curve_reports_every_combination():
    f = A.add_predictor(_user_frame("hetero"))
    cells = R.replay_cells(f, [1.0, 4.0], seed=0, n_boot=20, split_seeds=(0, 1)).assign(
        source="user:mine.csv", setting="user")
    choices = {"bar": [1.5, 2.0], "level": [0.9, 0.95], "policies": list(V.POLICY_SETS),
               "aggregation": list(R.AGGREGATIONS), "split_seed": [0, 1], "count_few": [True, False]}
    head = {"bar": 2.0, "level": 0.95, "policies": "either", "aggregation": "perfect verifier", "split_seed": 0,
            "count_few": True}
    rob = V.robustness(cells, head, choices, support_share=0.75, min_resolved=2, few_attempts=8, user_given=True)
    m = rob.as_metrics()
    assert m["specifications"] == 2 * 2 * 3 * 2 * 2 * 2
    assert rob.headline == "supported" and 0 < m["agree"] <= m["specifications"]
    assert all(f["verdict"] != "supported" for f in m["flips"])


def test_mcpmark_counts_from_runs():
    runs = pd.DataFrame({"config": ["a"] * 8 + ["b"] * 2, "task": ["t1"] * 4 + ["t2"] * 4 + ["t1", "t2"],
                         "service": "github", "success": [1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
                         "total_tokens": pd.array([10, 20, 30, 40, None, 5, 5, 5, 1, 1], dtype="Int64"),
                         "tokens_ok": [True] * 4 + [False] + [True] * 5})
    out = A.mcpmark_counts(runs)
    assert out.attrs["dropped_configs"] == ["b"]
    t1 = out[out["problem_id"] == "t1"].iloc[0]
    assert (t1["n_samples"], t1["n_correct"], t1["cost"]) == (4, 3, 25.0)
    assert out[out["problem_id"] == "t2"].iloc[0]["cost"] == 5.0  # the run without tokens is left out
