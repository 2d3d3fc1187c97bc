"""Notebook 07's parameters: the schema of its ``parameters`` cell and the checks across parameters.

``SCHEMA`` lists every parameter in the cell's order with its type and range (``helpers.schema``). The
checks across parameters: a learned verifier's false-positive rate is below its true-positive rate;
``rs_model`` holds only ``RSModel`` fields (``levers.RS_FIELDS``) with valid values; ``cache_read_share``
and ``logs_path`` are not both given. ``validate_inputs`` applies the same schema to the planner's inputs
given as keywords (for code and tests that call the planner without a notebook). ``sizes`` gives the sizes
a run uses (quick mode shrinks them).
"""
from __future__ import annotations

from .. import schema as S
from ..validate import ParameterError
from . import claims as K
from .levers import rs_model_from
from .options import AGGREGATIONS


def _verifier_rates(p) -> None:
    if p.aggregation == "verifier" and not p.verifier_tpr > p.verifier_fpr:
        raise ParameterError(f"parameter 'verifier_fpr' = {p.verifier_fpr!r} must be below 'verifier_tpr' = "
                             f"{p.verifier_tpr!r} (a verifier that accepts wrong answers more often than right ones "
                             f"makes more samples worse)")


def _rs_model(p) -> None:
    rs_model_from(p.rs_model, tokens_per_search_step=float(p.tokens_per_search_step))


def _one_cache_source(p) -> None:
    if p.logs_path is not None and p.cache_read_share is not None:
        raise ParameterError("parameters 'cache_read_share' and 'logs_path' are both set: give the measured share "
                             "or the logs to measure it from, not both")


_beta = S.number(0.0, 1000.0, lo_open=True)
_tokens_in = S.integer(0, 10 ** 8)
_tokens_out = S.Param("int", 0, 10 ** 8, lo_open=True)

SCHEMA = S.Schema({
    "quick": S.boolean(),
    "seed": S.seed(),
    "target_accuracy": S.probability(lo_open=True, hi_open=True).or_none(),
    "budget_cap_usd": S.number(0.0, 1e9, lo_open=True).or_none(),
    "pi0_nr": S.probability(hi_open=True),
    "a_nr": _beta,
    "b_nr": _beta,
    "pi0_r": S.probability(hi_open=True),
    "a_r": _beta,
    "b_r": _beta,
    "problems_path": S.path("file").or_none(),
    "n_problems": S.integer(50, 200_000),
    "predictor_noise": S.number(0.0, 50.0),
    "n_bins": S.integer(1, 100),
    "probe_samples": S.integer(1, 64),
    "price_provider": S.choice(sorted(K.BASE_PRICES)),
    "input_usd_per_mtok": S.number(0.0, 1e6).or_none(),
    "output_usd_per_mtok": S.number(0.0, 1e6, lo_open=True).or_none(),
    "reasoning_price_multiplier": S.number(0.0, 1000.0, lo_open=True),
    "usd_per_search_call": S.number(0.0, 1e3),
    "input_tokens_per_sample_nr": _tokens_in,
    "output_tokens_per_sample_nr": _tokens_out,
    "input_tokens_per_sample_r": _tokens_in,
    "output_tokens_per_sample_r": _tokens_out,
    "tokens_per_search_step": _tokens_out,
    "cache_read_share": S.probability().or_none(),
    "cache_write_share": S.probability(),
    "logs_path": S.path("file or folder").or_none(),
    "reasoning_model_available": S.boolean(),
    "aggregation": S.choice(AGGREGATIONS),
    "verifier_tpr": S.probability(),
    "verifier_fpr": S.probability(),
    "min_saving": S.probability(hi_open=True),
    "max_samples_per_task": S.integer(1, 100_000),
    "rs_model": S.mapping(),
    "target_grid": S.sequence(S.probability(lo_open=True, hi_open=True)),
}, checks=[_verifier_rates, _rs_model, _one_cache_source])

# the planner's inputs (every parameter but the run's own: quick, seed, the sweep's targets)
INPUTS = tuple(n for n in SCHEMA if n not in ("quick", "seed", "target_grid"))


def validate_inputs(**inputs) -> dict:
    """Check the planner's inputs (``INPUTS``, given as keywords; ``problems_path`` and ``logs_path`` may be
    left out) against ``SCHEMA`` and its checks; raise ``ParameterError`` naming the parameter. Returns the
    resolved paths ``{"problems_path": Path | None, "logs_path": Path | None}``."""
    values = {"problems_path": None, "logs_path": None, **inputs}
    unknown = sorted(set(values) - set(INPUTS))
    if unknown:
        raise TypeError(f"validate_inputs() got unexpected input(s) {unknown}")
    missing = [n for n in INPUTS if n not in values]
    if missing:
        raise TypeError(f"validate_inputs() is missing input(s) {missing}")
    checked = S.Params({n: SCHEMA[n].check(n, values[n]) for n in INPUTS}, values)
    for check in SCHEMA.checks:
        check(checked)
    return {"problems_path": checked.problems_path, "logs_path": checked.logs_path}


def sizes(params) -> dict:
    """The sizes a run uses: tasks per simulated workload, budget refinement points, the sweep's targets
    (quick mode: at most 600 tasks, 8 refinement points, the grid's first and last target; figures saved as
    drafts, ``plotting.set_theme(quick)``: 120 -> 60 dpi, unhinted text, no tight crop)."""
    quick = params.quick
    return {"n_tasks_used": min(params.n_problems, 600) if quick else params.n_problems,
            "refine_points_used": 8 if quick else 24,
            "targets_used": [params.target_grid[0], params.target_grid[-1]] if quick else list(params.target_grid)}
