"""Recovery of known ground truth for claim 5: the machinery computes what it claims, checked four ways.

1. ``closed_form_check``: with constant tokens, no idle pauses and no compaction, the simulator's
   per-session sums equal ``closed_form_session_sums`` exactly;
2. ``cold_share_check``: the simulated share of within-session calls whose gap outlives the TTL equals the
   closed-form tail ``p_gap_exceeds`` (a z score against its binomial standard error);
3. ``log_roundtrip``: a simulated ledger written out as Claude Code and Codex CLI logs, with streamed
   repeats, sidechain replays, repeated token events and malformed lines, is read back to the same totals;
4. ``tracelab_trace_check``: TraceLab's raw Claude Code session segment, read by the same reader, gives
   exactly the usage of TraceLab's own round table for that session.
Each returns its record (for the results file) and the sentence the notebook prints.
"""
from __future__ import annotations

import math
import tempfile
import warnings
from pathlib import Path

import numpy as np

from .. import agent_logs, datasets, registry, tokens
from .closed_forms import closed_form_session_sums, p_gap_exceeds
from .simulator import AgentParams, simulate_agent


def closed_form_check(base: AgentParams, seed: int) -> tuple[dict, str]:
    """({reads, writes, output}: largest |simulated - closed form| per session, sentence)."""
    det = base.with_(new_input_sigma=0.0, output_sigma=0.0, idle_prob=0.0, turn_gap_mean_s=1e-3,
                     compaction_threshold_tokens=1e9, write_share=1.0)
    det_led = simulate_agent(det, np.random.default_rng(seed), 1)
    per_sess = det_led.groupby("session").agg(turns=("turn", "size"), day=("day", "first"), warm0=("warm", "first"),
                                              cache_read=("cache_read", "sum"), w5=("cache_write_5m", "sum"),
                                              w1=("cache_write_1h", "sum"), output=("output", "sum"))
    prefix_s = np.rint(det.stable_prefix_tokens + det.memory_growth_tokens_per_day * per_sess["day"]).astype(np.int64)
    cf = closed_form_session_sums(per_sess["turns"].to_numpy(), prefix_s.to_numpy(), int(round(det.new_input_mean_tokens)),
                                  int(round(det.output_mean_tokens)), per_sess["warm0"].to_numpy())
    gap = {"reads": int(np.abs(per_sess["cache_read"].to_numpy() - cf["cache_read"]).max()),
           "writes": int(np.abs((per_sess["w5"] + per_sess["w1"]).to_numpy() - cf["cache_write"]).max()),
           "output": int(np.abs(per_sess["output"].to_numpy() - cf["output"]).max())}
    return gap, f"1. {len(per_sess)} sessions: largest |simulated - closed form| = {gap} tokens."


def cold_share_check(inner, base: AgentParams) -> tuple[float, float, str]:
    """(simulated, closed-form) share of cold calls among ``inner`` (within-session turn calls), sentence."""
    p_sim = float((~inner["warm"]).mean())
    p_cf = float(p_gap_exceeds(base.cache_ttl_s, base.turn_gap_mean_s, base.idle_prob, base.idle_gap_mean_s))
    se = math.sqrt(p_cf * (1 - p_cf) / len(inner))
    return p_sim, p_cf, (f"2. share of within-session calls whose gap outlives the TTL: simulated {p_sim:.4f}, "
                         f"closed form {p_cf:.4f} (|z| = {abs(p_sim - p_cf) / se:.2f}).")


def log_roundtrip(base: AgentParams, days: int, seed: int) -> tuple[dict, str]:
    """Plant a small simulated ledger as Claude Code and Codex CLI logs, read it back: (record, sentences).

    The record has per format the calls planted and read, the token differences and the reader's
    statistics (``planted`` and ``read``)."""
    small = simulate_agent(base.with_(days=min(days, 5)), np.random.default_rng(seed + 1), 1).assign(model="claude-sonnet-4-6")
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        planted = agent_logs.write_claude_jsonl(small, Path(tmp) / "claude", np.random.default_rng(seed + 2),
                                                sidechain_prob=0.1, malformed_prob=0.02)
        back, back_stats = agent_logs.read_logs(Path(tmp) / "claude")
        planted_cx = agent_logs.write_codex_jsonl(small.assign(model="gpt-5"), Path(tmp) / "codex" / "rollout.jsonl",
                                                  np.random.default_rng(seed + 3), repeat_prob=0.2)
        back_cx, back_cx_stats = agent_logs.read_logs(Path(tmp) / "codex")
    tok_diff = {c: int(back[c].sum() - small[c].sum()) for c in tokens.TOKEN_COLUMNS}
    read_all = lambda d: int(d["cache_read"].sum())  # noqa: E731
    prompt_all = lambda d: int(d[tokens.PROMPT_COLUMNS].sum().sum())  # noqa: E731
    rec = {"claude_code": {"calls_planted": len(small), "calls_read": len(back),
                           "token_differences": tok_diff, "planted": planted, "read": back_stats},
           "codex_cli": {"calls_planted": len(small), "calls_read": len(back_cx),
                         "prompt_difference": prompt_all(back_cx) - prompt_all(small),
                         "read_difference": read_all(back_cx) - read_all(small),
                         "planted": planted_cx, "read": back_cx_stats}}
    text = (f"3. Claude Code: {len(small)} calls planted as {planted['lines']} lines ({planted['duplicates_dropped']} repeats, "
            f"{planted['malformed']} malformed); read back {len(back)} calls, token differences {tok_diff}, "
            f"repeats dropped {back_stats['duplicates_dropped']}, malformed skipped {back_stats['malformed']} "
            f"({len(caught)} warning naming the files and lines).\n"
            f"   Codex CLI: {len(back_cx)} calls read back of {len(small)}; prompt difference "
            f"{rec['codex_cli']['prompt_difference']}, read difference {rec['codex_cli']['read_difference']}, "
            f"repeated events dropped {back_cx_stats['duplicates_dropped']} of {planted_cx['duplicates_dropped']} planted.")
    return rec, text


def tracelab_trace_check() -> tuple[dict | None, dict | None, str]:
    """(record or None, the reader's statistics or None, sentence): TraceLab's raw segment vs its round table."""
    try:
        trace_lines = agent_logs.tracelab_trace_records(registry.local_path("tracelab/claude_trace"))
        trace_led, stats = agent_logs.read_claude_lines(trace_lines, "TraceLab claude/trace.json")
        rounds_all = datasets.tracelab_rounds("sanitized")
        rounds_claude = rounds_all[rounds_all["provider"] == "claude"].sort_values("round_index")
        a = trace_led.sort_values("timestamp")[["uncached_input", "cache_write_5m", "cache_read", "output"]].to_numpy()
        b = rounds_claude[["uncached_input", "cache_write", "cache_read", "output"]].to_numpy()
        same = a.shape == b.shape and bool((a == b).all())
    except registry.DataUnavailable as exc:
        return None, None, f"4. skipped: {exc}"
    rec = {"records": stats["lines"], "usage_records": stats["valid"], "duplicates_dropped": stats["duplicates_dropped"],
           "calls": len(trace_led), "tracelab_rounds": len(rounds_claude), "identical_usage": same}
    return rec, stats, (f"4. TraceLab raw Claude Code segment: {stats['lines']} records, {stats['valid']} carry usage, "
                        f"{stats['duplicates_dropped']} are streamed repeats; {len(trace_led)} calls remain, "
                        f"{'identical to' if same else 'DIFFERENT from'} the {len(rounds_claude)} rounds of TraceLab's round table.")
