"""Sweeps: whole notebook runs across seeds and model assumptions, on a Dask cluster.

A verdict from one seed and one set of simulator assumptions is one draw. A sweep re-runs a notebook over a
grid and records, per run, its verdict, its headline figure and the agreement of its specification curve.

**Grids** are declared beside each notebook, in ``notebooks/sweeps/<stem>.json``::

    {"description": "...",
     "headline": "metrics.robustness.share_agree",      # dotted path into the results file
     "default": {"parameters": {"n_boot": [200, 500]}, "seeds": [0, 1]},   # crossed; runs in minutes
     "full":    {"parameters": {...}, "seeds": [0, ..., 9], "expected_minutes": 90}}

The swept parameters are crossed with each other and with the seeds; every run also gets ``quick`` (from
``SWEEP_QUICK``). The notebook's own default values are part of every grid (they are added when missing), so
each sweep holds the "default run" whose verdict the others are compared with.

**Runs are resumable and loss-free.** A run's folder is ``reports/sweep/runs/<stem>-<key>``, where ``key``
hashes (notebook, parameters, code version); the code version hashes the notebook and every ``helpers``
module it imports (``helpers.deps``), so a changed helper gives new folders and a rerun skips nothing
stale. A run writes ``status.json`` atomically when it ends (``ok`` or ``failed``, with its error, worker
and seconds). A finished (``ok``) run is skipped on rerun; a failed one is retried once by Dask
(``retries=1``) and, if it fails again, recorded with its error, never dropped; interrupting a sweep loses
only the runs in flight.

**Cluster.** ``DASK_SCHEDULER_ADDRESS=tcp://host:8786`` submits to an existing cluster (its workers need
the study's environment and data at the same path: the same ``.venv`` and ``DATA_MIRROR`` on a shared
file system); otherwise a ``LocalCluster`` with one single-threaded worker process per core.

**The table** ``reports/sweep/results.parquet`` has one row per run: ``notebook, params`` (JSON of the
swept parameters, seed excluded), ``seed, status, verdict, headline, share_agree, seconds, worker, error,
key, is_default``.

``python -m helpers.sweep run [--grid default|full] [--notebooks STEM ...] [--quick]`` (``make sweep``).
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import deps, paths
from .results import atomic_write_text, number
from .validate import ParameterError

KERNEL = "tts-study"
GRIDS_DIR = paths.NOTEBOOKS / "sweeps"
TABLE_COLUMNS = ("notebook", "params", "seed", "status", "verdict", "headline", "share_agree", "seconds",
                 "worker", "error", "key", "is_default")


def sweep_dir() -> Path:
    return paths.study_reports_dir() / "sweep"  # make's outputs, also when run by hand


def runs_dir() -> Path:
    return sweep_dir() / "runs"


def table_path() -> Path:
    return sweep_dir() / "results.parquet"


# ------------------------------------------------------------------ grids

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


# ------------------------------------------------------------------ one run (on a worker)

class RunFailed(RuntimeError):
    pass


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def _read_status(folder: Path) -> dict | None:
    f = folder / "status.json"
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _error_text(stderr: str) -> str:
    """The last informative line of papermill's error output (no paths below the user's log folders are
    printed by the notebooks, so the message is safe to keep)."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if "Error" in ln or "error" in ln:
            return ln[:500]
    return (lines[-1] if lines else "papermill failed without a message")[:500]


def run_one(spec: RunSpec, timeout_s: float = 3600.0) -> dict:
    """Execute one run with papermill in a subprocess; write its status.json; raise RunFailed on failure.

    Outputs (executed notebook, results, figures) go to the run's own folder (``STUDY_REPORTS_DIR``), never
    over ``make``'s. The status records the attempt number so a retried run says so.
    """
    folder = spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    prev = _read_status(folder) or {}
    attempt = int(prev.get("attempt", 0)) + 1 if prev.get("status") == "failed" else 1
    env = {**os.environ, "STUDY_REPORTS_DIR": str(folder / "reports"), "STUDY_RUN_BY": "make", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    out_nb = folder / "notebook.ipynb"
    tmp_nb = folder / "notebook.tmp.ipynb"
    cmd = [sys.executable, "-m", "papermill", "--no-progress-bar", "--log-level", "ERROR", "-k", KERNEL,
           "--cwd", str(paths.NOTEBOOKS), str(paths.NOTEBOOKS / f"{spec.notebook}.ipynb"), str(tmp_nb),
           "-y", json.dumps(spec.parameters)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
        ok, err = proc.returncode == 0, (None if proc.returncode == 0 else _error_text(proc.stderr))
    except subprocess.TimeoutExpired:
        ok, err = False, f"timed out after {timeout_s:g} s"
    seconds = time.perf_counter() - t0
    if ok:
        os.replace(tmp_nb, out_nb)
    status = {"status": "ok" if ok else "failed", "error": err, "worker": _worker_address(),
              "seconds": round(seconds, 3), "attempt": attempt, "notebook": spec.notebook,
              "parameters": spec.parameters, "key": spec.key}
    atomic_write_text(folder / "status.json", json.dumps(status, indent=2) + "\n")
    if not ok:
        raise RunFailed(f"{spec.notebook} {json.dumps(spec.parameters, sort_keys=True)}: {err}")
    return status


# ------------------------------------------------------------------ collecting

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
    st = _read_status(spec.folder)
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


# ------------------------------------------------------------------ the driver

def _client(n_workers: int | None = None):
    from distributed import Client, LocalCluster

    addr = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if addr:
        return Client(addr), None
    n = n_workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster), cluster


def run(stems: Iterable[str] | None = None, level: str = "default", quick: bool = False,
        n_workers: int | None = None, echo=print, grids: Mapping[str, Mapping] | None = None) -> Path:
    """Run every pending run of the grids on the cluster and write the table; return its path.

    ``grids`` ({stem: grid}) replaces the declared grids (tests, or a user's own grid).
    """
    from distributed import as_completed

    if grids is None:
        stems = list(stems or grid_names())
        grids = {s: load_grid(s) for s in stems}
    else:
        stems = list(grids)
    specs = [sp for s in stems for sp in expand(s, level, quick, grids[s])]
    done = [sp for sp in specs if (_read_status(sp.folder) or {}).get("status") == "ok"]
    todo = [sp for sp in specs if sp not in done]
    echo(f"sweep: {len(specs)} runs over {len(stems)} notebooks ({level} grid, quick={quick}); "
         f"{len(done)} already finished, {len(todo)} to run")
    if todo:
        client, cluster = _client(n_workers)
        try:
            echo(f"sweep: scheduler {client.scheduler.address}; dashboard {client.dashboard_link}")
            futures = {client.submit(run_one, sp, key=f"run-{sp.notebook}-{sp.key}", retries=1, pure=False): sp
                       for sp in todo}
            for i, fut in enumerate(as_completed(futures), 1):
                sp = futures[fut]
                if fut.status == "error":
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: FAILED "
                         f"({(_read_status(sp.folder) or {}).get('error')})")
                else:
                    st = fut.result()
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: "
                         f"{st['seconds']:.0f} s on {st['worker']}")
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    rows = [row_for(sp, grids[sp.notebook].get("headline")) for sp in specs]
    out = write_table(rows)
    bad = [r for r in rows if r["status"] != "ok"]
    echo(f"sweep: wrote {out.relative_to(paths.ROOT) if out.is_relative_to(paths.ROOT) else out} "
         f"({len(rows)} runs, {len(bad)} not ok)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.sweep", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the grids (skipping finished runs) and write the table")
    r.add_argument("--grid", choices=("default", "full"), default=os.environ.get("SWEEP_GRID", "default"))
    r.add_argument("--notebooks", nargs="*", default=(os.environ.get("SWEEP_NOTEBOOKS") or "").split() or None)
    r.add_argument("--quick", action="store_true", default=os.environ.get("SWEEP_QUICK", "") not in ("", "0"))
    r.add_argument("--workers", type=int, default=None)
    sub.add_parser("list", help="list the grids and their sizes")
    a = ap.parse_args(argv)
    if a.cmd == "list":
        for s in grid_names():
            g = load_grid(s)
            sizes = {lv: len(expand(s, lv, grid=g)) for lv in ("default", "full")}
            print(f"{s}: default {sizes['default']} runs, full {sizes['full']} runs "
                  f"(about {g['full'].get('expected_minutes', '?')} min on 2 cores) — {g.get('description', '')}")
        return 0
    try:
        out = run(a.notebooks, a.grid, a.quick, a.workers)
    except ParameterError as exc:
        print(f"sweep: {exc}", file=sys.stderr)
        return 2
    table = read_table(out)
    return 1 if (table["status"] != "ok").any() else 0


if __name__ == "__main__":
    raise SystemExit(main())
