"""Adaptive versus uniform allocation of inference compute at an equal total budget (claim 3).

Model
-----
Problem i has a success curve S_i(k) (probability that k samples solve it) and a cost per sample c_i (1
unless given: tokens or dollars). A *mean budget* B (samples per problem) is a total spend T = B·Σ_i c_i.
With single-sample success probability p_i and a perfect verifier the curve is coverage,

    S_i(k) = 1 - (1 - p_i)^k,       marginal gain of the (k+1)-th sample  g_i(k) = p_i (1 - p_i)^k,

which decreases in k. Every curve used here has non-increasing gains (S concave), so greedy on gain per
unit cost is optimal, and greedy is *water-filling*: pick a threshold λ and give each problem every sample
whose gain per cost is at least λ,

    k_i(λ) = #{k >= 0 : g_i(k) >= λ c_i}   [coverage: floor(log(λ c_i / p_i) / log(1 - p_i)) + 1, p_i >= λ c_i],

bisect on log λ until Σ c_i k_i(λ) brackets T, then hand the marginal samples (gain inside the final
bracket) out by gain, ties in a seeded random order, so the spend is T within one sample. Curves without a
closed-form count are counted by integer bisection on k (their gains are monotone).

Policies (all spend the same T; all vectorized over problems and over leading axes of budgets/replicates):

- ``uniform``              k_i = floor(B); the remainder goes to a seeded random subset (one extra each),
                            so the total is exact.
- ``oracle_greedy``        water-filling on each problem's own curve (the truth, or the evaluation curve of
                            logged counts below): the best any allocation can do with full knowledge.
- ``binned_predicted``     problems are put in difficulty bins by a predictor (a noisy score logit(p) + σ·ε,
                            other models' success on the problem, or a human label such as the MATH level);
                            every member of bin j gets the same k_j (one more for a random subset, for
                            exactness), chosen greedily on the bin's mean curve S̄_j(k) = mean_{i in j} S_i(k)
                            (its gains decrease too). Uniform is a bin-constant allocation, so this is never
                            worse than uniform in-sample; as σ grows the bins become random, their curves
                            equal, and the policy tends to uniform.
- ``probe_then_allocate``  m probe samples for every problem (drawn with the seeded rng); problems solved
                            during the probe need nothing more (perfect verifier); the rest goes by
                            water-filling on the posterior mean (X_i + 1/2)/(m + 1), which under a perfect
                            verifier is the same for every unsolved problem (all have X_i = 0). Expected
                            success: S_i(m + k_i^u), with k_i^u what problem i gets if the probe leaves it
                            unsolved (for problems the probe solved: the count at the final threshold).
- ``early_stop``           sample each problem sequentially and stop at its first verified success, with a
                            common cap K. For p > 0 the spend is geometric truncated at K:
                                E[min(G, K)] = (1 - (1-p)^K) / p,      success 1 - (1-p)^K,
                            (K for p = 0). The cap is the largest K with expected spend <= T; a seeded random
                            subset gets cap K+1 until the expected spend is T within one sample.

Logged data: n_i samples with c_i correct (``CountPopulation``), evaluated three ways
- ``replay`` (needs k <= n_i): S is the unbiased pass@k, 1 - C(n-c, k)/C(n, k) (``sampling.pass_at_k``),
  with gains g(k) = C(n-c, k)/C(n, k)·c/(n-k); early stopping replays the logged samples in random order,
      E[min(T, K)] = Σ_{j<K} C(n-c, j)/C(n, j) = (n+1)/(c+1)·[1 - C(n-c, K)/C(n+1, K)],
  and probes draw without replacement (hypergeometric). Allocations are capped at n_i: nothing is
  extrapolated.
- ``plugin`` (k > n_i allowed): p̂ = c/n is taken as the truth. Biased: a problem with c = 0 is read as
  unsolvable (with n = 5 its p could be up to about 0.45 at 95%), which flatters triage; and Jensen's
  inequality makes plug-in coverage of problems with c > 0 too low on average.
- ``posterior``: a zero-inflated Beta-binomial prior (share π0 with p = 0, else Beta(a, b)), fitted by
  maximum marginal likelihood, gives each problem a posterior, and S is the posterior mean coverage
      S(k) = (1 - w0)·(1 - B(a', b'+k)/B(a', b')),   a' = a + c, b' = b + n - c,  w0 = P(p = 0 | c, n),
      g(k) = (1 - w0)·B(a'+1, b'+k)/B(a', b'),
  early stopping costs w0·K + (1-w0)·Σ_{j<K} B(a', b'+j)/B(a', b'), with the closed form
      Σ_{j<K} B(a, b+j)/B(a, b) = (a+b-1)/(a-1)·[1 - Γ(b+K)Γ(a+b-1) / (Γ(b)Γ(a+b-1+K))]   (a != 1),
                                 = b·(ψ(b+K) - ψ(b))                                      (a = 1).
  The tail of S at large k comes from the prior, not from data: read ratios at large budgets with care.

Efficiency ratio: the budget uniform needs to reach the accuracy a policy reaches at B, divided by B
(Snell et al.'s "4x" in these terms), B_u(acc_policy(B)) / B_u(U(B)). The uniform curve U is evaluated at
integer budgets on a dense grid and inverted by interpolation in log budget; the denominator is B wherever
U rises and the start of the plateau where it does not (so equal accuracy at a ceiling is 1, not a
spurious ratio below 1). An accuracy above the largest evaluated U is *censored* (reported as None with a
flag). Where U is flat a small accuracy gain maps to a large ratio, so the accuracy gain at equal budget is
reported alongside.

Bins with more than ``q_max`` members (only in large synthetic populations) represent their mean curve by
``q_max`` evenly spaced order statistics of the members' p; smaller bins use every member (exact).

Bootstrap over problems: replicates resample problems (jointly across models when they share a problem
set). Uniform, probe and early stopping are re-run on each replicate; the oracle and binned policies keep
their knowledge (each problem's curve; each bin's curve) and re-solve only the threshold λ for the
replicate's budget, from a table of allocations on a fine grid of λ (linear interpolation in spend between
grid points, i.e. the marginal samples shared out fractionally).

Other selectors (for "where the claim breaks"): majority vote and a learned verifier (``helpers.sampling``)
need not be concave in k; ``lagrangian_table_allocation`` maximizes S_ik - λ c_i k per problem (the concave
envelope of any success table).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from . import datasets, sampling
from .validate import DataError, ParameterError

POLICIES = ("uniform", "oracle_greedy", "binned_predicted", "probe_then_allocate", "early_stop")
ADAPTIVE_POLICIES = POLICIES[1:]
REALISTIC_POLICIES = ("binned_predicted", "probe_then_allocate", "early_stop")
DIFFICULTY_BINS = ("easy", "medium", "hard", "unsolvable")
MODES = ("replay", "plugin", "posterior")
POOLED = "all models"
_LOG_MIN = float(np.log(1e-300))
_K_MAX = 2.0 ** 45  # search bound for the early-stopping cap (effectively unbounded)


# ============================================================================ small utilities

def _rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator (seeded by the caller)")
    return rng


def _costs(cost, shape):
    if cost is None:
        return np.ones(shape)
    c = np.broadcast_to(np.asarray(cost, dtype=float), shape)
    if np.any(~np.isfinite(c)) or np.any(c <= 0):
        raise ParameterError("cost per sample must be positive and finite")
    return c


def _gather(arr, idx):
    """arr[..., idx] along the last axis, broadcasting arr's leading axes against idx's (idx may add axes)."""
    arr = np.asarray(arr)
    idx = np.asarray(idx)
    if arr.ndim == 1:
        return arr[idx]
    a = arr
    while a.ndim < idx.ndim:
        a = a[..., None, :]
    a = np.broadcast_to(a, np.broadcast_shapes(a.shape[:-1], idx.shape[:-1]) + (arr.shape[-1],))
    return np.take_along_axis(a, np.broadcast_to(idx, a.shape[:-1] + (idx.shape[-1],)), axis=-1)


def _prefix_fill(m, unit, remaining, key, rng):
    """Hand out up to ``m`` extra units per problem, in ascending ``key`` order (ties: random), while the
    running spend (``unit`` per extra) stays within ``remaining``. Shapes (..., N); ``remaining`` (...).

    Only the problem at the boundary may receive part of its ``m``; the leftover is below one unit.
    """
    m = np.asarray(m, dtype=float)
    shape = m.shape
    unit = np.broadcast_to(np.asarray(unit, dtype=float), shape)
    key = np.broadcast_to(np.asarray(key, dtype=float), shape)
    # ties in random order: a perturbation far below any distinct key difference (1e-9 in log gain)
    order = np.argsort(np.where(np.isfinite(key), key, np.inf) + 1e-9 * rng.random(shape), axis=-1)
    ms = np.take_along_axis(m, order, axis=-1)
    us = np.take_along_axis(unit, order, axis=-1)
    mc = ms * us
    before = np.cumsum(mc, axis=-1) - mc
    room = np.asarray(remaining, dtype=float)[..., None] - before
    with np.errstate(divide="ignore", invalid="ignore"):
        take = np.where(us > 0, np.floor(room / np.where(us > 0, us, 1.0) + 1e-9), np.where(room >= -1e-9, ms, 0))
    take = np.clip(take, 0, ms)
    out = np.zeros(shape)
    np.put_along_axis(out, order, take, axis=-1)
    return out


def _bisect_count(log_gain, log_thr, upper):
    """#{k in [0, upper): log_gain(k) >= log_thr} for non-increasing gains, by integer bisection."""
    lo = np.zeros(np.broadcast_shapes(np.shape(log_thr), np.shape(upper)))
    hi = np.broadcast_to(np.asarray(upper, dtype=float), lo.shape).copy()
    hi = np.where(np.isfinite(hi), np.maximum(hi, 0), 2.0 ** 40)
    for _ in range(80):
        active = hi > lo
        if not active.any():
            break
        mid = np.ceil(0.5 * (lo + hi))
        ok = log_gain(np.maximum(mid - 1, 0)) >= log_thr
        lo = np.where(active & ok, mid, lo)
        hi = np.where(active & ~ok, mid - 1, hi)
    return lo


class _GeomGains:
    """Coverage gains g(k) = p (1-p)^k with log p and log(1-p) computed once (closed-form counts)."""

    def __init__(self, p):
        p = np.asarray(p, dtype=float)
        self.interior = (p > 0) & (p < 1)
        self.one = p >= 1
        with np.errstate(divide="ignore", invalid="ignore"):
            self.logp = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf)
            self.log1m = np.where(self.interior, np.log1p(-np.where(self.interior, p, 0.5)), -1.0)

    def count(self, log_thr, cap=np.inf):
        """#{k >= 0: log g(k) >= log_thr}, capped at ``cap``."""
        pos = self.logp >= log_thr
        with np.errstate(invalid="ignore", over="ignore"):
            r = (log_thr - self.logp) / self.log1m
        n = np.where(pos & self.interior, np.floor(np.minimum(r, 1e15)) + 1.0, np.where(pos & self.one, 1.0, 0.0))
        return np.minimum(n, cap)

    def log_gain(self, k):
        k = np.asarray(k, dtype=float)
        lg = self.logp + np.where(k > 0, k * self.log1m, 0.0)
        return np.where(self.one & (k > 0), -np.inf, lg)


# ============================================================================ populations

class ProbPopulation:
    """Problems with known single-sample success probabilities ``p`` (coverage under a perfect verifier)."""

    mode = "known"
    evaluation = "exact coverage 1-(1-p)^k"

    def __init__(self, p, cost=None, label: str = "known p"):
        self.p = sampling._probs(p)
        if self.p.ndim < 1 or self.p.shape[-1] == 0:
            raise ParameterError("a population needs at least one problem")
        self.cost = np.ones(self.p.shape) if cost is None else _costs(cost, self.p.shape).copy()
        self.label = label
        self._gg = None

    # ---- shape and knowledge
    @property
    def n_problems(self) -> int:
        return self.p.shape[-1]

    @property
    def p_point(self) -> np.ndarray:
        return self.p

    @property
    def p_raw(self) -> np.ndarray:
        return self.p

    difficulty_p = p_raw
    cap = None

    def take(self, idx) -> "ProbPopulation":
        return ProbPopulation(_gather(self.p, idx), _gather(self.cost, idx), self.label)

    def with_axis(self) -> "ProbPopulation":
        """A copy with a length-1 axis before the problems (for a budget axis)."""
        return ProbPopulation(self.p[..., None, :], self.cost[..., None, :], self.label)

    # ---- curves
    def _geom(self):
        if self._gg is None:
            self._gg = _GeomGains(self.p)
        return self._gg

    def success(self, k) -> np.ndarray:
        k = np.asarray(k, dtype=float)
        p = self.p
        with np.errstate(divide="ignore", invalid="ignore"):
            log_fail = np.log1p(-np.minimum(p, 1 - 1e-16))
            out = -np.expm1(np.where(k > 0, k * log_fail, 0.0))
        return np.where(k > 0, np.where(p >= 1, 1.0, out), 0.0)

    def log_gain(self, k) -> np.ndarray:
        return self._geom().log_gain(k)

    def count(self, log_thr, upper=np.inf) -> np.ndarray:
        return self._geom().count(log_thr, upper)

    def stop_cost(self, K) -> np.ndarray:
        """E[min(G, K)], G ~ Geometric(p) on {1, 2, ...}: (1-(1-p)^K)/p, or K when p = 0."""
        K = np.asarray(K, dtype=float)
        p = self.p
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = -np.expm1(K * np.log1p(-np.minimum(p, 1 - 1e-16))) / np.where(p > 0, p, 1.0)
        out = np.where(p > 0, frac, K)
        return np.where(p >= 1, np.minimum(K, 1.0), out)

    def probe(self, m, rng) -> np.ndarray:
        """Successes among m fresh samples (binomial)."""
        shape = np.broadcast_shapes(np.shape(m), self.p.shape)
        return rng.binomial(np.broadcast_to(m, shape).astype(np.int64), np.broadcast_to(self.p, shape))


class CountPopulation:
    """Problems observed through logged samples: ``n`` samples with ``c`` correct; see the module docstring."""

    def __init__(self, n, c, cost=None, mode: str = "replay", prior: tuple[float, float, float] | None = None,
                 label: str = "logged counts", _post=None):
        self.n = np.asarray(n, dtype=float)
        self.c = np.asarray(c, dtype=float)
        if self.n.shape != self.c.shape or self.n.ndim < 1 or self.n.shape[-1] == 0:
            raise ParameterError("n and c must be non-empty arrays of the same shape")
        if _post is None and (np.any(self.n <= 0) or np.any(self.c < 0) or np.any(self.c > self.n) or
                              np.any(self.n != np.round(self.n)) or np.any(self.c != np.round(self.c))):
            raise ParameterError("counts need whole numbers with 0 <= c <= n and n > 0")
        if mode not in MODES:
            raise ParameterError(f"mode {mode!r} is not one of {MODES}")
        self.mode = mode
        self.label = label
        self.cost = np.ones(self.n.shape) if cost is None else _costs(cost, self.n.shape).copy()
        self.prior = prior
        self._plug = None
        if mode == "posterior":
            if _post is not None:
                self._w0, self._a, self._b = _post
            else:
                if self.prior is None:
                    self.prior = fit_zero_inflated_beta(self.n, self.c)
                a, b, pi0 = self.prior
                bb0 = np.exp(stats.betabinom.logpmf(0, self.n.astype(np.int64), a, b))
                w0 = pi0 / (pi0 + (1 - pi0) * bb0) if pi0 > 0 else np.zeros(self.n.shape)
                self._w0 = np.where(self.c == 0, w0, 0.0)
                self._a = a + self.c
                self._b = b + self.n - self.c
        elif mode == "plugin":
            self._plug = ProbPopulation(self.c / self.n, self.cost)

    @property
    def evaluation(self) -> str:
        return {"replay": "unbiased pass@k from the logged samples (k <= n)",
                "plugin": "plug-in coverage with p = c/n (biased: c = 0 read as unsolvable)",
                "posterior": "posterior-mean coverage under a fitted zero-inflated Beta prior"}[self.mode]

    @property
    def n_problems(self) -> int:
        return self.n.shape[-1]

    @property
    def p_raw(self) -> np.ndarray:
        return self.c / self.n

    @property
    def p_point(self) -> np.ndarray:
        if self.mode == "posterior":
            return (1 - self._w0) * self._a / (self._a + self._b)
        return self.c / self.n

    @property
    def difficulty_p(self) -> np.ndarray:
        """p used for difficulty bins: c/n, or the posterior mean with c = 0 kept at 0 (never solved)."""
        return np.where(self.c == 0, 0.0, self.p_point)

    @property
    def cap(self):
        return self.n if self.mode == "replay" else None

    def _arrays(self):
        post = (self._w0, self._a, self._b) if self.mode == "posterior" else None
        return self.n, self.c, self.cost, post

    def take(self, idx) -> "CountPopulation":
        n, c, cost, post = self._arrays()
        post2 = None if post is None else tuple(_gather(x, idx) for x in post)
        return CountPopulation(_gather(n, idx), _gather(c, idx), _gather(cost, idx), self.mode, self.prior,
                               self.label, _post=post2)

    def with_axis(self) -> "CountPopulation":
        n, c, cost, post = self._arrays()
        post2 = None if post is None else tuple(x[..., None, :] for x in post)
        return CountPopulation(n[..., None, :], c[..., None, :], cost[..., None, :], self.mode, self.prior,
                               self.label, _post=post2)

    # ---- curves
    def success(self, k) -> np.ndarray:
        k = np.asarray(k, dtype=float)
        if self.mode == "plugin":
            return self._plug.success(k)
        if self.mode == "replay":
            n, c, kb = np.broadcast_arrays(self.n, self.c, k)
            return np.where(kb > 0, sampling.pass_at_k(n, c, np.clip(kb, 1, n)), 0.0)
        a, b, w0 = self._a, self._b, self._w0
        with np.errstate(invalid="ignore"):
            s = (1 - w0) * -np.expm1(special.betaln(a, b + k) - special.betaln(a, b))
        return np.where(k > 0, s, 0.0)

    def log_gain(self, k) -> np.ndarray:
        """log(S(k+1) - S(k)) (-inf for no gain)."""
        k = np.asarray(k, dtype=float)
        if self.mode == "plugin":
            return self._plug.log_gain(k)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.mode == "replay":
                n, c = self.n, self.c
                ok = (k < n - c + 1) & (k < n) & (c > 0)
                kk = np.where(ok, k, 0.0)
                lg = (special.gammaln(n - c + 1) - special.gammaln(n - c - kk + 1) - special.gammaln(n + 1)
                      + special.gammaln(n - kk + 1) + np.log(np.where(c > 0, c, 1.0)) - np.log(n - kk))
                return np.where(ok, lg, -np.inf)
            a, b, w0 = self._a, self._b, self._w0
            lg = np.log1p(-w0) + special.betaln(a + 1, b + k) - special.betaln(a, b)
            return np.where(w0 < 1, lg, -np.inf)

    def count(self, log_thr, upper=np.inf) -> np.ndarray:
        """#{k: log_gain(k) >= log_thr} below min(upper, cap) (closed form for plug-in, else bisection)."""
        if self.mode == "plugin":
            return self._plug.count(log_thr, upper)
        up = upper if self.cap is None else np.minimum(upper, self.cap)
        return _bisect_count(self.log_gain, log_thr, up)

    def stop_cost(self, K) -> np.ndarray:
        K = np.asarray(K, dtype=float)
        if self.mode == "plugin":
            return self._plug.stop_cost(K)
        if self.mode == "replay":
            n, c = self.n, self.c
            Ke = np.minimum(K, n)
            ok = Ke <= n - c
            with np.errstate(invalid="ignore"):
                log_r = (special.gammaln(n - c + 1) - special.gammaln(n - c - np.where(ok, Ke, 0) + 1)
                         - special.gammaln(n + 2) + special.gammaln(n + 2 - Ke))
            ratio = np.where(ok, np.exp(np.where(ok, log_r, 0.0)), 0.0)
            return (n + 1) / (c + 1) * (1 - ratio)
        return self._w0 * K + (1 - self._w0) * beta_geometric_partial_sum(self._a, self._b, K)

    def probe(self, m, rng) -> np.ndarray:
        shape = np.broadcast_shapes(np.shape(m), self.n.shape)
        mm = np.broadcast_to(m, shape).astype(np.int64)
        if self.mode == "plugin":
            return self._plug.probe(m, rng)
        if self.mode == "replay":
            n = np.broadcast_to(self.n, shape).astype(np.int64)
            c = np.broadcast_to(self.c, shape).astype(np.int64)
            if np.any(mm > n):
                raise ParameterError("probe larger than the logged samples of a problem (replay mode)")
            out = np.zeros(shape, dtype=np.int64)
            ok = mm > 0
            out[ok] = rng.hypergeometric(c[ok], (n - c)[ok], mm[ok])
            return out
        a = np.broadcast_to(self._a, shape)
        b = np.broadcast_to(self._b, shape)
        zero = rng.random(shape) < np.broadcast_to(self._w0, shape)
        p = np.where(zero, 0.0, rng.beta(a, b))
        return rng.binomial(mm, p)


def beta_geometric_partial_sum(a, b, K):
    """Σ_{j<K} B(a, b+j)/B(a, b) = E[min(G, K)] for G geometric with p ~ Beta(a, b) (closed form)."""
    a, b, K = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float), np.asarray(K, float))
    near1 = np.abs(a - 1) < 1e-8
    a_ = np.where(near1, 2.0, a)
    with np.errstate(over="ignore", invalid="ignore"):
        log_r = (special.gammaln(b + K) - special.gammaln(b) - special.gammaln(a_ + b - 1 + K)
                 + special.gammaln(a_ + b - 1))
        gen = (a_ + b - 1) / (a_ - 1) * -np.expm1(log_r)
        one = b * (special.digamma(b + K) - special.digamma(b))
    return np.where(K > 0, np.where(near1, one, gen), 0.0)


def fit_zero_inflated_beta(n, c) -> tuple[float, float, float]:
    """Maximum marginal likelihood (a, b, pi0) of c_i ~ pi0·[c=0] + (1-pi0)·BetaBinomial(n_i, a, b)."""
    n = np.asarray(n, dtype=np.int64).ravel()
    c = np.asarray(c, dtype=np.int64).ravel()
    if n.size == 0:
        raise ParameterError("cannot fit a prior to no problems")
    zero = c == 0

    def nll(th):
        a, b = np.exp(th[0]), np.exp(th[1])
        pi0 = special.expit(th[2])
        ll_bb = stats.betabinom.logpmf(c, n, a, b)
        ll = np.where(zero, np.logaddexp(np.log(pi0), np.log1p(-pi0) + ll_bb), np.log1p(-pi0) + ll_bb)
        return -float(np.sum(ll))

    pbar = float(np.clip(c.sum() / n.sum(), 1e-4, 0.99))
    best = None
    bounds = [(np.log(1e-2), np.log(1e3)), (np.log(1e-2), np.log(1e5)), (-12.0, 6.0)]
    lows, highs = [lo for lo, _ in bounds], [hi for _, hi in bounds]
    for a0 in (0.3, 1.0):
        for z in (-6.0, -1.0, 1.0):
            b0 = a0 * (1 - pbar) / pbar
            x0 = np.clip([np.log(a0), np.log(max(b0, 0.02)), z], lows, highs)
            with np.errstate(all="ignore"):
                r = optimize.minimize(nll, x0, method="L-BFGS-B", bounds=bounds)
            if best is None or r.fun < best.fun:
                best = r
    return float(np.exp(best.x[0])), float(np.exp(best.x[1])), float(special.expit(best.x[2]))


def with_budget_axis(pop):
    """The population with a length-1 axis before the problems, so budgets (nB,) broadcast to (..., nB, N)."""
    return pop.with_axis()


# ============================================================================ water-filling

@dataclass
class FillResult:
    k: np.ndarray           # samples per problem (float array of whole numbers), shape (..., N)
    log_lo: np.ndarray      # final bracket on log λ (gain per unit cost), shape (...): counts at log_hi
    log_hi: np.ndarray      # spend <= T, counts at log_lo spend >= T
    marginal_share: np.ndarray  # share of the marginal samples (gain inside the bracket) handed out
    excess: np.ndarray      # spend beyond every positive-gain sample (wasted), shape (...)


def _water_fill_core(counts, log_gain, top, total, c, capv, rng, max_iter=200) -> FillResult:
    """Bisection on log λ for any non-increasing gains: ``counts(loglam)`` gives #{k: gain_i(k) >= λ c_i}
    (capped), ``log_gain(k)`` the log gain per unit cost of the next sample, ``top`` the largest gain per
    cost in each row. Marginal samples go out by gain (ties random) so the spend is exact within a sample."""
    shape = c.shape
    lead = shape[:-1]
    T = np.broadcast_to(np.asarray(total, dtype=float), lead)
    if np.any(T < 0) or np.any(~np.isfinite(T)):
        raise ParameterError("total budget must be finite and non-negative")

    def spend(k):
        return np.sum(k * c, axis=-1)

    top = np.broadcast_to(top, lead)
    hi = np.where(top > 0, np.log(np.where(top > 0, top, 1.0)) + 1e-9, 0.0)
    lo = hi - 40.0
    n_lo = counts(lo)
    for _ in range(40):
        need = (spend(n_lo) < T) & (lo > _LOG_MIN)
        if not need.any():
            break
        lo = np.where(need, np.maximum(lo - 40.0, _LOG_MIN), lo)
        n_lo = counts(lo)
    n_hi = np.zeros(shape)
    feasible = spend(n_lo) >= T  # rows whose positive gains can absorb the budget
    for _ in range(max_iter):
        gap = np.where(feasible, (n_lo - n_hi).max(axis=-1), 0)
        active = feasible & (gap > 1)
        if not active.any():
            break
        mid = 0.5 * (lo + hi)
        n_mid = counts(mid)
        ge = spend(n_mid) >= T
        take_lo = active & ge
        take_hi = active & ~ge
        lo = np.where(take_lo, mid, lo)
        hi = np.where(take_hi, mid, hi)
        n_lo = np.where(take_lo[..., None], n_mid, n_lo)
        n_hi = np.where(take_hi[..., None], n_mid, n_hi)
        if np.all(np.where(active, (hi - lo) < 1e-13 * np.maximum(1.0, np.abs(lo)), True)):
            break
    k = np.where(feasible[..., None], n_hi, n_lo)
    m = np.where(feasible[..., None], n_lo - n_hi, 0.0)
    R = T - spend(k)
    given = _prefix_fill(m, c, np.where(feasible, R, 0.0), -log_gain(k), rng)
    k = k + given
    share = np.divide(given.sum(axis=-1), m.sum(axis=-1), out=np.zeros(lead), where=m.sum(axis=-1) > 0)
    excess = np.where(feasible, 0.0, T - spend(k))
    if np.any(excess > 0):
        k = k + _spread_evenly(excess, c, capv - k, rng)
    return FillResult(k, np.where(feasible, lo, _LOG_MIN), np.where(feasible, hi, _LOG_MIN), share, excess)


def _spread_evenly(R, c, room, rng):
    """Give every problem the same number of extra samples L (up to its room), the rest to a random subset."""
    R = np.asarray(R, dtype=float)
    room = np.maximum(room, 0)
    lo = np.zeros(R.shape)
    hi = np.ceil(R / c.min(axis=-1)) + 1
    for _ in range(80):
        if not np.any(hi - lo > 1):
            break
        mid = np.floor(0.5 * (lo + hi))
        ok = np.sum(np.minimum(mid[..., None], room) * c, axis=-1) <= R
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    base = np.minimum(lo[..., None], room)
    rest = R - np.sum(base * c, axis=-1)
    extra = _prefix_fill(np.minimum(1.0, room - base), c, rest, np.zeros(base.shape), rng)
    return base + extra


def water_fill(p, total, *, cost=None, cap=None, rng: np.random.Generator) -> FillResult:
    """Greedy allocation of ``total`` spend on coverage gains p(1-p)^k per unit cost (closed-form counts).

    ``p``: (..., N); ``total``: broadcastable to the leading shape; ``cost``/``cap`` per problem (optional).
    Spend is ``total`` within one sample's cost. If every positive-gain sample (within caps) costs less than
    ``total``, the excess is spread evenly over problems with room left (it buys nothing) and reported.
    """
    _rng(rng)
    p = np.asarray(p, dtype=float)
    T = np.asarray(total, dtype=float)
    shape = np.broadcast_shapes(p.shape[:-1], T.shape) + (p.shape[-1],)
    p = np.broadcast_to(p, shape)
    c = _costs(cost, shape)
    capv = np.full(shape, np.inf) if cap is None else np.broadcast_to(np.asarray(cap, dtype=float), shape)
    gg = _GeomGains(p)
    logc = np.log(c)
    return _water_fill_core(lambda loglam: gg.count(loglam[..., None] + logc, capv),
                            lambda k: gg.log_gain(k) - logc,
                            np.where(p > 0, p / c, 0.0).max(axis=-1), T, c, capv, rng)


def fill_population(pop, total, rng: np.random.Generator) -> FillResult:
    """Water-filling on each problem's own curve (``pop.log_gain``/``pop.count``), spending ``total``."""
    _rng(rng)
    T = np.asarray(total, dtype=float)
    shape = np.broadcast_shapes(pop.cost.shape[:-1], T.shape) + (pop.n_problems,)
    c = np.broadcast_to(pop.cost, shape)
    capv = np.full(shape, np.inf) if pop.cap is None else np.broadcast_to(pop.cap, shape).astype(float)
    logc = np.log(c)
    upper = np.floor(np.broadcast_to(T, shape[:-1])[..., None] / c) + 1.0  # nobody gets more than everything

    def counts(loglam):
        return np.broadcast_to(pop.count(loglam[..., None] + logc, upper), shape)

    def log_gain(k):
        return pop.log_gain(k) - logc

    top = np.max(np.exp(np.broadcast_to(pop.log_gain(np.zeros(shape)), shape)) / c, axis=-1)
    return _water_fill_core(counts, log_gain, top, T, c, capv, rng)


# ============================================================================ difficulty bins

def quantile_bins(score, n_bins: int, rng) -> np.ndarray:
    """Bins 0..n_bins-1 by rank of ``score`` along the last axis (ties in random order; 0 = lowest)."""
    _rng(rng)
    score = np.asarray(score, dtype=float)
    if not isinstance(n_bins, (int, np.integer)) or isinstance(n_bins, bool) or n_bins < 1:
        raise ParameterError("n_bins must be a positive integer")
    N = score.shape[-1]
    order = np.lexsort((rng.random(score.shape), score), axis=-1)
    rank = np.empty(score.shape, dtype=np.int64)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(N), score.shape), axis=-1)
    return (rank * n_bins) // N


def noisy_score(p, noise: float, rng, floor: float = 1e-3) -> np.ndarray:
    """A difficulty predictor: logit(clip(p, floor, 1-floor)) + noise·ε, ε ~ N(0, 1) (higher = easier)."""
    _rng(rng)
    if not (np.isfinite(noise) and noise >= 0):
        raise ParameterError("predictor noise must be a finite number >= 0")
    if not (0 < floor < 0.5):
        raise ParameterError("predictor floor must lie in (0, 0.5)")
    p = np.clip(np.asarray(p, dtype=float), floor, 1 - floor)
    return special.logit(p) + noise * rng.standard_normal(p.shape)


def label_bins(labels, order: Sequence[str] | None = None) -> np.ndarray:
    """Integer bins from categorical labels (sorted order unless ``order`` is given)."""
    labels = np.asarray(labels).astype(str)
    cats = list(order) if order is not None else sorted(set(labels.tolist()))
    index = {c: i for i, c in enumerate(cats)}
    if any(lab not in index for lab in set(labels.tolist())):
        raise ParameterError("a label is missing from the given order")
    return pd.Series(labels).map(index).to_numpy(dtype=np.int64)


@dataclass
class _BinCurves:
    """Bin j's mean curve from (at most q_max) representative members: G_j(k) = Σ_q W_jq g_{i_q}(k)."""

    members: object      # population gathered at the representative members, arrays (..., nb, Q)
    W: np.ndarray        # (..., nb, Q) weights summing to 1 in every non-empty bin
    cnt: np.ndarray      # (..., nb) members per bin
    cbar: np.ndarray     # (..., nb) mean cost per member
    capbin: np.ndarray   # (..., nb) smallest cap among members (inf without caps)
    bins: np.ndarray     # (..., N) bin of each problem

    def gain(self, kb):
        lg = self.members.log_gain(np.asarray(kb, dtype=float)[..., None])
        with np.errstate(over="ignore"):
            return np.sum(np.where(self.W > 0, self.W * np.exp(lg), 0.0), axis=-1)

    def counts(self, loglam, upper_total):
        """Bin-level counts #{k: G_j(k) >= λ cbar_j} (..., nb), by integer bisection."""
        theta = np.exp(np.asarray(loglam, dtype=float))[..., None] * self.cbar
        upper = np.minimum(self.capbin, np.floor(np.asarray(upper_total, dtype=float)[..., None]
                                                 / np.maximum(self.cnt * self.cbar, 1e-300)) + 1.0)
        with np.errstate(divide="ignore"):
            log_theta = np.log(theta)
        return _bisect_count(lambda kb: np.log(np.maximum(self.gain(kb), 1e-320)), log_theta,
                             np.where(self.cnt > 0, upper, 0.0))


def bin_curves(pop, bins, q_max: int = 256) -> _BinCurves:
    """Representative members of each bin: all members when a bin has at most ``q_max``, else ``q_max``
    evenly spaced order statistics of the members' point estimate of p (mid-quantiles)."""
    bins = np.asarray(bins).astype(np.int64)
    shape = np.broadcast_shapes(pop.cost.shape, bins.shape)
    b = np.broadcast_to(bins, shape)
    pp = np.broadcast_to(pop.p_point, shape)
    nb = int(b.max()) + 1
    order = np.lexsort((pp, b), axis=-1)
    onehot = b[..., None] == np.arange(nb)
    cnt = onehot.sum(axis=-2)
    start = np.cumsum(cnt, axis=-1) - cnt
    Q = int(max(1, min(q_max, cnt.max())))
    s = np.arange(Q)
    small = cnt[..., None] <= Q
    rank = np.where(small, s, np.floor((s + 0.5) * cnt[..., None] / Q)).astype(np.int64)
    valid = np.where(small, s < cnt[..., None], True) & (cnt[..., None] > 0)
    pos = np.clip(start[..., None] + np.minimum(rank, np.maximum(cnt[..., None] - 1, 0)), 0, shape[-1] - 1)
    member_idx = np.take_along_axis(np.broadcast_to(order[..., None, :], shape[:-1] + (nb, shape[-1])), pos, -1)
    W = np.where(valid, 1.0, 0.0)
    W = W / np.maximum(W.sum(axis=-1, keepdims=True), 1.0)
    c = np.broadcast_to(pop.cost, shape)
    cbar = np.divide(np.sum(onehot * c[..., None], axis=-2), cnt, out=np.ones(cnt.shape), where=cnt > 0)
    if pop.cap is None:
        capbin = np.full(cnt.shape, np.inf)
    else:
        capbin = np.min(np.where(onehot, np.broadcast_to(pop.cap, shape)[..., None], np.inf), axis=-2)
    return _BinCurves(pop.take(member_idx), W, cnt, cbar, capbin, b)


def binned_fill(pop, bins, total, rng: np.random.Generator, q_max: int = 256) -> FillResult:
    """Greedy over bin-constant allocations on the bins' mean curves (module docstring)."""
    _rng(rng)
    T = np.asarray(total, dtype=float)
    bc = bin_curves(pop, bins, q_max)
    shape = np.broadcast_shapes(bc.bins.shape[:-1], T.shape) + (pop.n_problems,)
    b = np.broadcast_to(bc.bins, shape)
    c = np.broadcast_to(pop.cost, shape)
    capv = np.full(shape, np.inf) if pop.cap is None else np.broadcast_to(pop.cap, shape).astype(float)
    nb = bc.cnt.shape[-1]
    onehot = b[..., None] == np.arange(nb)
    Tl = np.broadcast_to(T, shape[:-1])

    def counts(loglam):
        return np.take_along_axis(np.broadcast_to(bc.counts(loglam, Tl), shape[:-1] + (nb,)), b, axis=-1)

    def log_gain(k):
        kb = np.max(np.where(onehot, k[..., None], 0.0), axis=-2)
        with np.errstate(divide="ignore"):
            lg = np.log(bc.gain(kb)) - np.log(bc.cbar)
        return np.take_along_axis(np.broadcast_to(lg, shape[:-1] + (nb,)), b, axis=-1)

    top = np.max(np.where(bc.cnt > 0, bc.gain(np.zeros(bc.cnt.shape)) / bc.cbar, 0.0), axis=-1)
    return _water_fill_core(counts, log_gain, top, T, c, capv, rng)


# ============================================================================ policies

@dataclass
class PolicyResult:
    policy: str
    budget: np.ndarray   # mean budget B per leading row
    total: np.ndarray    # T = B·Σc
    k: np.ndarray        # samples (or cap, for early stopping) per problem
    spent: np.ndarray    # expected spend per problem (cost units)
    success: np.ndarray  # expected success per problem
    info: dict = field(default_factory=dict)

    @property
    def accuracy(self) -> np.ndarray:
        return self.success.mean(axis=-1)

    @property
    def spent_total(self) -> np.ndarray:
        return self.spent.sum(axis=-1)


def _budget_total(pop, budget):
    B = np.asarray(budget, dtype=float)
    if np.any(~np.isfinite(B)) or np.any(B < 0):
        raise ParameterError("budget must be finite and non-negative (mean samples per problem)")
    return B, B * pop.cost.sum(axis=-1)


def _shape(pop, T):
    return np.broadcast_shapes(pop.cost.shape[:-1], np.shape(T)) + (pop.n_problems,)


def uniform_allocation(pop, budget, rng) -> PolicyResult:
    """k_i = floor(B) for all; the remainder to a seeded random subset (one extra each)."""
    _rng(rng)
    B, T = _budget_total(pop, budget)
    shape = _shape(pop, T)
    c = np.broadcast_to(pop.cost, shape)
    Bb = np.broadcast_to(np.asarray(B, dtype=float)[..., None], shape)
    if pop.cap is not None and np.any(np.ceil(Bb) > np.broadcast_to(pop.cap, shape)):
        raise ParameterError("uniform budget exceeds the logged samples of some problem (replay mode)")
    base = np.floor(Bb)
    R = np.broadcast_to(T, shape[:-1]) - np.sum(base * c, axis=-1)
    k = base + _prefix_fill(np.ones(shape), c, R, np.zeros(shape), rng)
    return PolicyResult("uniform", B, T, k, k * c, pop.success(k))


def oracle_greedy(pop, budget, rng) -> PolicyResult:
    """Water-filling on each problem's own curve (truth, or the evaluation curve of logged counts)."""
    B, T = _budget_total(pop, budget)
    f = fill_population(pop, T, rng)
    return PolicyResult("oracle_greedy", B, T, f.k, f.k * pop.cost, pop.success(f.k), {"excess": f.excess})


def binned_predicted(pop, budget, bins, rng, q_max: int = 256) -> PolicyResult:
    """Greedy over bin-constant allocations on the bins' mean curves (``bins``: ints, (..., N))."""
    B, T = _budget_total(pop, budget)
    f = binned_fill(pop, bins, T, rng, q_max)
    return PolicyResult("binned_predicted", B, T, f.k, f.k * pop.cost, pop.success(f.k), {"excess": f.excess})


def probe_then_allocate(pop, budget, m: int, rng, prior=(0.5, 0.5)) -> PolicyResult:
    """m probe samples each; solved problems stop; the rest by water-filling on the posterior mean."""
    _rng(rng)
    if not isinstance(m, (int, np.integer)) or isinstance(m, bool) or m < 1:
        raise ParameterError("probe size m must be a positive integer")
    B, T = _budget_total(pop, budget)
    shape = _shape(pop, T)
    lead = shape[:-1]
    c = np.broadcast_to(pop.cost, shape)
    m_eff = np.minimum(float(m), np.floor(np.broadcast_to(B, lead)))[..., None]  # (..., 1)
    X = pop.probe(np.broadcast_to(m_eff, shape).astype(np.int64), rng)
    solved = X >= 1
    a0, b0 = prior
    p_tilde = np.broadcast_to((X + a0) / (m_eff + a0 + b0), shape)
    p_alloc = np.where(solved, 0.0, p_tilde)
    R = np.maximum(np.broadcast_to(T, lead) - np.sum(m_eff * c, axis=-1), 0.0)
    cap = None if pop.cap is None else np.broadcast_to(pop.cap, shape) - m_eff
    f = water_fill(p_alloc, R, cost=c, cap=cap, rng=rng)
    # expected success S(m + k^u): k^u is what a problem gets if the probe leaves it unsolved; for problems the
    # probe solved, the count at the final threshold (the marginal sample with the share actually handed out)
    # had it been unsolved, a problem's probe would have shown X = 0: its estimate is the unsolved one
    gg = _GeomGains(np.broadcast_to(a0 / (m_eff + a0 + b0), shape))
    capc = np.inf if cap is None else cap
    n_hi = gg.count(f.log_hi[..., None] + np.log(c), capc)
    n_lo = gg.count(f.log_lo[..., None] + np.log(c), capc)
    k_cf = n_hi + f.marginal_share[..., None] * (n_lo - n_hi)
    k_cf = np.minimum(k_cf, np.floor(R[..., None] / c))  # no problem gets more than the rest
    k_u = np.where(solved, k_cf, f.k)
    base = np.floor(k_u)
    s0 = pop.success(m_eff + base)
    success = s0 + (k_u - base) * (pop.success(m_eff + base + 1) - s0)
    spent = (m_eff + f.k) * c
    return PolicyResult("probe_then_allocate", B, T, m_eff + f.k, spent, success,
                        {"solved_in_probe": solved.mean(axis=-1), "m": m_eff[..., 0]})


def early_stop(pop, budget, rng) -> PolicyResult:
    """Sequential sampling with a common cap K (stop at the first verified success); expected spend = T."""
    _rng(rng)
    B, T = _budget_total(pop, budget)
    shape = _shape(pop, T)
    lead = shape[:-1]
    c = np.broadcast_to(pop.cost, shape)
    T = np.broadcast_to(T, lead)

    def cost_at(K):
        return np.sum(c * pop.stop_cost(K[..., None]), axis=-1)

    lo = np.zeros(lead)
    hi = np.ones(lead)
    for _ in range(50):  # grow the bracket until the spend at hi exceeds T (or the cap is effectively unbounded)
        grow = (cost_at(hi) <= T) & (hi < _K_MAX)
        if not grow.any():
            break
        lo = np.where(grow, hi, lo)
        hi = np.where(grow, hi * 2, hi)
    saturated = cost_at(hi) <= T
    for _ in range(64):
        if not np.any(hi - lo > 1):
            break
        mid = np.floor(0.5 * (lo + hi))
        ok = cost_at(mid) <= T
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    K = np.where(saturated, hi, lo)
    Kb = np.broadcast_to(K[..., None], shape)
    base = c * pop.stop_cost(Kb)
    inc = c * pop.stop_cost(Kb + 1) - base
    R = np.where(saturated, 0.0, T - base.sum(axis=-1))
    extra = _prefix_fill(np.ones(shape), inc, R, np.zeros(shape), rng)
    caps = Kb + extra
    if pop.cap is not None:  # replay: sampling stops when the logged samples run out
        capv = np.broadcast_to(pop.cap, shape)
        caps = np.minimum(caps, capv)
        K = np.minimum(K, capv.max(axis=-1))
    spent = c * pop.stop_cost(caps)
    return PolicyResult("early_stop", B, T, caps, spent, pop.success(caps), {"cap": K, "saturated": saturated})


def run_policy(name: str, pop, budget, rng, *, bins=None, probe_m: int = 4) -> PolicyResult:
    """Dispatch one policy by name (``POLICIES``)."""
    if name == "uniform":
        return uniform_allocation(pop, budget, rng)
    if name == "oracle_greedy":
        return oracle_greedy(pop, budget, rng)
    if name == "binned_predicted":
        if bins is None:
            raise ParameterError("binned_predicted needs difficulty bins")
        return binned_predicted(pop, budget, bins, rng)
    if name == "probe_then_allocate":
        return probe_then_allocate(pop, budget, probe_m, rng)
    if name == "early_stop":
        return early_stop(pop, budget, rng)
    raise ParameterError(f"policy {name!r} is not one of {list(POLICIES)}")


def run_policies(pop, budgets, rng, *, bins=None, probe_m: int = 4, policies: Sequence[str] = POLICIES
                 ) -> dict[str, PolicyResult]:
    """Every policy at every budget (budgets become an axis before the problems: results (..., nB, N))."""
    B = np.asarray(budgets, dtype=float)
    if B.ndim != 1:
        raise ParameterError("budgets must be a 1-D list of mean budgets")
    popB = with_budget_axis(pop)
    binsB = None if bins is None else np.asarray(bins)[..., None, :]
    return {name: run_policy(name, popB, B, rng, bins=binsB, probe_m=probe_m) for name in policies}


# ============================================================================ curves and ratios

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


# ============================================================================ difficulty bins and shares

def difficulty_bin(p, hard_max: float, easy_min: float) -> np.ndarray:
    """'unsolvable' (p = 0), 'hard' (0 < p < hard_max), 'medium', 'easy' (p >= easy_min)."""
    if not (0 < hard_max < easy_min <= 1):
        raise ParameterError("difficulty thresholds need 0 < hard_max < easy_min <= 1")
    p = np.asarray(p, dtype=float)
    return np.where(p <= 0, "unsolvable", np.where(p < hard_max, "hard", np.where(p < easy_min, "medium", "easy")))


def budget_share(spent, labels) -> dict[str, float]:
    """Share of the spend on each difficulty bin (``spent`` and ``labels`` (N,))."""
    spent = np.asarray(spent, dtype=float)
    labels = np.asarray(labels)
    tot = spent.sum()
    return {b: (float(spent[labels == b].sum() / tot) if tot > 0 else 0.0) for b in DIFFICULTY_BINS}


def describe_shift(policy_share: dict, uniform_share: dict, tol: float = 0.01) -> dict:
    """How a policy moves budget relative to uniform across difficulty bins (shares in [0, 1]).

    ``triage``: less on unsolvable problems, no more on easy ones, more on the solvable middle (medium or
    hard); ``harder``: more on hard and unsolvable together, less on easy and medium together; ``mixed``:
    neither. Shifts smaller than ``tol`` count as none. Returns label, from (bins losing), to (bins gaining).
    """
    d = {b: float(policy_share.get(b, 0.0)) - float(uniform_share.get(b, 0.0)) for b in DIFFICULTY_BINS}
    frm = [b for b in DIFFICULTY_BINS if d[b] < -tol]
    to = [b for b in DIFFICULTY_BINS if d[b] > tol]
    if d["unsolvable"] < -tol and d["easy"] <= tol and (d["medium"] > tol or d["hard"] > tol):
        label = "triage"
    elif d["hard"] + d["unsolvable"] > tol and d["easy"] + d["medium"] < -tol:
        label = "harder"
    else:
        label = "mixed"
    return {"label": label, "from": frm, "to": to, "shift": d}


# ============================================================================ bootstrap via threshold tables

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


def _weights(idx, N):
    W = np.zeros((idx.shape[0], N))
    rows = np.repeat(np.arange(idx.shape[0]), idx.shape[1])
    np.add.at(W, (rows, idx.ravel()), 1.0)
    return W


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
    shared_draw = rng.integers(0, len(universe), size=(n_boot, len(universe))) if (same and n_boot > 0) else None

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
                rng.integers(0, N, size=(n_boot, N))
            W_all = _weights(idx_all, N)
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


# ============================================================================ other selectors (tables)

def success_table(p, kmax: int, selector: str = "coverage", **kw) -> np.ndarray:
    """S[i, k] for k = 0..kmax under a selector of ``helpers.sampling`` (coverage, majority, verifier)."""
    p = sampling._probs(p)
    k = np.arange(kmax + 1)
    if selector == "coverage":
        S = sampling.coverage(p[:, None], k[None, :])
    elif selector == "majority":
        S = sampling.majority_vote(p[:, None], k[None, :], kw.get("wrong_concentration", 0.5))
    elif selector == "verifier":
        S = sampling.verifier_select(p[:, None], k[None, :], kw.get("tpr", 1.0), kw.get("fpr", 0.0))
    else:
        raise ParameterError(f"selector {selector!r} is not one of ['coverage', 'majority', 'verifier']")
    S = np.asarray(S, dtype=float)
    S[:, 0] = 0.0
    return S


def lagrangian_table_allocation(S, total: float, cost=None, *, rng: np.random.Generator, iters: int = 100):
    """Best allocation on the concave envelope of each row of ``S`` (k = 0..K), spending at most ``total``.

    For λ >= 0 each problem takes k_i(λ) = argmax_k S_ik - λ c_i k (smallest maximizer); bisection on λ
    brackets the budget, and problems whose choice jumps at the threshold are upgraded in random order while
    the budget allows. Optimal for concave rows up to the last partial jump; non-concave rows (majority vote)
    may leave part of the budget unspent (spending it would lower accuracy).
    """
    _rng(rng)
    S = np.asarray(S, dtype=float)
    N, K1 = S.shape
    c = np.ones(N) if cost is None else _costs(cost, (N,))
    ks = np.arange(K1, dtype=float)

    def choose(lam):
        return np.argmax(S - lam * c[:, None] * ks[None, :] + 1e-15 * (-ks[None, :]), axis=1).astype(float)

    lo, hi = 0.0, float(np.max(S[:, 1:] / (c[:, None] * ks[None, 1:]))) + 1e-9 if K1 > 1 else 1.0
    k_lo = choose(lo)
    if np.sum(c * k_lo) <= total:
        return k_lo
    k_hi = choose(hi)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        km = choose(mid)
        if np.sum(c * km) > total:
            lo, k_lo = mid, km
        else:
            hi, k_hi = mid, km
    k = k_hi.copy()
    jump = (k_lo - k_hi) * c
    order = rng.permutation(N)
    room = total - np.sum(c * k)
    cum = np.cumsum(np.where(jump[order] > 0, jump[order], 0.0))
    up = order[(cum <= room + 1e-9) & (jump[order] > 0)]
    k[up] = k_lo[up]
    return k


# ============================================================================ user data

PROBLEM_KINDS = ("non_reasoning", "reasoning")


def read_problems_csv(path) -> pd.DataFrame:
    """Read a user's per-problem counts: problem_id, n_samples, n_correct [, model, difficulty_label, cost, kind].

    The one problems format of notebooks 03 and 07 (the planner reads it through this function too).
    Returns columns model, problem_id, difficulty_label (str, "" when absent), n_samples, n_correct (int64),
    cost (float64, 1.0 when absent), kind (``non_reasoning`` or ``reasoning``; "" when absent: 03 ignores it,
    the planner uses it to tell its two model kinds apart). Raises ``DataError`` naming the file, the CSV
    line and the column of the first bad cell: missing id, blank, non-numeric, infinite or non-whole counts,
    counts of 2^63 or more, n_samples <= 0, negative n_correct, n_correct > n_samples, non-positive cost, a
    kind outside ``PROBLEM_KINDS``, a duplicate problem id within a model; and for an empty file.
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"problem_id": str, "model": str, "difficulty_label": str, "kind": str},
                           keep_default_na=True)
    datasets.require_columns(df, ["problem_id", "n_samples", "n_correct"], p)
    line = datasets._line
    bad_id = df["problem_id"].isna() | (df["problem_id"].astype(str).str.strip() == "")
    if bad_id.any():
        i = int(np.flatnonzero(bad_id.to_numpy())[0])
        raise DataError(f"{p}, line {line(i)}: column 'problem_id' is empty")
    num = ["n_samples", "n_correct"] + (["cost"] if "cost" in df.columns else [])
    df = datasets.to_numeric(df, num, p)
    checks = [("n_samples", lambda s: s == np.round(s), "is not a whole number"),
              ("n_correct", lambda s: s == np.round(s), "is not a whole number"),
              ("n_samples", lambda s: s > 0, "is not positive"),
              ("n_correct", lambda s: s >= 0, "is negative (counts cannot be negative)"),
              ("n_correct", lambda s: s <= df["n_samples"], "exceeds n_samples")]
    if "cost" in df.columns:
        checks.append(("cost", lambda s: np.isfinite(s) & (s > 0), "is not a positive cost per sample"))
    datasets.check_rows(df, p, checks)
    model = df["model"] if "model" in df.columns else pd.Series("all", index=df.index)
    if model.isna().any():
        i = int(np.flatnonzero(model.isna().to_numpy())[0])
        raise DataError(f"{p}, line {line(i)}: column 'model' is empty")
    if "difficulty_label" in df.columns:
        lab = df["difficulty_label"]
        if lab.isna().any():
            i = int(np.flatnonzero(lab.isna().to_numpy())[0])
            raise DataError(f"{p}, line {line(i)}: column 'difficulty_label' is empty "
                            f"(give every row a label or drop the column)")
    else:
        lab = pd.Series("", index=df.index)
    if "kind" in df.columns:
        kind = df["kind"].astype("string").str.strip()
        bad = ~kind.isin(PROBLEM_KINDS).fillna(False).astype(bool)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, line {line(i)}: column 'kind' = {df['kind'].iloc[i]!r} is not one of "
                            f"{list(PROBLEM_KINDS)}")
    else:
        kind = pd.Series("", index=df.index)
    out = pd.DataFrame({"model": model.astype(str).str.strip(), "problem_id": df["problem_id"].astype(str).str.strip(),
                        "difficulty_label": lab.astype(str).str.strip(),
                        "n_samples": df["n_samples"].astype("int64"), "n_correct": df["n_correct"].astype("int64"),
                        "cost": (df["cost"] if "cost" in df.columns else pd.Series(1.0, index=df.index)).astype("float64"),
                        "kind": kind.astype(str)})
    dup = out.duplicated(["model", "problem_id"], keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        first = int(np.flatnonzero(((out["model"] == out["model"].iloc[i]) &
                                    (out["problem_id"] == out["problem_id"].iloc[i])).to_numpy())[0])
        raise DataError(f"{p}, line {line(i)}: duplicate problem_id {out['problem_id'].iloc[i]!r} for model "
                        f"{out['model'].iloc[i]!r} (first seen on line {line(first)})")
    return out


def leave_one_out_score(frame: pd.DataFrame, *, group: str = "model", unit: str = "problem_id",
                        value: str = "p_hat") -> pd.Series:
    """Predicted ease of each (group, unit) row from the other groups: mean of ``value`` over the other
    groups on the same unit (NaN when no other group saw the unit). A realistic difficulty predictor:
    how well other models did on the problem."""
    g = frame.groupby(unit)[value]
    tot, cnt = g.transform("sum"), g.transform("count")
    return ((tot - frame[value]) / (cnt - 1)).where(cnt > 1)


# ============================================================================ logged data -> populations

def terminal_bench_counts(trials: pd.DataFrame) -> pd.DataFrame:
    """Per (model, task) counts from ``datasets.terminal_bench_trials()``: n_samples = trials, n_correct =
    successes, cost = mean total tokens per trial (the price of one more attempt at that task)."""
    g = trials.groupby(["model", "task"], sort=True)
    out = g.agg(n_samples=("success", "size"), n_correct=("success", "sum"), cost=("total_tokens", "mean"))
    out = out.reset_index().rename(columns={"task": "problem_id"})
    out["cost"] = out["cost"].clip(lower=1.0)
    out["difficulty_label"] = ""
    return out.astype({"n_samples": "int64", "n_correct": "int64", "cost": "float64"})


def cost_bench_counts(runs: pd.DataFrame) -> pd.DataFrame:
    """Per (setup, task) counts from ``datasets.cost_bench_runs()``: attempts, passes, mean billed USD per
    attempt as the cost; ``model`` is the setup."""
    g = runs.groupby(["setup", "task"], sort=True)
    out = g.agg(n_samples=("passed", "size"), n_correct=("passed", "sum"), cost=("billed_usd", "mean"))
    out = out.reset_index().rename(columns={"setup": "model", "task": "problem_id"})
    out["cost"] = out["cost"].clip(lower=1e-6)
    out["difficulty_label"] = ""
    return out.astype({"n_samples": "int64", "n_correct": "int64", "cost": "float64"})


@dataclass
class PreparedCounts:
    pops: dict
    ids: dict
    bins: dict
    predictor: dict   # model -> description of the difficulty predictor used for the bins
    spearman: dict    # model -> Spearman correlation of the predictor with c/n


def prepare_counts(frame: pd.DataFrame, budgets, rng: np.random.Generator, *, coarse_mode: str = "posterior",
                   cost_weighted: bool = True, predictor: str = "auto", n_bins: int = 5, noise: float = 1.0,
                   floor: float = 1e-3, label_order: Sequence[str] | None = None) -> PreparedCounts:
    """Populations, ids and difficulty bins per model from a counts frame (model, problem_id, n_samples,
    n_correct, cost, difficulty_label).

    Evaluation: ``replay`` (unbiased pass@k) when every problem of the model has at least max(budgets)
    samples, else ``coarse_mode`` ("posterior" or "plugin"). Costs are rescaled to mean 1 within a model
    (``cost_weighted=False`` ignores them). Predictor for ``binned_predicted``: ``"label"`` (the
    difficulty_label column), ``"other_models"`` (mean c/n of the other models on the same problem),
    ``"noisy"`` (logit(c/n) + noise·ε), or ``"auto"``: label if given, else other models if any, else noisy.
    ``label_order`` lists labels from hardest to easiest (only the reported Spearman depends on it).
    """
    _rng(rng)
    if coarse_mode not in ("posterior", "plugin"):
        raise ParameterError(f"coarse_mode {coarse_mode!r} is not one of ['posterior', 'plugin']")
    if predictor not in ("auto", "label", "other_models", "noisy"):
        raise ParameterError(f"predictor {predictor!r} is not one of ['auto', 'label', 'other_models', 'noisy']")
    bmax = float(np.max(budgets))
    f = frame.sort_values(["model", "problem_id"], kind="stable").reset_index(drop=True).copy()
    f["p_hat"] = f["n_correct"] / f["n_samples"]
    has_label = "difficulty_label" in f and (f["difficulty_label"].astype(str) != "").all()
    n_models = f["model"].nunique()
    kind = predictor
    if kind == "auto":
        kind = "label" if has_label else ("other_models" if n_models > 1 else "noisy")
    if kind == "label" and not has_label:
        raise ParameterError("predictor 'label' needs a difficulty_label on every row")
    if kind == "other_models":
        f["loo"] = leave_one_out_score(f)
    out = PreparedCounts({}, {}, {}, {}, {})
    for m, g in f.groupby("model", sort=True):
        n = g["n_samples"].to_numpy(float)
        c = g["n_correct"].to_numpy(float)
        cost = g["cost"].to_numpy(float) if (cost_weighted and "cost" in g) else np.ones(len(g))
        cost = cost / cost.mean()
        mode = "replay" if n.min() >= bmax else coarse_mode
        out.pops[m] = CountPopulation(n, c, cost, mode=mode, label=str(m))
        out.ids[m] = g["problem_id"].astype(str).to_numpy()
        if kind == "label":
            b = label_bins(g["difficulty_label"].astype(str).to_numpy(), label_order)
            score = b.astype(float)  # for the Spearman only: label_order runs from hardest to easiest
            desc = "difficulty label"
        elif kind == "other_models":
            score = g["loo"].to_numpy(float)
            score = np.where(np.isnan(score), np.nanmean(score) if np.isfinite(score).any() else 0.0, score)
            b = quantile_bins(score, n_bins, rng)
            desc = "other models' success rate on the problem"
        else:
            score = noisy_score(c / n, noise, rng, max(floor, 0.5 / n.min()))
            b = quantile_bins(score, n_bins, rng)
            desc = f"noisy logit(c/n), sd {noise:g}"
        out.bins[m] = b
        out.predictor[m] = desc
        rho = stats.spearmanr(score, c / n).statistic if np.ptp(score) > 0 and np.ptp(c / n) > 0 else np.nan
        out.spearman[m] = float(rho)
    return out


# ============================================================================ sweeps for "where it holds and where it breaks"

def noise_sweep(pop, noises, budgets, rng: np.random.Generator, *, n_bins: int = 5, floor: float = 1e-3,
                grid=None, uniform_acc=None) -> pd.DataFrame:
    """``binned_predicted`` with a noisy predictor logit(p) + σ·ε for each σ: Spearman correlation of the
    predictor with p, accuracy and efficiency ratio at each budget. Columns: noise, spearman, mean_budget,
    accuracy, ratio."""
    budgets = np.asarray(budgets, dtype=float)
    if grid is None:
        grid = integer_grid(budgets.max() * 64)
    if uniform_acc is None:
        uniform_acc = uniform_curve(pop, grid)
    rows = []
    for s in noises:  # a handful of noise levels
        score = noisy_score(pop.p_point, float(s), rng, floor)
        bins = quantile_bins(score, n_bins, rng)
        r = binned_predicted(with_budget_axis(pop), budgets, bins[None, :], rng)
        ratio = efficiency_ratio(grid, uniform_acc, r.accuracy, budgets)
        rho = stats.spearmanr(score, pop.p_point).statistic
        rows += [{"noise": float(s), "spearman": float(rho), "mean_budget": float(B), "accuracy": float(a),
                  "ratio": float(q)} for B, a, q in zip(budgets, r.accuracy, ratio)]
    return pd.DataFrame(rows)


def heterogeneity_sweep(pi0s, concentrations, mean_p: float, n_problems: int, budget: float,
                        rng: np.random.Generator, *, policies=("oracle_greedy", "early_stop"),
                        uniform_factor: float = 64) -> pd.DataFrame:
    """Efficiency ratios on Beta-mixture populations: share pi0 unsolvable, Beta(mean·κ, (1-mean)·κ) for the
    rest (small κ = widely spread difficulty, large κ = every solvable problem alike). Columns: pi0,
    concentration, policy, ratio, gain (accuracy minus uniform's)."""
    if not (0 < mean_p < 1):
        raise ParameterError("mean_p must lie in (0, 1)")
    grid = integer_grid(budget * uniform_factor)
    rows = []
    for pi0 in pi0s:  # a handful of grid cells
        for kappa in concentrations:
            p = sampling.sample_beta_mixture(n_problems, mean_p * kappa, (1 - mean_p) * kappa, pi0, rng)
            pop = ProbPopulation(p)
            U = uniform_curve(pop, grid)
            base = uniform_allocation(pop, budget, rng).accuracy
            for k in policies:
                acc = run_policy(k, pop, budget, rng).accuracy
                rows.append({"pi0": float(pi0), "concentration": float(kappa), "policy": k,
                             "ratio": float(efficiency_ratio(grid, U, acc, budget)), "gain": float(acc - base)})
    return pd.DataFrame(rows)


def selector_comparison(p, budgets, kmax: int, rng: np.random.Generator, selectors: dict) -> pd.DataFrame:
    """Accuracy under other selectors (``success_table``) of: uniform k = B; the coverage-optimal allocation
    (water-filling on p, capped at kmax), which is what the other policies here optimize; and the selector's
    own best allocation on its table (``lagrangian_table_allocation``). ``selectors``: name -> (selector,
    kwargs). Columns: selector, mean_budget, uniform, coverage_allocation, selector_optimum."""
    p = sampling._probs(p)
    N = p.size
    rows = []
    for name, (sel, kw) in selectors.items():  # a handful of selectors
        S = success_table(p, kmax, sel, **kw)
        for B in budgets:
            if B > kmax or B != int(B):
                raise ParameterError(f"selector budgets must be whole numbers <= kmax ({kmax}); got {B}")
            T = float(B) * N
            k_cov = water_fill(p, T, cap=np.full(N, float(kmax)), rng=rng).k.astype(int)
            k_opt = lagrangian_table_allocation(S, T, rng=rng).astype(int)
            rows.append({"selector": name, "mean_budget": float(B), "uniform": float(S[:, int(B)].mean()),
                         "coverage_allocation": float(S[np.arange(N), k_cov].mean()),
                         "selector_optimum": float(S[np.arange(N), k_opt].mean()),
                         "optimum_spend": float(k_opt.sum() / N)})
    return pd.DataFrame(rows)
