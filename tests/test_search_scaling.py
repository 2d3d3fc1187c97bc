"""Tests of helpers.search_scaling: the (r, s) model, the curve data, fits, the same-shape test, verdicts."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from helpers import curves
from helpers import search_scaling as ss
from helpers.validate import DataError, ParameterError


# ----------------------------------------------------------------------------- the (r, s) model


def _clean(**kw):
    """No difficulty spread, no unsolvable tasks: closed forms hold exactly."""
    return ss.RSModel(difficulty_sd=0.0, unsolvable_share=0.0, **kw)


def test_model_closed_forms_at_the_two_extremes():
    r, s = np.array([0.0, 700.0, 9000.0]), np.array([0.0, 3.0, 40.0])
    sub, comp = _clean(interaction=0.0), _clean(interaction=1.0)
    lr, ls = ss.component_logodds(sub, r, s)
    np.testing.assert_allclose(ss.accuracy(sub, r, s), expit(ls + lr), rtol=1e-12)  # additive in log-odds
    np.testing.assert_allclose(ss.accuracy(comp, r, s), expit(ls) * expit(lr), rtol=1e-12)  # multiplicative
    # the mixture is linear in the interaction
    mid = _clean(interaction=0.3)
    np.testing.assert_allclose(ss.accuracy(mid, r, s), 0.7 * expit(ls + lr) + 0.3 * expit(ls) * expit(lr), rtol=1e-12)


def test_model_ceiling_monotonicity_and_gradient():
    m = ss.RSModel()
    R, S = np.meshgrid(2.0 ** np.arange(0, 20), np.r_[0, 2.0 ** np.arange(0, 12)], indexing="ij")
    A, dA_dr, dA_ds = ss.accuracy_and_grad(m, R, S)
    assert np.all((A > 0) & (A < m.ceiling))
    assert np.all(np.diff(A, axis=0) > 0) and np.all(np.diff(A, axis=1) > 0)  # more of either budget helps
    assert np.all(dA_dr > 0) and np.all(dA_ds > 0)
    h_r, h_s = 1e-3 * (R + 1), 1e-4 * (S + 1)
    num_r = (ss.accuracy(m, R + h_r, S) - ss.accuracy(m, R - h_r, S)) / (2 * h_r)
    num_s = (ss.accuracy(m, R, S + h_s) - ss.accuracy(m, R, np.maximum(S - h_s, 0))) / (S + h_s - np.maximum(S - h_s, 0))
    np.testing.assert_allclose(dA_dr, num_r, rtol=1e-4)
    np.testing.assert_allclose(dA_ds, num_s, rtol=2e-3)
    # unsolvable share scales accuracy exactly
    np.testing.assert_allclose(ss.accuracy(m.with_(unsolvable_share=0.5), R, S),
                               ss.accuracy(m.with_(unsolvable_share=0.0), R, S) * 0.5, rtol=1e-12)


def test_tokens_and_cost_add_up():
    m = ss.RSModel(tokens_per_search_step=1500, price_reasoning_per_mtok=12, price_search_per_mtok=3,
                   price_per_search_call=0.01)
    r, s = np.array([1000.0, 0.0, 5e4]), np.array([0.0, 7.0, 20.0])
    assert np.allclose(ss.tokens(m, r, s), r + 1500 * s)
    assert np.allclose(ss.cost_usd(m, r, s), r * 12e-6 + s * (1500 * 3e-6 + 0.01))
    assert m.price_ratio == pytest.approx((1500 * 3e-6 + 0.01) / 12e-6)


def test_iso_quality_curves_hit_the_target_and_flag_unreachable():
    m = ss.RSModel()
    s = np.array([0.0, 1.0, 10.0, 100.0])
    r = ss.iso_reasoning(m, 0.5, s)
    ok = np.isfinite(r)
    np.testing.assert_allclose(ss.accuracy(m, r[ok], s[ok]), 0.5, atol=1e-9)
    assert np.all(np.diff(r[ok]) < 0)  # more search, less reasoning needed
    s_back = ss.iso_search(m, 0.5, r[ok][1:])
    np.testing.assert_allclose(s_back, s[ok][1:], rtol=1e-6)
    assert np.isnan(ss.iso_reasoning(m, 0.89, 0.0, r_max=1000.0))  # not reachable within the limits
    assert ss.iso_reasoning(m, 0.01, 50.0) == 0.0  # already reached without reasoning


def test_accuracy_along_one_budget_is_accuracy_bit_for_bit():
    """The bisections' accuracy with one budget held (``model._accuracy_along``) is ``accuracy``'s arithmetic."""
    from helpers.search_scaling.model import _accuracy_along
    s = np.broadcast_to(np.array([0.0, 1.5, 40.0, 900.0]), (3, 4))
    r = np.array([[0.0], [300.0], [70000.0]]) * np.ones((3, 4))
    for rho in (0.0, 0.3, 1.0):
        m = ss.RSModel(interaction=rho, difficulty_sd=0.7 + rho)
        np.testing.assert_array_equal(_accuracy_along(m, "r", s)(r), ss.accuracy(m, r, s))
        np.testing.assert_array_equal(_accuracy_along(m, "s", r)(s), ss.accuracy(m, r, s))
    with pytest.raises(ParameterError, match="finite and >= 0"):
        _accuracy_along(m, "r", s)(-r - 1)
    with pytest.raises(ParameterError, match="finite and >= 0"):
        _accuracy_along(m, "s", np.full(3, np.inf))


def test_iso_curves_are_the_bisection_of_accuracy_itself():
    """iso_reasoning and iso_search give the numbers of a bisection that calls ``accuracy`` at every step."""
    from helpers.search_scaling.model import _bisect_budget
    m = ss.RSModel(interaction=0.25)
    t, b = np.array([[0.3], [0.6], [0.85]]), np.array([0.0, 2.0, 30.0, 500.0])
    T, B = np.broadcast_arrays(t, b)
    r0, s0 = m.reasoning_scale, m.search_scale
    v = _bisect_budget(lambda v: ss.accuracy(m, r0 * (2 ** v - 1), B), T, np.log2(1 + 2.0 ** 20 / r0))
    np.testing.assert_array_equal(ss.iso_reasoning(m, t, b), r0 * (2 ** v - 1))
    R = 1000.0 * B
    v = _bisect_budget(lambda v: ss.accuracy(m, R, s0 * (2 ** v - 1)), T, np.log2(1 + 2.0 ** 12 / s0))
    np.testing.assert_array_equal(ss.iso_search(m, t, 1000.0 * b), s0 * (2 ** v - 1))


def test_expansion_path_is_cheapest_and_meets_tangency():
    m = ss.RSModel()
    ep = ss.expansion_path(m, [0.4, 0.6, 0.75])
    assert ep["reachable"].all() and ep["interior"].all()
    np.testing.assert_allclose(ss.accuracy(m, ep["r"], ep["s"]), ep["target"], atol=1e-8)
    np.testing.assert_allclose(ep["mrs"], m.price_ratio, rtol=1e-3)  # MRS = price ratio at an interior optimum
    assert np.all(np.diff(ep["cost_usd"]) > 0) and np.all(np.diff(ep["r"]) > 0) and np.all(np.diff(ep["s"]) > 0)
    # no point of the iso-quality curve is cheaper (brute force over a fine grid)
    s_grid = np.linspace(0, 400, 4001)
    for _, row in ep.iterrows():
        rr = ss.iso_reasoning(m, row["target"], s_grid)
        c = ss.cost_usd(m, rr, s_grid)
        assert np.nanmin(c) >= row["cost_usd"] * (1 - 1e-6)


def test_cobb_douglas_limit_has_unit_elasticity_and_complements_less():
    # substitutes, no spread, budgets far above their scales: logit A = βs·log2 s + βr·log2 r + const,
    # i.e. Cobb-Douglas iso-quality curves, elasticity of substitution 1
    cd = _clean(interaction=0.0, search_scale=1e-3, reasoning_scale=1e-3, search_offset=-20.0,
                reasoning_offset=-20.0)
    out = ss.substitution_summary(cd, 0.6)
    assert out["interior"]
    assert out["elasticity"] == pytest.approx(1.0, abs=1e-3)
    # Cobb-Douglas cost shares: s·(cost per step) / (r·price per token) = βs / βr
    share = out["s_opt"] * cd.price_ratio / out["r_opt"]
    assert share == pytest.approx(cd.search_slope / cd.reasoning_slope, rel=1e-3)
    m = ss.RSModel()
    tab = ss.substitution_by_interaction(m, 0.6, [0.0, 0.5, 1.0])
    assert np.all(np.diff(tab["elasticity"]) < 0)  # complements substitute less
    assert np.all(np.diff(tab["fungible_range"]) < 0)
    comp = tab["compensation_halving_reasoning"].to_numpy()
    assert np.all(np.diff(comp) > 0)
    assert np.all(tab["fungible_range"].between(0, 1))
    np.testing.assert_allclose(tab["mrs_at_optimum"], m.price_ratio, rtol=1e-3)


def test_fungible_range_bounds():
    m = ss.RSModel()
    fr = ss.fungible_range(m, 40000, 0.02)
    assert fr["best_accuracy"] >= max(fr["accuracy_all_reasoning"], fr["accuracy_all_search"])
    assert 0 < fr["range"] < 1
    assert ss.fungible_range(m, 40000, 1.0)["range"] == 1.0  # a tolerance of 1 accepts every split


def test_interaction_contrast_zero_for_pure_substitutes_and_sample_size_power():
    sub, comp = _clean(interaction=0.0), _clean(interaction=1.0)
    assert ss.interaction_contrast(sub, [500, 8000], [2, 30])["did_logit"] == pytest.approx(0.0, abs=1e-10)
    c = ss.interaction_contrast(comp, [500, 8000], [2, 30])
    assert c["did_logit"] > 0.3
    n = ss.n_per_cell_for_contrast(c["p"], c["did_logit"], alpha=0.05, power=0.8)
    n = int(np.ceil(n))
    rng = np.random.default_rng(7)
    reps = 4000
    k = rng.binomial(n, np.broadcast_to(c["p"], (reps, 2, 2)))
    _, p = ss.did_wald_test(k, np.full((reps, 2, 2), n))
    assert 0.74 < np.mean(p < 0.05) < 0.86  # the closed-form n gives the promised power
    k0 = rng.binomial(n, np.broadcast_to(ss.interaction_contrast(sub, [500, 8000], [2, 30])["p"], (reps, 2, 2)))
    _, p0 = ss.did_wald_test(k0, np.full((reps, 2, 2), n))
    assert np.mean(p0 < 0.05) < 0.075


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore:Perfect separation")
def test_did_wald_matches_logistic_regression():
    import statsmodels.formula.api as smf
    import statsmodels.api as sm

    k = np.array([[30, 80], [55, 150]])
    n = np.array([[200, 200], [200, 200]])
    z, _ = ss.did_wald_test(k - 0.5, n - 1.0)  # undo the continuity correction for the comparison
    df = pd.DataFrame({"r": [0, 0, 1, 1], "s": [0, 1, 0, 1], "k": k.ravel(), "n": n.ravel()})
    df["fail"] = df["n"] - df["k"]
    fit = smf.glm("k + fail ~ r * s", df, family=sm.families.Binomial()).fit()
    assert float(z) == pytest.approx(fit.tvalues["r:s"], rel=1e-6)


@pytest.mark.parametrize("field,value", [("interaction", 1.5), ("difficulty_sd", -1), ("search_slope", 0),
                                         ("unsolvable_share", 1.0), ("tokens_per_search_step", "2000")])
def test_model_rejects_bad_parameters_by_name(field, value):
    with pytest.raises(ParameterError, match=field):
        ss.RSModel(**{field: value})


def test_substitution_rejects_unreachable_target():
    with pytest.raises(ParameterError, match="target"):
        ss.substitution_summary(ss.RSModel(unsolvable_share=0.3), 0.75)


# ----------------------------------------------------------------------------- curve data


def test_published_curves_are_tidy_and_converted():
    df = ss.published_curves(gaussian_for_approx=False)
    assert df["accuracy"].between(0, 1).all() and (df["budget"] > 0).all()
    assert set(df["axis"]) == {"reasoning_tokens", "search_steps", "samples"}
    assert df.groupby("series").size().min() >= 3
    m5 = df[df["series"] == "s1-32B MATH500"].sort_values("budget")
    assert m5["accuracy"].iloc[0] == pytest.approx(0.64) and (m5["n"] == 500).all()
    assert (df.loc[df["benchmark"] == "BrowseComp-Plus", "n"] == 830).all()
    assert df.loc[df["source"] == "bats_tool_budget", "n"].isna().all()  # unknown
    g = ss.published_curves(gaussian_for_approx=True)
    assert g.loc[g["approx"], "n"].isna().all() and g["approx"].any()
    assert ss.published_curves(use_known_n=False)["n"].isna().all()


def _write(tmp_path, text, name="curves.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


GOOD = """series,axis,budget,accuracy,n
r1,reasoning_tokens,500,0.3,100
r1,reasoning_tokens,1000,0.45,100
r1,reasoning_tokens,2000,0.55,100
s1,search_steps,2,0.2,
s1,search_steps,4,0.3,
s1,search_steps,8,0.35,
"""


def test_read_curves_good_file(tmp_path):
    df = ss.read_curves(_write(tmp_path, GOOD))
    assert list(df["series"].unique()) == ["r1", "s1"]
    assert df.loc[df["series"] == "r1", "n"].eq(100).all() and df.loc[df["series"] == "s1", "n"].isna().all()
    assert (df["source"] == "user").all()


@pytest.mark.parametrize("text,match", [
    ("series,axis,budget\nr,reasoning_tokens,1\n", r"missing required column"),
    (GOOD.replace("0.45,100", "1.45,100"), r"line 3: column 'accuracy' = 1\.45 is outside \[0, 1\]"),
    (GOOD.replace("s1,search_steps,4,", "s1,search_steps,-4,"), r"line 6: column 'budget'"),
    (GOOD.replace("s1,search_steps,4,", "s1,search_steps,four,"), r"line 6: column 'budget' = 'four' is not a number"),
    (GOOD.replace("r1,reasoning_tokens,2000", "r1,tokens,2000"), r"line 4: column 'axis' = 'tokens'"),
    (GOOD.replace("0.3,100", "0.3,2.5"), r"line 2: column 'n' = 2\.5 is not a positive whole number"),
    (GOOD.replace("s1,search_steps,8,0.35,", "s1,samples,8,0.35,"), r"line 7: series 's1' has axis 'samples'"),
    (GOOD.replace("s1,search_steps,8,", "s1,search_steps,4,"), r"line 7: series 's1' repeats budget 4"),
    (GOOD + "s2,search_steps,2,0.1,\ns2,search_steps,4,0.2,\n", r"line 8: series 's2' has 2 point\(s\) \(lines 8, 9\)"),
    (GOOD.replace("r1,reasoning_tokens,500", ",reasoning_tokens,500"), r"line 2: column 'series' is empty"),
])
def test_read_curves_bad_rows_are_named(tmp_path, text, match):
    with pytest.raises(DataError, match=match):
        ss.read_curves(_write(tmp_path, text))


def test_read_curves_missing_and_empty(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        ss.read_curves(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="no data rows|cannot be read"):
        ss.read_curves(_write(tmp_path, "series,axis,budget,accuracy\n"))


# ----------------------------------------------------------------------------- fits


def test_fit_table_matches_fit_all_and_skips_meaningless_aic():
    df = ss.published_curves()
    sub = df[df["series"].isin(["s1-32B GPQA-Diamond", "Gemini-2.5-Flash ReAct (BATS cap)"])]
    mine = ss.fit_table(sub, profile_points=60).set_index(["series", "form"])
    ref = curves.fit_all(sub).set_index(["series", "form"])
    for col in ["r2", "asymptote", "gain_per_doubling_low", "gain_per_doubling_high"]:
        np.testing.assert_allclose(mine[col].astype(float), ref.loc[mine.index, col].astype(float), rtol=1e-9)
    ok = mine["identified"]
    np.testing.assert_allclose(mine.loc[ok, "gain_per_doubling_low_lo"].astype(float),
                               ref.loc[mine.index[ok], "gain_per_doubling_low_lo"].astype(float), rtol=1e-9)
    flash = mine.loc["Gemini-2.5-Flash ReAct (BATS cap)"]  # 3 points, n unknown: 3-parameter forms are saturated
    assert flash.loc["power_saturating", "aic"] != flash.loc["power_saturating", "aic"]  # NaN
    assert bool(flash.loc["log_linear", "best"]) and flash["best"].sum() == 1
    assert bool(flash.loc["log_linear", "identified"]) and not flash.loc[list(ss.SATURATING), "identified"].any()


def test_fit_table_fits_each_series_alone():
    """A series' rows do not depend on the other series in the frame (tests share the published curves' fits)."""
    df = ss.published_curves()
    a, b = df[df["series"] == "s1-32B GPQA-Diamond"], df[df["series"] == "Gemini-2.5-Flash ReAct (BATS cap)"]
    both = ss.fit_table(pd.concat([b, a]), profile_points=5)
    apart = pd.concat([ss.fit_table(b, profile_points=5), ss.fit_table(a, profile_points=5)])
    apart = apart.sort_values("series", kind="stable").reset_index(drop=True)
    cols = [c for c in both.columns if c != "fit"]
    pd.testing.assert_frame_equal(both[cols], apart[cols])


def test_fit_recovers_curvature_within_interval(rng):
    x = 2.0 ** np.arange(4, 12)
    truth = {"A": 0.85, "B": 0.6 * 16 ** 0.5, "c": 0.5}
    reps = 20
    Y = curves.simulate_curve("power_saturating", truth, np.tile(x, (reps, 1)), 2000, rng)
    covered = []
    for y in Y:  # one fit per simulated curve
        fit = curves.fit_curve(x, y, 2000, "power_saturating", profile=False)  # Wald interval of c
        lo, hi = fit.conf_int()["c"]
        covered.append(lo <= 0.5 <= hi)
    assert np.mean(covered) >= 0.75  # nominal 95%; fewer than 15 of 20 is very unlikely
    df = pd.DataFrame({"series": "sim", "axis": "search_steps", "budget": x, "accuracy": Y[0], "n": 2000.0,
                       "source": "synthetic", "role": "curve"})
    ft = ss.fit_table(df, profile_points=10)
    row = ft.set_index("form").loc["power_saturating"]
    # the column is the fitted c of the path fit_table takes (analytic gradient; the numeric one stops
    # within the optimizer's tolerance of it, 4e-6 apart on one CPU here, not to 1e-6)
    same_path = curves.fit_curve(x, Y[0], 2000, "power_saturating", profile=False, gradient="analytic")
    assert row["curvature"] == pytest.approx(same_path.params["c"])
    assert row["asymptote_lo"] <= 0.85 <= row["asymptote_hi"]
    assert ss.diminishing_returns(df, ft)["status"].iloc[0] == "diminishing"


def test_gain_drop_closed_forms():
    x = np.array([1.0, 2, 4, 8, 16])
    fit = curves.fit_curve(x, 0.2 + 0.05 * np.log2(x) + np.array([0, 0.01, -0.01, 0.01, 0]), None, "log_linear")
    assert ss.gain_drop(fit, 1.0, 16.0)[0] == pytest.approx(0.0, abs=1e-12)  # constant gain per doubling
    ps = curves.fit_curve(x, 0.8 - 0.5 * x ** -0.7 + np.array([0, 0.003, -0.002, 0.001, 0]), None, "power_saturating")
    B, c = ps.params["B"], ps.params["c"]
    expected = B * (1 - 2 ** -c) * (1 ** -c - 16 ** -c)
    assert ss.gain_drop(ps, 1.0, 16.0)[0] == pytest.approx(expected, rel=1e-9)


def test_diminishing_classes():
    x = 2.0 ** np.arange(0, 7)
    frames = {
        "flat": 0.2 + 0.001 * np.arange(7),
        "drop": np.array([0.2, 0.3, 0.4, 0.5, 0.55, 0.35, 0.3]),
        "saturating": 0.9 - 0.7 * x ** -0.8,
    }
    df = pd.concat([pd.DataFrame({"series": k, "axis": "search_steps", "budget": x, "accuracy": v, "n": 1000.0,
                                  "source": "synthetic", "role": "curve"}) for k, v in frames.items()])
    dr = ss.diminishing_returns(df, ss.fit_table(df, profile_points=8)).set_index("series")
    assert dr.loc["flat", "status"] == "flat"
    assert dr.loc["drop", "status"] == "non-monotone"
    assert dr.loc["saturating", "status"] == "diminishing" and bool(dr.loc["saturating", "diminishing"])


# ----------------------------------------------------------------------------- the same-shape test


@pytest.mark.parametrize("form", ["power_saturating", "logistic_log"])
def test_batched_fits_match_fit_curve(form, rng):
    x1, x2 = 2.0 ** np.arange(8, 13), np.array([2.0, 8, 20, 40])
    f1 = ss.shape_curve(form, 0.9, 0.3, 0.7, x1)
    f2 = ss.shape_curve(form, 0.8, 0.2, 0.7, x2)
    Y1 = rng.binomial(400, np.broadcast_to(f1, (6, 5))) / 400
    Y2 = rng.binomial(800, np.broadcast_to(f2, (6, 4))) / 800
    res = ss.same_shape_test_batch(x1, Y1, 400, x2, Y2, 800, form)
    ref = np.array([curves.fit_curve(x1, Y1[i], 400, form, profile=False).nll
                    + curves.fit_curve(x2, Y2[i], 800, form, profile=False).nll for i in range(6)])
    assert np.all(res["nll_separate"] <= ref + 1e-6)  # at least as good as the shared module's fits
    assert np.all(res["nll_joint"] >= res["nll_separate"] - 1e-9) and np.all(res["statistic"] >= 0)


def test_lm_jacobian_and_row_objective_are_the_reference_arithmetic():
    """``lm._jacobian`` (shifted copies by one broadcast add) and the row objective of gathered rows give bit for
    bit the numbers of shifting each copy's coordinate in place and of indexing the rows inside the objective."""
    from helpers.search_scaling.lm import _Internal, _jacobian, _objective
    rng = np.random.default_rng(5)
    for form in ("power_saturating", "logistic_log"):
        c = _Internal(form, 2.0 ** np.arange(3, 9))
        Z = np.column_stack([rng.uniform(0.5, 1, 7), rng.uniform(-3, 1, 7), rng.uniform(0.1, 2, 7)])
        h = np.array([1e-6, 2e-6, 5e-6])
        f = c.predict(Z)
        Zp = np.repeat(Z[None], 3, axis=0)
        Zp[np.arange(3), :, np.arange(3)] += h[:, None]
        ref = np.moveaxis((c.predict(Zp.reshape(21, 3)).reshape(3, 7, -1) - f) / h[:, None, None], 0, -1)
        np.testing.assert_array_equal(_jacobian(c.predict, Z, f, h), ref)
        np.testing.assert_array_equal(_jacobian(c.predict, Z, f, h, np.diag(h)), ref)
        Y, idx = rng.uniform(0, 1, f.shape), np.array([0, 3, 6])
        for n in (np.full(6, 50.0), None):
            obj = _objective(Y, n)
            np.testing.assert_array_equal(obj(f), curves.nll(f, Y, n) if n is not None else np.sum((Y - f) ** 2, -1))
            np.testing.assert_array_equal(obj(f[idx], Y[idx]), obj(f)[idx])


def test_same_shape_statistic_is_zero_for_rescaled_copies():
    x1 = 2.0 ** np.arange(8, 14)
    f1 = ss.shape_curve("power_saturating", 0.9, 0.3, 0.6, x1)
    x2 = x1 / 256  # the same curve on another budget unit
    r = ss.same_shape_test(x1, f1, 500, x2, f1, 500, "power_saturating")
    assert r["statistic"] < 1e-6 and r["p_value"] > 0.99
    assert r["curvature_joint"] == pytest.approx(0.6, rel=1e-3)


@pytest.mark.parametrize("form", ["power_saturating", "logistic_log"])
def test_same_shape_test_level_and_power(form):
    rng = np.random.default_rng(123)
    er = ss.same_shape_error_rates(rng, x1=2.0 ** np.arange(8, 14), n1=500, x2=2.0 ** np.arange(0, 6), n2=500,
                                   form=form, curvature=0.7, ratios=(3.0,), reps=600, alpha=0.05)
    size = er.loc[er["ratio"] == 1.0].iloc[0]
    assert size["ci_lo"] <= 0.05 <= size["ci_hi"] + 0.01  # nominal false-positive rate
    assert er.loc[er["ratio"] == 3.0, "rate"].iloc[0] > 0.8  # power against a clearly different shape


def test_gaussian_and_quasi_variants(rng):
    x1, x2 = 2.0 ** np.arange(8, 14), 2.0 ** np.arange(0, 6)
    f1 = ss.shape_curve("power_saturating", 0.9, 0.3, 0.7, x1)
    f2 = ss.shape_curve("power_saturating", 0.9, 0.3, 0.7, x2)
    reps = 400
    Y1 = f1 + 0.02 * rng.standard_normal((reps, 6))
    Y2 = f2 + 0.02 * rng.standard_normal((reps, 6))
    g = ss.same_shape_test_batch(x1, Y1, None, x2, Y2, None, "power_saturating")
    assert g["method"] == "gaussian_f" and g["df_resid"] == 6
    assert 0.02 < np.mean(g["p_value"] < 0.05) < 0.09
    Yb1 = rng.binomial(500, np.broadcast_to(f1, (50, 6))) / 500
    Yb2 = rng.binomial(500, np.broadcast_to(f2, (50, 6))) / 500
    b = ss.same_shape_test_batch(x1, Yb1, 500, x2, Yb2, 500, "power_saturating", "binomial")
    q = ss.same_shape_test_batch(x1, Yb1, 500, x2, Yb2, 500, "power_saturating", "quasi")
    assert q["method"] == "quasi_f" and np.all(q["statistic"] <= b["statistic"] + 1e-12)
    assert np.all(q["p_value"] >= b["p_value"] - 1e-12)  # never less conservative


def test_a_pairs_second_dispersion_reuses_its_fits_and_equals_the_batch_test(rng):
    """same_shape_test keeps a pair's fits: the quasi test after the binomial one (the notebook's sensitivity
    table) is the batch quasi test of the same data, and the kept fits are not changed by a caller."""
    x1, x2 = 2.0 ** np.arange(8, 13), 2.0 ** np.arange(0, 5)
    y1 = rng.binomial(300, ss.shape_curve("power_saturating", 0.9, 0.3, 0.7, x1)) / 300
    y2 = rng.binomial(300, ss.shape_curve("power_saturating", 0.8, 0.2, 1.4, x2)) / 300
    first = ss.same_shape_test(x1, y1, 300, x2, y2, 300, "power_saturating", "binomial")
    first["theta_joint_1"][:] = -1.0  # a caller's change stays in its copy
    kept = len(ss.shape._PAIR_FITS)
    q = ss.same_shape_test(x1, y1, 300, x2, y2, 300, "power_saturating", "quasi")
    assert len(ss.shape._PAIR_FITS) == kept  # no new fit
    qb = ss.same_shape_test_batch(x1, y1[None], 300, x2, y2[None], 300, "power_saturating", "quasi")
    assert q["method"] == "quasi_f" == qb["method"]
    for k in ("statistic", "p_value", "dispersion", "curvature_1", "curvature_2", "curvature_joint"):
        assert q[k] == qb[k][0], k
    assert np.array_equal(q["theta_joint_1"], qb["theta_joint_1"][0])
    b = ss.same_shape_test(x1, y1, 300, x2, y2, 300, "power_saturating", "binomial")
    assert b["statistic"] >= q["statistic"] and b["statistic"] == first["statistic"]


def test_same_shape_bad_input():
    x = np.array([1.0, 2, 4])
    with pytest.raises(ParameterError, match="form"):
        ss.same_shape_test(x, [0.1, 0.2, 0.3], 10, x, [0.1, 0.2, 0.3], 10, "log_linear")
    with pytest.raises(ParameterError, match="at least 3 points"):
        ss.same_shape_test(x[:2], [0.1, 0.2], 10, x, [0.1, 0.2, 0.3], 10)
    with pytest.raises(ParameterError, match="dispersion"):
        ss.same_shape_test(x, [0.1, 0.2, 0.3], 10, x, [0.1, 0.2, 0.3], 10, dispersion="robust")
    with pytest.raises(ParameterError, match="Generator"):
        ss.same_shape_error_rates(0, x1=x, n1=10, x2=x, n2=10)


def test_shape_tests_pairs_untestable_and_holm():
    df = ss.published_curves()
    rng = np.random.default_rng(1)
    t = ss.shape_tests(df, search_axes=("search_steps", "samples"),
                       untestable=["Gemini-2.5-Pro ReAct (BATS cap)", "Gemini-2.5-Flash ReAct (BATS cap)"],
                       rng=rng, power_reps=10)
    # reasoning curves (the over-forcing caveat excluded) x budget curves on the search axes (BATS caps and
    # parallel samples); BrowseComp-Plus Table 4 (search calls observed under an effort setting) is no budget curve
    assert len(t) == 3 * 5 and not t["search_series"].str.contains("BC+").any()
    bats = t["search_series"].str.contains("BATS")
    assert t.loc[bats, "same_shape"].isna().all() and t.loc[bats, "p_value"].isna().all()
    ok = ~bats
    assert np.all(t.loc[ok, "p_holm"] >= t.loc[ok, "p_value"] - 1e-15)
    assert t.loc[ok, "power"].between(0, 1).all() and t.loc[ok, "size"].between(0, 1).all()
    assert set(t.loc[ok, "power_by_ratio"].iloc[0]) == {"0.5", "2"}



def test_holm_matches_the_textbook_and_statsmodels_exactly():
    # a hand example: sorted 0.01, 0.02, 0.04, 0.5 -> 0.04, 0.06, 0.08, 0.5 (times 4, 3, 2, 1), made monotone
    np.testing.assert_array_equal(ss.shape.holm([0.5, 0.01, 0.04, 0.02]), [0.5, 0.04, 0.08, 0.06])
    np.testing.assert_array_equal(ss.shape.holm([0.6, 0.9]), [1.0, 1.0])  # 1.2 capped at 1, and monotone
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    for n in (1, 2, 5, 17):
        for p in (rng.uniform(size=n), np.round(rng.uniform(size=n), 1), rng.uniform(size=n) ** 6):  # ties, tiny p
            np.testing.assert_array_equal(ss.shape.holm(p), multipletests(p, method="holm")[1])  # bit for bit

def test_pair_error_rates_empty_for_flat_curve():
    x1, x2 = 2.0 ** np.arange(8, 13), np.array([10.0, 30, 100])
    test = {"theta_joint_1": np.array([0.9, 5.0, 0.5]), "theta_joint_2": np.array([0.1, 1e-7, 0.5]), "sigma": np.nan}
    out = ss.pair_error_rates(np.random.default_rng(0), x1, 100, x2, 100, test, form="power_saturating", reps=5)
    assert out.empty


def test_simulations_are_reproducible():
    kw = dict(x1=2.0 ** np.arange(8, 12), n1=200, x2=2.0 ** np.arange(0, 4), n2=300, reps=40)
    a = ss.same_shape_error_rates(np.random.default_rng(5), **kw)
    b = ss.same_shape_error_rates(np.random.default_rng(5), **kw)
    pd.testing.assert_frame_equal(a, b)


# ----------------------------------------------------------------------------- verdicts


def test_verdict_rules():
    V = ss.verdict_diminishing
    assert V(pd.Series(["diminishing"] * 3 + ["undetermined"]), 0.75) == "supported"
    assert V(pd.Series(["flat", "flat", "diminishing", "flat"]), 0.75) == "not supported"
    assert V(pd.Series(["undetermined", "undetermined"]), 0.75) == "inconclusive"
    assert V(pd.Series(["diminishing", "undetermined", "flat"]), 0.75) == "partly supported"
    assert V(pd.Series(["diminishing"] * 4 + ["non-monotone"]), 0.75) == "supported"  # 4 of 5 resolved hold
    assert V(pd.Series(["not identified", "undetermined"]), 0.75) == "inconclusive"
    S = ss.verdict_same_shape
    assert S([True, True, None], [0.9, 0.95, np.nan]) == "supported"
    assert S([True, True], [0.1, 0.2]) == "inconclusive"  # under-powered acceptances are unresolved
    assert S([False, False, False, True], [0.9, 0.9, 0.9, 0.9]) == "not supported"
    assert S([False, True, True], [0.9, 0.9, 0.9]) == "partly supported"
    assert S([None, None], [np.nan, np.nan]) == "inconclusive"


def test_zero_supporting_curves_never_give_partly_supported():
    """Issue 12: (a) was 'partly supported' with 0 of 6 search curves diminishing."""
    V = ss.verdict_diminishing
    for st in (["undetermined"] * 4 + ["flat"] * 2, ["flat", "accelerating"], ["undetermined", "flat"]):
        assert V(pd.Series(st), 0.75) in ("not supported", "inconclusive")
    assert ss.verdict_same_shape([False, None, True], [0.9, np.nan, 0.2]) == "not supported"


def test_verdict_fungible_needs_a_crossed_design():
    """Issue 12: no input is too little evidence (inconclusive), never 'supported'; a crossed design decides
    either way."""
    F = ss.verdict_fungible
    assert F() == "inconclusive" and F(None) == "inconclusive" and F([]) == "inconclusive"
    assert F(pd.DataFrame(columns=["outcome"])) == "inconclusive"
    assert F(ss.DESIGNS) == "inconclusive"  # the published designs: none sets both budgets
    assert F(["unresolved"]) == "inconclusive"
    assert F(["holds"]) == "supported" and F(["breaks"]) == "not supported"
    assert F(["holds", "breaks"]) == "partly supported"
    crossed = ss.DESIGNS[ss.DESIGNS["sets_reasoning_budget"] & ss.DESIGNS["sets_search_budget"]]
    assert crossed.empty  # no published or logged source sets both budgets
    C = ss.combine_verdicts
    assert C(["supported"] * 3) == "supported"
    assert C(["inconclusive"] * 3) == "inconclusive"
    assert C(["not supported", "inconclusive", "not supported"]) == "not supported"
    assert C(["supported", "inconclusive", "supported"]) == "partly supported"


# ----------------------------------------------------------------------------- the notebook's steps


def test_factorial_design_contrasts_against_pure_substitutes():
    m = ss.RSModel(interaction=0.5)
    opt = ss.substitution_summary(m, 0.6)
    fd = ss.factorial_design(m, opt, 4.0, [0.25, 0.5], alpha=0.05, power=0.8)
    d = fd["design"].set_index("interaction")
    assert list(d.index) == [0.0, 0.25, 0.5, 1.0]
    assert d.loc[0.0, "difference_vs_substitutes"] == 0 and np.isnan(d.loc[0.0, "n_per_cell"])
    assert d.loc[1.0, "did_logit"] > d.loc[0.5, "did_logit"] > d.loc[0.0, "did_logit"]  # complements: larger DiD
    assert fd["n_complements"] < fd["n_default"]  # a larger difference needs fewer questions per cell
    assert fd["r_pair"] == [opt["r_opt"] / 4, opt["r_opt"] * 4]
    none = ss.factorial_design(m, {"reachable": False}, 4.0, [0.5], alpha=0.05, power=0.8)
    assert none["design"].empty and np.isnan(none["n_default"])


def test_over_forcing_drop_matches_the_two_proportion_test():
    from statsmodels.stats.proportion import proportions_ztest

    curve = pd.DataFrame({"budget": [4.0, 1.0, 2.0, 8.0], "accuracy": [0.5, 0.3, 0.6, 0.4], "n": 100.0})
    o = ss.over_forcing_drop(curve)
    assert (o["peak_budget"], o["peak_accuracy"], o["last_budget"], o["last_accuracy"]) == (2.0, 0.6, 8.0, 0.4)
    assert o["p_value"] == pytest.approx(proportions_ztest([60, 40], [100, 100], alternative="larger")[1])


def test_judged_curves_and_catalogue():
    pub = ss.published_curves()
    lad = pub[pub["series"] == "s1-32B AIME24"].assign(series="mcpmark:x")
    assert len(ss.judged_curves(pub, lad, None)) == len(pub) + len(lad)
    user = lad.assign(series="mine")
    both = ss.judged_curves(pub, lad, user)  # with user curves the ladders leave: the user's rows are judged
    assert "user: mine" in set(both["series"]) and "mcpmark:x" not in set(both["series"])
    cat = ss.catalogue(pub)
    assert len(cat) == pub["series"].nunique() and (cat["points"] >= 3).all()


def test_set_versus_spent_reads_the_published_tables():
    svs = ss.set_versus_spent()
    co = svs["comovement"]
    assert len(co) >= 2 and co["calls rise with effort"].dtype == bool
    assert ((svs["caps"]["calls used / cap"] > 0) & (svs["caps"]["calls used / cap"] <= 1.0001)).all()


def test_shape_sensitivity_counts_testable_pairs():
    x_r, x_s = 2.0 ** np.arange(8, 14), 2.0 ** np.arange(0, 6)
    df = pd.DataFrame({"series": ["r"] * 6 + ["s"] * 6, "axis": ["reasoning_tokens"] * 6 + ["search_steps"] * 6,
                       "budget": np.r_[x_r, x_s], "accuracy": np.r_[ss.shape_curve("power_saturating", 0.9, 0.3, 0.6, x_r),
                                                                     ss.shape_curve("power_saturating", 0.8, 0.2, 0.6, x_s)],
                       "n": 500.0, "role": "curve"})
    s = ss.shape_sensitivity(df, [("power_saturating", "binomial"), ("logistic_log", "quasi")], search_axes=["search_steps"],
                             alpha=0.05)
    assert list(s["testable pairs"]) == [1, 1] and s.loc[0, "rejected"] == 0  # identical curvature: no rejection
    assert ss.shape_sensitivity(df, [("power_saturating", "binomial")], search_axes=["search_steps"], alpha=0.05,
                                untestable=["s"])["testable pairs"].tolist() == [0]


def test_kept_curve_fits_give_the_test_of_fresh_fits(rng):
    """A curve in several pairs is fitted once (``shape._SEP_FITS``): a pair tested after its curves were kept from
    other pairs gets exactly the result of fitting it from scratch."""
    from helpers.search_scaling import shape

    x1, x2 = 2.0 ** np.arange(8, 14), 2.0 ** np.arange(0, 6)
    y1 = rng.binomial(500, shape.shape_curve("power_saturating", 0.9, 0.3, 0.7, x1)) / 500
    y2, y3 = (rng.binomial(500, shape.shape_curve("power_saturating", 0.85, 0.2, c, x2)) / 500 for c in (0.7, 1.4))
    shape._SEP_FITS.clear(), shape._PAIR_FITS.clear()
    fresh = ss.same_shape_test(x1, y1, 500, x2, y2, 500)
    shape._SEP_FITS.clear(), shape._PAIR_FITS.clear()
    ss.same_shape_test(x1, y1, 500, x2, y3, 500)  # keeps curve 1's own fit
    ss.same_shape_test(x2, y2, 500, x1, y1, 500)  # keeps curve 2's own fit (other order)
    shape._PAIR_FITS.clear()
    kept = ss.same_shape_test(x1, y1, 500, x2, y2, 500)
    assert len(shape._SEP_FITS) == 3
    for k, v in fresh.items():
        np.testing.assert_array_equal(kept[k], v, err_msg=k)


def test_pairs_fitted_in_one_batch_get_the_fits_of_each_pair_alone(rng):
    """``shape._fit_pairs`` fits observed pairs of one size in one batch (one row per pair, budgets per row): each
    pair's kept fits and test are bit for bit those of fitting that pair alone, for both forms, binomial and
    Gaussian pairs; a pair alone in its size is left to ``same_shape_test``."""
    from helpers.search_scaling import shape

    xs = [2.0 ** np.arange(8, 13), 2.0 ** np.arange(6, 11) * 1.5, 2.0 ** np.arange(0, 7), 3.0 ** np.arange(0, 7),
          2.0 ** np.arange(1, 4)]
    curves_ = [(x, rng.binomial(200, shape.shape_curve("power_saturating", 0.9, 0.2, c, x)) / 200,
                np.full(len(x), 200.0)) for x, c in zip(xs, (0.6, 0.9, 0.4, 1.3, 0.8))]
    pairs = [a + b for a in curves_[:2] for b in curves_[2:]]
    pairs += [(x1, y1, None, x2, y2, None) for x1, y1, _, x2, y2, _ in pairs[:2]]  # Gaussian pairs
    pairs += [curves_[4] + curves_[2]]  # alone in its size
    for form in ("power_saturating", "logistic_log"):
        shape._SEP_FITS.clear(), shape._PAIR_FITS.clear()
        alone = [ss.same_shape_test(*p, form=form, dispersion=d, max_iter=60)
                 for p in pairs for d in ("binomial", "quasi")]
        shape._SEP_FITS.clear(), shape._PAIR_FITS.clear()
        shape._fit_pairs(pairs, form, 60)
        assert len(shape._PAIR_FITS) == len(pairs) - 1  # every pair but the one alone in its size
        batch = [ss.same_shape_test(*p, form=form, dispersion=d, max_iter=60)
                 for p in pairs for d in ("binomial", "quasi")]
        for a, b in zip(alone, batch):
            assert a.keys() == b.keys()
            for k in a:
                np.testing.assert_array_equal(b[k], a[k], err_msg=f"{form} {k}")
