"""The generic CSV log: ``timestamp, session, model, uncached_input, cache_write, cache_read, output``.

Generic CSV: ``timestamp, session, model, uncached_input, cache_write, cache_read, output`` (optional
``cache_write_1h``: then ``cache_write`` is the 5-minute part). Unlike JSONL logs, a bad CSV row is an
error naming the file and line (a hand-made file should be fixed, not silently trimmed).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import datasets, pricing
from ..validate import DataError
from .common import _empty_stats, _finish


def read_generic_csv(path: Path | str, call_prefix: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The generic CSV; a bad row raises ``DataError`` naming the file and line (header = line 1).

    Call ids are ``<call_prefix>:<line>`` (default: the file name).
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"session": str, "model": str, "timestamp": str})
    need = ["timestamp", "session", "model", "uncached_input", "cache_write", "cache_read", "output"]
    datasets.require_columns(df, need, p)
    counts = ["uncached_input", "cache_write", "cache_read", "output"] + (["cache_write_1h"] if "cache_write_1h" in df else [])
    df = datasets.to_numeric(df, counts, p)
    datasets.check_rows(df, p, [(c, lambda s: s >= 0, "is negative") for c in counts]
                        + [(c, lambda s: s == np.round(s), "is not a whole number") for c in counts])
    for c in ("session", "model"):
        bad = df[c].isna() | (df[c].astype(str).str.strip() == "")
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, line {i + 2}: column {c!r} is empty")
    ts = pd.to_datetime(df["timestamp"], utc=True, errors="coerce", format="mixed")
    if ts.isna().any():
        i = int(np.flatnonzero(ts.isna().to_numpy())[0])
        raise DataError(f"{p}, line {i + 2}: column 'timestamp' = {df['timestamp'].iloc[i]!r} is not a date-time")
    w1h = df["cache_write_1h"].astype("int64") if "cache_write_1h" in df else pd.Series(0, index=df.index, dtype="int64")
    out = pd.DataFrame({
        "source": "csv", "session": df["session"].astype(str), "call_id": [f"{call_prefix or p.name}:{i + 2}" for i in range(len(df))],
        "model": df["model"].astype(str), "provider": df["model"].map(lambda m: pricing.provider_of(m) or "unknown"),
        "timestamp": ts, "sidechain": False, "uncached_input": df["uncached_input"].astype("int64"),
        "cache_write_5m": df["cache_write"].astype("int64"), "cache_write_1h": w1h,
        "cache_read": df["cache_read"].astype("int64"), "output": df["output"].astype("int64")})
    stats = _empty_stats()
    stats.update(lines=len(df), valid=len(df), files=1)
    return _finish(out), stats
