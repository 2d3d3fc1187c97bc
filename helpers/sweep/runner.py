"""One sweep run, on a worker: the notebook executed by papermill in a subprocess, into the run's own folder.

The run writes ``status.json`` atomically when it ends (``ok`` or ``failed``, with its error, worker,
seconds and attempt number) and raises ``RunFailed`` on failure, so Dask retries it once.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .. import paths
from ..results import atomic_write_text
from .grids import RunSpec


KERNEL = "tts-study"


class RunFailed(RuntimeError):
    pass


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "local"


def read_status(folder: Path) -> dict | None:
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
    prev = read_status(folder) or {}
    attempt = int(prev.get("attempt", 0)) + 1 if prev.get("status") == "failed" else 1
    env = {**os.environ, "STUDY_REPORTS_DIR": str(folder / "reports"), "STUDY_RUN_BY": "make", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    out_nb = folder / "notebook.ipynb"
    tmp_nb = folder / "notebook.tmp.ipynb"
    cmd = [sys.executable, "-m", "papermill", "--no-progress-bar", "--log-level", "ERROR",
           "--no-request-save-on-cell-execute", "-k", KERNEL,
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
