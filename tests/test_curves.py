"""Curve fits recover known parameters, flag unidentifiable ceilings, and reject bad input."""
import numpy as np
import pandas as pd
import pytest

from helpers import curves as C
from helpers.validate import ParameterError

X = 2.0 ** np.arange(0, 11)


@pytest.mark.parametrize("form, truth", [
    ("power_saturating", dict(A=0.8, B=0.6, c=0.5)),
    ("logistic_log", dict(A=0.7, m=4.0, s=0.8)),
    ("log_linear", dict(a=0.2, b=0.05)),
])
def test_recovery_within_intervals(form, truth):
    """Over 40 seeds the 95% Wald intervals cover the truth about 95% of the time (at least 80%)."""
    hits = {k: 0 for k in truth}
    reps = 40
    for s in range(reps):
        rng = np.random.default_rng(1000 + s)
        y = C.simulate_curve(form, truth, X, 400, rng)
        fit = C.fit_curve(X, y, 400, form, profile=False)  # Wald intervals: the ceiling's profile is not read
        for k, (lo, hi) in fit.conf_int().items():
            hits[k] += lo <= truth[k] <= hi
    for k, h in hits.items():
        assert h / reps >= 0.8, (form, k, h)


def test_ceiling_profile_interval_covers_truth_and_is_identified():
    """Coverage of the profile interval on the analytic-gradient path, which ``fit_all`` and the notebooks use
    (the numeric path reaches the same interval: test_analytic_and_numeric_gradients_reach_the_same_optimum)."""
    covered = 0
    for s in range(25):
        y = C.simulate_curve("power_saturating", dict(A=0.75, B=0.7, c=0.6), X, 500, np.random.default_rng(s))
        fit = C.fit_curve(X, y, 500, "power_saturating", gradient="analytic")
        lo, hi = fit.asymptote_ci
        covered += lo <= 0.75 <= hi
        assert fit.asymptote_identifiable
        assert 0 < fit.asymptote <= 1
    assert covered >= 21


def test_coarser_profile_tolerance_moves_only_the_ceiling_interval_ends():
    """``profile_xtol`` (quick mode's 1e-2) refines the profile interval's ends less: they stay within that
    tolerance of the default ones; the fit itself is unchanged."""
    y = C.simulate_curve("power_saturating", dict(A=0.75, B=0.7, c=0.6), X, 500, np.random.default_rng(3))
    fine = C.fit_curve(X, y, 500, "power_saturating", gradient="analytic")
    coarse = C.fit_curve(X, y, 500, "power_saturating", gradient="analytic", profile_xtol=1e-2)
    assert np.array_equal(fine.theta, coarse.theta) and fine.aic == coarse.aic
    assert np.allclose(coarse.asymptote_ci, fine.asymptote_ci, rtol=0, atol=1e-2)
    assert coarse.asymptote_ci != fine.asymptote_ci  # the tolerance reaches the root finding
    assert coarse.asymptote_identifiable == fine.asymptote_identifiable


def test_unidentifiable_ceiling_is_flagged_not_extrapolated():
    # a curve still climbing steeply at the last budget: the data cannot pin its ceiling
    y = C.simulate_curve("power_saturating", dict(A=0.95, B=0.9, c=0.1), X[:5], 100, np.random.default_rng(3))
    fit = C.fit_curve(X[:5], y, 100, "power_saturating")
    assert fit.asymptote_identifiable is False
    assert "not identified" in C.describe_asymptote(fit)
    assert fit.asymptote_ci[1] == pytest.approx(1.0)


def test_aic_prefers_the_generating_form():
    wins = 0
    for s in range(10):
        y = C.simulate_curve("logistic_log", dict(A=0.9, m=5.0, s=1.2), X, 1000, np.random.default_rng(s))
        df = pd.DataFrame({"series": "a", "budget": X, "accuracy": y, "n": 1000})
        fits = C.fit_all(df)
        wins += fits.loc[fits["best"], "form"].iloc[0] == "logistic_log"
    assert wins >= 8


def test_gain_per_doubling_closed_forms():
    y = C.simulate_curve("log_linear", dict(a=0.1, b=0.04), X, 10_000, np.random.default_rng(0))
    fit = C.fit_curve(X, y, 10_000, "log_linear")
    g, lo, hi = fit.gain_per_doubling([1.0, 64.0, 1024.0])
    assert np.allclose(g, fit.params["b"])  # log-linear: constant gain per doubling
    assert np.all(lo < 0.04) and np.all(hi > 0.04)
    fit = C.fit_curve(X, C.simulate_curve("power_saturating", dict(A=0.8, B=0.6, c=0.5), X, 1000,
                                          np.random.default_rng(1)), 1000, "power_saturating")
    A, B, c = fit.theta
    x = np.array([2.0, 300.0])
    assert np.allclose(fit.gain_per_doubling(x)[0], B * x ** -c * (1 - 2.0 ** -c))
    g = fit.gain_per_doubling(X)[0]
    assert np.all(np.diff(g) < 0)  # diminishing returns: the gain per doubling falls with budget


def test_gaussian_fit_without_n_and_band():
    y = C.FORMS["power_saturating"].predict(np.array([0.8, 0.6, 0.5]), X) + \
        np.random.default_rng(0).normal(0, 0.005, X.size)
    fit = C.fit_curve(X, np.clip(y, 0, 1), None, "power_saturating")
    assert fit.params["A"] == pytest.approx(0.8, abs=0.03)
    f, lo, hi = fit.band(X)
    assert np.all(lo <= f) and np.all(f <= hi)
    assert fit.aic == pytest.approx(2 * 4 + 2 * fit.nll)  # 3 parameters + the Gaussian variance


@pytest.mark.parametrize("x, y, n, match", [
    ([1, 2], [0.1, 0.2], None, "at least 3 points"),
    ([1, 2, -4], [0.1, 0.2, 0.3], None, "budgets must be positive"),
    ([1, 2, 4], [0.1, 0.2, 1.3], None, r"accuracies must lie in \[0, 1\]"),
    ([1, 2, 4], [0.1, 0.2, 0.3], 0, "n .* must be positive"),
])
def test_bad_input(x, y, n, match):
    with pytest.raises(ParameterError, match=match):
        C.fit_curve(x, y, n)


def test_unknown_form_and_rng():
    with pytest.raises(ParameterError, match="form 'cubic'"):
        C.fit_curve(X, np.linspace(0.1, 0.5, X.size), None, "cubic")
    with pytest.raises(ParameterError, match="Generator"):
        C.simulate_curve("log_linear", dict(a=0.1, b=0.01), X, 10, np.random.RandomState(0))


def test_saturated_gaussian_fit_has_no_aic_and_is_never_best():
    x = np.array([1.0, 4.0, 16.0])
    df = pd.DataFrame({"series": "s", "budget": x, "accuracy": [0.2, 0.35, 0.42]})
    fits = C.fit_all(df, n=None).set_index("form")
    assert not fits.loc["power_saturating", "aic_valid"] and np.isnan(fits.loc["power_saturating", "aic"])
    assert fits.loc["log_linear", "best"] and fits["best"].sum() == 1
    assert (fits["likelihood"] == "gaussian").all() and (fits["n_points"] == 3).all()


def test_nll_of_stacked_curves_equals_one_curve_at_a_time(rng):
    f = rng.uniform(0.05, 0.95, (4, 6))
    y = rng.uniform(0, 1, (4, 6))
    n = np.array([30, 50, 100, 100, 200, 10.0])
    for nn in (n, None):
        rows = C.nll(f, y, nn)
        assert rows.shape == (4,)
        for i in range(4):
            assert isinstance(C.nll(f[i], y[i], nn), float)
            assert rows[i] == pytest.approx(C.nll(f[i], y[i], nn))


@pytest.mark.parametrize("form, theta", [("power_saturating", [0.8, 0.6, 0.5]), ("logistic_log", [0.7, 4.0, 0.8]),
                                         ("log_linear", [0.2, 0.05])])
@pytest.mark.parametrize("n", [400, None])
def test_analytic_gradient_matches_central_differences(form, theta, n):
    from scipy.optimize import approx_fprime
    F = C.FORMS[form]
    y = C.simulate_curve(form, theta, X, 400, np.random.default_rng(7))
    obj = C.objective(F, X, y, n)
    both = C.objective(F, X, y, n, "analytic")
    th = np.array(theta) * 1.05  # away from the optimum, where the gradient is not ~0
    val, grad = both(th)
    assert val == obj(th)
    np.testing.assert_allclose(grad, approx_fprime(th, obj, 1e-7), rtol=1e-4, atol=1e-4 * max(1.0, np.abs(grad).max()))


def test_profile_interval_is_unchanged_by_profiling_each_value_once(monkeypatch):
    """``_profile_ci`` keeps each profile value (root finding starts at two grid points the grid profiled): the
    interval is bit for bit that of profiling every value again, with fewer fits."""
    y = C.simulate_curve("power_saturating", dict(A=0.8, B=0.6, c=0.5), X, 400, np.random.default_rng(4))
    calls, minimize = [], C._minimize
    monkeypatch.setattr(C, "_minimize", lambda *a, **k: calls.append(1) or minimize(*a, **k))
    kept = C.fit_curve(X, y, 400, "power_saturating", gradient="analytic", profile_points=8)
    n_kept = len(calls)
    monkeypatch.setattr(C.functools, "lru_cache", lambda maxsize=None: lambda f: f)  # every value profiled again
    again = C.fit_curve(X, y, 400, "power_saturating", gradient="analytic", profile_points=8)
    assert kept.asymptote_ci == again.asymptote_ci and np.isfinite(kept.asymptote_ci).all()
    assert len(calls) - n_kept > n_kept


def test_analytic_and_numeric_gradients_reach_the_same_optimum():
    for s in range(5):
        y = C.simulate_curve("power_saturating", dict(A=0.8, B=0.6, c=0.5), X, 400, np.random.default_rng(s))
        num = C.fit_curve(X, y, 400, "power_saturating", gradient="numeric")
        ana = C.fit_curve(X, y, 400, "power_saturating", gradient="analytic")
        assert ana.nll <= num.nll + 1e-6
        np.testing.assert_allclose(ana.theta, num.theta, rtol=2e-3, atol=2e-3)
        np.testing.assert_allclose(ana.asymptote_ci, num.asymptote_ci, atol=2e-3)
    with pytest.raises(ParameterError, match="gradient"):
        C.fit_curve(X, y, 400, "power_saturating", gradient="exact")


def test_fewer_starts_reach_the_optimum_of_every_start_on_a_clean_curve(rng):
    """``max_starts`` (quick runs): at least as many starts as the form has is every start (the same fit); two of
    them reach the optimum of all on a well-identified curve."""
    for form, truth in (("power_saturating", dict(A=0.8, B=0.6, c=0.5)), ("logistic_log", dict(A=0.7, m=4.0, s=0.8))):
        y = C.simulate_curve(form, truth, X, 400, rng)
        full = C.fit_curve(X, y, 400, form, gradient="analytic")
        same = C.fit_curve(X, y, 400, form, gradient="analytic", max_starts=50)
        two = C.fit_curve(X, y, 400, form, gradient="analytic", max_starts=2)
        np.testing.assert_array_equal(same.theta, full.theta)
        assert two.nll == pytest.approx(full.nll, abs=1e-6), form
