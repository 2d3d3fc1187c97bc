"""helpers.cache.recovery (ground-truth checks recover exactly) and helpers.cache.logged (logged sources read,
priced and kept apart; part (b) decisions memoised per price specification)."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import cache, pricing
from helpers.cache import logged, recovery

BASE = cache.AgentParams(days=6, sessions_per_day=2.0, turns_per_session=30.0)


def test_closed_form_check_is_exact():
    gap, text = recovery.closed_form_check(BASE, 0)
    assert gap == {"reads": 0, "writes": 0, "output": 0}
    assert text.startswith("1. ") and "sessions" in text


def test_cold_share_check_agrees_with_the_tail_and_moves_with_the_ttl():
    sim = cache.simulate_agent(BASE, np.random.default_rng(1), 4)
    inner = sim[(sim["kind"] == "turn") & (sim["turn"] > 0)]
    p_sim, p_cf, _ = recovery.cold_share_check(inner, BASE)
    assert abs(p_sim - p_cf) < 4 * np.sqrt(p_cf * (1 - p_cf) / len(inner))
    short = BASE.with_(cache_ttl_s=10.0)
    sim2 = cache.simulate_agent(short, np.random.default_rng(1), 4)
    p2 = recovery.cold_share_check(sim2[(sim2["kind"] == "turn") & (sim2["turn"] > 0)], short)[1]
    assert p2 > p_cf


def test_log_roundtrip_reads_back_what_was_planted():
    rec, text = recovery.log_roundtrip(BASE, 3, 0)
    cc, cx = rec["claude_code"], rec["codex_cli"]
    assert cc["calls_read"] == cc["calls_planted"] and set(cc["token_differences"].values()) == {0}
    assert cc["read"]["duplicates_dropped"] == cc["planted"]["duplicates_dropped"]
    assert cx["prompt_difference"] == 0 and cx["read_difference"] == 0
    assert "Codex CLI" in text


def test_logged_sources_are_read_priced_and_kept_apart(require_logged):
    require_logged("tracelab/round_trace_sanitized")
    require_logged("tracelab/claude_trace")
    trace, stats, text = recovery.tracelab_trace_check()
    assert trace["identical_usage"] is True and text.startswith("4. ")
    logs = logged.load_logs(pricing.price_table(), trace, stats, 0, 50)
    assert "tracelab_sample" in logs.totals and logs.totals["tracelab_sample"]["calls"] == 19
    parts = [k for k in logs.priced if k.startswith("tracelab_sample/")]
    assert sum(logs.totals[k]["calls"] for k in parts) == 19          # per provider, never pooled with others
    assert [s["name"] for s in logs.sources][:1] == ["tracelab/round_trace_sanitized"]
    real = logged.real_sources(logs)
    assert "tracelab_sample" in real and not any(k.startswith("user:") for k in real)


def test_part_b_decisions_are_memoised_and_use_the_real_read_share(require_logged):
    require_logged("mcpmark/summary")
    sources = []
    entries = [{"name": "codex_localpush", "cache_read_share_input": 0.9},
               {"name": "user:csv", "cache_read_share_input": 0.1}]
    b = logged.PartB(entries, None, 0, 50, "OpenAI", sources)
    assert b.read_shares == {"codex_localpush": 0.9}
    d = b("own", True, "list", "codex_localpush")
    assert d is b("own", True, "list", "codex_localpush") and "mcpmark: all configurations" in d
    assert b("own", True, "list", "tracelab_sample") == {}              # no such real source here
    assert [s["name"] for s in sources] == ["mcpmark/summary", "mcpmark/task_results"]
