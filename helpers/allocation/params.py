"""Notebook 03's parameters: the schema (types, ranges, cross checks) and the sizes a run derives from them.

``SCHEMA`` lists every parameter of the notebook's parameters cell, in the cell's order, with its type
annotation and valid values; ``schema.load(globals(), SCHEMA)`` checks them all before any computation.
Cross checks: the reference and share budgets are on the budget grid, easy_min_p > hard_max_p, the MATH-level
sample floor reaches the largest budget, selector budgets fit selector_kmax, and every headline choice of
the rule (bar, level, split seed) is among its specification-curve alternatives.

``sizes(params)`` gives the sizes the run uses (quick mode shrinks them all: a smoke run in seconds);
``recorded(params, sizes)`` is the parameters block of the results file (the sizes actually used).
"""
from __future__ import annotations

from types import SimpleNamespace

from .. import schema as S
from ..validate import ParameterError
from .replay import AGGREGATIONS


def _on_grid(p) -> None:
    for i, b in enumerate(p.reference_budgets):
        if b not in p.budgets:
            raise ParameterError(f"parameter 'reference_budgets[{i}]' = {b!r} is not in budgets {p.budgets}")
    if p.share_budget not in p.budgets:
        raise ParameterError(f"parameter 'share_budget' = {p.share_budget!r} is not in budgets {p.budgets}")


def _thresholds(p) -> None:
    if not p.easy_min_p > p.hard_max_p:
        raise ParameterError(f"parameter 'easy_min_p' = {p.easy_min_p!r} must exceed hard_max_p = {p.hard_max_p!r}")
    if p.levels_min_samples < max(p.budgets):
        raise ParameterError(f"parameter 'levels_min_samples' = {p.levels_min_samples!r} must be at least the "
                             f"largest budget ({max(p.budgets)!r})")
    for i, b in enumerate(p.selector_budgets):
        if b > p.selector_kmax:
            raise ParameterError(f"parameter 'selector_budgets[{i}]' = {b!r} exceeds selector_kmax = {p.selector_kmax!r}")


def _headline_in_specs(p) -> None:
    for name, val, alts in (("ratio_threshold", p.ratio_threshold, p.spec_bars), ("level", p.level, p.spec_levels),
                            ("split_seed", p.split_seed, p.spec_split_seeds)):
        if val not in alts:
            raise ParameterError(f"parameter {name!r} = {val!r} must be among its specification alternatives {alts}")


_BUDGET = S.integer(1, 100000)
_UNIT_OPEN = S.number(0, 1, lo_open=True, hi_open=True)

SCHEMA = S.Schema({
    "quick": S.boolean(),
    "seed": S.seed(),
    "problems_path": S.path("file").or_none(),
    "budgets": S.sequence(_BUDGET, increasing=True),
    "reference_budgets": S.sequence(_BUDGET),
    "share_budget": _BUDGET,
    "n_problems": S.integer(100, 200000),
    "beta_a": S.number(0, 1000, lo_open=True),
    "beta_b": S.number(0, 1000, lo_open=True),
    "pi0": S.probability(hi_open=True),
    "predictor_noise": S.number(0, 50),
    "noise_grid": S.sequence(S.number(0, 50)),
    "predictor_floor": S.number(0, 0.5, lo_open=True, hi_open=True),
    "n_bins": S.integer(1, 100),
    "probe_samples": S.integer(1, 64),
    "hard_max_p": _UNIT_OPEN,
    "easy_min_p": S.number(0, 1, lo_open=True),
    "n_boot": S.integer(0, 5000),
    "n_boot_synthetic": S.integer(0, 5000),
    "uniform_max_factor": S.integer(2, 4096),
    "coarse_evaluation": S.choice("posterior", "plugin"),
    "cost_weighted": S.boolean(),
    "levels_min_samples": S.integer(1, None),
    "levels_max_unsolved": S.number(0, 1, lo_open=True),
    "selector_problems": S.integer(20, 5000),
    "selector_kmax": S.integer(2, 256),
    "selector_budgets": S.sequence(S.integer(1, 256)),
    "wrong_concentration": S.probability(),
    "verifier_tpr": S.probability(),
    "verifier_fpr": S.probability(),
    "hetero_problems": S.integer(50, 100000),
    "hetero_pi0": S.sequence(S.probability(hi_open=True)),
    "hetero_concentration": S.sequence(S.number(0, 10000, lo_open=True)),
    "hetero_mean_p": _UNIT_OPEN,
    "ratio_threshold": S.number(1, 100, lo_open=True),
    "support_share": S.number(0.5, 1, lo_open=True),
    "min_resolved_cells": S.integer(1, 1000),
    "level": S.number(0.5, 1, lo_open=True, hi_open=True),
    "aggregation": S.choice(AGGREGATIONS),
    "split_seed": S.integer(0, 1000),
    "split_fraction": S.number(0.2, 0.8),
    "agent_budgets": S.sequence(S.integer(1, 64), increasing=True),
    "replay_min_attempts": S.integer(1, 64),
    "few_attempts": S.integer(2, 100000),
    "spec_bars": S.sequence(S.number(1, 100, lo_open=True)),
    "spec_levels": S.sequence(S.number(0.5, 1, lo_open=True, hi_open=True)),
    "spec_split_seeds": S.sequence(S.integer(0, 1000)),
    "n_boot_prior": S.integer(0, 1000),
    "mcpmark_max_configs": S.integer(0, 100),
}, checks=[_on_grid, _thresholds, _headline_in_specs])


def sizes(p) -> SimpleNamespace:
    """The sizes a run uses: the parameters' own, or (``quick``) a few budgets, problems and replicates.

    Quick mode shrinks (full -> quick; every cell still runs, every figure is drawn, every results key written):

    - budgets: the grid -> 1, 4, the reference budgets and the share budget
    - n_problems (synthetic): n_problems -> at most 200
    - n_boot: n_boot -> at most 5; n_boot_synthetic: -> at most 4
    - noise_grid: the grid -> its minimum, predictor_noise and its maximum
    - selector_problems: -> at most 30; selector_kmax: -> at most 8; selector_budgets: the first 2 within kmax
    - hetero_problems: -> at most 100; hetero_pi0, hetero_concentration: the first and the last value
    - models per logged dataset: all -> 1 (max_models); models of the user's file: all -> 2 (max_user_models)
    - spec_split_seeds: the list -> split_seed alone; spec_bars: -> ratio_threshold alone; spec_levels: -> level alone
    - the specification curve's other choices (in the notebook, ``verdicts.quick_choices``): the headline value
      and one alternative each; policies: 3 -> 2 sets (specifications 12 -> 8)
    - n_boot_prior: -> at most 1
    - mcpmark_max_configs: -> at most 2
    - n_lambda (threshold grid of the oracle and binned policies in the bootstrap): 600 -> 150
    - figures: saved as drafts (``plotting.set_theme(quick)``: 120 -> 60 dpi, unhinted text, no tight crop)
    """
    z = SimpleNamespace(
        budgets=[float(b) for b in p.budgets], ref=[float(b) for b in p.reference_budgets],
        n_syn=p.n_problems, n_boot=p.n_boot, n_boot_syn=p.n_boot_synthetic, noises=list(p.noise_grid),
        sel_n=p.selector_problems, sel_k=p.selector_kmax, sel_b=list(p.selector_budgets),
        het_n=p.hetero_problems, het_pi0=list(p.hetero_pi0), het_kappa=list(p.hetero_concentration),
        max_models=None, max_user_models=None, agent_budgets=[float(b) for b in p.agent_budgets], split_seeds=list(p.spec_split_seeds), spec_bars=list(p.spec_bars), spec_levels=list(p.spec_levels),
        n_boot_prior=p.n_boot_prior, mcp_configs=p.mcpmark_max_configs, n_lambda=None)
    if p.quick:
        z.budgets = sorted({b for b in z.budgets if b in {1.0, 4.0} or b in z.ref or b == p.share_budget})
        z.n_syn, z.n_boot, z.n_boot_syn = min(p.n_problems, 200), min(p.n_boot, 5), min(p.n_boot_synthetic, 4)
        z.noises = sorted({float(min(p.noise_grid)), float(p.predictor_noise), float(max(p.noise_grid))})
        z.sel_n, z.sel_k = min(p.selector_problems, 30), min(p.selector_kmax, 8)
        z.sel_b = [b for b in p.selector_budgets if b <= z.sel_k][:2] or [1]
        z.het_n = min(p.hetero_problems, 100)
        z.het_pi0 = [p.hetero_pi0[0], p.hetero_pi0[-1]]
        z.het_kappa = [p.hetero_concentration[0], p.hetero_concentration[-1]]
        z.max_models, z.max_user_models = 1, 2
        z.split_seeds, z.n_boot_prior = [p.split_seed], min(p.n_boot_prior, 1)
        z.spec_bars, z.spec_levels = [p.ratio_threshold], [p.level]
        z.mcp_configs = min(p.mcpmark_max_configs or 2, 2)
        z.n_lambda = 150
    z.uniform_max = max(z.budgets) * p.uniform_max_factor
    return z


def describe(z) -> str:
    """The one line a run prints about its sizes."""
    return (f"budgets (mean samples per problem): {[int(b) for b in z.budgets]}; reference budgets "
            f"{[int(b) for b in z.ref]}; {z.n_syn} synthetic problems; {z.n_boot} bootstrap replicates "
            f"({z.n_boot_syn} for the synthetic population)")


def recorded(p, z) -> dict:
    """The results file's parameters block: the values given, with the sizes the run actually used."""
    v = p.as_dict()
    used = {"budgets": [int(b) for b in z.budgets], "reference_budgets": z.ref, "n_problems": z.n_syn,
            "noise_grid": z.noises, "n_boot": z.n_boot, "n_boot_synthetic": z.n_boot_syn,
            "selector_problems": z.sel_n, "selector_kmax": z.sel_k, "selector_budgets": z.sel_b,
            "hetero_problems": z.het_n, "hetero_pi0": z.het_pi0, "hetero_concentration": z.het_kappa,
            "agent_budgets": z.agent_budgets, "spec_bars": z.spec_bars, "spec_levels": z.spec_levels,
            "spec_split_seeds": z.split_seeds, "n_boot_prior": z.n_boot_prior, "mcpmark_max_configs": z.mcp_configs}
    return {**{k: used.get(k, v[k]) for k in SCHEMA}, "max_models_per_dataset": z.max_models}
