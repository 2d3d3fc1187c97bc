"""Batched curve fitting: many replicate curves fitted at once by Levenberg-Marquardt / Fisher scoring.

One loop updates every replicate row at once, with a forward-difference Jacobian of the
``curves.FORMS`` prediction (which broadcasts over parameter rows) and box bounds; several starting points
per fit are stacked as extra rows (``_best_of``). Binomial likelihood (``curves.nll``) when the questions
per point are known, else least squares. Rows never interact: each row's fit is the one it would get alone,
so rows may also be different curves of the same size (budgets and questions per point given per row).
Used by the same-shape test (``shape.py``).
"""
from __future__ import annotations

import numpy as np

from .. import curves
from ..validate import ParameterError
from .fits import SHAPE_PARAM

MAX_ITER = 150  # iterations of a batched fit at most (the study's; a quick run may pass fewer: ``max_iter``)


class _Internal:
    """Optimizer coordinates of a form for one curve; power_saturating uses (A, log D, c) with
    B = D · x_ref^c (D: the drop below the ceiling at the geometric-mean budget), which is far better
    conditioned than (A, B, c). Other forms use their own parameters. ``x``: the budgets [N] shared by every
    row, or one row of budgets per curve [P, N] (several curves of one size fitted in one batch; ``predict``
    then reads the rows it is given)."""

    def __init__(self, form: str, x: np.ndarray):
        self.form = form
        self.F = curves.FORMS[form]
        self.x = np.asarray(x, float)
        if self.x.ndim == 1:
            self.xref = float(np.exp(np.mean(np.log(self.x))))
        else:  # each curve's own geometric-mean budget
            self.xref = np.array([float(np.exp(np.mean(np.log(xi)))) for xi in self.x])
        b = self.F.bounds(self.x, np.zeros_like(self.x))
        if form == "power_saturating":
            b = [b[0], (np.log(1e-6), np.log(10.0)), b[2]]
        self.bounds = b
        self.k = len(self.F.params)
        self.shape = self.F.params.index(SHAPE_PARAM[form]) if form in SHAPE_PARAM else None

    def to_theta(self, z: np.ndarray) -> np.ndarray:
        """z[..., k] -> theta[..., k] in ``curves.FORMS`` parameters (budgets shared by every row)."""
        if self.form != "power_saturating":
            return z
        A, lD, c = z[..., 0], z[..., 1], z[..., 2]
        return np.stack([A, np.exp(lD) * self.xref ** c, c], axis=-1)

    def predict(self, z: np.ndarray, rows=None) -> np.ndarray:
        """z[R, k] -> f[R, N] through ``curves.FORMS[form].predict`` (which broadcasts), given the parameters
        as a tuple of [R, 1] columns (``to_theta``'s arithmetic without stacking them into one array). ``rows``:
        the curve of each row of z when the budgets are given per curve (ignored when they are shared)."""
        x, xref = (self.x, self.xref) if self.x.ndim == 1 else (self.x[rows], self.xref[rows])
        if self.form == "power_saturating":
            A, lD, c = z[..., 0], z[..., 1], z[..., 2]
            th = (A, np.exp(lD) * xref ** c, c)
        else:
            th = tuple(z[..., i] for i in range(self.k))
        return self.F.predict(tuple(t[..., None] for t in th), x)

    def starts(self, Y: np.ndarray) -> list[np.ndarray]:
        """Start vectors [R, k] per replicate (a grid over ceiling and curvature, as in ``curves``)."""
        top = np.clip(Y.max(axis=1), 0.05, 0.99)
        out = []
        if self.form == "power_saturating":
            for dA in (0.02, 0.15, None):
                A = np.ones_like(top) if dA is None else np.minimum(1.0, top + dA)
                D = np.clip(A - Y.mean(axis=1), 1e-3, 5.0)
                for c in (0.2, 0.6, 1.5):
                    out.append(np.stack([A, np.log(D), np.full_like(top, c)], axis=1))
        elif self.form == "logistic_log":
            if self.x.ndim == 1:
                m = np.full_like(top, float(np.median(np.log2(self.x))))
            else:
                m = np.array([float(np.median(np.log2(xi))) for xi in self.x])
            for dA in (0.02, 0.15, None):
                A = np.ones_like(top) if dA is None else np.minimum(1.0, top + dA)
                for s in (0.3, 1.0):
                    out.append(np.stack([A, m, np.full_like(top, s)], axis=1))
        else:
            raise ParameterError(f"form {self.form!r} has no curvature parameter; use one of {list(SHAPE_PARAM)}")
        return out


def _jacobian(pred, Z: np.ndarray, f: np.ndarray, h: np.ndarray, shift: np.ndarray | None = None,
              rows=None) -> np.ndarray:
    """∂f/∂z by forward differences, for every replicate row at once: [R, N, k] (the k shifted copies of Z in
    one prediction call). ``shift``: diag(h) (each copy's coordinate j moved by h[j], the others by an exact 0);
    ``rows``: the batch rows of Z, passed on to ``pred`` (``_batched_lm``)."""
    R, k = Z.shape
    if shift is None:
        shift = np.diag(h)
    if rows is None:
        rows = np.arange(R)
    Zp = Z[None] + shift[:, None, :]  # [k, R, k]: copy j has coordinate j shifted by h[j]
    fp = pred(Zp.reshape(k * R, k), np.tile(rows, k)).reshape(k, R, -1)
    return np.ascontiguousarray(np.moveaxis((fp - f) / h[:, None, None], 0, -1))


def _objective(Y, n):
    """Row objective ``obj(f, y, n)`` of predictions f, accuracies y (rows of Y) and questions per point n (the
    same rows of a per-row n): binomial NLL (``curves.nll``, one value per row) when n is given, else the
    residual sum of squares."""
    if n is not None:
        return lambda f, y=Y, nn=n: curves.nll(f, y, nn)
    return lambda f, y=Y, nn=None: np.sum((y - f) ** 2, axis=-1)


def _batched_lm(pred, Y, n, Z0: np.ndarray, bounds, max_iter: int = MAX_ITER, tol: float = 1e-10):
    """Fit R replicate curves at once by Levenberg-Marquardt / Fisher scoring, with box bounds.

    ``pred(Z[m, k], rows[m]) -> f[m, N]`` for any number of rows m (``rows``: the batch row of each, for budgets
    given per curve). Binomial (``n`` given: [N], or [R, N] per row): minimizes ``curves.nll`` (per row) with
    weights W = n / (f(1-f)); Gaussian (``n`` None): minimizes the residual sum of squares (W = 1). Each
    iteration solves (JᵀWJ + λ·(diag(JᵀWJ) + I))·δ = JᵀW(y - f) per row, freezes coordinates held at a bound
    by the gradient, projects onto the box, and keeps the step only where it lowers that row's objective (λ
    shrinks there and grows elsewhere). Rows stop when the decrease is below ``tol`` (relative) or λ explodes.
    Returns (Z_hat, objective values).
    """
    lo = np.array([b[0] for b in bounds], float)
    hi = np.array([b[1] for b in bounds], float)
    Z = np.clip(np.asarray(Z0, float), lo, hi)
    R, k = Z.shape
    h = 1e-6 * np.clip(hi - lo, 1.0, 10.0)
    shift = np.diag(h)
    at_lo, at_hi = lo + 1e-12, hi - 1e-12
    obj = _objective(Y, n)
    eye = np.eye(k)
    by_row = n is not None and np.ndim(n) == 2  # questions per point given per row
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        f = pred(Z, np.arange(R))
        val = obj(f)
        lam = np.full(R, 1e-3)
        active = np.isfinite(val)
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            Za, fa, Ya = Z[idx], f[idx], Y[idx]
            na = n[idx] if by_row else n
            J = _jacobian(pred, Za, fa, h, shift, idx)
            if n is not None:
                fc = np.clip(fa, curves.EPS, 1 - curves.EPS)
                Wt = na / (fc * (1 - fc))
            else:
                Wt = np.ones_like(fa)
            g = np.einsum("rnk,rn->rk", J, Wt * (Ya - fa))  # descent direction of the objective
            H = np.einsum("rnk,rn,rnm->rkm", J, Wt, J)
            free = ~(((Za <= at_lo) & (g < 0)) | ((Za >= at_hi) & (g > 0)))
            if not free.all():  # with every coordinate free the masking changes no entry of M or g (only a -0 of H)
                H = H * free[:, :, None] * free[:, None, :] + eye * (~free)[:, :, None]
                g = g * free
            la = lam[idx]
            M = H + la[:, None, None] * (np.einsum("rkk->rk", H)[:, :, None] * eye + eye)
            step = np.linalg.solve(M, g[..., None])[..., 0]
            Zc = np.clip(Za + step, lo, hi)
            fcand = pred(Zc, idx)
            vc = obj(fcand, Ya, na)
            better = np.isfinite(vc) & (vc < val[idx])
            gain = np.where(better, val[idx] - vc, 0.0)
            upd = idx[better]
            Z[upd], f[upd], val[upd] = Zc[better], fcand[better], vc[better]
            lam[idx] = np.where(better, np.maximum(la / 5, 1e-12), la * 10)
            done = (better & (gain <= tol * np.maximum(1.0, np.abs(val[idx])))) | (lam[idx] > 1e10)
            active[idx[done]] = False
    return Z, val


def _best_of(pred, Y, n, starts: list[np.ndarray], bounds, max_iter: int = MAX_ITER):
    """Per-row best of several starts, all fitted in ONE batched call (starts stacked as extra rows; ``pred`` is
    given each stacked row's own row of Y, and a per-row n is stacked with Y)."""
    S, R = len(starts), Y.shape[0]
    nS = np.tile(n, (S, 1)) if n is not None and np.ndim(n) == 2 else n
    Z, f = _batched_lm(lambda Zs, rows: pred(Zs, rows % R), np.tile(Y, (S, 1)), nS, np.concatenate(starts, axis=0),
                       bounds, max_iter)
    f = np.where(np.isfinite(f), f, np.inf).reshape(S, R)
    pick = np.argmin(f, axis=0)
    return Z.reshape(S, R, -1)[pick, np.arange(R)], f[pick, np.arange(R)]
