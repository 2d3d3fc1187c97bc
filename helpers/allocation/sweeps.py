"""Where the claim holds and where it breaks: predictor noise, heterogeneity of difficulty, other selectors.

``noise_sweep``: the binned policy with a noisy predictor logit(p) + σ·ε for each σ (how much of the
oracle's gain survives a worse predictor). ``heterogeneity_sweep``: Beta-mixture populations with a share
pi0 of unsolvable problems and concentration κ (spread of difficulty). ``selector_comparison``: uniform, the
coverage-optimal allocation and each selector's own optimum under majority vote or a learned verifier.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import sampling
from ..validate import ParameterError
from .difficulty import noisy_score, quantile_bins
from .efficiency import efficiency_ratio, integer_grid, uniform_curve
from .populations import ProbPopulation, with_budget_axis
from .policies import binned_predicted, run_policy, uniform_allocation
from .selectors import lagrangian_table_allocation, success_table
from .waterfill import water_fill

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
