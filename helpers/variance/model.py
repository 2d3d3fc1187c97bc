"""The generative model: synthetic multi-agent runs, linear runs with known shares, upgrade versus doubling.

Synthetic multi-agent runs (``simulate_runs``). Tasks t with difficulty d_t ~ N(0, σ_d²); configurations
(model m with capability θ_m, subagents s, token budget B); ``runs`` runs per (task, configuration):
      p = expit(θ_m + β · log2(B / B_ref) - d_t),          y ~ Bernoulli(p)
      log2 tokens = log2 B + γ · (1 - y) · [mechanism = "usage"] + σ_tok · z
      tool_calls ~ Poisson( s^κ · tokens / tokens_per_call )
Under ``budget`` the tokens recorded are the budget the experimenter set (a cause of y); under ``usage`` a
failing run loops longer and spends 2^γ times more (tokens are partly an effect of failure). Tool calls
follow tokens and subagents and have no effect of their own on y.

Linear-Gaussian runs (``simulate_linear_groups``) have closed-form R² and Shapley shares
(``closed_form_two_predictors``), the recovery targets. ``upgrade_vs_doubling``: a model upgrade is worth
(θ_to - θ_from)/β doublings of budget; ``fitted_upgrade_vs_doubling`` estimates it from runs.
"""
from __future__ import annotations

import math
import warnings
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from ..validate import ParameterError
from .frames import LEVEL, MECHANISMS, _check_rng

def simulate_runs(rng: np.random.Generator, *, n_tasks: int, capabilities: Mapping[str, float],
                  log2_budgets: Sequence[float], subagents: Sequence[int] = (1, 4), runs: int = 1,
                  token_effect: float = 0.35, difficulty_sd: float = 1.5, mechanism: str = "budget",
                  loop_effect: float = 1.5, token_noise_sd: float = 0.3, log2_tokens_per_call: float = 11.0,
                  subagent_call_exponent: float = 0.5, log2_budget_ref: float | None = None) -> pd.DataFrame:
    """Synthetic multi-agent research runs (module docstring). One row per (task, configuration, run).

    ``log2_budgets``: token budgets tested, in log2 tokens. ``capabilities``: {model name: θ (logit)}.
    ``log2_budget_ref``: budget at which θ applies (default: mean of ``log2_budgets``).
    Columns: task, model, subagents, log2_budget, config, difficulty, p, score, tokens, tool_calls.
    """
    _check_rng(rng)
    if mechanism not in MECHANISMS:
        raise ParameterError(f"mechanism {mechanism!r} is not one of {MECHANISMS}")
    for name, v, lo in (("n_tasks", n_tasks, 1), ("runs", runs, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ParameterError(f"{name} must be an integer >= {lo}, got {v!r}")
    if not capabilities:
        raise ParameterError("capabilities needs at least one model")
    b = np.asarray(log2_budgets, dtype=float)
    s = np.asarray(subagents, dtype=float)
    if b.size < 1 or not np.all(np.isfinite(b)):
        raise ParameterError("log2_budgets must be finite numbers")
    if s.size < 1 or np.any(s < 1):
        raise ParameterError("subagents must be >= 1")
    for name, v in (("difficulty_sd", difficulty_sd), ("token_noise_sd", token_noise_sd)):
        if not (np.isfinite(v) and v >= 0):
            raise ParameterError(f"{name} must be >= 0, got {v!r}")
    ref = float(np.mean(b)) if log2_budget_ref is None else float(log2_budget_ref)
    names = list(capabilities)
    theta = np.array([capabilities[m] for m in names], dtype=float)
    # full grid: task x model x subagents x budget x run, vectorized
    T, M, Sa, Bn, R = n_tasks, len(names), s.size, b.size, runs
    t_i, m_i, s_i, b_i, _ = (a.ravel() for a in np.meshgrid(np.arange(T), np.arange(M), np.arange(Sa),
                                                            np.arange(Bn), np.arange(R), indexing="ij"))
    d = rng.normal(0.0, difficulty_sd, T)
    eta = theta[m_i] + token_effect * (b[b_i] - ref) - d[t_i]
    p = special.expit(eta)
    y = (rng.random(p.size) < p).astype(float)
    loop = loop_effect * (1.0 - y) if mechanism == "usage" else 0.0
    log2_tok = b[b_i] + loop + token_noise_sd * rng.standard_normal(p.size)
    tokens = np.exp2(log2_tok)
    calls = rng.poisson(np.power(s[s_i], subagent_call_exponent) * np.exp2(log2_tok - log2_tokens_per_call))
    model = np.asarray(names, dtype=object)[m_i]
    config = pd.Series(model).astype(str) + "|s" + pd.Series(s[s_i].astype(int)).astype(str) + "|b" + \
        pd.Series(b[b_i]).map(lambda v: f"{v:g}")
    return pd.DataFrame({"task": pd.Series(t_i).map(lambda i: f"t{i:04d}"), "model": model.astype(str),
                         "subagents": s[s_i].astype(int), "log2_budget": b[b_i], "config": config,
                         "difficulty": d[t_i], "p": p, "score": y, "tokens": tokens,
                         "tool_calls": calls.astype(float)})


def explainable_ceiling(sim: pd.DataFrame) -> float:
    """Var(p) / Var(y): the largest R² any predictor of a run's binary score can reach (true p known)."""
    vy = float(np.var(sim["score"]))
    return float(np.var(sim["p"]) / vy) if vy > 0 else float("nan")


# ---------------------------------------------------------------- closed forms for recovery tests


def simulate_linear_groups(rng: np.random.Generator, n: int, *, b_tok: float, b_call: float,
                           model_effects: Sequence[float], rho: float = 0.0, noise_sd: float = 1.0,
                           n_tasks: int | None = None) -> pd.DataFrame:
    """Linear-Gaussian runs with known variance contributions (for recovery tests).

    x_tok, x_call ~ N(0, 1) with correlation rho (written back as tokens = 2^x_tok, tool_calls = 2^x_call - 1);
    model uniform over len(model_effects) levels, independent of both; y = b_tok·x_tok + b_call·x_call +
    μ_model + ε, ε ~ N(0, noise_sd²). ``score`` is y itself (not bounded): use with ``prepare`` skipped.
    """
    _check_rng(rng)
    if not -1 < rho < 1:
        raise ParameterError("rho must lie in (-1, 1)")
    z = rng.standard_normal((n, 2))
    x1 = z[:, 0]
    x2 = rho * z[:, 0] + math.sqrt(1 - rho ** 2) * z[:, 1]
    mu = np.asarray(model_effects, dtype=float)
    k = rng.integers(0, mu.size, n)
    y = b_tok * x1 + b_call * x2 + mu[k] + noise_sd * rng.standard_normal(n)
    df = pd.DataFrame({"model": pd.Series(k).map(lambda i: f"m{i}"), "x_tok": x1, "x_call": x2, "y": y,
                       "tokens": np.exp2(x1), "tool_calls": np.exp2(x2) - 1})
    df["config"] = df["model"]
    if n_tasks:
        df["task"] = pd.Series(rng.integers(0, n_tasks, n)).map(lambda i: f"t{i}")
    return df


def closed_form_two_predictors(b_tok: float, b_call: float, model_effects: Sequence[float], rho: float,
                               noise_sd: float) -> dict:
    """Population R² alone and Shapley shares of ``simulate_linear_groups`` (model independent of x's)."""
    mu = np.asarray(model_effects, dtype=float)
    v_model = float(np.var(mu))  # uniform levels
    v_x = b_tok ** 2 + b_call ** 2 + 2 * rho * b_tok * b_call
    vy = v_x + v_model + noise_sd ** 2
    r_tok = (b_tok + rho * b_call) ** 2 / vy
    r_call = (b_call + rho * b_tok) ** 2 / vy
    r_both = v_x / vy
    share_tok = 0.5 * (r_tok + (r_both - r_call))
    share_call = 0.5 * (r_call + (r_both - r_tok))
    return {"alone": {"tokens": r_tok, "tool_calls": r_call, "model": v_model / vy},
            "shares": {"tokens": share_tok, "tool_calls": share_call, "model": v_model / vy},
            "r2_total": (v_x + v_model) / vy}


# ---------------------------------------------------------------- model upgrade versus doubling the budget


def upgrade_vs_doubling(theta_from: float, theta_to: float, token_effect: float, difficulty_sd: float,
                        log2_budget_rel: float = 0.0, nodes: int = 64) -> dict:
    """Accuracy gain of upgrading the model versus doubling the budget, averaged over task difficulty.

    acc(θ, b) = E_d[expit(θ + β·b - d)], d ~ N(0, σ_d²) (Gauss-Hermite quadrature). Returns the two gains and
    the number of budget doublings that matches the upgrade, (θ_to - θ_from)/β, on the logit scale.
    """
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()

    def acc(th, bb):
        return float(np.sum(w * special.expit(th + token_effect * bb - difficulty_sd * x)))

    base = acc(theta_from, log2_budget_rel)
    return {"acc_base": base, "gain_upgrade": acc(theta_to, log2_budget_rel) - base,
            "gain_doubling": acc(theta_from, log2_budget_rel + 1) - base,
            "doublings_equivalent": (theta_to - theta_from) / token_effect if token_effect else float("inf")}


_FAST_CLOGIT = None


def _conditional_logit_class():
    """statsmodels' ``ConditionalLogit`` with its log-likelihood and score computed for all groups at once.

    statsmodels sums, group by group, log Σ_{|S| = n1} Π_{i∈S} e^{x_i β} (the conditional denominator) through
    a memoized Python recursion f(t, k) = f(t-1, k) + f(t-1, k-1)·e^{x_t β} (and its gradient likewise). Here
    the same recursion runs as a table over t for every group together (numpy, one step per t): each cell
    is the same floating-point expression, and every per-group quantity (e^{xβ}, the log, the final sums in
    group order) is computed as statsmodels does, so the fit's numbers are unchanged (tests pin them)."""
    global _FAST_CLOGIT
    if _FAST_CLOGIT is not None:
        return _FAST_CLOGIT
    from statsmodels.discrete.conditional_models import ConditionalLogit

    class _TableConditionalLogit(ConditionalLogit):
        def _tables(self, params):
            G, P = self._n_groups, self.k_params
            T, K = max(self._groupsize), max(int(n) for n in self._n1)
            exb = np.ones((G, T))
            for g in range(G):
                exb[g, :self._groupsize[g]] = np.exp(np.dot(self._exog_grp[g], params) + 0)
            return G, P, T, K, exb, np.asarray(self._groupsize)

        def _denominators(self, params):
            G, _, T, K, exb, size = self._tables(params)
            U = np.zeros((G, K + 1))
            U[:, 0] = 1.0
            with np.errstate(all="ignore"):
                for t in range(1, T + 1):
                    m = min(t, K)
                    new = U.copy()
                    new[:, 1:m + 1] = U[:, 1:m + 1] + U[:, 0:m] * exb[:, t - 1:t]
                    U = np.where((t <= size)[:, None], new, U)
            return [U[g, int(self._n1[g])] for g in range(G)]

        def loglike(self, params):
            dens = self._denominators(params)
            ll = 0
            for g in range(len(self._endog_grp)):
                llg = np.dot(self._xy[g], params)
                llg -= np.log(dens[g])
                ll += llg
            return ll

        def score(self, params):
            G, P, T, K, exb, size = self._tables(params)
            ex = np.zeros((G, T, P))
            for g in range(G):
                ex[g, :self._groupsize[g]] = self._exog_grp[g]
            U = np.zeros((G, K + 1))
            U[:, 0] = 1.0
            V = np.zeros((G, K + 1, P))
            with np.errstate(all="ignore"):
                for t in range(1, T + 1):
                    m = min(t, K)
                    h = exb[:, t - 1:t]
                    a, b, c, e = U[:, 1:m + 1], V[:, 1:m + 1], U[:, 0:m], V[:, 0:m]
                    d = (c * h)[:, :, None] * ex[:, None, t - 1, :]
                    newU, newV = U.copy(), V.copy()
                    newU[:, 1:m + 1] = a + c * h
                    newV[:, 1:m + 1] = b + d + e * h[:, :, None]
                    keep = (t <= size)
                    U = np.where(keep[:, None], newU, U)
                    V = np.where(keep[:, None, None], newV, V)
            score = 0
            for g in range(self._n_groups):
                k = int(self._n1[g])
                score += self._xy[g] - V[g, k] / U[g, k]
            return score

    _FAST_CLOGIT = _TableConditionalLogit
    return _FAST_CLOGIT


def fitted_upgrade_vs_doubling(sim: pd.DataFrame, model_from: str, model_to: str, level: float = LEVEL) -> dict:
    """The same comparison estimated from runs where the budget was varied by design: a conditional logit
    (task fixed effects conditioned out, statsmodels ``ConditionalLogit`` with its likelihood tabulated over all
    groups at once: ``_conditional_logit_class``, the same numbers) of score on log2_budget and an
    indicator of ``model_to`` among runs of the two models; ratio (θ_to - θ_from)/β with a delta-method
    interval."""
    df = sim[sim["model"].isin([model_from, model_to])].reset_index(drop=True)
    if df["model"].nunique() < 2:
        raise ParameterError(f"runs of both {model_from!r} and {model_to!r} are needed")
    exog = pd.DataFrame({"log2_budget": df["log2_budget"].astype(float),
                         "upgrade": (df["model"] == model_to).astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = _conditional_logit_class()(df["score"].astype(float), exog, groups=df["task"]).fit(disp=0)
    beta, dth = float(res.params["log2_budget"]), float(res.params["upgrade"])
    cov = np.asarray(res.cov_params())[[1, 0]][:, [1, 0]]
    grad = np.array([1 / beta, -dth / beta ** 2])
    se = float(np.sqrt(grad @ cov @ grad))
    z = stats.norm.ppf(0.5 + level / 2)
    ci_b = res.conf_int(alpha=1 - level).loc["log2_budget"]
    ratio = dth / beta
    return {"token_effect": beta, "token_effect_ci": (float(ci_b.iloc[0]), float(ci_b.iloc[1])),
            "upgrade_effect": dth, "doublings_equivalent": ratio,
            "doublings_equivalent_ci": (ratio - z * se, ratio + z * se)}
