"""The (r, s) generative model of claim 1: accuracy as a function of reasoning tokens r and search steps s.

The (r, s) generative model
---------------------------
A task has difficulty d ~ Normal(0, σ_d) (log-odds units); a share π0 of tasks is unsolvable.
With reasoning tokens r and search steps s, the two component log-odds are

    ℓ_s(s, d) = β_s · log2(1 + s / s0) + γ_s - d        (finding the evidence)
    ℓ_r(r, d) = β_r · log2(1 + r / r0) + γ_r - d        (reasoning correctly over it)

so P(find | s) = σ(ℓ_s) and P(reason | r) = σ(ℓ_r) rise with their budget and saturate at 1
(γ is the log-odds at zero budget of an average task: prior knowledge / no thinking). The interaction
parameter ρ ∈ [0, 1] is the share of *conjunctive* tasks:

    P(r, s | d) = (1 - ρ) · σ(ℓ_s + ℓ_r)  +  ρ · σ(ℓ_s) · σ(ℓ_r)
                   substitutes: additive      complements: multiplicative
                   in log-odds (either budget (each is useless without
                   can make up for the other)  the other)

and accuracy is A(r, s) = (1 - π0) · E_d[P(r, s | d)] (Gauss-Hermite quadrature over d, so the
surface is smooth and its gradient is exact). Both budgets go on one token axis with
``tokens_per_search_step`` = k (tokens a search step adds: query, results read into context):
T = r + k·s; cost C = r·p_r + s·(k·p_s + p_call) (USD; p per token).

Read off the surface: iso-quality curves {A(r, s) = t}; the marginal rate of substitution
MRS = (∂A/∂s)/(∂A/∂r) (reasoning tokens one search step is worth at constant accuracy); the cheapest
(r, s) for each target t (the expansion path; at an interior optimum MRS equals the price ratio
(k·p_s + p_call)/p_r); the elasticity of substitution σ = d ln(r/s) / d ln MRS along the iso-quality
curve (∞ perfect substitutes, 1 Cobb-Douglas, 0 perfect complements); the *fungible range*: at the
optimum's total tokens T*, the share of the search/reasoning split w = k·s/T over which accuracy stays
within a tolerance of its best (1 = any split works, i.e. fungible; near 0 = only one mix works).

The same-shape test
"""
from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import expit

from .. import validate
from ..validate import ParameterError

LN2 = np.log(2.0)


@dataclass(frozen=True)
class RSModel:
    """Parameters of the (r, s) generative model (see the module docstring)."""
    search_slope: float = 1.0            # β_s, log-odds per doubling of (1 + s/s0), > 0
    search_scale: float = 1.0            # s0, search steps, > 0
    search_offset: float = -3.0          # γ_s, log-odds of finding evidence with no search (average task)
    reasoning_slope: float = 0.8         # β_r, log-odds per doubling of (1 + r/r0), > 0
    reasoning_scale: float = 512.0       # r0, reasoning tokens, > 0
    reasoning_offset: float = -1.5       # γ_r, log-odds of reasoning right with no thinking tokens
    difficulty_sd: float = 1.5           # σ_d, log-odds, >= 0
    unsolvable_share: float = 0.1        # π0 in [0, 1): accuracy ceiling is 1 - π0
    interaction: float = 0.5             # ρ in [0, 1]: 0 substitutes, 1 complements
    tokens_per_search_step: float = 2000.0   # k, tokens per search step, > 0
    price_reasoning_per_mtok: float = 10.0   # USD per million reasoning (output) tokens, > 0
    price_search_per_mtok: float = 2.0       # USD per million search-context (input) tokens, >= 0
    price_per_search_call: float = 0.0       # USD per search call (API fee), >= 0
    quadrature_nodes: int = 40               # Gauss-Hermite nodes over difficulty

    def __post_init__(self):
        validate.positive("search_slope", self.search_slope)
        validate.positive("search_scale", self.search_scale)
        validate.number("search_offset", self.search_offset, -20, 20)
        validate.positive("reasoning_slope", self.reasoning_slope)
        validate.positive("reasoning_scale", self.reasoning_scale)
        validate.number("reasoning_offset", self.reasoning_offset, -20, 20)
        validate.number("difficulty_sd", self.difficulty_sd, 0, 10)
        validate.number("unsolvable_share", self.unsolvable_share, 0, 1, hi_open=True)
        validate.probability("interaction", self.interaction)
        validate.positive("tokens_per_search_step", self.tokens_per_search_step)
        validate.positive("price_reasoning_per_mtok", self.price_reasoning_per_mtok)
        validate.number("price_search_per_mtok", self.price_search_per_mtok, 0)
        validate.number("price_per_search_call", self.price_per_search_call, 0)
        validate.integer("quadrature_nodes", self.quadrature_nodes, 2, 400)

    def with_(self, **kw) -> "RSModel":
        return replace(self, **kw)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def ceiling(self) -> float:
        return 1.0 - self.unsolvable_share

    @property
    def search_step_cost_usd(self) -> float:
        return self.tokens_per_search_step * self.price_search_per_mtok / 1e6 + self.price_per_search_call

    @property
    def price_ratio(self) -> float:
        """Cost of one search step in reasoning tokens: the MRS at an interior cost optimum."""
        return self.search_step_cost_usd / (self.price_reasoning_per_mtok / 1e6)


@functools.lru_cache(maxsize=8)
def _hermegauss(degree: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Hermite nodes and weights, computed once per degree (an eigenproblem each call otherwise, and
    the model evaluates thousands of times); read-only, so no caller can alter the cached arrays."""
    z, w = hermegauss(degree)
    z.flags.writeable = w.flags.writeable = False
    return z, w


def _nodes(model: RSModel):
    z, w = _hermegauss(model.quadrature_nodes)
    return z * model.difficulty_sd, w / w.sum()


def _budgets(r, s):
    r = np.asarray(r, dtype=float)
    s = np.asarray(s, dtype=float)
    if np.any(r < 0) or np.any(s < 0) or not (np.all(np.isfinite(r)) and np.all(np.isfinite(s))):
        raise ParameterError("budgets r (reasoning tokens) and s (search steps) must be finite and >= 0")
    return np.broadcast_arrays(r, s)


def component_logodds(model: RSModel, r, s, d=0.0):
    """(ℓ_r, ℓ_s) for budgets r, s and difficulty d (broadcast)."""
    lr = model.reasoning_slope * np.log2(1 + np.asarray(r, float) / model.reasoning_scale) + model.reasoning_offset - d
    ls = model.search_slope * np.log2(1 + np.asarray(s, float) / model.search_scale) + model.search_offset - d
    return lr, ls


def _mixture(model: RSModel, r, s):
    """What the accuracy and its derivatives share: the budgets, the difficulty nodes' weights w, the
    components' probabilities u (search), v (reasoning), q (both) and their mixture p at each node."""
    r, s = _budgets(r, s)
    d, w = _nodes(model)
    lr, ls = component_logodds(model, r[..., None], s[..., None], d)
    u, v, q = expit(ls), expit(lr), expit(ls + lr)
    rho = model.interaction
    return r, s, w, u, v, q, (1 - rho) * q + rho * u * v


def accuracy_and_grad(model: RSModel, r, s):
    """Accuracy A(r, s) and its partial derivatives ∂A/∂r (per token) and ∂A/∂s (per step)."""
    r, s, w, u, v, q, p = _mixture(model, r, s)
    rho = model.interaction
    dp_dls = (1 - rho) * q * (1 - q) + rho * u * (1 - u) * v
    dp_dlr = (1 - rho) * q * (1 - q) + rho * v * (1 - v) * u
    c = model.ceiling
    A = c * (p @ w)
    dls_ds = model.search_slope / ((model.search_scale + s) * LN2)
    dlr_dr = model.reasoning_slope / ((model.reasoning_scale + r) * LN2)
    return A, c * (dp_dlr @ w) * dlr_dr, c * (dp_dls @ w) * dls_ds


def accuracy(model: RSModel, r, s) -> np.ndarray:
    """Expected accuracy A(r, s) over the task population (``accuracy_and_grad``'s A, the same arithmetic without
    the derivatives: the bisections of the iso-quality curves call it thousands of times)."""
    _r, _s, w, _u, _v, _q, p = _mixture(model, r, s)
    return model.ceiling * (p @ w)


def mrs(model: RSModel, r, s) -> np.ndarray:
    """Marginal rate of substitution (∂A/∂s)/(∂A/∂r): reasoning tokens one search step is worth."""
    _, ar, as_ = accuracy_and_grad(model, r, s)
    return as_ / ar


def tokens(model: RSModel, r, s):
    return np.asarray(r, float) + model.tokens_per_search_step * np.asarray(s, float)


def cost_usd(model: RSModel, r, s):
    return np.asarray(r, float) * model.price_reasoning_per_mtok / 1e6 + np.asarray(s, float) * model.search_step_cost_usd


def _bisect_budget(fun, target, vmax, iters=50):
    """Vectorized bisection of an increasing fun(v) = target on v in [0, vmax] (v = log2(1 + b/b0))."""
    target = np.asarray(target, float)
    lo = np.zeros_like(target)
    hi = np.full_like(target, vmax)
    f_hi = fun(hi)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        up = fun(mid) < target
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    v = 0.5 * (lo + hi)
    v = np.where(fun(np.zeros_like(target)) >= target, 0.0, v)
    return np.where(f_hi < target, np.nan, v)


def _accuracy_along(model: RSModel, axis: str, fixed):
    """``accuracy`` as a function of one budget (``axis``: "r" or "s") with the other held at ``fixed`` (already
    broadcast to the shape of the varying budget): the same arithmetic as ``_mixture`` and ``accuracy``, with the
    held budget's log-odds and probability computed once instead of at every step of a bisection. Budgets are
    checked as ``accuracy`` checks them (the held one once, the varying one at each call)."""
    fixed = _budgets(*((0.0, fixed) if axis == "r" else (fixed, 0.0)))[1 if axis == "r" else 0]
    d, w = _nodes(model)
    rho, c = model.interaction, model.ceiling
    lr_fixed, ls_fixed = component_logodds(model, fixed[..., None], fixed[..., None], d)
    held = ls_fixed if axis == "r" else lr_fixed  # ℓ of the held budget
    p_held = expit(held)

    def fun(b):
        b = np.asarray(b, dtype=float)
        if np.any(b < 0) or not np.all(np.isfinite(b)):
            raise ParameterError("budgets r (reasoning tokens) and s (search steps) must be finite and >= 0")
        if axis == "r":
            lr, _ = component_logodds(model, b[..., None], 0.0, d)
            u, v, q = p_held, expit(lr), expit(held + lr)
        else:
            _, ls = component_logodds(model, 0.0, b[..., None], d)
            u, v, q = expit(ls), p_held, expit(ls + held)
        return c * (((1 - rho) * q + rho * u * v) @ w)
    return fun


def iso_reasoning(model: RSModel, target, s, r_max: float = 2.0 ** 20) -> np.ndarray:
    """Reasoning tokens r(s) on the iso-quality curve A(r, s) = target (NaN: unreachable with r <= r_max)."""
    target, s = np.broadcast_arrays(np.asarray(target, float), np.asarray(s, float))
    r0 = model.reasoning_scale
    along_r = _accuracy_along(model, "r", s)
    v = _bisect_budget(lambda v: along_r(r0 * (2 ** v - 1)), target, np.log2(1 + r_max / r0))
    return r0 * (2 ** v - 1)


def iso_search(model: RSModel, target, r, s_max: float = 2.0 ** 12) -> np.ndarray:
    """Search steps s(r) on the iso-quality curve A(r, s) = target (NaN: unreachable with s <= s_max)."""
    target, r = np.broadcast_arrays(np.asarray(target, float), np.asarray(r, float))
    s0 = model.search_scale
    along_s = _accuracy_along(model, "s", r)
    v = _bisect_budget(lambda v: along_s(s0 * (2 ** v - 1)), target, np.log2(1 + s_max / s0))
    return s0 * (2 ** v - 1)


def expansion_path(model: RSModel, targets, r_max: float = 2.0 ** 20, s_max: float = 2.0 ** 12,
                   grid: int = 400, zoom: int = 4, zoom_points: int = 33) -> pd.DataFrame:
    """Cheapest (r, s) reaching each target accuracy: minimize C(r, s) subject to A(r, s) >= t.

    On the iso-quality curve r(s) the cost is a function of s alone. It is minimized over a grid in
    w = log2(1 + s/s0) (which includes s = 0), then ``zoom`` times over ``zoom_points`` points between the
    current best's neighbours, for all targets at once. Columns: target, r, s, tokens, cost_usd,
    search_token_share, mrs (at interior optima, where it equals ``model.price_ratio``), interior, reachable.
    """
    targets = np.atleast_1d(np.asarray(targets, float))
    s0 = model.search_scale
    wmax = np.log2(1 + s_max / s0)
    W = np.broadcast_to(np.linspace(0, wmax, grid), (len(targets), grid))
    step = wmax / (grid - 1)
    for it in range(zoom + 1):
        S = s0 * (2 ** W - 1)
        R = iso_reasoning(model, targets[:, None], S, r_max)
        C = np.where(np.isfinite(R), cost_usd(model, np.nan_to_num(R), S), np.inf)
        j = np.argmin(C, axis=1)
        w_best = W[np.arange(len(targets)), j]
        if it == zoom:
            break
        lo = np.clip(w_best - step, 0, wmax)
        hi = np.clip(w_best + step, 0, wmax)
        W = lo[:, None] + (hi - lo)[:, None] * np.linspace(0, 1, zoom_points)[None, :]
        step = 2 * step / (zoom_points - 1)
    rows = []
    for i, t in enumerate(targets):  # a handful of targets: assemble the rows
        if not np.isfinite(C[i]).any():
            rows.append(dict(target=t, r=np.nan, s=np.nan, tokens=np.nan, cost_usd=np.nan,
                             search_token_share=np.nan, mrs=np.nan, interior=False, reachable=False))
            continue
        s, r = float(S[i, j[i]]), float(R[i, j[i]])
        interior = bool(s > 1e-6 * s0 and r > 1e-6 * model.reasoning_scale and w_best[i] < wmax - 1e-9
                        and r < r_max * 0.999)
        T = float(tokens(model, r, s))
        rows.append(dict(target=t, r=r, s=s, tokens=T, cost_usd=float(cost_usd(model, r, s)),
                         search_token_share=model.tokens_per_search_step * s / T,
                         mrs=float(mrs(model, r, s)) if interior else np.nan, interior=interior, reachable=True))
    return pd.DataFrame(rows)
