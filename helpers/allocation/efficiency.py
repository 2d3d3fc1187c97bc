"""Efficiency ratios: the budget uniform needs to match a policy, over the budget it was given.

Efficiency ratio: the budget uniform needs to reach the accuracy a policy reaches at B, divided by B
(Snell et al.'s "4x" in these terms), B_u(acc_policy(B)) / B_u(U(B)). The uniform curve U is evaluated at
integer budgets on a dense grid and inverted by interpolation in log budget; the denominator is B wherever
U rises and the start of the plateau where it does not (so equal accuracy at a ceiling is 1, not a
spurious ratio below 1). An accuracy above the largest evaluated U is *censored* (reported as None with a
flag). Where U is flat a small accuracy gain maps to a large ratio, so the accuracy gain at equal budget is
reported alongside.

**At the spend** (replayed cells, ``ratio_at_spend``): B_u(acc) / B_u(U(b)) at the policy's actual mean
spend b, on U(k), k = 1..n_min. The largest ratio the data can show at budget b is B_sat / b, with B_sat
where U reaches its maximum (``ratio_ceiling``).
"""
from __future__ import annotations

import numpy as np

def integer_grid(max_budget: float, dense_until: int = 64, per_doubling: int = 16) -> np.ndarray:
    """Integers 1..dense_until, then geometric with ``per_doubling`` points per doubling, up to max_budget."""
    max_budget = max(1.0, float(max_budget))
    dense = np.arange(1, min(dense_until, int(max_budget)) + 1, dtype=float)
    if max_budget <= dense_until:
        return dense
    steps = int(np.ceil(np.log2(max_budget / dense_until) * per_doubling))
    geo = np.round(dense_until * 2.0 ** (np.arange(1, steps + 1) / per_doubling))
    geo = np.minimum(geo, np.floor(max_budget))
    return np.unique(np.concatenate([dense, geo, [np.floor(max_budget)]]))


def uniform_curve(pop, grid, weights=None) -> np.ndarray:
    """Mean success of uniform k at every integer k of ``grid`` (shape (G,), or (R, G) with weights (R, N))."""
    grid = np.asarray(grid, dtype=float)
    S = pop.success(grid[:, None])  # (G, N)
    if weights is None:
        return S.mean(axis=-1)
    w = np.asarray(weights, dtype=float)
    return (w @ S.T) / w.sum(axis=-1, keepdims=True)


def invert_curve(grid, curve, accuracy) -> np.ndarray:
    """Budget at which a non-decreasing curve reaches ``accuracy`` (interpolation in log budget).

    ``curve``: (G,) or (R, G); ``accuracy``: any shape for a 1-D curve, (R, ...) for a 2-D one. Below the
    first grid point the uniform curve is linear from the origin (a fractional budget spends on a random
    subset); above the last value the result is +inf (censored).
    """
    grid = np.asarray(grid, dtype=float)
    U = np.maximum.accumulate(np.asarray(curve, dtype=float), axis=-1)
    a = np.asarray(accuracy, dtype=float)
    if U.ndim == 1:
        U2, a2 = U[None, :], a.reshape(1, -1)
    else:
        U2, a2 = U, a.reshape(U.shape[0], -1)
    j = np.sum(U2[:, None, :] < a2[..., None] - 1e-12, axis=-1)  # first index with U >= a
    G = U2.shape[-1]
    jc = np.clip(j, 1, max(G - 1, 1))
    u0 = np.take_along_axis(U2, jc - 1, axis=-1)
    u1 = np.take_along_axis(U2, np.minimum(jc, G - 1), axis=-1)
    lg = np.log(grid)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(u1 > u0, (a2 - u0) / (u1 - u0), 0.0)
        logb = lg[jc - 1] + np.clip(frac, 0, 1) * (lg[np.minimum(jc, G - 1)] - lg[jc - 1])
        below = grid[0] * np.where(U2[:, :1] > 0, a2 / U2[:, :1], 0.0)
    out = np.where(j == 0, below, np.where(j >= G, np.inf, np.exp(logb)))
    return out.reshape(a.shape)


def efficiency_ratio(grid, uniform_acc, policy_acc, budgets) -> np.ndarray:
    """B_u(acc_policy(B)) / B_u(U(B)): the budget uniform needs for the policy's accuracy, over the budget it
    needs for its own accuracy at B. The denominator is B wherever uniform's curve rises; on a plateau (every
    policy at the ceiling) it is where the plateau starts, so equal accuracy gives 1 rather than a spurious
    ratio below 1. +inf when the policy beats uniform's whole evaluated curve (censored).

    ``uniform_acc``: (G,) or (R, G); ``policy_acc``: (nB,) or (R, nB); ``budgets``: (nB,).
    """
    grid = np.asarray(grid, dtype=float)
    B = np.asarray(budgets, dtype=float)
    U = np.maximum.accumulate(np.asarray(uniform_acc, dtype=float), axis=-1)
    U2 = U[None, :] if U.ndim == 1 else U
    U_at_B = _interp_rows(np.log(B), np.log(grid), U2) if grid.size > 1 else U2[:, :1] * B / grid[0]
    if U.ndim == 1:
        U_at_B = U_at_B[0]
    den = invert_curve(grid, U, U_at_B)
    num = invert_curve(grid, U, policy_acc)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _interp_rows(x, xp, fp):
    """np.interp of every row of fp (R, G) at x (n,), vectorized."""
    j = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)
    t = np.clip((x - xp[j]) / (xp[j + 1] - xp[j]), 0, 1)
    return fp[:, j] + t * (fp[:, j + 1] - fp[:, j])



def _interp_each(x, xp, fp):
    """Row r of fp (R, G) at x[r] (R,), linear in log x (xp increasing, > 0)."""
    lx, lxp = np.log(np.maximum(x, 1e-300)), np.log(xp)
    j = np.clip(np.searchsorted(lxp, lx, side="right") - 1, 0, len(xp) - 2) if len(xp) > 1 else np.zeros(x.shape, int)
    if len(xp) == 1:
        return fp[:, 0] * x / xp[0]
    t = np.clip((lx - lxp[j]) / (lxp[j + 1] - lxp[j]), 0, 1)
    r = np.arange(fp.shape[0])
    out = fp[r, j] + t * (fp[r, j + 1] - fp[r, j])
    return np.where(x < xp[0], fp[:, 0] * x / xp[0], out)


def ratio_at_spend(U, acc, spend):
    """Efficiency ratio rows: U (R, G) on k = 1..G, accuracies and mean spends (R,). +inf when censored."""
    U = np.maximum.accumulate(np.atleast_2d(np.asarray(U, dtype=float)), axis=1)
    acc = np.atleast_1d(np.asarray(acc, dtype=float))
    spend = np.atleast_1d(np.asarray(spend, dtype=float))
    grid = np.arange(1, U.shape[1] + 1, dtype=float)
    u_at = _interp_each(spend, grid, U)
    num = invert_curve(grid, U, acc[:, None])[:, 0]
    den = invert_curve(grid, U, u_at[:, None])[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def ratio_ceiling(U, spend) -> float:
    """The largest ratio the data can show at this spend: where U first reaches its maximum, over the spend."""
    U = np.asarray(U, dtype=float)
    k_sat = float(np.argmax(U >= U.max() - 1e-12) + 1)
    return k_sat / float(spend) if spend > 0 else float("nan")
