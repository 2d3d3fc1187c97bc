"""The five allocation policies; each spends the same total T = B·Σ_i c_i on a population.

Policies (all vectorized over problems and over leading axes of budgets/replicates):

- ``uniform``              k_i = floor(B); the remainder goes to a seeded random subset (one extra each),
                            so the total is exact.
- ``oracle_greedy``        water-filling on each problem's own curve (the truth, or the evaluation curve of
                            logged counts): the best any allocation can do with full knowledge.
- ``binned_predicted``     problems are put in difficulty bins by a predictor; every member of bin j gets the
                            same k_j (one more for a random subset, for exactness), chosen greedily on the
                            bin's mean curve. Uniform is a bin-constant allocation, so this is never worse than
                            uniform in-sample.
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
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..validate import ParameterError
from .core import _K_MAX, POLICIES, _GeomGains, _prefix_fill, _rng
from .populations import with_budget_axis
from .waterfill import binned_fill, fill_population, water_fill

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
