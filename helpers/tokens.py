"""The token ledger (claims 5 and 7): one row per model call, five disjoint token columns, and its identities.

One row per model call. Token columns are int64 and disjoint:

    uncached_input   prompt tokens neither read from nor written to the cache
    cache_write_5m   prompt tokens written to the cache with a 5-minute TTL
    cache_write_1h   prompt tokens written to the cache with a 1-hour TTL
    cache_read       prompt tokens read from the cache
    output           generated tokens (reasoning included)

with ``timestamp`` (datetime64[ns, UTC]), ``session``, ``model`` and ``provider``. Identities:

    prompt = uncached_input + cache_write_5m + cache_write_1h + cache_read
    cost   = sum over types of tokens_type * price_type / 1e6     (``helpers.pricing.price_ledger``)

``check_ledger`` guards the format, ``identity_errors`` measures both identities, ``totals`` and
``group_totals`` sum a (priced) ledger into the shares the study reports: cache reads over all tokens,
over prompt tokens and over cost.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .validate import DataError

TOKEN_COLUMNS = ["uncached_input", "cache_write_5m", "cache_write_1h", "cache_read", "output"]
PROMPT_COLUMNS = ["uncached_input", "cache_write_5m", "cache_write_1h", "cache_read"]
COST_COLUMNS = {c: f"cost_{c}_usd" for c in TOKEN_COLUMNS}


def check_ledger(ledger: pd.DataFrame) -> None:
    """A ledger has the five token columns, each a non-negative integer."""
    if not isinstance(ledger, pd.DataFrame):
        raise DataError(f"a ledger must be a pandas DataFrame, got {type(ledger).__name__}")
    missing = [c for c in TOKEN_COLUMNS if c not in ledger.columns]
    if missing:
        raise DataError(f"ledger lacks token column(s) {missing}")
    for c in TOKEN_COLUMNS:
        v = ledger[c].to_numpy()
        if not np.issubdtype(v.dtype, np.integer):
            raise DataError(f"ledger column {c!r} must hold integers, got dtype {v.dtype}")
        if (v < 0).any():
            i = int(np.flatnonzero(v < 0)[0])
            raise DataError(f"ledger row {i}: column {c!r} = {v[i]} is negative")


def identity_errors(priced: pd.DataFrame) -> dict[str, float]:
    """Largest violation of each identity (0 when they hold): prompt sum and cost sum."""
    out = {}
    if "context_tokens" in priced:
        out["prompt"] = float(np.abs(priced[PROMPT_COLUMNS].sum(axis=1) - priced["context_tokens"]).max())
    if "cost_usd" in priced:
        parts = priced[[COST_COLUMNS[c] for c in TOKEN_COLUMNS]].sum(axis=1)
        out["cost"] = float(np.abs(parts - priced["cost_usd"]).max())
    return out


def totals(priced: pd.DataFrame) -> dict:
    """Ledger totals (the ``ledger_totals`` record of the results file).

    cache_read_share_tokens = reads / all tokens (prompt + output), the denominator of the 82.9% figure;
    cache_read_share_prompt = reads / prompt tokens (TraceLab's and OpenHands' denominator);
    cache_read_share_cost   = cost of reads / total cost.
    """
    s = priced[TOKEN_COLUMNS].sum()
    tok = float(s.sum())
    prompt = float(s[PROMPT_COLUMNS].sum())
    cost = float(priced["cost_usd"].sum()) if "cost_usd" in priced else math.nan
    read_cost = float(priced[COST_COLUMNS["cache_read"]].sum()) if "cost_usd" in priced else math.nan
    return {"uncached_input": int(s["uncached_input"]),
            "cache_write": int(s["cache_write_5m"] + s["cache_write_1h"]),
            "cache_read": int(s["cache_read"]), "output": int(s["output"]),
            "cache_read_share_tokens": float(s["cache_read"]) / tok if tok else math.nan,
            "cache_read_share_prompt": float(s["cache_read"]) / prompt if prompt else math.nan,
            "cache_read_share_cost": read_cost / cost if cost else math.nan,
            "cost_usd": cost, "calls": int(len(priced))}


def group_totals(priced: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Token and cost sums per group with shares, cost per token and (if present) per artifact."""
    cols = TOKEN_COLUMNS + [COST_COLUMNS[c] for c in TOKEN_COLUMNS] + ["cost_usd"]
    extra = [c for c in ("artifacts_attempted", "artifacts_finished") if c in priced]
    g = priced.groupby(by, sort=True)[cols + extra].sum()
    g["calls"] = priced.groupby(by, sort=True).size()
    tok = g[TOKEN_COLUMNS].sum(axis=1).astype(float)
    prompt = g[PROMPT_COLUMNS].sum(axis=1).astype(float)
    g["tokens"] = tok
    g["cache_read_share_tokens"] = g["cache_read"] / tok.where(tok > 0)
    g["cache_read_share_prompt"] = g["cache_read"] / prompt.where(prompt > 0)
    g["cache_read_share_cost"] = g[COST_COLUMNS["cache_read"]] / g["cost_usd"].where(g["cost_usd"] > 0)
    g["cost_per_token_usd"] = g["cost_usd"] / tok.where(tok > 0)
    if "artifacts_finished" in g:
        g["cost_per_artifact_usd"] = g["cost_usd"] / g["artifacts_finished"].where(g["artifacts_finished"] > 0)
    return g
