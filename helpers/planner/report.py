"""What the notebook shows and writes: its tables, its computed sentences, the summary and the metrics.

No numbers are typed by hand: every sentence here is built from computed values. ``summary`` states the
recommendation (or that no option meets the goal) with the non-reasoning model's reachability;
``metrics`` assembles the planner's block of the results file (``results.write`` adds the rest).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import datasets, results
from .options import KINDS
from .recommend import option_record

CLAIM_STEMS = {"search_scaling": "01_search_scaling", "token_variance": "02_token_variance",
               "adaptive_allocation": "03_adaptive_allocation", "reasoning_ceiling": "04_reasoning_ceiling",
               "cache_economics": "05_cache_economics"}
KIND_TEXT = {"non_reasoning": "the non-reasoning model", "reasoning": "the reasoning model"}


# ---------------------------------------------------------------------- tables


def claims_table() -> pd.DataFrame:
    """Per claim: a published headline figure behind its lever and its notebook's verdict on this machine."""
    headline = datasets.headline_figures()
    rows = []
    for claim, stem in CLAIM_STEMS.items():
        h = headline[headline["claim"] == claim]
        first = h.iloc[0] if len(h) else None
        doc = results.read_results(stem)
        rows.append({"claim": claim,
                     "a headline figure": ("(none in headline_figures.csv; see the notebook)" if first is None
                                           else f"{first['source_id']}: {first['quantity']} = {first['value']} "
                                                f"{first['unit']}"),
                     "claim notebook's verdict": doc["verdict"] if doc else "(not run on this machine)"})
    return pd.DataFrame(rows).set_index("claim")


def workloads_table(workloads: dict) -> pd.DataFrame:
    """Per model kind: source, tasks, single-sample accuracy, never-solved share, the binned policy's predictor."""
    return pd.DataFrame([{"model kind": kind, "source": w.source, "tasks": w.n_problems,
                          "single-sample accuracy": w.single_sample_accuracy,
                          "never-solved share": w.never_solved_share,
                          "difficulty predictor (binned policy)": w.predictor}
                         for kind, w in workloads.items()]).set_index("model kind")


def counts_note(frames: dict | None) -> list[str]:
    """The plug-in caveat of per-problem counts (none for the Beta mixtures)."""
    if frames is None:
        return []
    nmin = min(int(f["n_samples"].min()) for f in frames.values())
    return [f"Per-problem p is read as c/n; the fewest samples on a problem is {nmin}: a problem never solved in "
            f"that many samples is treated as unsolvable."]


def price_lines(shares, prices: dict) -> list[str]:
    lines = [f"Cache-read share of prompt tokens: {shares.read_share:.1%} ({shares.source}); share of the other "
             f"prompt tokens written to the cache: {shares.write_share:.1%}."]
    for kind, t in prices.items():
        lines.append(f"{kind}: " + ", ".join(f"{k} {v:.3g}" for k, v in t.usd_per_mtok().items())
                     + " USD per million tokens.")
    return lines


def costs_view(costs: pd.DataFrame) -> pd.DataFrame:
    return costs.set_index(["model", "caching"])[["uncached_input", "cache_write_5m", "cache_read", "output",
                                                  "search_steps", "usd_per_sample"]]


OPTION_COLUMNS = ["model_kind", "policy", "available", "mean_samples", "expected_accuracy", "accuracy_lo",
                  "accuracy_hi", "meets_target", "limited_by", "reasoning_tokens", "search_steps", "cost_per_task_usd",
                  "cost_per_artifact_usd", "cost_per_artifact_usd_no_cache"]
OPTION_FORMATS = {"mean_samples": "{:.2f}", "expected_accuracy": "{:.1%}", "accuracy_lo": "{:.1%}",
                  "accuracy_hi": "{:.1%}", "reasoning_tokens": "{:,.0f}", "search_steps": "{:,.1f}",
                  "cost_per_task_usd": "{:.3f}", "cost_per_artifact_usd": "{:.3f}",
                  "cost_per_artifact_usd_no_cache": "{:.3f}"}


def options_view(options: pd.DataFrame):
    """The four compared options, formatted (a pandas Styler)."""
    return options[OPTION_COLUMNS].copy().style.format(OPTION_FORMATS)


# ---------------------------------------------------------------------- sentences


def saving_lines(options: pd.DataFrame, saving: dict, min_saving: float) -> list[str]:
    out = []
    for kind in KINDS:
        s = saving[kind]
        best = options[(options["model_kind"] == kind) & options["adaptive"]].iloc[0]
        out.append(f"{kind}: best realistic adaptive policy {best['policy']}; saving per artifact over uniform "
                   + ("not defined (not both meet the target)" if not np.isfinite(s)
                      else f"{s:.1%} (recommended over uniform only from {min_saving:.0%})"))
    return out


def recovery_lines(checks: dict, split: dict) -> list[str]:
    """The five recovery checks in words (``status.recovery_checks`` and the claim-1 split's MRS)."""
    out = [f"1. largest |mean spend - budget| over every policy and budget: {checks['spend_error']:.2e} samples "
           f"per task",
           "2. largest |uniform on the tasks - closed form| in standard errors: "
           + ", ".join(f"{k} {v:.2f}" for k, v in checks["uniform_vs_closed_form_z"].items()),
           f"3. largest |cost - sum of its parts| in the sample ledger: {checks['ledger_cost_identity']:.1e} USD",
           f"4. |cached - uncached price| at zero read and write shares: {checks['zero_share_cache_gap_usd']:.1e} USD"]
    if split["interior"]:
        out.append(f"5. claim-1 split: MRS at the optimum {split['mrs']:.1f} tokens per step against the price ratio "
                   f"{split['price_ratio']:.1f} (relative gap {abs(split['mrs'] / split['price_ratio'] - 1):.1e})")
    else:
        out.append("5. claim-1 split: the optimum is a corner (or unreachable), where the MRS need not equal the "
                   "price ratio")
    return out


def mrs_gap(split: dict) -> float | None:
    """|MRS / price ratio - 1| at an interior optimum of the claim-1 split (None at a corner)."""
    return abs(split["mrs"] / split["price_ratio"] - 1) if split["interior"] else None


def reach_lines(reach: dict, aggregation: str, has_target: bool, ratio_vs_r: float | None) -> list[str]:
    what = "your target" if has_target else "the reasoning model's single-sample accuracy"
    out = [f"Non-reasoning asymptote under {aggregation}: {reach['asymptote']:.1%}; target ({what}) "
           f"{reach['target']:.1%}."]
    if reach["samples_needed"] is not None:
        out.append(f"Uniform sampling reaches it with {reach['samples_needed']:,} samples per task, "
                   f"{reach['cost_ratio_vs_one_reasoning_sample']:.1f} times the cost of one reasoning sample "
                   f"(status {reach['status']}).")
    else:
        out.append(f"It cannot be reached by repeated sampling (status {reach['status']}).")
    if ratio_vs_r is not None:
        out.append(f"Per finished artifact, uniform non-reasoning sampling costs {ratio_vs_r:.2f} times the cheapest "
                   f"reasoning option.")
    return out


def split_lines(split: dict, tokens_r: tuple[float, float], tokens_per_search_step: float) -> list[str]:
    if split["reachable"]:
        out = [f"Cheapest single attempt reaching {split['target']:.0%} in the claim-1 model: "
               f"{split['reasoning_tokens']:,.0f} reasoning tokens and {split['search_steps']:.1f} search steps "
               f"({split['tokens']:,.0f} tokens, {split['search_token_share']:.0%} of them search context), "
               f"{split['cost_usd']:.3f} USD."]
    else:
        out = [f"The claim-1 model cannot reach {split['target']:.0%} in one attempt (its ceiling is "
               f"{split['ceiling']:.0%})."]
    I_r, O_r = tokens_r
    out.append(f"Your reasoning attempts: {O_r:,.0f} reasoning tokens and {I_r / tokens_per_search_step:.1f} search "
               f"steps ({I_r / (I_r + O_r):.0%} of tokens search context).")
    return out


def budget_lines(bvm: dict) -> list[str]:
    return [f"At {bvm['mean_samples']:.2f} samples per task: budget part {bvm['budget_part']:+.1%}, model part "
            f"{bvm['model_part']:+.1%} of accuracy; {bvm['share_from_budget']:.0%} of the gain comes from budget.",
            f"Upgrading the model adds {bvm['gain_upgrade']:+.1%} at one sample; doubling the non-reasoning budget "
            f"adds {bvm['gain_doubling']:+.1%}; the upgrade is worth {bvm['doublings_equivalent']:.1f} doublings "
            f"(logit scale)."]


def sweep_lines(sweep: list[dict]) -> list[str]:
    switch = [s for a, s in zip(sweep, sweep[1:]) if (a["model_kind"], a["policy"]) != (s["model_kind"], s["policy"])]
    unmet = [s["target"] for s in sweep if not s["meets_target"]]
    return ["The recommendation changes at target(s): "
            + (", ".join(f"{s['target']:.0%} (to {s['model_kind']}, {s['policy']})" for s in switch)
               or "none in the grid") + ".",
            "No option meets target(s): " + (", ".join(f"{t:.0%}" for t in unmet) or "none in the grid") + "."]


def summary(rec, *, status: str, meets: bool, target_accuracy, budget_cap_usd, share_source: str, reach: dict,
            aggregation: str) -> str:
    """The results' summary: the recommendation for the user's goal and the non-reasoning model's reach."""
    has_target, has_cap = target_accuracy is not None, budget_cap_usd is not None
    goal = ((f"a target of {target_accuracy:.0%}" if has_target else "") + (" and " if has_target and has_cap else "")
            + (f"a cap of {budget_cap_usd:.3g} USD per task" if has_cap else ""))
    how_txt = (f"{KIND_TEXT[rec['model_kind']]} with {rec['policy']} sampling at {rec['mean_samples']:.2f} samples "
               f"per task: expected accuracy {rec['expected_accuracy']:.1%}, {rec['cost_per_artifact_usd']:.3g} USD "
               f"per finished artifact "
               + (f"with caching ({rec['cost_per_artifact_usd_no_cache']:.3g} without)" if share_source != "unavailable"
                  else "(no cache-read share could be measured: costs assume no caching)"))
    reach_target = reach["target"]
    nr_txt = (f"; the non-reasoning model's asymptote under {aggregation} is {reach['asymptote']:.1%}, "
              + (f"and uniform sampling reaches {reach_target:.0%} with it at {reach['samples_needed']:,} samples per "
                 f"task ({reach['cost_ratio_vs_one_reasoning_sample']:.1f} times the cost of one reasoning sample)"
                 if reach["samples_needed"] is not None
                 else f"so repeated sampling cannot reach {reach_target:.0%} with it"))
    if status == "no target or cap":
        return (f"No target accuracy or budget cap was given; at one sample per task the cheapest option per artifact "
                f"is {how_txt}{nr_txt}.")
    if meets:
        return f"For {goal} the planner recommends {how_txt}{nr_txt}."
    return f"No available option meets {goal}; the most accurate is {how_txt}{nr_txt}."


# ---------------------------------------------------------------------- results


def _finite_or_none(x: float) -> float | None:
    return x if np.isfinite(x) else None


def metrics(plan, *, status: str, meets: bool, split: dict, reach: dict, ratio_vs_r, shares, bvm: dict,
            workloads: dict, costs: pd.DataFrame, sweep: list[dict], checks: dict) -> dict:
    """The planner's metrics block of the results file (contract section 3), in its fixed key order."""
    rec = option_record(plan.recommendation)
    rec.update(meets_target=meets, reason=plan.how["reason"],
               per_attempt_split={k: split[k] for k in ("reasoning_tokens", "search_steps", "tokens", "cost_usd",
                                                        "search_token_share", "reachable", "interior")})
    return {
        "status": status,
        "recommendation": rec,
        "options": [option_record(r) for r in plan.options.to_dict("records")],
        "all_policies": [option_record(r) for r in plan.table.to_dict("records")],
        "reachable": reach["reachable"],
        "non_reasoning_asymptote": reach["asymptote"],
        "non_reasoning_catch_up": reach,
        "cost_ratio_uniform_non_reasoning_vs_best_reasoning": ratio_vs_r,
        "cache_read_share": shares.read_share,
        "cache_write_share": shares.write_share,
        "cache_share_source": shares.source,
        "saving_vs_uniform": {k: _finite_or_none(v) for k, v in plan.how["saving_vs_uniform"].items()},
        "search_split": split,
        "quality_from_budget": bvm,
        "single_sample_accuracy": {k: w.single_sample_accuracy for k, w in workloads.items()},
        "usd_per_sample": {f"{m}{'' if c else '_no_cache'}": u for m, c, u in
                           zip(costs["model"], costs["caching"], costs["usd_per_sample"])},
        "target_sweep": sweep,
        "recovery": checks,
    }


def say(lines) -> None:
    """Print each sentence on its own line (nothing when there is none)."""
    for line in lines:
        print(line)
