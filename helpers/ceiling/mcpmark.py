"""MCPMark comparisons at matched spend: pass@k per configuration and task, pairs, bootstrap gaps, outcomes.

pass@k for k = 1..4 from the 4 runs per task (the unbiased estimator), averaged over tasks; the
bootstrap resamples tasks (the same resample for every configuration, so pairs stay paired). Mean tokens
and dollars per run are taken as known (full-sample means). A pair's outcome is ``verdict.classify`` of
its gaps D(k) (point estimate, or the 95% bootstrap interval with ``decide_by="interval"``).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import sampling
from ..validate import DataError, ParameterError
from .verdict import VIEWS, classify

MCPMARK_CAPABILITY_LADDERS = [["gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1"]] + [
    [f"gpt-5-nano-{e}", f"gpt-5-mini-{e}", f"gpt-5-{e}"] for e in ("low", "medium", "high")]



# ---------------------------------------------------------------- MCPMark


def mcpmark_pass_at_k(runs: pd.DataFrame, k_max: int = 4):
    """(configs, tasks, P, dropped): P[config, task, k-1] = unbiased pass@k from each task's runs.

    Configurations with fewer than ``k_max`` runs on some task are dropped (returned by name).
    """
    need = {"config", "task", "success"}
    if not need <= set(runs.columns):
        raise DataError(f"MCPMark runs frame lacks columns {sorted(need - set(runs.columns))}")
    g = runs.groupby(["config", "task"], sort=True)["success"].agg(["size", "sum"])
    n = g["size"].unstack()
    c = g["sum"].unstack()
    bad = n.isna().any(axis=1) | (n < k_max).any(axis=1)
    dropped = sorted(n.index[bad])
    n, c = n[~bad], c[~bad]
    if n.empty:
        raise DataError(f"no MCPMark configuration has {k_max} runs on every task")
    k = np.arange(1, k_max + 1, dtype=float)
    P = sampling.pass_at_k(n.to_numpy(float)[..., None], c.to_numpy(float)[..., None], k[None, None, :])
    return list(n.index), list(n.columns), P, dropped


def mcpmark_pairs(configs, labels: dict, thinking_pairs, doubtful) -> pd.DataFrame:
    """Comparisons [weaker, stronger, unit, doubtful] among ``configs``.

    thinking pair: (without, with thinking) of one base model; doubtful when the thinking side's label is
    doubtful. config pair: every non-reasoning x reasoning configuration (by ``labels``); doubtful when
    either side's label is doubtful. capability pair: smaller x larger model of one size ladder.
    """
    have = set(configs)
    rows = [(w, s, "thinking pair", s in doubtful) for w, s in thinking_pairs if w in have and s in have]
    nr = [c for c in configs if not labels[c]]
    r = [c for c in configs if labels[c]]
    rows += [(w, s, "config pair", (w in doubtful) or (s in doubtful)) for w in nr for s in r]
    for ladder in MCPMARK_CAPABILITY_LADDERS:
        lad = [c for c in ladder if c in have]
        rows += [(lad[i], lad[j], "capability pair", False) for i in range(len(lad)) for j in range(i + 1, len(lad))]
    return pd.DataFrame(rows, columns=["weaker", "stronger", "unit", "doubtful"])


def mcpmark_gaps(P: np.ndarray, W: np.ndarray, wi, si, spend: np.ndarray | None):
    """Bootstrap D(k) for pairs: (1 + n_boot, n_pairs, K); replicate 0 is the full sample.

    ``W``: (n_boot, n_tasks) resampling multiplicities; ``spend``: per-config spend per run (None: equal
    attempts). Also returns d1 (1 + n_boot, n_pairs) and the matched budgets of S (n_pairs, K).
    """
    n_tasks, K = P.shape[1], P.shape[2]
    acc = np.concatenate([P.mean(axis=1)[None], np.einsum("bt,ctk->bck", W, P) / n_tasks])  # (1+B, C, K)
    wi, si = np.asarray(wi, dtype=int), np.asarray(si, dtype=int)
    k = np.arange(1, K + 1, dtype=float)
    ratio = np.ones(wi.size) if spend is None else spend[wi] / spend[si]
    ks = k[None, :] * ratio[:, None]  # (n_pairs, K) budgets of S
    inside = (ks >= 1 - 1e-9) & (ks <= K + 1e-9)
    lo = np.clip(np.floor(ks + 1e-9), 1, K).astype(int)
    hi = np.clip(lo + 1, 1, K)
    frac = np.clip(ks - lo, 0.0, 1.0)
    a_s = acc[:, si, :]
    s_at = (np.take_along_axis(a_s, (lo - 1)[None], axis=2) * (1 - frac)[None]
            + np.take_along_axis(a_s, (hi - 1)[None], axis=2) * frac[None])
    d = np.where(inside[None], acc[:, wi, :] - s_at, np.nan)
    d1 = acc[:, wi, 0] - acc[:, si, 0]
    return d, d1, ks


def _nan_quantiles(x: np.ndarray, q) -> np.ndarray:
    """``np.nanquantile(x, q, axis=0)``, the same numbers: when every column (x[:, i, j]) is all NaN or has
    none, the columns without NaN go through ``np.quantile`` at once (the same order statistics and
    interpolation as nanquantile's column-by-column pass) and the all-NaN ones are NaN."""
    nan = np.isnan(x)
    some, every = nan.any(axis=0), nan.all(axis=0)
    if np.any(some != every):  # a column with some NaN: nanquantile's own column-by-column pass
        return np.nanquantile(x, q, axis=0)
    out = np.full((len(q), *x.shape[1:]), np.nan)
    if (~every).any():
        out[:, ~every] = np.quantile(x[:, ~every], q, axis=0)
    return out


def mcpmark_bounds(d, d1, ks, cost_limit: float):
    """(d under the cost limit, 2.5% and 97.5% bootstrap quantiles of d per pair and k, 2.5% quantile of
    d1 per pair): what ``mcpmark_outcomes`` reads besides the tolerance and the decision."""
    d = np.where((ks <= cost_limit + 1e-9)[None], d, np.nan)
    boot = d[1:] if d.shape[0] > 1 else d
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: spends never compared
        lo, hi = _nan_quantiles(boot, [0.025, 0.975])
        d1_lo = np.quantile(d1[1:] if d1.shape[0] > 1 else d1, 0.025, axis=0)
    return d, lo, hi, d1_lo


def mcpmark_outcomes(d, d1, ks, tol: float, cost_limit: float, decide_by: str = "point",
                     bounds=None) -> pd.DataFrame:
    """Per pair: result, best gap (point) with its 95% interval, k of W where it is reached, share in the
    bootstrap caught up. ``d``, ``d1``, ``ks`` from ``mcpmark_gaps``; ``bounds``: ``mcpmark_bounds`` of the
    same pairs and cost limit when already computed (else computed here)."""
    if decide_by not in ("point", "interval"):
        raise ParameterError(f"decide_by {decide_by!r} is not 'point' or 'interval'")
    K = d.shape[2]
    k = np.arange(1, K + 1, dtype=float)
    d, lo, hi, d1_lo = mcpmark_bounds(d, d1, ks, cost_limit) if bounds is None else bounds
    rows = []
    for p in range(d.shape[1]):  # one small decision per pair (the arrays above are vectorized)
        if decide_by == "point":
            res = classify(k, d[0, p], d1[0, p], tol)
        else:
            res = classify(k, d[0, p], d1[0, p], tol, lo[p], hi[p], d1_lo[p])
        use = (k >= 2) & np.isfinite(d[0, p])
        j = int(np.flatnonzero(use)[np.argmax(d[0, p][use])]) if use.any() else None
        first = np.flatnonzero(use & (d[0, p] >= -tol))
        rows.append({"result": res, "gap_k1": float(d1[0, p]),
                     "k_caught_up": int(k[first[0]]) if (res == "caught_up" and first.size) else None,
                     "best_gap": None if j is None else float(d[0, p, j]),
                     "ci": None if j is None else [float(lo[p, j]), float(hi[p, j])],
                     "best_k": None if j is None else int(k[j])})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- evidence under one specification


@dataclass
class MCPMarkComparisons:
    """MCPMark pairs with their bootstrap gaps under every view (``gaps[view] = (d, d1, ks)``)."""

    pairs: pd.DataFrame
    gaps: dict
    acc: np.ndarray  # (1 + n_boot, n_configs, K) pass@k, replicate 0 = full sample
    spends: dict     # {view: per-config spend per run or None}
    _bounds: dict = field(default_factory=dict, repr=False, compare=False)  # {(view, cost limit): mcpmark_bounds}

    @classmethod
    def build(cls, P, W, configs, pairs, spend_tokens, spend_cost):
        idx = {c: i for i, c in enumerate(configs)}
        missing = sorted(set(pairs["weaker"]).union(pairs["stronger"]) - set(idx))
        if missing:
            raise DataError(f"MCPMark pairs name configurations without pass@k: {missing}")
        wi, si = pairs["weaker"].map(idx).to_numpy(), pairs["stronger"].map(idx).to_numpy()
        spends = {"matched_tokens": spend_tokens, "matched_cost": spend_cost, "matched_k": None}
        for v, sp in spends.items():
            if sp is not None and not (np.all(np.isfinite(sp)) and np.all(np.asarray(sp) > 0)):
                raise DataError(f"MCPMark spend per run for {v} must be positive for every configuration")
        acc = np.concatenate([P.mean(axis=1)[None], np.einsum("bt,ctk->bck", W, P) / P.shape[1]])
        return cls(pairs.reset_index(drop=True), {v: mcpmark_gaps(P, W, wi, si, s) for v, s in spends.items()},
                   acc, spends)

    def select(self, doubtful: bool, capability: bool) -> np.ndarray:
        """Pairs in a specification: doubtful labels in or out, capability-gap pairs in or out."""
        keep = np.ones(len(self.pairs), bool)
        if not doubtful:
            keep &= ~self.pairs["doubtful"].to_numpy(bool)
        if not capability:
            keep &= (self.pairs["unit"] != "capability pair").to_numpy()
        return keep

    def outcomes(self, view: str, tol: float, cost_limit: float, decide_by: str, doubtful: bool,
                 capability: bool) -> pd.DataFrame:
        if view not in VIEWS:
            raise ParameterError(f"view {view!r} is not one of {VIEWS}")
        keep = self.select(doubtful, capability)
        d, d1, ks = self.gaps[view]
        key = (view, float(cost_limit))
        if key not in self._bounds:  # the quantiles depend on neither the tolerance nor the decision
            self._bounds[key] = mcpmark_bounds(d, d1, ks, cost_limit)
        dc, lo, hi, d1_lo = self._bounds[key]
        out = mcpmark_outcomes(d[:, keep], d1[:, keep], ks[keep], tol, cost_limit, decide_by,
                               bounds=(dc[:, keep], lo[keep], hi[keep], d1_lo[keep]))
        return pd.concat([self.pairs[keep].reset_index(drop=True), out], axis=1)

