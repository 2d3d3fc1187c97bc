"""The notebook's tables and sentences: published anchors, ratio tables, the summary and the claim's metrics.

Pure functions of the evaluated datasets (``evaluation.DatasetResult``), the replayed cells and the verdict:
they shape what the notebook shows and what its results file records, and compute nothing new.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .core import POLICIES, REALISTIC_POLICIES
from .difficulty import describe_shift
from .evaluation import budget_key
from .verdict import IN_SCOPE_SETTINGS

PUBLISHED_COLUMNS = ["source_id", "quantity", "value", "unit", "scope", "citation"]


# ---------------------------------------------------------------------------- the claim's published anchors

def published(headline: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The claim's rows of the published-figures table and its anchors (Snell's ratio, Damani's two gains)."""
    rows = headline[headline["claim"] == "adaptive_allocation"]

    def value(source, words):
        r = rows[(rows["source_id"] == source) & rows["quantity"].str.contains(words, case=False)]
        return float(r["value_numeric"].iloc[0])

    less = value("DAMANI2024", "compute reduction")
    return rows, {"snell_x": value("SNELL2024", "efficiency"), "damani_less_compute_pct": less,
                  "damani_better_quality_pct": value("DAMANI2024", "quality improvement"),
                  "damani_x": 1 / (1 - less / 100)}


def published_text(anchors: dict, ratio_threshold: float) -> str:
    a = anchors
    return (f"\nSnell et al.: compute-optimal allocation is more than {a['snell_x']:g}x as efficient as best-of-N.\n"
            f"Damani et al.: up to {a['damani_less_compute_pct']:g}% less compute at equal quality (an efficiency "
            f"ratio of {a['damani_x']:g}x), or up to {a['damani_better_quality_pct']:g}% better quality at a fixed "
            f"budget.\nThis notebook calls a gain material when the efficiency ratio is at least {ratio_threshold:g}x "
            f"(parameter ratio_threshold) with its bootstrap interval above 1.")


def headline_spec_text(p) -> str:
    """The headline specification in words (aggregation, split, interval level)."""
    return (f"Headline specification: answers selected by a {p.aggregation}"
            + (f" (true-positive rate {p.verifier_tpr:g}, false-positive rate {p.verifier_fpr:g})"
               if p.aggregation == "verifier" else "")
            + f"; the policy is chosen on {p.split_fraction:.0%} of the problems (split seed {p.split_seed}) and "
            f"scored on the rest, with {p.level:.0%} bootstrap intervals over the scored problems.")


# ---------------------------------------------------------------------------- in-sample tables

def ratio_table(res, budgets_shown) -> pd.DataFrame:
    """Efficiency ratio (interval) and accuracy gain in points (interval) by policy and budget."""
    r = res.ratios[(res.ratios["model"] == res.level_model) & res.ratios["mean_budget"].isin(budgets_shown)]
    c = res.curves[(res.curves["model"] == res.level_model) & res.curves["mean_budget"].isin(budgets_shown)]
    t = r.merge(c, on=["model", "policy", "mean_budget"])
    t["ratio (CI)"] = [f"{q:.2f} ({lo:.2f}-{hi:.2f})" for q, lo, hi in zip(t["ratio"], t["ratio_lo"], t["ratio_hi"])]
    t["accuracy gain (pts)"] = [f"{100 * g:+.1f} ({100 * lo:+.1f} to {100 * hi:+.1f})"
                                for g, lo, hi in zip(t["gain"], t["gain_lo"], t["gain_hi"])]
    return t.pivot(index="policy", columns="mean_budget", values=["ratio (CI)", "accuracy gain (pts)"]) \
        .reindex(list(POLICIES))


def noise_sweep_text(sweep: pd.DataFrame) -> str:
    lo, hi = sweep["noise"].min(), sweep["noise"].max()
    r_lo, r_hi = sweep.loc[sweep["noise"] == lo, "ratio"].mean(), sweep.loc[sweep["noise"] == hi, "ratio"].mean()
    rho = lambda s: sweep.loc[sweep["noise"] == s, "spearman"].iloc[0]  # noqa: E731
    return (f"mean ratio over the reference budgets: {r_lo:.2f}x with noise {lo:g} (Spearman {rho(lo):.2f}), "
            f"{r_hi:.3f}x with noise {hi:g} (Spearman {rho(hi):.2f})")


def shares_frame(evaluated: dict) -> pd.DataFrame:
    """Budget shares by difficulty of every dataset's summary rows (column ``dataset``)."""
    return pd.concat([res.shares[res.shares["model"] == res.level_model].assign(dataset=name)
                      for name, res in evaluated.items()], ignore_index=True)


def heterogeneity_lines(het: pd.DataFrame, pi0s, kappas) -> list[str]:
    out = []
    for pol in ("oracle_greedy", "early_stop"):
        h = het[het["policy"] == pol]
        lo_pi, hi_pi = min(pi0s), max(pi0s)
        for kappa in kappas:  # a handful of concentrations
            a = h[(h["pi0"] == lo_pi) & (h["concentration"] == kappa)].iloc[0]
            b = h[(h["pi0"] == hi_pi) & (h["concentration"] == kappa)].iloc[0]
            out.append(f"{pol}, concentration {kappa:g}: ratio {a['ratio']:.2f}x (gain {100 * a['gain']:+.1f} pts) "
                       f"with {lo_pi:.0%} unsolvable, {b['ratio']:.2f}x (gain {100 * b['gain']:+.1f} pts) with {hi_pi:.0%}")
    return out


def selector_text(sel: pd.DataFrame, sel_budgets) -> str:
    mv = sel[sel["selector"] == "majority vote"]
    d = mv["coverage_allocation"] - mv["uniform"]
    return (f"majority vote: the coverage-optimal allocation minus uniform, accuracy {100 * d.min():+.1f} to "
            f"{100 * d.max():+.1f} points; the selector's own optimum spends {mv['optimum_spend'].min():.1f} to "
            f"{mv['optimum_spend'].max():.1f} samples per problem of budgets {min(sel_budgets):g} to {max(sel_budgets):g}")


# ---------------------------------------------------------------------------- MCPMark

def mcpmark_problems(counts: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Tasks by successes out of 4 per configuration (with pass@1), and the sentence on mixed outcomes."""
    t = counts.pivot_table(index="model", columns="n_correct", values="problem_id", aggfunc="count",
                           fill_value=0).reindex(columns=range(5), fill_value=0)
    t.columns = [f"{k} of 4" for k in t.columns]
    t["pass@1"] = counts.groupby("model").apply(lambda g: g["n_correct"].sum() / g["n_samples"].sum())
    t = t.sort_values("pass@1")
    mixed = t[["1 of 4", "2 of 4", "3 of 4"]].sum(axis=1) / t.iloc[:, :5].sum(axis=1)
    text = (f"{len(t)} configurations with 4 runs per task (left out, fewer runs: "
            f"{', '.join(counts.attrs['dropped_configs']) or 'none'}); tasks solved in some but not all 4 runs: "
            f"median {mixed.median():.0%} per configuration (range {mixed.min():.0%} to {mixed.max():.0%})")
    return t, text


def spread_configs(problems: pd.DataFrame, k: int) -> list:
    """``k`` configurations spread evenly over pass@1 (all when k is 0)."""
    p1 = problems["pass@1"]
    if not k:
        return list(p1.index)
    return [p1.index[int(round(q * (len(p1) - 1)))] for q in np.linspace(0, 1, k)]


def mcpmark_lines(show: pd.DataFrame, budgets) -> list[str]:
    out = []
    for B in budgets:
        d = show[show["budget"] == B]
        out.append(f"{B:g} attempt(s) per task: held-out ratio median {d['ratio'].median():.2f}x over {len(d)} "
                   f"configurations (chosen: {d['policy'].value_counts().to_dict()}); "
                   f"{int((d['outcome'] == 'holds').sum())} hold, {int((d['outcome'] == 'breaks').sum())} break, "
                   f"{int((d['outcome'] == 'unresolved').sum())} unresolved; the oracle's upper bound has median "
                   f"{d['oracle'].median():.2f}x")
    return out


def aggregation_line(d: pd.DataFrame, agg: str) -> str:
    return (f"under a {agg}: median held-out ratio {d['ratio'].median():.2f}x, "
            f"{int((d['outcome'] == 'holds').sum())} of {len(d)} cells hold")


# ---------------------------------------------------------------------------- the verdict's evidence, shown

def evidence_view(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(in-scope rows with their intervals, outcomes by source and kind of the rows shown apart)."""
    view = table.assign(lo=table["ci"].str[0], hi=table["ci"].str[1])[
        ["source", "unit", "setting", "outcome", "figure", "lo", "hi", "note"]]
    apart = view[~table["in_scope"]]
    kind = np.where(apart["unit"].str.contains("fitted prior"), "fitted prior", "replayed")
    pivot = apart.assign(kind=kind).pivot_table(index=["source", "kind"], columns="outcome", values="figure",
                                                aggfunc="count", fill_value=0)
    return view[table["in_scope"]], pivot


def counts_text(counts: dict, scope: str) -> str:
    return (f"In scope ({scope} scope): {counts['holds']} hold, {counts['breaks']} break, "
            f"{counts['unresolved']} unresolved of {counts['in_scope']} cells")


# ---------------------------------------------------------------------------- in-sample view, shifts, summary

def insample_table(evaluated: dict, names, ref) -> pd.DataFrame:
    """The best realistic policy (highest lower interval end, then ratio) per logged dataset and budget."""
    rows = []
    for name in names:
        res = evaluated[name]
        r = res.ratios[(res.ratios["model"] == res.level_model) & res.ratios["mean_budget"].isin(ref)].set_index(
            ["policy", "mean_budget"])
        g = res.curves[(res.curves["model"] == res.level_model)].set_index(["policy", "mean_budget"])
        for B in ref:
            real = r.loc[[(p, B) for p in REALISTIC_POLICIES]]
            best = real.assign(lo=real["ratio_lo"].fillna(0)).sort_values(["lo", "ratio"], ascending=False).index[0][0]
            rows.append({"dataset": name, "mean_budget": B, "oracle": r.loc[("oracle_greedy", B), "ratio"],
                         "oracle_lo": r.loc[("oracle_greedy", B), "ratio_lo"], "realistic_policy": best,
                         "realistic": r.loc[(best, B), "ratio"], "realistic_lo": r.loc[(best, B), "ratio_lo"],
                         "binned": r.loc[("binned_predicted", B), "ratio"],
                         "realistic_gain_pts": 100 * g.loc[(best, B), "gain"],
                         "oracle_gain_pts": 100 * g.loc[("oracle_greedy", B), "gain"]})
    return pd.DataFrame(rows)


def insample_lines(insample: pd.DataFrame, ratio_threshold: float) -> list[str]:
    shows = (insample["realistic"].fillna(0) >= ratio_threshold) & (insample["realistic_lo"].fillna(0) > 1)
    out = []
    for label, part in (("in-sample material gain", insample[shows]), ("no in-sample material gain", insample[~shows])):
        where = "; ".join(f"{d} at {', '.join(f'{b:g}' for b in g['mean_budget'])}"
                          for d, g in part.groupby("dataset", sort=False)) or "nowhere"
        out.append(f"{label}: {where}")
    return out


def _med(x) -> float:
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return float(np.median(x)) if x.size else float("nan")


def _fmt_ratio(x) -> str:
    return "beyond the evaluated uniform curve" if np.isinf(x) else f"{x:.1f}x"


def oracle_shifts(shares_all: pd.DataFrame, names) -> dict:
    """Per dataset: where the oracle moves budget relative to uniform (``difficulty.describe_shift``)."""
    out = {}
    for name in names:
        s = shares_all[shares_all["dataset"] == name]
        get = lambda pol: dict(zip(s.loc[s["policy"] == pol, "bin"], s.loc[s["policy"] == pol, "share"]))  # noqa: E731
        out[name] = describe_shift(get("oracle_greedy"), get("uniform"))
    return out


def shift_lines(shifts: dict, share_budget) -> list[str]:
    return [f"{name}: oracle vs uniform at {share_budget:g} samples per problem: {sh['label']} "
            f"(from {', '.join(sh['from']) or 'nothing'} to {', '.join(sh['to']) or 'nothing'})"
            for name, sh in shifts.items()]


def binned_kept(insample: pd.DataFrame) -> float:
    """Median share of the oracle's gain in log budget that difficulty bins keep (in-sample cells)."""
    if not len(insample):
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        kept = np.log(insample["binned"].astype(float)) / np.log(insample["oracle"].astype(float))
    return _med(kept[np.isfinite(kept)])


def summary(evidence_t: pd.DataFrame, counts: dict, rob_sentence: str, insample: pd.DataFrame, *, where: str,
            ratio_threshold: float, snell_x: float) -> str:
    """The results file's one-paragraph summary: the replayed in-scope cells, then the in-sample view."""
    dec = evidence_t[evidence_t["in_scope"]]
    figs = pd.to_numeric(dec["figure"], errors="coerce")
    resolved_n = counts["holds"] + counts["breaks"]
    if len(dec):
        budgets_txt = ", ".join(f"{b:g}" for b in sorted({float(u.rsplit('@', 1)[1]) for u in dec["unit"]}))
        text = (f"On {where}, replaying {budgets_txt} attempt(s) per problem with the policy chosen on one part of the "
                f"problems and scored on the rest, {counts['holds']} of {resolved_n} resolved cells reach an efficiency "
                f"ratio of at least {ratio_threshold:g}x with an interval above 1 and {counts['breaks']} fall short "
                f"({counts['unresolved']} unresolved; median held-out ratio {figs.median():.2f}x against Snell et al.'s "
                f"more than {snell_x:g}x): {rob_sentence}.")
    else:
        text = (f"No replayable in-scope data ({where}) were available, so the claim could not be checked: "
                f"{rob_sentence}.")
    if len(insample):
        text += (f" The earlier in-sample view (policy chosen and scored on the same problems, budgets of 16 to 256 "
                 f"samples partly through a fitted prior) gave a median {_fmt_ratio(_med(insample['realistic']))} "
                 f"over {len(insample)} cells; it no longer decides.")
    return text


# ---------------------------------------------------------------------------- the results file's metrics

def _by_policy(r: pd.DataFrame, value) -> dict:
    return {pol: {budget_key(b): v for b, v in zip(g["mean_budget"], value(g))} for pol, g in r.groupby("policy", sort=False)}


def _level(res) -> pd.DataFrame:
    return res.ratios[res.ratios["model"] == res.level_model]


def mcpmark_metrics(problems: pd.DataFrame, cells: pd.DataFrame, view, budgets, aggregations) -> dict:
    """MCPMark's problems table and its replayed cells under every aggregation (``view(cells, agg)``)."""
    return {"problems": {m: {k: (int(v) if k != "pass@1" else float(v)) for k, v in r.items()}
                         for m, r in problems.to_dict("index").items()},
            "replay_budgets": budgets,
            "cells": {agg: view(cells, agg).drop(columns=["source", "setting"]).to_dict("records")
                      for agg in aggregations}}


def metrics(evaluated: dict, *, verdict: str, summary: str, shares_all: pd.DataFrame, z, share_budget, predictors,
            sweep, het, sel, plugin_cmp, recovery, verdict_cells: pd.DataFrame, user_given: bool, counts: dict,
            insample, mcpmark, shifts, kept, anchors: dict) -> dict:
    """The claim's own metrics (``results.write`` adds rule, evidence and robustness)."""
    curves = [{"dataset": name, "model": row.model, "policy": row.policy, "mean_budget": row.mean_budget,
               "accuracy": row.accuracy, "accuracy_lo": row.accuracy_lo, "accuracy_hi": row.accuracy_hi,
               "gain_vs_uniform": row.gain} for name, res in evaluated.items() for row in res.curves.itertuples()]
    in_scope = (verdict_cells["setting"].eq("user") if user_given
                else verdict_cells["setting"].isin(IN_SCOPE_SETTINGS))
    return {
        "curves": curves,
        "efficiency_ratio": {n: _by_policy(_level(res), lambda g: g["ratio"]) for n, res in evaluated.items()},
        "efficiency_ratio_ci": {n: _by_policy(_level(res), lambda g: [list(x) for x in zip(g["ratio_lo"], g["ratio_hi"])])
                                for n, res in evaluated.items()},
        "budget_share_by_difficulty": {
            n: {pol: {bn: float(v) for bn, v in zip(g["bin"], g["share"])}
                for pol, g in shares_all[shares_all["dataset"] == n].groupby("policy", sort=False)} for n in evaluated},
        "verdict": verdict,
        "summary": summary,
        "efficiency_ratio_censored": {n: sorted({f"{row.policy}@{budget_key(row.mean_budget)}" for row in
                                                 _level(res)[_level(res)["censored"]].itertuples()})
                                      for n, res in evaluated.items()},
        "efficiency_ratio_by_model": {n: {m: _by_policy(rm, lambda g: g["ratio"])
                                          for m, rm in res.ratios.groupby("model", sort=False)}
                                      for n, res in evaluated.items()},
        "reference_budgets": z.ref,
        "share_budget": float(share_budget),
        "evaluation": {n: res.evaluation for n, res in evaluated.items()},
        "predictors": predictors,
        "noise_sweep": sweep.to_dict("records"),
        "heterogeneity_sweep": het.to_dict("records"),
        "selector_comparison": sel.to_dict("records"),
        "coarse_evaluation_comparison": plugin_cmp.to_dict("records"),
        "spend_error_max": {n: float(res.spend_error["max_abs_spend_error"].max()) for n, res in evaluated.items()},
        "recovery": recovery,
        "verdict_cells": verdict_cells.assign(in_scope=in_scope).to_dict("records"),
        "verdict_inputs": counts,
        "insample_cells": insample.to_dict("records"),
        "mcpmark": mcpmark,
        "prior_refit_replicates": z.n_boot_prior,
        "oracle_budget_shift": shifts,
        "binned_share_of_oracle_log_gain": kept,
        "headline": {k: anchors[k] for k in ("snell_x", "damani_less_compute_pct", "damani_better_quality_pct")},
    }
