"""One option on a workload: expected accuracy of a policy at a mean budget, and the budget it needs (claim 3).

Aggregation: ``pass_at_k`` (a perfect verifier) or ``verifier`` with true/false positive rates (tpr, fpr).
With a verifier a policy observes *acceptances*: an attempt is accepted with probability
a_i = p_i·tpr + (1 - p_i)·fpr, so every allocation is computed by the claim-3 policies on the
acceptance population ``ProbPopulation(a)`` (a = p under pass_at_k), and the expected success of the
k_i samples a task receives is ``sampling.verifier_select(p_i, k_i, tpr, fpr)``. For early stopping
(stop at the first accepted attempt, cap K) this is exact; its expected spend is the geometric spend on a.

Budget of an option: the smallest mean budget B >= 1 on ``allocation.integer_grid`` (refined between the
bracketing grid points) whose expected accuracy reaches the target; the cap, when given, is B_cap samples.
If the target is not reached within the cap (or ``max_samples``) the option runs at the cap (best accuracy
under it) and is flagged. The accuracy's standard error is the Monte Carlo (or across-problem) sd/√N.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .. import sampling
from ..validate import ParameterError
from . import claims as K
from .options import policies_for
from .workload import Workload


def evaluate(w: Workload, policy: str, budgets, rng: np.random.Generator, *, selector: K.Selector,
             probe_m: int = 4) -> dict:
    """Expected accuracy, its standard error and the mean spend (samples per task) of ``policy`` at each
    mean budget (vectorized over budgets with ``allocation.run_policies``; see the module docstring)."""
    if policy not in policies_for(selector):
        raise ParameterError(f"policy {policy!r} is not available under this aggregation")
    B = np.atleast_1d(np.asarray(budgets, dtype=float))
    acc_p = w.p * selector.tpr + (1 - w.p) * selector.fpr
    pop = K.ProbPopulation(acc_p, w.cost)
    res = K.run_policies(pop, B, rng, bins=w.bins, probe_m=probe_m, policies=[policy])[policy]
    if policy == "probe_then_allocate":
        success = res.success                      # perfect verifier: coverage of p (= a)
    else:
        success = sampling.verifier_select(w.p, res.k, selector.tpr, selector.fpr)
    n = w.n_problems
    sd = success.std(axis=-1, ddof=1) if n > 1 else np.zeros(B.size)
    # early stopping saturates when every task would stop before its cap: the budget cannot all be spent
    sat = np.broadcast_to(np.asarray(res.info.get("saturated", False), dtype=bool), B.shape)
    return {"budget": B, "accuracy": success.mean(axis=-1), "se": sd / math.sqrt(n),
            "spent": res.spent.sum(axis=-1) / w.cost.sum(), "saturated": sat, "k": res.k}


def _rng(seed: int, *key: int) -> np.random.Generator:
    """A Generator for one (kind, policy, stage) stream of the planner: default_rng([seed, *key])."""
    return np.random.default_rng([int(seed), *map(int, key)])


def choose_budget(w: Workload, policy: str, *, target: float | None, cap_samples: float | None, max_samples: int,
                  selector: K.Selector, seed: int, key: Sequence[int], probe_m: int = 4,
                  refine_points: int = 24) -> dict:
    """The mean budget of one option and its evaluation (module docstring, "Per option").

    Without a target or a cap the option runs at one sample per task. Returns budget, accuracy, se, spent,
    saturated, meets_target (None without a target), limited_by ("target", "cap", "max_samples" or
    "one_sample"), and the coarse curve (grid, accuracy, se, spent, saturated) for figures.
    """
    grid = K.integer_grid(max_samples)
    coarse = evaluate(w, policy, grid, _rng(seed, *key, 0), selector=selector, probe_m=probe_m)
    hi_samples = float(max_samples) if cap_samples is None else min(float(max_samples), float(cap_samples))
    if target is None and cap_samples is None:
        hi_samples = float(grid[0])  # nothing to aim for: one sample per task

    def row(e, i):
        return {k: (v[i] if k == "k" else bool(v[i]) if k == "saturated" else float(v[i])) for k, v in e.items()}

    def at(B, stage):
        return row(evaluate(w, policy, [B], _rng(seed, *key, stage), selector=selector, probe_m=probe_m), 0)

    pick = None
    if target is not None:
        hit = np.flatnonzero(coarse["accuracy"] >= target)
        if hit.size:
            j = int(hit[0])
            if j == 0:
                pick = row(coarse, 0)
            else:
                fine_b = np.geomspace(grid[j - 1], grid[j], refine_points + 1)[1:]
                fine = evaluate(w, policy, fine_b, _rng(seed, *key, 1), selector=selector, probe_m=probe_m)
                h = np.flatnonzero(fine["accuracy"] >= target)
                src, i = (fine, int(h[0])) if h.size else (coarse, j)
                pick = row(src, i)
            if pick["budget"] > hi_samples + 1e-9:
                pick = None  # reachable, but not within the cap
    if pick is not None:
        limited = "target" if pick["budget"] > grid[0] else "one_sample"
    else:
        if target is None and cap_samples is None:
            limited = "one_sample"
        elif cap_samples is None or cap_samples >= max_samples:
            limited = "max_samples"
        else:
            limited = "cap"
        pick = at(hi_samples, 2)
    meets = None if target is None else bool(pick["accuracy"] >= target)
    return {**{k: v for k, v in pick.items() if k != "k"}, "meets_target": meets, "limited_by": limited,
            "curve": {k: coarse[k] for k in ("budget", "accuracy", "se", "spent", "saturated")}}
