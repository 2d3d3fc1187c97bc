"""Scaling-path tables: a user's CSV of accuracy curves, the published RL-vs-base reproduction, Pythia sizes.

A scaling path has one row per (model, aggregation, samples): the model's kind (reasoning or
non_reasoning), its accuracy with that many samples and, optionally, tokens per sample.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import datasets
from ..validate import DataError, ParameterError
from .model import AGGREGATIONS, KINDS

def pythia_parameters(model: str) -> float:
    """Parameter count from a name such as 'Pythia 160M' or 'Pythia 2.8B' (compute per token ∝ params)."""
    m = re.search(r"([\d.]+)\s*([MB])\b", model)
    if not m:
        raise ParameterError(f"cannot read a parameter count from model name {model!r}")
    return float(m.group(1)) * (1e6 if m.group(2) == "M" else 1e9)


def read_scaling_path(path: str | Path) -> pd.DataFrame:
    """Read a user's scaling-path CSV.

    Columns: model (str), kind (reasoning|non_reasoning), samples (whole number >= 1), accuracy in [0, 1];
    optional tokens_per_sample (> 0; NaN when absent), aggregation (pass_at_k|majority_vote|verifier;
    default pass_at_k). Errors name the file and the CSV line (header = line 1). Each model keeps one kind;
    each (model, aggregation, samples) appears once; at least one model of each kind.
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"model": str, "kind": str, "aggregation": str})
    df.columns = [str(c).strip() for c in df.columns]
    datasets.require_columns(df, ["model", "kind", "samples", "accuracy"], p)
    line = lambda i: f"line {int(i) + 2}"  # noqa: E731
    model = df["model"].astype("string").str.strip()
    bad = model.isna() | (model == "")
    if bad.any():
        raise DataError(f"{p}, {line(np.flatnonzero(bad.to_numpy())[0])}: column 'model' is empty")
    df["model"] = model.astype(str)
    kind = df["kind"].astype("string").str.strip()
    datasets.check_rows(pd.DataFrame({"kind": kind}), p, [("kind", lambda s: s.isin(KINDS).fillna(False),
                                                            f"is not one of {list(KINDS)}")])
    df["kind"] = kind.astype(str)
    if "aggregation" in df:
        agg = df["aggregation"].astype("string").str.strip().fillna("pass_at_k")
        agg = agg.where(agg != "", "pass_at_k")
        datasets.check_rows(pd.DataFrame({"aggregation": agg}), p,
                            [("aggregation", lambda s: s.isin(AGGREGATIONS), f"is not one of {list(AGGREGATIONS)}")])
        df["aggregation"] = agg.astype(str)
    else:
        df["aggregation"] = "pass_at_k"
    df = datasets.to_numeric(df, ["samples", "accuracy"], p)
    datasets.check_rows(df, p, [("samples", lambda s: (s >= 1) & (s == np.floor(s)), "is not a whole number >= 1"),
                                ("accuracy", lambda s: (s >= 0) & (s <= 1), "is outside [0, 1]")])
    if "tokens_per_sample" in df:
        tok = pd.to_numeric(df["tokens_per_sample"], errors="coerce")
        bad = (tok.isna() & df["tokens_per_sample"].notna() & (df["tokens_per_sample"].astype(str).str.strip() != "")) \
            | (tok <= 0) | np.isinf(tok)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, {line(i)}: column 'tokens_per_sample' = {df['tokens_per_sample'].iloc[i]!r} "
                            f"is not a positive number")
        df["tokens_per_sample"] = tok.astype(float)
    else:
        df["tokens_per_sample"] = np.nan
    first_kind = df.groupby("model")["kind"].transform("first")
    bad = df["kind"] != first_kind
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: model {df['model'].iloc[i]!r} has kind {df['kind'].iloc[i]!r} but an "
                        f"earlier row says {first_kind.iloc[i]!r}")
    dup = df.duplicated(["model", "aggregation", "samples"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(f"{p}, {line(i)}: duplicate (model, aggregation, samples) = "
                        f"({df['model'].iloc[i]!r}, {df['aggregation'].iloc[i]!r}, {int(df['samples'].iloc[i])})")
    missing = [kd for kd in KINDS if kd not in set(df["kind"])]
    if missing:
        raise DataError(f"{p}: needs at least one model of each kind; none of kind {missing}")
    df["samples"] = df["samples"].astype("int64")
    df["accuracy"] = df["accuracy"].astype(float)
    return df[["model", "kind", "samples", "accuracy", "tokens_per_sample", "aggregation"]].reset_index(drop=True)


def published_scaling_path(table: pd.DataFrame, reasoning: str, non_reasoning: str) -> pd.DataFrame:
    """The RL-vs-base pass@k reproduction in the ``read_scaling_path`` schema (RL-trained = reasoning)."""
    need = {"model", "k", "pass_at_k"}
    if not need <= set(table.columns):
        raise DataError(f"pass@k table lacks columns {sorted(need - set(table.columns))}")
    kinds = {reasoning: "reasoning", non_reasoning: "non_reasoning"}
    t = table[table["model"].isin(kinds)]
    if set(t["model"]) != set(kinds):
        raise DataError(f"pass@k table lacks model(s) {sorted(set(kinds) - set(t['model']))}")
    return pd.DataFrame({"model": t["model"].astype(str), "kind": t["model"].map(kinds).astype(str),
                         "samples": t["k"].astype("int64"), "accuracy": t["pass_at_k"].astype(float),
                         "tokens_per_sample": np.nan, "aggregation": "pass_at_k"}).reset_index(drop=True)
