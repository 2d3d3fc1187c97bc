"""Accuracy-versus-budget curves: fit, compare, and read off gains and ceilings.

Forms, for budget x > 0 (tokens, search steps or samples) and u = log2(x):

- ``log_linear``        f(x) = a + b·u                          (no ceiling; gain per doubling = b)
- ``power_saturating``  f(x) = A - B·x^(-c),   0 < A <= 1, B > 0, c > 0   (ceiling A)
- ``logistic_log``      f(x) = A / (1 + exp(-s·(u - m))),  0 < A <= 1, s > 0   (ceiling A)

Likelihood: binomial, Σ n·[y·log f + (1-y)·log(1-f)], when the number of
questions per point ``n`` is known; otherwise Gaussian with the variance
profiled out (NLL = N/2·log(RSS/N)). f is clipped to [1e-9, 1-1e-9] inside the
likelihood. Fits use bounded L-BFGS-B from several starts; the NLL's gradient by finite differences
(``fit_curve``'s default) or analytic (chain rule through ``Form.jac``; ``fit_all``'s default: faster).

Uncertainty: Wald intervals from the numerical Hessian of the NLL
(statsmodels' ``approx_hess``) for the parameters and, by the delta method, for
predictions and the gain per doubling f(2x) - f(x). The ceiling A gets a
profile-likelihood interval (threshold χ²₁(0.95)/2 = 1.92 above the minimum),
which stays honest at the bound A = 1. A ceiling is reported *not identifiable*
when its estimate sits at the bound or its profile interval touches 1 or is
wider than ``UNIDENTIFIED_WIDTH``: then notebooks print "not identified" rather
than an extrapolation.

AIC = 2·k + 2·NLL, with k counting the Gaussian variance when n is unknown.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats
from statsmodels.tools.numdiff import approx_fprime, approx_hess

from .validate import ParameterError

EPS = 1e-9
A_MAX = 1.0
UNIDENTIFIED_WIDTH = 0.5
LEVEL = 0.95
GRADIENTS = ("numeric", "analytic")  # how L-BFGS-B gets the NLL's gradient (``fit_curve``)


@dataclass(frozen=True)
class Form:
    name: str
    params: tuple[str, ...]
    predict: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (theta, x) -> f
    bounds: Callable[[np.ndarray, np.ndarray], list]  # (x, y) -> bounds
    starts: Callable[[np.ndarray, np.ndarray], list]  # (x, y) -> list of start vectors
    ceiling_index: int | None  # index of the ceiling parameter A, or None

    def jac(self, theta, x) -> np.ndarray:  # df/dtheta at budgets x, shape (len(x), k)
        return _jac(self.name, theta, x)


def _log_linear(theta, x):
    return theta[0] + theta[1] * np.log2(x)


def _power_saturating(theta, x):
    A, B, c = theta
    return A - B * np.power(x, -c)


def _logistic_log(theta, x):
    A, m, s = theta
    return A / (1.0 + np.exp(-s * (np.log2(x) - m)))


def _jac(form: str, theta, x) -> np.ndarray:
    u = np.log2(x)
    if form == "log_linear":
        return np.stack([np.ones_like(x), u], axis=-1)
    if form == "power_saturating":
        xc = np.power(x, -theta[2])
        return np.stack([np.ones_like(x), -xc, theta[1] * xc * np.log(x)], axis=-1)
    A, m, s = theta  # logistic_log
    sig = special.expit(s * (u - m))
    d = A * sig * (1.0 - sig)
    return np.stack([sig, -s * d, (u - m) * d], axis=-1)


def _ll_starts(x, y):
    b = np.polyfit(np.log2(x), y, 1) if len(x) > 1 else [0.0, y.mean()]
    return [np.array([b[1], b[0]])]


def _ps_starts(x, y):
    top = float(np.clip(y.max(), 0.05, 0.99))
    out = []
    for A in (min(1.0, top + 0.02), min(1.0, top + 0.15), 1.0):
        for c in (0.2, 0.6, 1.5):
            B = max((A - y.min()) * x.min() ** c, 1e-3)
            out.append(np.array([A, B, c]))
    return out


def _lg_starts(x, y):
    u = np.log2(x)
    top = float(np.clip(y.max(), 0.05, 0.99))
    out = []
    for A in (min(1.0, top + 0.02), min(1.0, top + 0.15), 1.0):
        for s in (0.3, 1.0):
            out.append(np.array([A, float(np.median(u)), s]))
    return out


FORMS: dict[str, Form] = {
    "log_linear": Form("log_linear", ("a", "b"), _log_linear,
                       lambda x, y: [(-5.0, 5.0), (-2.0, 2.0)], _ll_starts, None),
    "power_saturating": Form("power_saturating", ("A", "B", "c"), _power_saturating,
                             lambda x, y: [(1e-4, A_MAX), (1e-8, 1e6), (1e-3, 5.0)], _ps_starts, 0),
    "logistic_log": Form("logistic_log", ("A", "m", "s"), _logistic_log,
                         lambda x, y: [(1e-4, A_MAX), (-20.0, 60.0), (1e-3, 20.0)], _lg_starts, 0),
}


def nll(f: np.ndarray, y: np.ndarray, n: np.ndarray | None) -> float | np.ndarray:
    """Negative log-likelihood of accuracies ``y`` under predictions ``f`` (binomial or Gaussian).

    Sums over the last axis: a float for one curve, an array with one value per row for stacked
    replicate curves (``f``, ``y`` of shape (R, N)).
    """
    if n is not None:
        p = np.clip(f, EPS, 1 - EPS)
        out = -np.sum(n * (y * np.log(p) + (1 - y) * np.log1p(-p)), axis=-1)
    else:
        rss = np.sum((y - f) ** 2, axis=-1)
        N = np.shape(y)[-1]
        out = 0.5 * N * np.log(np.maximum(rss, 1e-300) / N)
    return float(out) if np.ndim(out) == 0 else out


def nll_grad_f(f: np.ndarray, y: np.ndarray, n: np.ndarray | None) -> np.ndarray:
    """d NLL / d f for one curve (``nll``'s derivative, 0 where the binomial clip to [EPS, 1 - EPS] binds)."""
    if n is not None:
        p = np.clip(f, EPS, 1 - EPS)
        return np.where((f > EPS) & (f < 1 - EPS), -n * (y / p - (1 - y) / (1 - p)), 0.0)
    rss = float(np.sum((y - f) ** 2))
    return -len(y) * (y - f) / rss if rss > 1e-300 else np.zeros_like(f)


def objective(F: Form, x, y, n, gradient: str = "numeric"):
    """The NLL of form ``F`` as a function of theta: the value ("numeric": the optimizer differences it) or
    (value, gradient) by the chain rule through ``F.jac`` ("analytic": minimize with ``jac=True``)."""
    if gradient == "numeric":
        return lambda th: nll(F.predict(th, x), y, n)

    def value_and_grad(th):
        f = F.predict(th, x)
        return nll(f, y, n), F.jac(th, x).T @ nll_grad_f(f, y, n)
    return value_and_grad


@dataclass
class CurveFit:
    form: str
    params: dict[str, float]
    theta: np.ndarray
    cov: np.ndarray | None
    nll: float
    aic: float
    r2: float
    x: np.ndarray
    y: np.ndarray
    n: np.ndarray | None
    asymptote: float | None = None
    asymptote_ci: tuple[float, float] | None = None
    asymptote_identifiable: bool | None = None
    at_bound: list[str] = field(default_factory=list)

    # ---- predictions
    def predict(self, x) -> np.ndarray:
        return FORMS[self.form].predict(self.theta, np.asarray(x, dtype=float))

    def _delta_se(self, g: Callable[[np.ndarray], np.ndarray]) -> np.ndarray | None:
        if self.cov is None or not np.all(np.isfinite(self.cov)):
            return None
        J = np.atleast_2d(approx_fprime(self.theta, g, centered=True))
        if J.shape[0] != np.atleast_1d(g(self.theta)).shape[0]:
            J = J.T
        var = np.einsum("ij,jk,ik->i", J, self.cov, J)
        return np.sqrt(np.clip(var, 0, None))

    def band(self, x, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Prediction and pointwise delta-method band (clipped to [0, 1])."""
        x = np.asarray(x, dtype=float)
        f = self.predict(x)
        se = self._delta_se(lambda th: FORMS[self.form].predict(th, x))
        if se is None:
            return f, np.full_like(f, np.nan), np.full_like(f, np.nan)
        z = stats.norm.ppf(0.5 + level / 2)
        return f, np.clip(f - z * se, 0, 1), np.clip(f + z * se, 0, 1)

    def gain_per_doubling(self, x, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """f(2x) - f(x) with a delta-method interval (accuracy points per doubling of budget)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        fn = FORMS[self.form].predict
        g = lambda th: fn(th, 2 * x) - fn(th, x)  # noqa: E731
        val = g(self.theta)
        se = self._delta_se(g)
        if se is None:
            nan = np.full_like(val, np.nan)
            return val, nan, nan
        z = stats.norm.ppf(0.5 + level / 2)
        return val, val - z * se, val + z * se

    def conf_int(self, level: float = LEVEL) -> dict[str, tuple[float, float]]:
        """Wald intervals of the parameters (NaN where the Hessian is singular)."""
        z = stats.norm.ppf(0.5 + level / 2)
        if self.cov is None:
            return {k: (np.nan, np.nan) for k in self.params}
        se = np.sqrt(np.clip(np.diag(self.cov), 0, None))
        return {k: (float(v - z * s), float(v + z * s)) for (k, v), s in zip(self.params.items(), se)}


def _check_inputs(x, y, n):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ParameterError("budgets and accuracies must be 1-D arrays of the same length")
    if len(x) < 3:
        raise ParameterError(f"a curve needs at least 3 points, got {len(x)}")
    if not np.all(np.isfinite(x)) or np.any(x <= 0):
        raise ParameterError("budgets must be positive and finite")
    if not np.all(np.isfinite(y)) or np.any((y < 0) | (y > 1)):
        raise ParameterError("accuracies must lie in [0, 1]")
    if n is not None:
        n = np.broadcast_to(np.asarray(n, dtype=float), x.shape).copy()
        if np.any(~np.isfinite(n)) or np.any(n <= 0):
            raise ParameterError("n (questions per point) must be positive")
    return x, y, n


def _minimize(obj, starts, bounds, jac: bool = False, max_starts: int | None = None):
    best = None  # max_starts: that many starts spread evenly over the list (first and last kept), None all
    if max_starts is not None and len(starts) > max_starts:
        starts = [starts[i] for i in np.unique(np.round(np.linspace(0, len(starts) - 1, max_starts)).astype(int))]
    for s0 in starts:
        s0 = np.array([np.clip(v, lo, hi) for v, (lo, hi) in zip(s0, bounds)], dtype=float)
        try:
            r = optimize.minimize(obj, s0, method="L-BFGS-B", bounds=bounds, jac=jac)
        except (ValueError, FloatingPointError):  # pragma: no cover - defensive
            continue
        if best is None or r.fun < best.fun:
            best = r
    return best


def fit_curve(x, y, n=None, form: str = "power_saturating", profile_points: int = 25,
              gradient: str = "numeric", profile: bool = True, profile_xtol: float = 1e-5, max_starts=None) -> CurveFit:
    """Fit one form to one curve; see the module docstring for the model, intervals and ``gradient`` (the
    Hessian is numerical either way). ``profile`` False skips the ceiling's profile interval (NaN ends, not
    identifiable; for a caller that discards it); ``profile_xtol``: root finding's tolerance on its ends;
    ``max_starts``: fit from at most that many of the form's starts (``_minimize``; None: every start)."""
    if form not in FORMS:
        raise ParameterError(f"form {form!r} is not one of {list(FORMS)}")
    if gradient not in GRADIENTS:
        raise ParameterError(f"gradient {gradient!r} is not one of {list(GRADIENTS)}")
    x, y, n = _check_inputs(x, y, n)
    F = FORMS[form]
    order = np.argsort(x)
    x, y = x[order], y[order]
    n = None if n is None else n[order]
    bounds = F.bounds(x, y)
    obj = objective(F, x, y, n)
    jac = gradient == "analytic"
    fobj = objective(F, x, y, n, gradient)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        res = _minimize(fobj, F.starts(x, y), bounds, jac, max_starts)
    theta = np.asarray(res.x, dtype=float)
    at_bound = [p for p, v, (lo, hi) in zip(F.params, theta, bounds)
                if np.isclose(v, lo, rtol=0, atol=1e-6 * max(1, abs(lo))) or
                np.isclose(v, hi, rtol=0, atol=1e-6 * max(1, abs(hi)))]
    cov = None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        try:
            H = approx_hess(theta, obj)
            if np.all(np.isfinite(H)):
                cov = np.linalg.pinv(H)
                if np.any(np.diag(cov) < 0):
                    cov = None
        except (np.linalg.LinAlgError, ValueError):  # pragma: no cover
            cov = None
    k, f = len(theta) + (1 if n is None else 0), F.predict(theta, x)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - f) ** 2)) / ss_tot if ss_tot > 0 else np.nan
    out = CurveFit(form, dict(zip(F.params, map(float, theta))), theta, cov, float(res.fun),
                   2 * k + 2 * float(res.fun), r2, x, y, n, at_bound=at_bound)
    if F.ceiling_index is not None:
        i, A = F.ceiling_index, float(theta[F.ceiling_index])
        if not profile:
            out.asymptote, out.asymptote_ci, out.asymptote_identifiable = A, (np.nan, np.nan), False
            return out
        lo, hi = _profile_ci(fobj if jac else obj, theta, i, bounds, res.fun, profile_points, jac, profile_xtol)
        out.asymptote = A
        out.asymptote_ci = (lo, hi)
        out.asymptote_identifiable = bool(
            F.params[i] not in at_bound and hi < A_MAX - 1e-3 and (hi - lo) <= UNIDENTIFIED_WIDTH)
    return out


def _profile_ci(obj, theta, i, bounds, fmin, points, jac: bool = False, xtol: float = 1e-5):
    """Profile-likelihood interval of parameter i: grid over its bounds, ends refined by root finding.
    ``jac``: ``obj`` returns (value, gradient)."""
    crit = stats.chi2.ppf(LEVEL, 1) / 2
    lo_b, hi_b = bounds[i]
    others = [j for j in range(len(theta)) if j != i]
    ob = [bounds[j] for j in others]

    @functools.lru_cache(maxsize=None)  # each value once: root finding starts at two grid points already profiled
    def profile(g):
        def sub(t):
            full = np.empty(len(theta))
            full[i], full[others] = g, t
            v = obj(full)
            return (v[0], v[1][others]) if jac else v
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return _minimize(sub, [theta[others]], ob, jac).fun - (fmin + crit)

    grid = np.unique(np.concatenate([np.linspace(lo_b, hi_b, points), [theta[i]]]))
    prof = np.array([profile(g) for g in grid])  # a 1-D grid over the ceiling, not a loop over data
    inside = np.flatnonzero(prof <= 0)
    if inside.size == 0:
        return float(theta[i]), float(theta[i])
    a, b = inside.min(), inside.max()
    lo = grid[a] if a == 0 else optimize.brentq(profile, grid[a - 1], grid[a], xtol=xtol)
    hi = grid[b] if b == len(grid) - 1 else optimize.brentq(profile, grid[b], grid[b + 1], xtol=xtol)
    return float(lo), float(hi)


def simulate_curve(form: str, params: dict | Sequence[float], budgets, n, rng: np.random.Generator) -> np.ndarray:
    """Binomial accuracies at ``budgets`` from a known curve (for recovery tests)."""
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    F = FORMS[form]
    theta = np.array([params[p] for p in F.params] if isinstance(params, dict) else params, dtype=float)
    p = np.clip(F.predict(theta, np.asarray(budgets, dtype=float)), 0, 1)
    n = np.broadcast_to(np.asarray(n), p.shape)
    return rng.binomial(n.astype(np.int64), p) / n


def fit_all(df: pd.DataFrame, *, series: str = "series", budget: str = "budget", accuracy: str = "accuracy",
            n: str | None = "n", forms: Sequence[str] = tuple(FORMS), extra: Sequence[str] = (), profile_xtol=1e-5,
            profile_points: int = 25, gradient: str = "analytic", profile_interpolating: bool = True, max_starts=None):
    """Fit every form to every series of a tidy frame; one row per (series, form).

    Columns: series, form, params (dict), aic, aic_valid, r2, asymptote, asymptote_lo, asymptote_hi,
    asymptote_identifiable, gain_per_doubling_low/_high (+ _lo/_hi interval ends, at the smallest and largest
    observed budget), likelihood ("binomial" when every point has n, else "gaussian"), n_points, best (lowest
    valid AIC in the series), fit (the CurveFit object), and any ``extra`` columns carried from the series' first
    row. With the Gaussian likelihood a form with as many mean parameters as points has no residual variance,
    so its AIC is meaningless: ``aic`` is NaN, ``aic_valid`` False, ``best`` skips it. ``gradient``,
    ``profile_xtol``, ``max_starts``: ``fit_curve``'s (analytic here); ``profile_interpolating`` False: no
    profile interval (NaN ends, not identifiable) for a form with as many parameters as points or more."""
    rows = []
    for name, g in df.groupby(series, sort=True):
        g = g.sort_values(budget)
        binom = bool(n and n in g and g[n].notna().all())
        nn = g[n].to_numpy(float) if binom else None
        x = g[budget].to_numpy(float)
        for form in forms:
            fit = fit_curve(x, g[accuracy].to_numpy(float), nn, form, profile_points=profile_points, gradient=gradient,
                            profile_xtol=profile_xtol, max_starts=max_starts,
                            profile=profile_interpolating or len(x) > len(FORMS[form].params))
            gl, gh = fit.gain_per_doubling(x.min()), fit.gain_per_doubling(x.max())
            valid = binom or len(x) > len(FORMS[form].params)
            row = {"series": name, "form": form, "params": fit.params, "aic": fit.aic if valid else np.nan,
                   "aic_valid": valid, "r2": fit.r2, "asymptote": fit.asymptote,
                   "asymptote_lo": None if fit.asymptote_ci is None else fit.asymptote_ci[0],
                   "asymptote_hi": None if fit.asymptote_ci is None else fit.asymptote_ci[1],
                   "asymptote_identifiable": fit.asymptote_identifiable,
                   "gain_per_doubling_low": float(gl[0][0]), "gain_per_doubling_low_lo": float(gl[1][0]),
                   "gain_per_doubling_low_hi": float(gl[2][0]),
                   "gain_per_doubling_high": float(gh[0][0]), "gain_per_doubling_high_lo": float(gh[1][0]),
                   "gain_per_doubling_high_hi": float(gh[2][0]),
                   "likelihood": "binomial" if binom else "gaussian", "n_points": len(x), "fit": fit}
            for c in extra:
                row[c] = g[c].iloc[0]
            rows.append(row)
    out = pd.DataFrame(rows)
    best_aic = out.groupby("series")["aic"].transform("min")
    out["best"] = out["aic_valid"] & (out["aic"] == best_aic)
    return out


def describe_asymptote(fit: CurveFit) -> str:
    """Text for a ceiling: the value with its interval, or 'not identified' (never a bare extrapolation)."""
    if fit.asymptote is None:
        return "no ceiling in this form"
    lo, hi = fit.asymptote_ci
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "not identified (as many parameters as points: no interval)"
    if not fit.asymptote_identifiable:
        return f"not identified by these data (profile interval {lo:.2f} to {hi:.2f})"
    return f"{fit.asymptote:.3f} (95% profile interval {lo:.3f} to {hi:.3f})"
