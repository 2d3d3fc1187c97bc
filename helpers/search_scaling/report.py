"""What notebook 01 reports: where the claim holds and breaks, its one-paragraph summary, the claim's
metrics for the results file and its data sources.

``holds_and_breaks`` and ``summary`` turn computed evidence into sentences; ``metrics`` assembles the
claim's own metrics block (``results.write`` adds the rule, evidence and robustness blocks every claim
carries); ``data_sources`` lists every input with its rows and checksum.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from .. import datasets, registry, results, verdicts
from .model import RSModel


def holds_and_breaks(*, search_dr: pd.DataFrame, other: pd.DataFrame, testable: pd.DataFrame, med_power: float,
                     p_drop: float, crossed_df: pd.DataFrame, dr: pd.DataFrame, ladder_pts: pd.DataFrame | None,
                     obs_search: Mapping | None, default_sub: pd.Series, sub: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(holds, breaks): the sentences of "where the claim holds and where it breaks"."""
    holds, breaks = [], []
    n_dim_search = int(search_dr["diminishing"].sum())
    if n_dim_search:
        holds.append(f"{n_dim_search} search-compute curve(s) show established diminishing returns")
    rising = search_dr[search_dr["status"].isin(["diminishing", "undetermined", "accelerating"])]
    if len(rising):
        holds.append(f"{len(rising)} of {len(search_dr)} search-compute curves rise with search calls "
                     f"(median fitted rise {rising['rise'].median():.2f} over the observed range)")
    if (search_dr["status"] == "non-monotone").sum() == 0 and len(search_dr):
        holds.append("no search-compute curve falls significantly as search grows (monotone within noise)")
    if len(other) and (other["status"] == "diminishing").any():
        holds.append(f"parallel sampling curves flatten clearly ({int((other['status'] == 'diminishing').sum())} of "
                     f"{len(other)} diminishing)")
    n_flat = int((search_dr["status"] == "flat").sum())
    if n_flat:
        breaks.append(f"{n_flat} search curve(s) are flat: raising a tool-call cap the agent does not use buys nothing")
    n_und = int((search_dr["status"] == "undetermined").sum())
    if n_und:
        breaks.append(f"{n_und} search curve(s) have too few points to tell flattening from a straight line in log budget")
    if len(testable):
        breaks.append(f"the same-shape tests have median power {med_power:.2f} at the published designs, so "
                      f"non-rejection says little")
    breaks.append(f"over-forcing reasoning lowers accuracy on AIME24 (one-sided p = {p_drop:.2f} with its 30 questions): "
                  f"reasoning curves are not monotone without limit")
    if crossed_df.empty:
        breaks.append("no published or logged source varies reasoning and search budgets independently, so (c) is "
                      "not identified; in search calls, effort and search rise together")
    else:
        for _, r in crossed_df.iterrows():
            (holds if r["outcome"] == "holds" else breaks).append(f"crossed design {r['design']}: {r['note']}")
    if ladder_pts is not None:
        lad_dr = dr[dr["series"].str.startswith("mcpmark:")]
        if len(lad_dr):
            breaks.append("MCPMark effort ladders (reasoning budget in tool use): " + "; ".join(
                f"{s} {st}" for s, st in zip(lad_dr["series"], lad_dr["status"])))
    if obs_search is not None:
        breaks.append(f"BrowseComp-Plus: questions that drew more searches were answered less often (Spearman "
                      f"{obs_search['spearman_correct']:.2f}): observed search effort tracks difficulty, not budget")
    if default_sub["reachable"]:
        lo_f, hi_f = sub["fungible_range"].min(), sub["fungible_range"].max()
        breaks.append(f"even in the model, the fungible range of token splits is only {lo_f:.2f} to {hi_f:.2f} across "
                      f"interactions: tokens are not interchangeable between the axes at the target")
    return holds, breaks


def summary(robustness: verdicts.Robustness, user_given: bool, parts: Mapping[str, str], counts: Mapping[str, Mapping],
            n_crossed: int, obs_search: Mapping | None) -> str:
    """The results file's summary: the verdict's robustness, each part with its counts, the BrowseComp-Plus bins."""
    c, p = counts["curve"], counts["pair"]
    return (
        f"{robustness.sentence()} ({verdicts.scope_name(user_given)} scope). "
        f"(a) {parts['a']}: {c['holds']} of {c['holds'] + c['breaks']} "
        f"resolved in-scope search-budget curves show diminishing returns ({c['unresolved']} unresolved); "
        f"(b) {parts['b']}: {p['holds']} hold, {p['breaks']} break, "
        f"{p['unresolved']} unresolved of {p['in_scope']} in-scope reasoning/search pairs; "
        f"(c) {parts['c']}: {n_crossed} crossed design(s) set both budgets"
        + ("" if obs_search is None else
           f"; BrowseComp-Plus accuracy falls from {obs_search['bins'][0]['accuracy']:.0%} to "
           f"{obs_search['bins'][-1]['accuracy']:.0%} as observed search calls rise (harder questions draw more "
           f"searches; not a budget curve)") + ".")


def _fit_record(r) -> dict:
    return {"series": r["series"], "axis": r["axis"], "form": r["form"], "params": r["params"],
            "aic": r["aic"], "r2": r["r2"], "asymptote": r["asymptote"],
            "asymptote_lo": r["asymptote_lo"], "asymptote_hi": r["asymptote_hi"],
            "asymptote_identifiable": r["asymptote_identifiable"],
            "gain_per_doubling_low": r["gain_per_doubling_low"],
            "gain_per_doubling_low_ci": [r["gain_per_doubling_low_lo"], r["gain_per_doubling_low_hi"]],
            "gain_per_doubling_high": r["gain_per_doubling_high"],
            "gain_per_doubling_high_ci": [r["gain_per_doubling_high_lo"], r["gain_per_doubling_high_hi"]],
            "best": bool(r["best"]), "likelihood": r["likelihood"], "n_points": int(r["n_points"]),
            "source": r["source"], "role": r["role"]}


SUBSTITUTION_KEYS = ("interaction", "r_opt", "s_opt", "tokens_opt", "cost_opt_usd", "search_token_share_opt",
                     "mrs_at_optimum", "mrs_at_half_search", "mrs_at_half_reasoning", "elasticity",
                     "compensation_halving_search", "compensation_halving_reasoning", "fungible_range",
                     "accuracy_all_reasoning", "accuracy_all_search")
SUBSTITUTION_TABLE = ("interaction", "r_opt", "s_opt", "tokens_opt", "cost_opt_usd", "search_token_share_opt",
                      "mrs_at_optimum", "mrs_at_half_search", "mrs_at_half_reasoning", "elasticity",
                      "compensation_halving_search", "compensation_halving_reasoning", "fungible_range")
LADDER_KEYS = ("series", "config", "effort", "runs", "tasks", "accuracy", "acc_lo", "acc_hi", "budget", "budget_lo",
               "budget_hi", "reported_share", "n")


def _sub_record(r) -> dict:
    return {k: r[k] for k in SUBSTITUTION_KEYS}


def metrics(*, fits: pd.DataFrame, tests: pd.DataFrame, dr: pd.DataFrame, model: RSModel, p, default_sub: pd.Series,
            sub: pd.DataFrame, factorial: Mapping, crossed: bool,
            fpr: pd.Series, ref_power: float, n_sim: int, err: pd.DataFrame, recovery: pd.DataFrame,
            parts: Mapping[str, str], obs_search: Mapping | None, ladder_pts: pd.DataFrame | None,
            crossed_df: pd.DataFrame) -> dict:
    """Claim 1's own metrics (the contract's ``metrics`` beside the rule, evidence and robustness blocks);
    ``factorial``: ``substitution.factorial_design``'s result."""
    return {
        "fits": [_fit_record(r) for _, r in fits.iterrows()],
        "same_shape_tests": [
            {"reasoning_series": r["reasoning_series"], "search_series": r["search_series"],
             "statistic": r["statistic"], "p_value": r["p_value"], "same_shape": r["same_shape"],
             "p_holm": r["p_holm"], "method": r["method"], "form": r["form"], "df_resid": r["df_resid"],
             "size": r["size"], "power": r["power"], "power_by_ratio": r["power_by_ratio"],
             "curvature_reasoning": r["curvature_reasoning"],
             "curvature_search": r["curvature_search"]} for _, r in tests.iterrows()],
        "diminishing_returns": {r["series"]: bool(r["diminishing"]) for _, r in dr.iterrows()},
        "diminishing_returns_detail": [
            {"series": r["series"], "axis": r["axis"], "status": r["status"], "rise": r["rise"],
             "gain_drop": r["gain_drop"], "gain_drop_ci": [r["gain_drop_lo"], r["gain_drop_hi"]]} for _, r in dr.iterrows()],
        "substitution": {
            "target": p.target_accuracy, "interaction": p.interaction, "tokens_per_search_step": p.tokens_per_search_step,
            "price_ratio": model.price_ratio, **_sub_record(default_sub),
            "by_interaction": [_sub_record(r) for _, r in sub.iterrows()],
            "factorial_n_per_cell_default": factorial["n_default"],
            "factorial_n_per_cell_complements": factorial["n_complements"],
            "published_crossed_design": crossed},
        "test_error_rates": {
            "form": p.shape_form, "dispersion": p.dispersion, "false_positive_rate": fpr["rate"],
            "false_positive_ci": [fpr["ci_lo"], fpr["ci_hi"]], "reference_power": ref_power,
            "replicates": n_sim,
            "by_scenario": [{"form": r["form"], "dispersion": r["dispersion"], "ratio": r["ratio"], "rate": r["rate"]}
                            for _, r in err.iterrows()]},
        "recovery": {form: {"curvature_coverage": g["curvature_covered"].mean(),
                            "ceiling_coverage": g["ceiling_covered"].mean(), "curves": len(g)}
                     for form, g in recovery.groupby("form")},
        "verdicts": {"a": parts["a"], "b": parts["b"], "c": parts["c"]},
        "observational_search": obs_search,
        "mcpmark_ladders": None if ladder_pts is None else [
            {k: (r[k] if isinstance(r[k], str) else float(r[k])) for k in LADDER_KEYS} | {"usable": bool(r["usable"])}
            for _, r in ladder_pts.iterrows()],
        "crossed_designs": [{k: r[k] for k in ("design", "outcome", "did_logit", "did_lo", "did_hi", "note")}
                            for _, r in crossed_df.iterrows()],
    }


def data_sources(published: pd.DataFrame, runs: pd.DataFrame | None, bcp_q: pd.DataFrame | None, user_path,
                 user_curves: pd.DataFrame | None) -> list[dict]:
    """Every input: the synthetic model, each published table (rows, sha256), the logged runs, the user's file."""
    sources = [results.source("synthetic: (r, s) model and simulated curves", "synthetic", None)]
    for name in sorted(set(published["source"])) + ["misc_anchor_points"]:
        path = datasets.published_path(name)
        sources.append(results.source(f"published/{path.name}", "published", len(datasets.published(name)),
                                      results.file_sha256(path)))
    for name, reg, frame in (("mcpmark (eval-sys/mcpmark-experiments @8f674f08)", "mcpmark/summary", runs),
                             ("browsecomp_plus bm25/gpt-4.1 (Agent-Evaluation/BrowseComp-Plus @48a8558a)",
                              "browsecomp_plus/bm25_single_gpt_4.1", bcp_q)):
        sources.append(results.source(name, "logged", None if frame is None else len(frame),
                                      registry.entry(reg).sha256, available=frame is not None))
    if user_path is not None:
        sources.append(results.source(f"user: {user_path.name}", "published", len(user_curves),
                                      results.file_sha256(user_path), note="user-supplied curves (curves_path)"))
    return sources
