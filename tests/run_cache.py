"""Notebook runs kept between test sessions: a notebook is executed again only when something it reads
changed (the idea of jupyter-cache, which Jupyter Book uses to skip unchanged notebooks).

A run's key is its notebook, its parameters and its data environment (``STUDY_*`` variables other than
``STUDY_REPORTS_DIR``, and ``DATA_MIRROR``), plus:

- the notebook's **fingerprint**: SHA-256 of the notebook file and of every ``helpers`` module it imports
  (``helpers.deps.notebook_inputs``, the same list ``make`` re-runs a notebook on), every file under
  ``data/published``, ``data/examples`` and ``notebooks/sweeps``, the data manifest and the names and sizes
  of the downloaded files, ``requirements.lock``, ``pyproject.toml``, the kernelspec (its command and
  environment variables) and the Python and environment that run the tests (``DATA_MIRROR`` counts by being set or not: what it serves is verified);
- the **contents** of every file or folder a parameter names (so a test that writes other bytes to the
  same path gets another run).

A run whose parameters or variables name a path in pytest's temporary folder (a test's own user file) is
kept for the session only: that folder is new every session, and the notebook records the path it read.

Runs live in ``.cache/test-runs/<key hash>/`` (``make distclean`` removes it). Set ``STUDY_TEST_CACHE=0`` to
keep runs for one session only: every run is then executed (as on a fresh clone in CI, which has no
cache). A run that raised ``PapermillExecutionError`` (bad input stopping the notebook, which some tests
expect) is kept with its error and re-raised on reuse; any other failure (a dead kernel, a timeout) is
never kept. Entries whose notebook's fingerprint has changed can never be reused: ``prune`` deletes them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from helpers import deps, paths, results

ENV = "STUDY_TEST_CACHE"
SHARED_INPUTS = ("data/published", "data/examples", "notebooks/sweeps")


def persistent_root() -> Path | None:
    """``.cache/test-runs`` under the repository, or None when ``STUDY_TEST_CACHE`` is 0/off/no."""
    if os.environ.get(ENV, "1").strip().lower() in ("0", "off", "no", "false"):
        return None
    return paths.ROOT / ".cache" / "test-runs"


def _hash_tree(h, path: Path, label: str) -> None:
    if path.is_file():
        h.update(f"{label}\0{results.file_sha256(path)}\0".encode())
    elif path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            _hash_tree(h, f, f"{label}/{f.relative_to(path).as_posix()}")
    else:
        h.update(f"{label}\0missing".encode())


@functools.lru_cache(maxsize=None)
def fingerprint(stem: str) -> str:
    """SHA-256 of everything a run of ``stem`` reads besides its parameters (see the module docstring)."""
    h = hashlib.sha256()
    for f in deps.notebook_inputs(stem):
        _hash_tree(h, f, f.relative_to(paths.ROOT).as_posix())
    for rel in (*SHARED_INPUTS, "requirements.lock", "pyproject.toml"):
        _hash_tree(h, paths.ROOT / rel, rel)
    external = paths.ROOT / "data" / "external"  # another STUDY_DATA_DIR is in the key's environment
    for f in sorted(external.rglob("*")) if external.is_dir() else []:
        if f.is_file() and not f.relative_to(external).parts[0] == "derived":  # frames built from the files here
            label = f.relative_to(external).as_posix()
            if f.name == "MANIFEST.json":
                _hash_tree(h, f, label)
            else:  # verified by SHA-256 when fetched; name and size say which version is here
                h.update(f"{label}\0{f.stat().st_size}\0".encode())
    h.update(f"{sys.version}\0{os.path.realpath(sys.prefix)}".encode())  # the Python and its environment
    # the kernel's command and environment variables (MPLCONFIGDIR: which font list matplotlib reads)
    _hash_tree(h, Path(sys.prefix) / "share" / "jupyter" / "kernels" / "tts-study" / "kernel.json", "kernel.json")
    return h.hexdigest()


def mentions(obj, roots: tuple[str, ...]) -> bool:
    """Whether a parameter or variable value names a path below one of ``roots`` (pytest's session folder)."""
    if isinstance(obj, str):
        return any(obj == r or obj.startswith(r + os.sep) for r in roots)
    if isinstance(obj, dict):
        return any(mentions(v, roots) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(mentions(v, roots) for v in obj)
    return False


def _contents(value: str) -> str | None:
    """SHA-256 of the file or folder a string names (relative names read against the repository root, as
    the notebooks read them), or None when it names nothing."""
    if not value or len(value) > 4096 or "\n" in value:
        return None
    p = paths.resolve_user_path(value)
    try:
        if not p.exists():
            return None
    except OSError:
        return None
    h = hashlib.sha256()
    _hash_tree(h, p, "")
    return h.hexdigest()


def _walk(obj, contents=True):
    if isinstance(obj, str):
        return [obj, _contents(obj) if contents else None]
    if isinstance(obj, dict):
        return {k: _walk(v, contents) for k, v in sorted(obj.items())}
    if isinstance(obj, (list, tuple)):
        return [_walk(v, contents) for v in obj]
    return obj


def run_key(stem: str, params: dict, env: dict) -> str:
    """The JSON key of one run (see the module docstring); its SHA-256 names the run's folder. The contents
    of what a parameter names are hashed, besides its path; a variable is keyed by its value only."""
    # DATA_MIRROR: only whether it is set matters (what it serves is verified by SHA-256 and in the fingerprint)
    env = {k: ("<set>" if k == "DATA_MIRROR" and v else v) for k, v in env.items()}
    return json.dumps({"stem": stem, "params": _walk(params), "env": _walk(env, False),
                       "fingerprint": fingerprint(stem)}, sort_keys=True, default=repr)


def kept(folder: Path) -> Path | None:
    """``folder/reports`` when a finished copy is kept there and kept runs are on (``STUDY_TEST_CACHE``), else None."""
    return folder / "reports" if persistent_root() is not None and (folder / "done").exists() else None


def keep_newest(reports: Path, folder: Path) -> Path:
    """Keep a copy of ``reports`` as ``folder/reports`` (marked done last), dropping the other entries beside
    ``folder``: one is kept, the newest. Returns the copy, or ``reports`` itself when kept runs are off."""
    if persistent_root() is None:
        return reports
    shutil.rmtree(folder.parent, ignore_errors=True)
    shutil.copytree(reports, folder / "reports")
    (folder / "done").write_text("")
    return folder / "reports"


def prune(root: Path, entries=None) -> int:
    """Delete the entries of ``root`` (or only those whose ``key.json`` files ``entries`` lists) whose notebook's
    fingerprint is no longer current; return how many."""
    gone = 0
    for meta in root.glob("*/key.json") if entries is None else entries:
        try:
            key = json.loads(meta.read_text())
            stale = key["fingerprint"] != fingerprint(key["stem"])
        except (OSError, ValueError, KeyError):
            stale = True
        if stale:
            shutil.rmtree(meta.parent, ignore_errors=True)
            meta.parent.with_suffix(".lock").unlink(missing_ok=True)
            gone += 1
    return gone
