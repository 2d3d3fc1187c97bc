"""Fitting the Beta mixture (and generic forms) to an aggregate pass@k curve.

Aggregate pass@k curve only: least squares or binomial likelihood (``curves.nll``) of
``sampling.beta_coverage``; with ``read_sd`` (reading error of a digitised figure) a Gaussian likelihood
with variance y(1-y)/n + read_sd². The ceiling 1 - pi0 gets a profile-likelihood interval as for counts.

The generic forms of ``helpers.curves`` are compared on the same curves; the exponentiated power law
coverage ≈ exp(-alpha·k^(-beta)) (``fit_exp_power_law``) has its ceiling fixed at 1 by construction.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from .. import curves
from ..validate import ParameterError
from .fit_counts import (LOG_A_BOUNDS, LOG_B_BOUNDS, LOGIT_PI0_BOUNDS, OPTIMIZER, PROFILE_CRIT, MixtureFit,
                         _profile_interval, _unpack)
from .model import BetaMixture

# ---------------------------------------------------------------- fits to an aggregate curve


def _curve_nll(f, y, n, read_sd):
    if read_sd is not None:
        var = y * (1 - y) / (n if n is not None else np.inf) + read_sd ** 2
        return float(0.5 * np.sum((y - f) ** 2 / var + np.log(2 * np.pi * var)))
    return curves.nll(f, y, n)


def _check_curve(k, y, n):
    k = np.asarray(k, dtype=float)
    y = np.asarray(y, dtype=float)
    if k.ndim != 1 or k.shape != y.shape or k.size < 3:
        raise ParameterError("a curve needs at least 3 (samples, accuracy) points")
    if np.any(k < 1) or np.any(k != np.floor(k)):
        raise ParameterError("samples must be whole numbers >= 1")
    if np.any(~np.isfinite(y)) or np.any((y < 0) | (y > 1)):
        raise ParameterError("accuracies must lie in [0, 1]")
    if n is not None:
        n = np.broadcast_to(np.asarray(n, dtype=float), k.shape)
        if np.any(n <= 0):
            raise ParameterError("n (problems per point) must be positive")
    o = np.argsort(k)
    return k[o], y[o], (None if n is None else n[o])



def _curve_objective(theta, k, y, n, read_sd, pi0_fixed=None, ab_only=False):
    """NLL of a pass@k curve under the Beta mixture and its gradient in (logit pi0, log a, log b)."""
    pi0 = special.expit(theta[0]) if pi0_fixed is None else float(pi0_fixed)
    a, b = np.exp(theta[1]), np.exp(theta[2])
    log_r = special.betaln(a, b + k) - special.betaln(a, b)  # log B(a, b+k)/B(a, b)
    f = (1 - pi0) * -np.expm1(log_r)  # sampling.beta_coverage(k, a, b, pi0) on arguments valid by construction
    R = np.exp(log_r)  # B(a, b+k)/B(a, b), for the gradient
    fc = np.clip(f, curves.EPS, 1 - curves.EPS)
    if read_sd is not None:
        var = y * (1 - y) / (n if n is not None else np.inf) + read_sd ** 2
        val = float(0.5 * np.sum((y - f) ** 2 / var + np.log(2 * np.pi * var)))
        dval = (f - y) / var
    elif n is not None:
        val = curves.nll(f, y, n)
        dval = -n * (y / fc - (1 - y) / (1 - fc))
    else:
        val = curves.nll(f, y, None)
        rss = max(float(np.sum((y - f) ** 2)), 1e-300)
        dval = -y.size * (y - f) / rss
    dab = special.digamma(a + b) - special.digamma(a + b + k)
    df_la = -(1 - pi0) * a * R * dab
    df_lb = -(1 - pi0) * b * R * (special.digamma(b + k) - special.digamma(b) + dab)
    df_u = -(1 - R) * pi0 * (1 - pi0) if pi0_fixed is None else np.zeros_like(f)
    grad = np.array([np.dot(dval, df_u), np.dot(dval, df_la), np.dot(dval, df_lb)])
    return val, (grad[1:] if ab_only else grad)


def fit_beta_mixture_curve(k, y, n=None, *, read_sd: float | None = None, max_width: float = 0.2,
                           profile_points: int = 40, profile_xtol: float = 1e-5) -> MixtureFit:
    """Fit (pi0, a, b) to an aggregate pass@k curve; profile-likelihood interval of the ceiling 1 - pi0 (ends
    refined to ``profile_xtol``)."""
    k, y, n = _check_curve(k, y, n)

    bounds = [LOGIT_PI0_BOUNDS, LOG_A_BOUNDS, LOG_B_BOUNDS]
    top = float(y.max())
    best = None
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for ceil0 in (min(top + 0.02, 0.999), 0.9999):
            for a0, b0 in ((0.2, 2.0), (1.0, 1.0), (0.5, 10.0)):
                s0 = np.array([special.logit(1 - ceil0), np.log(a0), np.log(b0)])
                r = optimize.minimize(_curve_objective, s0, args=(k, y, n, read_sd, None), jac=True,
                                      method=OPTIMIZER, bounds=bounds)
                if np.isfinite(r.fun) and (best is None or r.fun < best.fun):
                    best = r
    pi0, a, b = _unpack(best.x)
    pi0 = 0.0 if pi0 <= special.expit(LOGIT_PI0_BOUNDS[0]) * 1.01 else float(pi0)
    fit = MixtureFit(BetaMixture(pi0, float(a), float(b)), float(best.fun), "curve", None)
    fit.extras["theta"] = np.asarray(best.x, dtype=float)

    # profile over the ceiling: for each fixed ceiling minimise over (log a, log b)
    def evaluate(ceil, start):
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            r = optimize.minimize(lambda t: _curve_objective(np.r_[0.0, t], k, y, n, read_sd, 1 - ceil, True),
                                  start, jac=True, method=OPTIMIZER, bounds=bounds[1:])
        return r.fun - best.fun - PROFILE_CRIT, r.x

    grid = np.unique(np.concatenate([np.linspace(max(1e-3, top - 0.1), 1.0, profile_points), [fit.ceiling]]))
    i0 = int(np.argmin(np.abs(grid - fit.ceiling)))
    lo, hi, fit.profile = _profile_interval(grid, i0, evaluate, best.x[1:], xtol=profile_xtol)
    fit.ceiling_ci = (lo, hi)
    fit.identifiable = bool(hi - lo <= max_width)
    return fit


@dataclass
class ExpPowerFit:
    """coverage ≈ exp(-alpha·k^(-beta)): a generic form whose ceiling is 1 by construction."""
    alpha: float
    beta: float
    nll: float

    def predict(self, k):
        return np.exp(-self.alpha * np.power(np.asarray(k, dtype=float), -self.beta))

    asymptote = 1.0


def fit_exp_power_law(k, y, n=None, *, read_sd: float | None = None) -> ExpPowerFit:
    """Fit -log coverage = alpha·k^(-beta) (Brown et al. 2024) by the same likelihood as the mixture."""
    k, y, n = _check_curve(k, y, n)

    def obj(t):
        return _curve_nll(np.exp(-np.exp(t[0]) * k ** (-np.exp(t[1]))), y, n, read_sd)
    best = None
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        for s in ([np.log(0.5), np.log(0.3)], [np.log(3.0), np.log(0.1)], [np.log(1.0), np.log(1.0)]):
            r = optimize.minimize(obj, np.array(s), method=OPTIMIZER, bounds=[(-10, 6), (-8, 2)])
            if best is None or r.fun < best.fun:
                best = r
    return ExpPowerFit(float(np.exp(best.x[0])), float(np.exp(best.x[1])), float(best.fun))


def generic_ceilings(k, y, n=None, forms=("power_saturating", "logistic_log"),
                     profile_points: int | None = None, gradient: str = "numeric",
                     profile_xtol: float | None = None) -> pd.DataFrame:
    """Ceilings of the generic forms of ``helpers.curves`` (plus the exp power law) on one curve.

    ``profile_points``: grid of each form's profile interval (None: ``curves.fit_curve``'s default);
    ``gradient``: ``curves.fit_curve``'s; ``profile_xtol``: its interval ends' tolerance (None: its default)."""
    rows = []
    kw = {"gradient": gradient} if profile_points is None else {"profile_points": profile_points, "gradient": gradient}
    if profile_xtol is not None:
        kw["profile_xtol"] = profile_xtol
    for form in forms:
        f = curves.fit_curve(k, y, n, form, **kw)
        lo, hi = f.asymptote_ci
        rows.append({"method": form, "asymptote": f.asymptote, "lo": lo, "hi": hi,
                     "identifiable": bool(f.asymptote_identifiable), "fit": f})
    e = fit_exp_power_law(k, y, n)
    rows.append({"method": "exp_power_law", "asymptote": 1.0, "lo": 1.0, "hi": 1.0, "identifiable": False, "fit": e})
    return pd.DataFrame(rows)

