"""Reasoning ceiling: can a non-reasoning model buy its way to a reasoning model's accuracy?

Model
-----
Each model has a per-problem single-sample success probability p. Over the problems p follows a
Beta mixture with a never-solved share (Schaeffer et al. 2025):

    p = 0 with probability pi0,   p ~ Beta(a, b) otherwise;   mean accuracy  m = (1-pi0)·a/(a+b).

Internal scaling (training a reasoning protocol) changes this distribution, including pi0.
External scaling (k samples and an aggregation rule) moves along a curve A(k) whose limit the
distribution fixes. Aggregations (their per-problem curves live in ``helpers.sampling``):

- ``pass_at_k`` (perfect verifier, coverage): A(k) = (1-pi0)·(1 - B(a, b+k)/B(a, b))
  (``sampling.beta_coverage``);  limit 1 - pi0, the share of problems with p > 0.
- ``majority_vote`` (wrong answers concentrate on one rival with share r of the wrong mass,
  ``wrong_concentration``): A(k) = E[majority_vote(p, k, r)];  limit E[majority_vote_limit(p, r)]
  = (1-pi0)·P(p > r/(1+r)) for the mixture: the share of problems whose right answer is the mode.
- ``verifier`` (learned verifier, true/false positive rates tpr, fpr): A(k) = E[verifier_select(p, k)];
  limit E[p·tpr / (p·tpr + (1-p)·fpr)] (``sampling.verifier_limit``).

All three equal m at k = 1. Expectations over the Beta part use ``n_nodes`` quantile nodes
p_j = F^{-1}((j + 1/2)/n_nodes; a, b) with equal weights (error of a step function ≤ 1/n_nodes);
coverage uses the exact closed form.

Catch-up budget
---------------
Target t = the reasoning model's single-sample accuracy. The non-reasoning model needs
k* = min{k : A_NR(k) >= t}: found on a grid (every k up to ``dense_until``, then geometric) and refined
by integer bisection inside the first bracket, where the curve is taken to be monotone. If no grid point
reaches t and t >= the limit, k* = infinity (``samples_needed`` None, reason ``above_asymptote``); if t
is below the limit but beyond ``k_max``, reason ``beyond_k_max``. Majority vote can rise and then fall
(problems with p < r(1-p) lose votes as k grows), so a grid point above t at small k is reported with
status ``transient`` when the limit is below t (reached, then lost again). Tokens needed = k*·tokens_NR (+ k*·verifier_tokens); cost ratio at prices
(per token) price_NR, price_R against one reasoning sample:

    cost_ratio = k*·(tokens_NR·price_NR + verifier_tokens·price_verifier) / (tokens_R·price_R).

Fitting (pi0, a, b)
-------------------
Per-problem counts (c_i correct of n_i samples): beta-binomial likelihood with a point mass at zero,

    L_i = pi0·[c_i = 0] + (1-pi0)·C(n_i, c_i)·B(a + c_i, b + n_i - c_i) / B(a, b),

maximised over (logit pi0, log a, log b) by SLSQP with an analytic gradient (vectorized over problems;
optional weights, which the bootstrap uses). Aggregate pass@k curve only: least squares or binomial
likelihood (``curves.nll``) of ``sampling.beta_coverage``; with ``read_sd`` (reading error of a
digitised figure) a Gaussian likelihood with variance y(1-y)/n + read_sd².

Intervals: the ceiling 1 - pi0 gets a profile-likelihood interval (threshold chi2_1(0.95)/2), from counts
(grid from the share solved at least once up to 1) or from a curve. The profile stays honest when the
estimate sits at pi0 = 0, where a bootstrap collapses to a point. Everything derived from a counts fit
(majority-vote and verifier limits, curve bands) gets a percentile bootstrap over problems (problems
resampled with replacement, ``n_boot`` resamples, seeded Generator, warm-started refits). A ceiling is *identifiable* when its 95% interval is no wider than
``max_width``; otherwise notebooks say "not identified" rather than quote the point estimate.

The generic forms of ``helpers.curves`` are compared on the same curves; the exponentiated power law
coverage ≈ exp(-alpha·k^(-beta)) (``fit_exp_power_law``) has its ceiling fixed at 1 by construction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from . import curves, datasets, sampling
from .validate import DataError, ParameterError

AGGREGATIONS = ("pass_at_k", "majority_vote", "verifier")
KINDS = ("reasoning", "non_reasoning")
LEVEL = 0.95
PROFILE_CRIT = stats.chi2.ppf(LEVEL, 1) / 2
LOGIT_PI0_BOUNDS = (-14.0, 14.0)
LOG_A_BOUNDS = (np.log(1e-3), np.log(1e3))
LOG_B_BOUNDS = (np.log(1e-3), np.log(1e7))
# SLSQP rather than L-BFGS-B: scipy's L-BFGS-B calls multithreaded BLAS on 3x3 problems, which costs
# milliseconds per iteration on a busy machine; SLSQP finds the same optima about 15 times faster here.
OPTIMIZER = "SLSQP"


# ---------------------------------------------------------------- the generative model


@dataclass(frozen=True)
class BetaMixture:
    """Per-problem p: 0 with probability pi0, else Beta(a, b)."""
    pi0: float
    a: float
    b: float

    def __post_init__(self):
        if not (0.0 <= self.pi0 < 1.0):
            raise ParameterError(f"pi0 must lie in [0, 1), got {self.pi0!r}")
        if not (self.a > 0 and self.b > 0 and np.isfinite(self.a) and np.isfinite(self.b)):
            raise ParameterError(f"Beta parameters must be positive and finite, got a={self.a!r}, b={self.b!r}")

    @property
    def mean(self) -> float:
        """Single-sample accuracy (1-pi0)·a/(a+b)."""
        return (1 - self.pi0) * self.a / (self.a + self.b)

    @classmethod
    def from_mean(cls, mean: float, pi0: float, concentration: float) -> "BetaMixture":
        """Mixture with a given overall mean, never-solved share and Beta concentration a+b."""
        if concentration <= 0:
            raise ParameterError("concentration must be positive")
        m = mean / (1 - pi0)
        if not (0 < m < 1):
            raise ParameterError(f"mean {mean!r} is not reachable with pi0 = {pi0!r} (needs mean < 1 - pi0)")
        return cls(pi0, m * concentration, (1 - m) * concentration)

    def sample(self, n_problems: int, rng: np.random.Generator) -> np.ndarray:
        return sampling.sample_beta_mixture(n_problems, self.a, self.b, self.pi0, rng)


@dataclass(frozen=True)
class Selector:
    """How samples are aggregated: wrong-answer concentration for majority vote, verifier rates."""
    wrong_concentration: float = 0.5
    tpr: float = 0.9
    fpr: float = 0.1

    def __post_init__(self):
        for name in ("wrong_concentration", "tpr", "fpr"):
            v = getattr(self, name)
            if not (0.0 <= v <= 1.0):
                raise ParameterError(f"{name} must lie in [0, 1], got {v!r}")


def _check_aggregation(aggregation: str) -> str:
    if aggregation not in AGGREGATIONS:
        raise ParameterError(f"aggregation {aggregation!r} is not one of {list(AGGREGATIONS)}")
    return aggregation


def mixture_nodes(pi0, a, b, n_nodes: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Quantile nodes of the mixture: p (..., n_nodes + 1) and weights; the last node is the point mass at 0.

    ``pi0, a, b`` may be arrays of equal shape (e.g. bootstrap replicates); nodes broadcast over them.
    """
    pi0, a, b = (np.asarray(v, dtype=float) for v in (pi0, a, b))
    u = (np.arange(n_nodes) + 0.5) / n_nodes
    p = stats.beta.ppf(u, a[..., None], b[..., None])
    p = np.concatenate([p, np.zeros(p.shape[:-1] + (1,))], axis=-1)
    w = np.concatenate([np.broadcast_to(((1 - pi0) / n_nodes)[..., None], p.shape[:-1] + (n_nodes,)),
                        pi0[..., None] * np.ones(p.shape[:-1] + (1,))], axis=-1)
    return p, w


def _ks(k) -> np.ndarray:
    k = np.atleast_1d(np.asarray(k, dtype=float))
    if np.any(k < 1) or np.any(k != np.floor(k)):
        raise ParameterError("sample counts k must be whole numbers >= 1")
    return k


def weighted_curve(p, w, aggregation: str, k, selector: Selector = Selector()) -> np.ndarray:
    """A(k) = sum_j w_j·f(p_j, k) for a discrete p distribution (problems or mixture nodes)."""
    _check_aggregation(aggregation)
    p = np.asarray(p, dtype=float)
    w = np.asarray(w, dtype=float)
    k = _ks(k)
    if aggregation == "pass_at_k":
        return (w[:, None] * sampling.coverage(p[:, None], k[None, :])).sum(axis=0)
    if aggregation == "verifier":
        return (w[:, None] * sampling.verifier_select(p[:, None], k[None, :], selector.tpr, selector.fpr)).sum(axis=0)
    # majority vote costs O(len(p)·max k) per budget: one budget at a time bounds memory
    return np.array([float(np.dot(w, sampling.majority_vote(p, int(kk), selector.wrong_concentration)))
                     for kk in k])


def weighted_asymptote(p, w, aggregation: str, selector: Selector = Selector()) -> float:
    """k -> infinity limit of ``weighted_curve``."""
    _check_aggregation(aggregation)
    p = np.asarray(p, dtype=float)
    w = np.asarray(w, dtype=float)
    if aggregation == "pass_at_k":
        return float(np.dot(w, p > 0))
    if aggregation == "majority_vote":
        return float(np.dot(w, sampling.majority_vote_limit(p, selector.wrong_concentration)))
    return float(np.dot(w, sampling.verifier_limit(p, selector.tpr, selector.fpr)))


def mixture_curve(mix: BetaMixture, aggregation: str, k, selector: Selector = Selector(),
                  n_nodes: int = 512) -> np.ndarray:
    """Expected accuracy of k samples under ``aggregation`` for a Beta mixture (coverage exact)."""
    _check_aggregation(aggregation)
    if aggregation == "pass_at_k":
        return np.atleast_1d(sampling.beta_coverage(_ks(k), mix.a, mix.b, mix.pi0))
    p, w = mixture_nodes(mix.pi0, mix.a, mix.b, n_nodes)
    return weighted_curve(p, w, aggregation, k, selector)


def mixture_asymptote(pi0, a, b, aggregation: str, selector: Selector = Selector(), n_nodes: int = 512):
    """Limit of ``mixture_curve``; vectorized over arrays of (pi0, a, b) (bootstrap replicates)."""
    _check_aggregation(aggregation)
    pi0 = np.asarray(pi0, dtype=float)
    if aggregation == "pass_at_k":
        out = 1 - pi0
    else:
        p, w = mixture_nodes(pi0, a, b, n_nodes)
        if aggregation == "majority_vote":
            f = sampling.majority_vote_limit(p, selector.wrong_concentration)
        else:
            f = sampling.verifier_limit(p, selector.tpr, selector.fpr)
        out = (w * f).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def majority_vote_ceiling_closed_form(mix: BetaMixture, wrong_concentration: float) -> float:
    """(1-pi0)·P(p > r/(1+r)) for p ~ Beta(a, b): the majority-vote limit of the mixture in closed form."""
    r = float(wrong_concentration)
    return float((1 - mix.pi0) * stats.beta.sf(r / (1 + r), mix.a, mix.b))


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


def bootstrap_weights(n_items: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n_items) multiplicities of a resample with replacement (each row sums to n_items)."""
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    if n_boot < 1:
        raise ParameterError("n_boot must be >= 1")
    idx = rng.integers(0, n_items, size=(n_boot, n_items))
    flat = (idx + n_items * np.arange(n_boot)[:, None]).ravel()
    return np.bincount(flat, minlength=n_boot * n_items).reshape(n_boot, n_items).astype(float)


# ---------------------------------------------------------------- maximum likelihood from counts


def _unpack(theta):
    u, la, lb = theta
    return special.expit(u), np.exp(la), np.exp(lb)


def counts_nll(theta, n, c, weights=None, fit_pi0: bool = True, pi0_fixed: float | None = None):
    """Negative log-likelihood and gradient in (logit pi0, log a, log b); see the module docstring.

    ``fit_pi0=False`` fixes pi0 = 0; ``pi0_fixed`` fixes it at a value (the gradient's first entry is then 0).
    """
    pi0, a, b = _unpack(theta)
    if pi0_fixed is not None:
        pi0 = float(pi0_fixed)
    elif not fit_pi0:
        pi0 = 0.0
    lbb = (special.gammaln(n + 1) - special.gammaln(c + 1) - special.gammaln(n - c + 1)
           + special.betaln(a + c, b + n - c) - special.betaln(a, b))
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
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for s0 in starts:
            s0 = np.clip(s0, [lo for lo, _ in bounds], [hi for _, hi in bounds])
            r = optimize.minimize(counts_nll, s0, args=(n, c, weights, fit_pi0), jac=True,
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
                      stop_at: float = 4 * PROFILE_CRIT + 10):
    """Profile-likelihood interval over a 1-D ``grid`` of ceilings.

    ``evaluate(value, warm_start) -> (delta, solution)`` returns the profile NLL minus (min NLL + crit).
    Walks outwards from index ``i0`` with warm starts, stops a direction once far outside, and refines the
    two ends by root finding. Returns (lo, hi, table of the evaluated profile).
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
        return optimize.brentq(lambda g: evaluate(g, sols[i_in])[0], lo_, hi_, xtol=1e-5)

    inside = np.flatnonzero(prof <= 0)
    if inside.size == 0:
        v = float(grid[i0])
        return v, v, pd.DataFrame({"ceiling": grid, "delta_nll": prof + PROFILE_CRIT})
    i, j = inside.min(), inside.max()
    lo = grid[i] if (i == 0 or not np.isfinite(prof[i - 1])) else root(i, i - 1)
    hi = grid[j] if (j == grid.size - 1 or not np.isfinite(prof[j + 1])) else root(j, j + 1)
    return float(lo), float(hi), pd.DataFrame({"ceiling": grid, "delta_nll": prof + PROFILE_CRIT})


def profile_counts_ceiling(n, c, fit: MixtureFit, weights=None, points: int = 30,
                           max_width: float = 0.2) -> MixtureFit:
    """Profile-likelihood interval of the ceiling 1 - pi0 from counts (sets ``ceiling_ci``, ``identifiable``).

    The ceiling cannot lie below the share of problems with a success, so the grid runs from that share
    to 1. Unlike the bootstrap, the profile stays honest when the estimate sits at pi0 = 0.
    """
    n, c = _counts(n, c)
    floor = float(np.mean(c > 0))
    bounds = [LOG_A_BOUNDS, LOG_B_BOUNDS]

    def evaluate(ceil, start):
        pz = min(max(1.0 - ceil, 0.0), 1 - floor)

        def sub(t):
            v, g = counts_nll(np.r_[0.0, t], n, c, weights, True, pz)
            return v, g[1:]
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            r = optimize.minimize(sub, start, jac=True, method=OPTIMIZER, bounds=bounds)
        return r.fun - fit.nll - PROFILE_CRIT, r.x

    grid = np.unique(np.concatenate([np.linspace(max(floor, 1e-3), 1.0, points), [fit.ceiling]]))
    i0 = int(np.argmin(np.abs(grid - fit.ceiling)))
    lo, hi, table = _profile_interval(grid, i0, evaluate, fit.extras["theta"][1:])
    fit.ceiling_ci = (lo, hi)
    fit.identifiable = bool(hi - lo <= max_width)
    fit.profile = table
    return fit


def bootstrap_counts_fit(n, c, n_boot: int, rng: np.random.Generator, *, fit_pi0: bool = True,
                         max_width: float = 0.2, profile_points: int = 30,
                         fit: MixtureFit | None = None) -> MixtureFit:
    """MLE, a percentile bootstrap over problems (resamples are multiplicity weights, warm-started) for
    derived quantities, and the profile-likelihood interval of the ceiling (``profile_counts_ceiling``)."""
    n, c = _counts(n, c)
    fit = fit or fit_beta_mixture_counts(n, c, fit_pi0=fit_pi0)
    W = bootstrap_weights(n.size, n_boot, rng)
    reps = np.empty((n_boot, 3))
    for i in range(n_boot):  # one optimisation per bootstrap replicate (not a loop over problems)
        r = fit_beta_mixture_counts(n, c, W[i], fit_pi0=fit_pi0, start=fit.extras["theta"])
        reps[i] = (r.mixture.pi0, r.mixture.a, r.mixture.b)
    fit.boot = reps
    fit.extras["boot_ceiling_ci"] = boot_interval(1 - reps[:, 0], max_width)[:2]
    return profile_counts_ceiling(n, c, fit, max_width=max_width, points=profile_points)


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


# ---------------------------------------------------------------- fits to an aggregate curve


def _curve_nll(f, y, n, read_sd):
    if read_sd is not None:
        var = y * (1 - y) / (n if n is not None else np.inf) + read_sd ** 2
        return float(0.5 * np.sum((y - f) ** 2 / var + np.log(2 * np.pi * var)))
    return curves.nll(f, y, n)


def _check_curve(k, y, n):
    k = np.asarray(k, dtype=float)
    y = np.asarray(y, dtype=float)
    if k.ndim != 1 or k.shape != y.shape or k.size < 3:
        raise ParameterError("a curve needs at least 3 (samples, accuracy) points")
    if np.any(k < 1) or np.any(k != np.floor(k)):
        raise ParameterError("samples must be whole numbers >= 1")
    if np.any(~np.isfinite(y)) or np.any((y < 0) | (y > 1)):
        raise ParameterError("accuracies must lie in [0, 1]")
    if n is not None:
        n = np.broadcast_to(np.asarray(n, dtype=float), k.shape)
        if np.any(n <= 0):
            raise ParameterError("n (problems per point) must be positive")
    o = np.argsort(k)
    return k[o], y[o], (None if n is None else n[o])



def _curve_objective(theta, k, y, n, read_sd, pi0_fixed=None, ab_only=False):
    """NLL of a pass@k curve under the Beta mixture and its gradient in (logit pi0, log a, log b)."""
    pi0 = special.expit(theta[0]) if pi0_fixed is None else float(pi0_fixed)
    a, b = np.exp(theta[1]), np.exp(theta[2])
    f = sampling.beta_coverage(k, a, b, pi0)
    R = np.exp(special.betaln(a, b + k) - special.betaln(a, b))  # B(a, b+k)/B(a, b), for the gradient
    fc = np.clip(f, curves.EPS, 1 - curves.EPS)
    if read_sd is not None:
        var = y * (1 - y) / (n if n is not None else np.inf) + read_sd ** 2
        val = float(0.5 * np.sum((y - f) ** 2 / var + np.log(2 * np.pi * var)))
        dval = (f - y) / var
    elif n is not None:
        val = curves.nll(f, y, n)
        dval = -n * (y / fc - (1 - y) / (1 - fc))
    else:
        val = curves.nll(f, y, None)
        rss = max(float(np.sum((y - f) ** 2)), 1e-300)
        dval = -y.size * (y - f) / rss
    dab = special.digamma(a + b) - special.digamma(a + b + k)
    df_la = -(1 - pi0) * a * R * dab
    df_lb = -(1 - pi0) * b * R * (special.digamma(b + k) - special.digamma(b) + dab)
    df_u = -(1 - R) * pi0 * (1 - pi0) if pi0_fixed is None else np.zeros_like(f)
    grad = np.array([np.dot(dval, df_u), np.dot(dval, df_la), np.dot(dval, df_lb)])
    return val, (grad[1:] if ab_only else grad)


def fit_beta_mixture_curve(k, y, n=None, *, read_sd: float | None = None, max_width: float = 0.2,
                           profile_points: int = 40) -> MixtureFit:
    """Fit (pi0, a, b) to an aggregate pass@k curve; profile-likelihood interval of the ceiling 1 - pi0."""
    k, y, n = _check_curve(k, y, n)

    bounds = [LOGIT_PI0_BOUNDS, LOG_A_BOUNDS, LOG_B_BOUNDS]
    top = float(y.max())
    best = None
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for ceil0 in (min(top + 0.02, 0.999), 0.9999):
            for a0, b0 in ((0.2, 2.0), (1.0, 1.0), (0.5, 10.0)):
                s0 = np.array([special.logit(1 - ceil0), np.log(a0), np.log(b0)])
                r = optimize.minimize(_curve_objective, s0, args=(k, y, n, read_sd, None), jac=True,
                                      method=OPTIMIZER, bounds=bounds)
                if np.isfinite(r.fun) and (best is None or r.fun < best.fun):
                    best = r
    pi0, a, b = _unpack(best.x)
    pi0 = 0.0 if pi0 <= special.expit(LOGIT_PI0_BOUNDS[0]) * 1.01 else float(pi0)
    fit = MixtureFit(BetaMixture(pi0, float(a), float(b)), float(best.fun), "curve", None)
    fit.extras["theta"] = np.asarray(best.x, dtype=float)

    # profile over the ceiling: for each fixed ceiling minimise over (log a, log b)
    def evaluate(ceil, start):
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            r = optimize.minimize(lambda t: _curve_objective(np.r_[0.0, t], k, y, n, read_sd, 1 - ceil, True),
                                  start, jac=True, method=OPTIMIZER, bounds=bounds[1:])
        return r.fun - best.fun - PROFILE_CRIT, r.x

    grid = np.unique(np.concatenate([np.linspace(max(1e-3, top - 0.1), 1.0, profile_points), [fit.ceiling]]))
    i0 = int(np.argmin(np.abs(grid - fit.ceiling)))
    lo, hi, fit.profile = _profile_interval(grid, i0, evaluate, best.x[1:])
    fit.ceiling_ci = (lo, hi)
    fit.identifiable = bool(hi - lo <= max_width)
    return fit


@dataclass
class ExpPowerFit:
    """coverage ≈ exp(-alpha·k^(-beta)): a generic form whose ceiling is 1 by construction."""
    alpha: float
    beta: float
    nll: float

    def predict(self, k):
        return np.exp(-self.alpha * np.power(np.asarray(k, dtype=float), -self.beta))

    asymptote = 1.0


def fit_exp_power_law(k, y, n=None, *, read_sd: float | None = None) -> ExpPowerFit:
    """Fit -log coverage = alpha·k^(-beta) (Brown et al. 2024) by the same likelihood as the mixture."""
    k, y, n = _check_curve(k, y, n)

    def obj(t):
        return _curve_nll(np.exp(-np.exp(t[0]) * k ** (-np.exp(t[1]))), y, n, read_sd)
    best = None
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for s in ([np.log(0.5), np.log(0.3)], [np.log(3.0), np.log(0.1)], [np.log(1.0), np.log(1.0)]):
            r = optimize.minimize(obj, np.array(s), method=OPTIMIZER, bounds=[(-10, 6), (-8, 2)])
            if best is None or r.fun < best.fun:
                best = r
    return ExpPowerFit(float(np.exp(best.x[0])), float(np.exp(best.x[1])), float(best.fun))


def generic_ceilings(k, y, n=None, forms=("power_saturating", "logistic_log")) -> pd.DataFrame:
    """Ceilings of the generic forms of ``helpers.curves`` (plus the exp power law) on one curve."""
    rows = []
    for form in forms:
        f = curves.fit_curve(k, y, n, form)
        lo, hi = f.asymptote_ci
        rows.append({"method": form, "asymptote": f.asymptote, "lo": lo, "hi": hi,
                     "identifiable": bool(f.asymptote_identifiable), "fit": f})
    e = fit_exp_power_law(k, y, n)
    rows.append({"method": "exp_power_law", "asymptote": 1.0, "lo": 1.0, "hi": 1.0, "identifiable": False, "fit": e})
    return pd.DataFrame(rows)


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


# ---------------------------------------------------------------- simulation and user data


def simulate_counts(mix: BetaMixture, n_problems: int, n_samples: int, rng: np.random.Generator):
    """True per-problem p and binomial counts c ~ Binomial(n_samples, p)."""
    p = mix.sample(n_problems, rng)
    c = rng.binomial(int(n_samples), p)
    return p, c


def pythia_parameters(model: str) -> float:
    """Parameter count from a name such as 'Pythia 160M' or 'Pythia 2.8B' (compute per token ∝ params)."""
    m = re.search(r"([\d.]+)\s*([MB])\b", model)
    if not m:
        raise ParameterError(f"cannot read a parameter count from model name {model!r}")
    return float(m.group(1)) * (1e6 if m.group(2) == "M" else 1e9)


def read_scaling_path(path: str | Path) -> pd.DataFrame:
    """Read a user's scaling-path CSV.

    Columns: model (str), kind (reasoning|non_reasoning), samples (whole number >= 1), accuracy in [0, 1];
    optional tokens_per_sample (> 0; NaN when absent), aggregation (pass_at_k|majority_vote|verifier;
    default pass_at_k). Errors name the file and the CSV line (header = line 1). Each model keeps one kind;
    each (model, aggregation, samples) appears once; at least one model of each kind.
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"model": str, "kind": str, "aggregation": str})
    df.columns = [str(c).strip() for c in df.columns]
    datasets.require_columns(df, ["model", "kind", "samples", "accuracy"], p)
    line = lambda i: f"line {int(i) + 2}"  # noqa: E731
    model = df["model"].astype("string").str.strip()
    bad = model.isna() | (model == "")
    if bad.any():
        raise DataError(f"{p}, {line(np.flatnonzero(bad.to_numpy())[0])}: column 'model' is empty")
    df["model"] = model.astype(str)
    kind = df["kind"].astype("string").str.strip()
    datasets.check_rows(pd.DataFrame({"kind": kind}), p, [("kind", lambda s: s.isin(KINDS).fillna(False),
                                                            f"is not one of {list(KINDS)}")])
    df["kind"] = kind.astype(str)
    if "aggregation" in df:
        agg = df["aggregation"].astype("string").str.strip().fillna("pass_at_k")
        agg = agg.where(agg != "", "pass_at_k")
        datasets.check_rows(pd.DataFrame({"aggregation": agg}), p,
                            [("aggregation", lambda s: s.isin(AGGREGATIONS), f"is not one of {list(AGGREGATIONS)}")])
        df["aggregation"] = agg.astype(str)
    else:
        df["aggregation"] = "pass_at_k"
    df = datasets.to_numeric(df, ["samples", "accuracy"], p)
    datasets.check_rows(df, p, [("samples", lambda s: (s >= 1) & (s == np.floor(s)), "is not a whole number >= 1"),
                                ("accuracy", lambda s: (s >= 0) & (s <= 1), "is outside [0, 1]")])
    if "tokens_per_sample" in df:
        tok = pd.to_numeric(df["tokens_per_sample"], errors="coerce")
        bad = (tok.isna() & df["tokens_per_sample"].notna() & (df["tokens_per_sample"].astype(str).str.strip() != "")) \
            | (tok <= 0) | np.isinf(tok)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, {line(i)}: column 'tokens_per_sample' = {df['tokens_per_sample'].iloc[i]!r} "
                            f"is not a positive number")
        df["tokens_per_sample"] = tok.astype(float)
    else:
        df["tokens_per_sample"] = np.nan
    first_kind = df.groupby("model")["kind"].transform("first")
    bad = df["kind"] != first_kind
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: model {df['model'].iloc[i]!r} has kind {df['kind'].iloc[i]!r} but an "
                        f"earlier row says {first_kind.iloc[i]!r}")
    dup = df.duplicated(["model", "aggregation", "samples"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: duplicate (model, aggregation, samples) = "
                        f"({df['model'].iloc[i]!r}, {df['aggregation'].iloc[i]!r}, {int(df['samples'].iloc[i])})")
    missing = [kd for kd in KINDS if kd not in set(df["kind"])]
    if missing:
        raise DataError(f"{p}: needs at least one model of each kind; none of kind {missing}")
    df["samples"] = df["samples"].astype("int64")
    df["accuracy"] = df["accuracy"].astype(float)
    return df[["model", "kind", "samples", "accuracy", "tokens_per_sample", "aggregation"]].reset_index(drop=True)


def published_scaling_path(table: pd.DataFrame, reasoning: str, non_reasoning: str) -> pd.DataFrame:
    """The RL-vs-base pass@k reproduction in the ``read_scaling_path`` schema (RL-trained = reasoning)."""
    need = {"model", "k", "pass_at_k"}
    if not need <= set(table.columns):
        raise DataError(f"pass@k table lacks columns {sorted(need - set(table.columns))}")
    kinds = {reasoning: "reasoning", non_reasoning: "non_reasoning"}
    t = table[table["model"].isin(kinds)]
    if set(t["model"]) != set(kinds):
        raise DataError(f"pass@k table lacks model(s) {sorted(set(kinds) - set(t['model']))}")
    return pd.DataFrame({"model": t["model"].astype(str), "kind": t["model"].map(kinds).astype(str),
                         "samples": t["k"].astype("int64"), "accuracy": t["pass_at_k"].astype(float),
                         "tokens_per_sample": np.nan, "aggregation": "pass_at_k"}).reset_index(drop=True)


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
    partly supported: anything in between; inconclusive: no aggregation has evidence."""
    st = per_agg.loc[per_agg["ceiling_status"] != "no evidence", "ceiling_status"]
    if st.empty:
        return "inconclusive"
    if (st == "holds").all():
        return "supported"
    if (st == "breaks").all():
        return "not supported"
    return "partly supported"
