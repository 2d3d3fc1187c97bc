"""Water-filling: the greedy allocation of a total spend on non-increasing gains per unit cost.

Every curve used here has non-increasing gains (S concave), so greedy on gain per unit cost is optimal, and
greedy is *water-filling*: pick a threshold λ and give each problem every sample whose gain per cost is at
least λ,

    k_i(λ) = #{k >= 0 : g_i(k) >= λ c_i}   [coverage: floor(log(λ c_i / p_i) / log(1 - p_i)) + 1, p_i >= λ c_i],

bisect on log λ until Σ c_i k_i(λ) brackets T, then hand the marginal samples (gain inside the final
bracket) out by gain, ties in a seeded random order, so the spend is T within one sample. Curves without a
closed-form count are counted by integer bisection on k (their gains are monotone); a bin's mean curve is
tabulated once per fill when that is cheaper, and the bisection reads the table (the same numbers).

Bin-constant allocations (``binned_fill``) water-fill on each difficulty bin's mean curve
S̄_j(k) = mean_{i in j} S_i(k) (its gains decrease too). Bins with more than ``q_max`` members (only in large
synthetic populations) represent their mean curve by ``q_max`` evenly spaced order statistics of the
members' p; smaller bins use every member (exact).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..validate import ParameterError
from .core import _LOG_MIN, _bisect_count, _costs, _GeomGains, _prefix_fill, _rng

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



CHUNK = 1 << 20      # member terms per chunk of a bin-curve table (8 MB per temporary array)
# a counts call reads a table of each bin curve (K entries, computed once per fill) instead of bisecting on the
# curve (about log2 K evaluations per threshold, in each of a fill's ~30 calls) while K <= TABLE_FACTOR x
# thresholds per curve x log2 K
TABLE_FACTOR = 16


@dataclass
class _BinCurves:
    """Bin j's mean curve from (at most q_max) representative members: G_j(k) = Σ_q W_jq g_{i_q}(k)."""

    members: object      # population gathered at the representative members, arrays (..., nb, Q)
    W: np.ndarray        # (..., nb, Q) weights summing to 1 in every non-empty bin
    cnt: np.ndarray      # (..., nb) members per bin
    cbar: np.ndarray     # (..., nb) mean cost per member
    capbin: np.ndarray   # (..., nb) smallest cap among members (inf without caps)
    bins: np.ndarray     # (..., N) bin of each problem
    _table: np.ndarray | None = field(default=None, repr=False)  # log G_j(k), k = 0..K-1: (..., nb, K)

    def gain(self, kb):
        lg = self.members.log_gain(np.asarray(kb, dtype=float)[..., None])
        with np.errstate(over="ignore"):
            return np.sum(np.where(self.W > 0, self.W * np.exp(lg), 0.0), axis=-1)

    def log_gain_table(self, K: int) -> np.ndarray:
        """log G_j(k) for k = 0..K-1, (..., nb, K), computed once (and again only for a larger K), in chunks
        of k, with the same arithmetic as ``gain``."""
        if self._table is None or self._table.shape[-1] < K:
            step = max(1, CHUNK // self.W.size)
            parts = []
            for k0 in range(0, K, step):  # chunks of the k axis: bounded memory
                k = np.arange(k0, min(K, k0 + step), dtype=float)
                kb = np.broadcast_to(k.reshape((-1,) + (1,) * (self.W.ndim - 1)), (k.size,) + self.W.shape[:-1])
                g = self.gain(kb)
                parts.append(np.log(np.maximum(g, 1e-320)))
            self._table = np.moveaxis(np.concatenate(parts), 0, -1)
        return self._table[..., :K]

    def counts(self, loglam, upper_total):
        """Bin-level counts #{k: G_j(k) >= λ cbar_j} (..., nb), by integer bisection: on a table of log G_j(k)
        (the same numbers, computed once) when that costs fewer evaluations of the bin curves than bisecting
        on them directly, about log2(K) per row and per call, would."""
        theta = np.exp(np.asarray(loglam, dtype=float))[..., None] * self.cbar
        upper = np.minimum(self.capbin, np.floor(np.asarray(upper_total, dtype=float)[..., None]
                                                 / np.maximum(self.cnt * self.cbar, 1e-300)) + 1.0)
        with np.errstate(divide="ignore"):
            log_theta = np.log(theta)
        upper = np.where(self.cnt > 0, upper, 0.0)
        shape = np.broadcast_shapes(log_theta.shape, upper.shape)
        K = int(upper.max(initial=0.0)) if np.all(np.isfinite(upper)) else -1
        rows = int(np.prod(shape[:-1])) // max(1, int(np.prod(self.W.shape[:-2])))  # thresholds per curve
        if 0 <= K <= TABLE_FACTOR * rows * max(6.0, np.log2(K + 1)):
            table = np.broadcast_to(self.log_gain_table(max(K, 1)), shape + (max(K, 1),))

            def log_gain(kb):
                return np.take_along_axis(table, kb.astype(np.int64)[..., None], axis=-1)[..., 0]
        else:
            def log_gain(kb):
                return np.log(np.maximum(self.gain(kb), 1e-320))
        return _bisect_count(log_gain, log_theta, upper)


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
