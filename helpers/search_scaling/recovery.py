"""Recovery of known ground truth: do the claim's statistics find what a simulation put in?

Three checks, each drawing from the ``rng`` passed in: (1) curves drawn from each saturating form with
known curvature and ceiling and binomial noise are fitted (``curves.fit_curve``): how often do the
intervals cover the truth? (2) slices of the (r, s) model (accuracy along s at a fixed r and along r at a
fixed s; none of the fitted forms exactly, so a check under mild misspecification) are sampled and fitted:
do the fitted gains per doubling cover the model's, and does the diminishing-returns class agree? (3) the
same-shape test's false-positive rate and power at a reference design, for both forms and dispersions.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .. import curves
from .fits import SHAPE_PARAM, diminishing_returns, fit_table
from .model import RSModel, accuracy
from .lm import MAX_ITER
from .shape import same_shape_error_rates


def true_theta(form: str, ceiling: float, start: float, curvature: float, x) -> dict:
    """The parameters of ``shape_curve(form, ceiling, start, curvature, x)`` in ``curves.FORMS[form]``'s names."""
    x = np.asarray(x, float)
    if form == "power_saturating":
        return {"A": ceiling, "B": (ceiling - start) * x.min() ** curvature, "c": curvature}
    return {"A": ceiling, "m": np.log2(x.min()) + np.log(ceiling / start - 1) / curvature, "s": curvature}


def curve_recovery(rng: np.random.Generator, *, points: int, n: int, curvature: float, ceiling: float, start: float,
                   reps: int, profile_points: int, profile_xtol: float = 1e-5,
                   max_starts: int | None = None) -> pd.DataFrame:
    """``reps`` curves per saturating form at budgets 2^6, 2^7, ... (``points`` of them), ``n`` questions per point,
    each fitted (analytic gradients, as ``fits.fit_table``; ``profile_xtol``, ``max_starts``: ``curves.fit_curve``'s):
    one row per curve (form, curvature_hat, curvature_covered, ceiling_hat, ceiling_covered)."""
    sim_x = 2.0 ** np.arange(6, 6 + points)
    rows = []
    for form in SHAPE_PARAM:  # two forms
        theta = true_theta(form, ceiling, start, curvature, sim_x)
        Y = curves.simulate_curve(form, theta, np.tile(sim_x, (reps, 1)), n, rng)  # all curves at once
        for y in Y:  # one fit per simulated curve
            fit = curves.fit_curve(sim_x, y, n, form, profile_points=profile_points, gradient="analytic",
                                   profile_xtol=profile_xtol, max_starts=max_starts)
            ci = fit.conf_int()
            sp = SHAPE_PARAM[form]
            rows.append({"form": form, "curvature_hat": fit.params[sp],
                         "curvature_covered": ci[sp][0] <= curvature <= ci[sp][1],
                         "ceiling_hat": fit.asymptote,
                         "ceiling_covered": fit.asymptote_ci[0] - 1e-9 <= ceiling <= fit.asymptote_ci[1] + 1e-9})
    return pd.DataFrame(rows)


def recovery_summary(recovery: pd.DataFrame) -> pd.DataFrame:
    """Per form: curves, mean estimates and the coverage of the curvature and ceiling intervals."""
    return recovery.groupby("form").agg(curves=("curvature_hat", "size"), curvature_mean=("curvature_hat", "mean"),
                                        curvature_coverage=("curvature_covered", "mean"),
                                        ceiling_mean=("ceiling_hat", "mean"),
                                        ceiling_coverage=("ceiling_covered", "mean"))


def slice_check(model: RSModel, rng: np.random.Generator, *, points: int, n: int, profile_points: int, alpha: float,
                flat_tolerance: float, drop_tolerance: float, profile_xtol: float = 1e-5,
                max_starts: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Fit two noisy slices of the model (s at r = 4096 tokens; r at s = 8 steps, one point every two doublings)
    with ``fits.fit_table`` (``profile_points``, ``profile_xtol``, ``max_starts``: its precision).

    Returns a frame (series, form, budget "low"/"high", true gain, fitted, lo, hi, covered) of the gains per
    doubling at the smallest and largest budget, and one sentence per slice comparing the true drop in gain
    per doubling with its estimate and class.
    """
    s_budgets = 4.0 ** np.arange(0, points)          # steps, one point every two doublings
    r_budgets = 2.0 ** (8 + 2 * np.arange(0, points))  # tokens
    r_at, s_at = 4096.0, 8.0
    slice_truth = {
        "model: search steps": ("search_steps", s_budgets, lambda x: accuracy(model, r_at, x)),
        "model: reasoning tokens": ("reasoning_tokens", r_budgets, lambda x: accuracy(model, x, s_at)),
    }
    slices = pd.concat([pd.DataFrame({"series": name, "axis": axis, "budget": x,
                                      "accuracy": rng.binomial(n, np.clip(fn(x), 0, 1)) / n, "n": float(n),
                                      "source": "synthetic", "benchmark": "model", "role": "curve"})
                        for name, (axis, x, fn) in slice_truth.items()], ignore_index=True)
    slice_fits = fit_table(slices, profile_points=profile_points, profile_xtol=profile_xtol, max_starts=max_starts)
    slice_dr = diminishing_returns(slices, slice_fits, alpha=alpha, flat_tolerance=flat_tolerance,
                                   drop_tolerance=drop_tolerance).set_index("series")
    chk, lines = [], []
    for name, (axis, x, fn) in slice_truth.items():
        form = slice_dr.loc[name, "form"]  # the saturating form that (a) uses
        fr = slice_fits[(slice_fits["series"] == name) & (slice_fits["form"] == form)].iloc[0]
        for end, xb in (("low", x.min()), ("high", x.max())):
            true_gain = float(fn(2 * xb) - fn(xb))
            lo, hi = fr[f"gain_per_doubling_{end}_lo"], fr[f"gain_per_doubling_{end}_hi"]
            chk.append({"series": name, "form": form, "budget": end, "true gain": true_gain,
                        "fitted": fr[f"gain_per_doubling_{end}"], "lo": lo, "hi": hi, "covered": lo <= true_gain <= hi})
        true_drop = float((fn(2 * x.min()) - fn(x.min())) - (fn(2 * x.max()) - fn(x.max())))
        lines.append(f"{name}: true drop in gain per doubling {true_drop:.3f}, estimated "
                     f"{slice_dr.loc[name, 'gain_drop']:.3f} ({slice_dr.loc[name, 'gain_drop_lo']:.3f} to "
                     f"{slice_dr.loc[name, 'gain_drop_hi']:.3f}); classified '{slice_dr.loc[name, 'status']}'")
    return pd.DataFrame(chk), lines


def error_rates(rng: np.random.Generator, *, forms: Sequence[str], points: int, n: int, ceiling: float, start: float,
                curvature: float, ratios: Sequence[float], reps: int, alpha: float,
                max_iter: int = MAX_ITER) -> pd.DataFrame:
    """``same_shape_error_rates`` for each form in ``forms`` and each dispersion (binomial, quasi) at the reference
    design: reasoning budgets 2^8, 2^9, ... and search budgets 2^0, 2^1, ... (``points`` each), ``n`` questions;
    ``max_iter``: iterations of each batched fit at most."""
    rows = []
    for form in forms:
        for disp in ("binomial", "quasi"):
            e = same_shape_error_rates(rng, x1=2.0 ** np.arange(8, 8 + points), n1=n,
                                       x2=2.0 ** np.arange(0, points), n2=n, form=form,
                                       ceiling=ceiling, start=start, curvature=curvature,
                                       ratios=ratios, reps=reps, alpha=alpha, dispersion=disp, max_iter=max_iter)
            rows.append(e.assign(form=form, dispersion=disp))
    return pd.concat(rows, ignore_index=True)


def reference_rates(err: pd.DataFrame, form: str, dispersion: str) -> tuple[pd.Series, float]:
    """(the false-positive row of ``form`` and ``dispersion``, the smallest power over its curvature ratios)."""
    main = err[(err["form"] == form) & (err["dispersion"] == dispersion)]
    return main[main["ratio"] == 1.0].iloc[0], float(main.loc[main["ratio"] != 1.0, "rate"].min())
