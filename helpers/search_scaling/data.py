"""The curves claim 1 is judged on: the published accuracy-vs-budget curves and a user's curves file.

One tidy frame (series, axis, budget, accuracy in [0, 1], n questions per point, approx, source,
benchmark, role, budget_set, setting, other_budget) for every source. The binomial n of a point is the
number of questions of its benchmark (``BENCHMARK_N``, each with its source); approximate readings (about
±2 points) carry a reading error through an effective n (``reading_error_n``). ``DESIGNS`` records which
budgets each source set by design and which it only observed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import datasets, validate
from ..validate import DataError

AXES = ("reasoning_tokens", "search_steps", "samples")
AXIS_LABEL = {"reasoning_tokens": "reasoning tokens (average thinking tokens per question)",
              "search_steps": "search steps (tool calls per question)",
              "samples": "parallel samples (attempts per question)"}

# Questions per benchmark: the binomial n of one accuracy point.
BENCHMARK_N = {
    "AIME24": (30, "AIME 2024 I and II: 15 + 15 problems (s1 paper, Muennighoff et al. 2025, evaluates all 30)"),
    "MATH500": (500, "MATH500: the 500-problem subset of MATH of Lightman et al. 2023"),
    "GPQA-Diamond": (198, "GPQA Diamond: 198 questions (Rein et al. 2023)"),
    "BrowseComp-Plus": (830, "BrowseComp-Plus: 830 queries (Chen et al. 2025)"),
    "BrowseComp": (1266, "BrowseComp: 1,266 problems (Wei et al. 2025); assumed to be the full set in its Fig. 4"),
}
# Each published source's design: which budgets were SET at several levels (a factor of the
# experiment) and which were only OBSERVED. (c) is identifiable only from a crossed design that sets
# both a reasoning budget and a search budget.
DESIGNS = pd.DataFrame([
    ("s1_budget_forcing_fig1_digitized", "reasoning tokens (budget forcing)", "none (no search)", True, False),
    ("s1_sequential_scaling_stretched_fig_digitized", "reasoning tokens (budget forcing)", "none (no search)", True, False),
    ("browsecomp_plus_tables", "reasoning effort low/medium/high (Table 4); retriever (Tables 1, 4)",
     "search calls are observed, not set", True, False),
    ("bats_tool_budget", "tool-call cap per tool", "reasoning not varied (one model setting per row)", False, True),
    ("browsecomp_deep_research_parallel_sampling_approx", "parallel samples N", "neither budget set per sample", False, False),
    ("mcpmark (logged runs)", "reasoning effort low/medium/high (effort ladders)",
     "tool calls are observed, not set", True, False),
    ("browsecomp_plus bm25/gpt-4.1 (logged queries)", "nothing (one configuration)",
     "search calls per query are observed, not set", False, False),
], columns=["source", "set_by_design", "not_set", "sets_reasoning_budget", "sets_search_budget"])


def _pct(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].astype(float) / 100.0 if col.endswith("_pct") else df[col].astype(float)


def reading_error_n(n, accuracy, reading_sd: float):
    """Effective questions per point when a reading error of sd ``reading_sd`` adds to the binomial noise.

    Var = p(1-p)/n + sd² = p(1-p)/n_eff, so n_eff = p(1-p) / (p(1-p)/n + sd²) (p clipped to [0.5/n, 1-0.5/n]);
    n_eff < n whenever sd > 0, so a binomial fit with n_eff carries the reading error into every interval.
    NaN n stays NaN.
    """
    n = np.asarray(n, float)
    p = np.clip(np.asarray(accuracy, float), 0.5 / np.where(n > 0, n, 1), 1 - 0.5 / np.where(n > 0, n, 1))
    v = p * (1 - p)
    return v / (v / n + float(reading_sd) ** 2)


APPROX_TREATMENTS = ("reading_error", "gaussian", "exclude", "ignore")


def published_curves(use_known_n: bool = True, gaussian_for_approx: bool | None = None,
                     approx: str = "reading_error", reading_sd: float = 0.02) -> pd.DataFrame:
    """The published accuracy-vs-budget curves in one tidy frame.

    Columns: series, axis, budget, accuracy (in [0, 1]), n (questions per point from ``BENCHMARK_N``; NaN
    when unknown or when ``use_known_n`` is False), approx (bool), source, benchmark, role ("curve";
    "caveat" for the over-forcing series; "observational" for BrowseComp-Plus Table 4, whose x is the
    search calls *observed* under a reasoning-effort setting: not a budget set by design, so never a budget
    curve), budget_set (the x budget was set by design), setting (``verdicts.SETTINGS``), other_budget (NaN).
    Percent columns (``*_pct``) are divided by 100; the BrowseComp parallel-sampling table is already a fraction.

    Approximate readings (``value_status`` starting with "approx" or "third_party", about ±2 points):
    ``approx`` = "reading_error" (default) gives them the binomial likelihood with the effective n of
    ``reading_error_n`` (reading sd ``reading_sd``), so their intervals carry the reading error; "gaussian"
    treats their n as unknown (noise estimated from the residuals); "exclude" drops them; "ignore" keeps
    the nominal n (the reading error is then left out: for comparison only). ``gaussian_for_approx``
    (older flag): True means "gaussian", False "ignore".

    Series: s1-32B budget forcing on AIME24, MATH500, GPQA-Diamond (reasoning tokens); s1 over-forcing on
    AIME24 (caveat); BrowseComp-Plus Table 4, gpt-oss 20B/120B x BM25/Qwen3-Embed-8B, effort low/medium/high
    (x = search calls observed); BATS Tables 2 and 5, ReAct on BrowseComp (x = tool-call cap per tool);
    BrowseComp Fig. 4, Deep Research best-of-N / weighted vote / majority vote (x = parallel samples).
    """
    if gaussian_for_approx is not None:
        approx = "gaussian" if gaussian_for_approx else "ignore"
    validate.choice("approx", approx, list(APPROX_TREATMENTS))
    validate.number("reading_sd", reading_sd, 0.0, 0.5)
    rows = []
    N = lambda b: float(BENCHMARK_N[b][0]) if use_known_n else np.nan  # noqa: E731

    read = {}  # each source table as read here: its value_status flags its readings as approximate below

    def table(name):
        read[name] = datasets.published(name)
        return read[name]

    s1 = table("s1_budget_forcing_fig1_digitized")
    for b, g in s1.groupby("benchmark", sort=True):
        rows.append(pd.DataFrame({"series": f"s1-32B {b}", "axis": "reasoning_tokens",
                                  "budget": g["avg_thinking_tokens"].astype(float), "accuracy": _pct(g, "accuracy_pct"),
                                  "n": N(b), "source": "s1_budget_forcing_fig1_digitized", "benchmark": b,
                                  "role": "curve"}))
    st = table("s1_sequential_scaling_stretched_fig_digitized")
    rows.append(pd.DataFrame({"series": "s1 AIME24 over-forcing", "axis": "reasoning_tokens",
                              "budget": st["avg_thinking_tokens"].astype(float), "accuracy": _pct(st, "accuracy_pct"),
                              "n": N("AIME24"), "source": "s1_sequential_scaling_stretched_fig_digitized",
                              "benchmark": "AIME24", "role": "caveat"}))
    bcp = table("browsecomp_plus_tables")
    t4 = bcp[bcp["table"] == "Table4"]
    for (llm, ret), g in t4.groupby(["llm", "retriever"], sort=True):
        rows.append(pd.DataFrame({"series": f"{llm} {ret} (BC+ effort)", "axis": "search_steps",
                                  "budget": g["avg_search_calls"].astype(float), "accuracy": _pct(g, "accuracy_pct"),
                                  "n": N("BrowseComp-Plus"), "source": "browsecomp_plus_tables",
                                  "benchmark": "BrowseComp-Plus", "role": "observational"}))
    bats = table("bats_tool_budget")
    cap = bats[bats["table_or_figure"].isin(["Table2", "Table5"]) & (bats["method"] == "ReAct")
               & (bats["benchmark"] == "BrowseComp")]
    for m, g in cap.groupby("model", sort=True):
        rows.append(pd.DataFrame({"series": f"{m} ReAct (BATS cap)", "axis": "search_steps",
                                  "budget": g["tool_budget_per_tool"].astype(float), "accuracy": _pct(g, "accuracy_pct"),
                                  "n": np.nan, "source": "bats_tool_budget", "benchmark": "BrowseComp", "role": "curve"}))
    ps = table("browsecomp_deep_research_parallel_sampling_approx")
    for col in ("best_of_n", "weighted_voting", "majority_voting"):
        rows.append(pd.DataFrame({"series": f"Deep Research {col.replace('_', ' ')}", "axis": "samples",
                                  "budget": ps["n_parallel_samples"].astype(float), "accuracy": _pct(ps, col),
                                  "n": N("BrowseComp"), "source": "browsecomp_deep_research_parallel_sampling_approx",
                                  "benchmark": "BrowseComp", "role": "curve"}))
    out = pd.concat(rows, ignore_index=True)
    approx_source = {name: bool(  # each source table read once (not once per row, nor again here)
        read[name].get("value_status", pd.Series([""])).astype(str)
        .str.match(r"approx|third_party").any()) for name in out["source"].unique()}
    out["approx"] = out["source"].map(approx_source).astype(bool)
    out["budget_set"] = out["role"] != "observational"
    out["setting"] = out["source"].map(SOURCE_SETTING).fillna("published")
    out["other_budget"] = np.nan
    a = out["approx"]
    if approx == "gaussian":
        out.loc[a, "n"] = np.nan
    elif approx == "reading_error":
        out.loc[a, "n"] = reading_error_n(out.loc[a, "n"], out.loc[a, "accuracy"], reading_sd)
    elif approx == "exclude":
        out = out[~a]
    return out.sort_values(["axis", "series", "budget"], kind="stable").reset_index(drop=True)


SOURCE_SETTING = {  # the setting of each published source (``verdicts.SETTINGS``)
    "s1_budget_forcing_fig1_digitized": "math", "s1_sequential_scaling_stretched_fig_digitized": "math",
    "browsecomp_plus_tables": "agentic research", "bats_tool_budget": "agentic research",
    "browsecomp_deep_research_parallel_sampling_approx": "agentic research", "mcpmark": "tool use",
    "user": "user"}


def _plain(v):
    """A cell value as plain Python for error messages (4.0 -> 4, numpy scalars -> Python)."""
    v = v.item() if hasattr(v, "item") else v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def read_curves(path) -> pd.DataFrame:
    """A user's curves CSV: columns series, axis, budget, accuracy and optional n and other_budget.

    ``axis`` is one of ``AXES``; accuracy in [0, 1]; budget > 0; n (questions per point) a positive whole
    number or blank (a series with any blank n is fitted with the Gaussian likelihood). ``other_budget``
    (optional, positive or blank; one value per series): the level at which the *other* budget was held
    fixed (reasoning tokens for a search_steps series, search steps for a reasoning_tokens series); two or
    more series of one axis at different ``other_budget`` levels form a crossed design that decides (c).
    Each series needs at least 3 points, one axis, and distinct budgets. Errors are ``DataError`` naming
    the file and line. Returns the same columns as ``published_curves`` (source "user", benchmark "user",
    role "curve", budget_set True, setting "user").
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"series": str, "axis": str}, keep_default_na=True)
    datasets.require_columns(df, ["series", "axis", "budget", "accuracy"], p)
    line = lambda i: f"line {i + 2}"  # noqa: E731
    bad = df["series"].isna() | (df["series"].astype(str).str.strip() == "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: column 'series' is empty")
    ax = df["axis"].astype(str).str.strip()
    bad = ~ax.isin(AXES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: column 'axis' = {df['axis'].iloc[i]!r} is not one of {list(AXES)}")
    df = datasets.to_numeric(df, ["budget", "accuracy"], p)
    datasets.check_rows(df, p, [("budget", lambda s: np.isfinite(s) & (s > 0), "is not a positive budget"),
                                ("accuracy", lambda s: (s >= 0) & (s <= 1), "is outside [0, 1]")])
    if "n" in df:
        nn = pd.to_numeric(df["n"], errors="coerce")
        bad = (df["n"].notna() & nn.isna()) | (nn.notna() & ((nn <= 0) | (nn != np.round(nn)) | ~np.isfinite(nn)))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, {line(i)}: column 'n' = {_plain(df['n'].iloc[i])!r} is not a positive whole number")
        n = nn.astype(float)
    else:
        n = pd.Series(np.nan, index=df.index)
    if "other_budget" in df:
        ob = pd.to_numeric(df["other_budget"], errors="coerce")
        bad = (df["other_budget"].notna() & ob.isna()) | (ob.notna() & ~(np.isfinite(ob) & (ob > 0)))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, {line(i)}: column 'other_budget' = {_plain(df['other_budget'].iloc[i])!r} "
                            f"is not a positive budget")
        ob = ob.astype(float)
    else:
        ob = pd.Series(np.nan, index=df.index)
    out = pd.DataFrame({"series": df["series"].astype(str).str.strip(), "axis": ax, "budget": df["budget"].astype(float),
                        "accuracy": df["accuracy"].astype(float), "n": n, "approx": False, "source": "user",
                        "benchmark": "user", "role": "curve", "budget_set": True, "setting": "user",
                        "other_budget": ob})
    pos = pd.Series(np.arange(len(out)), index=out.index)
    first_axis = out.groupby("series")["axis"].transform("first")
    bad = out["axis"] != first_axis
    if bad.any():
        i = int(pos[bad].iloc[0])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} has axis {out['axis'].iloc[i]!r}, "
                        f"but its first row says {first_axis.iloc[i]!r}")
    dup = out.duplicated(["series", "budget"])
    if dup.any():
        i = int(pos[dup].iloc[0])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} repeats budget {_plain(out['budget'].iloc[i])!r}")
    nob = out.groupby("series")["other_budget"].transform(lambda v: v.nunique(dropna=False))
    bad = nob > 1
    if bad.any():
        i = int(pos[bad].iloc[0])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} has more than one 'other_budget' "
                        f"(a series holds the other budget fixed)")
    size = out.groupby("series")["budget"].transform("size")
    bad = size < 3
    if bad.any():
        i = int(pos[bad].iloc[0])
        lines = ", ".join(str(int(j) + 2) for j in pos[out["series"] == out["series"].iloc[i]])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} has {int(size.iloc[i])} point(s) "
                        f"(lines {lines}); a curve needs at least 3")
    return out.sort_values(["axis", "series", "budget"], kind="stable").reset_index(drop=True)


def set_versus_spent() -> dict:
    """The search budget that is set versus the one that is spent, from the published tables.

    ``comovement``: per BrowseComp-Plus Table 4 model × retriever, whether search calls and accuracy rise with
    reasoning effort (and the calls low→high); ``better_fewer``: per Table 1 model, whether the stronger
    retriever (Qwen3-Embed-8B vs BM25) gives higher accuracy with no more search calls; ``caps``: the BATS
    ReAct rows with the share of the tool-call cap used.
    """
    bcp = datasets.published("browsecomp_plus_tables")
    t4 = bcp[bcp["table"] == "Table4"].copy()
    t4["effort"] = pd.Categorical(t4["reasoning_effort"], ["low", "medium", "high"], ordered=True)
    t4 = t4.sort_values(["llm", "retriever", "effort"])
    co = t4.groupby(["llm", "retriever"]).apply(
        lambda g: pd.Series({"calls rise with effort": bool(np.all(np.diff(g["avg_search_calls"].to_numpy()) > 0)),
                             "accuracy rises with effort": bool(np.all(np.diff(g["accuracy_pct"].to_numpy()) > 0)),
                             "calls low→high": f"{g['avg_search_calls'].iloc[0]:.1f}→{g['avg_search_calls'].iloc[-1]:.1f}"}),
        include_groups=False)
    t1 = bcp[bcp["table"] == "Table1"]
    pv = t1.pivot_table(index="llm", columns="retriever", values=["accuracy_pct", "avg_search_calls"])
    both = pv.dropna(subset=[("accuracy_pct", "BM25"), ("accuracy_pct", "Qwen3-Embed-8B")])
    better_fewer = ((both[("accuracy_pct", "Qwen3-Embed-8B")] > both[("accuracy_pct", "BM25")]) &
                    (both[("avg_search_calls", "Qwen3-Embed-8B")] <= both[("avg_search_calls", "BM25")]))
    bats = datasets.published("bats_tool_budget")
    cap = bats[bats["table_or_figure"].isin(["Table2", "Table5"]) & (bats["method"] == "ReAct")].copy()
    cap["calls used / cap"] = cap["avg_search_calls"] / cap["tool_budget_per_tool"]
    return {"comovement": co, "better_fewer": better_fewer, "caps": cap}


def judged_curves(published: pd.DataFrame, ladder_curves: pd.DataFrame, user_curves: pd.DataFrame | None) -> pd.DataFrame:
    """Every curve the claim is judged on: the published curves, the MCPMark ladder curves when there are any,
    and, when the user gives curves, the published curves and the user's (series prefixed "user: ") alone."""
    out = pd.concat([published, ladder_curves], ignore_index=True) if len(ladder_curves) else published
    if user_curves is not None:
        out = pd.concat([published, user_curves.assign(series="user: " + user_curves["series"])], ignore_index=True)
    return out


def catalogue(all_curves: pd.DataFrame) -> pd.DataFrame:
    """One row per series: compute axis, points, budget range, n, source, role."""
    return all_curves.groupby("series", sort=True).agg(compute_axis=("axis", "first"), points=("budget", "size"),
                                                       budget_min=("budget", "min"), budget_max=("budget", "max"),
                                                       n=("n", "first"), source=("source", "first"),
                                                       role=("role", "first"))
