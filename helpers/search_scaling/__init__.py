"""Claim 1: search steps as a second inference-compute axis, and whether it trades against reasoning.

Three separable statements are tested: (a) accuracy-vs-search-step curves are monotonic with
diminishing returns; (b) they have the same shape as accuracy-vs-reasoning-token curves; (c) the two
budgets substitute for each other (fungible compute) rather than complement each other.

The model: a task of difficulty d succeeds when the agent finds the evidence (log-odds rising with
log2(1 + s/s0)) and reasons correctly over it (log-odds rising with log2(1 + r/r0)); a share ρ of tasks
needs both (complements, multiplicative), the rest are additive in log-odds (substitutes). The same-shape
test compares a shared curvature of a saturating form against separate ones (likelihood ratio).

Modules: ``model`` (the (r, s) accuracy surface, iso-quality curves, expansion path), ``substitution``
(MRS, elasticity, fungible range, 2×2 design), ``data`` (published and user curves), ``fits`` (curve fits,
diminishing returns), ``lm`` (batched Levenberg-Marquardt fits), ``shape`` (the same-shape test, its level
and power), ``recovery`` (ground-truth checks), ``verdict`` (the rule), ``evidence`` (the evidence table,
crossed designs), ``robustness`` (the specification curve), ``logged`` (MCPMark ladders, BrowseComp-Plus
bins), ``params`` (the notebook's parameter schema), ``text`` (its printed sentences), ``report`` (holds and
breaks, summary, metrics, data sources), ``figures`` (its figures).
"""
from . import logged, params, recovery, report, robustness, text  # (figures: imported where it is drawn, with matplotlib)
from .data import (APPROX_TREATMENTS, AXES, AXIS_LABEL, BENCHMARK_N, DESIGNS, SOURCE_SETTING, catalogue, judged_curves,
                   published_curves, read_curves, reading_error_n, set_versus_spent)
from .evidence import (CROSSED_COLUMNS, axis_other, build_evidence, crossed_designs, crossed_rows, curve_meta,
                       curve_rows, observational_rows, pair_rows)
from .fits import (DR_METHODS, SATURATING, SHAPE_PARAM, diminishing_returns, fit_table, gain_drop, over_forcing_drop,
                   piecewise_gain_drop, significant_drops)
from .logged import LADDER_MEASURES, ladder_curves, mcpmark_ladder_points, observational_search
from .model import (LN2, RSModel, accuracy, accuracy_and_grad, component_logodds, cost_usd, expansion_path,
                    iso_reasoning, iso_search, mrs, tokens)
from .shape import (pair_error_rates, same_shape_error_rates, same_shape_test, same_shape_test_batch, shape_curve,
                    shape_sensitivity, shape_tests)
from .substitution import (did_wald_test, elasticity_of_substitution, factorial_design, fungible_range,
                           interaction_contrast, n_per_cell_for_contrast, substitution_by_interaction,
                           substitution_summary)
from .verdict import (AGENTIC, PART_NAMES, STATUS_OUTCOME, UNITS, SearchScalingRule, combine, combine_verdicts,
                      verdict_diminishing, verdict_fungible, verdict_same_shape)
