"""Notebook 02's words and numbers: its tables, the sentences it prints, the summary and the results metrics.

Every sentence is computed from the results entries (``entries``) and the parameters, so no number is typed
by hand; ``metrics`` assembles the claim's own block of the results file (``results.write`` adds the rule,
evidence and robustness blocks every claim carries).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import verdicts


def claim(headline: pd.DataFrame) -> tuple[float, float, str]:
    """(claimed share of tokens alone, claimed R² of the three factors, the text quoting the source)."""
    rows = headline[headline["claim"] == "token_variance"]
    lines = [f"- {r.quantity}: {r.value or '(qualitative)'} {r.unit}  [{r.scope}]" for r in rows.itertuples()]
    share = float(rows[rows["quantity"].str.contains("token usage alone")]["value_numeric"].iloc[0]) / 100.0
    three = float(rows[rows["quantity"].str.contains("three factors")]["value_numeric"].iloc[0]) / 100.0
    lines += [f"Source: {rows['citation'].iloc[0]}", "",
              f"Claimed: tokens alone explain {share:.0%} of the variance; tokens, tool calls and model "
              f"together explain {three:.0%}."]
    return share, three, "\n".join(lines)


def table(entries: Mapping[str, Mapping], keys: Sequence[str]) -> pd.DataFrame:
    """One row per results entry: R² total, tokens alone with its interval, the shares, slope, within-task coef."""
    rows = []
    for k in keys:
        e = entries[k]
        rows.append({"dataset": k, "unit": e["unit"], "n": e["n"], "R² total": e["r2_total"],
                     "tokens alone": e["alone_r2"]["tokens"],
                     "tokens alone lo": e["alone_r2_ci"]["tokens"][0], "tokens alone hi": e["alone_r2_ci"]["tokens"][1],
                     "tokens share": e["shares"]["tokens"], "tool calls share": e["shares"].get("tool_calls"),
                     "model share": e["shares"].get("model"), "scaffold share": e["shares"].get("scaffold"),
                     "token slope": e["token_slope"], "within-task coef": e["token_coef_within_task"]})
    return pd.DataFrame(rows).set_index("dataset")


def recovery_text(recovery: pd.DataFrame) -> str:
    ind = recovery[recovery["case"] == "independent"]
    cor = recovery[recovery["case"] == "correlated"]
    piv = cor.pivot(index="group", columns="quantity", values="estimate")
    gap = {g: piv.loc[g, "alone R²"] - piv.loc[g, "Shapley share"] for g in piv.index}
    return (f"Independent predictors: {int(ind['covered'].sum())} of {len(ind)} intervals cover the closed-form value; "
            f"largest error {np.max(np.abs(ind['estimate'] - ind['true'])):.3f}.\n"
            f"Correlated tokens and tool calls (rho = {cor['rho'].iloc[0]}): {int(cor['covered'].sum())} of {len(cor)} "
            f"intervals cover the closed form; alone R² exceeds the Shapley share by {gap['tokens']:.3f} for tokens "
            f"and {gap['tool_calls']:.3f} for tool calls, and {gap['model']:+.3f} for the independent model.")


def designs_text(entries: Mapping[str, Mapping], keys: Sequence[str], claim_share: float, claim_three: float) -> str:
    tok = {k: entries[k]["alone_r2"]["tokens"] for k in keys}
    hi, lo = max(keys, key=tok.get), min(keys, key=tok.get)
    ci = entries[hi]["alone_r2_ci"]["tokens"]
    out = [f"Largest token R² alone: {tok[hi]:.2f} (interval {ci[0]:.2f} to {ci[1]:.2f}) in {hi}, with total R² "
           f"{entries[hi]['r2_total']:.2f} for tokens, tool calls and model (claimed: {claim_share:.2f} and "
           f"{claim_three:.2f}).",
           f"Smallest: {tok[lo]:.3f} in {lo}. Same capabilities, same budget effect: only the budgets tested, the "
           f"models compared and the unit of analysis differ."]
    if "synthetic_wide_config" in entries:
        w = entries["synthetic_wide_config"]
        out.append(f"In the wide design per configuration, the Shapley share of tokens is {w['shares']['tokens']:.2f}, "
                   f"below its alone R² of {w['alone_r2']['tokens']:.2f}: tool calls, which follow tokens and have no "
                   f"effect of their own, take {w['shares']['tool_calls']:.2f} of the shared credit.")
    for k in ("synthetic_wide_run", "synthetic_narrow_run"):
        if k in entries:
            out.append(f"{k}: binary run outcomes cap any R² at Var(p)/Var(y) = {entries[k]['explainable_ceiling']:.2f}.")
    return "\n".join(out)


def sweep_text(sweep: pd.DataFrame, claim_share: float, claim_tolerance: float) -> str:
    cfg = sweep[(sweep["unit"] == "config") & (sweep["quantity"] == "alone R²")].sort_values("spread")
    reach = cfg[cfg["hi"] >= claim_share - claim_tolerance]
    run = sweep[(sweep["unit"] == "run") & (sweep["quantity"] == "alone R²")]
    return (f"Per configuration, token R² alone rises from {cfg['value'].iloc[0]:.2f} at a range of "
            f"{cfg['spread'].iloc[0]:g} doublings to {cfg['value'].iloc[-1]:.2f} at {cfg['spread'].iloc[-1]:g}; "
            + (f"its interval first reaches within {claim_tolerance:.2f} of the claimed {claim_share:.2f} at "
               f"{reach['spread'].iloc[0]:g} doublings." if len(reach) else
               f"its interval never reaches within {claim_tolerance:.2f} of the claimed {claim_share:.2f} on this grid.")
            + f"\nPer run it never exceeds {run['value'].max():.2f}.")


def mechanism_text(entries: Mapping[str, Mapping], token_effect: float) -> tuple[str, bool]:
    """(text, whether the within-task sign flips between the budget and the usage mechanism)."""
    out = []
    for k in ("synthetic_mechanism_budget_run", "synthetic_mechanism_usage_run"):
        e = entries[k]
        lo, hi = e["token_coef_within_task_ci"]
        out.append(f"{k}: within-task coefficient {e['token_coef_within_task']:+.3f} success per doubling of tokens "
                   f"(interval {lo:+.3f} to {hi:+.3f}); tokens alone R² {e['alone_r2']['tokens']:.3f} with slope "
                   f"{e['token_slope']:+.3f}. True budget effect: {token_effect:+.2f} logit per doubling in both.")
    flip = (entries["synthetic_mechanism_budget_run"]["token_coef_within_task_ci"][0] > 0
            and entries["synthetic_mechanism_usage_run"]["token_coef_within_task_ci"][1] < 0)
    out.append("The within-task sign flips between the mechanisms." if flip else
               "The within-task sign does not flip at these parameters.")
    return "\n".join(out), flip


def upgrade_text(uvd: Mapping, fit: Mapping, upgrade_from: str, upgrade_to: str, token_effect: float) -> str:
    lo_d, hi_d = fit["doublings_equivalent_ci"]
    return (f"At the middle budget and average difficulty, upgrading {upgrade_from} -> {upgrade_to} adds "
            f"{uvd['gain_upgrade']:+.3f} to accuracy; doubling the budget adds {uvd['gain_doubling']:+.3f}. "
            f"The upgrade is worth {uvd['doublings_equivalent']:.2f} doublings (true); fitted from runs: "
            f"{fit['doublings_equivalent']:.2f} (interval {lo_d:.2f} to {hi_d:.2f}); budget effect fitted "
            f"{fit['token_effect']:.3f} (interval {fit['token_effect_ci'][0]:.3f} to {fit['token_effect_ci'][1]:.3f}) "
            f"vs true {token_effect}.\n"
            "An upgrade beats a doubling whenever the capability step exceeds β; that is compatible with tokens "
            "explaining most of the variance, since R² reflects the budgets tested, not the size of either effect.")


def deepdive_text(e: Mapping, e2: Mapping) -> str:
    lo, hi = e["alone_r2_ci"]["tokens"]
    blo, bhi = e["alone_r2_ci_binomial"]["tokens"]
    return (f"DeepDive per configuration (n = {e['n']}): tokens alone R² {e['alone_r2']['tokens']:.3f} (interval {lo:.3f} "
            f"to {hi:.3f}; questions only {blo:.3f} to {bhi:.3f}), slope {e['token_slope']:+.3f} accuracy per doubling; "
            f"Shapley shares " + ", ".join(f"{g} {v:.2f} ({e['shares_ci'][g][0]:.2f} to {e['shares_ci'][g][1]:.2f})"
                                          for g, v in e["shares"].items() if v is not None)
            + f"; total R² {e['r2_total']:.2f} from {e['n_params']} parameters on {e['n']} points "
            f"({e['points_per_param']:.1f} per parameter). Without orchestration as a factor the tokens share is "
            f"{e2['shares']['tokens']:.2f}. Attainable R² given 50 questions: {e['attainable_r2']:.2f}.")


def mcpmark_text(entries: Mapping[str, Mapping], keys: Sequence[str]) -> str:
    out = []
    for k in keys:
        e = entries[k]
        lo, hi = e["alone_r2_ci"]["tokens"]
        out.append(f"{k}: tokens alone R² {e['alone_r2']['tokens']:.3f} ({lo:.3f} to {hi:.3f}), Shapley shares "
                   + ", ".join(f"{g} {v:.3f} ({e['shares_ci'][g][0]:.3f} to {e['shares_ci'][g][1]:.3f})"
                               for g, v in e["shares"].items() if v is not None)
                   + f"; attainable R² {e['attainable_r2']:.2f}; {e['n_params']} parameters on {e['n']} points"
                   + (f"; task identity alone R² {e['task_alone_r2']:.3f}" if e.get("task_alone_r2") is not None else "")
                   + (f"; within-task coefficient {e['token_coef_within_task']:+.4f} per doubling"
                      if e["token_coef_within_task"] is not None else "") + ".")
    return "\n".join(out)


def logged_text(entries: Mapping[str, Mapping], keys: Sequence[str]) -> str:
    out = []
    for k in keys:
        e = entries[k]
        lo, hi = e["alone_r2_ci"]["tokens"]
        parts = [f"{k}: tokens alone R² {e['alone_r2']['tokens']:.3f} (interval {lo:.3f} to {hi:.3f}), "
                 f"Shapley share {e['shares']['tokens']:.3f}, all groups together {e['r2_total']:.3f}"]
        if e.get("mcfadden"):
            parts.append(f"McFadden {e['mcfadden_model']}: tokens alone {e['mcfadden']['alone']['tokens']:.3f}, "
                         f"share {e['mcfadden']['shares']['tokens']:.3f}")
        if e["token_coef_within_task"] is not None:
            wl, wh = e["token_coef_within_task_ci"]
            parts.append(f"within-task coefficient {e['token_coef_within_task']:+.3f} per doubling ({wl:+.3f} to {wh:+.3f})")
        if e.get("token_coef_within_config") is not None:
            cl, ch = e["token_coef_within_config_ci"]
            parts.append(f"within-configuration coefficient {e['token_coef_within_config']:+.3f} per doubling "
                         f"({cl:+.3f} to {ch:+.3f})")
        if e.get("task_alone_r2") is not None:
            parts.append(f"task identity alone R² {e['task_alone_r2']:.3f}")
        if e["dropped_groups"]:
            parts.append(f"dropped at this unit (saturates the configurations): {e['dropped_groups']}")
        out.append("; ".join(parts) + ".")
    return "\n".join(out)


def checks_text(entries: Mapping[str, Mapping], design_alone: Sequence[float]) -> str:
    keys = [k for k in entries if not k.startswith("synthetic")]
    lg = {k: entries[k]["alone_r2"]["tokens"] for k in keys if entries[k]["alone_r2"].get("tokens") is not None}
    out = []
    if lg:
        kmax = max(lg, key=lg.get)
        out.append(f"Logged data: tokens alone R² ranges from {min(lg.values()):.3f} to {lg[kmax]:.3f} ({kmax}).")
    neg = [k for k in keys if entries[k]["token_coef_within_task"] is not None
           and entries[k]["token_coef_within_task_ci"][1] < 0]
    if neg:
        out.append(f"Within tasks, runs that spent more tokens succeeded less often in {', '.join(neg)}: the "
                   f"signature of the usage mechanism, under which token counts record struggle rather than effort.")
    out.append(f"Simulator (mechanisms only, never deciding): with the same capabilities, tokens alone R² spans "
               f"{min(design_alone):.3f} to {max(design_alone):.3f} across designs and units.")
    return "\n".join(out)


def verdict_text(ev: pd.DataFrame, verdict: str, counts: Mapping, user_given: bool) -> str:
    out = [f"Verdict ({verdicts.scope_name(user_given)} scope): {verdict}. In-scope rows: {counts['holds']} hold, "
           f"{counts['breaks']} break, {counts['unresolved']} unresolved; {counts['out_of_scope']} rows shown beside."]
    out += [f"- {r.source}, {r.unit} ({'in scope' if r.in_scope else 'beside'}, {r.setting}): {r.outcome}; {r.note}"
            for r in ev.itertuples()]
    return "\n".join(out)


def flips_text(robust) -> str:
    """The robustness sentence and, per other verdict, the (units, sources, statistic) that give it."""
    out = [robust.sentence()]
    flips = robust.table[robust.table["verdict"] != robust.headline]
    for v, f in flips.groupby("verdict"):
        combos = f[["units", "sources", "statistic"]].drop_duplicates().itertuples(index=False)
        out.append(f"{len(f)} specifications give {v!r}, at (units, sources, statistic) = "
                   + "; ".join(f"({u}, {s}, {st})" for u, s, st in combos))
    return "\n".join(out)


def summary(ev: pd.DataFrame, verdict: str, robust, claim_share: float, statistic: str, scale: str) -> str:
    ins = ev[ev["in_scope"]]
    if ins.empty:
        return "No in-scope logged data were available, so the claim could not be confronted with runs."
    return ("Against the claimed {:.2f}, tokens ({} R², {} scale) give ".format(claim_share, statistic, scale)
            + "; ".join(f"{r.source} per {r.unit} {r.figure:.2f} [{r.ci[0]:.2f}, {r.ci[1]:.2f}] ({r.outcome})"
                        if r.ci else f"{r.source} per {r.unit} {r.outcome}" for r in ins.itertuples())
            + f": {verdict}; {robust.agree} of {robust.specifications} specifications agree.")


def metrics(*, entries: Mapping, dd_extra: Mapping, claim_share: float, claim_three: float, verdict: str,
            counts: Mapping, statistic: str, scale: str, tolerance: float, design_alone: Sequence[float],
            sweep: pd.DataFrame, uvd: Mapping, fit_uvd: Mapping, sign_flip: bool, recovery: pd.DataFrame,
            notes: list) -> dict:
    """Claim 2's own metrics (after the rule, evidence and robustness blocks ``results.write`` adds)."""
    return {
        "datasets": entries,
        "deepdive_without_orchestration": dd_extra.get("deepdive_config_no_orchestration"),
        "claim_share_tokens": claim_share,
        "claim_r2_three_factors": claim_three,
        "verdict": verdict,
        "verdict_detail": {**counts, "statistic": statistic, "scale": scale, "tolerance": tolerance},
        "synthetic_token_alone_range": [min(design_alone), max(design_alone)],
        "sweep": sweep.to_dict(orient="records"),
        "upgrade_vs_doubling": {"true": uvd, "fitted": fit_uvd},
        "mechanism_sign_flip": sign_flip,
        "recovery_coverage": float(recovery["covered"].mean()),
        "notes": notes,
    }
