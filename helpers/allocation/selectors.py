"""Other selectors than a perfect verifier: success tables and the best allocation on any such table.

Majority vote and a learned verifier (``helpers.sampling``) need not be concave in k;
``lagrangian_table_allocation`` maximizes S_ik - λ c_i k per problem (the concave envelope of any success
table), bisecting on λ until the spend brackets the budget.
"""
from __future__ import annotations

import numpy as np

from .. import sampling
from ..validate import ParameterError
from .core import _costs, _rng

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
    tie = 1e-15 * (-ks[None, :])
    buf = np.empty(S.shape)

    def choose(lam):
        # S - lam·c·k + tie, the same operations in the same order, in one buffer
        np.multiply(lam * c[:, None], ks[None, :], out=buf)
        np.subtract(S, buf, out=buf)
        np.add(buf, tie, out=buf)
        return np.argmax(buf, axis=1).astype(float)

    lo, hi = 0.0, float(np.max(S[:, 1:] / (c[:, None] * ks[None, 1:]))) + 1e-9 if K1 > 1 else 1.0
    k_lo = choose(lo)
    if np.sum(c * k_lo) <= total:
        return k_lo
    k_hi = choose(hi)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        km = choose(mid)
        if np.sum(c * km) > total:
            if mid == lo:  # lo, hi adjacent floats: every further step repeats this one (same bracket, same k)
                break
            lo, k_lo = mid, km
        else:
            if mid == hi:
                break
            hi, k_hi = mid, km
    k = k_hi.copy()
    jump = (k_lo - k_hi) * c
    order = rng.permutation(N)
    room = total - np.sum(c * k)
    cum = np.cumsum(np.where(jump[order] > 0, jump[order], 0.0))
    up = order[(cum <= room + 1e-9) & (jump[order] > 0)]
    k[up] = k_lo[up]
    return k
