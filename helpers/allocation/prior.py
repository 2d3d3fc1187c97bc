"""Cells above the logged samples: the fitted zero-inflated Beta prior, refitted in every bootstrap resample.

Cells at budgets above the logged samples need a prior (``populations.CountPopulation``'s zero-inflated
Beta posterior). ``prior_bootstrap`` refits the prior inside every bootstrap resample (weighted maximum
likelihood over the problems, warm-started at the full-sample fit), so its intervals carry the prior's
uncertainty. Such cells are shown apart and never decide a verdict.
"""
from __future__ import annotations

import numpy as np
from scipy import optimize, special

from .. import bootstrap
from .core import _rng
from .efficiency import efficiency_ratio, integer_grid
from .policies import run_policies
from .populations import CountPopulation, fit_zero_inflated_beta

def fit_prior_weighted(n, c, w, x0=None) -> tuple[float, float, float]:
    """(a, b, pi0) maximizing Σ w_i log[pi0·[c_i=0] + (1-pi0)·BetaBinomial(c_i; n_i, a, b)] (weights w >= 0)."""
    n, c, w = (np.asarray(v, dtype=float) for v in (n, c, w))
    zero = c == 0
    lchoose = special.gammaln(n + 1) - special.gammaln(c + 1) - special.gammaln(n - c + 1)

    def nll(th):
        a, b, pi0 = np.exp(th[0]), np.exp(th[1]), special.expit(th[2])
        ll_bb = lchoose + special.betaln(c + a, n - c + b) - special.betaln(a, b)
        ll = np.where(zero, np.logaddexp(np.log(pi0), np.log1p(-pi0) + ll_bb), np.log1p(-pi0) + ll_bb)
        return -float(np.sum(w * ll))

    bounds = [(np.log(1e-2), np.log(1e3)), (np.log(1e-2), np.log(1e5)), (-12.0, 6.0)]
    if x0 is None:
        pbar = float(np.clip((w * c).sum() / max((w * n).sum(), 1e-12), 1e-4, 0.99))
        x0 = (1.0, (1 - pbar) / pbar, 0.3)
    a0, b0, p0 = x0
    start = np.clip([np.log(a0), np.log(max(b0, 0.02)), special.logit(np.clip(p0, 1e-5, 1 - 1e-5))],
                    [lo for lo, _ in bounds], [hi for _, hi in bounds])
    with np.errstate(all="ignore"):
        r = optimize.minimize(nll, start, method="L-BFGS-B", bounds=bounds)
    return float(np.exp(r.x[0])), float(np.exp(r.x[1])), float(special.expit(r.x[2]))


def prior_bootstrap(n, c, cost, budgets, rng: np.random.Generator, *, n_boot: int, uniform_max: float,
                    policies=("early_stop", "oracle_greedy")) -> dict:
    """Ratios at ``budgets`` under the fitted zero-inflated Beta posterior, with the prior refitted in every
    bootstrap resample of the problems. Returns {"prior": full-sample fit, "priors": (R, 3) refits,
    "ratio": {policy: (nB,)}, "boot": {policy: (R, nB)}}."""
    _rng(rng)
    n, c = np.asarray(n, float), np.asarray(c, float)
    cost = np.ones(n.size) if cost is None else np.asarray(cost, float) / np.mean(cost)
    budgets = np.asarray(budgets, float)
    grid = integer_grid(uniform_max)
    full = fit_zero_inflated_beta(n, c)
    idx = bootstrap.indices(n.size, n_boot, rng)
    W = bootstrap.counts_of(idx, n.size)
    priors = np.array([fit_prior_weighted(n, c, W[r], x0=full) for r in range(n_boot)]).reshape(n_boot, 3)

    def population(nn, cc, cs, pr):
        a, b, pi0 = (np.asarray(pr, float)[..., j][..., None] for j in range(3))
        bb0 = np.exp(special.betaln(a, b + nn) - special.betaln(a, b))
        w0 = np.where(cc == 0, np.where(pi0 > 0, pi0 / (pi0 + (1 - pi0) * bb0), 0.0), 0.0)
        return CountPopulation(nn, cc, cs, mode="posterior", _post=(w0, a + cc, b + nn - cc))

    def evaluate(pop):
        U = pop.success(grid.reshape((-1,) + (1,) * pop.n.ndim)).mean(axis=-1)   # (G,) or (G, R)
        U = U.T if U.ndim == 2 else U
        res = run_policies(pop, budgets, rng, policies=("uniform",) + tuple(policies))
        return {p: efficiency_ratio(grid, U, res[p].accuracy, budgets) for p in policies}

    point = evaluate(population(n, c, cost, np.array(full)))
    boot = evaluate(population(n[idx], c[idx], cost[idx], priors))
    return {"prior": full, "priors": priors, "ratio": point, "boot": boot}
