"""Codex CLI rollout logs (``~/.codex/sessions/**/rollout-*.jsonl``): usage per model call.

Codex CLI (``~/.codex/sessions/**/rollout-*.jsonl``): ``event_msg`` lines with ``payload.type ==
"token_count"``; ``payload.info.last_token_usage`` is the call's usage with ``input_tokens`` INCLUDING
``cached_input_tokens``, so uncached = input - cached, read = cached, no writes; ``output_tokens``
includes reasoning. A token_count whose ``total_token_usage`` equals the previous one in the file is a
repeated event and is dropped. Model from the latest ``turn_context`` (``payload.model``), session from
``session_meta`` (``payload.id``), else the file name.

``write_codex_jsonl`` writes a ledger as such a log (tests, recovery checks).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from .common import _count, _empty_stats, _json_objects


def _codex_records(lines: Iterable[tuple[int, str]], label: str, session_default: str):
    rows, bad, counter = [], [], [0]
    n_valid = n_dup = 0
    session, model, prev_total = session_default, "unknown", None
    for ln, rec in _json_objects(lines, bad, counter):
        typ, pl = rec.get("type"), rec.get("payload")
        if not isinstance(pl, dict):
            continue
        if typ == "session_meta" and isinstance(pl.get("id"), str):
            session = pl["id"]
        elif typ == "turn_context" and isinstance(pl.get("model"), str):
            model = pl["model"]
        elif typ == "event_msg" and pl.get("type") == "token_count":
            info = pl.get("info")
            if info is None:
                continue  # rate-limit-only event: no usage
            last = info.get("last_token_usage") if isinstance(info, dict) else None
            if not isinstance(last, dict):
                bad.append(ln)
                continue
            inp, cached, out = (_count(last.get(k, 0) if k == "cached_input_tokens" else last.get(k))
                                for k in ("input_tokens", "cached_input_tokens", "output_tokens"))
            if inp is None or cached is None or out is None or cached > inp:
                bad.append(ln)
                continue
            n_valid += 1
            total = info.get("total_token_usage")
            key = json.dumps(total, sort_keys=True) if isinstance(total, dict) else None
            if key is not None and key == prev_total:
                n_dup += 1
                continue
            prev_total = key
            rows.append((session, f"{session}:{ln}", "", model,
                         rec.get("timestamp") if isinstance(rec.get("timestamp"), str) else None, False,
                         inp - cached, 0, 0, cached, out))
    stats = _empty_stats()
    stats.update(lines=counter[0], valid=n_valid, malformed=len(bad), duplicates_dropped=n_dup, files=1)
    return rows, stats, bad


def write_codex_jsonl(led: pd.DataFrame, path: Path | str, rng: np.random.Generator, *, text: str = "lorem ipsum",
                      repeat_prob: float = 0.2, model: str = "gpt-5-codex") -> dict:
    """Write a ledger as one Codex CLI rollout JSONL (writes are folded into uncached input: Codex has none).

    Each call: a response_item line with ``text`` and a token_count event; with probability
    ``repeat_prob`` the token_count event is emitted twice (as Codex sometimes does). Returns planted counts.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(led)
    rep = rng.random(n) < repeat_prob
    planted = {"lines": 0, "valid": 0, "duplicates_dropped": 0, "malformed": 0, "files": 1, "unreadable": 0}
    tot = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "reasoning_output_tokens": 0, "total_tokens": 0}
    with open(path, "w", encoding="utf-8") as fh:
        def w(obj):
            fh.write(json.dumps(obj) + "\n")
            planted["lines"] += 1
        w({"timestamp": "2026-03-21T10:00:00.000Z", "type": "session_meta",
           "payload": {"id": "codex-session-1", "cwd": f"/home/{text}", "instructions": text}})
        w({"timestamp": "2026-03-21T10:00:00.000Z", "type": "turn_context",
           "payload": {"model": model, "cwd": f"/home/{text}", "approval_policy": "never"}})
        w({"timestamp": "2026-03-21T10:00:01.000Z", "type": "event_msg",
           "payload": {"type": "token_count", "info": None, "rate_limits": {"primary": {"used_percent": 1.0}}}})
        ts = pd.to_datetime(led["timestamp"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").to_numpy()
        for i in range(n):
            r = led.iloc[i]
            cached = int(r["cache_read"])
            inp = int(r["uncached_input"] + r["cache_write_5m"] + r["cache_write_1h"]) + cached
            out = int(r["output"])
            last = {"input_tokens": inp, "cached_input_tokens": cached, "output_tokens": out,
                    "reasoning_output_tokens": out // 2, "total_tokens": inp + out}
            for k in tot:
                tot[k] += last[k]
            w({"timestamp": ts[i], "type": "response_item",
               "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}})
            ev = {"timestamp": ts[i], "type": "event_msg",
                  "payload": {"type": "token_count", "info": {"total_token_usage": dict(tot), "last_token_usage": last,
                                                                "model_context_window": 272000}}}
            w(ev)
            planted["valid"] += 1
            if rep[i]:
                w(ev)
                planted["valid"] += 1
                planted["duplicates_dropped"] += 1
    return planted
