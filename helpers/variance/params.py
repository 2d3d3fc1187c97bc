"""Notebook 02's parameters: the schema of its ``parameters`` cell and the checks across parameters.

``SCHEMA`` lists every parameter in the cell's order with its type and range (``helpers.schema``); the
checks across parameters: capabilities are logit numbers in [-10, 10], every model list names distinct
models of ``model_capability``, the upgrade goes between two different models of it. ``sizes`` gives the
sizes a run uses (quick mode shrinks them).
"""
from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Mapping

from .. import schema as S
from ..validate import ParameterError
from .verdict import SCALES, STATISTICS


def check_capabilities(name: str, value) -> dict[str, float]:
    """A {model name: capability (logit)} mapping with at least one entry and finite numbers."""
    if not isinstance(value, Mapping) or not value:
        raise ParameterError(f"parameter {name!r} must be a non-empty dict {{model: capability}}, got {value!r}")
    for k, v in value.items():
        if not isinstance(k, str) or not k or isinstance(v, bool) or not isinstance(v, (int, float)) \
                or not math.isfinite(v) or abs(v) > 10:
            raise ParameterError(f"parameter {name!r}: entry {k!r}: {v!r} must be a capability in [-10, 10] (logit)")
    return dict(value)


def check_model_list(name: str, value, capabilities: Mapping[str, float]) -> list[str]:
    """A non-empty list of distinct model names, each a key of ``capabilities``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or not value:
        raise ParameterError(f"parameter {name!r} must be a non-empty list of model names, got {value!r}")
    bad = [m for m in value if m not in capabilities]
    if bad or len(set(value)) != len(value):
        raise ParameterError(f"parameter {name!r} = {value!r}: names must be distinct keys of {list(capabilities)}")
    return list(value)


def _models(p) -> None:
    caps = check_capabilities("model_capability", p.model_capability)
    for name in ("wide_models", "narrow_models", "mechanism_models"):
        check_model_list(name, getattr(p, name), caps)
    if p.upgrade_from not in caps:
        raise ParameterError(f"parameter 'upgrade_from' = {p.upgrade_from!r} is not one of {list(caps)}")
    others = [m for m in caps if m != p.upgrade_from]
    if p.upgrade_to not in others:
        raise ParameterError(f"parameter 'upgrade_to' = {p.upgrade_to!r} is not one of {others}")


_spread = S.number(0.0, 20.0, lo_open=True)

SCHEMA = S.Schema({
    "quick": S.boolean(),
    "seed": S.seed(),
    "runs_path": S.path("file").or_none(),
    "n_boot": S.integer(20, 20000),
    "level": S.number(0.5, 0.999),
    "n_tasks_sim": S.integer(20, 5000),
    "runs_per_cell": S.integer(1, 20),
    "model_capability": S.mapping(),
    "token_effect": S.number(0.0, 5.0),
    "difficulty_sd": S.number(0.0, 10.0),
    "log2_budget_min": S.number(6.0, 30.0),
    "subagents": S.sequence(S.integer(1, 64)),
    "n_budget_levels": S.integer(2, 20),
    "wide_models": S.sequence(S.text()),
    "wide_spread": _spread,
    "narrow_models": S.sequence(S.text()),
    "narrow_spread": _spread,
    "mechanism_models": S.sequence(S.text()),
    "mechanism_spread": _spread,
    "loop_effect": S.number(0.0, 10.0),
    "token_noise_sd": S.number(0.0, 5.0),
    "spread_grid": S.sequence(_spread, increasing=True),
    "upgrade_from": S.text(),
    "upgrade_to": S.text(),
    "claim_tolerance": S.number(0.0, 0.5),
    "statistic": S.choice(STATISTICS),
    "scale": S.choice(SCALES),
    "min_points_per_param": S.number(1.0, 100.0),
    "support_share": S.number(0.5, 1.0, lo_open=True),
    "min_resolved": S.integer(1, 20),
    "mcpmark_quick_tasks": S.integer(5, 127),
}, checks=[_models])


def sizes(p) -> SimpleNamespace:
    """Sizes of a run: bootstrap resamples ``B``, tasks per synthetic design ``T``, the sweep's spreads ``GRID``,
    tasks kept per logged coding-agent source with a task column ``LOGGED_TASKS`` (None: all), bootstrap
    resamples of the within-task figure's fits ``FIG_BOOT``, the simulator's keyword arguments ``SIM`` and the
    model catalogue ``caps``. Quick mode shrinks (full -> quick):

    - B (n_boot): n_boot -> 20
    - T (n_tasks_sim): n_tasks_sim -> 40
    - GRID (spread_grid): every spread -> three (first, middle, last)
    - LOGGED_TASKS (SWE-Effi, Terminal-Bench tasks): all -> a seeded draw of 16
    - FIG_BOOT (within-task figure, seaborn regplot resamples): 200 -> 20
    - the specification curve (in the notebook, ``verdicts.quick_choices``): 216 -> 64 specifications (per choice
      the headline value and one alternative)
    - figures: saved as drafts (``plotting.set_theme(quick)``: 120 -> 60 dpi, unhinted text, no tight crop)
    """
    grid = list(p.spread_grid)
    return SimpleNamespace(
        caps=check_capabilities("model_capability", p.model_capability),
        B=20 if p.quick else p.n_boot, T=40 if p.quick else p.n_tasks_sim,
        GRID=[grid[0], grid[len(grid) // 2], grid[-1]] if p.quick else grid,
        LOGGED_TASKS=16 if p.quick else None, FIG_BOOT=20 if p.quick else 200,
        SIM=dict(token_effect=p.token_effect, difficulty_sd=p.difficulty_sd, loop_effect=p.loop_effect,
                 token_noise_sd=p.token_noise_sd, subagents=p.subagents, runs=p.runs_per_cell))
