"""Substitution between the two budgets, read off the (r, s) model's accuracy surface.

At the cheapest point reaching a target: the marginal rate of substitution, the elasticity of substitution
σ = d ln(r/s) / d ln MRS along the iso-quality curve (∞ perfect substitutes, 1 Cobb-Douglas, 0 perfect
complements), the compensation needed when one budget is halved, and the *fungible range* (the share of
splits of the optimum's tokens whose accuracy stays within a tolerance of the best). The 2×2 factorial
design that would tell substitutes from complements: its log-odds difference-in-differences, the
questions per cell to detect it, and its Wald test.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .. import validate
from .model import RSModel, accuracy, expansion_path, iso_reasoning, iso_search, mrs


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



def factorial_design(model: RSModel, optimum, factor: float, interactions: Sequence[float], *, alpha: float,
                     power: float) -> dict:
    """The 2×2 design around the cheapest point ``optimum`` (``substitution_summary``'s r_opt, s_opt), each budget
    divided and multiplied by ``factor``.

    For each interaction in ``interactions`` (0 and 1 added): the log-odds DiD, its difference from pure
    substitutes (ρ = 0), and the questions per cell to detect that difference at level ``alpha`` with ``power``
    (NaN for ρ = 0). Returns design (frame), r_pair, s_pair, and n_default / n_complements: the questions per
    cell at the model's own interaction (NaN when it is 0) and at pure complements. An unreachable optimum
    gives an empty design and NaN sizes.
    """
    if not optimum["reachable"]:
        return {"design": pd.DataFrame(), "r_pair": None, "s_pair": None, "n_default": np.nan, "n_complements": np.nan}
    r_pair = [optimum["r_opt"] / factor, optimum["r_opt"] * factor]
    s_pair = [max(optimum["s_opt"] / factor, 0.0), optimum["s_opt"] * factor]
    did = {rho: interaction_contrast(model.with_(interaction=rho), r_pair, s_pair)
           for rho in sorted(set(interactions) | {0.0, 1.0})}
    did0 = did[0.0]["did_logit"]
    design = pd.DataFrame([{"interaction": rho, "did_logit": d["did_logit"],
                            "difference_vs_substitutes": d["did_logit"] - did0,
                            "n_per_cell": n_per_cell_for_contrast(d["p"], d["did_logit"] - did0, alpha, power)
                            if rho > 0 else np.nan} for rho, d in did.items()])
    n_at = design.set_index("interaction")["n_per_cell"]
    rho = float(model.interaction)
    return {"design": design, "r_pair": r_pair, "s_pair": s_pair,
            "n_default": float(n_at[rho]) if rho > 0 else np.nan, "n_complements": float(n_at[1.0])}
