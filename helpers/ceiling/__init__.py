"""Claim 4, the reasoning ceiling: can a non-reasoning model buy its way to a reasoning model's accuracy?

The claim: reasoning models outperform non-reasoning models regardless of inference budget, because
training installs the protocol that makes extra tokens productive; external scaling (more samples, votes,
verifiers) only extracts what is already there.

The model: each model's per-problem single-sample success p is 0 with probability pi0 (never solved) and
Beta(a, b) otherwise; k samples and an aggregation rule move along a curve A(k) whose limit that
distribution fixes. The verdict gives the weaker side (non-reasoning, no thinking) and the stronger side
the same spend and asks whether the weaker side comes level at some spend with at least two attempts.

Modules: ``model`` (Beta mixture, curves, limits), ``fit_counts`` (likelihood fits to per-problem counts,
profile and bootstrap intervals), ``fit_curve`` (fits to an aggregate pass@k curve, generic forms),
``budget`` (samples to reach a target, the legacy single-sample view), ``data`` (scaling-path tables),
``verdict`` (the rule and matched-spend comparisons), ``mcpmark`` (MCPMark pairs and bootstrap gaps),
``evidence`` (the evidence table under any specification), ``records`` (the asymptote and catch-up lists,
the legacy view), ``synthetic`` (illustration and recovery check), ``published`` (scaling path, BrowseComp),
``logged`` (Monkeys, Terminal-Bench), ``agents`` (MCPMark runs), ``report`` (summary, sources, metrics,
parameters of the results file), ``figures`` and ``figures_evidence`` (the notebook's figures), ``params``
(the notebook's parameter schema and sizes).
"""
from . import (agents, budget, data, evidence, figures, figures_evidence, fit_counts, fit_curve, logged, mcpmark, model,
               params, published, records, report, synthetic, verdict)
from .budget import aggregation_verdicts, catch_up, classify_catch_up, cost_ratio, overall_verdict, samples_to_reach
from .data import published_scaling_path, pythia_parameters, read_scaling_path
from .evidence import curve_outcomes, evidence_rows, path_comparisons, table_from
from .fit_counts import (LOG_A_BOUNDS, LOG_B_BOUNDS, LOGIT_PI0_BOUNDS, OPTIMIZER, PROFILE_CRIT, MixtureFit,
                         boot_interval, bootstrap_counts_fit, counts_asymptote_terms, counts_curve, counts_nll,
                         fit_beta_mixture_counts, mixture_band, mixture_fit_asymptote, profile_counts_ceiling)
from .fit_curve import ExpPowerFit, fit_beta_mixture_curve, fit_exp_power_law, generic_ceilings
from .mcpmark import (MCPMARK_CAPABILITY_LADDERS, MCPMarkComparisons, mcpmark_gaps, mcpmark_outcomes,
                      mcpmark_pairs, mcpmark_pass_at_k)
from .model import (AGGREGATIONS, KINDS, LEVEL, BetaMixture, Selector, majority_vote_ceiling_closed_form,
                    mixture_asymptote, mixture_curve, mixture_nodes, simulate_counts, weighted_asymptote,
                    weighted_curve)
from .verdict import (OUTCOME_OF, RESULT_TEXT, RESULTS, VIEWS, CeilingRule, classify, combine, curve_comparison,
                      interpolate, matched_gaps)
