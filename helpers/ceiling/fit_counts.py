"""Fitting (pi0, a, b) to per-problem counts: likelihood, profile interval of the ceiling, bootstrap.

Per-problem counts (c_i correct of n_i samples): beta-binomial likelihood with a point mass at zero,

    L_i = pi0·[c_i = 0] + (1-pi0)·C(n_i, c_i)·B(a + c_i, b + n_i - c_i) / B(a, b),

maximised over (logit pi0, log a, log b) by SLSQP with an analytic gradient (vectorized over problems;
optional weights, which the bootstrap uses).

Intervals: the ceiling 1 - pi0 gets a profile-likelihood interval (threshold chi2_1(0.95)/2), the grid
running from the share solved at least once up to 1. The profile stays honest when the estimate sits at
pi0 = 0, where a bootstrap collapses to a point. Everything derived from a counts fit (majority-vote and
verifier limits, curve bands) gets a percentile bootstrap over problems (problems resampled with
replacement by ``helpers.bootstrap.counts``, ``n_boot`` resamples, seeded Generator, warm-started refits).
A ceiling is *identifiable* when its 95% interval is no wider than ``max_width``; otherwise notebooks say
"not identified" rather than quote the point estimate. Plug-in curves and limits at p̂ = c/n
(``counts_curve``, ``counts_asymptote_terms``) live here too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .. import bootstrap, sampling
from ..validate import DataError, ParameterError
from .model import LEVEL, BetaMixture, Selector, _check_aggregation, _ks, mixture_asymptote, mixture_curve, weighted_curve

PROFILE_CRIT = stats.chi2.ppf(LEVEL, 1) / 2
LOGIT_PI0_BOUNDS = (-14.0, 14.0)
LOG_A_BOUNDS = (np.log(1e-3), np.log(1e3))
LOG_B_BOUNDS = (np.log(1e-3), np.log(1e7))
# SLSQP rather than L-BFGS-B: scipy's L-BFGS-B calls multithreaded BLAS on 3x3 problems, which costs
# milliseconds per iteration on a busy machine; SLSQP finds the same optima about 15 times faster here.
OPTIMIZER = "SLSQP"


# ---------------------------------------------------------------- per-problem counts (plug-in)


def _counts(n, c):
    n = np.asarray(n, dtype=float)
    c = np.asarray(c, dtype=float)
    if n.shape != c.shape or n.ndim != 1 or n.size == 0:
        raise ParameterError("n and c must be non-empty 1-D arrays of the same length")
    if np.any(n < 1) or np.any(c < 0) or np.any(c > n) or np.any(c != np.floor(c)) or np.any(n != np.floor(n)):
        raise ParameterError("counts need whole numbers with 0 <= c <= n and n >= 1")
    return n, c


def counts_curve(n, c, aggregation: str, k, selector: Selector = Selector(),
                 mixture: BetaMixture | None = None) -> np.ndarray:
    """Accuracy of k samples from per-problem counts.

    pass_at_k: the unbiased estimator averaged over problems where k <= min(n); beyond it, the fitted
    ``mixture`` (if given) or the plug-in coverage of p̂ = c/n (a lower bound). Majority vote and the
    learned verifier: plug-in p̂ = c/n (good when n is large, biased when n is a handful).
    """
    n, c = _counts(n, c)
    k = _ks(k)
    if aggregation != "pass_at_k":
        return weighted_curve(c / n, np.full(n.size, 1 / n.size), aggregation, k, selector)
    out = np.empty(k.size)
    inside = k <= n.min()
    if inside.any():
        out[inside] = sampling.pass_at_k(n[:, None], c[:, None], k[None, inside]).mean(axis=0)
    if (~inside).any():
        if mixture is not None:
            out[~inside] = mixture_curve(mixture, "pass_at_k", k[~inside])
        else:
            out[~inside] = weighted_curve(c / n, np.full(n.size, 1 / n.size), "pass_at_k", k[~inside])
    return out


def counts_asymptote_terms(n, c, aggregation: str, selector: Selector = Selector()) -> np.ndarray:
    """Per-problem plug-in limits (their mean is the plug-in asymptote; bootstrap resamples them)."""
    n, c = _counts(n, c)
    _check_aggregation(aggregation)
    p = c / n
    if aggregation == "pass_at_k":
        return (c > 0).astype(float)
    if aggregation == "majority_vote":
        return sampling.majority_vote_limit(p, selector.wrong_concentration)
    return sampling.verifier_limit(p, selector.tpr, selector.fpr)


# ---------------------------------------------------------------- maximum likelihood from counts


def _unpack(theta):
    u, la, lb = theta
    return special.expit(u), np.exp(la), np.exp(lb)


def log_binomial(n, c):
    """log C(n, c) as ``counts_nll`` computes it (the part of the likelihood free of the parameters)."""
    return special.gammaln(n + 1) - special.gammaln(c + 1) - special.gammaln(n - c + 1)


def counts_nll(theta, n, c, weights=None, fit_pi0: bool = True, pi0_fixed: float | None = None, comb=None):
    """Negative log-likelihood and gradient in (logit pi0, log a, log b); see the module docstring.

    ``fit_pi0=False`` fixes pi0 = 0; ``pi0_fixed`` fixes it at a value (the gradient's first entry is then 0).
    ``comb``: ``log_binomial(n, c)`` when an optimiser calls this many times on the same counts (else computed).
    """
    pi0, a, b = _unpack(theta)
    if pi0_fixed is not None:
        pi0 = float(pi0_fixed)
    elif not fit_pi0:
        pi0 = 0.0
    comb = log_binomial(n, c) if comb is None else comb
    lbb = comb + special.betaln(a + c, b + n - c) - special.betaln(a, b)
    zero = c == 0
    if pi0 > 0:
        log_beta_part = np.log1p(-pi0) + lbb
        ll = np.where(zero, np.logaddexp(np.log(pi0), log_beta_part), log_beta_part)
        s = np.where(zero, np.exp(log_beta_part - ll), 1.0)  # responsibility of the Beta component
    else:
        ll = lbb
        s = np.ones_like(lbb)
    w = np.ones_like(ll) if weights is None else weights
    dab = special.digamma(a + b) - special.digamma(a + b + n)
    d_la = a * (special.digamma(a + c) - special.digamma(a) + dab)
    d_lb = b * (special.digamma(b + n - c) - special.digamma(b) + dab)
    g_u = (1 - s - pi0) if (fit_pi0 and pi0_fixed is None) else np.zeros_like(ll)
    grad = -np.array([np.dot(w, g_u), np.dot(w, s * d_la), np.dot(w, s * d_lb)])
    return -float(np.dot(w, ll)), grad


@dataclass
class MixtureFit:
    """A fitted Beta mixture with its ceiling and, when bootstrapped, replicate parameters."""
    mixture: BetaMixture
    nll: float
    method: str  # "counts" or "curve"
    n_problems: int | None = None
    ceiling_ci: tuple[float, float] | None = None
    identifiable: bool | None = None
    boot: np.ndarray | None = None  # (n_boot, 3): pi0, a, b
    profile: pd.DataFrame | None = None
    extras: dict = field(default_factory=dict)

    @property
    def ceiling(self) -> float:
        return 1 - self.mixture.pi0


def _moment_start(n, c):
    p = c / n
    pos = p[c > 0]
    if pos.size >= 2 and pos.var() > 0:
        m, v = pos.mean(), pos.var()
        conc = max(m * (1 - m) / v - 1, 0.05)
        return float(np.clip(m * conc, 1e-2, 50)), float(np.clip((1 - m) * conc, 1e-2, 1e5))
    return 0.5, 5.0


def fit_beta_mixture_counts(n, c, weights=None, *, fit_pi0: bool = True,
                            start: np.ndarray | None = None) -> MixtureFit:
    """Maximum-likelihood (pi0, a, b) from per-problem counts (several starts, SLSQP with the analytic gradient)."""
    n, c = _counts(n, c)
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        if weights.shape != n.shape or np.any(weights < 0):
            raise ParameterError("weights must be non-negative, one per problem")
    bounds = [LOGIT_PI0_BOUNDS, LOG_A_BOUNDS, LOG_B_BOUNDS]
    if start is not None:
        starts = [np.asarray(start, dtype=float)]
    else:
        a0, b0 = _moment_start(n, c)
        zero_share = float(np.mean(c == 0))
        starts = []
        for pz in (1e-4, 0.5 * zero_share, 0.9 * zero_share):
            for ab in ((a0, b0), (0.3, 30.0), (1.0, 1.0)):
                starts.append(np.array([special.logit(np.clip(pz, 1e-5, 0.99)), np.log(ab[0]), np.log(ab[1])]))
    best = None
    comb = log_binomial(n, c)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for s0 in starts:
            s0 = np.clip(s0, [lo for lo, _ in bounds], [hi for _, hi in bounds])
            r = optimize.minimize(counts_nll, s0, args=(n, c, weights, fit_pi0, None, comb), jac=True,
                                  method=OPTIMIZER, bounds=bounds)
            if np.isfinite(r.fun) and (best is None or r.fun < best.fun):
                best = r
    if best is None:  # pragma: no cover - defensive
        raise DataError("the Beta-mixture fit failed on these counts")
    pi0, a, b = _unpack(best.x)
    pi0 = float(pi0) if fit_pi0 else 0.0
    if pi0 <= special.expit(LOGIT_PI0_BOUNDS[0]) * 1.01:
        pi0 = 0.0  # at the lower bound: no never-solved share
    fit = MixtureFit(BetaMixture(pi0, float(a), float(b)), float(best.fun), "counts", int(n.size))
    fit.extras["theta"] = np.asarray(best.x, dtype=float)
    return fit


def _profile_interval(grid: np.ndarray, i0: int, evaluate: Callable, start: np.ndarray,
                      stop_at: float = 4 * PROFILE_CRIT + 10, xtol: float = 1e-5):
    """Profile-likelihood interval over a 1-D ``grid`` of ceilings.

    ``evaluate(value, warm_start) -> (delta, solution)`` returns the profile NLL minus (min NLL + crit).
    Walks outwards from index ``i0`` with warm starts, stops a direction once far outside, and refines the
    two ends by root finding (to ``xtol``). Returns (lo, hi, table of the evaluated profile).
    """
    prof = np.full(grid.size, np.nan)
    sols: list = [None] * grid.size
    for direction in (range(i0, grid.size), range(i0 - 1, -1, -1)):
        s = start
        for i in direction:
            prof[i], sols[i] = evaluate(grid[i], s)
            s = sols[i]
            if prof[i] > stop_at:
                break

    def root(i_in, i_out):
        lo_, hi_ = sorted((grid[i_in], grid[i_out]))
        return optimize.brentq(lambda g: evaluate(g, sols[i_in])[0], lo_, hi_, xtol=xtol)

    inside = np.flatnonzero(prof <= 0)
    if inside.size == 0:
        v = float(grid[i0])
        return v, v, pd.DataFrame({"ceiling": grid, "delta_nll": prof + PROFILE_CRIT})
    i, j = inside.min(), inside.max()
    lo = grid[i] if (i == 0 or not np.isfinite(prof[i - 1])) else root(i, i - 1)
    hi = grid[j] if (j == grid.size - 1 or not np.isfinite(prof[j + 1])) else root(j, j + 1)
    return float(lo), float(hi), pd.DataFrame({"ceiling": grid, "delta_nll": prof + PROFILE_CRIT})


def profile_counts_ceiling(n, c, fit: MixtureFit, weights=None, points: int = 30,
                           max_width: float = 0.2, xtol: float = 1e-5) -> MixtureFit:
    """Profile-likelihood interval of the ceiling 1 - pi0 from counts (sets ``ceiling_ci``, ``identifiable``).

    The ceiling cannot lie below the share of problems with a success, so the grid runs from that share
    to 1. Unlike the bootstrap, the profile stays honest when the estimate sits at pi0 = 0. ``xtol``: the
    root finding's tolerance on the interval's ends.
    """
    n, c = _counts(n, c)
    floor = float(np.mean(c > 0))
    bounds = [LOG_A_BOUNDS, LOG_B_BOUNDS]
    comb = log_binomial(n, c)

    def evaluate(ceil, start):
        pz = min(max(1.0 - ceil, 0.0), 1 - floor)

        def sub(t):
            v, g = counts_nll(np.r_[0.0, t], n, c, weights, True, pz, comb)
            return v, g[1:]
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            r = optimize.minimize(sub, start, jac=True, method=OPTIMIZER, bounds=bounds)
        return r.fun - fit.nll - PROFILE_CRIT, r.x

    grid = np.unique(np.concatenate([np.linspace(max(floor, 1e-3), 1.0, points), [fit.ceiling]]))
    i0 = int(np.argmin(np.abs(grid - fit.ceiling)))
    lo, hi, table = _profile_interval(grid, i0, evaluate, fit.extras["theta"][1:], xtol=xtol)
    fit.ceiling_ci = (lo, hi)
    fit.identifiable = bool(hi - lo <= max_width)
    fit.profile = table
    return fit


def bootstrap_counts_fit(n, c, n_boot: int, rng: np.random.Generator, *, fit_pi0: bool = True,
                         max_width: float = 0.2, profile_points: int = 30,
                         fit: MixtureFit | None = None, profile_xtol: float = 1e-5) -> MixtureFit:
    """MLE, a percentile bootstrap over problems (resamples are multiplicity weights, warm-started) for
    derived quantities, and the profile-likelihood interval of the ceiling (``profile_counts_ceiling``)."""
    n, c = _counts(n, c)
    fit = fit or fit_beta_mixture_counts(n, c, fit_pi0=fit_pi0)
    W = bootstrap.counts(n.size, n_boot, rng)
    reps = np.empty((n_boot, 3))
    for i in range(n_boot):  # one optimisation per bootstrap replicate (not a loop over problems)
        r = fit_beta_mixture_counts(n, c, W[i], fit_pi0=fit_pi0, start=fit.extras["theta"])
        reps[i] = (r.mixture.pi0, r.mixture.a, r.mixture.b)
    fit.boot = reps
    fit.extras["boot_ceiling_ci"] = boot_interval(1 - reps[:, 0], max_width)[:2]
    return profile_counts_ceiling(n, c, fit, max_width=max_width, points=profile_points, xtol=profile_xtol)


def boot_interval(values, max_width: float = 0.2) -> tuple[float, float, bool]:
    """Percentile interval (95%) of bootstrap values and whether it is narrow enough to call identified."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float("nan"), float("nan"), False
    lo, hi = np.quantile(v, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return float(lo), float(hi), bool(hi - lo <= max_width)


def mixture_fit_asymptote(fit: MixtureFit, aggregation: str, selector: Selector = Selector(),
                          n_nodes: int = 512, max_width: float = 0.2) -> dict:
    """Asymptote of a counts fit under one aggregation, with its bootstrap interval."""
    m = fit.mixture
    point = mixture_asymptote(m.pi0, m.a, m.b, aggregation, selector, n_nodes)
    if fit.boot is None:
        return {"asymptote": point, "ci": [None, None], "identifiable": False}
    vals = mixture_asymptote(fit.boot[:, 0], fit.boot[:, 1], fit.boot[:, 2], aggregation, selector, n_nodes)
    lo, hi, ok = boot_interval(vals, max_width)
    return {"asymptote": point, "ci": [lo, hi], "identifiable": ok}


def mixture_band(fit: MixtureFit, k, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coverage curve of a counts fit with its pointwise bootstrap band."""
    k = _ks(k)
    m = fit.mixture
    f = sampling.beta_coverage(k, m.a, m.b, m.pi0)
    if fit.boot is None:
        return f, np.full_like(f, np.nan), np.full_like(f, np.nan)
    B = fit.boot
    curves_ = sampling.beta_coverage(k[None, :], B[:, 1:2], B[:, 2:3], B[:, 0:1])
    lo, hi = np.quantile(curves_, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return f, lo, hi

