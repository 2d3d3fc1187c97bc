"""Claude Code session logs (``~/.claude/projects/<project>/<session>.jsonl``): usage per model call.

-------
Claude Code (``~/.claude/projects/<project>/<session>.jsonl``): assistant lines carry ``message.id``,
``message.model``, ``requestId``, ``timestamp``, ``sessionId``, ``isSidechain`` and ``message.usage``
(``input_tokens`` excludes cache reads and writes; ``cache_creation.ephemeral_5m/1h_input_tokens`` split
the writes, else all writes are 5-minute). The same usage is repeated on every streamed content block:
records are deduplicated on (message.id, requestId), keeping the one with the largest total; a
sidechain record whose message.id also appears outside a sidechain is a replay and is dropped.

``read_claude_lines`` reads records given as strings (TraceLab's pretty-printed trace); ``write_claude_jsonl``
writes a ledger as such a log, with the quirks of the real thing (tests, recovery checks).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from .. import pricing, tokens
from ..validate import DataError
from .common import _count, _empty_stats, _finish, _json_objects, _jsonl_frame, _warn_malformed


def _claude_records(lines: Iterable[tuple[int, str]], label: str, session_default: str):
    """Parse Claude Code lines; return (rows, stats, bad line numbers). Rows hold usage fields only."""
    rows, bad, counter = [], [], [0]
    n_valid = 0
    for ln, rec in _json_objects(lines, bad, counter):
        msg = rec.get("message")
        if not isinstance(msg, dict) or "usage" not in msg:
            continue  # user lines, snapshots, summaries: no usage, nothing to read
        usage = msg.get("usage")
        model = msg.get("model")
        if model == "<synthetic>":
            continue
        if not isinstance(usage, dict):
            bad.append(ln)
            continue
        inp, out = _count(usage.get("input_tokens")), _count(usage.get("output_tokens"))
        cw = _count(usage.get("cache_creation_input_tokens", 0) or 0)
        cr = _count(usage.get("cache_read_input_tokens", 0) or 0)
        if inp is None or out is None or cw is None or cr is None:
            bad.append(ln)
            continue
        w1h = 0
        cc = usage.get("cache_creation")
        if isinstance(cc, dict):
            w1h = _count(cc.get("ephemeral_1h_input_tokens", 0) or 0)
            if w1h is None or w1h > cw:
                bad.append(ln)
                continue
        mid = msg.get("id")
        rid = rec.get("requestId")
        n_valid += 1
        rows.append((str(rec.get("sessionId") or session_default),
                     str(mid) if mid is not None else f"{label}:{ln}",
                     "" if rid is None else str(rid),
                     str(model) if model is not None else "unknown",
                     rec.get("timestamp") if isinstance(rec.get("timestamp"), str) else None,
                     bool(rec.get("isSidechain") is True),
                     inp, cw - w1h, w1h, cr, out))
    stats = _empty_stats()
    stats.update(lines=counter[0], valid=n_valid, malformed=len(bad), files=1)
    return rows, stats, bad


def _dedup_claude(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop sidechain replays and streamed repeats; return the frame and the number dropped."""
    n0 = len(df)
    main_ids = set(df.loc[~df["sidechain"], "call_id"])
    df = df[~(df["sidechain"] & df["call_id"].isin(main_ids))]
    tot = df[tokens.TOKEN_COLUMNS].sum(axis=1)
    df = (df.assign(_tot=tot).sort_values(["call_id", "request_id", "_tot"], kind="stable")
            .drop_duplicates(["call_id", "request_id"], keep="last").drop(columns="_tot"))
    return df, n0 - len(df)


def read_claude_lines(lines: Iterable[str], label: str = "<lines>") -> tuple[pd.DataFrame, dict]:
    """Claude Code records given as JSON strings (one record each), e.g. from a pretty-printed trace."""
    rows, st, bad = _claude_records(enumerate(lines, start=1), label, label)
    _warn_malformed({label: bad})
    df = _jsonl_frame("claude", rows)
    df, n_drop = _dedup_claude(df)
    st["duplicates_dropped"] = n_drop
    if df.empty:
        raise DataError(f"{label}: no valid usage records")
    df["provider"] = df["model"].map(lambda m: pricing.provider_of(m) or "unknown")
    return _finish(df.drop(columns="request_id")), st


def write_claude_jsonl(led: pd.DataFrame, folder: Path | str, rng: np.random.Generator, *,
                       text: str = "lorem ipsum", max_blocks: int = 3, sidechain_prob: float = 0.1,
                       malformed_prob: float = 0.0, files_per_session: bool = True) -> dict:
    """Write a ledger as Claude Code session JSONL with the quirks of the real thing.

    Each call becomes 1..``max_blocks`` streamed assistant lines repeating its usage (earlier blocks
    carry a partial ``output_tokens``, the last the full count), preceded by a user line; with
    probability ``sidechain_prob`` a sidechain replay of the call is added; malformed lines are
    inserted with probability ``malformed_prob`` per call. ``text`` fills every text field (message
    text, thinking, tool input and output, cwd, summaries). Returns the planted counts:
    {lines, valid, duplicates_dropped, malformed, files}.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = len(led)
    blocks = rng.integers(1, max_blocks + 1, size=n)
    side = rng.random(n) < sidechain_prob
    bad = rng.random(n) < malformed_prob
    sessions = led["session"].astype(str).to_numpy()
    ts = pd.to_datetime(led["timestamp"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").to_numpy() \
        if "timestamp" in led else np.full(n, "2026-01-01T00:00:00.000Z")
    cols = {c: led[c].to_numpy() for c in tokens.TOKEN_COLUMNS}
    models = led["model"].astype(str).to_numpy() if "model" in led else np.full(n, "claude-sonnet-4-6")
    handles = {}
    planted = {"lines": 0, "valid": 0, "duplicates_dropped": 0, "malformed": 0, "files": 0, "unreadable": 0}
    try:
        for i in range(n):
            s = sessions[i]
            key = s if files_per_session else "all"
            if key not in handles:
                handles[key] = open(folder / f"session-{key}.jsonl", "w", encoding="utf-8")
                planted["files"] += 1
            fh = handles[key]
            base = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": f"/home/{text}",
                    "sessionId": f"sess-{s}", "version": "2.1.0", "gitBranch": text, "timestamp": ts[i]}
            user = {**base, "type": "user", "message": {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": f"toolu_{i}", "content": text}, {"type": "text", "text": text}]}}
            fh.write(json.dumps(user) + "\n")
            planted["lines"] += 1
            usage = {"input_tokens": int(cols["uncached_input"][i]),
                     "cache_creation_input_tokens": int(cols["cache_write_5m"][i] + cols["cache_write_1h"][i]),
                     "cache_read_input_tokens": int(cols["cache_read"][i]), "output_tokens": int(cols["output"][i]),
                     "cache_creation": {"ephemeral_5m_input_tokens": int(cols["cache_write_5m"][i]),
                                        "ephemeral_1h_input_tokens": int(cols["cache_write_1h"][i])},
                     "service_tier": "standard"}
            content_kinds = [{"type": "thinking", "thinking": text, "signature": "sig"},
                             {"type": "text", "text": text},
                             {"type": "tool_use", "id": f"toolu_{i}", "name": "Bash", "input": {"command": text}}]
            for b in range(int(blocks[i])):
                last = b == blocks[i] - 1
                u = dict(usage, output_tokens=usage["output_tokens"] if last else min(1, usage["output_tokens"]))
                rec = {**base, "type": "assistant", "requestId": f"req_{i}",
                       "message": {"model": models[i], "id": f"msg_{i}", "type": "message", "role": "assistant",
                                   "content": [content_kinds[b % 3]], "stop_reason": None, "usage": u}}
                fh.write(json.dumps(rec) + "\n")
                planted["lines"] += 1
                planted["valid"] += 1
            planted["duplicates_dropped"] += int(blocks[i]) - 1
            if side[i]:
                rec = {**base, "isSidechain": True, "type": "assistant", "requestId": f"req_side_{i}",
                       "message": {"model": models[i], "id": f"msg_{i}", "type": "message", "role": "assistant",
                                   "content": [{"type": "text", "text": text}], "usage": usage}}
                fh.write(json.dumps(rec) + "\n")
                planted["lines"] += 1
                planted["valid"] += 1
                planted["duplicates_dropped"] += 1
            if bad[i]:
                fh.write('{"type": "assistant", "message": {"content": "' + text + '", "usage": {"input_tokens": 5\n')
                planted["lines"] += 1
                planted["malformed"] += 1
    finally:
        for fh in handles.values():
            fh.close()
    return planted
