"""Claim 3: more compute for hard prompts and less for easy ones beats a flat per-prompt budget.

Model. Problem i has a success curve S_i(k) (probability that k samples solve it) and a cost per sample c_i
(1 unless given: tokens or dollars). A *mean budget* B (samples per problem) is a total spend
T = B·Σ_i c_i. With single-sample success probability p_i and a perfect verifier the curve is coverage,
S_i(k) = 1 - (1 - p_i)^k, whose marginal gains p_i (1 - p_i)^k decrease in k, so greedy on gain per unit
cost (water-filling) is optimal. Uniform spends floor(B) on every problem; the adaptive policies (an oracle,
difficulty bins from a predictor, probe-then-allocate, early stopping at the first verified success) spend
the same T. A policy's *efficiency ratio* is the budget uniform needs to match its accuracy, over B. The
verdict is decided on cells *replayed* from logged samples, the policy chosen on one half of the problems
and scored on the other.

Modules (one idea each):
``core`` (names, shared array helpers) · ``populations`` (success curves of known p and of logged counts) ·
``waterfill`` (greedy allocation of a spend) · ``difficulty`` (predictors, bins, budget shares) ·
``policies`` (the five policies) · ``efficiency`` (uniform curve, efficiency ratios) · ``evaluation``
(a dataset, every policy, bootstrap over problems) · ``selectors`` (majority vote, learned verifier) ·
``sweeps`` (where the claim holds and breaks) · ``data`` (problems tables from CSV and logged sources) ·
``replay`` (split-half scoring on logged samples) · ``prior`` (fitted-prior cells, refitted per resample) ·
``verdict`` (the rule) · ``params`` (the notebook's parameter schema and sizes) · ``study`` (the notebook's
evidence run over its sources) · ``recovery`` (known ground truth recovered) · ``report`` (the notebook's
tables, text and metrics) · ``figures`` (the notebook's figures). ``study``, ``recovery``, ``report`` and
``figures`` serve the notebook and are imported by it, not here.

Every public name of the former ``helpers.allocation``, ``allocation_replay`` and ``allocation_verdict``
modules is re-exported here (``from helpers import allocation as A; A.run_policies(...)``).
"""
from __future__ import annotations

from .core import (ADAPTIVE_POLICIES, DIFFICULTY_BINS, MODES, POLICIES, POOLED,  # noqa: F401
                   REALISTIC_POLICIES)
from .data import (PROBLEM_KINDS, PreparedCounts, add_predictor, cost_bench_counts,  # noqa: F401
                   leave_one_out_score, math_levels, mcpmark_counts, prepare_counts, read_problems_csv,
                   terminal_bench_counts)
from .difficulty import (budget_share, describe_shift, difficulty_bin, label_bins, noisy_score,  # noqa: F401
                         quantile_bins)
from .efficiency import (efficiency_ratio, integer_grid, invert_curve, ratio_at_spend,  # noqa: F401
                         ratio_ceiling, uniform_curve)
from .evaluation import DatasetResult, budget_key, evaluate_dataset  # noqa: F401
from .policies import (PolicyResult, binned_predicted, early_stop, oracle_greedy,  # noqa: F401
                       probe_then_allocate, run_policies, run_policy, uniform_allocation)
from .populations import (CountPopulation, ProbPopulation, beta_geometric_partial_sum,  # noqa: F401
                          fit_zero_inflated_beta, with_budget_axis)
from .prior import fit_prior_weighted, prior_bootstrap  # noqa: F401
from .replay import (AGGREGATIONS, SPLIT_POLICIES, Scored, SplitCell, Tables, binned_transfer,  # noqa: F401
                     early_stop_on, oracle_on, replay_cells, replay_tables, split_half, split_indices,
                     uniform_on)
from .selectors import lagrangian_table_allocation, success_table  # noqa: F401
from .sweeps import heterogeneity_sweep, noise_sweep, selector_comparison  # noqa: F401
from .verdict import (IN_SCOPE_SETTINGS, POLICY_SETS, AllocationRule, chosen_cells, evidence,  # noqa: F401
                      headline_view, interval, prior_rows, robustness)
from .waterfill import FillResult, bin_curves, binned_fill, fill_population, water_fill  # noqa: F401
from . import params  # noqa: F401  (the notebook's schema: allocation.params.SCHEMA)
