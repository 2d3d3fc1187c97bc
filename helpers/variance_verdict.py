"""Claim 2's verdict: does token spend by itself explain about 80 % of the variance in agent performance?

Evidence (one row per source × unit of analysis, ``helpers.verdicts`` evidence rows)
------------------------------------------------------------------------------------
In scope: logged runs of tool-use and research agents: **DeepDive** (multi-agent web research, the
setting closest to the claim; per configuration) and **MCPMark** (tool use through MCP servers, a browser
among them; per run and per configuration). Coding agents (SWE-Effi, Terminal-Bench, agent-eval) are
generality checks shown beside the verdict; simulators explain mechanisms and never appear in the table.
With user data, only the user's rows are in scope.

For each row the figure is the tokens statistic of the attribution (``helpers.variance``):

- ``statistic``  ``alone`` = R²({tokens}) (the post's "by itself") or ``shapley`` = φ_tokens;
- ``scale``      ``attainable`` = the figure divided by the attainable R² (below), or ``raw``.

**Attainable R².** A score is a noisy measurement of a success probability: at the run unit a 0/1
outcome, at the config unit a mean over a finite number of runs or questions. No predictor of the
probability can explain the measurement noise, so the attainable R² is 1 - σ²_noise / Var(y):

- run unit: σ²_noise = pooled within-cell variance of y over cells (config × task) with two runs or more
  (repeated runs of one configuration on one task); None without repeated cells;
- config unit: σ²_noise = mean over configurations of the noise variance of their mean score, i.e. the
  pooled within-(config, task) variance over the configuration's runs divided by its runs (binomial
  p̂(1-p̂)/(m-1) when it has no repeated cells; p̂(1-p̂)/(n-1) for a published accuracy over n questions).

When the attainable R² is below ``MIN_ATTAINABLE`` the scores are mostly noise and the row is unresolved on
the attainable scale; when it cannot be estimated (no repeated cells) the raw scale is used. The
attainable R² is a point estimate: its own uncertainty is not propagated. Tokens recorded per run are an outcome of the run (a failing run can loop longer), so a run-level tokens
R² may exceed the attainable one; the ratio is not capped.

**Outcome of a row** (tolerance t, claimed share c, minimum points per parameter k):

- ``unresolved`` when the fit behind the statistic has fewer than k points per parameter (alone: 2
  parameters; Shapley: the full fit), or the row has no interval;
- ``holds``      when the interval's lower end is >= c - t (tokens explain at least about the claimed share);
- ``breaks``     when the interval's upper end is < c - t;
- ``unresolved`` otherwise (the interval straddles c - t).

**Decision**: ``verdicts.CountingRule(support_share, min_resolved)`` over the in-scope rows.

**DeepDive intervals.** The source is an aggregate table (one accuracy over n = 50 questions per model ×
mode), so there are no runs to resample. Each bootstrap replicate resamples the configurations with
replacement (the configurations are a sample of possible ones) and redraws each drawn configuration's
accuracy as Binomial(n, p̂)/n (question sampling); token means are held fixed (no per-question tokens).
The question-only (binomial) interval is reported beside it. The model that logged no tokens (zeros that
mean missing) is excluded from token analyses and counted.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import variance as V
from . import verdicts
from .validate import DataError, ParameterError

IN_SCOPE = {"deepdive": "agentic research", "mcpmark": "tool use"}
GENERALITY = {"swe_effi": "coding agents", "terminal_bench": "coding agents", "agent_eval": "coding agents"}
MIN_ATTAINABLE = 0.1  # below this attainable R² the scores are mostly noise: the attainable scale is unresolved
STATISTICS = ("alone", "shapley")
SCALES = ("attainable", "raw")


# ---------------------------------------------------------------- sources -> frames


def from_mcpmark(runs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """MCPMark runs (``agent_runs.mcpmark_runs``) -> run frame and the number of runs left out for tokens.

    model = base model (effort settings of one model share it), config = configuration, task, service,
    tokens = total tokens, tool_calls = turns (the tool-call analogue: one tool call per agent turn at
    most), score = success.
    """
    ok = runs["tokens_ok"].to_numpy(bool)
    d = runs.loc[ok]
    out = pd.DataFrame({"model": d["base_model"].astype(str), "config": d["config"].astype(str),
                        "task": d["task"].astype(str), "service": d["service"].astype(str),
                        "tokens": d["total_tokens"].astype(float), "tool_calls": d["turns"].astype(float),
                        "score": d["success"].astype(float)}).reset_index(drop=True)
    return out, int((~ok).sum())


def from_deepdive(agg: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """DeepDive aggregate (``agent_runs.deepdive_aggregate``) -> one row per configuration (model × mode)
    and the models left out because they logged no tokens.

    tokens = mean total tokens per question including sub-agents; orchestration = 'orchestrated' (rlm,
    rlm_tips: an orchestrator spawning sub-agents) or 'standard'; score = accuracy; n_questions kept.
    """
    ok = agg["tokens_logged"].to_numpy(bool) & np.isfinite(agg["total_tokens"].to_numpy(float))
    excluded = sorted(agg.loc[~ok, "model"].astype(str).unique())
    d = agg.loc[ok]
    out = pd.DataFrame({"model": d["model"].astype(str), "mode": d["mode"].astype(str),
                        "config": d["model"].astype(str) + "|" + d["mode"].astype(str),
                        "orchestration": np.where(d["orchestrated"].to_numpy(bool), "orchestrated", "standard"),
                        "tokens": d["total_tokens"].astype(float), "score": d["accuracy"].astype(float),
                        "n_questions": d["n_questions"].astype(int)}).reset_index(drop=True)
    return out, excluded


# ---------------------------------------------------------------- attainable R²


def attainable_run(runs: pd.DataFrame, cell: Sequence[str] = ("config", "task")) -> float | None:
    """1 - pooled within-cell variance / Var(y) (module docstring); None without repeated cells."""
    cols = [c for c in cell if c in runs]
    if len(cols) < len(cell):
        return None
    g = runs.groupby(list(cols))["y"]
    k = g.transform("size").to_numpy()
    rep = k >= 2
    if not rep.any():
        return None
    dev = (runs["y"] - g.transform("mean")).to_numpy()[rep]
    n_cells = runs.loc[rep].groupby(list(cols)).ngroups
    s2w = float(np.sum(dev ** 2) / (rep.sum() - n_cells))
    vy = float(np.var(runs["y"], ddof=1))
    return float(np.clip(1.0 - s2w / vy, 0.0, 1.0)) if vy > 0 else None


def attainable_config(runs: pd.DataFrame) -> float | None:
    """Attainable R² of configuration mean scores computed from runs (module docstring)."""
    cfg = runs.groupby("config")["y"]
    m = cfg.size()
    p = cfg.mean()
    binary = bool(np.isin(runs["y"].to_numpy(), (0.0, 1.0)).all())
    noise = (p * (1 - p) / (m - 1).clip(lower=1)) if binary else cfg.var(ddof=1).fillna(0) / m
    if "task" in runs:
        g = runs.groupby(["config", "task"])["y"]
        k = g.transform("size")
        rep = (k >= 2).to_numpy()
        if rep.any():
            d = runs.loc[rep].assign(dev2=(runs["y"] - g.transform("mean"))[rep] ** 2)
            by = d.groupby("config").agg(ss=("dev2", "sum"), n=("dev2", "size"),
                                         cells=("task", "nunique"))
            s2w = by["ss"] / (by["n"] - by["cells"])
            noise.loc[s2w.index] = (s2w / m.loc[s2w.index]).to_numpy()
    return _ceiling(float(noise.mean()), float(np.var(p, ddof=1)) if len(p) > 1 else 0.0)


def attainable_aggregate(frame: pd.DataFrame, trials: str = "n_questions") -> float | None:
    """Attainable R² of published accuracies over ``trials`` questions: noise p̂(1-p̂)/(n-1) per row."""
    p = frame["score"].to_numpy(float)
    n = frame[trials].to_numpy(float)
    return _ceiling(float(np.mean(p * (1 - p) / np.maximum(n - 1, 1))), float(np.var(p, ddof=1)))


def _ceiling(noise: float, var: float) -> float | None:
    return float(np.clip(1.0 - noise / var, 0.0, 1.0)) if var > 0 else None


# ---------------------------------------------------------------- attribution of an aggregate table


def attribute_aggregate(frame: pd.DataFrame, groups: Sequence[str], *, n_boot: int, rng: np.random.Generator,
                        level: float = V.LEVEL, trials: str = "n_questions",
                        resample_configs: bool = True) -> V.Attribution:
    """Attribution at the config unit of a table with one row per configuration (module docstring:
    configurations resampled and accuracies redrawn Binomial(n, p̂)/n; ``resample_configs=False``: the
    binomial redraw alone). Point estimates are the statsmodels formula fits."""
    V._check_rng(rng)
    df = V.prepare(frame)
    groups = [g for g in groups if g in V.available_groups(df, groups)]
    if len(df) < V.MIN_CONFIGS or not groups:
        raise DataError(f"attribution needs at least {V.MIN_CONFIGS} configurations and a varying group")
    r2 = V.r2_subsets_ols(df, groups)
    p = len(groups)
    Phi = V.shapley_matrix(p)
    vec = np.array([r2[V._mask_subset(m, groups)] for m in range(2 ** p)])
    Z, cols = V.design(df, groups)
    n = len(df)
    ntr = df[trials].to_numpy(int)
    ystar = rng.binomial(ntr, df["y"].to_numpy(float), size=(n_boot, n)) / ntr
    Zb = np.broadcast_to(Z, (n_boot,) + Z.shape).copy()
    Zb[:, :, -1] = ystar - df["y"].mean()
    w = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float) if resample_configs \
        else np.ones((n_boot, n))
    G = np.einsum("bn,bni,bnj->bij", w, Zb, Zb)
    R2b = V.subset_r2_from_gram(G, cols)
    Sb, Ab = R2b @ Phi, R2b[:, [1 << i for i in range(p)]]
    import statsmodels.formula.api as smf
    return V.Attribution(
        unit="config", n=n, groups=groups, r2_subsets=r2, r2_total=r2[frozenset(groups)],
        shares=dict(zip(groups, vec @ Phi)), alone_r2={g: r2[frozenset([g])] for g in groups},
        shares_ci={g: V._pct(Sb[:, i], level) for i, g in enumerate(groups)},
        alone_ci={g: V._pct(Ab[:, i], level) for i, g in enumerate(groups)},
        r2_total_ci=V._pct(R2b[:, -1], level), n_boot=int(n_boot),
        cluster="configurations + binomial(questions)" if resample_configs else "binomial(questions)",
        n_params=int(Z.shape[1] - 1),
        token_slope=float(smf.ols("y ~ x_tok", df).fit().params["x_tok"]) if "tokens" in groups else None,
        boot_shares=Sb, boot_alone=Ab)


# ---------------------------------------------------------------- results entries


def analyse_logged(runs: pd.DataFrame, groups: Sequence[str], *, source: str, n_boot: int, rng: np.random.Generator,
                   level: float = V.LEVEL, controls: Sequence[str] = ("model", "scaffold"), **kw) -> tuple[dict, list]:
    """``variance.analyse_runs`` on a prepared run frame, each entry with its ``attainable_r2``."""
    g = [x for x in groups if x in V.available_groups(runs, groups)]
    res, notes = V.analyse_runs(runs, g, source=source, n_boot=n_boot, rng=rng, level=level, controls=controls, **kw)
    for unit, e in res.items():
        if e is not None:
            e["attainable_r2"] = attainable_run(runs) if unit == "run" else attainable_config(runs)
    return res, notes


def deepdive_entries(frame: pd.DataFrame, excluded: Sequence[str], n_excluded_configs: int, *, n_boot: int,
                     rng: np.random.Generator, level: float = V.LEVEL) -> dict[str, dict]:
    """{'deepdive_config': entry (tokens, model, orchestration), 'deepdive_config_no_orchestration': entry}.

    Intervals: configurations and questions resampled (``attribute_aggregate``); the question-only
    (binomial) intervals are kept as ``alone_r2_ci_binomial`` and ``shares_ci_binomial``.
    """
    out = {}
    for key, groups in (("deepdive_config", ["tokens", "model", "orchestration"]),
                        ("deepdive_config_no_orchestration", ["tokens", "model"])):
        att = attribute_aggregate(frame, groups, n_boot=n_boot, rng=rng, level=level)
        binom = attribute_aggregate(frame, groups, n_boot=n_boot, rng=rng, level=level, resample_configs=False)
        e = V.entry(att, source="deepdive", extra={
            "attainable_r2": attainable_aggregate(frame), "n_questions": int(frame["n_questions"].min()),
            "excluded_models": list(excluded), "n_excluded_configs": int(n_excluded_configs),
            "alone_r2_ci_binomial": {g: list(binom.alone_ci[g]) for g in binom.groups},
            "shares_ci_binomial": {g: list(binom.shares_ci[g]) for g in binom.groups},
            "interval_method": "bootstrap over configurations, each accuracy redrawn Binomial(n, p)/n"})
        out[key] = e
    return out


# ---------------------------------------------------------------- evidence and the rule


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
    for unit in V.UNITS:
        tag = f"_{unit}"
        if tag in key:
            i = key.rindex(tag)
            return key[:i], unit
    raise ParameterError(f"datasets key {key!r} names no unit")


def evidence(entries: Mapping[str, Mapping], *, claim: float, tolerance: float, statistic: str = "alone",
             scale: str = "attainable", min_points_per_param: float = 5.0, sources: Sequence[str] | None = None,
             units: Sequence[str] = V.UNITS) -> pd.DataFrame:
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
    units = V.UNITS if spec["units"] == "run+config" else (spec["units"],)
    t = evidence(ents, claim=claim, tolerance=spec["tolerance"], statistic=spec["statistic"], scale=spec["scale"],
                 min_points_per_param=min_points_per_param, sources=src, units=units)
    t = verdicts.user_scope(t, user)
    return verdicts.CountingRule(support_share, min_resolved).decide(t)
