"""Claim 1's logged evidence: MCPMark effort ladders and BrowseComp-Plus searches per query.

MCPMark: configurations that are effort settings of one model form a ladder, a reasoning budget set by
design; accuracy over runs and mean tokens per run get task-cluster bootstrap intervals
(``helpers.bootstrap``: tasks resampled with replacement, all of a task's runs together), and the
effective binomial n that gives the bootstrap variance. BrowseComp-Plus: accuracy binned by the search
calls each query *drew* (observed, never set): an association across questions, never a budget curve.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from .. import bootstrap, registry, validate
from ..validate import ParameterError

LADDER_MEASURES = ("output_tokens", "reasoning_tokens")


def available(load: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame | None, registry.DataUnavailable | None]:
    """(``load()``, None), or (None, the ``registry.DataUnavailable`` error) when its logged data are missing."""
    try:
        return load(), None
    except registry.DataUnavailable as exc:
        return None, exc


def mcpmark_ladder_points(runs: pd.DataFrame, ladders: Mapping[str, Sequence[str]], rng: np.random.Generator, *,
                          measure: str = "output_tokens", min_reported_share: float = 0.9, n_boot: int = 2000,
                          level: float = 0.95) -> pd.DataFrame:
    """One row per (ladder, effort level): accuracy over runs and mean tokens per run, with task-cluster
    bootstrap intervals (tasks resampled with replacement, all of a task's runs together: runs of one task
    are not independent).

    Columns: series ("mcpmark:<base model>"), config, effort, runs, tasks, accuracy, acc_lo, acc_hi, budget
    (mean ``measure`` per run over runs that report it), budget_lo, budget_hi, reported_share (share of
    runs with a positive ``measure``), usable (reported_share >= ``min_reported_share``), n (effective
    questions p(1-p)/Var_boot: the binomial n that gives the bootstrap variance; at most the runs).
    ``measure`` "output_tokens" (includes reasoning) or "reasoning_tokens" (many runs report none).
    """
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    validate.choice("measure", measure, list(LADDER_MEASURES))
    validate.probability("min_reported_share", min_reported_share)
    validate.integer("n_boot", n_boot, 10, 10**6)
    rows = []
    q = [(1 - level) / 2, (1 + level) / 2]
    for base, cfgs in sorted(ladders.items()):
        for cfg in cfgs:
            g = runs[runs["config"] == cfg]
            if g.empty:
                continue
            tok = g[measure].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            has = np.isfinite(tok) & g["tokens_ok"].to_numpy()
            codes, tasks = pd.factorize(g["task"])
            T = len(tasks)
            succ = np.bincount(codes, weights=g["success"].to_numpy(float), minlength=T)
            cnt = np.bincount(codes, minlength=T).astype(float)
            tsum = np.bincount(codes, weights=np.where(has, tok, 0.0), minlength=T)
            tcnt = np.bincount(codes, weights=has.astype(float), minlength=T)
            idx = bootstrap.indices(T, n_boot, rng)  # all resamples at once
            acc_b = succ[idx].sum(1) / cnt[idx].sum(1)
            with np.errstate(invalid="ignore", divide="ignore"):
                tok_b = tsum[idx].sum(1) / tcnt[idx].sum(1)
            p = succ.sum() / cnt.sum()
            var = float(np.var(acc_b, ddof=1))
            n_eff = float(min(cnt.sum(), p * (1 - p) / var)) if var > 0 else float(cnt.sum())
            rows.append({"series": f"mcpmark:{base}", "config": cfg, "effort": cfg[len(base) + 1:],
                         "runs": int(cnt.sum()), "tasks": T, "accuracy": p,
                         "acc_lo": float(np.quantile(acc_b, q[0])), "acc_hi": float(np.quantile(acc_b, q[1])),
                         "budget": float(tsum.sum() / tcnt.sum()) if tcnt.sum() else np.nan,
                         "budget_lo": float(np.nanquantile(tok_b, q[0])) if tcnt.sum() else np.nan,
                         "budget_hi": float(np.nanquantile(tok_b, q[1])) if tcnt.sum() else np.nan,
                         "reported_share": float(has.mean()), "n": max(n_eff, 1.0)})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["usable"] = out["reported_share"] >= min_reported_share
    return out


def ladder_curves(points: pd.DataFrame) -> pd.DataFrame:
    """The usable ladder points with at least 3 distinct budgets as curves in ``published_curves``' columns
    (axis reasoning_tokens, source mcpmark, setting tool use, budget set by design: the effort level)."""
    if points.empty:
        return pd.DataFrame(columns=["series", "axis", "budget", "accuracy", "n"])
    u = points[points["usable"] & np.isfinite(points["budget"])]
    u = u[u.groupby("series")["budget"].transform("nunique") >= 3]
    return pd.DataFrame({"series": u["series"], "axis": "reasoning_tokens", "budget": u["budget"],
                         "accuracy": u["accuracy"], "n": u["n"], "approx": False, "source": "mcpmark",
                         "benchmark": "MCPMark", "role": "curve", "budget_set": True, "setting": "tool use",
                         "other_budget": np.nan}).reset_index(drop=True)


# ------------------------------------------------------------------------------------------ BrowseComp-Plus


def observational_search(queries: pd.DataFrame, lower_edges: Sequence[int], level: float = 0.95) -> dict:
    """Accuracy by number of search calls (observed per query, never set): ``metrics.observational_search``.

    Bins start at each of ``lower_edges`` (increasing integers) and end before the next; the last bin runs to
    the largest count observed (queries below the first edge join the first bin). Each bin: search_calls_lo,
    search_calls_hi, n, accuracy, ci (Wilson), mean_confidence. Also the Spearman correlation of search calls
    with correctness and with the agent's stated confidence. An association across questions, not a budget
    curve: nothing here is fitted.
    """
    edges = [int(e) for e in lower_edges]
    if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:])):
        raise ParameterError(f"parameter 'search_bin_edges' = {list(lower_edges)!r} must be at least two increasing integers")
    s = queries["search_calls"].to_numpy()
    c = queries["correct"].to_numpy(bool)
    conf = queries["confidence"].to_numpy(float)
    hi_all = int(s.max())
    b = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, len(edges) - 1)
    bins = []
    for i, lo in enumerate(edges):
        m = b == i
        hi = edges[i + 1] - 1 if i + 1 < len(edges) else hi_all
        lo_ = int(s.min()) if i == 0 else lo
        k, n = int(c[m].sum()), int(m.sum())
        ci = list(proportion_confint(k, n, alpha=1 - level, method="wilson")) if n else [None, None]
        bins.append({"search_calls_lo": lo_, "search_calls_hi": hi, "n": n, "accuracy": k / n if n else None,
                     "ci": ci, "mean_confidence": float(np.nanmean(conf[m])) if n and np.isfinite(conf[m]).any() else None})
    rho_c = stats.spearmanr(s, c.astype(float))
    ok = np.isfinite(conf)
    rho_f = stats.spearmanr(s[ok], conf[ok])
    return {"n": int(len(s)), "accuracy": float(c.mean()), "mean_search_calls": float(s.mean()), "bins": bins,
            "spearman_correct": float(rho_c.statistic), "spearman_correct_p": float(rho_c.pvalue),
            "spearman_confidence": float(rho_f.statistic), "spearman_confidence_p": float(rho_f.pvalue),
            "fitted_as_budget_curve": False}
