"""Part (b): do search-budget curves have the same shape as reasoning-budget curves?

Two curves (e.g. accuracy vs reasoning tokens and vs search steps) have the same *shape* when they share
the curvature parameter of a saturating form from ``helpers.curves.FORMS`` (power_saturating: c, so the
gain per doubling shrinks by 2^-c per doubling whatever the budget unit; logistic_log: s, the slope in
log2 budget); levels, ceilings and budget scales stay free. H0: shared curvature (joint fit, 2k-1
parameters) against separate fits (2k). Binomial likelihood (``helpers.curves.nll``) when the questions
per point are known: LR = 2·(NLL_joint - NLL_sep) ~ χ²₁ (``dispersion="quasi"``, for extra-binomial
noise such as digitizing error: F = LR / max(1, φ̂) with the Pearson dispersion φ̂ = X²/df of the
separate fits, referred to F(1, df), when df ≥ 1; it never deflates the statistic, so it is conservative); without n: Gaussian with one pooled
variance, F = (RSS_joint - RSS_sep) / (RSS_sep / df) ~ F(1, df), df = N1 + N2 - 2k. Fits of many
simulated replicates (and the several starting points of each fit) are vectorized: one batched
Levenberg-Marquardt / Fisher-scoring loop updates every replicate row at once, with a forward-difference
Jacobian of the ``curves.FORMS`` prediction (which broadcasts over parameter rows) and box bounds; the
observed pairs of ``shape_tests`` with curves of the same sizes are fitted in one batch too (one row per pair,
each with its own budgets: the fits each pair gets alone).
``holm`` adjusts the pairs' p-values (Holm step-down).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from .. import curves, validate
from ..validate import ParameterError
from .fits import SHAPE_PARAM
from .lm import MAX_ITER, _Internal, _batched_lm, _best_of


def same_shape_test_batch(x1, Y1, n1, x2, Y2, n2, form: str = "power_saturating", dispersion: str = "binomial",
                          max_iter: int = MAX_ITER) -> dict:
    """Vectorized same-shape test over replicate rows Y1[R, N1], Y2[R, N2] (see the module docstring).

    n1, n2: questions per point (scalars or arrays over points), or None: when either curve lacks n both
    are treated with the Gaussian likelihood (one pooled variance) and an F test. Returns: statistic,
    p_value (arrays over rows), df_resid, method ("lr_chi2", "quasi_f" or "gaussian_f"), dispersion
    (Pearson φ̂ of the separate binomial fits; NaN otherwise), curvature_1, curvature_2 (separate fits),
    curvature_joint, nll_joint, nll_separate (binomial NLL, or RSS for the Gaussian case). ``max_iter``: iterations
    of each batched fit at most (``lm._batched_lm``; fewer in quick runs).
    """
    validate.choice("form", form, list(SHAPE_PARAM))
    validate.choice("dispersion", dispersion, ["binomial", "quasi"])
    return _test(_pair_fits(x1, Y1, n1, x2, Y2, n2, form, max_iter), dispersion)


def _pair_fits(x1, Y1, n1, x2, Y2, n2, form: str, max_iter: int = MAX_ITER) -> dict:
    """The separate and joint fits of ``same_shape_test_batch`` and the Pearson dispersion: all of the test but
    its statistic, which alone depends on the dispersion treatment (``_test``). Budgets x1, x2 [N] shared by the
    rows, or one row per pair [P, N] (pairs of one size fitted in one batch, ``_fit_pairs``; n1, n2 then [P, N])."""
    x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
    Y1, Y2 = np.atleast_2d(np.asarray(Y1, float)), np.atleast_2d(np.asarray(Y2, float))
    if Y1.shape[0] != Y2.shape[0] or Y1.shape[1] != x1.shape[-1] or Y2.shape[1] != x2.shape[-1]:
        raise ParameterError("Y1 and Y2 must be [replicates, points] arrays matching x1 and x2")
    if x1.shape[-1] < 3 or x2.shape[-1] < 3:
        raise ParameterError("each curve of a same-shape test needs at least 3 points")
    binom = n1 is not None and n2 is not None
    N1 = np.broadcast_to(np.asarray(n1, float), x1.shape) if binom else None
    N2 = np.broadcast_to(np.asarray(n2, float), x2.shape) if binom else None
    c1, c2 = _Internal(form, x1), _Internal(form, x2)
    k, j = c1.k, c1.shape
    others = [i for i in range(k) if i != j]

    def split(W):
        A = np.empty((W.shape[0], k))
        B = np.empty((W.shape[0], k))
        A[:, others] = W[:, :k - 1]
        B[:, others] = W[:, k - 1:2 * k - 2]
        A[:, j] = B[:, j] = W[:, -1]
        return A, B

    def pred_joint(W, rows=None):
        A, B = split(W)
        return np.concatenate([c1.predict(A, rows), c2.predict(B, rows)], axis=1)

    Yj = np.concatenate([Y1, Y2], axis=1)
    Nj = np.concatenate([N1, N2], axis=-1) if binom else None
    # separate fits (own starts), the joint fit with a shared curvature (its own starts and the separate
    # optima), then the separate fits again from the joint optimum so that NLL_sep <= NLL_joint
    Z1, f1 = _separate_fit(form, c1, Y1, N1, max_iter)
    Z2, f2 = _separate_fit(form, c2, Y2, N2, max_iter)
    jb = [c1.bounds[i] for i in others] + [c2.bounds[i] for i in others] + [c1.bounds[j]]
    jstarts = [np.concatenate([s1[:, others], s2[:, others], s1[:, [j]]], axis=1)
               for s1, s2 in zip(c1.starts(Y1), c2.starts(Y2))]
    jstarts += [np.concatenate([Z1[:, others], Z2[:, others], cj], axis=1) for cj in (Z1[:, [j]], Z2[:, [j]])]
    W, fj = _best_of(pred_joint, Yj, Nj, jstarts, jb, max_iter)
    A0, B0 = split(W)
    Z1b, f1b = _batched_lm(c1.predict, Y1, N1, A0, c1.bounds, max_iter)
    Z2b, f2b = _batched_lm(c2.predict, Y2, N2, B0, c2.bounds, max_iter)
    Z1 = np.where((f1b < f1)[:, None], Z1b, Z1)
    Z2 = np.where((f2b < f2)[:, None], Z2b, Z2)
    fs = np.minimum(f1, f1b) + np.minimum(f2, f2b)
    df_resid = x1.shape[-1] + x2.shape[-1] - 2 * k
    R = Y1.shape[0]
    phi = np.full(R, np.nan)
    if binom:
        rows = np.arange(R)
        P = np.clip(np.concatenate([c1.predict(Z1, rows), c2.predict(Z2, rows)], axis=1), curves.EPS, 1 - curves.EPS)
        if df_resid >= 1:
            phi = np.sum(Nj * (Yj - P) ** 2 / (P * (1 - P)), axis=1) / df_resid
    return dict(binom=binom, fj=fj, fs=fs, df_resid=df_resid, R=R, phi=phi, c1=c1, c2=c2, Z1=Z1, Z2=Z2, W=W, A0=A0,
                B0=B0, j=j)


_SEP_FITS: dict = {}  # one observed curve's own fit by data and form: a curve is in many pairs


def _separate_fit(form: str, c: _Internal, Y: np.ndarray, N: np.ndarray | None, max_iter: int = MAX_ITER):
    """The best of the starts' fits of one curve on its own (``_best_of``); an observed curve's (one row) is kept
    in-process, so each curve is fitted once however many pairs it is in (the same numbers as fitting it again)."""
    if Y.shape[0] != 1:
        return _best_of(c.predict, Y, N, c.starts(Y), c.bounds, max_iter)
    key = (form, max_iter, c.x.tobytes(), Y.tobytes(), None if N is None else N.tobytes())
    if key not in _SEP_FITS:
        if len(_SEP_FITS) >= 1024:
            _SEP_FITS.clear()
        _SEP_FITS[key] = _best_of(c.predict, Y, N, c.starts(Y), c.bounds, max_iter)
    Z, f = _SEP_FITS[key]
    return Z.copy(), f.copy()


def _test(fit: dict, dispersion: str) -> dict:
    """The statistic and p-value of ``same_shape_test_batch`` from its fits (``_pair_fits``)."""
    binom, fj, fs, df_resid, R, phi = (fit[k] for k in ("binom", "fj", "fs", "df_resid", "R", "phi"))
    c1, c2, Z1, Z2, W, A0, B0, j = (fit[k] for k in ("c1", "c2", "Z1", "Z2", "W", "A0", "B0", "j"))
    if binom:
        stat = np.maximum(2 * (fj - fs), 0.0)
        if dispersion == "quasi" and df_resid >= 1:
            stat = stat / np.maximum(phi, 1.0)
            p = stats.f.sf(stat, 1, df_resid)
            method = "quasi_f"
        else:
            p = stats.chi2.sf(stat, 1)
            method = "lr_chi2"
    else:
        method = "gaussian_f"
        if df_resid >= 1:
            stat = np.maximum(fj - fs, 0.0) / (np.maximum(fs, 1e-300) / df_resid)
            p = stats.f.sf(stat, 1, df_resid)
        else:
            stat = np.full(R, np.nan)
            p = np.full(R, np.nan)
    return {"statistic": stat, "p_value": p, "df_resid": df_resid, "dispersion": phi, "method": method,
            "curvature_1": c1.to_theta(Z1)[:, j], "curvature_2": c2.to_theta(Z2)[:, j],
            "curvature_joint": W[:, -1], "nll_joint": fj, "nll_separate": fs,
            "theta_joint_1": c1.to_theta(A0), "theta_joint_2": c2.to_theta(B0),
            "sigma": np.sqrt(np.maximum(fs, 0) / df_resid) if (not binom and df_resid >= 1) else np.full(R, np.nan)}


_PAIR_FITS: dict = {}  # observed pairs' fits by data and form, shared by the tests of both dispersions


def _pair_key(form: str, max_iter: int, x1, y1, n1, x2, y2, n2) -> tuple:
    """``_PAIR_FITS``' key of one observed pair: the form, the iterations and the bytes of its data."""
    return (form, max_iter) + tuple(None if a is None else (np.shape(a), np.asarray(a, float).tobytes())
                                    for a in (x1, y1, n1, x2, y2, n2))


def _keep_pair(key, fit: dict) -> None:
    if len(_PAIR_FITS) >= 1024:
        _PAIR_FITS.clear()
    _PAIR_FITS[key] = fit


def _fit_pairs(pairs: Sequence[tuple], form: str, max_iter: int = MAX_ITER) -> None:
    """Fit the observed pairs [(x1, y1, n1, x2, y2, n2)] not kept yet, those of one size (points of each curve,
    binomial or not) in one batch of ``_pair_fits`` with one row per pair, and keep each pair's fits for
    ``same_shape_test``. Rows of a batch never interact (``lm``), so each pair's fits are those of fitting it
    alone; a pair without another of its size (or with fewer than 3 points) is left to ``same_shape_test``."""
    groups: dict = {}
    for p in pairs:
        x1, _, n1, x2, _, n2 = p
        key = _pair_key(form, max_iter, *p)
        if key not in _PAIR_FITS and len(x1) >= 3 and len(x2) >= 3:
            groups.setdefault((len(x1), len(x2), n1 is not None and n2 is not None), {})[key] = p
    for (_, _, binom), members in groups.items():
        if len(members) < 2:
            continue
        x1s, y1s, n1s, x2s, y2s, n2s = zip(*members.values())
        X1, Y1, X2, Y2 = (np.stack([np.asarray(a, float) for a in col]) for col in (x1s, y1s, x2s, y2s))
        N1, N2 = ((np.stack([np.broadcast_to(np.asarray(a, float), X.shape[1:]) for a in col]) if binom else None)
                  for col, X in ((n1s, X1), (n2s, X2)))
        fit = _pair_fits(X1, Y1, N1, X2, Y2, N2, form, max_iter)
        for i, (key, (x1, _, _, x2, _, _)) in enumerate(members.items()):
            one = {k: fit[k][i:i + 1] for k in ("fj", "fs", "phi", "Z1", "Z2", "W", "A0", "B0")}
            _keep_pair(key, {**fit, **one, "R": 1, "c1": _Internal(form, x1), "c2": _Internal(form, x2)})


def same_shape_test(x1, y1, n1, x2, y2, n2, form: str = "power_saturating", dispersion: str = "binomial",
                    max_iter: int = MAX_ITER) -> dict:
    """The same-shape test for one pair of observed curves (scalar results; see ``same_shape_test_batch``).
    A pair's fits are kept in-process: testing it again under the other dispersion reuses them."""
    validate.choice("form", form, list(SHAPE_PARAM))
    validate.choice("dispersion", dispersion, ["binomial", "quasi"])
    key = _pair_key(form, max_iter, x1, y1, n1, x2, y2, n2)
    if key not in _PAIR_FITS:
        _keep_pair(key, _pair_fits(x1, np.asarray(y1, float)[None, :], n1, x2, np.asarray(y2, float)[None, :], n2,
                                   form, max_iter))
    r = _test(_PAIR_FITS[key], dispersion)
    return {k: (v[0].copy() if v.ndim > 1 else v[0].item()) if isinstance(v, np.ndarray) else v for k, v in r.items()}


def shape_curve(form: str, ceiling: float, start: float, curvature: float, x) -> np.ndarray:
    """A saturating curve through accuracy ``start`` at the smallest budget with ceiling ``ceiling``.

    power_saturating: f = A - (A - start)·(x/x_min)^(-c); logistic_log: slope s, midpoint chosen so that
    f(x_min) = start.
    """
    x = np.asarray(x, float)
    if not 0 < start < ceiling <= 1:
        raise ParameterError("need 0 < start < ceiling <= 1")
    if form == "power_saturating":
        B = (ceiling - start) * x.min() ** curvature
        return curves.FORMS[form].predict(np.array([ceiling, B, curvature]), x)
    if form == "logistic_log":
        m = np.log2(x.min()) + np.log(ceiling / start - 1) / curvature
        return curves.FORMS[form].predict(np.array([ceiling, m, curvature]), x)
    raise ParameterError(f"form {form!r} has no curvature parameter")


def _rejections(rng, x1, n1, f1, x2, n2, f2s: dict, *, reps, alpha, form, dispersion, sigma=None,
                max_iter: int = MAX_ITER) -> pd.DataFrame:
    """Simulate ``reps`` replicate pairs per scenario and count rejections of the test.

    All scenarios' replicates are drawn at once and tested in one batched call. Binomial accuracies
    when n1 and n2 are given, else Gaussian noise with sd ``sigma`` (clipped to [0, 1]).
    """
    ratios = list(f2s)
    S = len(ratios)
    F1 = np.broadcast_to(np.clip(f1, 0, 1), (S * reps, len(x1)))
    F2 = np.repeat(np.clip(np.stack([f2s[r] for r in ratios]), 0, 1), reps, axis=0)
    if n1 is not None and n2 is not None:
        N1 = np.broadcast_to(np.asarray(n1, float), x1.shape).astype(np.int64)
        N2 = np.broadcast_to(np.asarray(n2, float), x2.shape).astype(np.int64)
        Y1 = rng.binomial(np.broadcast_to(N1, F1.shape), F1) / N1
        Y2 = rng.binomial(np.broadcast_to(N2, F2.shape), F2) / N2
    else:
        Y1 = np.clip(F1 + sigma * rng.standard_normal(F1.shape), 0, 1)
        Y2 = np.clip(F2 + sigma * rng.standard_normal(F2.shape), 0, 1)
    res = same_shape_test_batch(x1, Y1, n1, x2, Y2, n2, form, dispersion, max_iter)
    pv = res["p_value"].reshape(S, reps)
    st = res["statistic"].reshape(S, reps)
    rows = []
    for i, ratio in enumerate(ratios):
        rej = int(np.sum(pv[i] < alpha))
        lo, hi = proportion_confint(rej, reps, alpha=0.05, method="wilson")
        rows.append({"ratio": float(ratio), "reps": reps, "rejections": rej, "rate": rej / reps, "ci_lo": lo,
                     "ci_hi": hi, "mean_statistic": float(np.nanmean(st[i]))})
    return pd.DataFrame(rows)


def same_shape_error_rates(rng: np.random.Generator, *, x1, n1, x2, n2, form: str = "power_saturating",
                           ceiling: float = 0.9, start: float = 0.3, curvature: float = 0.5,
                           ratios: Sequence[float] = (0.5, 2.0), reps: int = 200, alpha: float = 0.05,
                           dispersion: str = "binomial", max_iter: int = MAX_ITER) -> pd.DataFrame:
    """Rejection rate of the same-shape test by simulation: ratio 1 (false positives) and each curvature ratio (power).

    Curve 1 has curvature ``curvature``; curve 2 has curvature × ratio; both start at ``start`` at their
    smallest budget and rise towards ``ceiling``; accuracies are Binomial(n, f)/n, all replicates drawn at
    once. Columns: ratio, reps, rejections, rate, ci_lo, ci_hi (Wilson 95%), mean_statistic.
    """
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    validate.integer("reps", reps, 2, 10**6)
    validate.probability("alpha", alpha, open_low=True, open_high=True)
    x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
    f1 = shape_curve(form, ceiling, start, curvature, x1)
    f2s = {r: shape_curve(form, ceiling, start, curvature * r, x2) for r in [1.0] + [float(r) for r in ratios]}
    return _rejections(rng, x1, n1, f1, x2, n2, f2s, reps=reps, alpha=alpha, form=form, dispersion=dispersion,
                       max_iter=max_iter)


def pair_error_rates(rng: np.random.Generator, x1, n1, x2, n2, test: dict, *, form: str, ratios: Sequence[float] = (0.5, 2.0),
                     reps: int = 200, alpha: float = 0.05, dispersion: str = "binomial",
                     max_iter: int = MAX_ITER) -> pd.DataFrame:
    """Parametric bootstrap of one observed pair's test: size and power *at that pair's design*.

    Truth under H0 is the pair's joint fit (``test`` from ``same_shape_test``: shared curvature c); under
    each alternative, curve 2 keeps its fitted ceiling and its level at its smallest budget but has
    curvature c × ratio (``shape_curve``). Gaussian pairs use the fitted residual sd. Empty frame when
    curve 2 has no room to rise (ceiling - start < 0.01) or the noise level is unknown.
    """
    x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
    F = curves.FORMS[form]
    j = F.params.index(SHAPE_PARAM[form])
    th1, th2 = np.asarray(test["theta_joint_1"], float), np.asarray(test["theta_joint_2"], float)
    f1 = F.predict(th1, x1)
    start2 = float(F.predict(th2, x2.min()))
    ceiling2, c = float(th2[0]), float(th2[j])
    binom = n1 is not None and n2 is not None
    sigma = test.get("sigma")
    if not (0 < start2 < ceiling2 - 0.01) or (not binom and not (sigma is not None and np.isfinite(sigma) and sigma > 0)):
        return pd.DataFrame(columns=["ratio", "reps", "rejections", "rate", "ci_lo", "ci_hi", "mean_statistic"])
    f2s = {1.0: F.predict(th2, x2)}
    f2s.update({float(r): shape_curve(form, ceiling2, start2, c * float(r), x2) for r in ratios})
    return _rejections(rng, x1, n1 if binom else None, f1, x2, n2 if binom else None, f2s, reps=reps, alpha=alpha,
                       form=form, dispersion=dispersion, sigma=sigma, max_iter=max_iter)


def shape_tests(df: pd.DataFrame, *, search_axes: Sequence[str] = ("search_steps",), form: str = "power_saturating",
                dispersion: str = "binomial", alpha: float = 0.05, untestable: Sequence[str] = (),
                rng: np.random.Generator | None = None, power_reps: int = 0,
                ratios: Sequence[float] = (0.5, 2.0), max_iter: int = MAX_ITER) -> pd.DataFrame:
    """Same-shape test for every (reasoning series, search-axis series) pair with role "curve".

    ``untestable``: series whose curvature is not identified (e.g. flat curves): their pairs get NaN
    statistics and ``same_shape`` None (so do Gaussian pairs without residual degrees of freedom).
    p-values are Holm-adjusted over the testable pairs; ``same_shape`` is True when the adjusted
    p >= alpha (no evidence of a different curvature). With ``rng`` and ``power_reps`` > 0, each testable
    pair also gets its simulated size (``size``) and its power against curvature ratios ``ratios``
    (``power_by_ratio``; ``power`` = the smallest over the ratios) at its own design (``pair_error_rates``).
    ``max_iter``: iterations of each batched fit at most (``same_shape_test_batch``).
    """
    cur = df[df["role"] == "curve"]
    reas = sorted(cur.loc[cur["axis"] == "reasoning_tokens", "series"].unique())
    srch = sorted(cur.loc[cur["axis"].isin(search_axes), "series"].unique())
    rows = []

    def _arrays(g):
        g = g.sort_values("budget")
        n = g["n"].to_numpy(float) if g["n"].notna().all() else None
        return g["budget"].to_numpy(float), g["accuracy"].to_numpy(float), n, g["axis"].iloc[0]

    by_series = {name: _arrays(g) for name, g in cur[cur["series"].isin(reas + srch)].groupby("series", sort=False)}
    arrays = by_series.__getitem__  # each series' arrays once, not once per pair
    testable = [arrays(a)[:3] + arrays(b)[:3] for a in reas for b in srch if not (b in untestable or a in untestable)]
    if testable:  # the pairs' fits draw nothing at random: fitted first, pairs of one size in one batch
        validate.choice("form", form, list(SHAPE_PARAM))
        validate.choice("dispersion", dispersion, ["binomial", "quasi"])
        _fit_pairs(testable, form, max_iter)

    for a in reas:  # a handful of series pairs
        xa, ya, na, _ = arrays(a)
        for b in srch:
            xb, yb, nb, axb = arrays(b)
            row = {"reasoning_series": a, "search_series": b, "search_axis": axb, "form": form,
                   "statistic": np.nan, "p_value": np.nan, "df_resid": np.nan, "method": "untestable",
                   "dispersion": np.nan, "curvature_reasoning": np.nan, "curvature_search": np.nan,
                   "curvature_joint": np.nan, "size": np.nan, "power": np.nan, "power_by_ratio": {}}
            if not (b in untestable or a in untestable):
                r = same_shape_test(xa, ya, na, xb, yb, nb, form, dispersion, max_iter)
                row.update(statistic=r["statistic"], p_value=r["p_value"], df_resid=r["df_resid"], method=r["method"],
                           dispersion=r["dispersion"], curvature_reasoning=r["curvature_1"],
                           curvature_search=r["curvature_2"], curvature_joint=r["curvature_joint"])
                if rng is not None and power_reps > 0 and np.isfinite(r["p_value"]):
                    er = pair_error_rates(rng, xa, na, xb, nb, r, form=form, ratios=ratios, reps=power_reps,
                                          alpha=alpha, dispersion=dispersion, max_iter=max_iter)
                    if len(er):
                        row["size"] = float(er.loc[er["ratio"] == 1.0, "rate"].iloc[0])
                        alt = er[er["ratio"] != 1.0]
                        row["power"] = float(alt["rate"].min())
                        row["power_by_ratio"] = {f"{r:g}": float(v) for r, v in zip(alt["ratio"], alt["rate"])}
            rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out.assign(p_holm=pd.Series(dtype=float), same_shape=pd.Series(dtype=object))
    ok = out["p_value"].notna()
    out["p_holm"] = np.nan
    if ok.any():
        out.loc[ok, "p_holm"] = holm(out.loc[ok, "p_value"].to_numpy())
    out["same_shape"] = pd.Series([None if not np.isfinite(p) else bool(p >= alpha) for p in out["p_holm"]],
                                  dtype=object)
    return out



def holm(p_values) -> np.ndarray:
    """Holm step-down adjusted p-values: sorted ascending, p_(i) * (m - i + 1) made non-decreasing, capped at 1,
    in the input's order. The same arithmetic as statsmodels' ``multipletests(method="holm")``, whose
    ``gc.collect()`` on every call cost seconds in a notebook holding many objects."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    adj = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    adj[adj > 1] = 1
    out = np.empty_like(adj)
    out[order] = adj
    return out

def shape_sensitivity(df: pd.DataFrame, alternatives: Sequence[tuple[str, str]], *, search_axes: Sequence[str],
                      alpha: float, untestable: Sequence[str] = (), max_iter: int = MAX_ITER) -> pd.DataFrame:
    """The pair decisions of ``shape_tests`` under each alternative (form, dispersion): testable pairs, how many
    reject a shared curvature, and the smallest raw p-value."""
    rows = []
    for form, disp in alternatives:
        t2 = shape_tests(df, search_axes=search_axes, form=form, dispersion=disp, alpha=alpha, untestable=untestable,
                         max_iter=max_iter)
        t2v = t2[t2["same_shape"].notna()]
        rows.append({"form": form, "dispersion": disp, "testable pairs": len(t2v),
                     "rejected": int((t2v["same_shape"] == False).sum()),  # noqa: E712
                     "smallest p (raw)": float(t2v["p_value"].min()) if len(t2v) else np.nan})
    return pd.DataFrame(rows)
