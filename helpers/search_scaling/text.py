"""The sentences notebook 01 prints at each step, computed from its results (no number typed by hand).

Each function returns the lines of one cell's printed output (the notebook prints them joined by newlines).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .data import BENCHMARK_N, published_curves
from .model import RSModel


def thresholds(p, user_given: bool) -> list[str]:
    """The rule's thresholds as set in the parameters cell (and the scope when the user gives curves)."""
    out = [f"Thresholds: share_for_support = {p.share_for_support}, min_resolved = {p.min_resolved}, "
           f"min_points = {p.min_points}, alpha = {p.alpha}, min_power = {p.min_power}, complement_margin = "
           f"{p.complement_margin} (log-odds), flat_tolerance = {p.flat_tolerance}, diminishing-returns test: "
           f"{p.dr_method}; effort ladders count as reasoning curves: {p.ladders_count}; search axes: "
           f"{', '.join(p.search_axes)}."]
    if user_given:
        out.append("User curves given: the verdict is the rule applied to the user's curves alone; the study's "
                   "evidence is shown beside it, out of scope.")
    return out


def anchors(search_anchors: pd.DataFrame) -> list[str]:
    """The published anchor points on search as a compute axis (BrowseComp Fig. 1; a third-party ReAct summary)."""
    fig1 = search_anchors[search_anchors["source_id"] == "BROWSECOMP_FIG1"].set_index("compute_value")["value_pct"]
    forced = search_anchors[(search_anchors["source_id"] == "DSTTS") & search_anchors["compute_axis"]
                            .str.startswith("sequential")].set_index("compute_value")["value_pct"]
    return [f"BrowseComp (OpenAI, Fig. 1, approximate): early Deep Research rises from {fig1['lowest']:.0f}% to "
            f"{fig1['highest']:.0f}% from the lowest to the highest browsing effort (unlabelled log axis).",
            f"Third-party summary of a ReAct search agent: forcing about twice the tool calls moves pass@1 from "
            f"{forced['baseline']:.0f}% to {forced['forced']:.0f}% (and degrades when over-applied)."]


def substitution(model: RSModel, default_sub: pd.Series, sub: pd.DataFrame, target: float, interaction: float) -> list[str]:
    """The cheapest mix at the target, the tangency check, and substitutability per interaction."""
    out = []
    if default_sub["reachable"]:
        gap = abs(default_sub["mrs_at_optimum"] / model.price_ratio - 1)
        out.append(f"Target {target:.2f} at interaction {interaction:g}: the cheapest mix is r = "
                   f"{default_sub['r_opt']:,.0f} reasoning tokens and s = {default_sub['s_opt']:.1f} search steps "
                   f"(${default_sub['cost_opt_usd']:.3f}; {default_sub['search_token_share_opt']:.0%} of its "
                   f"{default_sub['tokens_opt']:,.0f} tokens are search context).")
        out.append(f"MRS at the optimum = {default_sub['mrs_at_optimum']:,.1f} reasoning tokens per step; price ratio = "
                   f"{model.price_ratio:,.1f} (relative gap {gap:.1e}: the tangency condition holds).")
    for _, row in sub.iterrows():
        comp = ("unreachable" if not np.isfinite(row["compensation_halving_search"])
                else f"x{row['compensation_halving_search']:.2f} reasoning")
        out.append(f"rho = {row['interaction']:.2f}: elasticity {row['elasticity']:.2f}; halving search needs {comp}; "
                   f"halving reasoning needs x{row['compensation_halving_reasoning']:.2f} search; "
                   f"fungible range {row['fungible_range']:.2f} of token splits")
    return out


def error_rates(fpr: pd.Series, ref_power: float, form: str, dispersion: str, alpha: float, reps: int) -> list[str]:
    """The same-shape test's false-positive rate against its nominal level, and its smallest power."""
    ok = bool(fpr["ci_lo"] <= alpha + 1e-12 or fpr["rate"] <= alpha)
    return [f"{form} ({dispersion}): false-positive rate {fpr['rate']:.3f} (95% CI {fpr['ci_lo']:.3f} to "
            f"{fpr['ci_hi']:.3f}) at alpha = {alpha}; {'consistent with' if ok else 'ABOVE'} the nominal level. "
            f"Smallest power over the curvature ratios: {ref_power:.2f} ({reps} replicates per scenario)."]


def ladders(runs: pd.DataFrame, ladder_map: Mapping, points: pd.DataFrame, curves_df: pd.DataFrame, measure: str,
            min_reported_share: float) -> list[str]:
    """The MCPMark runs, ladders and which levels and ladders are usable."""
    return [f"{len(runs):,} runs; {runs.attrs['dropped_token_runs']} without usable token counts are left out of the "
            f"token means. Ladders: {', '.join(f'{b} ({len(c)} levels)' for b, c in ladder_map.items())}.",
            f"Levels with {measure} reported in at least {min_reported_share:.0%} of runs: "
            f"{int(points['usable'].sum())} of {len(points)}; ladders with 3 usable levels become curves: "
            f"{', '.join(curves_df['series'].unique()) or 'none'} (2-level ladders are shown, not fitted)."]


def ladder_gains(points: pd.DataFrame) -> list[str]:
    """Tokens and accuracy from the lowest to the highest effort of each ladder."""
    gains = points.groupby("series").apply(lambda g: pd.Series({
        "tokens x": g["budget"].iloc[-1] / g["budget"].iloc[0],
        "accuracy change": g["accuracy"].iloc[-1] - g["accuracy"].iloc[0],
        "top two levels": g["accuracy"].iloc[-1] - g["accuracy"].iloc[-2]}), include_groups=False)
    return ["From the lowest to the highest effort: " + "; ".join(
        f"{s} spends x{r['tokens x']:.1f} tokens for {r['accuracy change']:+.1%} accuracy "
        f"({r['top two levels']:+.1%} between the top two levels)" for s, r in gains.iterrows())]


def benchmark_sizes() -> list[str]:
    """The questions per point of each benchmark, with its source."""
    return [f"{bench}: n = {n_q} ({src})" for bench, (n_q, src) in BENCHMARK_N.items()]


def published(approx: str, reading_sd: float) -> list[str]:
    """How approximate readings, observed search calls and BATS' unknown n enter the fits."""
    n_approx = int(published_curves(approx="ignore")["approx"].sum())
    return [f"{n_approx} points are approximate third-party readings (about +-2 points): treatment '{approx}'"
            + (f" (binomial with an effective n that adds a reading sd of {reading_sd:.3f})"
               if approx == "reading_error" else "") + ".",
            "BrowseComp-Plus Table 4 plots accuracy against the search calls observed under each reasoning effort: "
            "shown, but not a budget set by design, so it is never counted as a search-budget curve.",
            "BATS does not state how many BrowseComp questions each run used: its points are fitted with n unknown."]


def classes(search_dr: pd.DataFrame, reason_dr: pd.DataFrame, other: pd.DataFrame, search_axes: Sequence[str],
            over: Mapping) -> list[str]:
    """How many curves of each axis fall in each class, and the over-forcing drop (``fits.over_forcing_drop``)."""
    out = [f"Search-compute curves ({', '.join(search_axes)}): {len(search_dr)}; "
           + ", ".join(f"{k}: {v}" for k, v in search_dr["status"].value_counts().items()),
           f"Reasoning-token curves: {len(reason_dr)}; "
           + ", ".join(f"{k}: {v}" for k, v in reason_dr["status"].value_counts().items())]
    if len(other):
        out.append("Other axes (not counted in (a)): " + "; ".join(f"{s}: {st}" for s, st in zip(other["series"], other["status"])))
    out.append(f"Over-forcing (s1, AIME24): accuracy falls from {over['peak_accuracy']:.1%} at "
               f"{over['peak_budget']:,.0f} tokens to {over['last_accuracy']:.1%} at {over['last_budget']:,.0f}; "
               f"with {over['n']:.0f} questions that drop has one-sided p = {over['p_value']:.3f}.")
    return out


def shape_tests(tests: pd.DataFrame, testable: pd.DataFrame, med_power: float, alpha: float, ratios: Sequence[float],
                reps: int, ref_power: float) -> list[str]:
    """How many pairs are testable and rejected, and the tests' power at the published designs."""
    n_rej = int((testable["same_shape"] == False).sum())  # noqa: E712
    return [f"{len(testable)} testable pairs ({len(tests) - len(testable)} untestable: flat search curves); "
            f"{n_rej} reject a shared curvature at Holm-adjusted alpha = {alpha}.",
            f"Median power of those tests against a curvature ratio in {list(ratios)}: {med_power:.2f} "
            f"({reps} replicates per scenario) — against {ref_power:.2f} at the reference design of section 4c."]


def set_versus_spent(svs: Mapping) -> list[str]:
    """Search calls move with reasoning effort; a better retriever needs no more calls; caps are not used up."""
    co, better_fewer = svs["comovement"], svs["better_fewer"]
    out = [f"BrowseComp-Plus Table 4: search calls rise with reasoning effort in {int(co['calls rise with effort'].sum())} "
           f"of {len(co)} model x retriever series, accuracy in {int(co['accuracy rises with effort'].sum())}: "
           f"effort and search move together, never one without the other.",
           f"BrowseComp-Plus Table 1: the stronger retriever (Qwen3-Embed-8B vs BM25) gives higher accuracy with no "
           f"more search calls for {int(better_fewer.sum())} of {len(better_fewer)} models: a search step is not a "
           f"fixed unit of compute."]
    for m, g in svs["caps"].groupby("model"):
        g = g.sort_values("tool_budget_per_tool")
        out.append(f"BATS {m}: cap {g['tool_budget_per_tool'].iloc[0]:.0f}→{g['tool_budget_per_tool'].iloc[-1]:.0f} calls, "
                   f"calls used {g['avg_search_calls'].iloc[0]:.1f}→{g['avg_search_calls'].iloc[-1]:.1f}, "
                   f"accuracy {g['accuracy_pct'].iloc[0]:.1f}%→{g['accuracy_pct'].iloc[-1]:.1f}%")
    return out


def observational(obs: Mapping) -> list[str]:
    """The BrowseComp-Plus association between searches drawn and correctness, read correctly."""
    b0, b1 = obs["bins"][0], obs["bins"][-1]
    return [f"{obs['n']} queries, accuracy {obs['accuracy']:.1%}, mean {obs['mean_search_calls']:.2f} "
            f"searches. Queries with {b0['search_calls_lo']}-{b0['search_calls_hi']} searches: {b0['accuracy']:.1%} "
            f"correct (n={b0['n']}); with {b1['search_calls_lo']}-{b1['search_calls_hi']}: {b1['accuracy']:.1%} (n={b1['n']}).",
            f"Spearman of search calls with correctness {obs['spearman_correct']:.2f} (p = "
            f"{obs['spearman_correct_p']:.1g}) and with the agent's own confidence {obs['spearman_confidence']:.2f}: "
            f"the agent searched longer where it was less sure, so more searches mark harder questions. Read causally "
            f"this would say searching hurts; it says nothing about what a larger search budget buys."]


def designs(designs_df: pd.DataFrame, crossed_df: pd.DataFrame) -> list[str]:
    """How many published sources set both budgets, and how many crossed designs the curves hold."""
    both = designs_df["sets_reasoning_budget"] & designs_df["sets_search_budget"]
    return [f"Sources that set both a reasoning and a search budget in a crossed design: {int(both.sum())} of "
            f"{len(designs_df)}.",
            f"Crossed designs in the curves (series holding the other budget at two levels or more; user curves with "
            f"'other_budget'): {len(crossed_df)}."]


def factorial(fd: Mapping, interaction: float, min_power: float) -> list[str]:
    """The 2×2 design (``substitution.factorial_design``) and the questions per cell it needs."""
    if fd["r_pair"] is None:
        return ["The target is not reachable within the budget limits: no design computed."]
    r_pair, s_pair = fd["r_pair"], fd["s_pair"]
    return [f"2x2 design: r in {r_pair[0]:,.0f} / {r_pair[1]:,.0f} tokens, s in {s_pair[0]:.1f} / {s_pair[1]:.1f} steps.",
            f"Questions per cell to tell the default interaction ({interaction:g}) from pure substitutes with power "
            f"{min_power}: {fd['n_default']:,.0f}; to tell pure complements from substitutes: {fd['n_complements']:,.0f} "
            f"(BrowseComp-Plus has {BENCHMARK_N['BrowseComp-Plus'][0]} questions)."]


def holds_and_breaks(holds: Sequence[str], breaks: Sequence[str]) -> list[str]:
    """Where the claim holds and where it breaks, as two bulleted lists."""
    return ["Holds:"] + [f" - {h}" for h in holds] + ["Breaks:"] + [f" - {b}" for b in breaks]


def scope_counts(scope: str, parts: Mapping[str, str], counts: Mapping[str, Mapping], units: Mapping[str, str]) -> str:
    """Each part's verdict with its in-scope row counts."""
    return f"Scope: {scope}. " + "; ".join(
        f"({p}) {parts[p]}: {counts[u]['holds']} hold, {counts[u]['breaks']} break, {counts[u]['unresolved']} unresolved "
        f"of {counts[u]['in_scope']} in-scope {u} rows" for u, p in units.items())
