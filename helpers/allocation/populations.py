"""Populations of problems: each problem's success curve S_i(k), its gains, counts and early-stopping spend.

``ProbPopulation``: known single-sample success probabilities p_i; with a perfect verifier the curve is
coverage S_i(k) = 1 - (1 - p_i)^k, gains g_i(k) = p_i (1 - p_i)^k (non-increasing), and early stopping
spends E[min(G, K)] = (1 - (1-p)^K)/p (K for p = 0).

``CountPopulation``: logged data, n_i samples with c_i correct, evaluated three ways
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
"""
from __future__ import annotations

import functools

import numpy as np
from scipy import optimize, special, stats

from .. import sampling
from ..validate import ParameterError
from .core import MODES, _bisect_count, _costs, _gather, _GeomGains

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
        self._lg = None  # the parts of log_gain free of k (``_log_gain_terms``)
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

    def _log_gain_terms(self) -> tuple:
        """The parts of ``log_gain`` free of k, computed once per population (bisections call it many times).

        replay: (n - c + 1, c > 0, gammaln(n - c + 1), gammaln(n + 1), log c); posterior: (log(1 - w0),
        log B(a', b'), w0 < 1). ``log_gain`` combines them with the k terms in the same order as written out in
        full, so the numbers are the same bits."""
        if self._lg is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                if self.mode == "replay":
                    n, c = self.n, self.c
                    self._lg = (n - c + 1, c > 0, special.gammaln(n - c + 1), special.gammaln(n + 1),
                                np.log(np.where(c > 0, c, 1.0)))
                else:
                    self._lg = (np.log1p(-self._w0), special.betaln(self._a, self._b), self._w0 < 1)
        return self._lg

    def log_gain(self, k) -> np.ndarray:
        """log(S(k+1) - S(k)) (-inf for no gain).

        replay: log C(n-c, k)/C(n, k)·c/(n-k) = gammaln(n-c+1) - gammaln(n-c-k+1) - gammaln(n+1)
        + gammaln(n-k+1) + log c - log(n-k); posterior: log(1-w0) + log B(a'+1, b'+k) - log B(a', b')."""
        k = np.asarray(k, dtype=float)
        if self.mode == "plugin":
            return self._plug.log_gain(k)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.mode == "replay":
                n, c = self.n, self.c
                n_c1, solved, g_nc, g_n, log_c = self._log_gain_terms()
                ok = (k < n_c1) & (k < n) & solved
                kk = np.where(ok, k, 0.0)
                lg = (g_nc - special.gammaln(n - c - kk + 1) - g_n + special.gammaln(n - kk + 1) + log_c
                      - np.log(n - kk))
                return np.where(ok, lg, -np.inf)
            log1m_w0, lb, any_mass = self._log_gain_terms()
            lg = log1m_w0 + special.betaln(self._a + 1, self._b + k) - lb
            return np.where(any_mass, lg, -np.inf)

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
    """Maximum marginal likelihood (a, b, pi0) of c_i ~ pi0·[c=0] + (1-pi0)·BetaBinomial(n_i, a, b).

    The fit is a pure function of the (n, c) arrays in their order, so a fit already made in this process for
    the same arrays (a dataset's evaluation, then its fitted-prior cells) is reused: identical numbers."""
    n = np.asarray(n, dtype=np.int64).ravel()
    c = np.asarray(c, dtype=np.int64).ravel()
    if n.size == 0:
        raise ParameterError("cannot fit a prior to no problems")
    return _fit_zib_cached(n.tobytes(), c.tobytes())


@functools.lru_cache(maxsize=64)
def _fit_zib_cached(n_bytes: bytes, c_bytes: bytes) -> tuple[float, float, float]:
    n, c = np.frombuffer(n_bytes, dtype=np.int64), np.frombuffer(c_bytes, dtype=np.int64)
    zero = c == 0
    # log BetaBinomial(c; n, a, b) as scipy.stats.betabinom.logpmf computes it (its _logpmf, the same operations
    # in the same order, so the same bits; every count lies in its support), with the part free of (a, b)
    # computed once instead of once per evaluation, and without the per-call argument checks
    k = np.floor(c)
    combiln = -np.log(n + 1) - special.betaln(n - k + 1, k + 1)
    supported = bool(np.all((c >= 0) & (c <= n)))  # else scipy's own logpmf (-inf outside the support)

    def nll(th):
        a, b = np.exp(th[0]), np.exp(th[1])
        pi0 = special.expit(th[2])
        ll_bb = (combiln + special.betaln(k + a, n - k + b) - special.betaln(a, b) if supported
                 else stats.betabinom.logpmf(c, n, a, b))
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
