"""Notebook 02's steps: the simulated designs, the budget-range sweep, recovery, and each logged source.

Every step draws from its own Generator (``entries.rng_for(seed, name)``), so a step's numbers do not depend
on which steps ran before it. ``p`` is the notebook's checked parameters (``params.SCHEMA``), ``size`` its
run sizes (``params.sizes``). Each step returns the results entries it adds ('<source>_<unit>' keys) and
prints what a reader needs to follow it (rows dropped, sources missing on this machine).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .. import agent_runs, datasets, registry, results
from .attribution import attribute
from .entries import analyse_logged, analyse_runs, deepdive_entries, rng_for
from .frames import UNITS, available_groups, prepare
from .model import closed_form_two_predictors, explainable_ceiling, simulate_linear_groups, simulate_runs
from .sources import from_agent_eval, from_deepdive, from_mcpmark, from_swe_effi, from_terminal_bench

SIM_GROUPS = ["tokens", "tool_calls", "model"]
DESIGN_KEYS = ("synthetic_wide_config", "synthetic_wide_run", "synthetic_narrow_config", "synthetic_narrow_run")
MECHANISM_KEYS = ("synthetic_mechanism_budget_run", "synthetic_mechanism_usage_run",
                  "synthetic_mechanism_budget_config", "synthetic_mechanism_usage_config")


def budgets(p, spread: float) -> list:
    """``n_budget_levels`` budgets (log2 tokens) evenly spaced over ``spread`` doublings from ``log2_budget_min``."""
    return list(p.log2_budget_min + np.linspace(0.0, spread, p.n_budget_levels))


def simulate(p, size, name: str, models: Sequence[str], spread: float, mechanism: str = "budget") -> pd.DataFrame:
    """Synthetic runs of ``models`` over ``spread`` doublings of budget (``model.simulate_runs``)."""
    return simulate_runs(rng_for(p.seed, f"sim_{name}"), n_tasks=size.T,
                         capabilities={m: size.caps[m] for m in models}, log2_budgets=budgets(p, spread),
                         mechanism=mechanism, **size.SIM)


def recovery(p, size) -> pd.DataFrame:
    """Attribution of linear runs with known shares (independent and correlated tokens/tool calls) against
    the closed form: one row per (case, group, quantity) with the estimate, its interval and coverage."""
    n_lin = 1000 if p.quick else 6000
    truth = dict(b_tok=1.0, b_call=0.5, model_effects=[-1.0, 0.0, 1.0], noise_sd=1.0)
    rows = []
    for case, rho in (("independent", 0.0), ("correlated", 0.8)):
        df = simulate_linear_groups(rng_for(p.seed, f"linear_{case}"), n_lin, rho=rho, n_tasks=200, **truth)
        att = attribute(df, ["tokens", "tool_calls", "model"], n_boot=size.B, rng=rng_for(p.seed, f"boot_{case}"),
                        level=p.level)
        cf = closed_form_two_predictors(rho=rho, **truth)
        for g in att.groups:
            for kind, est, ci, true in (("Shapley share", att.shares[g], att.shares_ci[g], cf["shares"][g]),
                                        ("alone R²", att.alone_r2[g], att.alone_ci[g], cf["alone"][g])):
                rows.append({"case": case, "rho": rho, "group": g, "quantity": kind, "true": true, "estimate": est,
                             "lo": ci[0], "hi": ci[1], "covered": ci[0] <= true <= ci[1]})
    return pd.DataFrame(rows)


def designs(p, size) -> tuple[dict, list, dict, list]:
    """The wide, narrow and the two mechanism designs, each attributed per run and per configuration.

    Returns (entries, notes, simulated frames by design, data sources).
    """
    entries, notes, frames, sources = {}, [], {}, []
    for name, models, spread, mech in (("wide", p.wide_models, p.wide_spread, "budget"),
                                       ("narrow", p.narrow_models, p.narrow_spread, "budget"),
                                       ("mechanism_budget", p.mechanism_models, p.mechanism_spread, "budget"),
                                       ("mechanism_usage", p.mechanism_models, p.mechanism_spread, "usage")):
        sim = simulate(p, size, name, models, spread, mech)
        frames[name] = sim
        runs = prepare(sim)
        res, nts = analyse_runs(runs, [g for g in SIM_GROUPS if g in available_groups(runs)],
                                source=f"synthetic ({mech} mechanism)", n_boot=size.B,
                                rng=rng_for(p.seed, f"att_{name}"), level=p.level, controls=("model",),
                                extra={"design": {"models": models, "spread_doublings": spread, "mechanism": mech}})
        notes += nts
        for unit, e in res.items():
            if e is not None:
                if unit == "run":
                    e["explainable_ceiling"] = explainable_ceiling(sim)
                entries[f"synthetic_{name}_{unit}"] = e
        sources.append(results.source(f"synthetic_{name}", "synthetic", len(sim)))
    return entries, notes, frames, sources


def sweep(p, size) -> pd.DataFrame:
    """Tokens alone R² and Shapley share, with intervals, per unit for each budget range of the grid."""
    rows = []
    for spread in size.GRID:
        sim = simulate_runs(rng_for(p.seed, f"sweep_{spread}"), n_tasks=size.T,
                            capabilities={m: size.caps[m] for m in p.wide_models}, log2_budgets=budgets(p, spread),
                            **size.SIM)
        runs = prepare(sim)
        for unit in UNITS:
            att = attribute(runs, [g for g in SIM_GROUPS if g in available_groups(runs)], unit=unit, n_boot=size.B,
                            rng=rng_for(p.seed, f"sweep_att_{spread}_{unit}"), level=p.level)
            for kind, val, ci in (("alone R²", att.alone_r2["tokens"], att.alone_ci["tokens"]),
                                  ("Shapley share", att.shares["tokens"], att.shares_ci["tokens"])):
                rows.append({"spread": spread, "unit": unit, "quantity": kind, "value": val, "lo": ci[0], "hi": ci[1]})
    return pd.DataFrame(rows)


def upgrade_runs(p, size) -> pd.DataFrame:
    """Runs of the two models of the upgrade over the wide design's budgets."""
    caps = size.caps
    return simulate_runs(rng_for(p.seed, "sim_upgrade"), n_tasks=size.T,
                         capabilities={p.upgrade_from: caps[p.upgrade_from], p.upgrade_to: caps[p.upgrade_to]},
                         log2_budgets=budgets(p, p.wide_spread), **size.SIM)


def deepdive(p, size) -> tuple[dict, dict, pd.DataFrame | None, list]:
    """DeepDive's configurations: ({'deepdive_config': entry}, {'deepdive_config_no_orchestration': entry},
    the frame (None when absent), data sources)."""
    try:
        agg = agent_runs.deepdive_aggregate()
        frame, excluded = from_deepdive(agg)
        n_ex = int((~agg["tokens_logged"]).sum())
        extra = deepdive_entries(frame, excluded, n_ex, n_boot=max(size.B, 200), rng=rng_for(p.seed, "att_deepdive"),
                                 level=p.level)
        main = {"deepdive_config": extra.pop("deepdive_config")}
        sources = [results.source("published/deepdive_multiagent_aggregate.csv", "published", len(agg),
                                  results.file_sha256(datasets.published_path("deepdive_multiagent_aggregate")))]
        print(f"DeepDive: {len(frame)} configurations with tokens; {n_ex} configurations of "
              f"{', '.join(excluded)} logged no tokens and are excluded from token analyses.")
        return main, extra, frame, sources
    except (registry.DataUnavailable, FileNotFoundError, KeyError) as exc:
        print(f"DeepDive not available: {exc}")
        return {}, {}, None, [results.source("deepdive_aggregate", "published", None, None, available=False)]


def mcpmark(p, size) -> tuple[dict, pd.DataFrame | None, list]:
    """MCPMark runs per run and per configuration: (entries, run frame or None, data sources).
    Quick mode keeps a seeded draw of ``mcpmark_quick_tasks`` tasks."""
    try:
        raw = agent_runs.mcpmark_runs()
    except registry.DataUnavailable as exc:
        print(f"MCPMark not available: {exc}")
        return {}, None, [results.source("mcpmark", "logged", None, None, available=False)]
    fr, dropped = from_mcpmark(raw)
    runs = prepare(fr)
    if p.quick:
        tasks = np.sort(runs["task"].unique())
        keep = rng_for(p.seed, "mcpmark_quick").choice(tasks, min(p.mcpmark_quick_tasks, len(tasks)), replace=False)
        runs = runs[runs["task"].isin(keep)].reset_index(drop=True)
    res, nts = analyse_logged(runs, ["tokens", "tool_calls", "model", "service"], source="mcpmark", n_boot=size.B,
                              rng=rng_for(p.seed, "att_mcpmark"), level=p.level, controls=("model",))
    entries = {}
    for unit, e in res.items():
        if e is not None:
            e["dropped_token_runs"] = dropped
            entries[f"mcpmark_{unit}"] = e
    print(f"MCPMark: {len(runs)} runs, {runs['config'].nunique()} configurations, {runs['task'].nunique()} "
          f"tasks; {dropped} runs without a positive token count left out." + "".join(f" Note: {n}" for n in nts))
    return entries, runs, [results.source("mcpmark", "logged", len(raw), None,
                                          note=f"{dropped} runs without a positive token count left out")]


def logged(name: str, loader: Callable, convert: Callable, groups: Sequence[str], reg_name: str | None, p, size, *,
           within_config: bool = False, trials: str | None = None) -> tuple[dict, pd.DataFrame | None, dict]:
    """One logged coding-agent source: (entries, run frame or None when absent, data source)."""
    try:
        raw = loader()
    except registry.DataUnavailable as exc:
        print(f"{name}: not available. {exc}")
        return {}, None, results.source(name, "logged", None, None, available=False)
    runs = prepare(convert(raw))
    n_all = len(runs)
    cap = getattr(size, "LOGGED_TASKS", None)
    if cap is not None and "task" in runs and runs["task"].nunique() > cap:  # quick mode: a seeded draw of tasks
        keep = rng_for(p.seed, f"{name}_quick").choice(np.sort(runs["task"].unique()), cap, replace=False)
        runs = runs[runs["task"].isin(keep)].reset_index(drop=True)
    g = [x for x in groups if x in available_groups(runs, groups)]
    res, nts = analyse_logged(runs, g, source=name, n_boot=size.B, rng=rng_for(p.seed, f"att_{name}"), level=p.level,
                              controls=("model", "scaffold"), within_config=within_config, trials=trials)
    for n in nts:
        print("note:", n)
    entries = {f"{name}_{unit}": e for unit, e in res.items() if e is not None}
    sha = registry.entry(reg_name).sha256 if reg_name else None
    dropped = len(raw) - n_all
    source = results.source(name, "logged", len(raw), sha,
                            note=f"{dropped} rows without tokens dropped" if dropped else None)
    print(f"{name}: {len(runs)} runs, {runs['model'].nunique()} models, {runs['config'].nunique()} configurations"
          + (f", {runs['task'].nunique()} tasks" if "task" in runs else ", no task column")
          + (f"; {dropped} rows with zero tokens dropped" if dropped else ""))
    return entries, runs, source


def coding_agents(p, size) -> tuple[dict, dict, list]:
    """SWE-Effi, Terminal-Bench and agent-eval (generality checks): (entries, run frames, data sources)."""
    entries, frames, sources = {}, {}, []
    for name, loader, convert, groups, reg, kw in (
            ("swe_effi", datasets.swe_effi, from_swe_effi, ["tokens", "tool_calls", "model", "scaffold"], None, {}),
            ("terminal_bench", datasets.terminal_bench_trials, from_terminal_bench, ["tokens", "model"],
             "terminal_bench/trial_token_usage", {}),
            ("agent_eval", datasets.agent_eval_humaneval, from_agent_eval, ["tokens", "model", "scaffold"],
             "agent_eval/humaneval_results", {"within_config": True, "trials": "n_tasks"})):
        e, runs, src = logged(name, loader, convert, groups, reg, p, size, **kw)
        entries.update(e)
        if runs is not None:
            frames[name] = runs
        sources.append(src)
    return entries, frames, sources


def user(runs_file, user_runs: pd.DataFrame, p, size) -> tuple[dict, list]:
    """The user's runs, attributed the same way: (entries, data sources)."""
    runs = prepare(user_runs)
    g = available_groups(runs, ["tokens", "tool_calls", "model"])
    res, nts = analyse_logged(runs, g, source="user", n_boot=size.B, rng=rng_for(p.seed, "att_user"), level=p.level,
                              controls=("model",))
    for n in nts:
        print("note:", n)
    entries = {f"user_{unit}": e for unit, e in res.items() if e is not None}
    return entries, [results.source(f"user:{runs_file.name}", "logged", len(user_runs), results.file_sha256(runs_file))]
