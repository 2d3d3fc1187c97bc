"""Sweep grids: declared beside each notebook (``notebooks/sweeps/<stem>.json``), expanded into runs.

The swept parameters are crossed with each other and with the seeds, and the notebook's own defaults are
added to every grid, so each sweep holds the default run the others are compared with. A run's key hashes
(notebook, parameters, code version), the code version hashing the notebook and every ``helpers`` module it
imports, so a changed helper gives new run folders (``reports/sweep/runs/<stem>-<key>``).
"""
from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .. import deps, paths
from ..validate import ParameterError


GRIDS_DIR = paths.NOTEBOOKS / "sweeps"


def sweep_dir() -> Path:
    return paths.study_reports_dir() / "sweep"  # make's outputs, also when run by hand


def runs_dir() -> Path:
    return sweep_dir() / "runs"


def table_path() -> Path:
    return sweep_dir() / "results.parquet"


@dataclass(frozen=True)
class RunSpec:
    notebook: str
    parameters: dict  # every injected parameter, seed and quick included
    key: str
    is_default: bool

    @property
    def seed(self) -> int:
        return int(self.parameters.get("seed", 0))

    @property
    def swept(self) -> dict:
        return {k: v for k, v in self.parameters.items() if k not in ("seed", "quick")}

    @property
    def folder(self) -> Path:
        return runs_dir() / f"{self.notebook}-{self.key}"


def grid_names() -> list[str]:
    """Notebooks that declare a sweep (stems)."""
    return sorted(p.stem for p in GRIDS_DIR.glob("*.json"))


def load_grid(stem: str) -> dict:
    f = GRIDS_DIR / f"{stem}.json"
    if not f.exists():
        raise ParameterError(f"no sweep grid for {stem!r}: expected {f.relative_to(paths.ROOT)} "
                             f"(grids: {', '.join(grid_names()) or 'none'})")
    try:
        g = json.loads(f.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParameterError(f"{f.relative_to(paths.ROOT)}: not valid JSON ({exc})") from None
    for level in ("default", "full"):
        if level not in g or "seeds" not in g[level]:
            raise ParameterError(f"{f.relative_to(paths.ROOT)}: missing '{level}' grid with 'seeds'")
    return g


def notebook_defaults(stem: str) -> dict:
    """The notebook's own parameter defaults (papermill's reading of its parameters cell)."""
    import ast

    import papermill as pm

    out = {}
    for name, p in pm.inspect_notebook(str(paths.NOTEBOOKS / f"{stem}.ipynb")).items():
        try:
            out[name] = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            out[name] = p["default"]
    return out


def code_version(stem: str) -> str:
    """Hash of the notebook and every helpers module it imports."""
    h = hashlib.sha256()
    for p in sorted(deps.notebook_inputs(stem)):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def run_key(stem: str, parameters: Mapping, version: str) -> str:
    blob = json.dumps({"notebook": stem, "parameters": dict(parameters), "code": version}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def expand(stem: str, level: str = "default", quick: bool = False, grid: Mapping | None = None) -> list[RunSpec]:
    """Every run of one notebook's grid (the notebook's defaults included)."""
    g = grid if grid is not None else load_grid(stem)
    if level not in ("default", "full"):
        raise ParameterError(f"sweep grid level {level!r} is not one of ['default', 'full']")
    spec = g[level]
    defaults = notebook_defaults(stem)
    swept = {k: list(v) for k, v in spec.get("parameters", {}).items()}
    for k, vals in swept.items():
        if k not in defaults:
            raise ParameterError(f"sweep grid of {stem}: {k!r} is not a parameter of the notebook")
        if not isinstance(vals, list) or not vals:
            raise ParameterError(f"sweep grid of {stem}: {k!r} needs a non-empty list of values")
        if defaults[k] not in vals:
            vals.insert(0, defaults[k])
    seeds = list(spec["seeds"])
    if defaults.get("seed", 0) not in seeds:
        seeds.insert(0, defaults.get("seed", 0))
    version = code_version(stem)
    names = list(swept)
    runs = []
    for combo in itertools.product(*(swept[k] for k in names)):
        for seed in seeds:
            params = {**dict(zip(names, combo)), "seed": seed, "quick": bool(quick)}
            is_default = all(params[k] == defaults[k] for k in names) and seed == defaults.get("seed", 0)
            runs.append(RunSpec(stem, params, run_key(stem, params, version), is_default))
    return runs
