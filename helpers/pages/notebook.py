"""What stands for one executed notebook: its results file, title, saved figures and key figure.

The title is the first markdown heading; the key figure is the one named in the results, else the first
the notebook saved. Also the commit the pages are built from.
"""
from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path
from typing import Any, Mapping

from .. import paths


SAVE_FIGURE = re.compile(r"""save_figure\(\s*[A-Za-z_][A-Za-z_0-9]*\s*,\s*["']([^"']+)["']""")


def load_results(stem: str, reports: Path | None = None) -> dict | None:
    """The notebook's results file, or None when it did not write one."""
    p = (reports or paths.study_reports_dir()) / "results" / f"{stem}.json"
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def as_number(x: Any) -> float | None:
    """A results value as a float: "inf"/"-inf" are infinite (contract section 3), None stays None."""
    if x is None:
        return None
    if isinstance(x, str):
        if x in ("inf", "+inf", "-inf"):
            return math.inf if not x.startswith("-") else -math.inf
        try:
            return float(x)
        except ValueError:
            return None
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, (int, float)):
        return float(x)
    return None


def title_of(nb: Mapping) -> str | None:
    """The first markdown heading of a notebook, without the leading #'s and markup."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in _source(cell).splitlines():
            m = re.match(r"\s*#{1,3}\s+(.+)", line)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return None


def saved_figures(nb: Mapping) -> list[str]:
    """Names of the figures a notebook saves, in the order its code saves them."""
    names: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            for name in SAVE_FIGURE.findall(_source(cell)):
                if name not in names:
                    names.append(name)
    return names


def key_figure(stem: str, nb: Mapping | None, results: Mapping | None,
               reports: Path | None = None) -> Path | None:
    """The PNG that stands for a notebook: named in its results, else the first one it saved."""
    figures = (reports or paths.study_reports_dir()) / "figures"
    wanted: list[str] = []
    for d in (results or {}, (results or {}).get("metrics") or {}):
        v = d.get("key_figure") if isinstance(d, Mapping) else None
        if isinstance(v, str) and v:
            wanted.append(Path(v).stem)
    if nb is not None:
        wanted += saved_figures(nb)
    wanted += sorted(p.stem for p in figures.glob(f"{stem}_*.png"))
    for name in wanted:
        p = figures / f"{name}.png"
        if p.exists():
            return p
    return None


def build_commit() -> str:
    """The commit the pages are built from (``+`` when the work tree has uncommitted changes)."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=paths.ROOT, check=True,
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return sha + ("+" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _source(cell: Mapping) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s
