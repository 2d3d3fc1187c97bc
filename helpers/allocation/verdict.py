"""Claim 3's verdict rule: adaptive versus uniform allocation, decided on replayed logged samples only.

The rule (stated before the evidence; thresholds are notebook parameters)
------------------------------------------------------------------------
A **cell** is one (source, model, budget) whose every problem has at least ``budget`` logged samples, so
every policy is *replayed* from logged samples (``helpers.allocation.replay``): the realistic policy is
chosen on one random half of the problems and scored on the other, with a bootstrap interval (level
``level``) over the scoring half. With ratio r (uniform's budget for the policy's accuracy over the budget
it needs at the policy's spend), interval [lo, hi], bar ``bar`` and the largest ratio the scoring half can
show at that spend, r_max:

- **unresolved** when r_max < bar (the data cannot show the bar at this budget), or the interval straddles;
- **holds** when r >= bar and lo > 1 (a material gain, its interval above 1);
- **breaks** when hi < bar (the whole interval below the bar).

Cells evaluated through a fitted prior (budgets above the logged samples) are shown apart, marked, and
never decide; so is the oracle, which is an upper bound, not a policy. Among the **in-scope** cells (agentic
tool use: MCPMark; with ``problems_path``: the user's cells alone) the ``verdicts.CountingRule`` with
``support_share`` and ``min_resolved`` gives the verdict: supported when at least that share of resolved
cells hold, not supported when at most 1 - share do, partly supported between, inconclusive with fewer
than ``min_resolved`` resolved cells. MATH (Large Language Monkeys) and coding agents (Terminal-Bench,
coding-agent-cost-bench) are generality checks, shown but out of scope; simulators never decide.

The specification curve re-derives the verdict under: the bar, the interval level, the admissible
realistic policies (either, chosen on the choosing half; difficulty bins only; early stopping only), the
aggregation (perfect verifier or a verifier with stated error rates), the split seed, and whether sources
with few logged attempts per problem (fewer than ``few_attempts``) count.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import verdicts
from ..validate import ParameterError

IN_SCOPE_SETTINGS = ("tool use", "agentic research", "user")
POLICY_SETS = {"either": ("binned_predicted", "early_stop"), "binned only": ("binned_predicted",),
               "early stop only": ("early_stop",)}


@dataclass(frozen=True)
class AllocationRule:
    """The rule of the module docstring with its thresholds."""

    bar: float = 2.0
    support_share: float = 0.75
    min_resolved: int = 2
    level: float = 0.95

    def __post_init__(self):
        if not (1.0 < self.bar <= 100):
            raise ParameterError(f"parameter 'ratio_threshold' = {self.bar!r} must be in (1, 100]")
        if not (0.5 < self.level < 1):
            raise ParameterError(f"parameter 'level' = {self.level!r} must be in (0.5, 1)")
        self.counting()  # checks support_share and min_resolved

    def counting(self) -> verdicts.CountingRule:
        return verdicts.CountingRule(
            self.support_share, self.min_resolved,
            what_holds=(f"the realistic policy chosen on one half of the problems reaches an efficiency ratio of "
                        f"at least {self.bar:g}x on the other half with its {self.level:.0%} interval above 1 "
                        f"(it breaks when the whole interval is below {self.bar:g}x; cells that cannot show "
                        f"{self.bar:g}x, need a fitted prior, or concern the oracle never decide)"),
            scope="cells replayed from logged samples of agentic tool-use runs, or the user's problems alone")

    def describe(self) -> str:
        return self.counting().describe()

    def cell_outcome(self, ratio: float, lo: float, hi: float, r_max: float) -> str:
        if not np.isfinite(r_max) or r_max < self.bar:
            return "unresolved"
        if np.isnan(ratio) or np.isnan(lo) or np.isnan(hi):
            return "unresolved"
        if ratio >= self.bar and lo > 1.0:
            return "holds"
        if hi < self.bar:
            return "breaks"
        return "unresolved"

    def decide(self, table: pd.DataFrame) -> str:
        return self.counting().decide(table)


def interval(boot, level: float) -> tuple[float, float]:
    """Percentile interval of bootstrap ratios (order statistics: censored replicates are +inf)."""
    b = np.asarray(boot, dtype=float)
    b = b[~np.isnan(b)]
    if b.size == 0:
        return float("nan"), float("nan")
    a = (1 - level) / 2 * 100
    lo, hi = np.percentile(b, [a, 100 - a], method="inverted_cdf")
    return float(lo), float(hi)


def chosen_cells(cells: pd.DataFrame, policies=POLICY_SETS["either"]) -> pd.DataFrame:
    """One row per (source, model, aggregation, split_seed, budget): the admissible policy with the highest
    ratio on the choosing half (ties: the order of ``policies``), with its scoring-half figures."""
    c = cells[cells["policy"].isin(policies)].copy()
    c["_order"] = c["policy"].map({p: i for i, p in enumerate(policies)})
    c["_key"] = -c["choose_ratio"].fillna(-1.0)
    keys = ["source", "model", "aggregation", "split_seed", "budget"]
    c = c.sort_values(keys + ["_key", "_order"], kind="stable")
    return c.groupby(keys, sort=False).head(1).drop(columns=["_order", "_key"]).reset_index(drop=True)


def evidence(cells: pd.DataFrame, rule: AllocationRule, *, aggregation: str, split_seed: int,
             policies: str = "either", few_attempts: int = 8, count_few: bool = True,
             prior_rows=(), _chosen: pd.DataFrame | None = None) -> pd.DataFrame:
    """The evidence table for one specification: replayed cells (in scope by setting, unless the source has
    fewer than ``few_attempts`` logged samples per problem and ``count_few`` is False), then ``prior_rows``
    (out of scope, marked). ``cells`` has columns source, setting, model, aggregation, split_seed, budget,
    policy, ratio, choose_ratio, boot, spend, k_sat, n_choose, n_score, n_min."""
    if policies not in POLICY_SETS:
        raise ParameterError(f"admissible policies {policies!r} is not one of {list(POLICY_SETS)}")
    if _chosen is None:
        sel = cells[(cells["aggregation"] == aggregation) & (cells["split_seed"] == split_seed)]
        _chosen = chosen_cells(sel, POLICY_SETS[policies]) if len(sel) else sel
    rows = []
    if len(_chosen):
        for r in _chosen.to_dict("records"):
            lo, hi = interval(r["boot"], rule.level)
            r_max = r["k_sat"] / r["spend"] if r["spend"] > 0 else float("nan")
            outcome = rule.cell_outcome(r["ratio"], lo, hi, r_max)
            few = r["n_min"] < few_attempts
            in_scope = r["setting"] in IN_SCOPE_SETTINGS and (count_few or not few)
            note = (f"{r['policy']} (chosen on {r['n_choose']}, scored on {r['n_score']} problems); "
                    f"largest ratio the data can show {r_max:.2g}x; {aggregation}"
                    + ("; few attempts per problem" if few else ""))
            rows.append(verdicts.evidence_row(r["source"], f"{r['model']} @ {r['budget']:g}", in_scope=in_scope,
                                              outcome=outcome, figure=r["ratio"], ci=[lo, hi],
                                              setting=r["setting"], note=note))
    rows += [dict(p, in_scope=False) for p in prior_rows]
    return verdicts.evidence_table(rows)


def prior_rows(source: str, model: str, setting: str, budgets, ratio, boot, rule: AllocationRule,
               policy: str = "early_stop") -> list[dict]:
    """Cells through the fitted prior (refitted in every resample): out of scope, marked, never deciding."""
    out = []
    for j, B in enumerate(budgets):
        lo, hi = interval(np.asarray(boot)[:, j], rule.level)
        r = float(ratio[j])
        oc = "holds" if (r >= rule.bar and lo > 1) else ("breaks" if hi < rule.bar else "unresolved")
        out.append(verdicts.evidence_row(source, f"{model} @ {B:g} (fitted prior)", in_scope=False, outcome=oc,
                                         figure=r, ci=[lo, hi], setting=setting,
                                         note=f"{policy}; budget above the logged samples: evaluated through a "
                                              f"fitted prior, refitted per resample; shown apart, never decides"))
    return out


def robustness(cells: pd.DataFrame, headline: dict, choices: dict, *, support_share: float, min_resolved: int,
               few_attempts: int, user_given: bool) -> verdicts.Robustness:
    """The verdict under every combination of ``choices`` (keys: bar, level, policies, aggregation,
    split_seed, count_few); ``headline`` is the notebook's own specification."""
    chosen = {}

    def verdict_of(spec):
        rule = AllocationRule(spec["bar"], support_share, min_resolved, spec["level"])
        key = (spec["aggregation"], spec["split_seed"], spec["policies"])
        if key not in chosen:
            sel = cells[(cells["aggregation"] == key[0]) & (cells["split_seed"] == key[1])]
            chosen[key] = chosen_cells(sel, POLICY_SETS[key[2]]) if len(sel) else sel
        t = evidence(cells, rule, aggregation=spec["aggregation"], split_seed=spec["split_seed"],
                     policies=spec["policies"], few_attempts=few_attempts, count_few=spec["count_few"],
                     _chosen=chosen[key])
        return rule.decide(verdicts.user_scope(t, user_given))

    return verdicts.specification_curve(verdict_of, choices, headline)




def headline_view(cells: pd.DataFrame, rule: AllocationRule, *, aggregation: str, split_seed: int,
                  policies: str = "either") -> pd.DataFrame:
    """The chosen cells of one specification as a display frame: source, setting, model, budget, policy,
    ratio, lo, hi, r_max, outcome, gain, oracle (the oracle's ratio on the same scoring half: an upper
    bound; NaN where it was not scored)."""
    sel = cells[(cells["aggregation"] == aggregation) & (cells["split_seed"] == split_seed)]
    cols = ["source", "setting", "model", "budget", "policy", "ratio", "lo", "hi", "r_max", "outcome", "gain",
            "oracle", "n_min"]
    if not len(sel):
        return pd.DataFrame(columns=cols)
    ch = chosen_cells(sel, POLICY_SETS[policies])
    ci = [interval(b, rule.level) for b in ch["boot"]]
    ch["lo"], ch["hi"] = [x[0] for x in ci], [x[1] for x in ci]
    ch["r_max"] = ch["k_sat"] / ch["spend"].where(ch["spend"] > 0)
    ch["outcome"] = [rule.cell_outcome(r, lo, hi, m) for r, lo, hi, m in
                     zip(ch["ratio"], ch["lo"], ch["hi"], ch["r_max"].fillna(np.nan))]
    orc = sel[sel["policy"] == "oracle_greedy"].set_index(["source", "model", "budget"])["ratio"]
    ch["oracle"] = [orc.get((s, m, b), np.nan) for s, m, b in zip(ch["source"], ch["model"], ch["budget"])]
    return ch[cols].reset_index(drop=True)
