"""Recovery of known ground truth: does the machinery reproduce closed forms and known optima?

On a simulated population with p drawn from a Beta mixture (share pi0 unsolvable), five checks:
1. uniform's accuracy against the population expectation (1 - pi0)(1 - B(a, b+k)/B(a, b)), in standard errors;
2. water-filling against an independent optimizer (Lagrangian on the concave envelope of the success table);
3. early stopping's closed-form spend and success against simulated geometric stopping times;
4. unbiased pass@k from n simulated logged samples per problem against the true coverage;
5. the zero-inflated Beta prior fitted to five trials per problem against the true (a, b, pi0).
"""
from __future__ import annotations

import numpy as np

from .. import sampling
from .policies import early_stop, uniform_allocation
from .populations import CountPopulation, fit_zero_inflated_beta, with_budget_axis
from .selectors import lagrangian_table_allocation, success_table
from .waterfill import water_fill


def recover(pop, p, budgets, sel_budgets, share_budget, beta: tuple[float, float, float],
            rng: np.random.Generator) -> tuple[dict, list[str]]:
    """The five checks on ``pop`` (a ``ProbPopulation`` of ``p``): (metrics, lines to print)."""
    a, b, pi0 = beta
    N = p.size
    B = np.array(budgets)
    uni = uniform_allocation(with_budget_axis(pop), B, rng).accuracy
    expected = sampling.beta_coverage(B, a, b, pi0)
    se = np.sqrt(expected * (1 - expected) / N)
    z_uni = np.max(np.abs(uni - expected) / se)
    lines = [f"uniform vs closed form: largest deviation {np.max(np.abs(uni - expected)):.4f} "
             f"= {z_uni:.2f} standard errors of a {N}-problem sample"]
    chk_p = p[: min(N, 1000)]
    chk_S = success_table(chk_p, int(max(sel_budgets) * 4))
    gaps = []
    for sb in sel_budgets:  # a handful of budgets
        k_wf = water_fill(chk_p, sb * chk_p.size, rng=rng).k
        k_lg = lagrangian_table_allocation(chk_S, sb * chk_p.size, rng=rng)
        gaps.append(sampling.coverage(chk_p, k_wf).mean() - sampling.coverage(chk_p, k_lg).mean())
    lines.append(f"water-filling minus the Lagrangian optimum, accuracy: {min(gaps):+.2e} to {max(gaps):+.2e} "
                 f"(never below zero up to one marginal sample)")
    es = early_stop(pop, share_budget, rng)
    G = np.where(p > 0, rng.geometric(np.where(p > 0, p, 0.5)), np.iinfo(np.int64).max)
    sim_spend, sim_success = np.minimum(G, es.k).mean(), (G <= es.k).mean()
    lines.append(f"early stopping at B = {share_budget:g}: closed-form spend {es.spent.mean():.2f} vs simulated "
                 f"{sim_spend:.2f}; closed-form success {es.accuracy:.4f} vs simulated {sim_success:.4f}")
    n_log = int(2 * max(budgets))
    pop_log = CountPopulation(np.full(N, n_log), rng.binomial(n_log, p), mode="replay")
    rep = np.array([pop_log.success(np.full(N, k)).mean() for k in budgets])
    true_cov = np.array([pop.success(np.full(N, k)).mean() for k in budgets])
    lines.append(f"replay of {n_log} simulated samples per problem: unbiased pass@k minus true coverage, "
                 f"{np.min(rep - true_cov):+.4f} to {np.max(rep - true_cov):+.4f}")
    a_hat, b_hat, pi0_hat = fit_zero_inflated_beta(np.full(N, 5), rng.binomial(5, p))
    lines.append(f"zero-inflated Beta fit to five trials per problem: a {a_hat:.2f} (true {a:g}), "
                 f"b {b_hat:.2f} (true {b:g}), pi0 {pi0_hat:.2f} (true {pi0:g}); mean p "
                 f"{a_hat / (a_hat + b_hat):.3f} (true {a / (a + b):.3f})")
    metrics = {"uniform_vs_closed_form_max_se": float(z_uni), "waterfill_minus_lagrangian_min": float(min(gaps)),
               "early_stop_spend_closed_form": float(es.spent.mean()), "early_stop_spend_simulated": float(sim_spend),
               "early_stop_success_closed_form": float(es.accuracy), "early_stop_success_simulated": float(sim_success),
               "replay_minus_truth_max_abs": float(np.max(np.abs(rep - true_cov))),
               "prior_fit": {"a": a_hat, "b": b_hat, "pi0": pi0_hat}}
    return metrics, lines
