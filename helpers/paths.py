"""Where things live, whatever the working directory.

``ROOT`` is the repository root (the folder holding ``pyproject.toml``).
Generated output goes under ``reports/``; the environment variable
``STUDY_REPORTS_DIR`` moves that root, which the tests use to run notebooks
without touching the real reports.

Only ``make`` writes ``make``'s outputs: the Makefile runs papermill with
``STUDY_RUN_BY=make``. A notebook run any other way (papermill by hand,
JupyterLab, nbclient) writes its results and figures under
``reports/interactive/`` instead, so it can never overwrite what ``make`` built
(and ``make`` never mistakes a quick hand-run for its own up-to-date output).
Notebooks that *read* other notebooks' results (synthesis, planner) read
``make``'s results by default (:func:`study_results_dir`).
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DATA_PUBLISHED = ROOT / "data" / "published"


def data_external() -> Path:
    """Folder for downloaded logged data (``STUDY_DATA_DIR`` overrides, for tests)."""
    return Path(os.environ.get("STUDY_DATA_DIR", ROOT / "data" / "external"))


RUN_BY_VAR = "STUDY_RUN_BY"  # the Makefile sets it to "make" for the notebooks it runs
INTERACTIVE = "interactive"


def under_make() -> bool:
    """True when this process (a notebook's kernel) was started by ``make``."""
    return os.environ.get(RUN_BY_VAR) == "make"


def study_reports_dir() -> Path:
    """Root of ``make``'s generated output (``STUDY_REPORTS_DIR`` overrides)."""
    return Path(os.environ.get("STUDY_REPORTS_DIR", ROOT / "reports"))


def reports_dir() -> Path:
    """Where this run writes: ``make``'s root under make, else its ``interactive/`` subfolder."""
    root = study_reports_dir()
    return root if under_make() else root / INTERACTIVE


def study_results_dir() -> Path:
    """``make``'s results folder: what the synthesis, the planner and the index read."""
    return study_reports_dir() / "results"


def results_dir() -> Path:
    """Where this run writes its results file (see :func:`reports_dir`)."""
    return reports_dir() / "results"


def figures_dir() -> Path:
    return reports_dir() / "figures"


def resolve_user_path(value: str | os.PathLike | None) -> Path | None:
    """Expand ``~`` and make a user-supplied path absolute (relative to ROOT).

    Relative paths are read against the repository root, not the notebook's
    working directory, so ``-p runs_path data/my_runs.csv`` means the same from
    the shell, from make and from JupyterLab.
    """
    if value is None or value == "":
        return None
    p = Path(os.path.expanduser(str(value)))
    return p if p.is_absolute() else ROOT / p
