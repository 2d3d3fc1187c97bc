"""Cost per solved task from logged benchmark runs (claim 5, part b's coding-agent check) and rank agreement.

``cost_per_solved_task``: per setup, cost per attempt, per million tokens and per solved task (a passing
attempt is the artifact), with intervals from a task bootstrap (tasks resampled with replacement through
``helpers.bootstrap``, the same draw for every setup, so comparisons are paired). ``kendall_tau_a`` and
``rank_agreement`` ask whether two denominators order the setups the same way.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import bootstrap, validate
from ..validate import DataError


def cost_per_solved_task(runs: pd.DataFrame, rng: np.random.Generator, n_boot: int = 2000,
                         level: float = 0.95, setup_col: str = "setup", task_col: str = "task",
                         return_boot: bool = False):
    """Cost per attempt, per million tokens and per solved task for each setup, with task-bootstrap intervals.

    ``runs``: one row per attempt with columns setup, task, passed (bool), billed_usd, tokens_in, tokens_out
    (``datasets.cost_bench_runs()``). Per setup:

        cost per attempt     = Σ billed / attempts
        cost per Mtok        = Σ billed / Σ (tokens_in + tokens_out) * 1e6
        cost per solved task = Σ billed / Σ passed          (the artifact is a passing attempt)

    Intervals resample tasks with replacement (the same task draw for every setup, so the comparison is
    paired); ``n_boot`` draws are one index matrix, sums are matrix reductions. With ``return_boot``
    also returns {"cost_per_mtok_usd", "cost_per_attempt_usd", "cost_per_solved_usd"}: setups x n_boot arrays.
    """
    need = [setup_col, task_col, "passed", "billed_usd", "tokens_in", "tokens_out"]
    missing = [c for c in need if c not in runs]
    if missing:
        raise DataError(f"cost_per_solved_task: runs lack column(s) {missing}")
    if runs.empty:
        raise DataError("cost_per_solved_task: no runs")
    validate.integer("n_boot", n_boot, 10)
    r = runs.assign(tokens=runs["tokens_in"] + runs["tokens_out"], n=1, passed=runs["passed"].astype(int))
    piv = {c: r.pivot_table(index=setup_col, columns=task_col, values=c, aggfunc="sum", fill_value=0)
           for c in ("billed_usd", "passed", "n", "tokens")}
    setups = piv["n"].index
    mats = {c: piv[c].reindex(index=setups, columns=piv["n"].columns, fill_value=0).to_numpy(float) for c in piv}
    T = mats["n"].shape[1]
    idx = bootstrap.indices(T, n_boot, rng)
    boot = {c: m[:, idx].sum(axis=2) for c, m in mats.items()}          # setups x n_boot
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_solve_b = np.where(boot["passed"] > 0, boot["billed_usd"] / boot["passed"], np.nan)
        per_att_b = boot["billed_usd"] / boot["n"]
        tot = {c: m.sum(axis=1) for c, m in mats.items()}
        out = pd.DataFrame({
            "attempts": tot["n"].astype(int), "solved": tot["passed"].astype(int),
            "pass_rate": tot["passed"] / tot["n"], "billed_usd": tot["billed_usd"],
            "cost_per_attempt_usd": tot["billed_usd"] / tot["n"],
            "cost_per_attempt_lo": np.nanpercentile(per_att_b, q[0], axis=1),
            "cost_per_attempt_hi": np.nanpercentile(per_att_b, q[1], axis=1),
            "cost_per_mtok_usd": tot["billed_usd"] / tot["tokens"] * 1e6,
            "cost_per_solved_usd": np.where(tot["passed"] > 0, tot["billed_usd"] / np.maximum(tot["passed"], 1), np.nan),
            "cost_per_solved_lo": np.nanpercentile(per_solve_b, q[0], axis=1),
            "cost_per_solved_hi": np.nanpercentile(per_solve_b, q[1], axis=1)}, index=setups)
        per_mtok_b = boot["billed_usd"] / boot["tokens"] * 1e6
    if return_boot:
        return out, {"cost_per_mtok_usd": per_mtok_b, "cost_per_attempt_usd": per_att_b,
                     "cost_per_solved_usd": per_solve_b}
    return out


def kendall_tau_a(x, y, axis: int = 0) -> np.ndarray:
    """Kendall's tau-a of x and y along ``axis`` (items), vectorized over the other axis.

        tau_a = Σ_{i<j} sign(x_i - x_j) sign(y_i - y_j) / (n (n-1) / 2)
    NaN items make the result NaN.
    """
    x, y = np.moveaxis(np.asarray(x, float), axis, -1), np.moveaxis(np.asarray(y, float), axis, -1)
    n = x.shape[-1]
    sx = np.sign(x[..., :, None] - x[..., None, :])
    sy = np.sign(y[..., :, None] - y[..., None, :])
    return (sx * sy).sum(axis=(-1, -2)) / 2 / (n * (n - 1) / 2)


def rank_agreement(a, b) -> float:
    """Kendall's tau between two orderings of the same items (1 = same order, -1 = reversed)."""
    from scipy import stats

    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size < 2:
        return math.nan
    return float(stats.kendalltau(a, b).statistic)
