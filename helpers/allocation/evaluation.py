"""One dataset evaluated: every policy at every budget, with a bootstrap over problems (``evaluate_dataset``).

Bootstrap over problems: replicates resample problems (jointly across models when they share a problem
set: a cluster bootstrap over problem ids) through ``helpers.bootstrap``. Uniform, probe and early stopping
are re-run on each replicate; the oracle and binned policies keep their knowledge (each problem's curve;
each bin's curve) and re-solve only the threshold λ for the replicate's budget, from a table of allocations
on a fine grid of λ (linear interpolation in spend between grid points, i.e. the marginal samples shared
out fractionally). "all models" pools models by averaging their accuracies at each budget.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from .. import bootstrap
from ..validate import ParameterError
from .core import _LOG_MIN, POLICIES, POOLED, _rng
from .difficulty import budget_share, difficulty_bin
from .efficiency import efficiency_ratio, integer_grid, uniform_curve
from .populations import with_budget_axis
from .policies import run_policies, run_policy
from .waterfill import bin_curves, binned_fill, fill_population

def _lambda_table(pop, policy, bins, T_max, n_grid=600, q_max=256, rng=None):
    """Allocation k_i(λ) on a grid of λ (decreasing), for the oracle or the binned policy, from the full
    sample's knowledge; the grid reaches the spend of ``T_max``. Returns log λ grid (L,), counts (L, N)."""
    c = pop.cost
    logc = np.log(c)
    if policy == "oracle_greedy":
        top = float(np.max(np.exp(pop.log_gain(np.zeros(c.shape))) / c))
        f = fill_population(pop, T_max, rng)
        upper = np.floor(T_max / c) + 1.0

        def counts(lg):
            return np.broadcast_to(pop.count(lg[:, None] + logc, upper), (lg.size, pop.n_problems))
    else:
        bc = bin_curves(pop, bins, q_max)
        top = float(np.max(np.where(bc.cnt > 0, bc.gain(np.zeros(bc.cnt.shape)) / bc.cbar, 0.0)))
        f = binned_fill(pop, bins, T_max, rng, q_max)

        def counts(lg):
            cb = bc.counts(lg, np.full(lg.size, T_max))
            return np.take_along_axis(cb, np.broadcast_to(bc.bins, (lg.size, pop.n_problems)), axis=-1)
    lo = float(f.log_lo) if np.isfinite(f.log_lo) and f.log_lo > _LOG_MIN else _LOG_MIN
    hi = np.log(top) + 1e-9 if top > 0 else 0.0
    lg = np.linspace(hi, min(lo, hi - 1e-6), n_grid)
    return lg, counts(lg)


def _table_accuracy(pop, K, weights, budgets):
    """Replicate accuracies of a threshold table: spend and success are linear in the replicate's weights;
    the budget is met by linear interpolation in spend between grid points. Returns (R, nB)."""
    c = pop.cost
    C = K * c                     # (L, N)
    S = pop.success(K)            # (L, N)
    W = np.asarray(weights, dtype=float)
    sp = W @ C.T                  # (R, L), non-decreasing in L
    ac = (W @ S.T) / W.sum(axis=-1, keepdims=True)
    T = np.asarray(budgets, dtype=float)[None, :] * (W @ c)[:, None]  # (R, nB)
    j = np.sum(sp[:, None, :] <= T[..., None] + 1e-9, axis=-1) - 1   # last grid point within budget
    L = sp.shape[-1]
    j0 = np.clip(j, 0, L - 1)
    j1 = np.clip(j + 1, 0, L - 1)
    s0, s1 = np.take_along_axis(sp, j0, -1), np.take_along_axis(sp, j1, -1)
    a0, a1 = np.take_along_axis(ac, j0, -1), np.take_along_axis(ac, j1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(s1 > s0, np.clip((T - s0) / (s1 - s0), 0, 1), 0.0)
    return np.where(j < 0, 0.0, a0 + frac * (a1 - a0))



# ============================================================================ one dataset: curves, ratios, shares

@dataclass
class DatasetResult:
    """Everything the notebook reports for one dataset (one or several models)."""

    name: str
    budgets: np.ndarray
    grid: np.ndarray
    curves: pd.DataFrame         # model, policy, mean_budget, accuracy, accuracy_lo, accuracy_hi, gain, gain_lo, gain_hi
    ratios: pd.DataFrame         # model, policy, mean_budget, ratio, ratio_lo, ratio_hi, censored
    shares: pd.DataFrame         # model, policy, bin, share (at the share budget)
    uniform_dense: pd.DataFrame  # model, budget, accuracy (the curve inverted for the ratios)
    spend_error: pd.DataFrame    # model, policy, max |spend - T| in samples of the dearest problem, saturated
    evaluation: dict             # model -> how accuracy is evaluated
    n_problems: dict             # model -> problems

    @property
    def level_model(self) -> str:
        """The rows that summarize the dataset: the pooled rows when there are several models."""
        models = self.curves["model"].unique().tolist()
        return POOLED if POOLED in models else models[0]


def budget_key(b) -> str:
    """JSON key of a mean budget: '16', or '2.5' for a fractional one."""
    b = float(b)
    return str(int(b)) if b == int(b) else f"{b:g}"


def evaluate_dataset(name: str, pops: dict, budgets, rng: np.random.Generator, *, bins: dict | None = None,
                     ids: dict | None = None, probe_m: int = 4, n_boot: int = 200, uniform_max: float = 65536,
                     share_budget: float | None = None, hard_max: float = 0.01, easy_min: float = 0.3,
                     level: float = 0.95, policies: Sequence[str] = POLICIES, max_elems: float = 3e6,
                     n_lambda: int = 600) -> DatasetResult:
    """Run every policy on every model's population at every budget, with a bootstrap over problems.

    ``pops``: model -> population; ``bins``: model -> difficulty bins for ``binned_predicted``; ``ids``:
    model -> problem ids (when every model has the same problem set, replicates resample problem ids jointly
    across models, a cluster bootstrap; otherwise each model is resampled on its own). The uniform curve is
    evaluated on an integer grid up to ``uniform_max`` (replay: up to the fewest logged samples) and inverted
    for the efficiency ratios; "all models" pools models by averaging their accuracies at each budget.
    """
    _rng(rng)
    budgets = np.asarray(budgets, dtype=float)
    models = list(pops)
    if not models:
        raise ParameterError(f"dataset {name!r} has no models")
    if share_budget is None:
        share_budget = float(budgets[len(budgets) // 2])
    if share_budget not in budgets:
        raise ParameterError(f"share budget {share_budget} is not on the budget grid")
    j_share = int(np.flatnonzero(budgets == share_budget)[0])
    gmax = min(float(p.n.min()) if p.mode == "replay" else float(uniform_max) for p in pops.values())
    if gmax < budgets.max():
        raise ParameterError(f"dataset {name!r}: budgets up to {budgets.max():g} exceed the uniform curve's range "
                             f"({gmax:g}; replay needs every problem to have at least that many samples)")
    grid = integer_grid(gmax)
    alpha = (1 - level) / 2 * 100
    ids = ids or {m: np.arange(pops[m].n_problems).astype(str) for m in models}
    first = set(ids[models[0]])
    same = all(len(ids[m]) == len(first) and set(ids[m]) == first for m in models)
    universe = np.array(sorted(first)) if same else None
    shared_draw = bootstrap.indices(len(universe), n_boot, rng) if (same and n_boot > 0) else None

    point_acc, boot_acc, point_U, boot_U = {}, {}, {}, {}
    rows_share, rows_err = [], []
    for m in models:
        pop = pops[m]
        N = pop.n_problems
        b = None if bins is None else bins.get(m)
        res = run_policies(pop, budgets, rng, bins=b, probe_m=probe_m, policies=policies)
        point_acc[m] = {k: r.accuracy for k, r in res.items()}
        labels = difficulty_bin(pop.difficulty_p, hard_max, easy_min)
        for k, r in res.items():
            err = np.abs(r.spent_total - r.total) / pop.cost.max()
            rows_err.append({"model": m, "policy": k, "max_abs_spend_error": float(np.max(err)),
                             "saturated": bool(np.any(r.info.get("saturated", False)))})
            for bn, sh in budget_share(r.spent[j_share], labels).items():
                rows_share.append({"model": m, "policy": k, "bin": bn, "share": sh})
        point_U[m] = uniform_curve(pop, grid)
        if n_boot > 0:
            idx_all = pd.Index(ids[m]).get_indexer(universe)[shared_draw] if same else \
                bootstrap.indices(N, n_boot, rng)
            W_all = bootstrap.counts_of(idx_all, N)
            boot_U[m] = uniform_curve(pop, grid, W_all)
            accs = {}
            T_max = 2.0 * float(budgets.max()) * float(pop.cost.sum())
            for k in policies:
                if k in ("oracle_greedy", "binned_predicted"):
                    lg, K = _lambda_table(pop, k, b, T_max, n_lambda, rng=rng)
                    accs[k] = _table_accuracy(pop, K, W_all, budgets)
                elif k == "uniform":
                    # uniform at an integer budget is exact; fractional budgets interpolate linearly
                    S = pop.success(np.floor(budgets)[:, None])
                    S1 = pop.success(np.floor(budgets)[:, None] + 1)
                    fr = (budgets - np.floor(budgets))[:, None]
                    accs[k] = (W_all @ (S + fr * (S1 - S)).T) / W_all.sum(axis=-1, keepdims=True)
                else:
                    chunk = max(1, int(max_elems // (len(budgets) * N)))
                    parts = []
                    for s in range(0, n_boot, chunk):
                        popR = pop.take(idx_all[s:s + chunk])
                        parts.append(run_policy(k, with_budget_axis(popR), budgets, rng, probe_m=probe_m).accuracy)
                    accs[k] = np.concatenate(parts, axis=0)
            boot_acc[m] = accs

    if len(models) > 1:
        point_acc[POOLED] = {k: np.mean([point_acc[m][k] for m in models], axis=0) for k in policies}
        point_U[POOLED] = np.mean([point_U[m] for m in models], axis=0)
        if n_boot > 0:
            boot_acc[POOLED] = {k: np.mean([boot_acc[m][k] for m in models], axis=0) for k in policies}
            boot_U[POOLED] = np.mean([boot_U[m] for m in models], axis=0)
    rows_c, rows_r, rows_u = [], [], []
    nan = np.full(len(budgets), np.nan)
    for m in point_acc:
        for k in policies:
            acc = point_acc[m][k]
            gain = acc - point_acc[m]["uniform"]
            ratio = efficiency_ratio(grid, point_U[m], acc, budgets)
            if n_boot > 0:
                ab = boot_acc[m][k]
                rb = efficiency_ratio(grid, boot_U[m], ab, budgets)
                a_lo, a_hi = np.percentile(ab, [alpha, 100 - alpha], axis=0)
                g_lo, g_hi = np.percentile(ab - boot_acc[m]["uniform"], [alpha, 100 - alpha], axis=0)
                # censored replicates are +inf: order statistics, no interpolation across them
                r_lo, r_hi = np.percentile(rb, [alpha, 100 - alpha], axis=0, method="inverted_cdf")
            else:
                a_lo = a_hi = g_lo = g_hi = r_lo = r_hi = nan
            for j, B in enumerate(budgets):
                rows_c.append({"model": m, "policy": k, "mean_budget": float(B), "accuracy": float(acc[j]),
                               "accuracy_lo": float(a_lo[j]), "accuracy_hi": float(a_hi[j]),
                               "gain": float(gain[j]), "gain_lo": float(g_lo[j]), "gain_hi": float(g_hi[j])})
                rows_r.append({"model": m, "policy": k, "mean_budget": float(B), "ratio": float(ratio[j]),
                               "ratio_lo": float(r_lo[j]), "ratio_hi": float(r_hi[j]),
                               "censored": bool(np.isinf(ratio[j]))})
        rows_u += [{"model": m, "budget": float(g), "accuracy": float(u)} for g, u in zip(grid, point_U[m])]
    shares = pd.DataFrame(rows_share)
    if len(models) > 1:
        pooled = shares.groupby(["policy", "bin"], sort=False, as_index=False)["share"].mean()
        shares = pd.concat([shares, pooled.assign(model=POOLED)[shares.columns]], ignore_index=True)
    return DatasetResult(name, budgets, grid, pd.DataFrame(rows_c), pd.DataFrame(rows_r), shares,
                         pd.DataFrame(rows_u), pd.DataFrame(rows_err),
                         {m: pops[m].evaluation for m in models}, {m: pops[m].n_problems for m in models})
