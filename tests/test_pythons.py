"""The one lock builds a working environment on every supported Python: for 3.12 and 3.13 (the suite itself
runs on .venv, 3.11 here), `make env PYTHON=...` in a copy of the repository, then a notebook in quick mode
on that environment's kernel. Skipped, saying so, where that Python is not installed.

The copies live in .venv/pythons/<version>/repo (git-ignored, removed by `make distclean`) and are
refreshed on every run with the files' own mtimes, so make rebuilds a copy's environment exactly when the
lock or pyproject.toml changed (as for .venv itself). The notebook's run on a copy's environment is kept
in .venv/pythons/<version>/kept/ while nothing it reads changes (its key, as for every kept run in
tests/run_cache.py, and the copy's environment: its interpreter and when make last installed
it), so a warm `make test` only checks that `make env` has nothing to do. ``STUDY_TEST_CACHE=0``: the
notebook runs every time."""
from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import paths

import run_cache
from conftest import _run_env

pytestmark = pytest.mark.notebook
ROOT = paths.ROOT


def find_python(version: str) -> str | None:
    """A working ``python<version>``: on PATH (a pyenv shim of an inactive version does not run), else pyenv's."""
    candidates = [shutil.which(f"python{version}"), f"/usr/bin/python{version}",
                  *sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))]
    for exe in filter(None, candidates):
        try:
            out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == version:
            return exe
    return None


def _copy_repo(dst: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    keep = set()
    for f in files:
        if f.startswith(("reports/", "data/external/")) or not (ROOT / f).is_file():
            continue
        keep.add(f)
        (dst / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, dst / f)
    for sub in ("helpers", "notebooks", "tests"):  # files removed here are removed there
        for q in (dst / sub).rglob("*"):
            if q.is_file() and "__pycache__" not in q.parts and str(q.relative_to(dst)) not in keep:
                q.unlink()
    return dst


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_environment_builds_and_a_notebook_runs_on(version, tmp_path):
    exe = find_python(version)
    if exe is None:
        pytest.skip(f"Python {version} is not installed here (neither python{version} on PATH nor under pyenv)")
    repo = _copy_repo(ROOT / ".venv" / "pythons" / version / "repo")
    # STUDY_RUN_BY=make: this run stands for one of make's (a hand-run papermill writes to reports/interactive/)
    env = {**os.environ, "STUDY_REPORTS_DIR": str(tmp_path / "reports"), "STUDY_RUN_BY": "make",
           "STUDY_DATA_DIR": str(paths.data_external())}
    r = subprocess.run(["make", "--no-print-directory", "env", f"PYTHON={exe}"], cwd=repo, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    venv_py = repo / ".venv" / "bin" / "python"
    out = subprocess.run([str(venv_py), "-c", "import sys, helpers; print('%d.%d' % sys.version_info[:2]); "
                          "print(helpers.__file__)"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == version and Path(out[1]).is_relative_to(repo)  # the copy's helpers, editable
    stamp = repo / ".venv" / ".installed"
    key = hashlib.sha256(f"{run_cache.run_key('00_overview', {'quick': True}, _run_env(env))}\0"
                         f"{os.path.realpath(exe)}\0{stamp.stat().st_mtime_ns}".encode()).hexdigest()[:20]
    folder = ROOT / ".venv" / "pythons" / version / "kept" / key
    if (kept := run_cache.kept(folder)) is not None:
        shutil.copytree(kept, tmp_path / "reports")
    else:
        nb = tmp_path / "reports" / "notebooks" / "00_overview.ipynb"
        nb.parent.mkdir(parents=True)
        r = subprocess.run([str(repo / ".venv" / "bin" / "papermill"), "--no-progress-bar", "-k", "tts-study",
                            "--cwd", str(repo / "notebooks"), str(repo / "notebooks" / "00_overview.ipynb"), str(nb),
                            "-p", "quick", "True"], env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        run_cache.keep_newest(tmp_path / "reports", folder)  # one run is kept per Python: the newest
    doc = json.loads((tmp_path / "reports" / "results" / "00_overview.json").read_text())
    assert doc["versions"]["python"].startswith(version + ".")
    assert doc["parameters"] == {"quick": True, "seed": 0} and doc["metrics"]["n_claims"] == 5
