"""Claim 1's rule and evidence builders: every outcome reachable, the issue-12 fixes, MCPMark ladders and
BrowseComp-Plus bins."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from helpers import search_scaling as ss
from helpers import search_scaling as sv  # the rule, evidence and logged evidence (re-exported)
from helpers import curves, verdicts
from helpers.validate import ParameterError


def _row(unit, outcome, in_scope=True, setting="agentic research", source="s"):
    return verdicts.evidence_row(source, unit, in_scope=in_scope, outcome=outcome, setting=setting)


def _table(a, b, c, **kw):
    rows = [_row("curve", o, **kw) for o in a] + [_row("pair", o, **kw) for o in b]
    rows += [_row("crossed design", o, **kw) for o in c]
    return verdicts.evidence_table(rows)


RULE = sv.SearchScalingRule(support_share=0.75, min_resolved=1)


@pytest.mark.parametrize("a,b,c,expected", [
    (["holds", "holds"], ["holds"], ["holds"], "supported"),
    (["breaks", "breaks"], ["breaks"], ["breaks"], "not supported"),
    (["breaks"], ["unresolved"], [], "not supported"),           # every settled part fails
    (["holds", "holds"], ["holds"], [], "partly supported"),     # (c) unsettled: not "supported"
    (["holds", "breaks"], ["holds"], ["holds"], "partly supported"),
    (["unresolved"], ["unresolved"], [], "inconclusive"),
    ([], [], [], "inconclusive"),
])
def test_every_outcome_is_reachable(a, b, c, expected):
    assert RULE.decide(_table(a, b, c)) == expected


def test_out_of_scope_rows_never_decide():
    t = _table(["holds"] * 3, ["holds"], ["holds"], in_scope=False, setting="math")
    assert RULE.decide(t) == "inconclusive"


def test_zero_supporting_rows_are_not_partly_supported():
    t = _table(["breaks", "unresolved", "unresolved"], [], [])
    assert RULE.parts(t)["a"] == "not supported"
    assert RULE.decide(t) == "not supported"


def test_rule_text_is_computed_from_thresholds():
    assert "at least 75%" in RULE.describe() and "at least 2 of" in sv.SearchScalingRule(0.75, 2).describe()
    assert "every resolved row" in sv.SearchScalingRule(1.0, 1).describe()
    with pytest.raises(ParameterError, match="support_share"):
        sv.SearchScalingRule(0.4, 1).part_rule("a")


def test_user_scope_judges_the_users_rows_alone():
    study = [_row("curve", "breaks")] * 3
    user_yes = [_row("curve", "holds", setting="user", source="user:x"), _row("pair", "holds", setting="user"),
                _row("crossed design", "holds", setting="user")]
    user_no = [_row(u, "breaks", setting="user", source="user") for u in ("curve", "pair", "crossed design")]
    assert RULE.decide(verdicts.user_scope(verdicts.evidence_table(study + user_yes), True)) == "supported"
    assert RULE.decide(verdicts.user_scope(verdicts.evidence_table(study + user_no), True)) == "not supported"


# ------------------------------------------------------------------ observed search calls are not budgets


def test_observed_search_calls_do_not_count_as_budget_curves():
    pub = ss.published_curves()
    bcp = pub[pub["source"] == "browsecomp_plus_tables"]
    assert (bcp["role"] == "observational").all() and not bcp["budget_set"].any()
    dr = pd.DataFrame([{"series": s, "axis": "search_steps", "role": r, "status": "diminishing", "n_points": 3,
                        "gain_drop": 0.1, "gain_drop_lo": 0.05, "gain_drop_hi": 0.2, "form": "power_saturating"}
                       for s, r in (("obs", "observational"), ("cap", "curve"))])
    meta = pd.DataFrame([{"series": "obs", "axis": "search_steps", "source": "browsecomp_plus_tables",
                          "setting": "agentic research", "budget_set": False, "points": 3},
                         {"series": "cap", "axis": "search_steps", "source": "bats_tool_budget",
                          "setting": "agentic research", "budget_set": True, "points": 3}])
    rows = {r["note"].split(":")[0]: r for r in sv.curve_rows(dr, meta, search_axes=["search_steps"])}
    assert not rows["obs"]["in_scope"] and "not a budget set by design" in rows["obs"]["note"]
    assert rows["cap"]["in_scope"] and rows["cap"]["outcome"] == "holds"
    # the same pair rule: an observational search series never makes an in-scope pair
    tests = pd.DataFrame([{"reasoning_series": "r", "search_series": "obs", "p_value": 0.9, "power": 0.95}])
    meta_r = pd.concat([meta, pd.DataFrame([{"series": "r", "axis": "reasoning_tokens", "source": "s1",
                                              "setting": "math", "budget_set": True, "points": 5}])])
    (pr,) = sv.pair_rows(tests, meta_r, alpha=0.05, min_power=0.8)
    assert pr["outcome"] == "holds" and not pr["in_scope"]


def test_min_points_makes_short_curves_unresolved():
    dr = pd.DataFrame([{"series": "cap", "axis": "search_steps", "role": "curve", "status": "flat", "n_points": 3,
                        "gain_drop": 0.0, "gain_drop_lo": -0.1, "gain_drop_hi": 0.1, "form": "logistic_log"}])
    meta = pd.DataFrame([{"series": "cap", "axis": "search_steps", "source": "bats_tool_budget",
                          "setting": "agentic research", "budget_set": True, "points": 3}])
    assert sv.curve_rows(dr, meta, search_axes=["search_steps"], min_points=3)[0]["outcome"] == "breaks"
    assert sv.curve_rows(dr, meta, search_axes=["search_steps"], min_points=4)[0]["outcome"] == "unresolved"


# ------------------------------------------------------------------ parameters >= points: not identified


def test_three_points_three_parameters_is_not_identified():
    x = np.array([1.0, 4.0, 16.0])
    df = pd.DataFrame({"series": "s", "axis": "search_steps", "budget": x, "accuracy": [0.2, 0.35, 0.4],
                       "n": np.nan, "source": "user", "role": "curve"})
    fits = ss.fit_table(df, profile_points=5).set_index("form")
    for form in ss.SATURATING:
        assert not fits.loc[form, "identified"]
        assert not fits.loc[form, "asymptote_identifiable"]
        assert np.isnan(fits.loc[form, "asymptote_lo"]) and np.isnan(fits.loc[form, "curvature_lo"])
        assert "not identified" in curves.describe_asymptote(fits.loc[form, "fit"])
    assert fits.loc["log_linear", "identified"]
    dr = ss.diminishing_returns(df, fits.reset_index(), alpha=0.05)
    assert dr["status"].iloc[0] == "not identified"
    # the form-free contrast is identified with 3 points (with n known it has an interval)
    d, lo, hi = ss.piecewise_gain_drop(x, [0.2, 0.35, 0.4], [5000] * 3)
    assert d == pytest.approx(0.15 / 2 - 0.05 / 2) and lo < d < hi and lo > 0


def test_piecewise_interval_covers_the_truth(rng):
    x = 2.0 ** np.arange(0, 8, 2)
    f = ss.shape_curve("power_saturating", 0.8, 0.2, 0.7, x)
    u = np.log2(x)
    truth = (f[1] - f[0]) / (u[1] - u[0]) - (f[-1] - f[-2]) / (u[-1] - u[-2])
    Y = rng.binomial(400, np.tile(f, (200, 1))) / 400
    cov = [lo <= truth <= hi for lo, hi in (ss.piecewise_gain_drop(x, y, [400] * 4)[1:] for y in Y)]
    assert 0.9 <= np.mean(cov) <= 0.99


# ------------------------------------------------------------------ approximate readings


def test_approximate_readings_carry_their_reading_error():
    nom = ss.published_curves(approx="ignore")
    rd = ss.published_curves(approx="reading_error", reading_sd=0.02)
    a = rd["approx"]
    assert a.any() and (rd.loc[a, "n"] < nom.loc[a, "n"]).all() and (rd.loc[~a, "n"].fillna(-1) == nom.loc[~a, "n"].fillna(-1)).all()
    # closed form: Var = p(1-p)/n + sd^2
    p, n = 0.5, 1266
    assert ss.reading_error_n(n, p, 0.02) == pytest.approx(0.25 / (0.25 / n + 0.0004))
    assert ss.published_curves(approx="exclude")["approx"].sum() == 0
    # the intervals widen
    s = "Deep Research best of n"
    w = {}
    for name, df in (("nominal", nom), ("reading", rd)):
        g = df[df["series"] == s]
        fit = curves.fit_curve(g["budget"], g["accuracy"], g["n"], "power_saturating", profile=False)
        lo, hi = fit.gain_per_doubling(g["budget"].min())[1:]
        w[name] = float(hi[0] - lo[0])
    assert w["reading"] > 1.5 * w["nominal"]


# ------------------------------------------------------------------ (c) crossed designs


def _crossed_csv_frame(rho, n=4000):
    m = ss.RSModel(interaction=rho)
    rows = []
    for r in (256.0, 8192.0):
        for s in (1.0, 4.0, 16.0):
            rows.append({"series": f"search at r={r:g}", "axis": "search_steps", "budget": s,
                         "accuracy": round(float(ss.accuracy(m, r, s)), 4), "n": float(n), "other_budget": r,
                         "source": "user", "setting": "user"})
    return pd.DataFrame(rows)


def test_crossed_design_decides_either_way():
    sub = sv.crossed_designs(_crossed_csv_frame(0.0))
    comp = sv.crossed_designs(_crossed_csv_frame(1.0))
    assert sub["outcome"].tolist() == ["holds"] and comp["outcome"].tolist() == ["breaks"]
    assert comp["did_logit"].iloc[0] > sub["did_logit"].iloc[0]
    rows = sv.crossed_rows(sub) + sv.crossed_rows(comp)
    assert all(r["in_scope"] and r["unit"] == "crossed design" for r in rows)
    assert ss.verdict_fungible(sub) == "supported" and ss.verdict_fungible(comp) == "not supported"
    none = sv.crossed_designs(_crossed_csv_frame(0.0).assign(n=np.nan))
    assert none["outcome"].tolist() == ["unresolved"]
    assert sv.crossed_designs(_crossed_csv_frame(0.0).drop(columns="other_budget")).empty


# ------------------------------------------------------------------ MCPMark ladders


def _runs(p_by_cfg, tasks=60, runs=4, rng=None, clustered=False):
    rows = []
    for cfg, (p, tok) in p_by_cfg.items():
        task_p = rng.uniform(0, 1, tasks) < p if clustered else np.full(tasks, p)
        for t in range(tasks):
            for r in range(runs):
                ok = bool(task_p[t]) if clustered else bool(rng.uniform() < task_p[t])
                rows.append({"config": cfg, "task": f"t{t}", "run": r + 1, "success": ok,
                             "output_tokens": tok, "reasoning_tokens": pd.NA if r == 0 else tok // 2,
                             "tokens_ok": True})
    df = pd.DataFrame(rows)
    df["reasoning_tokens"] = df["reasoning_tokens"].astype("Int64")
    df["output_tokens"] = df["output_tokens"].astype("Int64")
    return df


def test_ladder_points_intervals_and_cluster_n(rng):
    lad = {"m": ["m-low", "m-medium", "m-high"]}
    cfg = {"m-low": (0.2, 1000), "m-medium": (0.4, 3000), "m-high": (0.5, 9000)}
    pts = sv.mcpmark_ladder_points(_runs(cfg, rng=rng), lad, np.random.default_rng(1), n_boot=400)
    assert list(pts["effort"]) == ["low", "medium", "high"] and (pts["series"] == "mcpmark:m").all()
    assert (pts["acc_lo"] <= pts["accuracy"]).all() and (pts["accuracy"] <= pts["acc_hi"]).all()
    assert pts["budget"].tolist() == [1000, 3000, 9000] and (pts["n"] <= pts["runs"]).all()
    # all runs of a task agree: the 4 runs are one observation, so n_eff is near the number of tasks
    cl = sv.mcpmark_ladder_points(_runs(cfg, rng=rng, clustered=True), lad, np.random.default_rng(2), n_boot=2000)
    assert (cl["n"] < 0.5 * cl["runs"]).all() and (cl["n"] > 0.6 * cl["tasks"]).all()
    # reasoning tokens reported in 3 of 4 runs: below a 0.9 coverage threshold the level is not usable
    rs = sv.mcpmark_ladder_points(_runs(cfg, rng=rng), lad, np.random.default_rng(3), measure="reasoning_tokens",
                                  n_boot=50)
    assert (rs["reported_share"] == 0.75).all() and not rs["usable"].any()
    assert sv.ladder_curves(rs).empty and len(sv.ladder_curves(pts)) == 3
    assert (sv.ladder_curves(pts)["axis"] == "reasoning_tokens").all()


# ------------------------------------------------------------------ BrowseComp-Plus


def test_observational_bins():
    q = pd.DataFrame({"search_calls": [1, 2, 3, 4, 4, 5, 9, 10], "correct": [1, 1, 0, 1, 0, 0, 0, 0],
                      "confidence": [90, 80, 70, 60, 50, 40, 30, np.nan]}).astype({"correct": bool})
    o = sv.observational_search(q, [1, 4, 6])
    assert [(b["search_calls_lo"], b["search_calls_hi"], b["n"]) for b in o["bins"]] == [(1, 3, 3), (4, 5, 3), (6, 10, 2)]
    assert o["bins"][0]["accuracy"] == pytest.approx(2 / 3) and o["bins"][2]["accuracy"] == 0
    assert all(b["ci"][0] <= b["accuracy"] <= b["ci"][1] for b in o["bins"])
    assert sum(b["n"] for b in o["bins"]) == o["n"] == 8 and o["spearman_correct"] < 0
    assert o["fitted_as_budget_curve"] is False
    with pytest.raises(ParameterError, match="search_bin_edges"):
        sv.observational_search(q, [3, 2])


# ------------------------------------------------------------------ user data at the extremes


def user_curves_text(kind: str) -> str:
    """A clear-cut user curves CSV. "consistent": a reasoning curve and two search curves (held at two reasoning
    levels: a crossed design) sharing one curvature, with diminishing returns and substitutes. "contradicting":
    flat search curves (more search buys nothing) whose crossed design shows complements."""
    x_r = 2.0 ** np.arange(9, 16)
    x_s = 2.0 ** np.arange(0, 7)
    n = 2000 if kind == "consistent" else 20000
    rows = ["series,axis,budget,accuracy,n,other_budget"]
    if kind == "consistent":
        curves_ = [("my reasoning", "reasoning_tokens", x_r, ss.shape_curve("power_saturating", 0.85, 0.3, 0.6, x_r), ""),
                   ("search at r=1k", "search_steps", x_s, ss.shape_curve("power_saturating", 0.7, 0.2, 0.6, x_s), 1000),
                   ("search at r=16k", "search_steps", x_s, ss.shape_curve("power_saturating", 0.8, 0.45, 0.6, x_s), 16000)]
    elif kind == "contradicting":
        curves_ = [("my reasoning", "reasoning_tokens", x_r, ss.shape_curve("power_saturating", 0.85, 0.3, 0.6, x_r), ""),
                   ("search at r=1k", "search_steps", x_s, np.full(len(x_s), 0.1), 1000),
                   ("search at r=16k", "search_steps", x_s, np.linspace(0.5, 0.525, len(x_s)), 16000)]
    else:
        raise ValueError(kind)
    for name, axis, x, y, ob in curves_:
        rows += [f"{name},{axis},{b:g},{a:.4f},{n},{ob}" for b, a in zip(x, y)]
    return "\n".join(rows) + "\n"


@functools.lru_cache(maxsize=None)
def _published_fits(profile_points: int) -> pd.DataFrame:
    return ss.fit_table(ss.published_curves(), profile_points=profile_points)


def judge_user_curves(path, rng, power_reps=6):
    """The notebook's pipeline on a user curves file beside the published curves, in user scope:
    (verdict, parts, evidence). Pairs of a user curve with a study curve never count."""
    user = ss.read_curves(path).assign(series=lambda d: "user: " + d["series"])
    cur = pd.concat([ss.published_curves(), user], ignore_index=True)
    # fit_table fits each series alone (tests/test_search_scaling.py): the study's curves are fitted once
    fits = pd.concat([_published_fits(8), ss.fit_table(user, profile_points=8)])
    fits = fits.sort_values("series", kind="stable").reset_index(drop=True)
    dr = ss.diminishing_returns(cur, fits)
    flat = dr.loc[dr["status"] == "flat", "series"].tolist()
    tests = ss.shape_tests(cur, untestable=flat, rng=rng, power_reps=power_reps)
    ev = sv.build_evidence(dr, sv.curve_meta(cur), tests, sv.crossed_designs(cur), search_axes=["search_steps"],
                           alpha=0.05, min_power=0.8)
    ev = verdicts.user_scope(ev, True)
    return RULE.decide(ev), RULE.parts(ev), ev


@pytest.mark.parametrize("kind,expected,parts", [
    ("consistent", "supported", {"a": "supported", "b": "supported", "c": "supported"}),
    ("contradicting", "not supported", {"a": "not supported", "b": "inconclusive", "c": "not supported"}),
])
def test_user_curves_at_the_extremes(tmp_path, rng, kind, expected, parts):
    p = tmp_path / f"{kind}.csv"
    p.write_text(user_curves_text(kind))
    v, got, ev = judge_user_curves(p, rng)
    assert got == parts, ev[["unit", "outcome", "note"]].to_string()
    assert v == expected
    mixed = ev[ev["source"].str.startswith("mixed:")]
    assert len(mixed) and not mixed["in_scope"].any()
    assert ev.loc[ev["in_scope"], "setting"].eq("user").all()


def test_the_observational_row_never_decides():
    assert sv.observational_rows(None) == []
    rows = sv.observational_rows({"spearman_correct": -0.3})
    t = verdicts.evidence_table(rows + [_row("curve", "holds")])
    assert not t.loc[t["unit"] == "observational", "in_scope"].any()
    assert RULE.parts(t) == RULE.parts(verdicts.evidence_table([_row("curve", "holds")]))


def test_available_returns_the_reason_when_logged_data_are_missing():
    from helpers import registry

    frame = pd.DataFrame({"a": [1]})
    assert sv.logged.available(lambda: frame) == (frame, None)

    def missing():
        raise registry.DataUnavailable("no mirror")

    got, why = sv.logged.available(missing)
    assert got is None and isinstance(why, registry.DataUnavailable) and str(why) == "no mirror"
