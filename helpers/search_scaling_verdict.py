"""Claim 1's verdict rule, stated before the evidence, and the builders of its evidence table.

The claim has three parts; each row of the evidence table (``helpers.verdicts``) confronts one part with
one unit of analysis:

- (a) unit ``curve``: one accuracy-vs-search-budget curve whose budget was **set by design** (a tool-call
  cap, a user's search budget). It *holds* when the curve shows established diminishing returns, *breaks*
  when it is flat, accelerating or falls significantly (non-monotone), and is *unresolved* when the test
  cannot tell (undetermined, a fit with as many parameters as points, fewer than ``min_points`` points).
  Search calls *observed* under a reasoning-effort setting are not a budget set by design: such series are
  shown, never counted.
- (b) unit ``pair``: one (reasoning-budget curve, search-budget curve) pair. It *holds* when the test finds
  no difference in curvature (Holm-adjusted, level ``alpha``) and has power >= ``min_power`` at that pair's
  design; *breaks* when it rejects a shared curvature; *unresolved* otherwise (an under-powered
  non-rejection says little). Effort ladders (MCPMark) count as reasoning-budget curves only when
  ``ladders_count``.
- (c) unit ``crossed design``: a design that sets *both* budgets at two levels or more (user curves or logged
  data). From its 2x2 corners: *breaks* (complements) when the log-odds difference-in-differences has a
  two-sided 1-α interval above 0; *holds* (substitutes: either budget can make up for the other) when that
  interval lies below ``complement_margin`` and each budget alone raises accuracy; else *unresolved*.

**The rule.** Only in-scope rows decide (agentic research and tool-use data with budgets set by design; with
user data, the user's rows alone). Each part gets the counting rule of ``verdicts.CountingRule``
(``support_share``, ``min_resolved``) over its own rows: too few resolved rows give *inconclusive*, never a
default. The claim: every part inconclusive -> inconclusive; every part supported -> supported; every
conclusive part not supported -> not supported; otherwise partly supported (an unsettled part keeps the
claim from "supported": fungibility is not shown by curves alone).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from . import search_scaling as ss
from . import validate, verdicts
from .validate import ParameterError

UNITS = {"curve": "a", "pair": "b", "crossed design": "c"}
PART_NAMES = {"a": "search curves rise with diminishing returns",
              "b": "search curves have the shape of reasoning curves",
              "c": "the two budgets substitute (fungible)"}
AGENTIC = ("agentic research", "tool use", "user")
STATUS_OUTCOME = {"diminishing": "holds", "flat": "breaks", "accelerating": "breaks", "non-monotone": "breaks",
                  "undetermined": "unresolved", "not identified": "unresolved"}


# ------------------------------------------------------------------------------------------ the rule


@dataclass(frozen=True)
class SearchScalingRule:
    """The rule of the module docstring with its thresholds."""

    support_share: float = 0.75
    min_resolved: int = 1

    def part_rule(self, part: str) -> verdicts.CountingRule:
        what = {"a": "a search-budget curve shows established diminishing returns",
                "b": "a reasoning/search pair shares its curvature with enough power to see a difference",
                "c": "a crossed design shows substitution (no complementarity beyond the margin)"}[part]
        return verdicts.CountingRule(self.support_share, self.min_resolved, what, "agentic research and tool use")

    def describe(self) -> str:
        s = self.support_share
        share = "every resolved row" if s == 1.0 else f"at least {s:.0%} of the resolved rows"
        return ("Claim 1 is judged in three parts, each on its own in-scope rows (agentic research and tool-use "
                "data whose budget was set by design; observed search calls never count as a budget): "
                "(a) search-budget curves with established diminishing returns; (b) reasoning/search pairs "
                "sharing a curvature at adequate power; (c) crossed designs showing substitution. "
                f"A part is supported when at least {self.min_resolved} of its rows are resolved and {share} "
                f"hold; not supported when at most {1 - s:.0%} hold; partly supported in between; inconclusive "
                f"with fewer than {self.min_resolved} resolved row(s). The claim is supported only when all three "
                "parts are; not supported when every settled part is not; inconclusive when no part is settled; "
                "partly supported otherwise.")

    def parts(self, table: pd.DataFrame) -> dict[str, str]:
        out = {}
        for unit, part in UNITS.items():
            out[part] = self.part_rule(part).decide(table[table["unit"] == unit])
        return out

    def decide(self, table: pd.DataFrame) -> str:
        return combine(list(self.parts(table).values()))


combine = ss.combine_verdicts  # the claim from its parts (module docstring): one rule, kept in search_scaling


# ------------------------------------------------------------------------------------------ evidence rows


def curve_rows(dr: pd.DataFrame, meta: pd.DataFrame, *, search_axes: Sequence[str], min_points: int = 3) -> list[dict]:
    """(a) rows from ``search_scaling.diminishing_returns`` for every curve on a search axis.

    ``meta``: one row per series with columns series, budget_set, setting, source (``curve_meta``).
    """
    m = meta.set_index("series")
    rows = []
    for r in dr[dr["axis"].isin(search_axes) & dr["role"].isin(["curve", "observational"])].itertuples():
        info = m.loc[r.series]
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


def pair_rows(tests: pd.DataFrame, meta: pd.DataFrame, *, alpha: float, min_power: float, min_points: int = 3,
              ladders_count: bool = True) -> list[dict]:
    """(b) rows from ``search_scaling.shape_tests`` (raw p-values Holm-adjusted here over the pairs given)."""
    from statsmodels.stats.multitest import multipletests

    m = meta.set_index("series")
    t = tests.copy()
    t["p_adj"] = np.nan
    user = (t["reasoning_series"].map(m["setting"]) == "user") & (t["search_series"].map(m["setting"]) == "user")
    for grp in (user, ~user):  # the user's pairs are adjusted among themselves (they are judged alone)
        ok = grp & t["p_value"].notna()
        if ok.any():
            t.loc[ok, "p_adj"] = multipletests(t.loc[ok, "p_value"].to_numpy(), method="holm")[1]
    rows = []
    for r in t.itertuples():
        a, b = m.loc[r.reasoning_series], m.loc[r.search_series]
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
                   ladders_count: bool = True, exclude_approx: bool = False, extra: Sequence[dict] = ()) -> pd.DataFrame:
    """The evidence table of one specification: (a) curve rows, (b) pair rows for the search series on
    ``search_axes`` (Holm over those pairs), (c) crossed-design rows, then ``extra`` rows (shown, out of scope).
    ``exclude_approx`` drops every series read approximately."""
    if exclude_approx:
        keep = set(meta.loc[~meta["approx"], "series"])
        dr = dr[dr["series"].isin(keep)]
        if len(tests):
            tests = tests[tests["reasoning_series"].isin(keep) & tests["search_series"].isin(keep)]
    rows = curve_rows(dr, meta, search_axes=search_axes, min_points=min_points)
    if len(tests) and "p_value" in tests:
        axis = meta.set_index("series")["axis"]
        t = tests[tests["search_series"].map(axis).isin(search_axes)]
        rows += pair_rows(t, meta, alpha=alpha, min_power=min_power, min_points=min_points, ladders_count=ladders_count)
    rows += crossed_rows(crossed) + list(extra)
    return verdicts.evidence_table(rows)


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
        z, p = ss.did_wald_test(k, n)
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


# ------------------------------------------------------------------------------------------ MCPMark ladders


LADDER_MEASURES = ("output_tokens", "reasoning_tokens")


def mcpmark_ladder_points(runs: pd.DataFrame, ladders: Mapping[str, Sequence[str]], rng: np.random.Generator, *,
                          measure: str = "output_tokens", min_reported_share: float = 0.9, n_boot: int = 2000,
                          level: float = 0.95) -> pd.DataFrame:
    """One row per (ladder, effort level): accuracy over runs and mean tokens per run, with task-cluster
    bootstrap intervals (tasks resampled with replacement, all of a task's runs together: runs of one task
    are not independent).

    Columns: series ("mcpmark:<base model>"), config, effort, runs, tasks, accuracy, acc_lo, acc_hi, budget
    (mean ``measure`` per run over runs that report it), budget_lo, budget_hi, reported_share (share of
    runs with a positive ``measure``), usable (reported_share >= ``min_reported_share``), n (effective
    questions p(1-p)/Var_boot: the binomial n that gives the bootstrap variance; at most the runs).
    ``measure`` "output_tokens" (includes reasoning) or "reasoning_tokens" (many runs report none).
    """
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    validate.choice("measure", measure, list(LADDER_MEASURES))
    validate.probability("min_reported_share", min_reported_share)
    validate.integer("n_boot", n_boot, 10, 10**6)
    rows = []
    q = [(1 - level) / 2, (1 + level) / 2]
    for base, cfgs in sorted(ladders.items()):
        for cfg in cfgs:
            g = runs[runs["config"] == cfg]
            if g.empty:
                continue
            tok = g[measure].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            has = np.isfinite(tok) & g["tokens_ok"].to_numpy()
            codes, tasks = pd.factorize(g["task"])
            T = len(tasks)
            succ = np.bincount(codes, weights=g["success"].to_numpy(float), minlength=T)
            cnt = np.bincount(codes, minlength=T).astype(float)
            tsum = np.bincount(codes, weights=np.where(has, tok, 0.0), minlength=T)
            tcnt = np.bincount(codes, weights=has.astype(float), minlength=T)
            idx = rng.integers(0, T, size=(n_boot, T))  # all resamples at once
            acc_b = succ[idx].sum(1) / cnt[idx].sum(1)
            with np.errstate(invalid="ignore", divide="ignore"):
                tok_b = tsum[idx].sum(1) / tcnt[idx].sum(1)
            p = succ.sum() / cnt.sum()
            var = float(np.var(acc_b, ddof=1))
            n_eff = float(min(cnt.sum(), p * (1 - p) / var)) if var > 0 else float(cnt.sum())
            rows.append({"series": f"mcpmark:{base}", "config": cfg, "effort": cfg[len(base) + 1:],
                         "runs": int(cnt.sum()), "tasks": T, "accuracy": p,
                         "acc_lo": float(np.quantile(acc_b, q[0])), "acc_hi": float(np.quantile(acc_b, q[1])),
                         "budget": float(tsum.sum() / tcnt.sum()) if tcnt.sum() else np.nan,
                         "budget_lo": float(np.nanquantile(tok_b, q[0])) if tcnt.sum() else np.nan,
                         "budget_hi": float(np.nanquantile(tok_b, q[1])) if tcnt.sum() else np.nan,
                         "reported_share": float(has.mean()), "n": max(n_eff, 1.0)})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["usable"] = out["reported_share"] >= min_reported_share
    return out


def ladder_curves(points: pd.DataFrame) -> pd.DataFrame:
    """The usable ladder points with at least 3 distinct budgets as curves in ``published_curves``' columns
    (axis reasoning_tokens, source mcpmark, setting tool use, budget set by design: the effort level)."""
    if points.empty:
        return pd.DataFrame(columns=["series", "axis", "budget", "accuracy", "n"])
    u = points[points["usable"] & np.isfinite(points["budget"])]
    u = u[u.groupby("series")["budget"].transform("nunique") >= 3]
    return pd.DataFrame({"series": u["series"], "axis": "reasoning_tokens", "budget": u["budget"],
                         "accuracy": u["accuracy"], "n": u["n"], "approx": False, "source": "mcpmark",
                         "benchmark": "MCPMark", "role": "curve", "budget_set": True, "setting": "tool use",
                         "other_budget": np.nan}).reset_index(drop=True)


# ------------------------------------------------------------------------------------------ BrowseComp-Plus


def observational_search(queries: pd.DataFrame, lower_edges: Sequence[int], level: float = 0.95) -> dict:
    """Accuracy by number of search calls (observed per query, never set): ``metrics.observational_search``.

    Bins start at each of ``lower_edges`` (increasing integers) and end before the next; the last bin runs to
    the largest count observed (queries below the first edge join the first bin). Each bin: search_calls_lo,
    search_calls_hi, n, accuracy, ci (Wilson), mean_confidence. Also the Spearman correlation of search calls
    with correctness and with the agent's stated confidence. An association across questions, not a budget
    curve: nothing here is fitted.
    """
    edges = [int(e) for e in lower_edges]
    if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:])):
        raise ParameterError(f"parameter 'search_bin_edges' = {list(lower_edges)!r} must be at least two increasing integers")
    s = queries["search_calls"].to_numpy()
    c = queries["correct"].to_numpy(bool)
    conf = queries["confidence"].to_numpy(float)
    hi_all = int(s.max())
    b = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, len(edges) - 1)
    bins = []
    for i, lo in enumerate(edges):
        m = b == i
        hi = edges[i + 1] - 1 if i + 1 < len(edges) else hi_all
        lo_ = int(s.min()) if i == 0 else lo
        k, n = int(c[m].sum()), int(m.sum())
        ci = list(proportion_confint(k, n, alpha=1 - level, method="wilson")) if n else [None, None]
        bins.append({"search_calls_lo": lo_, "search_calls_hi": hi, "n": n, "accuracy": k / n if n else None,
                     "ci": ci, "mean_confidence": float(np.nanmean(conf[m])) if n and np.isfinite(conf[m]).any() else None})
    rho_c = stats.spearmanr(s, c.astype(float))
    ok = np.isfinite(conf)
    rho_f = stats.spearmanr(s[ok], conf[ok])
    return {"n": int(len(s)), "accuracy": float(c.mean()), "mean_search_calls": float(s.mean()), "bins": bins,
            "spearman_correct": float(rho_c.statistic), "spearman_correct_p": float(rho_c.pvalue),
            "spearman_confidence": float(rho_f.statistic), "spearman_confidence_p": float(rho_f.pvalue),
            "fitted_as_budget_curve": False}
