"""The recommendation: every option at its budget, the four compared options, and the pick.

Per option (model kind x policy): cost per task = B·(USD per sample), tokens = B·(input + output tokens per
sample), reasoning tokens = B·(the reasoning model's output tokens; 0 for the non-reasoning model), search
steps = B·(input tokens per sample / tokens_per_search_step) (claim 1's accounting); cost per finished
artifact = cost per task / expected accuracy (an artifact is a task finished correctly).

Per model kind, the uniform option unless the best adaptive option meets the target too and saves at
least ``min_saving`` of the cost per artifact (saving = 1 - cpa_adaptive / cpa_uniform); then, among
the available kinds (reasoning only if available) whose pick meets the target, the cheapest per
finished artifact (with caching). If none meets it, the most accurate available option, flagged.
With only a cap, "meets" means affordable (at least one sample per task under the cap).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import pandas as pd

from . import claims as K
from .costs import usd_per_sample
from .evaluate import choose_budget
from .options import KINDS, OPTION_KEYS, Z95, policies_for


@dataclass
class PlanInputs:
    """Everything ``plan`` needs (validated by ``validate_inputs`` before)."""
    workloads: dict                      # kind -> Workload
    costs: pd.DataFrame                  # ``sample_costs`` output
    prices: dict                         # kind -> ledger.PriceTable
    tokens: dict                         # kind -> (input, output) tokens per sample
    target: float | None
    budget_cap_usd: float | None
    aggregation: str
    selector: K.Selector
    reasoning_available: bool
    min_saving: float
    max_samples: int
    tokens_per_search_step: float
    probe_m: int = 4
    refine_points: int = 24
    seed: int = 0


def evaluate_options(inp: PlanInputs) -> tuple[pd.DataFrame, dict]:
    """Every (kind, policy) evaluated at its budget; returns a table (one row each) and the coarse curves."""
    rows, curves = [], {}
    for ki, kind in enumerate(KINDS):
        w = inp.workloads[kind]
        c_cached, c_plain = usd_per_sample(inp.costs, kind, True), usd_per_sample(inp.costs, kind, False)
        cap_samples = None if inp.budget_cap_usd is None else inp.budget_cap_usd / c_cached
        I, O = inp.tokens[kind]
        r_per = O if kind == "reasoning" else 0.0
        s_per = I / inp.tokens_per_search_step
        for pi, pol in enumerate(policies_for(inp.selector)):
            r = choose_budget(w, pol, target=inp.target, cap_samples=cap_samples, max_samples=inp.max_samples,
                              selector=inp.selector, seed=inp.seed, key=(ki, pi), probe_m=inp.probe_m,
                              refine_points=inp.refine_points)
            curves[(kind, pol)] = r.pop("curve")
            acc, B = r["accuracy"], r["spent"]
            cpt, cpt0 = B * c_cached, B * c_plain
            rows.append({
                "model_kind": kind, "policy": pol, "adaptive": pol != "uniform",
                "available": kind == "non_reasoning" or inp.reasoning_available,
                "mean_samples": B, "expected_accuracy": acc,
                "accuracy_lo": max(0.0, acc - Z95 * r["se"]), "accuracy_hi": min(1.0, acc + Z95 * r["se"]),
                "meets_target": r["meets_target"], "limited_by": "saturated" if r["saturated"] else r["limited_by"],
                "affordable": None if cap_samples is None else bool(cap_samples >= 1.0),
                "reasoning_tokens": B * r_per, "search_steps": B * s_per, "tokens": B * (I + O),
                "cost_per_task_usd": cpt, "cost_per_task_usd_no_cache": cpt0,
                "cost_per_artifact_usd": cpt / acc if acc > 0 else math.inf,
                "cost_per_artifact_usd_no_cache": cpt0 / acc if acc > 0 else math.inf})
    return pd.DataFrame(rows), curves


def _feasible(row, has_target: bool) -> bool:
    if has_target:
        return bool(row["meets_target"])
    return row["affordable"] is None or bool(row["affordable"])


def best_adaptive(table: pd.DataFrame, kind: str, has_target: bool) -> pd.Series:
    """The best realistic adaptive option of a kind: the cheapest per artifact among those meeting the
    target, else the most accurate (without a target: the most accurate, then the cheapest)."""
    t = table[(table["model_kind"] == kind) & table["adaptive"]]
    ok = t[[_feasible(r, has_target) for r in t.to_dict("records")]] if has_target else t.iloc[0:0]
    if len(ok):
        return ok.sort_values(["cost_per_artifact_usd", "mean_samples"], kind="stable").iloc[0]
    return t.sort_values(["expected_accuracy", "cost_per_artifact_usd"], ascending=[False, True], kind="stable").iloc[0]


def options_table(table: pd.DataFrame, has_target: bool) -> pd.DataFrame:
    """The four compared options: per kind, uniform and the best realistic adaptive policy."""
    rows = []
    for kind in KINDS:
        rows.append(table[(table["model_kind"] == kind) & (table["policy"] == "uniform")].iloc[0])
        rows.append(best_adaptive(table, kind, has_target))
    return pd.DataFrame(rows).reset_index(drop=True)


def saving(adaptive_cpa: float, uniform_cpa: float) -> float:
    """Relative saving per finished artifact of the adaptive option over uniform: 1 - cpa_a / cpa_u."""
    if not (math.isfinite(adaptive_cpa) and math.isfinite(uniform_cpa)) or uniform_cpa <= 0:
        return math.nan
    return 1.0 - adaptive_cpa / uniform_cpa


def recommend(options: pd.DataFrame, *, has_target: bool, min_saving: float) -> tuple[pd.Series, dict]:
    """The recommendation (module docstring): returns the chosen option row and how it was chosen."""
    picks, savings = {}, {}
    for kind in KINDS:
        o = options[options["model_kind"] == kind]
        u, a = o[~o["adaptive"]].iloc[0], o[o["adaptive"]].iloc[0]
        fu, fa = _feasible(u, has_target), _feasible(a, has_target)
        s = saving(a["cost_per_artifact_usd"], u["cost_per_artifact_usd"]) if (fu and fa) else math.nan
        savings[kind] = s
        if fu and fa:
            picks[kind] = a if s >= min_saving else u
        elif fu or fa:
            picks[kind] = u if fu else a
    avail = [k for k in picks if bool(picks[k]["available"])]
    if avail:
        best = min(avail, key=lambda k: (picks[k]["cost_per_artifact_usd"], KINDS.index(k)))
        return picks[best], {"meets": True, "saving_vs_uniform": savings, "reason": "cheapest feasible per artifact"}
    pool = options[options["available"]]
    row = pool.sort_values(["expected_accuracy", "cost_per_artifact_usd"], ascending=[False, True],
                           kind="stable").iloc[0]
    return row, {"meets": False, "saving_vs_uniform": savings, "reason": "no option meets the target: most accurate"}


def option_record(row: Mapping) -> dict:
    """The results record of an option: the stable keys first, then the details."""
    rec = {k: row[k] for k in OPTION_KEYS}
    for k in ("mean_samples", "accuracy_lo", "accuracy_hi", "meets_target", "available", "limited_by", "tokens",
              "cost_per_task_usd", "cost_per_task_usd_no_cache", "cost_per_artifact_usd_no_cache"):
        rec[k] = row[k]
    return rec


@dataclass
class Plan:
    table: pd.DataFrame          # every (kind, policy)
    options: pd.DataFrame        # the four compared options
    curves: dict                 # (kind, policy) -> coarse curve
    recommendation: pd.Series
    how: dict
    extras: dict = field(default_factory=dict)


def plan(inp: PlanInputs) -> Plan:
    """Evaluate every option and pick the recommendation (claims 3 and 5); the notebook adds claims 1, 2, 4."""
    table, curves = evaluate_options(inp)
    has_target = inp.target is not None
    opts = options_table(table, has_target)
    rec, how = recommend(opts, has_target=has_target, min_saving=inp.min_saving)
    return Plan(table, opts, curves, rec, how)


def target_sweep(inp: PlanInputs, targets: Sequence[float]) -> list[dict]:
    """The recommendation at each target, everything else as in ``inp`` ("where it holds and where it breaks")."""
    sweep = []
    for t in targets:
        pl = plan(PlanInputs(**{**inp.__dict__, "target": float(t)}))
        r = pl.recommendation
        sweep.append({"target": float(t), "model_kind": r["model_kind"], "policy": r["policy"],
                      "mean_samples": float(r["mean_samples"]), "expected_accuracy": float(r["expected_accuracy"]),
                      "cost_per_artifact_usd": float(r["cost_per_artifact_usd"]),
                      "meets_target": bool(pl.how["meets"])})
    return sweep


def recommendation_meets(p: "Plan", has_target: bool, has_cap: bool) -> bool:
    """Whether the recommendation meets the target (with only a cap: whether it is affordable)."""
    if not has_target and has_cap:
        return bool(p.recommendation["affordable"])
    return bool(p.how["meets"])


def cost_ratio_vs_reasoning(options: pd.DataFrame, has_target: bool) -> float | None:
    """Cost per artifact of uniform non-reasoning sampling over the cheapest reasoning option, when both
    meet the target (else None)."""
    u_nr = options[(options["model_kind"] == "non_reasoning") & ~options["adaptive"]].iloc[0]
    r_best = options[(options["model_kind"] == "reasoning")].sort_values("cost_per_artifact_usd").iloc[0]
    if has_target and u_nr["meets_target"] and r_best["meets_target"]:
        return u_nr["cost_per_artifact_usd"] / r_best["cost_per_artifact_usd"]
    return None
