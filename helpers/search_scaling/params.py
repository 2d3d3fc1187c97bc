"""Notebook 01's parameters: the schema of its ``parameters`` cell and the checks across parameters.

``SCHEMA`` lists every parameter in the cell's order with its type and range (``helpers.schema``). The
checks across parameters: the quality target lies below the model's accuracy ceiling (1 -
``unsolvable_share``), the simulated curves start below their ceiling, and no curvature ratio is 1 (that
is the null). ``rs_model`` builds the (r, s) model from the parameters; ``sizes`` gives the simulation
sizes a run uses (quick mode shrinks them).
"""
from __future__ import annotations

from types import SimpleNamespace

from .. import schema as S
from .. import validate
from ..validate import ParameterError
from .data import APPROX_TREATMENTS
from .fits import DR_METHODS, SHAPE_PARAM
from .lm import MAX_ITER
from .logged import LADDER_MEASURES
from .model import RSModel

MODEL_FIELDS = ("search_slope", "search_scale", "search_offset", "reasoning_slope", "reasoning_scale",
                "reasoning_offset", "difficulty_sd", "unsolvable_share", "interaction", "tokens_per_search_step",
                "price_reasoning_per_mtok", "price_search_per_mtok", "price_per_search_call")

QUICK_SPEC_FIXED = ("min_points", "min_resolved")  # specification choices quick mode holds at the headline


def _target_below_ceiling(p) -> None:
    validate.number("target_accuracy", p.target_accuracy, 0.0, 1.0 - p.unsolvable_share, lo_open=True, hi_open=True)


def _start_below_ceiling(p) -> None:
    validate.number("sim_start", p.sim_start, 0.0, p.sim_ceiling, lo_open=True, hi_open=True)


def _ratios_not_one(p) -> None:
    if any(r == 1 for r in p.curvature_ratios):
        raise ParameterError("parameter 'curvature_ratios' must not contain 1 (that is the null)")


_log_odds = S.number(-20.0, 20.0)
_budget_cap = S.Param("int", 0, None, lo_open=True)

SCHEMA = S.Schema({
    "quick": S.boolean(),
    "seed": S.seed(),
    "curves_path": S.path("file").or_none(),
    "search_slope": S.positive(),
    "search_scale": S.positive(),
    "search_offset": _log_odds,
    "reasoning_slope": S.positive(),
    "reasoning_scale": S.positive(),
    "reasoning_offset": _log_odds,
    "difficulty_sd": S.number(0.0, 10.0),
    "unsolvable_share": S.probability(hi_open=True),
    "interaction": S.probability(),
    "interaction_grid": S.sequence(S.probability(), min_len=2),
    "tokens_per_search_step": S.positive(),
    "price_reasoning_per_mtok": S.positive(),
    "price_search_per_mtok": S.number(0.0),
    "price_per_search_call": S.number(0.0),
    "target_accuracy": S.probability(lo_open=True, hi_open=True),
    "fungibility_tolerance": S.probability(lo_open=True, hi_open=True),
    "max_reasoning_tokens": _budget_cap,
    "max_search_steps": _budget_cap,
    "factorial_factor": S.number(1.0, 1e3, lo_open=True),
    "use_known_n": S.boolean(),
    "approx_readings": S.choice(APPROX_TREATMENTS),
    "approx_reading_sd": S.number(0.0, 0.5),
    "search_axes": S.sequence(S.choice("search_steps", "samples")),
    "shape_form": S.choice(tuple(SHAPE_PARAM)),
    "dispersion": S.choice("binomial", "quasi"),
    "alpha": S.probability(lo_open=True, hi_open=True),
    "min_power": S.probability(lo_open=True),
    "curvature_ratios": S.sequence(S.positive()),
    "flat_tolerance": S.number(0.0, 1.0),
    "drop_tolerance": S.number(0.0, 1.0),
    "share_for_support": S.number(0.5, 1.0, lo_open=True),
    "min_resolved": S.integer(1, 1000),
    "min_points": S.integer(3, 20),
    "dr_method": S.choice(DR_METHODS),
    "ladders_count": S.boolean(),
    "complement_margin": S.positive(),
    "mcpmark_measure": S.choice(LADDER_MEASURES),
    "min_reported_share": S.probability(),
    "n_boot": S.integer(10, 10**6),
    "search_bin_edges": S.sequence(S.integer(0, 10**6), increasing=True, min_len=2),
    "profile_points": S.integer(5, 400),
    "n_sim": S.integer(10, 100_000),
    "power_reps": S.integer(0, 100_000),
    "n_recovery": S.integer(1, 10_000),
    "sim_points": S.integer(3, 50),
    "sim_n": S.integer(1, 10**6),
    "sim_curvature": S.number(0.0, 5.0, lo_open=True),
    "sim_ceiling": S.probability(lo_open=True),
    "sim_start": S.probability(lo_open=True, hi_open=True),
}, checks=[_target_below_ceiling, _start_below_ceiling, _ratios_not_one])


def rs_model(p) -> RSModel:
    """The (r, s) model of the notebook's parameters (``MODEL_FIELDS``)."""
    return RSModel(**{k: getattr(p, k) for k in MODEL_FIELDS})


def sizes(p) -> SimpleNamespace:
    """Sizes of a run: replicates per error-rate scenario ``N_SIM``, per pair-power scenario ``POWER_REPS``,
    recovery curves per form ``N_RECOVERY``, profile points ``PROFILE_POINTS`` and the tolerance of the profile
    interval's ends ``PROFILE_XTOL`` (of ``fit_table``), MCPMark resamples ``N_BOOT``, pair-power replicates of
    the pairs only the specification curve's alternative search axes add ``POWER_REPS_ALT``, starting points of
    each curve fit ``FIT_STARTS`` (None: all), iterations of each batched fit of the same-shape tests at most
    ``LM_ITER``, points per axis of the (r, s) surfaces ``GRID`` and of the expansion path's search grid
    ``PATH_GRID``, and the specification curve's choices held at the headline value ``SPEC_FIXED``;
    ``OTHER_FORM``: the saturating form the same-shape test does not use; ``effective``: the shrunk sizes as the
    results file records them (quick mode adds its four extra shrinks there). Quick mode shrinks (full -> quick;
    a smaller value given is kept):
    n_sim: n_sim -> at most 20
    power_reps: power_reps -> at most 4
    POWER_REPS_ALT: power_reps -> 0 (the alternative axes' pairs keep their tests, without simulated power)
    n_recovery: n_recovery -> at most 1 (its coverage reads 0 or 1: a smoke test of the recovery, not a rate)
    profile_points: profile_points -> at most 5
    PROFILE_XTOL: 1e-5 -> 5e-2 (the fitted ceilings' profile-interval ends, accuracy units)
    FIT_STARTS: all (power_saturating 9, logistic_log 6) -> 2 starting points per curve fit, the first and the last
    of its grid (``fit_table``, the recovery curves and the model slices)
    LM_ITER: 150 -> 50 (the same-shape tests' batched fits, observed pairs and simulations; the few fits still
    creeping after 50 iterations moved the study's p-values by less than 1e-8)
    n_boot: n_boot -> at most 200
    GRID: 160 -> 60
    PATH_GRID: 400 -> 60
    SPEC_FIXED: none -> min_points, min_resolved (128 -> 32 specifications; their alternatives only move a
    threshold by one)
    figures: saved as drafts (``plotting.set_theme(quick)``: 120 -> 60 dpi, unhinted text, no tight crop)
    """
    q = p.quick
    out = SimpleNamespace(N_SIM=min(p.n_sim, 20) if q else p.n_sim, POWER_REPS=min(p.power_reps, 4) if q else p.power_reps,
                          N_RECOVERY=min(p.n_recovery, 1) if q else p.n_recovery,
                          PROFILE_POINTS=min(p.profile_points, 5) if q else p.profile_points,
                          N_BOOT=min(p.n_boot, 200) if q else p.n_boot, GRID=60 if q else 160,
                          PATH_GRID=60 if q else 400, PROFILE_XTOL=5e-2 if q else 1e-5, FIT_STARTS=2 if q else None,
                          LM_ITER=50 if q else MAX_ITER,
                          SPEC_FIXED=QUICK_SPEC_FIXED if q else (), OTHER_FORM=[f for f in SHAPE_PARAM if f != p.shape_form][0])
    out.effective = {"n_sim": out.N_SIM, "power_reps": out.POWER_REPS, "n_recovery": out.N_RECOVERY,
                     "profile_points": out.PROFILE_POINTS, "n_boot": out.N_BOOT}
    out.POWER_REPS_ALT = 0 if q else out.POWER_REPS
    if q:  # full mode's record stays as it was
        out.effective.update(power_reps_alternative_axes=out.POWER_REPS_ALT, profile_xtol=out.PROFILE_XTOL,
                             fit_starts=out.FIT_STARTS, lm_iterations=out.LM_ITER)
    return out
