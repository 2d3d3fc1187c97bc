"""BrowseComp-Plus per query: one GPT-4.1 agent with BM25 search, correctness and observed search calls.

Frame (column: dtype, meaning)
------------------------------
    turns, wall_time_s: float64; tokens_logged: bool; source_id, value_status: str (citation columns).
``browsecomp_plus_queries()`` one row per query of BrowseComp-Plus, one GPT-4.1 agent with BM25 search
                         (Agent-Evaluation/BrowseComp-Plus runs/bm25/single_gpt_4.1 @48a8558a):
    query_id: str; correct: bool (judge said 'yes'; 'unknown' = unparseable answer counts as incorrect, as
    the file's own accuracy does); search_calls: int64 (observed, not capped); confidence: float64 in
    [0, 100] (NaN where the answer could not be parsed); parse_error: bool. ``df.attrs`` holds the file's
"""
from __future__ import annotations

import math

import pandas as pd

from .. import paths, registry
from ..validate import DataError
from .files import load_json as _load_json


def browsecomp_plus_queries(path=None) -> pd.DataFrame:
    """BrowseComp-Plus per-query outcomes of one GPT-4.1 + BM25 agent; columns in this module's docstring."""
    p = paths.resolve_user_path(path) if path is not None else registry.local_path("browsecomp_plus/bm25_single_gpt_4.1")
    doc = _load_json(p)
    q = doc.get("per_query_metrics") if isinstance(doc, dict) else None
    if not isinstance(q, list) or not q:
        raise DataError(f"{p}: expected an object with a non-empty 'per_query_metrics' list")
    rows, seen = [], set()
    for i, r in enumerate(q):
        if not isinstance(r, dict) or "query_id" not in r:
            raise DataError(f"{p}: per_query_metrics entry {i + 1}: expected an object with 'query_id'")
        qid = str(r["query_id"])
        where = f"{p}: query {qid!r}"
        if qid in seen:
            raise DataError(f"{where}: duplicate query_id")
        seen.add(qid)
        miss = [k for k in ("correct", "tool_calls") if k not in r]
        if miss:
            raise DataError(f"{where}: missing field(s) {miss}")
        if r["correct"] not in ("yes", "no", "unknown"):
            raise DataError(f"{where}: correct = {r['correct']!r} is not yes/no/unknown")
        tc = r["tool_calls"]
        s = tc.get("search", 0) if isinstance(tc, dict) else None
        if isinstance(s, bool) or not isinstance(s, (int, float)) or s < 0 or s != int(s):
            raise DataError(f"{where}: tool_calls.search = {s!r} is not a non-negative integer")
        parse_error = r.get("parse_error") is True or r["correct"] == "unknown"
        c = r.get("confidence")
        if c is not None and (isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 <= c <= 100):
            raise DataError(f"{where}: confidence = {c!r} is not a number in [0, 100]")
        conf = math.nan if (c is None or parse_error) else float(c)
        rows.append((qid, r["correct"] == "yes", int(s), conf, parse_error))
    df = pd.DataFrame(rows, columns=["query_id", "correct", "search_calls", "confidence", "parse_error"])
    df = df.astype({"query_id": str, "correct": bool, "search_calls": "int64", "confidence": "float64",
                    "parse_error": bool})

    def stated(k, scale=1.0):
        v = doc.get(k)
        return float(v) / scale if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    as_int = lambda v: None if v is None else int(v)  # noqa: E731
    df.attrs.update({"accuracy": stated("Accuracy (%)", 100.0), "n_evaluated": as_int(stated("Total Evaluated")),
                     "n_correct": as_int(stated("Correct")),
                     "mean_search_calls": (float(doc["avg_tool_stats"]["search"])
                                           if isinstance(doc.get("avg_tool_stats"), dict)
                                           and isinstance(doc["avg_tool_stats"].get("search"), (int, float))
                                           else None)})
    return df
