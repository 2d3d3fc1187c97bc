"""The results file every notebook writes (contract section 3).

``write_results`` validates the contract's keys, converts numpy/pandas values to
plain JSON (NaN becomes ``null``, meaning missing; an infinity becomes the string ``"inf"`` or
``"-inf"``, which every reader turns back into an infinite float with ``number``; floats are rounded to 10
significant digits so that results do not depend on the last bits of a BLAS),
and writes ``reports/results/<stem>.json`` atomically: a temporary file in the
same folder, then ``os.replace``. Two runs with the same parameters write
byte-identical files: nothing time- or machine-dependent goes in, apart from
the package versions, which are part of the reproducibility record.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from . import paths
from .validate import ParameterError

CLAIMS = ("overview", "search_scaling", "token_variance", "adaptive_allocation",
          "reasoning_ceiling", "cache_economics", "synthesis", "budget_planner", "sweep")
NO_VERDICT = ("overview", "budget_planner", "sweep")  # notebooks that judge no claim: verdict is null
VERDICTS = ("supported", "partly supported", "not supported", "inconclusive")
SCOPES = ("study", "user")  # "user": the verdict is the rule applied to the user's data alone
SOURCE_KINDS = ("synthetic", "published", "logged")
KEYS = ("claim", "verdict", "verdict_scope", "summary", "metrics", "parameters", "data_sources", "seed",
        "versions")
INF, NEG_INF = "inf", "-inf"
SIG_DIGITS = 10


def to_jsonable(x: Any) -> Any:
    """Recursively convert to plain JSON types (NaN -> None, +-inf -> "inf"/"-inf", numpy -> python)."""
    if isinstance(x, Mapping):
        return {str(k): to_jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [to_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return [to_jsonable(v) for v in x.tolist()]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if math.isnan(f):
            return None
        if math.isinf(f):
            return INF if f > 0 else NEG_INF
        return float(f"{f:.{SIG_DIGITS}g}")
    if isinstance(x, Path):
        return str(x)
    if x is None or isinstance(x, str):
        return x
    if hasattr(x, "item"):  # numpy scalars of other kinds, pandas NA-likes
        try:
            return to_jsonable(x.item())
        except Exception:  # pragma: no cover - defensive
            pass
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"cannot write {type(x).__name__} value {x!r} to the results file")


def versions() -> dict[str, str]:
    """Versions of python and the scientific stack (reproducibility record)."""
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def source(name: str, kind: str, rows: int | None, sha256: str | None = None, *,
           available: bool = True, note: str | None = None) -> dict:
    """One ``data_sources`` entry. Absent logged sources: ``available=False``, rows None."""
    if kind not in SOURCE_KINDS:
        raise ParameterError(f"data source kind {kind!r} is not one of {SOURCE_KINDS}")
    if rows is not None and not (isinstance(rows, (int, np.integer)) or (isinstance(rows, float) and math.isfinite(rows))):
        rows = None  # NaN from a frame: the source is absent
    entry = {"name": name, "kind": kind, "rows": None if rows is None else int(rows),
             "sha256": sha256, "available": bool(available)}
    if note:
        entry["note"] = note
    return entry


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and ``os.replace``."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file (``.<name>.*.tmp`` beside it) and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; results are ordinary readable files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def number(x: Any) -> float | None:
    """A number read from a results file: "inf"/"-inf" -> +-infinity, None stays None (missing)."""
    if x is None:
        return None
    if isinstance(x, str):
        if x == INF:
            return math.inf
        if x == NEG_INF:
            return -math.inf
        raise ValueError(f"not a results-file number: {x!r}")
    return float(x)


def build_results(*, claim: str, verdict: str | None, summary: str, metrics: Mapping,
                  parameters: Mapping, data_sources: Sequence[Mapping], seed: int | None,
                  verdict_scope: str = "study") -> dict:
    if claim not in CLAIMS:
        raise ParameterError(f"claim {claim!r} is not one of {CLAIMS}")
    if claim in NO_VERDICT:
        if verdict is not None:
            raise ParameterError(f"claim {claim!r} judges no claim: its verdict must be None, got {verdict!r}")
    elif verdict not in VERDICTS:
        raise ParameterError(f"verdict {verdict!r} is not one of {VERDICTS}")
    if verdict_scope not in SCOPES:
        raise ParameterError(f"verdict_scope {verdict_scope!r} is not one of {SCOPES}")
    if not isinstance(summary, str) or not summary.strip():
        raise ParameterError("summary must be a non-empty sentence")
    for i, s in enumerate(data_sources):
        missing = {"name", "kind", "rows", "sha256"} - set(s)
        if missing:
            raise ParameterError(f"data_sources[{i}] lacks keys {sorted(missing)}")
        if s["kind"] not in SOURCE_KINDS:
            raise ParameterError(f"data_sources[{i}].kind {s['kind']!r} is not one of {SOURCE_KINDS}")
    return to_jsonable({
        "claim": claim, "verdict": verdict, "verdict_scope": verdict_scope, "summary": summary,
        "metrics": dict(metrics),
        "parameters": dict(parameters), "data_sources": list(data_sources),
        "seed": seed, "versions": versions(),
    })


def dumps(doc: Mapping) -> str:
    # allow_nan=False: a NaN that slipped through is a bug, not a silent 'NaN' token
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_results(stem: str, **fields: Any) -> Path:
    """Validate and atomically write ``<results_dir>/<stem>.json``; return its path.

    Fields: claim, verdict, summary, metrics, parameters, data_sources, seed, and verdict_scope
    ("study" by default; "user" when a user-data parameter was given).
    """
    doc = build_results(**fields)
    text = dumps(doc)  # serialise fully before touching the disk
    out = paths.results_dir() / f"{stem}.json"
    atomic_write_text(out, text)
    return out


def read_results(stem: str, folder: Path | None = None) -> dict | None:
    """The results of notebook ``stem`` (in ``make``'s results by default) or None when absent."""
    p = (folder or paths.study_results_dir()) / f"{stem}.json"
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def write(stem: str, *, claim: str, summary: str, parameters: Mapping, data_sources: Sequence[Mapping],
          seed: int | None, verdict: str | None = None, rule: str | None = None, table=None, robustness=None,
          user_given: bool = False, metrics: Mapping | None = None) -> Path:
    """Assemble and write a notebook's results file (the contract's one format) in one call.

    A claim notebook passes its ``rule`` text, evidence ``table`` and ``robustness`` (a
    ``verdicts.Robustness``): they become the metrics every claim carries (``rule``, ``evidence``,
    ``robustness``), followed by the claim's own ``metrics`` (built by its package). ``user_given``: the
    verdict is the rule applied to a user's data alone (``verdict_scope`` "user"). ``parameters``: the
    values as given (``schema.Params.as_dict()``) plus any derived sizes the notebook used.
    """
    from . import verdicts  # the claim blocks' format lives with the rules

    block = verdicts.metrics_block(rule, table, robustness) if rule is not None else {}
    clash = set(block) & set(metrics or {})
    if clash:
        raise ParameterError(f"metrics {sorted(clash)} are written by results.write itself")
    return write_results(stem, claim=claim, verdict=verdict, summary=summary,
                         verdict_scope=verdicts.scope_name(user_given),
                         metrics={**block, **(metrics or {})}, parameters=parameters,
                         data_sources=data_sources, seed=seed)
