"""The two result lists of claim 4: asymptotes (one per dataset, model, aggregation) and catch-up budgets.

``asymptotes``: the study's best estimate of each limit, how it was obtained, its 95% interval and whether the
data identify it. ``catch_up``: one row per (non-reasoning, reasoning) pair and aggregation, with the budget of
``budget.catch_up`` and, for MCPMark, the matched-spend outcome. Rows are kept in the order they are added.
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from .budget import aggregation_verdicts, classify_catch_up


class Records:
    """Collects asymptote and catch-up rows (``add_asym``, ``add_catch``) and looks them up."""

    def __init__(self):
        self.asym: list[dict] = []
        self.catch: list[dict] = []

    def add_asym(self, dataset, model, aggregation, value, ci, identifiable, method, kind=None) -> None:
        self.asym.append({"dataset": dataset, "model": model, "aggregation": aggregation, "asymptote": value,
                          "ci": [ci[0], ci[1]], "identifiable": bool(identifiable), "method": method, "kind": kind})

    def add_catch(self, dataset, gap, nr, r, aggregation, res, observed_k) -> None:
        """One comparison; ``observed_k``: the most samples per problem the data show for the non-reasoning side."""
        k = res["samples_needed"]
        self.catch.append({"dataset": dataset, "gap": gap, "non_reasoning_model": nr, "reasoning_model": r,
                           "aggregation": aggregation, **res, "observed_k_max": int(observed_k),
                           "extrapolated": None if k is None else bool(k > observed_k)})

    def asym_of(self, dataset, model, aggregation) -> dict:
        return [r for r in self.asym if r["dataset"] == dataset and r["model"] == model
                and r["aggregation"] == aggregation][0]

    def catch_frame(self, dataset) -> pd.DataFrame:
        return pd.DataFrame([c for c in self.catch if c["dataset"] == dataset])


def legacy_view(rec: Records, p) -> SimpleNamespace:
    """The older view: each non-MCPMark budget against one sample of the stronger side (``budget``'s rule).

    Counted: RL vs base, a user's path, reasoning vs non-reasoning, and capability gaps only with
    ``count_capability_gap``. Shown for comparison; it does not decide the verdict.
    """
    catch = pd.DataFrame(rec.catch)
    catch["outcome"] = [classify_catch_up(r, p.affordable_cost_ratio) for r in rec.catch]
    legacy = catch["dataset"] != "mcpmark"
    counted = {"rl_vs_base", "user_scaling_path", "reasoning_vs_non_reasoning"} | (
        {"capability_gap"} if p.count_capability_gap else set())
    evidence = catch[legacy & catch["gap"].isin(counted)]
    per_agg = aggregation_verdicts(evidence, p.affordable_cost_ratio, p.holds_max_share, p.breaks_min_share)
    return SimpleNamespace(catch=catch, legacy=legacy, evidence=evidence, per_agg=per_agg,
                           outcomes=pd.crosstab([evidence["dataset"], evidence["aggregation"]], evidence["outcome"]))
