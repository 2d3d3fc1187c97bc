"""The faster code paths of the allocation package against the plain code they replaced (same bits).

- ``CountPopulation.log_gain`` computes its k-free parts once per population (``_log_gain_terms``);
- ``lagrangian_table_allocation`` and ``binned_transfer`` fill one buffer per step and stop their bisection on λ
  once the bracket is two adjacent floats (every further step would repeat the last one).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from helpers import allocation as A
from helpers import sampling
from helpers.allocation import replay


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


def _log_gain_written_out(pop, k):
    """log_gain as the module wrote it before the k-free parts were cached."""
    k = np.asarray(k, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if pop.mode == "replay":
            n, c = pop.n, pop.c
            ok = (k < n - c + 1) & (k < n) & (c > 0)
            kk = np.where(ok, k, 0.0)
            lg = (special.gammaln(n - c + 1) - special.gammaln(n - c - kk + 1) - special.gammaln(n + 1)
                  + special.gammaln(n - kk + 1) + np.log(np.where(c > 0, c, 1.0)) - np.log(n - kk))
            return np.where(ok, lg, -np.inf)
        a, b, w0 = pop._a, pop._b, pop._w0
        lg = np.log1p(-w0) + special.betaln(a + 1, b + k) - special.betaln(a, b)
        return np.where(w0 < 1, lg, -np.inf)


@pytest.mark.parametrize("mode", ["replay", "posterior"])
def test_log_gain_with_cached_terms_is_bit_identical(mode, rng):
    N = 50
    n = rng.integers(1, 30, N).astype(float)
    c = rng.binomial(n.astype(int), rng.uniform(0, 1, N)).astype(float)
    c[:3], n[3], c[3] = 0.0, 5.0, 5.0  # never solved; always solved
    pop = A.CountPopulation(n, c, mode=mode)
    ks = [np.zeros(N), rng.integers(0, 40, N).astype(float), np.arange(40.0)[:, None],
          rng.integers(0, 40, (3, 2, N)).astype(float)]
    for _ in range(2):  # the second round reads the cached terms
        for k in ks:
            assert np.array_equal(pop.log_gain(k), _log_gain_written_out(pop, k))
    sub = pop.take(rng.integers(0, N, (4, N))).with_axis()  # replicate and budget axes
    k = rng.integers(0, 40, (4, 3, N)).astype(float)
    assert np.array_equal(sub.log_gain(k), _log_gain_written_out(sub, k))


def _lagrangian_reference(S, total, cost=None, *, rng, iters=100):
    """lagrangian_table_allocation as written before: a fresh array per step and every one of ``iters`` steps."""
    S = np.asarray(S, dtype=float)
    N, K1 = S.shape
    c = np.ones(N) if cost is None else np.asarray(cost, dtype=float)
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


@pytest.mark.parametrize("selector", ["coverage", "majority", "verifier"])
def test_lagrangian_allocation_matches_the_full_bisection(selector, rng):
    p = sampling.sample_beta_mixture(80, 0.5, 4.0, 0.2, rng)
    S = A.success_table(p, 32, selector)
    for cost in (None, rng.uniform(0.5, 3.0, p.size)):
        for B in (0.5, 2, 7.3, 31, 40):
            for iters in (100, 20):
                total = B * (p.size if cost is None else cost.sum())
                got = A.lagrangian_table_allocation(S, total, cost, rng=np.random.default_rng(3), iters=iters)
                ref = _lagrangian_reference(S, total, cost, rng=np.random.default_rng(3), iters=iters)
                assert np.array_equal(got, ref), (selector, B, iters)


def _binned_transfer_reference(tabA, costA, scoreA, tabB, costB, scoreB, B, n_bins):
    """binned_transfer as written before: every one of the 100 bisection steps."""
    J = int(n_bins)
    edges = np.quantile(scoreA, np.arange(1, J) / J) if J > 1 else np.array([])
    bA = np.searchsorted(edges, scoreA, side="right")
    bB = np.searchsorted(edges, scoreB, side="right")
    overall = tabA.S.mean(axis=0)
    Sbar = np.array([tabA.S[bA == j].mean(axis=0) if np.any(bA == j) else overall for j in range(J)])
    onehot = bB[None, :] == np.arange(J)[:, None]
    cnt = onehot.sum(axis=1)
    cbar = np.where(cnt > 0, (onehot * costB[None, :]).sum(axis=1) / np.maximum(cnt, 1), 1.0)
    T = float(B) * costB.sum()

    def spend(kj):
        return float(np.sum(cnt * cbar * kj))
    lo, hi = 0.0, float(np.max(np.diff(Sbar, axis=1) / cbar[:, None])) + 1e-9
    k_lo, k_hi = replay._envelope_choice(Sbar, cbar, lo), replay._envelope_choice(Sbar, cbar, hi)
    if spend(k_lo) <= T:
        k_hi, phi = k_lo, 0.0
    else:
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            km = replay._envelope_choice(Sbar, cbar, mid)
            if spend(km) > T:
                lo, k_lo = mid, km
            else:
                hi, k_hi = mid, km
        phi = (T - spend(k_hi)) / (spend(k_lo) - spend(k_hi)) if spend(k_lo) > spend(k_hi) else 0.0
    k0, k1 = k_hi[bB].astype(np.int64), k_lo[bB].astype(np.int64)
    rows = np.arange(bB.size)
    succ = tabB.S[rows, k0] + phi * (tabB.S[rows, k1] - tabB.S[rows, k0])
    spent = costB * (k0 + phi * (k1 - k0))
    return succ, spent, (k_hi + phi * (k_lo - k_hi)).tolist()


@pytest.mark.parametrize("tpr, fpr", [(1.0, 0.0), (0.9, 0.1)])
def test_binned_transfer_matches_the_full_bisection(tpr, fpr, rng):
    N = 90
    n = rng.integers(16, 40, N).astype(float)
    c = rng.binomial(n.astype(int), sampling.sample_beta_mixture(N, 0.5, 3.0, 0.2, rng)).astype(float)
    cost = rng.uniform(0.5, 3.0, N)
    score = c / n + rng.normal(0, 0.1, N)
    tab = replay.replay_tables(n, c, 16, tpr=tpr, fpr=fpr)
    iA, iB = np.arange(0, N, 2), np.arange(1, N, 2)
    for B in (0.5, 1, 2.5, 8, 16):
        for n_bins in (1, 3, 5):
            args = (tab.take(iA), cost[iA], score[iA], tab.take(iB), cost[iB], score[iB], B, n_bins)
            got = replay.binned_transfer(*args)
            succ, spent, k_per_bin = _binned_transfer_reference(*args)
            assert np.array_equal(got.success, succ) and np.array_equal(got.spent, spent)
            assert got.info["k_per_bin"] == k_per_bin
