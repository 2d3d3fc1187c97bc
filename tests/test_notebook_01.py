"""Notebook 01 (search scaling) in quick mode: results contract, user curves, and a bad user file."""
from __future__ import annotations

import pytest

from helpers import results

pytestmark = pytest.mark.notebook
STEM = "01_search_scaling"
FIT_KEYS = {"series": str, "axis": str, "form": str, "params": dict, "asymptote_identifiable": (bool, type(None)),
            "best": bool}
NUM_OR_NULL = (int, float, type(None))


def _check_contract(res):
    assert res["claim"] == "search_scaling"
    assert res["verdict"] in results.VERDICTS
    assert isinstance(res["summary"], str) and res["summary"].strip()
    assert set(results.KEYS) <= set(res)
    m = res["metrics"]
    for key in ("fits", "same_shape_tests", "diminishing_returns", "substitution", "verdicts"):
        assert key in m
    assert isinstance(m["fits"], list) and m["fits"]
    for f in m["fits"]:
        for k, t in FIT_KEYS.items():
            assert isinstance(f[k], t), (k, f[k])
        assert f["form"] in ("log_linear", "power_saturating", "logistic_log")
        for k in ("aic", "r2", "asymptote", "gain_per_doubling_low", "gain_per_doubling_high"):
            assert isinstance(f[k], NUM_OR_NULL), (k, f[k])
        if f["form"] == "log_linear":
            assert f["asymptote"] is None
        else:
            assert 0 < f["asymptote"] <= 1
    bests = {}
    for f in m["fits"]:
        bests[f["series"]] = bests.get(f["series"], 0) + f["best"]
    assert all(v == 1 for v in bests.values())  # one lowest-AIC form per series
    assert isinstance(m["same_shape_tests"], list) and m["same_shape_tests"]
    for t in m["same_shape_tests"]:
        assert {"reasoning_series", "search_series", "statistic", "p_value", "same_shape"} <= set(t)
        assert isinstance(t["same_shape"], (bool, type(None)))
        assert isinstance(t["p_value"], NUM_OR_NULL)
    assert isinstance(m["diminishing_returns"], dict)
    assert all(isinstance(v, bool) for v in m["diminishing_returns"].values())
    sub = m["substitution"]
    assert isinstance(sub["mrs_at_optimum"], float) and isinstance(sub["by_interaction"], list)
    assert {"interaction", "mrs_at_optimum", "elasticity", "fungible_range"} <= set(sub["by_interaction"][0])
    assert set(m["verdicts"]) == {"a", "b", "c"} and all(v in results.VERDICTS for v in m["verdicts"].values())
    assert res["parameters"]["quick"] is True
    # issue 12: the rule, the evidence it was applied to, and the specification curve
    assert isinstance(m["rule"], str) and "supported" in m["rule"]
    assert m["evidence"] and all({"source", "unit", "in_scope", "outcome", "figure", "ci"} <= set(e) for e in m["evidence"])
    assert all(e["outcome"] in ("holds", "breaks", "unresolved") for e in m["evidence"])
    rob = m["robustness"]
    assert rob["specifications"] >= 32 and 0 <= rob["agree"] <= rob["specifications"]
    assert all(f["verdict"] != res["verdict"] for f in rob["flips"])
    assert len(rob["flips"]) == rob["specifications"] - rob["agree"]
    assert res["verdict_scope"] in ("study", "user")


def test_notebook_quick_run_contract(run_notebook, require_logged):
    require_logged("mcpmark/summary")  # the effort ladders and the observed search calls below are logged data
    require_logged("browsecomp_plus/bm25_single_gpt_4.1")
    res = run_notebook(STEM)
    _check_contract(res)
    m = res["metrics"]
    assert res["verdict_scope"] == "study"
    series = {f["series"] for f in m["fits"]}
    assert "s1-32B MATH500" in series and any("BC+" in s for s in series)
    # issue 11: MCPMark effort ladders fitted as reasoning-budget curves; BrowseComp-Plus binned, never fitted
    lad = [f for f in m["fits"] if f["series"].startswith("mcpmark:")]
    assert lad and all(f["axis"] == "reasoning_tokens" for f in lad)
    obs = m["observational_search"]
    assert obs["n"] == 830 and sum(b["n"] for b in obs["bins"]) == 830
    assert all({"search_calls_lo", "search_calls_hi", "n", "accuracy", "ci"} <= set(b) for b in obs["bins"])
    assert not any("BrowseComp-Plus" in f["series"] and "logged" in f["series"] for f in m["fits"])
    # issue 12: observed search calls (BC+ effort series) never count as in-scope budget curves
    assert not any(e["in_scope"] for e in m["evidence"] if e["source"] == "browsecomp_plus_tables")
    assert m["verdicts"]["c"] == "inconclusive"  # no study source sets both budgets
    # the interior cost optimum meets the tangency condition MRS = price ratio
    sub = res["metrics"]["substitution"]
    assert sub["mrs_at_optimum"] == pytest.approx(sub["price_ratio"], rel=1e-3)


def test_notebook_with_user_curves(run_notebook, keep_input, tmp_path):
    """A user file consistent with the claim at every unit (curves, pairs, a crossed design): "supported",
    judged on the user's curves alone (the contradicting file is judged by the same pipeline in
    tests/test_search_scaling_verdict.py::test_user_curves_at_the_extremes)."""
    from test_search_scaling_verdict import user_curves_text

    p = tmp_path / "mine.csv"
    p.write_text(user_curves_text("consistent"))
    p = keep_input(p)  # named by its contents: the run is kept
    res = run_notebook(STEM, curves_path=str(p))
    _check_contract(res)
    series = {f["series"] for f in res["metrics"]["fits"]}
    assert {"user: my reasoning", "user: search at r=1k"} <= series
    pair = [t for t in res["metrics"]["same_shape_tests"]
            if t["reasoning_series"] == "user: my reasoning" and t["search_series"] == "user: search at r=1k"]
    assert len(pair) == 1 and pair[0]["statistic"] < 1e-3  # identical curvature: no evidence of a difference
    assert any(s["name"].startswith("user:") for s in res["data_sources"])
    assert res["verdict_scope"] == "user"
    assert res["verdict"] == "supported" and set(res["metrics"]["verdicts"].values()) == {"supported"}
    inscope = [e for e in res["metrics"]["evidence"] if e["in_scope"]]
    assert inscope and all(e["setting"] == "user" for e in inscope)


def test_notebook_bad_user_curves_fail_early_naming_the_row(run_notebook, keep_input, tmp_path, reports_tmp):
    import papermill as pm

    p = tmp_path / "bad.csv"
    p.write_text("series,axis,budget,accuracy\na,search_steps,1,0.1\na,search_steps,2,1.7\na,search_steps,4,0.3\n")
    p = keep_input(p)  # named by its contents: the run is kept
    with pytest.raises(pm.PapermillExecutionError, match=r"line 3: column 'accuracy' = 1\.7 is outside \[0, 1\]"):
        run_notebook(STEM, curves_path=str(p))
    assert not (reports_tmp / "results" / f"{STEM}.json").exists()  # no partial output
