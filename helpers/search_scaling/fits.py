"""Curve fits of every series and the diminishing-returns test of part (a).

Every form of ``helpers.curves.FORMS`` is fitted to every series (a form with as many parameters as
points has no honest interval: not identified). A curve's returns diminish when the gain per doubling at
its smallest budget minus that at its largest has a 1-α interval above 0: from the lower-AIC saturating
fit (delta method) or form-free from the end slopes (``piecewise_gain_drop``). Significant drops make a
curve non-monotone; a fitted rise below a tolerance makes it flat.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.tools.numdiff import approx_fprime

from .. import curves, validate

SHAPE_PARAM = {"power_saturating": "c", "logistic_log": "s"}
SATURATING = ("power_saturating", "logistic_log")


def fit_table(df: pd.DataFrame, profile_points: int = 60, profile_xtol: float = 1e-5,
              max_starts: int | None = None) -> pd.DataFrame:
    """Every form of ``helpers.curves.FORMS`` fitted to every series (``curves.fit_all``).

    The columns of ``curves.fit_all`` plus axis, source, role, identified and curvature (the shape
    parameter with its Wald interval). ``profile_points`` (the ceiling's profile grid) and ``profile_xtol`` (how
    closely its interval's ends are refined, ``curves.fit_curve``) trade precision for speed, and so does
    ``max_starts`` (each form fitted from at most that many of its starting points; None: all of them).
    A form with as many parameters as points (or more) interpolates the points: nothing is left to estimate
    its uncertainty from, so ``identified`` is False and its intervals (curvature, ceiling, gains) are NaN
    and its ceiling "not identified" (never a zero-width interval).
    """
    validate.integer("profile_points", profile_points, 5, 1000)
    # analytic gradients (several times faster than finite differences); no profile for a form that
    # interpolates its points (its interval is discarded below)
    out = curves.fit_all(df, extra=("axis", "source", "role"), profile_points=profile_points, gradient="analytic",
                         profile_interpolating=False, profile_xtol=profile_xtol, max_starts=max_starts)
    k = out["form"].map(lambda f: len(curves.FORMS[f].params))
    out["identified"] = out["n_points"] > k
    for i in np.flatnonzero(~out["identified"].to_numpy()):  # parameters >= points: no interval is honest
        fit = out["fit"].iat[i]
        fit.cov = None
        if fit.asymptote is not None:
            fit.asymptote_ci = (np.nan, np.nan)
            fit.asymptote_identifiable = False
    nan_cols = ["gain_per_doubling_low_lo", "gain_per_doubling_low_hi", "gain_per_doubling_high_lo",
                "gain_per_doubling_high_hi"]
    bad = ~out["identified"]
    out.loc[bad, nan_cols] = np.nan
    sat = bad & out["form"].isin(SATURATING)
    out.loc[sat, ["asymptote_lo", "asymptote_hi"]] = np.nan
    out.loc[sat, "asymptote_identifiable"] = False
    sp = out["form"].map(SHAPE_PARAM)
    cis = [f.conf_int() for f in out["fit"]]
    out["curvature"] = [p[k] if isinstance(k, str) else np.nan for p, k in zip(out["params"], sp)]
    out["curvature_lo"] = [ci[k][0] if isinstance(k, str) else np.nan for ci, k in zip(cis, sp)]
    out["curvature_hi"] = [ci[k][1] if isinstance(k, str) else np.nan for ci, k in zip(cis, sp)]
    return out


def gain_drop(fit: curves.CurveFit, x_low: float, x_high: float, level: float = 0.95) -> tuple[float, float, float]:
    """[f(2x_low) - f(x_low)] - [f(2x_high) - f(x_high)]: how much the gain per doubling shrinks, with a
    delta-method interval (NaN ends when the fit has no covariance)."""
    fn = curves.FORMS[fit.form].predict
    g = lambda th: (fn(th, 2 * x_low) - fn(th, x_low)) - (fn(th, 2 * x_high) - fn(th, x_high))  # noqa: E731
    val = float(g(fit.theta))
    if fit.cov is None or not np.all(np.isfinite(fit.cov)):
        return val, np.nan, np.nan
    J = np.atleast_1d(approx_fprime(fit.theta, g, centered=True)).ravel()
    se = float(np.sqrt(max(J @ fit.cov @ J, 0.0)))
    z = stats.norm.ppf(0.5 + level / 2)
    return val, val - z * se, val + z * se


def significant_drops(x, y, n, alpha: float, tolerance: float) -> list[dict]:
    """Consecutive points where accuracy falls by more than ``tolerance`` (and, when n is known, significantly
    by a two-proportion z-test at ``alpha``, one-sided)."""
    from statsmodels.stats.proportion import proportions_ztest

    out = []
    for i in range(len(x) - 1):
        drop = y[i] - y[i + 1]
        if drop <= tolerance:
            continue
        if n is None:
            out.append({"from_budget": x[i], "to_budget": x[i + 1], "drop": drop, "p_value": np.nan})
            continue
        cnt = np.round(np.array([y[i] * n[i], y[i + 1] * n[i + 1]]))
        _, pv = proportions_ztest(cnt, np.array([n[i], n[i + 1]]), alternative="larger")
        if pv < alpha:
            out.append({"from_budget": x[i], "to_budget": x[i + 1], "drop": drop, "p_value": float(pv)})
    return out


def piecewise_gain_drop(x, y, n, level: float = 0.95) -> tuple[float, float, float]:
    """Form-free drop in the gain per doubling: the slope (per doubling) between the two smallest budgets
    minus the slope between the two largest, with a Wald interval from binomial variances p(1-p)/n per
    point (NaN ends when n is unknown). Needs 3 points or more; it is identified with exactly 3."""
    u = np.log2(np.asarray(x, float))
    y = np.asarray(y, float)
    c = np.zeros_like(y)
    c[0] -= 1 / (u[1] - u[0])
    c[1] += 1 / (u[1] - u[0])
    c[-1] -= 1 / (u[-1] - u[-2])
    c[-2] += 1 / (u[-1] - u[-2])
    d = float(c @ y)  # first slope minus last slope
    if n is None:
        return d, np.nan, np.nan
    n = np.asarray(n, float)
    v = np.clip(y, 0.5 / n, 1 - 0.5 / n)
    se = float(np.sqrt(np.sum(c ** 2 * v * (1 - v) / n)))
    z = stats.norm.ppf(0.5 + level / 2)
    return d, d - z * se, d + z * se


DR_METHODS = ("fit", "piecewise")


def diminishing_returns(df: pd.DataFrame, fits: pd.DataFrame, *, alpha: float = 0.05, flat_tolerance: float = 0.03,
                        drop_tolerance: float = 0.02, method: str = "fit") -> pd.DataFrame:
    """Classify each series: non-monotone | flat | diminishing | accelerating | undetermined | not identified.

    - non-monotone: some consecutive drop > ``drop_tolerance`` (significant at ``alpha`` when n is known);
    - not identified (``method`` "fit"): the lower-AIC saturating form has as many parameters as the series
      has points, so its gain per doubling has no interval;
    - flat: the rise over the observed range < ``flat_tolerance`` (fitted f(x_max) - f(x_min) with the
      lower-AIC saturating form for "fit"; observed for "piecewise");
    - diminishing / accelerating: the gain per doubling at the smallest budget minus that at the largest
      has a 1-α interval above / below 0 (``gain_drop`` of the saturating fit for "fit"; the form-free
      ``piecewise_gain_drop`` for "piecewise"); otherwise undetermined.
    ``diminishing`` is True only for the diminishing class.
    """
    validate.choice("method", method, list(DR_METHODS))
    rows = []
    sat = fits[fits["form"].isin(SATURATING)]
    sat_by = dict(iter(sat.groupby("series", sort=False)))  # each series' saturating fits (in fits' order), split once
    for name, g in df.groupby("series", sort=True):
        g = g.sort_values("budget")
        x, y = g["budget"].to_numpy(float), g["accuracy"].to_numpy(float)
        n = g["n"].to_numpy(float) if g["n"].notna().all() else None
        f = sat_by.get(name, sat.iloc[:0])
        fv = f[f["aic_valid"]]
        pick = (fv if len(fv) else f).sort_values("aic", na_position="last").iloc[0]
        fit = pick["fit"]
        identified = bool(pick.get("identified", len(x) > len(curves.FORMS[pick["form"]].params)))
        drops = significant_drops(x, y, n, alpha, drop_tolerance)
        if method == "fit":
            rise = float(fit.predict(x.max()) - fit.predict(x.min()))
            d, lo, hi = gain_drop(fit, x.min(), x.max(), 1 - alpha)
        else:
            rise = float(y[-1] - y[0])
            d, lo, hi = piecewise_gain_drop(x, y, n, 1 - alpha)
            identified = True
        if drops:
            status = "non-monotone"
        elif not identified:
            status = "not identified"
        elif rise < flat_tolerance:
            status = "flat"
        elif np.isfinite(lo) and lo > 0:
            status = "diminishing"
        elif np.isfinite(hi) and hi < 0:
            status = "accelerating"
        else:
            status = "undetermined"
        rows.append({"series": name, "axis": g["axis"].iloc[0], "role": g["role"].iloc[0],
                     "form": pick["form"] if method == "fit" else "piecewise",
                     "n_points": len(x), "rise": rise, "gain_drop": d, "gain_drop_lo": lo, "gain_drop_hi": hi,
                     "n_significant_drops": len(drops), "largest_drop": max([r["drop"] for r in drops], default=0.0),
                     "status": status, "diminishing": status == "diminishing"})
    return pd.DataFrame(rows)


def over_forcing_drop(curve: pd.DataFrame) -> dict:
    """The fall from a curve's peak to its last (largest-budget) point, with a one-sided two-proportion z-test.

    ``curve``: one series' rows (budget, accuracy, n). Returns peak and last (budget, accuracy), n at the last
    point and the one-sided p of "accuracy at the peak is larger".
    """
    from statsmodels.stats.proportion import proportions_ztest

    over = curve.sort_values("budget")
    peak = over["accuracy"].idxmax()
    last = over.index[-1]
    cnt = np.round([over.loc[peak, "accuracy"] * over.loc[peak, "n"], over.loc[last, "accuracy"] * over.loc[last, "n"]])
    _, p = proportions_ztest(cnt, [over.loc[peak, "n"], over.loc[last, "n"]], alternative="larger")
    return {"peak_budget": over.loc[peak, "budget"], "peak_accuracy": over.loc[peak, "accuracy"],
            "last_budget": over.loc[last, "budget"], "last_accuracy": over.loc[last, "accuracy"],
            "n": over.loc[last, "n"], "p_value": p}
