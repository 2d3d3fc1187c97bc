"""The evidence table of claim 4: every comparison at matched spend as one row of ``helpers.verdicts``.

Observed curves (a scaling path, Terminal-Bench, the Pythia sizes) are compared with ``curve_comparison``;
MCPMark pairs come from ``mcpmark.MCPMarkComparisons``. Each comparison's result becomes an evidence row
(outcome breaks/holds/unresolved by ``verdict.OUTCOME_OF``) of its source, unit and setting.
``Evidence.table(spec)`` rebuilds the table under any specification: ``headline`` is the one the parameters
choose, ``choices`` lists every alternative of each choice (the specification curve).
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .. import verdicts
from .data import pythia_parameters
from .fit_counts import counts_curve
from .verdict import OUTCOME_OF, RESULT_TEXT, VIEWS, curve_comparison

def evidence_rows(pairs: pd.DataFrame, outcomes: pd.DataFrame, *, source: str, setting: str,
                  in_scope: bool) -> list[dict]:
    """Evidence rows (``helpers.verdicts``) for comparisons with ``result``/``best_gap``/``ci`` columns."""
    rows = []
    for p, o in zip(pairs.to_dict("records"), outcomes.to_dict("records")):
        rows.append(verdicts.evidence_row(
            source, p["unit"], in_scope=in_scope, outcome=OUTCOME_OF[o["result"]], figure=o.get("best_gap"),
            ci=o.get("ci"), setting=setting,
            note=f"{p['weaker']} vs {p['stronger']}: {RESULT_TEXT[o['result']]}"))
    return rows



def curve_outcomes(comparisons: list[dict], view: str, tol: float, cost_limit: float) -> pd.DataFrame:
    """Outcomes of curve comparisons ({weaker, stronger, unit, k_w, acc_w, k_s, acc_s, spends: {view: (w, s)},
    ...}) under one view; the other keys of each comparison are kept."""
    rows = []
    for c in comparisons:
        sw, ss = c["spends"][view]
        res = curve_comparison(c["k_w"], c["acc_w"], c["k_s"], c["acc_s"], sw, ss, tol, cost_limit)
        rows.append({**{k: v for k, v in c.items() if k not in ("k_w", "acc_w", "k_s", "acc_s", "spends")},
                     **res, "ci": None})
    return pd.DataFrame(rows)


def table_from(frames: list[tuple[pd.DataFrame, str, str, bool]]) -> pd.DataFrame:
    """Evidence table from (outcomes frame, source, setting, in_scope) parts."""
    rows = []
    for f, source, setting, in_scope in frames:
        if len(f):
            rows += evidence_rows(f, f, source=source, setting=setting, in_scope=in_scope)
    return verdicts.evidence_table(rows)


def path_comparisons(path_table: pd.DataFrame, unit: str, token_ratio: float = 1.0,
                     price_ratio: float = 1.0) -> list[dict]:
    """Comparisons (non-reasoning = weaker, reasoning = stronger, per aggregation) from a scaling-path table
    (``ceiling.read_scaling_path`` schema). Without tokens for both models, tokens are 1 and ``token_ratio``
    (an assumption); dollars are tokens times ``price_ratio`` for the non-reasoning side."""
    tokens = path_table.groupby("model")["tokens_per_sample"].mean()
    kinds = path_table.drop_duplicates("model").set_index("model")["kind"]
    out = []
    for s in kinds[kinds == "reasoning"].index:
        for w in kinds[kinds == "non_reasoning"].index:
            for agg in sorted(set(path_table["aggregation"])):
                gw = path_table[(path_table["model"] == w) & (path_table["aggregation"] == agg)]
                gs = path_table[(path_table["model"] == s) & (path_table["aggregation"] == agg)]
                if gw.empty or gs.empty or 1 not in set(gw["samples"]) or 1 not in set(gs["samples"]):
                    continue
                t_w, t_s = float(tokens.get(w, np.nan)), float(tokens.get(s, np.nan))
                if not (np.isfinite(t_w) and np.isfinite(t_s)):
                    t_w, t_s = 1.0, float(token_ratio)
                out.append({"weaker": w, "stronger": s, "aggregation": agg, "unit": unit,
                            "k_w": gw["samples"].to_numpy(float), "acc_w": gw["accuracy"].to_numpy(float),
                            "k_s": gs["samples"].to_numpy(float), "acc_s": gs["accuracy"].to_numpy(float),
                            "spends": {"matched_tokens": (t_w, t_s), "matched_cost": (t_w * price_ratio, t_s),
                                       "matched_k": (1.0, 1.0)}})
    return out


def counts_comparisons(pairs, curves_of: dict, spend_of: dict, unit: str) -> list[dict]:
    """Pass@k comparisons (``curve_outcomes`` format) from per-model observed curves {model: (k, acc)} and
    spends {(weaker, stronger): (spend_w, spend_s)} used for both tokens and dollars."""
    out = []
    for w, s in pairs:
        (kw, aw), (ks_, as_) = curves_of[w], curves_of[s]
        out.append({"weaker": w, "stronger": s, "aggregation": "pass_at_k", "unit": unit, "k_w": kw, "acc_w": aw,
                    "k_s": ks_, "acc_s": as_, "spends": {"matched_tokens": spend_of[w, s],
                                                        "matched_cost": spend_of[w, s], "matched_k": (1.0, 1.0)}})
    return out


def headline(p) -> dict:
    """The headline specification: the analysis choices the parameters make."""
    return {"view": p.spend_view, "doubtful_labels": "in" if p.include_doubtful_labels else "out",
            "capability_pairs": "in" if p.count_capability_gap else "out", "tolerance": p.catch_up_tolerance,
            "cost_limit": p.affordable_cost_ratio, "decide_by": p.decide_by}


def choices(p) -> dict:
    """Every reasonable alternative of each analysis choice (the specification curve).

    Quick mode (``p.quick``) keeps, per choice, the headline value and the first other alternative (in the
    order below), except the cost limit and the tolerance, which keep the headline alone (every value of either
    takes the same code path): view: 3 -> 2 values; tolerance: 3 -> 1; cost_limit: 3 -> 1 (specifications
    216 -> 16).
    """
    full = {"view": list(VIEWS), "doubtful_labels": ["in", "out"], "capability_pairs": ["out", "in"],
            "tolerance": sorted({0.0, p.catch_up_tolerance, 0.05}),
            "cost_limit": sorted({2.0, p.affordable_cost_ratio, np.inf}), "decide_by": ["point", "interval"]}
    if not p.quick:
        return full
    head = headline(p)
    quick = {k: [x for x in v if x == head[k] or x == next(y for y in v if y != head[k])] for k, v in full.items()}
    return {**quick, "tolerance": [head["tolerance"]], "cost_limit": [head["cost_limit"]]}


class Evidence:
    """The evidence table under any specification: MCPMark pairs (``mc``, or None) and observed-curve groups
    [(comparisons, source, setting, in_scope, capability_gap)]; ``user``: a user's file decides alone."""

    def __init__(self, mc, curve_groups: list, user: bool):
        self.mc, self.groups, self.user = mc, curve_groups, user

    @functools.lru_cache(maxsize=None)
    def _mcp_all(self, view, tol, cost_limit, decide):
        """Outcomes of every MCPMark pair under one view, tolerance, cost limit and decision (cached)."""
        return self.mc.outcomes(view, tol, cost_limit, decide, True, True)

    @functools.lru_cache(maxsize=None)
    def _mcp_rows(self, view, tol, cost_limit, decide) -> list[dict]:
        """Evidence rows of every MCPMark pair under one view, tolerance, cost limit and decision (cached)."""
        full = self._mcp_all(view, tol, cost_limit, decide)
        return evidence_rows(full, full, source="mcpmark", setting="tool use", in_scope=True) if len(full) else []

    @functools.lru_cache(maxsize=None)
    def _curve_rows(self, i: int, view, tol, cost_limit) -> list[dict]:
        """Evidence rows of curve group ``i`` under one view, tolerance and cost limit (cached)."""
        comps, source, setting, in_scope, _ = self.groups[i]
        f = curve_outcomes(comps, view, tol, cost_limit)
        return evidence_rows(f, f, source=source, setting=setting, in_scope=in_scope) if len(f) else []

    def table(self, spec: dict) -> pd.DataFrame:
        """The evidence table under one specification (dict of the ``headline`` keys).

        The same as ``table_from`` over the MCPMark pairs the specification keeps and the curve groups it
        counts; each part's rows are built once per (view, tolerance, cost limit[, decision]) and selected.
        """
        rows = []
        if self.mc is not None:
            keep = self.mc.select(spec["doubtful_labels"] == "in", spec["capability_pairs"] == "in")
            mcp = self._mcp_rows(spec["view"], spec["tolerance"], spec["cost_limit"], spec["decide_by"])
            rows += [r for r, k in zip(mcp, keep) if k]
        for i, (comps, _, _, _, capability) in enumerate(self.groups):
            if comps and not (capability and spec["capability_pairs"] == "out"):
                rows += self._curve_rows(i, spec["view"], spec["tolerance"], spec["cost_limit"])
        return verdicts.user_scope(verdicts.evidence_table(rows), self.user)

    def curve_table(self, p) -> pd.DataFrame | None:
        """Outcomes of every observed-curve comparison under the headline view (None when there are none)."""
        gen = [curve_outcomes(c, p.spend_view, p.catch_up_tolerance, p.affordable_cost_ratio).assign(source=src)
               for c, src, *_ in self.groups if c]
        if not gen:
            return None
        return pd.concat(gen)[["source", "unit", "weaker", "stronger", "aggregation", "spend_ratio", "gap_k1",
                               "best_gap", "best_k", "k_caught_up", "result"]].round(3)


def curve_groups(path, p, s, tb=None, mk=None) -> list:
    """Observed-curve comparisons [(comparisons, source, setting, in_scope, capability_gap)]: the scaling path
    (in scope only as a user's file), Terminal-Bench reasoning vs instruct, the Pythia sizes (a capability gap)."""
    user = path.file is not None
    groups = [(path_comparisons(path.table, "user pair" if user else "rl vs base", p.scaling_path_token_ratio,
                                p.price_ratio), path.dataset, "user" if user else "math", user, False)]
    if tb is not None:
        tb_curves = {}
        for m_ in s.tb_r + s.tb_nr:
            g = tb.per_task[tb.per_task["model"] == m_]
            kk_ = np.arange(1, int(g["n"].min()) + 1)
            tb_curves[m_] = (kk_, counts_curve(g["n"].to_numpy(float), g["c"].to_numpy(float), "pass_at_k", kk_))
        pairs = [(w, s_) for s_ in s.tb_r for w in s.tb_nr]
        groups.append((counts_comparisons(pairs, tb_curves, {(w, s_): (tb.tokens[w], tb.tokens[s_]) for w, s_ in pairs},
                                          "reasoning vs instruct"), "terminal_bench", "coding agents", False, False))
    if mk is not None:
        kg = np.unique(np.round(np.geomspace(1, int(min(mk.data[m][0].min() for m in mk.models)), 24)))
        mk_curves = {m_: (kg, counts_curve(*mk.data[m_], "pass_at_k", kg)) for m_ in mk.models}
        pairs = [(m_, p.monkeys_reference) for m_ in mk.smaller]
        groups.append((counts_comparisons(pairs, mk_curves, {(w, s_): (pythia_parameters(w), pythia_parameters(s_))
                                                             for w, s_ in pairs}, "capability pair"),
                       "large_language_monkeys", "math", False, True))
    return groups
