"""The parameters of notebook 04 (reasoning ceiling): their schema and the sizes a run uses.

``SCHEMA`` lists every parameter of the notebook's parameters cell in the cell's order (``helpers.schema``);
its checks tie parameters together (the rule's thresholds, the observed curve within the samples drawn, the
MCPMark override's shape). ``sizes`` derives what a run uses from the checked values: quick mode shrinks
every size so the notebook runs in seconds, and the aggregation selector and labels are built once.
"""
from __future__ import annotations

from types import SimpleNamespace

from .. import schema
from ..validate import ParameterError
from .model import Selector
from .verdict import VIEWS, CeilingRule


def _rule(p) -> None:
    CeilingRule(p.holds_max_share, p.breaks_min_share, p.min_resolved)  # breaks_min_share > holds_max_share


def _observed_within_samples(p) -> None:
    if p.observed_k_max > p.synthetic_samples:
        raise ParameterError("parameter 'observed_k_max' must not exceed 'synthetic_samples'")


def _override(p) -> None:
    v = p.mcpmark_reasoning_override
    if not all(isinstance(k, str) and isinstance(b, bool) for k, b in v.items()):
        raise ParameterError(f"parameter 'mcpmark_reasoning_override' must be a dict {{config: bool}}, got {v!r}")


SCHEMA = schema.Schema({
    "quick": schema.boolean(),
    "seed": schema.seed(),
    "scaling_path": schema.path("file").or_none(),
    "scaling_path_problems": schema.integer(0, None),
    "scaling_path_token_ratio": schema.positive(),
    "wrong_concentration": schema.probability(),
    "verifier_tpr": schema.probability(),
    "verifier_fpr": schema.probability(),
    "n_boot": schema.integer(20, 5000),
    "n_nodes": schema.integer(32, 8192),
    "n_nodes_vote": schema.integer(32, 8192),
    "profile_points": schema.integer(8, 200),
    "max_ci_width": schema.number(0.0, 1.0, lo_open=True),
    "k_max_vote": schema.integer(16, 16384),
    "affordable_cost_ratio": schema.positive(),
    "holds_max_share": schema.number(0.0, 1.0, hi_open=True),
    "breaks_min_share": schema.number(0.0, 1.0, lo_open=True),
    "count_capability_gap": schema.boolean(),
    "catch_up_tolerance": schema.number(0.0, 0.2),
    "spend_view": schema.choice(VIEWS),
    "decide_by": schema.choice("point", "interval"),
    "min_resolved": schema.integer(1, None),
    "mcpmark_reasoning_override": schema.mapping(),
    "include_doubtful_labels": schema.boolean(),
    "scenario_nr_pi0": schema.number(0.0, 0.85),
    "scenario_r_pi0": schema.number(0.0, 0.25),
    "scenario_concentration": schema.positive(),
    "reasoning_token_multiplier": schema.positive(),
    "price_ratio": schema.positive(),
    "pi0_max": schema.number(0.0, 0.85, lo_open=True),
    "pi0_points": schema.integer(3, 200),
    "synthetic_problems": schema.integer(50, 100000),
    "synthetic_samples": schema.integer(10, 100000),
    "observed_k_max": schema.integer(4, 100000),
    "browsecomp_read_error": schema.number(0.0, 0.2),
    "monkeys_reference": schema.text(),
    "tb_reasoning_models": schema.sequence(schema.text()),
    "tb_non_reasoning_models": schema.sequence(schema.text()),
}, checks=[_observed_within_samples, _override, _rule])


QUICK_N_BOOT = 10  # bootstrap resamples in quick mode
QUICK_CURVE_PROFILE_POINTS = 10  # profile grid of the generic curve fits (helpers.curves) in quick mode
QUICK_CURVE_PROFILE_XTOL = 1e-2  # profile interval ends' root-finding tolerance in quick mode (full: 1e-5)


def sizes(p) -> SimpleNamespace:
    """What a run uses: sizes (quick mode shrinks them), the selector, k limits and aggregation labels.

    Quick mode shrinks (full -> quick):
    n_boot: n_boot -> 10 (bootstrap resamples of the counts fits and of MCPMark's tasks; below the schema's 20)
    n_nodes: n_nodes -> 96; n_nodes_vote: n_nodes_vote -> min(n_nodes, 48); k_max_vote: k_max_vote -> min(., 48)
    profile_points (Beta-mixture profile grid): profile_points -> 10
    profile_xtol (root finding of the Beta-mixture profile interval ends, fit_counts / fit_curve): 1e-5 -> 1e-2
    curve_forms (generic saturating forms fitted besides the Beta mixture and the exp power law):
        power_saturating and logistic_log -> power_saturating alone
    curve_profile_points (generic-form profile grid, helpers.curves.fit_curve): 25 (its default, None) -> 10
    curve_gradient (how helpers.curves.fit_curve gets the NLL gradient): "numeric" -> "analytic" (same optima, faster)
    curve_profile_xtol (root finding of those profile interval ends, helpers.curves.fit_curve): 1e-5 -> 1e-2
    synthetic_problems: -> min(., 150); synthetic_samples: -> min(., 200); pi0_points: -> min(., 3)
    tb models: every listed -> the first reasoning and the first two non-reasoning models
    monkeys_smaller (Pythia sizes fitted besides the reference): all 6 -> 2 (the smallest and the largest below it)
    figures: saved as drafts (``plotting.set_theme(quick)``: 120 -> 60 dpi, unhinted text, no tight crop)
    (the specification curve's choices shrink in ``evidence.choices``: 216 -> 16 specifications;
    BrowseComp fits one form in ``published``)
    """
    q = p.quick
    n_nodes = 96 if q else p.n_nodes
    n_nodes_vote = min(n_nodes, 48) if q else p.n_nodes_vote
    k_vote = min(p.k_max_vote, 48) if q else p.k_max_vote
    synthetic_samples = min(p.synthetic_samples, 200) if q else p.synthetic_samples
    return SimpleNamespace(
        n_boot=QUICK_N_BOOT if q else p.n_boot, n_nodes=n_nodes, n_nodes_vote=n_nodes_vote,
        profile_points=10 if q else p.profile_points, k_max_vote=k_vote,
        curve_profile_points=QUICK_CURVE_PROFILE_POINTS if q else None,
        curve_gradient="analytic" if q else "numeric",
        curve_forms=("power_saturating",) if q else ("power_saturating", "logistic_log"),
        curve_profile_xtol=QUICK_CURVE_PROFILE_XTOL if q else None,
        profile_xtol=QUICK_CURVE_PROFILE_XTOL if q else 1e-5,
        synthetic_problems=min(p.synthetic_problems, 150) if q else p.synthetic_problems,
        synthetic_samples=synthetic_samples, observed_k_max=min(p.observed_k_max, synthetic_samples),
        pi0_points=min(p.pi0_points, 3) if q else p.pi0_points,
        tb_r=p.tb_reasoning_models[:1] if q else list(p.tb_reasoning_models),
        tb_nr=p.tb_non_reasoning_models[:2] if q else list(p.tb_non_reasoning_models),
        monkeys_smaller=2 if q else None,
        k_max={"pass_at_k": 10 ** 12, "verifier": 10 ** 12, "majority_vote": k_vote},
        selector=Selector(p.wrong_concentration, p.verifier_tpr, p.verifier_fpr),
        agg_label={"pass_at_k": "perfect verifier (pass@k)", "majority_vote": "majority vote",
                   "verifier": f"learned verifier (TPR {p.verifier_tpr:g}, FPR {p.verifier_fpr:g})"},
        nodes={"pass_at_k": n_nodes, "verifier": n_nodes, "majority_vote": n_nodes_vote},
    )


def describe(s: SimpleNamespace, quick: bool) -> str:
    return (f"quick={quick}: {s.n_boot} bootstrap resamples, {s.n_nodes} quantile nodes, majority vote searched up "
            f"to k={s.k_max_vote}, {s.synthetic_problems} synthetic problems x {s.synthetic_samples} samples")
