"""Problems tables: a user's per-problem counts CSV, the logged sources as counts, and populations from them.

A problems table has one row per (model, problem): n_samples logged samples (attempts), n_correct of them
correct, a cost per sample (tokens or dollars; 1 without), an optional difficulty label. ``prepare_counts``
turns it into one ``CountPopulation`` per model (replayed when every problem has enough samples, else a
fitted posterior or the plug-in estimate), problem ids and difficulty bins from a predictor (label, other
models' success on the problem, or a noisy score).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .. import datasets
from ..validate import DataError, ParameterError
from .core import _rng
from .difficulty import label_bins, noisy_score, quantile_bins
from .populations import CountPopulation

PROBLEM_KINDS = ("non_reasoning", "reasoning")


def read_problems_csv(path) -> pd.DataFrame:
    """Read a user's per-problem counts: problem_id, n_samples, n_correct [, model, difficulty_label, cost, kind].

    The one problems format of notebooks 03 and 07 (the planner reads it through this function too).
    Returns columns model, problem_id, difficulty_label (str, "" when absent), n_samples, n_correct (int64),
    cost (float64, 1.0 when absent), kind (``non_reasoning`` or ``reasoning``; "" when absent: 03 ignores it,
    the planner uses it to tell its two model kinds apart). Raises ``DataError`` naming the file, the CSV
    line and the column of the first bad cell: missing id, blank, non-numeric, infinite or non-whole counts,
    counts of 2^63 or more, n_samples <= 0, negative n_correct, n_correct > n_samples, non-positive cost, a
    kind outside ``PROBLEM_KINDS``, a duplicate problem id within a model; and for an empty file.
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"problem_id": str, "model": str, "difficulty_label": str, "kind": str},
                           keep_default_na=True)
    datasets.require_columns(df, ["problem_id", "n_samples", "n_correct"], p)
    line = datasets._line
    bad_id = df["problem_id"].isna() | (df["problem_id"].astype(str).str.strip() == "")
    if bad_id.any():
        i = int(np.flatnonzero(bad_id.to_numpy())[0])
        raise DataError(f"{p}, line {line(i)}: column 'problem_id' is empty")
    num = ["n_samples", "n_correct"] + (["cost"] if "cost" in df.columns else [])
    df = datasets.to_numeric(df, num, p)
    checks = [("n_samples", lambda s: s == np.round(s), "is not a whole number"),
              ("n_correct", lambda s: s == np.round(s), "is not a whole number"),
              ("n_samples", lambda s: s > 0, "is not positive"),
              ("n_correct", lambda s: s >= 0, "is negative (counts cannot be negative)"),
              ("n_correct", lambda s: s <= df["n_samples"], "exceeds n_samples")]
    if "cost" in df.columns:
        checks.append(("cost", lambda s: np.isfinite(s) & (s > 0), "is not a positive cost per sample"))
    datasets.check_rows(df, p, checks)
    model = df["model"] if "model" in df.columns else pd.Series("all", index=df.index)
    if model.isna().any():
        i = int(np.flatnonzero(model.isna().to_numpy())[0])
        raise DataError(f"{p}, line {line(i)}: column 'model' is empty")
    if "difficulty_label" in df.columns:
        lab = df["difficulty_label"]
        if lab.isna().any():
            i = int(np.flatnonzero(lab.isna().to_numpy())[0])
            raise DataError(f"{p}, line {line(i)}: column 'difficulty_label' is empty "
                            f"(give every row a label or drop the column)")
    else:
        lab = pd.Series("", index=df.index)
    if "kind" in df.columns:
        kind = df["kind"].astype("string").str.strip()
        bad = ~kind.isin(PROBLEM_KINDS).fillna(False).astype(bool)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, line {line(i)}: column 'kind' = {df['kind'].iloc[i]!r} is not one of "
                            f"{list(PROBLEM_KINDS)}")
    else:
        kind = pd.Series("", index=df.index)
    out = pd.DataFrame({"model": model.astype(str).str.strip(), "problem_id": df["problem_id"].astype(str).str.strip(),
                        "difficulty_label": lab.astype(str).str.strip(),
                        "n_samples": df["n_samples"].astype("int64"), "n_correct": df["n_correct"].astype("int64"),
                        "cost": (df["cost"] if "cost" in df.columns else pd.Series(1.0, index=df.index)).astype("float64"),
                        "kind": kind.astype(str)})
    dup = out.duplicated(["model", "problem_id"], keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        first = int(np.flatnonzero(((out["model"] == out["model"].iloc[i]) &
                                    (out["problem_id"] == out["problem_id"].iloc[i])).to_numpy())[0])
        raise DataError(f"{p}, line {line(i)}: duplicate problem_id {out['problem_id'].iloc[i]!r} for model "
                        f"{out['model'].iloc[i]!r} (first seen on line {line(first)})")
    return out


def leave_one_out_score(frame: pd.DataFrame, *, group: str = "model", unit: str = "problem_id",
                        value: str = "p_hat") -> pd.Series:
    """Predicted ease of each (group, unit) row from the other groups: mean of ``value`` over the other
    groups on the same unit (NaN when no other group saw the unit). A realistic difficulty predictor:
    how well other models did on the problem."""
    g = frame.groupby(unit)[value]
    tot, cnt = g.transform("sum"), g.transform("count")
    return ((tot - frame[value]) / (cnt - 1)).where(cnt > 1)



def terminal_bench_counts(trials: pd.DataFrame) -> pd.DataFrame:
    """Per (model, task) counts from ``datasets.terminal_bench_trials()``: n_samples = trials, n_correct =
    successes, cost = mean total tokens per trial (the price of one more attempt at that task)."""
    g = trials.groupby(["model", "task"], sort=True)
    out = g.agg(n_samples=("success", "size"), n_correct=("success", "sum"), cost=("total_tokens", "mean"))
    out = out.reset_index().rename(columns={"task": "problem_id"})
    out["cost"] = out["cost"].clip(lower=1.0)
    out["difficulty_label"] = ""
    return out.astype({"n_samples": "int64", "n_correct": "int64", "cost": "float64"})


def cost_bench_counts(runs: pd.DataFrame) -> pd.DataFrame:
    """Per (setup, task) counts from ``datasets.cost_bench_runs()``: attempts, passes, mean billed USD per
    attempt as the cost; ``model`` is the setup."""
    g = runs.groupby(["setup", "task"], sort=True)
    out = g.agg(n_samples=("passed", "size"), n_correct=("passed", "sum"), cost=("billed_usd", "mean"))
    out = out.reset_index().rename(columns={"setup": "model", "task": "problem_id"})
    out["cost"] = out["cost"].clip(lower=1e-6)
    out["difficulty_label"] = ""
    return out.astype({"n_samples": "int64", "n_correct": "int64", "cost": "float64"})


def math_levels(raw: pd.DataFrame, min_samples: int, max_unsolved: float) -> tuple[list, pd.DataFrame]:
    """Checkpoints of the raw MATH file (``datasets.monkeys_counts("raw")``) with at least ``min_samples``
    samples on every problem and at most a share ``max_unsolved`` of never-solved problems, and their rows
    with the MATH level as the difficulty label (cost 1 per sample)."""
    per = raw.groupby("model").agg(min_n=("n_samples", "min"), unsolved=("n_correct", lambda s: float((s == 0).mean())))
    chosen = per[(per["min_n"] >= min_samples) & (per["unsolved"] <= max_unsolved)].index.tolist()
    return chosen, raw[raw["model"].isin(chosen)].rename(columns={"level": "difficulty_label"}).assign(cost=1.0)


@dataclass
class PreparedCounts:
    pops: dict
    ids: dict
    bins: dict
    predictor: dict   # model -> description of the difficulty predictor used for the bins
    spearman: dict    # model -> Spearman correlation of the predictor with c/n


def prepare_counts(frame: pd.DataFrame, budgets, rng: np.random.Generator, *, coarse_mode: str = "posterior",
                   cost_weighted: bool = True, predictor: str = "auto", n_bins: int = 5, noise: float = 1.0,
                   floor: float = 1e-3, label_order: Sequence[str] | None = None) -> PreparedCounts:
    """Populations, ids and difficulty bins per model from a counts frame (model, problem_id, n_samples,
    n_correct, cost, difficulty_label).

    Evaluation: ``replay`` (unbiased pass@k) when every problem of the model has at least max(budgets)
    samples, else ``coarse_mode`` ("posterior" or "plugin"). Costs are rescaled to mean 1 within a model
    (``cost_weighted=False`` ignores them). Predictor for ``binned_predicted``: ``"label"`` (the
    difficulty_label column), ``"other_models"`` (mean c/n of the other models on the same problem),
    ``"noisy"`` (logit(c/n) + noise·ε), or ``"auto"``: label if given, else other models if any, else noisy.
    ``label_order`` lists labels from hardest to easiest (only the reported Spearman depends on it).
    """
    _rng(rng)
    if coarse_mode not in ("posterior", "plugin"):
        raise ParameterError(f"coarse_mode {coarse_mode!r} is not one of ['posterior', 'plugin']")
    if predictor not in ("auto", "label", "other_models", "noisy"):
        raise ParameterError(f"predictor {predictor!r} is not one of ['auto', 'label', 'other_models', 'noisy']")
    bmax = float(np.max(budgets))
    f = frame.sort_values(["model", "problem_id"], kind="stable").reset_index(drop=True).copy()
    f["p_hat"] = f["n_correct"] / f["n_samples"]
    has_label = "difficulty_label" in f and (f["difficulty_label"].astype(str) != "").all()
    n_models = f["model"].nunique()
    kind = predictor
    if kind == "auto":
        kind = "label" if has_label else ("other_models" if n_models > 1 else "noisy")
    if kind == "label" and not has_label:
        raise ParameterError("predictor 'label' needs a difficulty_label on every row")
    if kind == "other_models":
        f["loo"] = leave_one_out_score(f)
    out = PreparedCounts({}, {}, {}, {}, {})
    for m, g in f.groupby("model", sort=True):
        n = g["n_samples"].to_numpy(float)
        c = g["n_correct"].to_numpy(float)
        cost = g["cost"].to_numpy(float) if (cost_weighted and "cost" in g) else np.ones(len(g))
        cost = cost / cost.mean()
        mode = "replay" if n.min() >= bmax else coarse_mode
        out.pops[m] = CountPopulation(n, c, cost, mode=mode, label=str(m))
        out.ids[m] = g["problem_id"].astype(str).to_numpy()
        if kind == "label":
            b = label_bins(g["difficulty_label"].astype(str).to_numpy(), label_order)
            score = b.astype(float)  # for the Spearman only: label_order runs from hardest to easiest
            desc = "difficulty label"
        elif kind == "other_models":
            score = g["loo"].to_numpy(float)
            score = np.where(np.isnan(score), np.nanmean(score) if np.isfinite(score).any() else 0.0, score)
            b = quantile_bins(score, n_bins, rng)
            desc = "other models' success rate on the problem"
        else:
            score = noisy_score(c / n, noise, rng, max(floor, 0.5 / n.min()))
            b = quantile_bins(score, n_bins, rng)
            desc = f"noisy logit(c/n), sd {noise:g}"
        out.bins[m] = b
        out.predictor[m] = desc
        rho = stats.spearmanr(score, c / n).statistic if np.ptp(score) > 0 and np.ptp(c / n) > 0 else np.nan
        out.spearman[m] = float(rho)
    return out



def mcpmark_counts(runs: pd.DataFrame, min_runs: int = 2) -> pd.DataFrame:
    """Per (configuration, task) success counts from ``agent_runs.mcpmark_runs()``: the problems table.

    Columns model (the configuration), problem_id (task), service, n_samples (runs), n_correct (successes),
    cost (mean total tokens per run of that configuration on that task; the configuration's mean where no
    run of the task logged tokens), difficulty_label (""). Configurations with fewer than ``min_runs`` runs
    per task are left out (claude-opus-4-1 has one): ``attrs["dropped_configs"]`` names them.
    """
    need = {"config", "task", "service", "success", "total_tokens", "tokens_ok"}
    missing = need - set(runs.columns)
    if missing:
        raise ParameterError(f"MCPMark runs frame lacks columns {sorted(missing)}")
    tok = runs["total_tokens"].astype("float64").where(runs["tokens_ok"])
    r = runs.assign(_tok=tok)
    g = r.groupby(["config", "task"], sort=True)
    out = g.agg(service=("service", "first"), n_samples=("success", "size"), n_correct=("success", "sum"),
                cost=("_tok", "mean")).reset_index().rename(columns={"config": "model", "task": "problem_id"})
    cfg_mean = out.groupby("model")["cost"].transform("mean")
    out["cost"] = out["cost"].fillna(cfg_mean).fillna(1.0).clip(lower=1.0)
    per_cfg = out.groupby("model")["n_samples"].min()
    dropped = sorted(per_cfg[per_cfg < min_runs].index)
    out = out[~out["model"].isin(dropped)].reset_index(drop=True)
    out["difficulty_label"] = ""
    out = out.astype({"n_samples": "int64", "n_correct": "int64", "cost": "float64"})
    out.attrs["dropped_configs"] = dropped
    return out


def add_predictor(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``score`` column for the binned policy: the difficulty label's rank when every row has one (the
    order does not matter: bins are groups whose curves are learned), else the other models' mean success
    rate on the problem (leave-one-out), else NaN (no predictor: only early stopping is admissible)."""
    f = frame.copy()
    f["p_hat"] = f["n_correct"] / f["n_samples"]
    lab = f.get("difficulty_label", pd.Series("", index=f.index)).astype(str)
    if (lab != "").all():
        num = pd.to_numeric(lab, errors="coerce")
        f["score"] = -num if num.notna().all() else lab.rank(method="dense")
    elif f["model"].nunique() > 1:
        f["score"] = leave_one_out_score(f)
    else:
        f["score"] = np.nan
    return f.drop(columns="p_hat")
