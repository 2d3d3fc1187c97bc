"""Claim 2's rule: evidence rows from the results entries, each row's outcome, the specification curve.

The claim: token spend by itself explains about 80 % of the variance in agent performance.

Evidence (one row per source × unit of analysis, ``helpers.verdicts`` evidence rows)
------------------------------------------------------------------------------------
In scope: logged runs of tool-use and research agents: **DeepDive** (multi-agent web research, the
setting closest to the claim; per configuration) and **MCPMark** (tool use through MCP servers, a browser
among them; per run and per configuration). Coding agents (SWE-Effi, Terminal-Bench, agent-eval) are
generality checks shown beside the verdict; simulators explain mechanisms and never appear in the table.
With user data, only the user's rows are in scope.

For each row the figure is the tokens statistic of the attribution (``helpers.variance.attribution``):

- ``statistic``  ``alone`` = R²({tokens}) (the post's "by itself") or ``shapley`` = φ_tokens;
- ``scale``      ``attainable`` = the figure divided by the attainable R² (below), or ``raw``.

**Attainable R²** (``attainable``): 1 - σ²_noise / Var(y), the share of a noisy score that any predictor
of its success probability can explain. When it is below ``MIN_ATTAINABLE`` the scores are mostly noise and
the row is unresolved on the attainable scale; when it cannot be estimated (no repeated cells) the raw
scale is used. Tokens recorded per run are an outcome of the run (a failing run can loop longer), so a
run-level tokens R² may exceed the attainable one; the ratio is not capped.

**Outcome of a row** (tolerance t, claimed share c, minimum points per parameter k):

- ``unresolved`` when the fit behind the statistic has fewer than k points per parameter (alone: 2
  parameters; Shapley: the full fit), or the row has no interval;
- ``holds``      when the interval's lower end is >= c - t (tokens explain at least about the claimed share);
- ``breaks``     when the interval's upper end is < c - t;
- ``unresolved`` otherwise (the interval straddles c - t).

**Decision**: ``verdicts.CountingRule(support_share, min_resolved)`` over the in-scope rows.

**DeepDive intervals** (``attribution.attribute_aggregate``): configurations resampled and each accuracy
redrawn Binomial(n, p̂)/n; the question-only (binomial) interval is reported beside it. The model that
logged no tokens (zeros that mean missing) is excluded from token analyses and counted.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import verdicts
from ..validate import ParameterError
from .frames import UNITS

IN_SCOPE = {"deepdive": "agentic research", "mcpmark": "tool use"}
GENERALITY = {"swe_effi": "coding agents", "terminal_bench": "coding agents", "agent_eval": "coding agents"}
MIN_ATTAINABLE = 0.1  # below this attainable R² the scores are mostly noise: the attainable scale is unresolved
STATISTICS = ("alone", "shapley")
SCALES = ("attainable", "raw")


def figure_of(entry: Mapping, statistic: str, scale: str) -> tuple[float | None, list | None, int | None]:
    """(figure, ci, parameters of the fit behind it) of the tokens group in a results entry."""
    if statistic not in STATISTICS or scale not in SCALES:
        raise ParameterError(f"statistic must be one of {STATISTICS} and scale one of {SCALES}")
    key, cikey = ("alone_r2", "alone_r2_ci") if statistic == "alone" else ("shares", "shares_ci")
    fig, ci = entry[key].get("tokens"), entry[cikey].get("tokens")
    k = 2 if statistic == "alone" else entry.get("n_params")
    if fig is None:
        return None, None, k
    att = entry.get("attainable_r2")
    if scale == "attainable" and att is not None:
        if att < MIN_ATTAINABLE:
            return float(fig), None, k  # nothing to explain beyond noise: no interval on this scale
        fig = fig / att
        ci = None if ci is None else [c / att for c in ci]
    return float(fig), ci, k


def row_outcome(fig: float | None, ci: Sequence[float] | None, n: int, n_params: int | None, claim: float,
                tolerance: float, min_points_per_param: float) -> tuple[str, str]:
    """(outcome, reason) of one row (module docstring)."""
    if fig is None or ci is None or any(c is None or not np.isfinite(c) for c in ci):
        return "unresolved", "no interval"
    if n_params and n / n_params < min_points_per_param:
        return "unresolved", f"{n} points for {n_params} parameters (fewer than {min_points_per_param:g} per parameter)"
    bar = claim - tolerance
    if ci[0] >= bar:
        return "holds", f"interval lower end {ci[0]:.2f} >= {bar:.2f}"
    if ci[1] < bar:
        return "breaks", f"interval upper end {ci[1]:.2f} < {bar:.2f}"
    return "unresolved", f"interval {ci[0]:.2f} to {ci[1]:.2f} straddles {bar:.2f}"


def source_of(key: str) -> tuple[str, str]:
    """('mcpmark', 'run') from a datasets key such as 'mcpmark_run' or 'deepdive_config_no_orchestration'."""
    for unit in UNITS:
        tag = f"_{unit}"
        if tag in key:
            i = key.rindex(tag)
            return key[:i], unit
    raise ParameterError(f"datasets key {key!r} names no unit")


def evidence(entries: Mapping[str, Mapping], *, claim: float, tolerance: float, statistic: str = "alone",
             scale: str = "attainable", min_points_per_param: float = 5.0, sources: Sequence[str] | None = None,
             units: Sequence[str] = UNITS) -> pd.DataFrame:
    """The evidence table from results entries whose keys are '<source>_<unit>' (simulators skipped).

    In scope: sources in ``IN_SCOPE`` (restricted to ``sources`` when given) and 'user'; coding agents are
    out-of-scope generality checks. Only ``units`` are kept.
    """
    rows = []
    for key, e in entries.items():
        src, unit = source_of(key)
        if key != f"{src}_{unit}" or unit not in units or src.startswith("synthetic"):
            continue
        if src == "user":
            setting, in_scope = "user", True
        elif src in IN_SCOPE:
            setting, in_scope = IN_SCOPE[src], sources is None or src in sources
        elif src in GENERALITY:
            setting, in_scope = GENERALITY[src], False
        else:
            continue
        fig, ci, k = figure_of(e, statistic, scale)
        outcome, why = row_outcome(fig, ci, e["n"], k, claim, tolerance, min_points_per_param)
        rows.append(verdicts.evidence_row(src if src != "user" else "user", unit, in_scope=in_scope, outcome=outcome,
                                          figure=fig, ci=ci, setting=setting,
                                          note=f"tokens {statistic} R², {scale} scale, n = {e['n']}: {why}"))
    return verdicts.evidence_table(rows)


def rule(support_share: float, min_resolved: int, claim: float, tolerance: float, min_points_per_param: float,
         statistic: str = "alone", scale: str = "attainable") -> tuple[verdicts.CountingRule, str]:
    """The counting rule and its text (printed before the evidence)."""
    what = {"alone": "R² of log tokens alone", "shapley": "the Shapley share of log tokens"}[statistic]
    sc = "divided by the attainable R² of the outcome" if scale == "attainable" else "on the raw R² scale"
    r = verdicts.CountingRule(support_share, min_resolved,
                              what_holds=(f"the interval of {what} ({sc}) lies at or above {claim - tolerance:.2f} "
                                          f"(claimed {claim:.2f} less a tolerance of {tolerance:.2f}); it breaks "
                                          f"when the interval lies below; fits with fewer than "
                                          f"{min_points_per_param:g} points per parameter are unresolved"),
                              scope="DeepDive and MCPMark runs, or the user's runs when given; coding agents are "
                                    "generality checks and simulators never decide")
    return r, r.describe()


def spec_choices(claim_tolerance: float, user: bool) -> dict[str, list]:
    """The specification curve's alternatives (headline first in each list)."""
    tol = sorted({round(claim_tolerance, 4), round(claim_tolerance / 2, 4), round(min(2 * claim_tolerance, 0.5), 4)})
    return {"statistic": list(STATISTICS), "scale": list(SCALES), "tolerance": tol,
            "units": ["run+config", "run", "config"],
            "sources": ["user"] if user else ["deepdive+mcpmark", "deepdive", "mcpmark"],
            "orchestration": ["as a factor"] if user else ["as a factor", "left out"]}


def verdict_for(spec: Mapping, entries: Mapping[str, Mapping], *, claim: float, support_share: float,
                min_resolved: int, min_points_per_param: float, user: bool) -> str:
    """The verdict under one specification (``spec_choices``)."""
    ents = dict(entries)
    if spec["orchestration"] == "left out" and "deepdive_config_no_orchestration" in ents:
        ents["deepdive_config"] = ents["deepdive_config_no_orchestration"]
    src = None if spec["sources"] in ("user", "deepdive+mcpmark") else [spec["sources"]]
    units = UNITS if spec["units"] == "run+config" else (spec["units"],)
    t = evidence(ents, claim=claim, tolerance=spec["tolerance"], statistic=spec["statistic"], scale=spec["scale"],
                 min_points_per_param=min_points_per_param, sources=src, units=units)
    t = verdicts.user_scope(t, user)
    return verdicts.CountingRule(support_share, min_resolved).decide(t)
