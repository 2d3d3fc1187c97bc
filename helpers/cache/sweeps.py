"""Replicate summaries and sweeps of the simulator (claim 5): means and 95% bands across simulated agents.

A priced simulator ledger (``helpers.pricing.price_ledger``) is summed per replicate (``rep_summary``); the
mean and percentile interval across replicates of the read shares, cost per token and cost per finished
artifact summarise a run (``summarize_reps``). ``sweep`` reruns the simulator with one parameter set to each
value of a grid, with the same seed for every value (common random numbers), so differences between values
come from the parameter, not from the draws.
"""
from __future__ import annotations

import math
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ..pricing import PriceTable, price_ledger
from ..tokens import group_totals
from ..validate import ParameterError
from .simulator import AgentParams, simulate_agent


def rep_summary(priced: pd.DataFrame) -> pd.DataFrame:
    """Per-replicate totals of a priced simulator ledger (see ``group_totals``)."""
    return group_totals(priced, "rep")


def summarize_reps(priced: pd.DataFrame, level: float = 0.95) -> dict:
    """Mean and percentile interval across replicates of share, cost per token and per artifact."""
    g = rep_summary(priced)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    out = {}
    for k in ("cache_read_share_tokens", "cache_read_share_prompt", "cache_read_share_cost",
              "cost_per_token_usd", "cost_per_artifact_usd"):
        v = g[k].to_numpy(float)
        v = v[np.isfinite(v)]
        out[k] = float(v.mean()) if v.size else math.nan
        lo, hi = (np.percentile(v, q) if v.size else (math.nan, math.nan))
        out[f"{k}_lo"], out[f"{k}_hi"] = float(lo), float(hi)
    return out


def sweep(base: AgentParams, name: str, values: Iterable, prices: PriceTable, seed: int, n_reps: int,
          extra: Callable[[AgentParams, object], dict] | None = None) -> pd.DataFrame:
    """Simulate ``base`` with ``name`` set to each value (same seed: common random numbers).

    ``extra(params, value)`` may return further fields to change with the value (e.g. the write share).
    Returns one row per value: the ``summarize_reps`` statistics plus totals per replicate summed.
    """
    if name not in AgentParams.field_names():
        raise ParameterError(f"sweep: {name!r} is not a simulator parameter")
    rows = []
    for v in values:
        kw = {name: v, **(extra(base, v) if extra else {})}
        prm = base.with_(**kw)
        led = price_ledger(simulate_agent(prm, np.random.default_rng(seed), n_reps), prices)
        s = summarize_reps(led)
        s.update({"value": v, "compactions": int((led["kind"] == "compaction").sum()) / n_reps,
                  "cold_share": float(1 - led.loc[led["kind"] == "turn", "warm"].mean())})
        rows.append(s)
    return pd.DataFrame(rows)
