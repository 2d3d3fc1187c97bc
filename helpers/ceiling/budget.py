"""Catch-up budget: how many samples the non-reasoning curve needs to reach a target, and the legacy view.

Target t = the reasoning model's single-sample accuracy. The non-reasoning model needs
k* = min{k : A_NR(k) >= t}: found on a grid (every k up to ``dense_until``, then geometric) and refined
by integer bisection inside the first bracket, where the curve is taken to be monotone. If no grid point
reaches t and t >= the limit, k* = infinity (``samples_needed`` None, reason ``above_asymptote``); if t
is below the limit but beyond ``k_max``, reason ``beyond_k_max``. Majority vote can rise and then fall
(problems with p < r(1-p) lose votes as k grows), so a grid point above t at small k is reported with
status ``transient`` when the limit is below t (reached, then lost again). Tokens needed =
k*·tokens_NR (+ k*·verifier_tokens); cost ratio at prices (per token) price_NR, price_R against one
reasoning sample:

    cost_ratio = k*·(tokens_NR·price_NR + verifier_tokens·price_verifier) / (tokens_R·price_R).

The legacy single-sample view (``classify_catch_up``, ``aggregation_verdicts``, ``overall_verdict``) judges
these budgets against one sample of the stronger side; it is shown for comparison and decides nothing.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from ..validate import ParameterError
from .verdict import combine

# ---------------------------------------------------------------- catch-up budget


def _k_grid(k_max: int, dense_until: int = 64, per_doubling: int = 2) -> np.ndarray:
    dense = np.arange(1, min(dense_until, k_max) + 1, dtype=float)
    if k_max <= dense_until:
        return dense
    n_geo = int(np.ceil(np.log2(k_max / dense_until) * per_doubling)) + 1
    geo = np.unique(np.round(np.geomspace(dense_until, k_max, n_geo)))
    return np.unique(np.concatenate([dense, geo]))


def samples_to_reach(curve: Callable[[np.ndarray], np.ndarray], target: float, asymptote: float,
                     k_max: int = 10 ** 12, dense_until: int = 64, per_doubling: int = 2) -> tuple[int | None, str]:
    """Smallest whole k with curve(k) >= target, or (None, reason); see the module docstring."""
    if not np.isfinite(target):
        raise ParameterError("target accuracy must be finite")
    if k_max < 1:
        raise ParameterError("k_max must be >= 1")
    grid = _k_grid(int(k_max), dense_until, per_doubling)
    vals = np.asarray(curve(grid), dtype=float)
    hit = np.flatnonzero(vals >= target)
    if hit.size == 0:
        return None, ("above_asymptote" if target >= asymptote else "beyond_k_max")
    j = int(hit[0])
    if j == 0:
        return 1, "reached"
    lo, hi = int(grid[j - 1]), int(grid[j])  # curve(lo) < target <= curve(hi)
    while hi - lo > 1:  # integer bisection: O(log k) curve evaluations
        mid = (lo + hi) // 2
        if float(np.asarray(curve(np.array([mid], dtype=float)))[0]) >= target:
            hi = mid
        else:
            lo = mid
    return hi, "reached"


def cost_ratio(samples, tokens_nr, tokens_r, price_nr: float = 1.0, price_r: float = 1.0,
               verifier_tokens: float = 0.0, price_verifier: float = 1.0):
    """Cost of k non-reasoning samples (plus verification) over one reasoning sample, at per-token prices."""
    if samples is None or tokens_nr is None or tokens_r is None:
        return None
    if not (np.isfinite(tokens_nr) and np.isfinite(tokens_r)) or tokens_r <= 0:
        return None
    return float(samples * (tokens_nr * price_nr + verifier_tokens * price_verifier) / (tokens_r * price_r))


def catch_up(curve: Callable[[np.ndarray], np.ndarray], asymptote: float, target: float, *,
             tokens_nr: float | None = None, tokens_r: float | None = None, price_nr: float = 1.0,
             price_r: float = 1.0, verifier_tokens: float = 0.0, k_max: int = 10 ** 12,
             asymptote_ci: tuple[float, float] | None = None) -> dict:
    """Samples, tokens and cost ratio for the non-reasoning curve to reach ``target``.

    ``status``: ``reached`` (finite, and the target is below the limit so the curve stays above it),
    ``transient`` (reached at some finite k although the limit is below the target: a majority-vote bump
    that more samples take away again), ``ceiling`` (target above the limit and above its whole interval),
    ``ceiling_uncertain`` (above the point estimate but inside its interval), ``beyond_k_max``.
    """
    k, reason = samples_to_reach(curve, target, asymptote, k_max)
    if k is not None:
        status = "reached" if target < asymptote else "transient"
    elif reason == "above_asymptote":
        status = "ceiling" if (asymptote_ci is None or asymptote_ci[1] is None
                               or not np.isfinite(asymptote_ci[1]) or asymptote_ci[1] < target) \
            else "ceiling_uncertain"
    else:
        status = "beyond_k_max"
    tokens = None if (k is None or tokens_nr is None or not np.isfinite(tokens_nr)) else float(k * (tokens_nr + verifier_tokens))
    return {"target_accuracy": float(target), "samples_needed": k, "tokens_needed": tokens,
            "cost_ratio": cost_ratio(k, tokens_nr, tokens_r, price_nr, price_r, verifier_tokens),
            "asymptote": float(asymptote), "status": status}



# ---------------------------------------------------------------- verdict


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and not np.isfinite(v))


def classify_catch_up(row: dict, affordable_cost_ratio: float) -> str:
    """Outcome of one comparison for the verdict.

    caught_up: reached and sustained, at a cost ratio (samples when no cost is known) of at most
    ``affordable_cost_ratio``; expensive: reached and sustained at a higher cost; ceiling: the target is
    above the limit and its whole interval; unresolved: anything else (target inside the limit's interval,
    beyond the samples searched, or only a transient majority-vote bump).
    """
    status = row.get("status")
    if status == "reached" and not _missing(row.get("samples_needed")):
        price = row.get("cost_ratio")
        price = row["samples_needed"] if _missing(price) else price
        return "caught_up" if price <= affordable_cost_ratio else "expensive"
    return "ceiling" if status == "ceiling" else "unresolved"


def aggregation_verdicts(catch: pd.DataFrame, affordable_cost_ratio: float, holds_max_share: float,
                         breaks_min_share: float) -> pd.DataFrame:
    """Per aggregation: counts by outcome, share caught up, and whether the ceiling holds/breaks/is mixed.

    holds  when the share caught up (among resolved comparisons) is <= holds_max_share;
    breaks when it is >= breaks_min_share; mixed otherwise; no evidence when nothing is resolved.
    """
    if catch.empty:
        return pd.DataFrame(columns=["aggregation", "caught_up", "expensive", "ceiling", "unresolved",
                                     "resolved", "share_caught_up", "ceiling_status"])
    c = catch.assign(outcome=[classify_catch_up(r, affordable_cost_ratio) for r in catch.to_dict("records")])
    tab = pd.crosstab(c["aggregation"], c["outcome"]).reindex(
        columns=["caught_up", "expensive", "ceiling", "unresolved"], fill_value=0)
    tab["resolved"] = tab[["caught_up", "expensive", "ceiling"]].sum(axis=1)
    tab["share_caught_up"] = np.where(tab["resolved"] > 0, tab["caught_up"] / tab["resolved"].clip(lower=1), np.nan)
    tab["ceiling_status"] = np.select(
        [tab["resolved"] == 0, tab["share_caught_up"] <= holds_max_share, tab["share_caught_up"] >= breaks_min_share],
        ["no evidence", "holds", "breaks"], "mixed")
    return tab.reset_index()


def overall_verdict(per_agg: pd.DataFrame) -> str:
    """supported: holds under every aggregation with evidence; not supported: breaks under every one;
    partly supported: anything in between; inconclusive: no aggregation has evidence (``verdict.combine``)."""
    return combine(per_agg["ceiling_status"])
