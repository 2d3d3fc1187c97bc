"""The evidence table of claim 4: every comparison at matched spend as one row of ``helpers.verdicts``.

Observed curves (a scaling path, Terminal-Bench, the Pythia sizes) are compared with ``curve_comparison``;
MCPMark pairs come from ``mcpmark.MCPMarkComparisons``. Each comparison's result becomes an evidence row
(outcome breaks/holds/unresolved by ``verdict.OUTCOME_OF``) of its source, unit and setting.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts
from .verdict import OUTCOME_OF, RESULT_TEXT, curve_comparison

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
