"""Claim 2: does token spend by itself explain about 80 % of the variance in agent performance?

The model: a run's score y (binary success or a graded accuracy) is regressed on groups of predictors
(log2 tokens, log2(1 + tool calls), model, scaffold, ...); R² of every subset of groups gives each group's
R² alone (the post's "by itself") and its Shapley (LMG) share, at the run or the configuration unit, with
cluster-bootstrap intervals over tasks. A simulator of multi-agent runs shows how large the token figure
can be made by the design alone (budgets as a cause versus tokens as usage); the verdict compares the
tokens figure of logged tool-use and research runs (DeepDive, MCPMark) with the claimed share.

Modules:
- ``frames``      run frames: columns, predictor groups, configuration means
- ``lmg``         Shapley (LMG) algebra and the statsmodels R² of every subset
- ``gram``        batched weighted least squares from Gram matrices (all bootstrap resamples at once)
- ``attribution`` R² alone and Shapley shares with bootstrap intervals (runs, or an aggregate table)
- ``robustness``  McFadden pseudo-R² shares, within-task token coefficient (MixedLM), task R²
- ``attainable``  attainable R² of a noisy score (measurement noise no predictor can explain)
- ``entries``     the results entry of each (dataset, unit) and the analyses that build them
- ``sources``     logged sources and the user's CSV -> run frames
- ``model``       the simulator of multi-agent runs, linear closed forms, upgrade versus doubling
- ``verdict``     the claim's rule: evidence rows, outcome per row, specification curve
- ``params``      notebook 02's parameter schema
- ``study``       notebook 02's steps: simulated designs, sweep, recovery, logged sources
- ``report``      notebook 02's tables, printed sentences, summary and results metrics
- ``figures``     notebook 02's figures
"""
from .attainable import attainable_aggregate, attainable_config, attainable_run
from .attribution import Attribution, attribute, attribute_aggregate, gram_r2_point
from .entries import analyse_logged, analyse_runs, deepdive_entries, entry, rng_for, shares_table
from .frames import (CATEGORICAL, GROUP_TERMS, LEVEL, MAX_GROUPS, MECHANISMS, MIN_CONFIGS, MIN_MODELS, MIN_RUNS,
                     RUN_COLUMNS, UNITS, aggregate_configs, available_groups, prepare)
from ..bootstrap import cluster_counts, cluster_weights  # the study's one bootstrap (old public names)
from .gram import design, subset_r2_from_gram
from .lmg import r2_subsets_ols, shapley, shapley_matrix
from .model import (closed_form_two_predictors, explainable_ceiling, fitted_upgrade_vs_doubling, simulate_linear_groups,
                    simulate_runs, upgrade_vs_doubling)
from .params import check_capabilities, check_model_list
from .robustness import mcfadden_shapley, task_alone_r2, within_coefficient, within_task_residuals
from .sources import from_agent_eval, from_deepdive, from_mcpmark, from_swe_effi, from_terminal_bench, model_family, read_runs
from .verdict import (GENERALITY, IN_SCOPE, MIN_ATTAINABLE, SCALES, STATISTICS, evidence, figure_of, row_outcome, rule,
                      source_of, spec_choices, verdict_for)
