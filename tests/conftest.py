"""Shared test fixtures.

- ``reports_tmp``: redirects every generated output (results, figures) to a temporary folder, so tests
  never touch ``reports/``; notebooks executed by ``run_notebook`` inherit it through the environment,
  and write as ``make`` would (``STUDY_RUN_BY=make``), not to ``interactive/``.
- ``require_logged(name)``: the verified path of a registered logged file. Without it: skip when no
  DATA_MIRROR is set (an offline developer machine), fail when DATA_MIRROR is set (CI must have it).

Notebook runs (how a notebook's tests stay fast; adopt them in every ``tests/test_notebook_NN.py``):

- ``run_notebook(stem, **params)``: the results dict of ``notebooks/<stem>.ipynb`` executed with papermill
  on the study's kernel (``quick=True`` unless given). The run is executed ONCE per test session (across all
  pytest-xdist workers: a file lock per run, tests/conftest.py ``NotebookRuns``) for each
  (stem, parameters, data environment: ``STUDY_*`` variables other than ``STUDY_REPORTS_DIR``, and
  ``DATA_MIRROR``); every later call with the same arguments reuses it: the run's outputs (results,
  figures, executed notebook) are copied into the calling test's ``reports_tmp`` and a fresh copy of the
  results dict is returned. So write as many tests of a notebook's default quick run as you like, each
  calling ``run_notebook(STEM)``: together they cost one execution. Tests that pass their own file
  (``tmp_path``) get their own run. A call made when the test's ``reports_tmp`` already holds files (put
  there by the test, or by an earlier call in the same test) executes anew in that folder, unshared, as
  before. ``run_notebook(stem, fresh=True, ...)`` always executes anew (use it to check that a re-run
  writes the same bytes). A failing run (``PapermillExecutionError``) is never
  cached. For a claim notebook each call also checks that the synthesis can read the metrics it wrote.
- ``check_parameters(stem, **params)``: the cheap path for bad input caught by the validation cell. It
  runs, in this process and without a kernel, only the parameters cell, the parameters injected as
  papermill would inject them, and the next code cell (the validation cell, which also reads a user's
  file), with ``notebooks/`` as the working directory; an exception is raised as the same
  ``papermill.PapermillExecutionError`` a real run raises (its text carries the error's type and message),
  so ``pytest.raises(..., match=...)`` checks read the same. Keep at least one end-to-end bad-parameter
  run (``run_notebook``) per notebook; the others can move here by replacing ``run_notebook`` with
  ``check_parameters``.
- Tests in ``test_notebook_NN.py`` are grouped per notebook (``xdist_group``), so under pytest-xdist
  (``-n 2 --dist loadgroup``) one notebook's tests share a worker and so its cached runs.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import traceback

# as in the Makefile: tiny linear algebra is far slower with multithreaded BLAS (set before numpy loads)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest

from helpers import paths, registry

KERNEL = "tts-study"


def pytest_configure(config):
    # registered here too, so --strict-markers accepts it when pytest-xdist is absent
    config.addinivalue_line("markers", "xdist_group(name): tests that share one pytest-xdist worker")


def pytest_collection_modifyitems(config, items):
    """One xdist group per notebook: a notebook's tests (and so its cached runs) stay on one worker."""
    for item in items:
        name = item.path.name
        if name.startswith("test_notebook_"):
            item.add_marker(pytest.mark.xdist_group(name[len("test_"):-len(".py")]))
        elif name == "test_make.py":
            item.add_marker(pytest.mark.xdist_group("make"))


@pytest.fixture
def reports_tmp(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(out))
    monkeypatch.setenv("STUDY_RUN_BY", "make")  # the tests stand in for make: outputs go to reports/, not interactive/
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(20261128)


def _run_key(stem: str, params: dict) -> str:
    env = {k: v for k, v in sorted(os.environ.items())
           if (k.startswith("STUDY_") and k != "STUDY_REPORTS_DIR") or k == "DATA_MIRROR"}
    return json.dumps([stem, params, env], sort_keys=True, default=repr)


def _execute(stem: str, params: dict, out) -> None:
    """papermill run of one notebook writing every output under ``out`` (its STUDY_REPORTS_DIR)."""
    import papermill as pm

    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    before = os.environ.get("STUDY_REPORTS_DIR")
    os.environ["STUDY_REPORTS_DIR"] = str(out)
    try:
        pm.execute_notebook(str(paths.NOTEBOOKS / f"{stem}.ipynb"), str(out / "notebooks" / f"{stem}.ipynb"),
                            parameters=params, kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS),
                            progress_bar=False, log_output=False)
    finally:
        if before is None:
            os.environ.pop("STUDY_REPORTS_DIR", None)
        else:
            os.environ["STUDY_REPORTS_DIR"] = before


def _shared_root(tmp_path_factory) -> "os.PathLike":
    """The session's folder of notebook runs, one for all pytest-xdist workers (their basetemps are
    ``<session>/popen-gwN``, so the parent is shared), else this process's basetemp."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "notebook-runs"
    root.mkdir(exist_ok=True)
    return root


class NotebookRuns:
    """Successful notebook runs of this test session, shared by every test and every xdist worker.

    A run is a folder ``<root>/<hash of key>/`` holding what the notebook wrote plus ``results.json`` (a
    copy of its results) and ``done`` (written last). ``get`` takes an exclusive file lock per key, so two
    workers wanting the same run execute it once: the second waits and reuses it. A failed run leaves no
    ``done`` and is executed again by the next caller (failures are never cached).
    """

    def __init__(self, root):
        self.root = root
        self._fresh = itertools.count()  # numbers this process's unshared (fresh) runs

    def get(self, stem: str, params: dict, key: str, fresh: bool = False, on_failure=None):
        import fcntl
        import hashlib

        h = hashlib.sha256(key.encode()).hexdigest()[:20]
        if fresh:  # a run of its own, never shared
            h = f"{h}-fresh{next(self._fresh)}-{os.getpid()}"
        out = self.root / h
        with open(self.root / f"{h}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (out / "done").exists():
                shutil.rmtree(out, ignore_errors=True)
                try:
                    _execute(stem, params, out)
                except BaseException:  # nothing is marked done; the caller sees what the run wrote
                    if on_failure is not None and out.exists():
                        on_failure(out)
                    shutil.rmtree(out, ignore_errors=True)
                    raise
                shutil.copyfile(out / "results" / f"{stem}.json", out / "results.json")
                (out / "done").write_text(key)
        return out, json.loads((out / "results.json").read_text())


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory):
    return NotebookRuns(_shared_root(tmp_path_factory))


@pytest.fixture
def run_notebook(reports_tmp, notebook_runs):
    def _run(stem: str, *, fresh: bool = False, **params):
        params.setdefault("quick", True)
        key = _run_key(stem, params)
        if reports_tmp.exists() and any(reports_tmp.iterdir()):
            # this test's reports/ has files already (its own, or an earlier run's): run in place, as they
            # may matter to the notebook, and do not share the run
            _execute(stem, params, reports_tmp)
            doc = json.loads((reports_tmp / "results" / f"{stem}.json").read_text())
            _check_synthesis_reads(stem, doc)
            return doc
        # a failed run leaves in this test's reports/ exactly what it wrote (e.g. nothing)
        out, doc = notebook_runs.get(stem, params, key, fresh=fresh,
                                     on_failure=lambda o: shutil.copytree(o, reports_tmp, dirs_exist_ok=True))
        shutil.copytree(out, reports_tmp, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("done", "results.json"))
        _check_synthesis_reads(stem, doc)
        return doc

    return _run


def _check_synthesis_reads(stem: str, doc: dict) -> None:
    """Every claim notebook run in the tests also checks that the synthesis can read its metrics."""
    from helpers import datasets, synthesis

    claims = {s: c for c, s in synthesis.CLAIM_STEMS.items()}
    if stem not in claims:
        return
    rows, _ = synthesis.verdict_rows({claims[stem]: doc}, datasets.headline_figures())
    row = next(r for r in rows if r["claim"] == claims[stem])
    assert not row["measured"].startswith("could not read metrics"), row["measured"]
    assert row["verdict"] == doc["verdict"]


def notebook_cells(stem: str) -> list[str]:
    """Sources of a notebook's code cells, in order."""
    doc = json.loads((paths.NOTEBOOKS / f"{stem}.ipynb").read_text())
    return ["".join(c["source"]) for c in doc["cells"] if c["cell_type"] == "code"]


@pytest.fixture
def check_parameters(reports_tmp, monkeypatch):
    import matplotlib
    import pandas as pd
    import papermill as pm
    from papermill.translators import translate_parameters

    def _check(stem: str, **params) -> dict:
        params.setdefault("quick", True)
        cells = notebook_cells(stem)
        injected = translate_parameters(KERNEL, "python", params, "Parameters")
        steps = [(0, 1, cells[0]), (1, 2, injected), (2, 3, cells[1])]
        ns: dict = {"__name__": "__main__"}
        monkeypatch.chdir(paths.NOTEBOOKS)
        try:
            with matplotlib.rc_context():  # the cells may set the theme: leave this process as it was
                for index, count, src in steps:
                    try:
                        exec(compile(src, f"<{stem} cell {count}>", "exec"), ns)
                    except Exception as exc:
                        tb = traceback.format_exception(exc)
                        raise pm.PapermillExecutionError(index, count, src, type(exc).__name__, str(exc),
                                                         [*tb[:-1], f"{type(exc).__name__}: {exc}"]) from exc
        finally:
            pd.reset_option("display")
        return ns

    return _check


@pytest.fixture
def require_logged():
    def _get(name: str):
        try:
            return registry.fetch(name)
        except registry.DataUnavailable as exc:
            if os.environ.get("DATA_MIRROR"):
                pytest.fail(f"DATA_MIRROR is set but {exc}")
            pytest.skip(str(exc))

    return _get
