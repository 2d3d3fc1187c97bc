"""Claim 1's evidence table: one row per unit of analysis, each confronting one part of the claim.

(a) one row per search-budget curve (from the diminishing-returns classes), (b) one per reasoning/search
pair (from the same-shape tests, Holm-adjusted over the pairs given; the user's pairs among themselves),
(c) one per crossed design: series of one axis held at two or more levels of the other budget, decided by
the Wald interval of the log-odds difference-in-differences of its 2×2 corners. The outcomes follow the
rule in ``verdict.py``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .. import validate, verdicts
from .shape import holm
from .substitution import did_wald_test
from .verdict import AGENTIC, STATUS_OUTCOME

def curve_rows(dr: pd.DataFrame, meta: pd.DataFrame, *, search_axes: Sequence[str], min_points: int = 3,
               info: dict | None = None) -> list[dict]:
    """(a) rows from ``search_scaling.diminishing_returns`` for every curve on a search axis.

    ``meta``: one row per series with columns series, budget_set, setting, source (``curve_meta``); ``info``: its
    rows as {series: row dict} (``_meta_info``) when the caller has them.
    """
    m = _meta_info(meta) if info is None else info  # plain dicts: a row lookup per curve, not a pandas .loc
    rows = []
    for r in dr[dr["axis"].isin(search_axes) & dr["role"].isin(["curve", "observational"])].itertuples():
        info = m[r.series]
        outcome = STATUS_OUTCOME[r.status]
        note = r.status
        if r.n_points < min_points:
            outcome, note = "unresolved", f"{r.n_points} points (< {min_points})"
        scope = bool(info["budget_set"]) and info["setting"] in AGENTIC
        if not info["budget_set"]:
            note += "; search calls observed under an effort setting: not a budget set by design"
        rows.append(verdicts.evidence_row(
            _src(r.series, info), "curve", in_scope=scope, outcome=outcome, figure=_num(r.gain_drop),
            ci=[_num(r.gain_drop_lo), _num(r.gain_drop_hi)], setting=info["setting"],
            note=f"{r.series}: {note} (drop in gain per doubling, {r.form})"))
    return rows


def _meta_info(meta: pd.DataFrame) -> dict:
    """``curve_meta``'s rows as {series: row dict}."""
    return meta.set_index("series").to_dict("index")


def holm_adjusted(tests: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``tests`` with ``p_adj``: the raw p-values Holm-adjusted over the pairs given, the user's pairs among
    themselves (they are judged alone)."""
    m = meta.set_index("series")
    t = tests.copy()
    t["p_adj"] = np.nan
    user = (t["reasoning_series"].map(m["setting"]) == "user") & (t["search_series"].map(m["setting"]) == "user")
    for grp in (user, ~user):
        ok = grp & t["p_value"].notna()
        if ok.any():
            t.loc[ok, "p_adj"] = holm(t.loc[ok, "p_value"].to_numpy())
    return t


def pair_rows(tests: pd.DataFrame, meta: pd.DataFrame, *, alpha: float, min_power: float, min_points: int = 3,
              ladders_count: bool = True, adjusted: pd.DataFrame | None = None,
              info: dict | None = None) -> list[dict]:
    """(b) rows from ``search_scaling.shape_tests`` (raw p-values Holm-adjusted here over the pairs given).
    ``adjusted``: ``holm_adjusted(tests, meta)`` and ``info``: ``meta``'s rows by series, when the caller has them."""
    t = holm_adjusted(tests, meta) if adjusted is None else adjusted
    rows = []
    info = _meta_info(meta) if info is None else info  # plain dicts: a row lookup per pair, not a pandas .loc
    for r in t.itertuples():
        a, b = info[r.reasoning_series], info[r.search_series]
        short = min(a["points"], b["points"]) < min_points
        if short or not np.isfinite(r.p_adj):
            outcome = "unresolved"
            note = f"fewer than {min_points} points" if short else "untestable (flat or no noise estimate)"
        elif r.p_adj < alpha:
            outcome, note = "breaks", "curvatures differ"
        elif np.isfinite(r.power) and r.power >= min_power:
            outcome, note = "holds", f"no difference, power {r.power:.2f}"
        else:
            outcome = "unresolved"
            note = f"no difference but power {r.power:.2f} < {min_power:g}" if np.isfinite(r.power) else "power unknown"
        ladder = a["source"] == "mcpmark"
        user_pair = a["setting"] == "user" and b["setting"] == "user"
        scope = (bool(b["budget_set"]) and b["setting"] in AGENTIC and bool(a["budget_set"])
                 and (ladders_count or not ladder))
        if ladder and not ladders_count:
            note += "; effort ladders not counted as reasoning-token curves"
        mixed = (a["setting"] == "user") != (b["setting"] == "user")  # a user curve against a study curve
        setting = "user" if user_pair else (a["setting"] if b["setting"] == "user" else b["setting"])
        src = "user" if user_pair else ("mixed: " if mixed else "") + f"{a['source']} x {b['source']}"
        rows.append(verdicts.evidence_row(
            src, "pair", in_scope=scope, outcome=outcome,
            figure=_num(r.p_adj), ci=None, setting=setting,
            note=f"{r.reasoning_series} vs {r.search_series}: {note} (Holm p)"))
    return rows


def crossed_rows(crossed: pd.DataFrame) -> list[dict]:
    """(c) rows from ``crossed_designs``."""
    return [verdicts.evidence_row(r.source, "crossed design", in_scope=r.setting in AGENTIC, outcome=r.outcome,
                                  figure=_num(r.did_logit), ci=[_num(r.did_lo), _num(r.did_hi)], setting=r.setting,
                                  note=f"{r.design}: {r.note} (log-odds DiD)")
            for r in crossed.itertuples()]


def curve_meta(curves_df: pd.DataFrame) -> pd.DataFrame:
    """One row per series: series, axis, source, setting, budget_set, approx, points."""
    g = curves_df.groupby("series", sort=True)
    return pd.DataFrame({"axis": g["axis"].first(), "source": g["source"].first(), "setting": g["setting"].first(),
                         "budget_set": g["budget_set"].first().astype(bool),
                         "approx": g["approx"].first().astype(bool), "points": g.size()}).reset_index()


def build_evidence(dr: pd.DataFrame, meta: pd.DataFrame, tests: pd.DataFrame, crossed: pd.DataFrame, *,
                   search_axes: Sequence[str], alpha: float, min_power: float, min_points: int = 3,
                   ladders_count: bool = True, exclude_approx: bool = False, extra: Sequence[dict] = (),
                   memo: dict | None = None) -> pd.DataFrame:
    """The evidence table of one specification: (a) curve rows, (b) pair rows for the search series on
    ``search_axes`` (Holm over those pairs), (c) crossed-design rows, then ``extra`` rows (shown, out of scope).
    ``exclude_approx`` drops every series read approximately. ``memo``: a dict kept by a caller that builds
    many specifications over one ``meta`` and ``tests`` and a few ``dr`` and ``crossed`` frames it holds (alive and
    unchanged, told apart by identity): each part's rows are built once per the frame and the choices it depends
    on, and what they share (``meta``'s rows, the Holm-adjusted pairs of a set of axes) once (the same rows as
    building them again)."""
    return verdicts.evidence_table(evidence_rows(
        dr, meta, tests, crossed, search_axes=search_axes, alpha=alpha, min_power=min_power, min_points=min_points,
        ladders_count=ladders_count, exclude_approx=exclude_approx, extra=extra, memo=memo))


def evidence_rows(dr: pd.DataFrame, meta: pd.DataFrame, tests: pd.DataFrame, crossed: pd.DataFrame, *,
                  search_axes: Sequence[str], alpha: float, min_power: float, min_points: int = 3,
                  ladders_count: bool = True, exclude_approx: bool = False, extra: Sequence[dict] = (),
                  memo: dict | None = None) -> list[dict]:
    """The rows of ``build_evidence``'s table, in its order (before they are checked and made a frame)."""
    memo = {} if memo is None else memo
    axes = tuple(search_axes)
    if ("keep", exclude_approx) not in memo:
        memo[("keep", exclude_approx)] = set(meta.loc[~meta["approx"], "series"]) if exclude_approx else None
    keep = memo[("keep", exclude_approx)]  # None: every series
    if "info" not in memo:
        memo["info"] = _meta_info(meta)
    key = ("a", id(dr), axes, min_points, exclude_approx)
    if key not in memo:
        memo[key] = curve_rows(dr if keep is None else dr[dr["series"].isin(keep)], meta, search_axes=search_axes,
                               min_points=min_points, info=memo["info"])
    rows = list(memo[key])
    key = ("b", axes, alpha, min_power, min_points, ladders_count, exclude_approx)
    if key not in memo:
        adj_key = ("b-adjusted", axes, exclude_approx)  # the pairs and their Holm p-values: not the thresholds'
        if adj_key not in memo:
            t = tests
            if keep is not None and len(t):
                t = t[t["reasoning_series"].isin(keep) & t["search_series"].isin(keep)]
            memo[adj_key] = None
            if len(t) and "p_value" in t:
                axis = meta.set_index("series")["axis"]
                t = t[t["search_series"].map(axis).isin(search_axes)]
                memo[adj_key] = (t, holm_adjusted(t, meta))
        memo[key] = []
        if memo[adj_key] is not None:
            t, adjusted = memo[adj_key]
            memo[key] = pair_rows(t, meta, alpha=alpha, min_power=min_power, min_points=min_points,
                                  ladders_count=ladders_count, adjusted=adjusted, info=memo["info"])
    rows += memo[key]
    key = ("c", id(crossed))
    if key not in memo:
        memo[key] = crossed_rows(crossed)
    return rows + memo[key] + list(extra)


def _src(series: str, info) -> str:
    if info["setting"] != "user":
        return str(info["source"])
    return series if series.startswith("user") else f"user:{series}"


def _num(v):
    return None if v is None or not np.isfinite(v) else float(v)


# ------------------------------------------------------------------------------------------ (c) crossed designs


CROSSED_COLUMNS = ["design", "source", "setting", "axis", "other_lo", "other_hi", "budget_lo", "budget_hi",
                   "p_cells", "did_logit", "did_lo", "did_hi", "p_value", "outcome", "note"]


def crossed_designs(curves_df: pd.DataFrame, *, alpha: float = 0.05, complement_margin: float = 0.5) -> pd.DataFrame:
    """Crossed designs in a curves frame: series of one axis held at two or more ``other_budget`` levels.

    The 2x2 corners are the lowest and highest ``other_budget`` series and their smallest and largest common
    budgets; counts k = accuracy·n. DiD of empirical log-odds (``search_scaling.did_wald_test``, Haldane
    corrected) with a two-sided 1-α Wald interval; the outcome follows the module docstring. Without n at the
    corners, or with fewer than two common budgets, the design is unresolved.
    """
    validate.probability("alpha", alpha, open_low=True, open_high=True)
    validate.positive("complement_margin", complement_margin)
    rows = []
    if "other_budget" not in curves_df:
        return pd.DataFrame(columns=CROSSED_COLUMNS)
    c = curves_df[curves_df["other_budget"].notna()]
    for (src, axis), g in c.groupby(["source", "axis"], sort=True):
        levels = sorted(g["other_budget"].unique())
        if len(levels) < 2:
            continue
        lo_s, hi_s = g[g["other_budget"] == levels[0]], g[g["other_budget"] == levels[-1]]
        common = sorted(set(lo_s["budget"]) & set(hi_s["budget"]))
        base = {"design": f"{src} {axis} at {axis_other(axis)} {levels[0]:g} / {levels[-1]:g}", "source": src,
                "setting": g["setting"].iloc[0], "axis": axis, "other_lo": levels[0], "other_hi": levels[-1]}
        if len(common) < 2:
            rows.append({**base, "outcome": "unresolved", "note": "fewer than two common budgets"})
            continue
        b0, b1 = common[0], common[-1]
        cell = lambda s, b: s[s["budget"] == b].iloc[0]  # noqa: E731
        pts = [[cell(lo_s, b0), cell(lo_s, b1)], [cell(hi_s, b0), cell(hi_s, b1)]]  # [other][budget]
        n = np.array([[p["n"] for p in row] for row in pts], float)
        acc = np.array([[p["accuracy"] for p in row] for row in pts], float)
        base.update(budget_lo=b0, budget_hi=b1, p_cells=acc.round(4).tolist())
        if not np.all(np.isfinite(n)):
            rows.append({**base, "outcome": "unresolved", "note": "questions per point (n) unknown"})
            continue
        k = np.round(acc * n)
        z, p = did_wald_test(k, n)
        kk, nn = k + 0.5, n + 1.0
        lg = np.log(kk / (nn - kk))
        did = float(lg[1, 1] - lg[0, 1] - lg[1, 0] + lg[0, 0])
        se = float(np.sqrt((1 / kk + 1 / (nn - kk)).sum()))
        q = stats.norm.ppf(1 - alpha / 2)
        lo, hi = did - q * se, did + q * se
        own = lg[0, 1] - lg[0, 0]      # this axis' budget alone (other budget low)
        other = lg[1, 0] - lg[0, 0]    # the other budget alone
        if lo > 0:
            outcome, note = "breaks", "complements: each budget pays more when the other is high"
        elif hi < complement_margin and own > 0 and other > 0:
            outcome, note = "holds", f"substitutes: interval below the margin {complement_margin:g}"
        else:
            outcome, note = "unresolved", "interval straddles the margin or a budget alone buys nothing"
        rows.append({**base, "did_logit": did, "did_lo": lo, "did_hi": hi, "p_value": float(p), "outcome": outcome,
                     "note": note})
    return pd.DataFrame(rows, columns=CROSSED_COLUMNS)


def axis_other(axis: str) -> str:
    return "search steps" if axis == "reasoning_tokens" else "reasoning tokens"


def observational_rows(obs_search: dict | None) -> list[dict]:
    """The BrowseComp-Plus association (``logged.observational_search``) as one out-of-scope row (none without it)."""
    if obs_search is None:
        return []
    return [verdicts.evidence_row(
        "browsecomp_plus (logged)", "observational", in_scope=False, outcome="unresolved",
        figure=obs_search["spearman_correct"], setting="agentic research",
        note="accuracy by observed search calls: an association across questions, never a budget curve (Spearman)")]
