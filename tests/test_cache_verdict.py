"""Claim 5's rule (helpers.cache.verdict, helpers.cache.sessions, helpers.cache.decisions): every outcome reachable, intervals over sessions, min_sessions,
the per-artifact denominator with caching in it, and user logs judged on their own."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import agent_logs as A
from helpers import cache as C
from helpers import tokens
from helpers import verdicts as V
from helpers.validate import DataError, ParameterError

TH = dict(part_share=0.5, min_rows=1)


def _row(unit, outcome, source="s", in_scope=True, setting="tool use"):
    return V.evidence_row(source, unit, in_scope=in_scope, outcome=outcome, setting=setting)


def _table(a, b):
    return V.evidence_table([_row("session", o, f"a{i}") for i, o in enumerate(a)]
                            + [_row("decision", o, f"b{i}") for i, o in enumerate(b)])


# ---------------------------------------------------------------- reachability


@pytest.mark.parametrize("a, b, verdict", [
    (["holds"], ["holds"], "supported"),
    (["holds", "unresolved"], ["breaks"], "partly supported"),
    (["breaks"], ["holds", "holds"], "partly supported"),
    (["breaks"], ["breaks"], "not supported"),
    (["unresolved"], ["holds"], "inconclusive"),        # e.g. TraceLab's 2 sessions alone
    (["holds"], [], "inconclusive"),
])
def test_every_outcome_reachable(a, b, verdict):
    assert C.decide(_table(a, b), **TH)[0] == verdict


def test_out_of_scope_rows_never_decide():
    t = _table(["holds"], ["holds"])
    extra = V.evidence_table(V.evidence_records(t) + [_row("decision", "breaks", "cost_bench", in_scope=False,
                                                           setting="coding agents")] * 5)
    assert C.decide(extra, **TH)[0] == "supported"


def test_part_share_and_min_rows():
    t = _table(["holds"], ["holds", "breaks", "breaks"])
    assert C.decide(t, part_share=0.5, min_rows=1)[1]["b"] == "breaks"
    assert C.decide(t, part_share=0.3, min_rows=1)[1]["b"] == "holds"
    assert C.decide(t, part_share=0.3, min_rows=4)[0] == "inconclusive"


def test_user_scope_requires_part_a_only():
    t = V.user_scope(V.evidence_table([_row("session", "holds", "user:claude", setting="user"),
                                       _row("session", "breaks", "codex_localpush"),
                                       _row("decision", "breaks", "mcpmark")]), True)
    assert C.decide(t, user_given=True, **TH) == ("supported", {"a": "holds", "b": "unresolved"})
    assert C.decide(t, user_given=False, **TH)[0] == "inconclusive"


def test_rule_text_is_computed_from_thresholds():
    a = C.rule_text(majority_share=0.5, min_sessions=5, confidence=0.9, part_share=0.5, min_rows=1)
    b = C.rule_text(majority_share=0.7, min_sessions=8, confidence=0.95, part_share=1.0, min_rows=2)
    assert "50%" in a and "5 sessions" in a and "70%" in b and "8 sessions" in b and a != b
    with pytest.raises(ParameterError, match="min_sessions"):
        C.rule_text(majority_share=0.5, min_sessions=0, confidence=0.9, part_share=0.5, min_rows=1)
    with pytest.raises(ParameterError, match="confidence"):
        C.check_thresholds(majority_share=0.5, min_sessions=5, confidence=0.4, part_share=0.5, min_rows=1)


# ---------------------------------------------------------------- part (a): sessions


def _ledger(read_share_by_session, calls=40, prompt=10_000, output=200, seed=0):
    """Calls with a fixed prompt; each session's reads are its share of the prompt (rest uncached)."""
    rng = np.random.default_rng(seed)
    rows = []
    for s, share in enumerate(read_share_by_session):
        r = rng.binomial(prompt, share, size=calls)
        rows.append(pd.DataFrame({"session": f"s{s}", "uncached_input": prompt - r, "cache_write_5m": 0,
                                  "cache_write_1h": 0, "cache_read": r, "output": output}))
    d = pd.concat(rows, ignore_index=True)
    for c in tokens.TOKEN_COLUMNS:
        d[c] = d[c].astype("int64")
    return d.assign(timestamp=pd.Timestamp("2026-01-01", tz="UTC"), model="claude-sonnet-4-6")


def test_interval_resamples_sessions_not_calls():
    led = _ledger([0.2, 0.9, 0.5, 0.7, 0.3, 0.95], calls=200)
    e = C.source_entry("x", led, np.random.default_rng(1), 2000)
    # a call-level bootstrap would be a hair wide (calls within a session are near-identical);
    # the session-level interval spans the between-session spread
    assert e["cache_read_share_ci"][1] - e["cache_read_share_ci"][0] > 0.2
    # only session totals matter: splitting every call in two leaves the interval unchanged
    half = led.copy()
    for c in tokens.TOKEN_COLUMNS:
        half[c] = half[c] // 2
    rest = led.copy()
    for c in tokens.TOKEN_COLUMNS:
        rest[c] = led[c] - half[c]
    e2 = C.source_entry("x", pd.concat([half, rest], ignore_index=True), np.random.default_rng(1), 2000)
    assert e2["calls"] == 2 * e["calls"]
    assert e2["cache_read_share_ci"] == pytest.approx(e["cache_read_share_ci"])


def test_session_interval_recovers_the_known_share():
    true = 0.8 * 10_000 / (10_000 + 200)                       # all-token share of the generating process
    led = _ledger(np.clip(np.random.default_rng(3).normal(0.8, 0.05, 30), 0, 1), calls=30, seed=4)
    e = C.source_entry("x", led, np.random.default_rng(5), 2000)
    lo, hi = e["cache_read_share_ci"]
    assert lo < true < hi and hi - lo < 0.1
    assert e["tokens"]["cache_read"] + e["tokens"]["uncached_input"] == 30 * 30 * 10_000


def test_fewer_sessions_than_min_sessions_is_unresolved():
    led = _ledger([0.95, 0.96], calls=100)
    e = C.source_entry("tracelab-like", led, np.random.default_rng(0), 500)
    assert e["sessions"] == 2 and e["cache_read_share_ci"][0] > 0.5
    assert C.share_row(e, majority_share=0.5, min_sessions=5)["outcome"] == "unresolved"
    assert C.share_row(e, majority_share=0.5, min_sessions=2)["outcome"] == "holds"


def test_share_row_outcomes_and_denominators():
    e = {"name": "x", "sessions": 10, "calls": 100, "cache_read_share": 0.3, "cache_read_share_ci": [0.2, 0.4],
         "cache_read_share_input": 0.6, "cache_read_share_input_ci": [0.45, 0.7]}
    assert C.share_row(e, majority_share=0.5, min_sessions=5)["outcome"] == "breaks"
    assert C.share_row(e, majority_share=0.5, min_sessions=5, share_of="input")["outcome"] == "unresolved"
    assert C.share_row(e, majority_share=0.4, min_sessions=5, share_of="input")["outcome"] == "holds"
    with pytest.raises(ParameterError, match="share_of"):
        C.share_row(e, majority_share=0.5, min_sessions=5, share_of="cost")


def test_empty_and_bad_ledgers_are_errors():
    with pytest.raises(DataError, match="token column"):
        C.session_sums(pd.DataFrame({"session": ["a"]}))
    led = _ledger([0.5], calls=3)
    with pytest.raises(ParameterError, match="Generator"):
        C.session_bootstrap(C.session_sums(led), 0, 100)


# ---------------------------------------------------------------- part (b): the denominator, with caching


def _mcpmark(n_tasks=200, seed=0):
    """Two gpt-5-priced configs: 'wide' input-heavy (cheap per token), 'lean' small but failing more often."""
    rng = np.random.default_rng(seed)
    spec = {"wide": (300_000, 2_000, 0.30), "lean": (50_000, 5_000, 0.12)}   # input, output, pass rate
    rows, summ = [], []
    for cfg, (inp, out, p) in spec.items():
        succ = rng.random((n_tasks, 4)) < p
        for t in range(n_tasks):
            for k in range(4):
                rows.append({"config": cfg, "task": f"t{t}", "run": k + 1, "success": bool(succ[t, k]),
                             "input_tokens": inp, "output_tokens": out, "tokens_ok": True})
        cost = n_tasks * (inp * 1.25e-6 + out * 10e-6)          # gpt-5 list prices, no caching
        summ.append({"config": cfg, "actual_model_name": "gpt-5", "per_run_cost_usd": cost,
                     "avg_input_tokens": inp, "avg_output_tokens": out, "n_tasks": n_tasks})
    return pd.DataFrame(summ), pd.DataFrame(rows)


def test_prices_recovered_from_list_cost():
    summ, _ = _mcpmark()
    pr = C.mcpmark_prices(summ)
    assert pr["c_in_usd_per_tok"].to_numpy() * 1e6 == pytest.approx([1.25, 1.25])
    assert pr["c_out_usd_per_tok"].to_numpy() * 1e6 == pytest.approx([10.0, 10.0])
    assert set(pr["read_mult"]) == {0.1}
    assert C.mcpmark_prices(summ, price_mode="DeepSeek")["read_mult"].iloc[0] == pytest.approx(0.259)
    with pytest.raises(ParameterError, match="price_mode"):
        C.mcpmark_prices(summ, price_mode="Acme")
    with pytest.raises(DataError, match="per_run_cost_usd"):
        C.mcpmark_prices(summ.drop(columns="per_run_cost_usd"))


def test_caching_in_the_prices_changes_the_denominator_answer():
    """Per token (list) 'wide' is cheapest: 0.395 USD / 302k tokens = 1.31 USD/Mtok vs 'lean' 0.1125 / 55k = 2.05.
    Per solved task at list price 'lean' wins (0.1125/0.12 = 0.94 vs 0.395/0.30 = 1.32): the decision changes.
    With 95% of input read from the cache at 0.1x (input factor 0.145) 'wide' costs
    (300k*0.145*1.25e-6 + 0.02)/0.30 = 0.25 per solved task against lean's (50k*0.145*1.25e-6 + 0.05)/0.12 = 0.49:
    the cheapest per token is also the cheapest per artifact, and the decision no longer changes."""
    summ, runs = _mcpmark()
    pr = C.mcpmark_prices(summ)
    W = C.task_weights(200, np.random.default_rng(1), 1000)
    listed = C.decision(C.mcpmark_matrices(runs, pr, 0.0), ["wide", "lean"], W)
    assert listed["token_pick"] == "wide" and listed["artifact_pick"] == "lean"
    assert listed["cost_per_mtok_usd"]["wide"] == pytest.approx(0.395 / 0.302)
    assert C.decision_row("x", listed, confidence=0.9)["outcome"] == "holds"
    assert listed["ratio_ci"][0] > 1
    cached = C.decision(C.mcpmark_matrices(runs, pr, 0.95), ["wide", "lean"], W)
    wide_pass = runs[runs.config == "wide"]["success"].mean()
    assert cached["cost_per_solved_usd"]["wide"] == pytest.approx((300_000 * 0.145 * 1.25e-6 + 0.02) / wide_pass)
    assert cached["token_pick"] == "wide" and cached["artifact_pick"] == "wide" and cached["ratio"] == 1.0
    assert C.decision_row("x", cached, confidence=0.9)["outcome"] == "breaks"
    # billing fresh input as cache writes (1.25x) raises wide's cost, never lowers it
    pr_w = C.mcpmark_prices(summ.assign(actual_model_name="claude-sonnet-4"), writes_billed=True)
    pr_n = C.mcpmark_prices(summ.assign(actual_model_name="claude-sonnet-4"), writes_billed=False)
    cw = C.mcpmark_matrices(runs, pr_w, 0.5)["aware_cost"].sum()
    cn = C.mcpmark_matrices(runs, pr_n, 0.5)["aware_cost"].sum()
    assert cw > cn


def test_decision_with_no_solved_task_is_unresolved():
    summ, runs = _mcpmark()
    runs["success"] = False
    d = C.decision(C.mcpmark_matrices(runs, C.mcpmark_prices(summ), 0.9), ["lean", "wide"],
                   C.task_weights(200, np.random.default_rng(0), 100))
    assert d["artifact_pick"] is None and C.decision_row("x", d, confidence=0.9)["outcome"] == "unresolved"
    with pytest.raises(ParameterError, match="options"):
        C.decision(C.mcpmark_matrices(runs, C.mcpmark_prices(summ), 0.9), ["lean"],
                   C.task_weights(200, np.random.default_rng(0), 100))


def test_ladder_decisions_keep_known_options():
    d = C.ladder_decisions({"m": ["m-low", "m-high", "gone"], "n": ["n-low"]}, ["m-low", "m-high", "x"])
    assert d == {"mcpmark: all configurations": ["m-low", "m-high", "x"], "mcpmark: m effort": ["m-low", "m-high"]}


# ---------------------------------------------------------------- user logs: both extremes


def _claude_folder(tmp_path, read_share, n_sessions=8, calls=12):
    led = _ledger([read_share] * n_sessions, calls=calls)
    led["timestamp"] = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.arange(len(led)), unit="s")
    A.write_claude_jsonl(led, tmp_path, np.random.default_rng(0), text="private text")
    return A.read_logs(tmp_path)[0]


@pytest.mark.parametrize("share, verdict", [(0.97, "supported"), (0.0, "not supported")])
def test_user_claude_code_logs_at_the_extremes(tmp_path, share, verdict):
    led = _claude_folder(tmp_path, share)
    rows = []
    for fmt, part in led.groupby("source"):
        e = C.source_entry(f"user:{fmt}", part, np.random.default_rng(0), 500)
        rows.append(C.share_row(e, majority_share=0.5, min_sessions=5, setting="user"))
    rows.append(_row("decision", "holds", "mcpmark"))
    t = V.user_scope(V.evidence_table(rows), True)
    assert C.decide(t, user_given=True, **TH)[0] == verdict
    assert rows[0]["source"] == "user:claude" and "private" not in repr(rows)
