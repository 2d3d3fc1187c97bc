"""TraceLab's logs: its ``round_trace.jsonl`` rounds as a ledger, and its pretty-printed raw Claude Code trace.

``read_tracelab`` reads the rounds through ``helpers.datasets.tracelab_rounds`` (its errors apply); cache writes
are 5-minute writes (Claude Code's default). ``tracelab_trace_records`` turns ``example_sessions/claude/trace.json``
back into the one-record-per-line JSONL Claude Code wrote (read with ``claude_code.read_claude_lines``).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import datasets, pricing
from ..validate import DataError
from .common import _empty_stats, _finish


def read_tracelab(path: Path | str) -> tuple[pd.DataFrame, dict]:
    """A TraceLab ``round_trace.jsonl`` as a ledger (via ``datasets.tracelab_rounds``)."""
    df = datasets.tracelab_rounds(path=path)
    out = pd.DataFrame({
        "source": "tracelab", "session": df["session_id"].astype(str), "call_id": df["round_id"].astype(str),
        "model": df["model"].astype(str), "provider": df["model"].map(lambda m: pricing.provider_of(m) or "unknown"),
        "timestamp": df["timestamp"], "sidechain": False,
        "uncached_input": df["uncached_input"], "cache_write_5m": df["cache_write"],
        "cache_write_1h": np.zeros(len(df), dtype=np.int64), "cache_read": df["cache_read"], "output": df["output"]})
    stats = _empty_stats()
    with open(path, encoding="utf-8") as f:
        n = sum(1 for line in f if line.strip())
    stats.update(lines=n, valid=len(out), files=1)
    return _finish(out), stats


def tracelab_trace_records(path: Path | str) -> list[str]:
    """The records of TraceLab's pretty-printed ``example_sessions/claude/trace.json`` as JSON strings.

    That file is the raw Claude Code JSONL of one session with '===== record NNNN =====' separators and
    '#' comment lines; each record is re-serialised on one line, as Claude Code wrote it.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: no such file")
    chunks, cur = [], []
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.startswith("===== record") or (not cur and line.startswith("#")):
            if cur:
                chunks.append("\n".join(cur))
            cur = []
            continue
        cur.append(line)
    if cur:
        chunks.append("\n".join(cur))
    out = []
    for c in (x for x in chunks if x.strip()):
        try:
            out.append(json.dumps(json.loads(c)))
        except json.JSONDecodeError:
            out.append("{malformed")  # keep the count of records; the reader will skip and report it
    return out
