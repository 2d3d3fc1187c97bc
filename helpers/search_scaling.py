"""Claim 1: search steps as a second inference-compute axis, and whether it trades against reasoning.

Three separable statements are tested: (a) accuracy-vs-search-step curves are monotonic with
diminishing returns; (b) they have the same shape as accuracy-vs-reasoning-token curves; (c) the two
budgets substitute for each other (fungible compute) rather than complement each other.

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
-------------------
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
Jacobian of the ``curves.FORMS`` prediction (which broadcasts over parameter rows) and box bounds.

Published questions per point (binomial n): see ``BENCHMARK_N`` (each with its source).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from numpy.polynomial.hermite_e import hermegauss
from scipy import stats
from scipy.special import expit
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from statsmodels.tools.numdiff import approx_fprime

from . import curves, datasets, validate
from .validate import DataError, ParameterError

LN2 = np.log(2.0)
AXES = ("reasoning_tokens", "search_steps", "samples")
AXIS_LABEL = {"reasoning_tokens": "reasoning tokens (average thinking tokens per question)",
              "search_steps": "search steps (tool calls per question)",
              "samples": "parallel samples (attempts per question)"}
SHAPE_PARAM = {"power_saturating": "c", "logistic_log": "s"}
SATURATING = ("power_saturating", "logistic_log")

# Questions per benchmark: the binomial n of one accuracy point.
BENCHMARK_N = {
    "AIME24": (30, "AIME 2024 I and II: 15 + 15 problems (s1 paper, Muennighoff et al. 2025, evaluates all 30)"),
    "MATH500": (500, "MATH500: the 500-problem subset of MATH of Lightman et al. 2023"),
    "GPQA-Diamond": (198, "GPQA Diamond: 198 questions (Rein et al. 2023)"),
    "BrowseComp-Plus": (830, "BrowseComp-Plus: 830 queries (Chen et al. 2025)"),
    "BrowseComp": (1266, "BrowseComp: 1,266 problems (Wei et al. 2025); assumed to be the full set in its Fig. 4"),
}
# Each published source's design: which budgets were SET at several levels (a factor of the
# experiment) and which were only OBSERVED. (c) is identifiable only from a crossed design that sets
# both a reasoning budget and a search budget.
DESIGNS = pd.DataFrame([
    ("s1_budget_forcing_fig1_digitized", "reasoning tokens (budget forcing)", "none (no search)", True, False),
    ("s1_sequential_scaling_stretched_fig_digitized", "reasoning tokens (budget forcing)", "none (no search)", True, False),
    ("browsecomp_plus_tables", "reasoning effort low/medium/high (Table 4); retriever (Tables 1, 4)",
     "search calls are observed, not set", True, False),
    ("bats_tool_budget", "tool-call cap per tool", "reasoning not varied (one model setting per row)", False, True),
    ("browsecomp_deep_research_parallel_sampling_approx", "parallel samples N", "neither budget set per sample", False, False),
    ("mcpmark (logged runs)", "reasoning effort low/medium/high (effort ladders)",
     "tool calls are observed, not set", True, False),
    ("browsecomp_plus bm25/gpt-4.1 (logged queries)", "nothing (one configuration)",
     "search calls per query are observed, not set", False, False),
], columns=["source", "set_by_design", "not_set", "sets_reasoning_budget", "sets_search_budget"])


# =====================================================================================  (r, s) model


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


def _nodes(model: RSModel):
    z, w = hermegauss(model.quadrature_nodes)
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


def accuracy_and_grad(model: RSModel, r, s):
    """Accuracy A(r, s) and its partial derivatives ∂A/∂r (per token) and ∂A/∂s (per step)."""
    r, s = _budgets(r, s)
    d, w = _nodes(model)
    lr, ls = component_logodds(model, r[..., None], s[..., None], d)
    u, v, q = expit(ls), expit(lr), expit(ls + lr)
    rho = model.interaction
    p = (1 - rho) * q + rho * u * v
    dp_dls = (1 - rho) * q * (1 - q) + rho * u * (1 - u) * v
    dp_dlr = (1 - rho) * q * (1 - q) + rho * v * (1 - v) * u
    c = model.ceiling
    A = c * (p @ w)
    dls_ds = model.search_slope / ((model.search_scale + s) * LN2)
    dlr_dr = model.reasoning_slope / ((model.reasoning_scale + r) * LN2)
    return A, c * (dp_dlr @ w) * dlr_dr, c * (dp_dls @ w) * dls_ds


def accuracy(model: RSModel, r, s) -> np.ndarray:
    """Expected accuracy A(r, s) over the task population."""
    return accuracy_and_grad(model, r, s)[0]


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


def iso_reasoning(model: RSModel, target, s, r_max: float = 2.0 ** 20) -> np.ndarray:
    """Reasoning tokens r(s) on the iso-quality curve A(r, s) = target (NaN: unreachable with r <= r_max)."""
    target, s = np.broadcast_arrays(np.asarray(target, float), np.asarray(s, float))
    r0 = model.reasoning_scale
    v = _bisect_budget(lambda v: accuracy(model, r0 * (2 ** v - 1), s), target, np.log2(1 + r_max / r0))
    return r0 * (2 ** v - 1)


def iso_search(model: RSModel, target, r, s_max: float = 2.0 ** 12) -> np.ndarray:
    """Search steps s(r) on the iso-quality curve A(r, s) = target (NaN: unreachable with s <= s_max)."""
    target, r = np.broadcast_arrays(np.asarray(target, float), np.asarray(r, float))
    s0 = model.search_scale
    v = _bisect_budget(lambda v: accuracy(model, r, s0 * (2 ** v - 1)), target, np.log2(1 + s_max / s0))
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


def elasticity_of_substitution(model: RSModel, target: float, r: float, s: float, h: float = 0.05,
                               r_max: float = 2.0 ** 20) -> float:
    """σ = Δ ln(r/s) / Δ ln MRS between the iso-quality points at s·e^{-h} and s·e^{+h}; NaN at a corner."""
    if not (s > 0 and r > 0):
        return np.nan
    ss = s * np.exp([-h, h])
    rr = iso_reasoning(model, target, ss, r_max)
    if not np.all(np.isfinite(rr)) or np.any(rr <= 0):
        return np.nan
    m = mrs(model, rr, ss)
    dm = np.log(m[1]) - np.log(m[0])
    return float((np.log(rr[1] / ss[1]) - np.log(rr[0] / ss[0])) / dm) if dm != 0 else np.inf


def fungible_range(model: RSModel, total_tokens: float, tol: float, grid: int = 801) -> dict:
    """Accuracy over every split of ``total_tokens`` between reasoning and search (w = k·s/T).

    Returns the best accuracy, the accuracy all-reasoning (w=0) and all-search (w=1), the best share,
    and ``range``: the share of splits whose accuracy is within ``tol`` of the best (1 = fungible).
    """
    w = np.linspace(0, 1, grid)
    T = float(total_tokens)
    a = accuracy(model, T * (1 - w), T * w / model.tokens_per_search_step)
    best = float(a.max())
    ok = a >= best - tol
    return {"best_accuracy": best, "accuracy_all_reasoning": float(a[0]), "accuracy_all_search": float(a[-1]),
            "best_search_share": float(w[int(np.argmax(a))]), "range": float(ok.mean()),
            "share": w, "accuracy": a}


def substitution_summary(model: RSModel, target: float, *, tol: float = 0.02, r_max: float = 2.0 ** 20,
                         s_max: float = 2.0 ** 12, grid: int = 400) -> dict:
    """Substitution metrics at the cheapest point reaching ``target`` (see the module docstring).

    ``compensation_halving_search``: r needed when s is halved, over r* (NaN: unreachable);
    ``compensation_halving_reasoning``: s needed when r is halved, over s*.
    """
    validate.number("target", target, 0, model.ceiling, lo_open=True, hi_open=True)
    ep = expansion_path(model, [target], r_max, s_max, grid=grid).iloc[0]
    out = {"interaction": model.interaction, "target": target, "reachable": bool(ep["reachable"]),
           "r_opt": ep["r"], "s_opt": ep["s"], "tokens_opt": ep["tokens"], "cost_opt_usd": ep["cost_usd"],
           "search_token_share_opt": ep["search_token_share"], "interior": bool(ep["interior"]),
           "price_ratio": model.price_ratio}
    if not ep["reachable"]:
        return {**out, **{k: np.nan for k in ("mrs_at_optimum", "mrs_at_half_search", "mrs_at_half_reasoning",
                                               "elasticity", "compensation_halving_search",
                                               "compensation_halving_reasoning", "fungible_range",
                                               "accuracy_all_reasoning", "accuracy_all_search")}}
    r, s = float(ep["r"]), float(ep["s"])
    r_hs = float(iso_reasoning(model, target, s / 2, r_max)) if s > 0 else np.nan
    s_hr = float(iso_search(model, target, r / 2, s_max)) if r > 0 else np.nan
    fr = fungible_range(model, ep["tokens"], tol)
    out.update({
        "mrs_at_optimum": float(mrs(model, r, s)),
        "mrs_at_half_search": float(mrs(model, r_hs, s / 2)) if np.isfinite(r_hs) else np.nan,
        "mrs_at_half_reasoning": float(mrs(model, r / 2, s_hr)) if np.isfinite(s_hr) else np.nan,
        "elasticity": elasticity_of_substitution(model, target, r, s, r_max=r_max),
        "compensation_halving_search": r_hs / r if (np.isfinite(r_hs) and r > 0) else np.nan,
        "compensation_halving_reasoning": s_hr / s if (np.isfinite(s_hr) and s > 0) else np.nan,
        "fungible_range": fr["range"], "accuracy_all_reasoning": fr["accuracy_all_reasoning"],
        "accuracy_all_search": fr["accuracy_all_search"],
    })
    return out


def substitution_by_interaction(model: RSModel, target: float, interactions: Sequence[float], **kw) -> pd.DataFrame:
    """``substitution_summary`` for each interaction ρ (other parameters fixed)."""
    return pd.DataFrame([substitution_summary(model.with_(interaction=float(x)), target, **kw) for x in interactions])


def interaction_contrast(model: RSModel, r_pair, s_pair) -> dict:
    """2×2 factorial (r_lo, r_hi) × (s_lo, s_hi): cell accuracies and the difference-in-differences in log-odds.

    DiD = [logit A(r_hi,s_hi) - logit A(r_lo,s_hi)] - [logit A(r_hi,s_lo) - logit A(r_lo,s_lo)].
    Pure additivity in log-odds (substitutes, one task type, no ceiling) gives 0; complements give > 0.
    """
    rr, ss = np.meshgrid(np.asarray(r_pair, float), np.asarray(s_pair, float), indexing="ij")
    p = accuracy(model, rr, ss)
    lg = np.log(p / (1 - p))
    return {"p": p, "did_logit": float(lg[1, 1] - lg[0, 1] - lg[1, 0] + lg[0, 0])}


def n_per_cell_for_contrast(p_cells, delta: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Questions per cell so that a Wald test of a log-odds DiD of size ``delta`` has ``power``.

    Var(DiD of empirical logits) = Σ_cells 1/(n·p·(1-p)); n = (z_{1-α/2} + z_power)² · Σ 1/(p(1-p)) / δ².
    """
    p = np.asarray(p_cells, float).ravel()
    if delta == 0 or not np.isfinite(delta):
        return np.inf
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return float(z ** 2 * np.sum(1 / (p * (1 - p))) / delta ** 2)


def did_wald_test(k, n) -> tuple[np.ndarray, np.ndarray]:
    """Wald test of the log-odds DiD from 2×2 counts k[..., 2, 2] of n[..., 2, 2] (vectorized over leading axes).

    Returns (z statistic, two-sided p). Counts are continuity-corrected by 0.5 (Haldane-Anscombe).
    """
    k = np.asarray(k, float) + 0.5
    n = np.asarray(n, float) + 1.0
    lg = np.log(k / (n - k))
    did = lg[..., 1, 1] - lg[..., 0, 1] - lg[..., 1, 0] + lg[..., 0, 0]
    var = (1 / k + 1 / (n - k)).sum(axis=(-1, -2))
    z = did / np.sqrt(var)
    return z, 2 * stats.norm.sf(np.abs(z))


# =====================================================================================  curves data


def _pct(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].astype(float) / 100.0 if col.endswith("_pct") else df[col].astype(float)


def reading_error_n(n, accuracy, reading_sd: float):
    """Effective questions per point when a reading error of sd ``reading_sd`` adds to the binomial noise.

    Var = p(1-p)/n + sd² = p(1-p)/n_eff, so n_eff = p(1-p) / (p(1-p)/n + sd²) (p clipped to [0.5/n, 1-0.5/n]);
    n_eff < n whenever sd > 0, so a binomial fit with n_eff carries the reading error into every interval.
    NaN n stays NaN.
    """
    n = np.asarray(n, float)
    p = np.clip(np.asarray(accuracy, float), 0.5 / np.where(n > 0, n, 1), 1 - 0.5 / np.where(n > 0, n, 1))
    v = p * (1 - p)
    return v / (v / n + float(reading_sd) ** 2)


APPROX_TREATMENTS = ("reading_error", "gaussian", "exclude", "ignore")


def published_curves(use_known_n: bool = True, gaussian_for_approx: bool | None = None,
                     approx: str = "reading_error", reading_sd: float = 0.02) -> pd.DataFrame:
    """The published accuracy-vs-budget curves in one tidy frame.

    Columns: series, axis, budget, accuracy (in [0, 1]), n (questions per point from ``BENCHMARK_N``; NaN
    when unknown or when ``use_known_n`` is False), approx (bool), source, benchmark, role ("curve";
    "caveat" for the over-forcing series; "observational" for BrowseComp-Plus Table 4, whose x is the
    search calls *observed* under a reasoning-effort setting: not a budget set by design, so never a budget
    curve), budget_set (the x budget was set by design), setting (``verdicts.SETTINGS``), other_budget (NaN).
    Percent columns (``*_pct``) are divided by 100; the BrowseComp parallel-sampling table is already a fraction.

    Approximate readings (``value_status`` starting with "approx" or "third_party", about ±2 points):
    ``approx`` = "reading_error" (default) gives them the binomial likelihood with the effective n of
    ``reading_error_n`` (reading sd ``reading_sd``), so their intervals carry the reading error; "gaussian"
    treats their n as unknown (noise estimated from the residuals); "exclude" drops them; "ignore" keeps
    the nominal n (the reading error is then left out: for comparison only). ``gaussian_for_approx``
    (older flag): True means "gaussian", False "ignore".

    Series: s1-32B budget forcing on AIME24, MATH500, GPQA-Diamond (reasoning tokens); s1 over-forcing on
    AIME24 (caveat); BrowseComp-Plus Table 4, gpt-oss 20B/120B x BM25/Qwen3-Embed-8B, effort low/medium/high
    (x = search calls observed); BATS Tables 2 and 5, ReAct on BrowseComp (x = tool-call cap per tool);
    BrowseComp Fig. 4, Deep Research best-of-N / weighted vote / majority vote (x = parallel samples).
    """
    if gaussian_for_approx is not None:
        approx = "gaussian" if gaussian_for_approx else "ignore"
    validate.choice("approx", approx, list(APPROX_TREATMENTS))
    validate.number("reading_sd", reading_sd, 0.0, 0.5)
    rows = []
    N = lambda b: float(BENCHMARK_N[b][0]) if use_known_n else np.nan  # noqa: E731

    s1 = datasets.published("s1_budget_forcing_fig1_digitized")
    for b, g in s1.groupby("benchmark", sort=True):
        rows.append(pd.DataFrame({"series": f"s1-32B {b}", "axis": "reasoning_tokens",
                                  "budget": g["avg_thinking_tokens"].astype(float), "accuracy": _pct(g, "accuracy_pct"),
                                  "n": N(b), "source": "s1_budget_forcing_fig1_digitized", "benchmark": b,
                                  "role": "curve"}))
    st = datasets.published("s1_sequential_scaling_stretched_fig_digitized")
    rows.append(pd.DataFrame({"series": "s1 AIME24 over-forcing", "axis": "reasoning_tokens",
                              "budget": st["avg_thinking_tokens"].astype(float), "accuracy": _pct(st, "accuracy_pct"),
                              "n": N("AIME24"), "source": "s1_sequential_scaling_stretched_fig_digitized",
                              "benchmark": "AIME24", "role": "caveat"}))
    bcp = datasets.published("browsecomp_plus_tables")
    t4 = bcp[bcp["table"] == "Table4"]
    for (llm, ret), g in t4.groupby(["llm", "retriever"], sort=True):
        rows.append(pd.DataFrame({"series": f"{llm} {ret} (BC+ effort)", "axis": "search_steps",
                                  "budget": g["avg_search_calls"].astype(float), "accuracy": _pct(g, "accuracy_pct"),
                                  "n": N("BrowseComp-Plus"), "source": "browsecomp_plus_tables",
                                  "benchmark": "BrowseComp-Plus", "role": "observational"}))
    bats = datasets.published("bats_tool_budget")
    cap = bats[bats["table_or_figure"].isin(["Table2", "Table5"]) & (bats["method"] == "ReAct")
               & (bats["benchmark"] == "BrowseComp")]
    for m, g in cap.groupby("model", sort=True):
        rows.append(pd.DataFrame({"series": f"{m} ReAct (BATS cap)", "axis": "search_steps",
                                  "budget": g["tool_budget_per_tool"].astype(float), "accuracy": _pct(g, "accuracy_pct"),
                                  "n": np.nan, "source": "bats_tool_budget", "benchmark": "BrowseComp", "role": "curve"}))
    ps = datasets.published("browsecomp_deep_research_parallel_sampling_approx")
    for col in ("best_of_n", "weighted_voting", "majority_voting"):
        rows.append(pd.DataFrame({"series": f"Deep Research {col.replace('_', ' ')}", "axis": "samples",
                                  "budget": ps["n_parallel_samples"].astype(float), "accuracy": _pct(ps, col),
                                  "n": N("BrowseComp"), "source": "browsecomp_deep_research_parallel_sampling_approx",
                                  "benchmark": "BrowseComp", "role": "curve"}))
    out = pd.concat(rows, ignore_index=True)
    out["approx"] = out["source"].map(lambda name: bool(
        datasets.published(name).get("value_status", pd.Series([""])).astype(str)
        .str.match(r"approx|third_party").any()))
    out["budget_set"] = out["role"] != "observational"
    out["setting"] = out["source"].map(SOURCE_SETTING).fillna("published")
    out["other_budget"] = np.nan
    a = out["approx"]
    if approx == "gaussian":
        out.loc[a, "n"] = np.nan
    elif approx == "reading_error":
        out.loc[a, "n"] = reading_error_n(out.loc[a, "n"], out.loc[a, "accuracy"], reading_sd)
    elif approx == "exclude":
        out = out[~a]
    return out.sort_values(["axis", "series", "budget"], kind="stable").reset_index(drop=True)


SOURCE_SETTING = {  # the setting of each published source (``verdicts.SETTINGS``)
    "s1_budget_forcing_fig1_digitized": "math", "s1_sequential_scaling_stretched_fig_digitized": "math",
    "browsecomp_plus_tables": "agentic research", "bats_tool_budget": "agentic research",
    "browsecomp_deep_research_parallel_sampling_approx": "agentic research", "mcpmark": "tool use",
    "user": "user"}


def _plain(v):
    """A cell value as plain Python for error messages (4.0 -> 4, numpy scalars -> Python)."""
    v = v.item() if hasattr(v, "item") else v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def read_curves(path) -> pd.DataFrame:
    """A user's curves CSV: columns series, axis, budget, accuracy and optional n and other_budget.

    ``axis`` is one of ``AXES``; accuracy in [0, 1]; budget > 0; n (questions per point) a positive whole
    number or blank (a series with any blank n is fitted with the Gaussian likelihood). ``other_budget``
    (optional, positive or blank; one value per series): the level at which the *other* budget was held
    fixed (reasoning tokens for a search_steps series, search steps for a reasoning_tokens series); two or
    more series of one axis at different ``other_budget`` levels form a crossed design that decides (c).
    Each series needs at least 3 points, one axis, and distinct budgets. Errors are ``DataError`` naming
    the file and line. Returns the same columns as ``published_curves`` (source "user", benchmark "user",
    role "curve", budget_set True, setting "user").
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"series": str, "axis": str}, keep_default_na=True)
    datasets.require_columns(df, ["series", "axis", "budget", "accuracy"], p)
    line = lambda i: f"line {i + 2}"  # noqa: E731
    bad = df["series"].isna() | (df["series"].astype(str).str.strip() == "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: column 'series' is empty")
    ax = df["axis"].astype(str).str.strip()
    bad = ~ax.isin(AXES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: column 'axis' = {df['axis'].iloc[i]!r} is not one of {list(AXES)}")
    df = datasets.to_numeric(df, ["budget", "accuracy"], p)
    datasets.check_rows(df, p, [("budget", lambda s: np.isfinite(s) & (s > 0), "is not a positive budget"),
                                ("accuracy", lambda s: (s >= 0) & (s <= 1), "is outside [0, 1]")])
    if "n" in df:
        nn = pd.to_numeric(df["n"], errors="coerce")
        bad = (df["n"].notna() & nn.isna()) | (nn.notna() & ((nn <= 0) | (nn != np.round(nn)) | ~np.isfinite(nn)))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, {line(i)}: column 'n' = {_plain(df['n'].iloc[i])!r} is not a positive whole number")
        n = nn.astype(float)
    else:
        n = pd.Series(np.nan, index=df.index)
    if "other_budget" in df:
        ob = pd.to_numeric(df["other_budget"], errors="coerce")
        bad = (df["other_budget"].notna() & ob.isna()) | (ob.notna() & ~(np.isfinite(ob) & (ob > 0)))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, {line(i)}: column 'other_budget' = {_plain(df['other_budget'].iloc[i])!r} "
                            f"is not a positive budget")
        ob = ob.astype(float)
    else:
        ob = pd.Series(np.nan, index=df.index)
    out = pd.DataFrame({"series": df["series"].astype(str).str.strip(), "axis": ax, "budget": df["budget"].astype(float),
                        "accuracy": df["accuracy"].astype(float), "n": n, "approx": False, "source": "user",
                        "benchmark": "user", "role": "curve", "budget_set": True, "setting": "user",
                        "other_budget": ob})
    pos = pd.Series(np.arange(len(out)), index=out.index)
    first_axis = out.groupby("series")["axis"].transform("first")
    bad = out["axis"] != first_axis
    if bad.any():
        i = int(pos[bad].iloc[0])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} has axis {out['axis'].iloc[i]!r}, "
                        f"but its first row says {first_axis.iloc[i]!r}")
    dup = out.duplicated(["series", "budget"])
    if dup.any():
        i = int(pos[dup].iloc[0])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} repeats budget {_plain(out['budget'].iloc[i])!r}")
    nob = out.groupby("series")["other_budget"].transform(lambda v: v.nunique(dropna=False))
    bad = nob > 1
    if bad.any():
        i = int(pos[bad].iloc[0])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} has more than one 'other_budget' "
                        f"(a series holds the other budget fixed)")
    size = out.groupby("series")["budget"].transform("size")
    bad = size < 3
    if bad.any():
        i = int(pos[bad].iloc[0])
        lines = ", ".join(str(int(j) + 2) for j in pos[out["series"] == out["series"].iloc[i]])
        raise DataError(f"{p}, {line(i)}: series {out['series'].iloc[i]!r} has {int(size.iloc[i])} point(s) "
                        f"(lines {lines}); a curve needs at least 3")
    return out.sort_values(["axis", "series", "budget"], kind="stable").reset_index(drop=True)


# =====================================================================================  curve fits


def fit_table(df: pd.DataFrame, profile_points: int = 60) -> pd.DataFrame:
    """Every form of ``helpers.curves.FORMS`` fitted to every series (``curves.fit_all``).

    The columns of ``curves.fit_all`` plus axis, source, role, identified and curvature (the shape
    parameter with its Wald interval). ``profile_points`` trades the ceiling's profile grid for speed.
    A form with as many parameters as points (or more) interpolates the points: nothing is left to estimate
    its uncertainty from, so ``identified`` is False and its intervals (curvature, ceiling, gains) are NaN
    and its ceiling "not identified" (never a zero-width interval).
    """
    validate.integer("profile_points", profile_points, 5, 1000)
    out = curves.fit_all(df, extra=("axis", "source", "role"), profile_points=profile_points)
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
    for name, g in df.groupby("series", sort=True):
        g = g.sort_values("budget")
        x, y = g["budget"].to_numpy(float), g["accuracy"].to_numpy(float)
        n = g["n"].to_numpy(float) if g["n"].notna().all() else None
        f = fits[(fits["series"] == name) & fits["form"].isin(SATURATING)]
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


# =====================================================================================  same-shape test


class _Internal:
    """Optimizer coordinates of a form for one curve; power_saturating uses (A, log D, c) with
    B = D · x_ref^c (D: the drop below the ceiling at the geometric-mean budget), which is far better
    conditioned than (A, B, c). Other forms use their own parameters."""

    def __init__(self, form: str, x: np.ndarray):
        self.form = form
        self.F = curves.FORMS[form]
        self.x = np.asarray(x, float)
        self.xref = float(np.exp(np.mean(np.log(self.x))))
        b = self.F.bounds(self.x, np.zeros_like(self.x))
        if form == "power_saturating":
            b = [b[0], (np.log(1e-6), np.log(10.0)), b[2]]
        self.bounds = b
        self.k = len(self.F.params)
        self.shape = self.F.params.index(SHAPE_PARAM[form]) if form in SHAPE_PARAM else None

    def to_theta(self, z: np.ndarray) -> np.ndarray:
        """z[..., k] -> theta[..., k] in ``curves.FORMS`` parameters."""
        if self.form != "power_saturating":
            return z
        A, lD, c = z[..., 0], z[..., 1], z[..., 2]
        return np.stack([A, np.exp(lD) * self.xref ** c, c], axis=-1)

    def predict(self, z: np.ndarray) -> np.ndarray:
        """z[R, k] -> f[R, len(x)] through ``curves.FORMS[form].predict`` (which broadcasts)."""
        th = self.to_theta(z)
        return self.F.predict(np.moveaxis(th, -1, 0)[..., None], self.x)

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
            m = np.full_like(top, float(np.median(np.log2(self.x))))
            for dA in (0.02, 0.15, None):
                A = np.ones_like(top) if dA is None else np.minimum(1.0, top + dA)
                for s in (0.3, 1.0):
                    out.append(np.stack([A, m, np.full_like(top, s)], axis=1))
        else:
            raise ParameterError(f"form {self.form!r} has no curvature parameter; use one of {list(SHAPE_PARAM)}")
        return out


def _jacobian(pred, Z: np.ndarray, f: np.ndarray, h: np.ndarray) -> np.ndarray:
    """∂f/∂z by forward differences, for every replicate row at once: [R, N, k]."""
    cols = []
    for j in range(Z.shape[1]):  # k <= 5 coordinates; each evaluation covers all rows
        Zp = Z.copy()
        Zp[:, j] += h[j]
        cols.append((pred(Zp) - f) / h[j])
    return np.stack(cols, axis=-1)


def _objective(Y, n):
    """Row objective: binomial NLL (``curves.nll``, one value per row) when n is given, else the residual sum of squares."""
    if n is not None:
        return lambda f, rows=slice(None): curves.nll(f, Y[rows], n)
    return lambda f, rows=slice(None): np.sum((Y[rows] - f) ** 2, axis=-1)


def _batched_lm(pred, Y, n, Z0: np.ndarray, bounds, max_iter: int = 150, tol: float = 1e-10):
    """Fit R replicate curves at once by Levenberg-Marquardt / Fisher scoring, with box bounds.

    ``pred(Z[m, k]) -> f[m, N]`` for any number of rows m (the budgets are shared). Binomial (``n``
    given): minimizes ``curves.nll`` (per row) with weights W = n / (f(1-f)); Gaussian (``n`` None): minimizes the
    residual sum of squares (W = 1). Each iteration solves (JᵀWJ + λ·(diag(JᵀWJ) + I))·δ = JᵀW(y - f)
    per row, freezes coordinates held at a bound by the gradient, projects onto the box, and keeps the
    step only where it lowers that row's objective (λ shrinks there and grows elsewhere). Rows stop when
    the decrease is below ``tol`` (relative) or λ explodes. Returns (Z_hat, objective values).
    """
    lo = np.array([b[0] for b in bounds], float)
    hi = np.array([b[1] for b in bounds], float)
    Z = np.clip(np.asarray(Z0, float), lo, hi)
    R, k = Z.shape
    h = 1e-6 * np.clip(hi - lo, 1.0, 10.0)
    obj = _objective(Y, n)
    eye = np.eye(k)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        f = pred(Z)
        val = obj(f)
        lam = np.full(R, 1e-3)
        active = np.isfinite(val)
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            Za, fa = Z[idx], f[idx]
            J = _jacobian(pred, Za, fa, h)
            if n is not None:
                fc = np.clip(fa, curves.EPS, 1 - curves.EPS)
                Wt = n / (fc * (1 - fc))
            else:
                Wt = np.ones_like(fa)
            g = np.einsum("rnk,rn->rk", J, Wt * (Y[idx] - fa))  # descent direction of the objective
            H = np.einsum("rnk,rn,rnm->rkm", J, Wt, J)
            free = ~(((Za <= lo + 1e-12) & (g < 0)) | ((Za >= hi - 1e-12) & (g > 0)))
            H = H * free[:, :, None] * free[:, None, :] + eye * (~free)[:, :, None]
            g = g * free
            L = lam[idx][:, None, None]
            M = H + L * (np.einsum("rkk->rk", H)[:, :, None] * eye + eye)
            step = np.linalg.solve(M, g[..., None])[..., 0]
            Zc = np.clip(Za + step, lo, hi)
            fcand = pred(Zc)
            vc = obj(fcand, idx)
            better = np.isfinite(vc) & (vc < val[idx])
            gain = np.where(better, val[idx] - vc, 0.0)
            upd = idx[better]
            Z[upd], f[upd], val[upd] = Zc[better], fcand[better], vc[better]
            lam[idx] = np.where(better, np.maximum(lam[idx] / 5, 1e-12), lam[idx] * 10)
            done = (better & (gain <= tol * np.maximum(1.0, np.abs(val[idx])))) | (lam[idx] > 1e10)
            active[idx[done]] = False
    return Z, val


def _best_of(pred, Y, n, starts: list[np.ndarray], bounds):
    """Per-row best of several starts, all fitted in ONE batched call (starts stacked as extra rows)."""
    S, R = len(starts), Y.shape[0]
    Z, f = _batched_lm(pred, np.tile(Y, (S, 1)), n, np.concatenate(starts, axis=0), bounds)
    f = np.where(np.isfinite(f), f, np.inf).reshape(S, R)
    pick = np.argmin(f, axis=0)
    return Z.reshape(S, R, -1)[pick, np.arange(R)], f[pick, np.arange(R)]


def same_shape_test_batch(x1, Y1, n1, x2, Y2, n2, form: str = "power_saturating", dispersion: str = "binomial") -> dict:
    """Vectorized same-shape test over replicate rows Y1[R, N1], Y2[R, N2] (see the module docstring).

    n1, n2: questions per point (scalars or arrays over points), or None: when either curve lacks n both
    are treated with the Gaussian likelihood (one pooled variance) and an F test. Returns: statistic,
    p_value (arrays over rows), df_resid, method ("lr_chi2", "quasi_f" or "gaussian_f"), dispersion
    (Pearson φ̂ of the separate binomial fits; NaN otherwise), curvature_1, curvature_2 (separate fits),
    curvature_joint, nll_joint, nll_separate (binomial NLL, or RSS for the Gaussian case).
    """
    validate.choice("form", form, list(SHAPE_PARAM))
    validate.choice("dispersion", dispersion, ["binomial", "quasi"])
    x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
    Y1, Y2 = np.atleast_2d(np.asarray(Y1, float)), np.atleast_2d(np.asarray(Y2, float))
    if Y1.shape[0] != Y2.shape[0] or Y1.shape[1] != len(x1) or Y2.shape[1] != len(x2):
        raise ParameterError("Y1 and Y2 must be [replicates, points] arrays matching x1 and x2")
    if len(x1) < 3 or len(x2) < 3:
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

    def pred_joint(W):
        A, B = split(W)
        return np.concatenate([c1.predict(A), c2.predict(B)], axis=1)

    Yj = np.concatenate([Y1, Y2], axis=1)
    Nj = np.concatenate([N1, N2]) if binom else None
    # separate fits (own starts), the joint fit with a shared curvature (its own starts and the separate
    # optima), then the separate fits again from the joint optimum so that NLL_sep <= NLL_joint
    Z1, f1 = _best_of(c1.predict, Y1, N1, c1.starts(Y1), c1.bounds)
    Z2, f2 = _best_of(c2.predict, Y2, N2, c2.starts(Y2), c2.bounds)
    jb = [c1.bounds[i] for i in others] + [c2.bounds[i] for i in others] + [c1.bounds[j]]
    jstarts = [np.concatenate([s1[:, others], s2[:, others], s1[:, [j]]], axis=1)
               for s1, s2 in zip(c1.starts(Y1), c2.starts(Y2))]
    jstarts += [np.concatenate([Z1[:, others], Z2[:, others], cj], axis=1) for cj in (Z1[:, [j]], Z2[:, [j]])]
    W, fj = _best_of(pred_joint, Yj, Nj, jstarts, jb)
    A0, B0 = split(W)
    Z1b, f1b = _batched_lm(c1.predict, Y1, N1, A0, c1.bounds)
    Z2b, f2b = _batched_lm(c2.predict, Y2, N2, B0, c2.bounds)
    Z1 = np.where((f1b < f1)[:, None], Z1b, Z1)
    Z2 = np.where((f2b < f2)[:, None], Z2b, Z2)
    fs = np.minimum(f1, f1b) + np.minimum(f2, f2b)
    df_resid = len(x1) + len(x2) - 2 * k
    R = Y1.shape[0]
    phi = np.full(R, np.nan)
    if binom:
        stat = np.maximum(2 * (fj - fs), 0.0)
        P = np.clip(np.concatenate([c1.predict(Z1), c2.predict(Z2)], axis=1), curves.EPS, 1 - curves.EPS)
        if df_resid >= 1:
            phi = np.sum(Nj * (Yj - P) ** 2 / (P * (1 - P)), axis=1) / df_resid
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


def same_shape_test(x1, y1, n1, x2, y2, n2, form: str = "power_saturating", dispersion: str = "binomial") -> dict:
    """The same-shape test for one pair of observed curves (scalar results; see ``same_shape_test_batch``)."""
    r = same_shape_test_batch(x1, np.asarray(y1, float)[None, :], n1, x2, np.asarray(y2, float)[None, :], n2,
                              form, dispersion)
    return {k: (v[0] if v.ndim > 1 else v[0].item()) if isinstance(v, np.ndarray) else v for k, v in r.items()}


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


def _rejections(rng, x1, n1, f1, x2, n2, f2s: dict, *, reps, alpha, form, dispersion, sigma=None) -> pd.DataFrame:
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
    res = same_shape_test_batch(x1, Y1, n1, x2, Y2, n2, form, dispersion)
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
                           dispersion: str = "binomial") -> pd.DataFrame:
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
    return _rejections(rng, x1, n1, f1, x2, n2, f2s, reps=reps, alpha=alpha, form=form, dispersion=dispersion)


def pair_error_rates(rng: np.random.Generator, x1, n1, x2, n2, test: dict, *, form: str, ratios: Sequence[float] = (0.5, 2.0),
                     reps: int = 200, alpha: float = 0.05, dispersion: str = "binomial") -> pd.DataFrame:
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
                       form=form, dispersion=dispersion, sigma=sigma)


def shape_tests(df: pd.DataFrame, *, search_axes: Sequence[str] = ("search_steps",), form: str = "power_saturating",
                dispersion: str = "binomial", alpha: float = 0.05, untestable: Sequence[str] = (),
                rng: np.random.Generator | None = None, power_reps: int = 0,
                ratios: Sequence[float] = (0.5, 2.0)) -> pd.DataFrame:
    """Same-shape test for every (reasoning series, search-axis series) pair with role "curve".

    ``untestable``: series whose curvature is not identified (e.g. flat curves): their pairs get NaN
    statistics and ``same_shape`` None (so do Gaussian pairs without residual degrees of freedom).
    p-values are Holm-adjusted over the testable pairs; ``same_shape`` is True when the adjusted
    p >= alpha (no evidence of a different curvature). With ``rng`` and ``power_reps`` > 0, each testable
    pair also gets its simulated size (``size``) and its power against curvature ratios ``ratios``
    (``power_by_ratio``; ``power`` = the smallest over the ratios) at its own design (``pair_error_rates``).
    """
    cur = df[df["role"] == "curve"]
    reas = sorted(cur.loc[cur["axis"] == "reasoning_tokens", "series"].unique())
    srch = sorted(cur.loc[cur["axis"].isin(search_axes), "series"].unique())
    rows = []

    def arrays(name):
        g = cur[cur["series"] == name].sort_values("budget")
        n = g["n"].to_numpy(float) if g["n"].notna().all() else None
        return g["budget"].to_numpy(float), g["accuracy"].to_numpy(float), n, g["axis"].iloc[0]

    for a in reas:  # a handful of series pairs
        xa, ya, na, _ = arrays(a)
        for b in srch:
            xb, yb, nb, axb = arrays(b)
            row = {"reasoning_series": a, "search_series": b, "search_axis": axb, "form": form,
                   "statistic": np.nan, "p_value": np.nan, "df_resid": np.nan, "method": "untestable",
                   "dispersion": np.nan, "curvature_reasoning": np.nan, "curvature_search": np.nan,
                   "curvature_joint": np.nan, "size": np.nan, "power": np.nan, "power_by_ratio": {}}
            if not (b in untestable or a in untestable):
                r = same_shape_test(xa, ya, na, xb, yb, nb, form, dispersion)
                row.update(statistic=r["statistic"], p_value=r["p_value"], df_resid=r["df_resid"], method=r["method"],
                           dispersion=r["dispersion"], curvature_reasoning=r["curvature_1"],
                           curvature_search=r["curvature_2"], curvature_joint=r["curvature_joint"])
                if rng is not None and power_reps > 0 and np.isfinite(r["p_value"]):
                    er = pair_error_rates(rng, xa, na, xb, nb, r, form=form, ratios=ratios, reps=power_reps,
                                          alpha=alpha, dispersion=dispersion)
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
        out.loc[ok, "p_holm"] = multipletests(out.loc[ok, "p_value"].to_numpy(), method="holm")[1]
    out["same_shape"] = pd.Series([None if not np.isfinite(p) else bool(p >= alpha) for p in out["p_holm"]],
                                  dtype=object)
    return out


# =====================================================================================  verdicts


def _count(outcomes: Sequence[str], support_share: float, min_resolved: int = 1) -> str:
    """The counting rule of ``verdicts.CountingRule`` over a list of outcomes (holds/breaks/unresolved)."""
    from . import verdicts

    t = verdicts.evidence_table([{"source": "x", "unit": "x", "in_scope": True, "outcome": o} for o in outcomes])
    return verdicts.CountingRule(support_share, min_resolved).decide(t)


def verdict_diminishing(status: pd.Series, share_for_support: float = 0.75, min_resolved: int = 1) -> str:
    """(a) from the per-series classes of the search-budget curves (the counting rule).

    diminishing holds; flat, accelerating and non-monotone break; undetermined and not identified are
    unresolved. Fewer than ``min_resolved`` resolved curves: inconclusive; share holding >=
    ``share_for_support``: supported; <= 1 - share: not supported (so no supporting curve can never give
    "partly supported"); else partly supported.
    """
    from .search_scaling_verdict import STATUS_OUTCOME

    return _count([STATUS_OUTCOME[v] for v in pd.Series(status, dtype=object)], share_for_support, min_resolved)


def verdict_same_shape(same_shape: Sequence, power: Sequence[float], min_power: float = 0.8,
                       support_share: float = 0.75, min_resolved: int = 1) -> str:
    """(b) from the Holm-adjusted pair decisions and each pair's simulated power (the counting rule).

    A pair breaks when rejected (same_shape False), holds when accepted with power >= ``min_power``, and is
    unresolved otherwise (an under-powered acceptance, or untestable: None).
    """
    out = []
    for v, p in zip(same_shape, power):
        ok = p is not None and np.isfinite(p) and p >= min_power
        out.append("breaks" if v is False else "holds" if (v is True and ok) else "unresolved")
    return _count(out, support_share, min_resolved)


def verdict_fungible(crossed=None, support_share: float = 1.0, min_resolved: int = 1) -> str:
    """(c) from crossed designs: a frame with an ``outcome`` column (``search_scaling_verdict.crossed_designs``)
    or a list of outcomes. Substitution is identified only by a design that sets both budgets; with none
    (no input, an empty frame, or the published ``DESIGNS`` table, which holds no crossed result) the verdict
    is inconclusive, never a default. Otherwise the counting rule: substitutes hold, complements break.
    """
    if crossed is None:
        return "inconclusive"
    if isinstance(crossed, pd.DataFrame):
        if "outcome" not in crossed:
            return "inconclusive"
        crossed = crossed["outcome"].tolist()
    return _count(list(crossed), support_share, min_resolved)


def combine_verdicts(parts: Sequence[str]) -> str:
    """All inconclusive: inconclusive. All conclusive parts supported and none inconclusive: supported.
    All conclusive parts not supported: not supported. Otherwise partly supported."""
    parts = list(parts)
    conc = [p for p in parts if p != "inconclusive"]
    if not conc:
        return "inconclusive"
    if all(p == "supported" for p in parts):
        return "supported"
    if all(p == "not supported" for p in conc):
        return "not supported"
    return "partly supported"
