"""The claim-5 notebook in quick mode: results keys and types, user CSV, bad CSV, privacy of user logs."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import agent_logs as A, cache, results

STEM = "05_cache_economics"
SECRET = "NB05-SECRET-c1a7e-never-in-output"
STAT_KEYS = {"lines", "valid", "duplicates_dropped", "malformed"}

pytestmark = pytest.mark.notebook

GOOD_CSV = """timestamp,session,model,uncached_input,cache_write,cache_read,output
2026-05-01T10:00:00Z,s1,claude-sonnet-4-6,10,2000,0,300
2026-05-01T10:01:00Z,s1,claude-sonnet-4-6,5,400,2000,120
2026-05-01T10:02:30Z,s1,claude-sonnet-4-6,5,300,2400,80
2026-05-01T11:00:00Z,s2,gpt-5,800,0,9000,50
"""


def _check_common(res):
    assert res["claim"] == "cache_economics"
    assert res["verdict"] in results.VERDICTS
    assert isinstance(res["summary"], str) and res["summary"]
    m = res["metrics"]
    for key in ("ledger_totals", "cost_per_artifact", "sensitivity", "dedup"):
        assert isinstance(m[key], dict), key
    for src, t in m["ledger_totals"].items():
        for k in ("uncached_input", "cache_write", "cache_read", "output", "calls"):
            assert isinstance(t[k], int), (src, k)
        for k in ("cache_read_share_tokens", "cache_read_share_cost", "cost_usd"):
            assert isinstance(t[k], float), (src, k)
        assert 0 <= t["cache_read_share_tokens"] <= 1
    for src, c in m["cost_per_artifact"].items():
        assert {"cost_per_token_usd", "cost_per_artifact_usd", "artifacts"} <= set(c), src
    for f in ("cache_ttl_s", "idle_gap_mean_s", "compaction_threshold_tokens"):
        s = m["sensitivity"][f]
        assert len(s["values"]) == len(s["cache_read_share_tokens"]) == len(s["cost_per_artifact_usd"]) >= 2
    assert "ttl_break_even" in m["sensitivity"]
    for src, d in m["dedup"].items():
        assert set(d) - ({"unreadable"} if src == "user_logs" else set()) == STAT_KEYS, src
        assert all(isinstance(v, int) for v in d.values())
    assert res["parameters"]["quick"] is True
    # issue 12: the rule, the evidence table and the specification curve
    assert isinstance(m["rule"], str) and "sessions" in m["rule"]
    for e in m["evidence"]:
        assert {"source", "unit", "in_scope", "outcome", "figure", "ci"} <= set(e) and e["unit"] in ("session", "decision")
    rob = m["robustness"]
    assert rob["specifications"] >= 2 and 0 <= rob["agree"] <= rob["specifications"]
    assert res["verdict_scope"] == ("user" if res["parameters"]["logs_path"] else "study")
    # issue 11: one entry per real source, never pooled
    for s in m["sources"]:
        assert set(s["tokens"]) == {"uncached_input", "cache_write", "cache_read", "output"}, s["name"]
        assert s["sessions"] >= 1 and s["calls"] >= s["sessions"]
        assert s["cache_read_share"] == pytest.approx(s["tokens"]["cache_read"] / sum(s["tokens"].values()))


def test_notebook_quick_default(run_notebook, require_logged):
    from helpers import registry

    require_logged("tracelab/round_trace_sanitized")
    for name in registry.names("codex_localpush/sessions/") + ["mcpmark/summary"]:
        require_logged(name)
    res = run_notebook(STEM)
    _check_common(res)
    m = res["metrics"]
    assert {"simulator", "tracelab_sample"} <= set(m["ledger_totals"])
    assert m["ledger_totals"]["tracelab_sample"]["calls"] == 19
    assert any(k.startswith("cost_bench/") for k in m["cost_per_artifact"])
    assert m["dedup"]["tracelab_claude_trace"]["duplicates_dropped"] > 0
    assert m["recovery"]["closed_form_max_abs_diff"] == {"reads": 0, "writes": 0, "output": 0}
    assert m["recovery"]["tracelab_trace"]["identical_usage"] is True
    assert res["verdict"] != "inconclusive"
    src = {s["name"]: s for s in m["sources"]}
    assert src["codex_localpush"]["sessions"] == 6 and src["codex_localpush"]["calls"] == 485
    assert src["tracelab_sample"]["sessions"] == 2
    ev = {e["source"]: e for e in m["evidence"]}
    assert ev["tracelab_sample"]["outcome"] == "unresolved"          # 2 sessions < min_sessions
    assert ev["codex_localpush"]["ci"] == src["codex_localpush"]["cache_read_share_ci"]
    assert ev["mcpmark: all configurations"]["in_scope"] and not ev["cost_bench: setups"]["in_scope"]


def test_notebook_user_csv(run_notebook, keep_input, tmp_path):
    f = tmp_path / "my_usage.csv"
    f.write_text(GOOD_CSV)
    f = keep_input(f)  # named by its contents: the run is kept
    res = run_notebook(STEM, logs_path=str(f), artifacts_in_logs=2)
    _check_common(res)
    m = res["metrics"]
    ut = m["ledger_totals"]["user_logs"]
    assert ut["calls"] == 4 and ut["cache_read"] == 13_400 and ut["cache_write"] == 2_700
    ca = m["cost_per_artifact"]["user_logs"]
    assert ca["artifacts"] == 2 and ca["cost_per_artifact_usd"] == pytest.approx(ut["cost_usd"] / 2, rel=1e-6)
    assert m["dedup"]["user_logs"] == {"lines": 4, "valid": 4, "duplicates_dropped": 0, "malformed": 0, "unreadable": 0}
    assert m["verdict_checks"]["primary_source"] == "user_logs"
    # the user's verdict is part (a) on the user's 2 sessions alone: fewer than min_sessions -> inconclusive
    assert [s["name"] for s in m["sources"] if s["name"].startswith("user:")] == ["user:csv"]
    assert res["verdict"] == "inconclusive"
    assert all(e["in_scope"] == e["source"].startswith("user:") for e in m["evidence"])
    assert res["parameters"]["logs_path"] == str(f)


def test_notebook_bad_csv_fails_early_naming_the_row(run_notebook, keep_input, tmp_path, reports_tmp):
    import papermill as pm

    f = tmp_path / "bad.csv"
    f.write_text(GOOD_CSV.replace("5,300,2400,80", "5,300,-2400,80"))
    f = keep_input(f)  # named by its contents: the run is kept
    with pytest.raises(pm.PapermillExecutionError) as exc:
        run_notebook(STEM, logs_path=str(f))
    assert "line 4" in str(exc.value) and "cache_read" in str(exc.value)
    assert not (reports_tmp / "results" / f"{STEM}.json").exists()
    assert not (reports_tmp / "figures").exists()  # failed before any figure


def test_notebook_privacy_no_secret_in_any_output(run_notebook, keep_input, tmp_path, reports_tmp):
    """Plant a secret in every text field of Claude Code and Codex logs; no output file may contain it."""
    p = cache.AgentParams(days=3, sessions_per_day=2.0, turns_per_session=12.0)
    led = cache.simulate_agent(p, np.random.default_rng(0), 1).assign(model="claude-opus-4-8")
    logs = tmp_path / "logs"
    A.write_claude_jsonl(led, logs / "claude", np.random.default_rng(1), text=SECRET, sidechain_prob=0.3, malformed_prob=0.2)
    A.write_codex_jsonl(led, logs / "codex" / "rollout.jsonl", np.random.default_rng(2), text=SECRET)
    assert SECRET in next((logs / "claude").glob("*.jsonl")).read_text()
    logs = keep_input(logs)  # named by its contents: the run is kept
    res = run_notebook(STEM, logs_path=str(logs))
    _check_common(res)
    assert res["metrics"]["ledger_totals"]["user_logs"]["calls"] == 2 * len(led)
    assert res["metrics"]["dedup"]["user_logs"]["malformed"] > 0
    outputs = [q for q in reports_tmp.rglob("*") if q.is_file()]
    kinds = {q.suffix for q in outputs}
    assert {".json", ".ipynb", ".png"} <= kinds
    assert {s["name"] for s in res["metrics"]["sources"]} >= {"user:claude", "user:codex"}
    frame, _ = A.read_logs(logs)
    blobs = [q.read_bytes() for q in outputs] + [frame.to_csv().encode()]
    for q, b in zip(outputs + ["frame"], blobs):
        assert SECRET.encode() not in b, q
