"""Results entries: one dictionary per (dataset, unit) holding the attribution and its robustness checks.

``analyse_runs`` runs the attribution at each unit, McFadden shares and the within-task coefficient at the
run unit, and returns the entries (stable keys, absent groups None) the results file carries under
``datasets``; ``analyse_logged`` adds the attainable R² of logged runs; ``deepdive_entries`` builds the
DeepDive entries from its aggregate table. ``rng_for`` gives each named analysis its own Generator.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..validate import DataError
from .attainable import attainable_aggregate, attainable_config, attainable_run
from .attribution import Attribution, attribute, attribute_aggregate
from .frames import LEVEL, UNITS, available_groups
from .robustness import mcfadden_shapley, task_alone_r2, within_coefficient

def entry(att: Attribution, *, source: str, within_task: dict | None = None, extra: Mapping | None = None,
          all_groups: Sequence[str] = ("tokens", "tool_calls", "model")) -> dict:
    """The results ``datasets`` entry of one attribution (stable keys; absent groups are None)."""
    keys = list(dict.fromkeys(list(all_groups) + att.groups + att.dropped))
    out = {
        "unit": att.unit, "n": att.n, "r2_total": att.r2_total,
        "shares": {g: att.shares.get(g) for g in keys},
        "shares_ci": {g: (list(att.shares_ci[g]) if g in att.shares_ci else None) for g in keys},
        "alone_r2": {g: att.alone_r2.get(g) for g in keys},
        "alone_r2_ci": {g: (list(att.alone_ci[g]) if g in att.alone_ci else None) for g in keys},
        "r2_total_ci": list(att.r2_total_ci),
        "token_coef_within_task": None if within_task is None else within_task["coef"],
        "token_coef_within_task_ci": None if within_task is None else list(within_task["ci"]),
        "token_slope": att.token_slope, "source": source, "groups": att.groups, "dropped_groups": att.dropped, "cluster": att.cluster,
        "n_boot": att.n_boot, "n_params": att.n_params,
        "points_per_param": (att.n / att.n_params) if att.n_params else None,
    }
    if extra:
        out.update(extra)
    return out


def shares_table(entries: Mapping[str, Mapping]) -> pd.DataFrame:
    """Long table (dataset, unit, group, share, lo, hi, alone, alone_lo, alone_hi) from results entries."""
    rows = []
    for name, e in entries.items():
        for g, v in e["shares"].items():
            if v is None:
                continue
            lo, hi = e["shares_ci"][g]
            alo, ahi = e["alone_r2_ci"][g]
            rows.append({"dataset": name, "unit": e["unit"], "group": g, "share": v, "lo": lo, "hi": hi,
                         "alone": e["alone_r2"][g], "alone_lo": alo, "alone_hi": ahi, "r2_total": e["r2_total"]})
    return pd.DataFrame(rows)


def rng_for(seed: int, name: str) -> np.random.Generator:
    """A Generator for one named analysis, from the notebook seed and a stable hash of the name, so that
    a dataset's draws do not depend on which other datasets were analysed before it."""
    import zlib

    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


def analyse_runs(runs: pd.DataFrame, groups: Sequence[str], *, source: str, n_boot: int,
                 rng: np.random.Generator, level: float = LEVEL, units: Sequence[str] = UNITS,
                 controls: Sequence[str] = ("model", "scaffold"), trials: str | None = None,
                 within_config: bool = False, extra: Mapping | None = None) -> tuple[dict, list[str]]:
    """Attribution at each unit, McFadden shares and within-task coefficient at the run unit.

    Returns ({unit: results entry or None}, notes); a unit that cannot be analysed (too few configurations)
    gives None and a note saying why.
    """
    out, notes = {}, []
    for unit in units:
        try:
            att = attribute(runs, groups, unit=unit, n_boot=n_boot, rng=rng, level=level)
        except DataError as exc:
            out[unit] = None
            notes.append(f"{source}, {unit} unit: {exc}")
            continue
        ex = dict(extra or {})
        within = None
        if unit == "run":
            within = within_coefficient(runs, "task", [c for c in controls if c in groups], level)
            mcf = mcfadden_shapley(runs, att.groups, trials=trials)
            ex["mcfadden"] = {k: mcf[k] for k in ("r2_total", "shares", "alone")}
            ex["mcfadden_model"] = mcf["model"]
            if "task" in runs and runs["task"].nunique() > 1:
                ex["task_alone_r2"] = task_alone_r2(runs)
            if within_config:
                wc = within_coefficient(runs, "config", (), level)
                ex["token_coef_within_config"] = None if wc is None else wc["coef"]
                ex["token_coef_within_config_ci"] = None if wc is None else list(wc["ci"])
        out[unit] = entry(att, source=source, within_task=within, extra=ex)
    return out, notes


def analyse_logged(runs: pd.DataFrame, groups: Sequence[str], *, source: str, n_boot: int, rng: np.random.Generator,
                   level: float = LEVEL, controls: Sequence[str] = ("model", "scaffold"), **kw) -> tuple[dict, list]:
    """``variance.analyse_runs`` on a prepared run frame, each entry with its ``attainable_r2``."""
    g = [x for x in groups if x in available_groups(runs, groups)]
    res, notes = analyse_runs(runs, g, source=source, n_boot=n_boot, rng=rng, level=level, controls=controls, **kw)
    for unit, e in res.items():
        if e is not None:
            e["attainable_r2"] = attainable_run(runs) if unit == "run" else attainable_config(runs)
    return res, notes


def deepdive_entries(frame: pd.DataFrame, excluded: Sequence[str], n_excluded_configs: int, *, n_boot: int,
                     rng: np.random.Generator, level: float = LEVEL) -> dict[str, dict]:
    """{'deepdive_config': entry (tokens, model, orchestration), 'deepdive_config_no_orchestration': entry}.

    Intervals: configurations and questions resampled (``attribute_aggregate``); the question-only
    (binomial) intervals are kept as ``alone_r2_ci_binomial`` and ``shares_ci_binomial``.
    """
    out = {}
    for key, groups in (("deepdive_config", ["tokens", "model", "orchestration"]),
                        ("deepdive_config_no_orchestration", ["tokens", "model"])):
        att = attribute_aggregate(frame, groups, n_boot=n_boot, rng=rng, level=level)
        binom = attribute_aggregate(frame, groups, n_boot=n_boot, rng=rng, level=level, resample_configs=False)
        e = entry(att, source="deepdive", extra={
            "attainable_r2": attainable_aggregate(frame), "n_questions": int(frame["n_questions"].min()),
            "excluded_models": list(excluded), "n_excluded_configs": int(n_excluded_configs),
            "alone_r2_ci_binomial": {g: list(binom.alone_ci[g]) for g in binom.groups},
            "shares_ci_binomial": {g: list(binom.shares_ci[g]) for g in binom.groups},
            "interval_method": "bootstrap over configurations, each accuracy redrawn Binomial(n, p)/n"})
        out[key] = e
    return out
