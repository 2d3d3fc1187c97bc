"""The sweep table ``reports/sweep/results.parquet`` and each notebook's agreement with its default run.

One row per run, read from the run's folder (``pending`` until it ends); agreement counts runs, finished and
failed runs, the default run's verdict and the share of finished runs that agree with it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..results import number
from .grids import RunSpec, table_path
from .runner import read_status


TABLE_COLUMNS = ("notebook", "params", "seed", "status", "verdict", "headline", "share_agree", "seconds",
                 "worker", "error", "key", "is_default")


def _dig(doc: Any, path: str | None) -> Any:
    if not path:
        return None
    for part in path.split("."):
        if isinstance(doc, Mapping):
            doc = doc.get(part)
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            return None
    return doc


def _as_float(x: Any) -> float | None:
    try:
        return number(x) if isinstance(x, (int, float, str)) and not isinstance(x, bool) else None
    except ValueError:
        return None


def row_for(spec: RunSpec, headline_path: str | None) -> dict:
    """The table row of one run, from its folder (status ``pending`` when it has not ended)."""
    st = read_status(spec.folder)
    row = {"notebook": spec.notebook, "params": json.dumps(spec.swept, sort_keys=True), "seed": spec.seed,
           "status": "pending", "verdict": None, "headline": None, "share_agree": None, "seconds": None,
           "worker": None, "error": None, "key": spec.key, "is_default": spec.is_default}
    if st is None:
        return row
    row.update(status=st["status"], seconds=st.get("seconds"), worker=st.get("worker"), error=st.get("error"))
    res = sorted((spec.folder / "reports" / "results").glob(f"{spec.notebook}.json"))
    if st["status"] == "ok" and res:
        doc = json.loads(res[0].read_text(encoding="utf-8"))
        row.update(verdict=doc.get("verdict"), headline=_as_float(_dig(doc, headline_path)),
                   share_agree=_as_float(_dig(doc, "metrics.robustness.share_agree")))
    return row


def write_table(rows: Sequence[Mapping], path: Path | None = None) -> Path:
    """Write the tidy table atomically (parquet)."""
    import pandas as pd

    path = Path(path or table_path())
    df = pd.DataFrame(list(rows), columns=list(TABLE_COLUMNS))
    df = df.astype({"notebook": "string", "params": "string", "seed": "int64", "status": "string",
                    "verdict": "string", "headline": "float64", "share_agree": "float64", "seconds": "float64",
                    "worker": "string", "error": "string", "key": "string", "is_default": "bool"})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def read_table(path: Path | None = None):
    """The sweep table, or None when no sweep has been run."""
    import pandas as pd

    path = Path(path or table_path())
    return pd.read_parquet(path) if path.exists() else None


def agreement(table) -> dict[str, dict]:
    """Per notebook: runs, finished runs, the default run's verdict and the share of finished runs that agree."""
    import pandas as pd

    out = {}
    if table is None:
        return out
    for nb, g in table.groupby("notebook", sort=True):
        ok = g[g["status"] == "ok"]
        default = ok[ok["is_default"]]["verdict"]
        dv = default.iloc[0] if len(default) else None
        dv = None if dv is None or dv is pd.NA else str(dv)
        n_agree = int((ok["verdict"] == dv).sum()) if dv is not None else 0
        out[nb] = {"runs": int(len(g)), "finished": int(len(ok)), "failed": int((g["status"] == "failed").sum()),
                   "default_verdict": dv, "agree": n_agree,
                   "share_agree": (n_agree / len(ok)) if (len(ok) and dv is not None) else None}
    return out
