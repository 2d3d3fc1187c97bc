"""Where things live, whatever the working directory.

``ROOT`` is the repository root (the folder holding ``pyproject.toml``).
Generated output goes under ``REPORTS`` (``reports/`` by default); the
environment variable ``STUDY_REPORTS_DIR`` redirects it, which the tests use
to run notebooks without touching the real reports.
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


def reports_dir() -> Path:
    """Root of generated output (``STUDY_REPORTS_DIR`` overrides)."""
    return Path(os.environ.get("STUDY_REPORTS_DIR", ROOT / "reports"))


def results_dir() -> Path:
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
