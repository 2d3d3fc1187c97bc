"""Shared test fixtures.

- ``reports_tmp``: redirects every generated output (results, figures) to a temporary folder, so tests
  never touch ``reports/``; notebooks executed by ``run_notebook`` inherit it through the environment,
  and write as ``make`` would (``STUDY_RUN_BY=make``), not to ``interactive/``.
- ``require_logged(name)``: the verified path of a registered logged file. Without it: skip when no
  DATA_MIRROR is set (an offline developer machine), fail when DATA_MIRROR is set (CI must have it).

Notebook runs (how a notebook's tests stay fast; adopt them in every ``tests/test_notebook_NN.py``):

- ``run_notebook(stem, **params)``: the results dict of ``notebooks/<stem>.ipynb`` executed with papermill
  on the study's kernel (``quick=True`` unless given). A run is executed ONCE (across all pytest-xdist
  workers: a file lock per run, ``NotebookRuns``) for each (stem, parameters, data environment:
  ``STUDY_*`` variables other than ``STUDY_REPORTS_DIR``, and ``DATA_MIRROR``), and kept in
  ``.cache/test-runs/`` for later sessions while nothing it reads changes: the notebook, the helpers
  modules it imports, the data, the lock, the Python, and the contents of any file a parameter names
  (``tests/run_cache.py``; ``STUDY_TEST_CACHE=0`` keeps runs for this session only, as CI's fresh clone
  does by having no cache). Every later call with the same arguments reuses it: the run's outputs (results,
  figures, executed notebook) are copied into the calling test's ``reports_tmp`` and a fresh copy of the
  results dict is returned; every assertion runs again on them. So write as many tests of a notebook's
  default quick run as you like, each calling ``run_notebook(STEM)``: together they cost one execution.
  A run stopped by a ``PapermillExecutionError`` (a bad input) is kept too, and re-raised on reuse; a
  run that failed otherwise is never kept. A call made when the test's ``reports_tmp`` already holds
  files (put there by the test, or by an earlier call in the same test) executes anew in that folder,
  unshared. ``run_notebook(stem, fresh=True, ...)`` is a replica: the same run executed a second time,
  independently, in a folder of its own, kept and reused like any run; its outputs are copied over the
  test's ``reports_tmp`` (use it to check that a re-run writes the same bytes). A test's own input file
  (under ``tmp_path``, a folder that is new every session) makes a run session-only; pass
  ``keep_input(path)`` instead, a copy named by its contents, and the run is kept like the others (and
  for a machine without the logged data, the ``offline`` fixture rather than a ``tmp_path`` folder). The
  session's summary says how many runs were executed and how many reused.
  For a claim notebook each call also checks that the synthesis can read the metrics it wrote.
- ``check_parameters(stem, **params)``: the cheap path for bad input caught by the validation cell. It
  runs, in this process and without a kernel, only the parameters cell, the parameters injected as
  papermill would inject them, and the next code cell (the validation cell, which also reads a user's
  file), with ``notebooks/`` as the working directory; an exception is raised as the same
  ``papermill.PapermillExecutionError`` a real run raises (its text carries the error's type and message),
  so ``pytest.raises(..., match=...)`` checks read the same. Keep at least one end-to-end bad-parameter
  run (``run_notebook``) per notebook; the others can move here by replacing ``run_notebook`` with
  ``check_parameters``.
- ``make test`` hands pytest-xdist whole files (``-n auto --dist loadfile``): a notebook's tests
  (``test_notebook_NN.py``) share a worker and so its runs, a make module's tests its copy of the repository.
  (``--dist loadgroup`` with ``xdist_group`` marks did nothing: pytest-xdist 3.8 writes the group into a test
  id pytest 9 no longer reads, so the make tests were split and each half built its own copy.)
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import traceback
from pathlib import Path

# as in the Makefile: tiny linear algebra is far slower with multithreaded BLAS (set before numpy loads)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest

from helpers import paths, registry

import run_cache

KERNEL = "tts-study"


# the slowest files first (make, Dask, a browser, page renders, other Pythons, then the longest statistical
# recoveries): pytest-xdist hands out files in collection order, so these start at once, the many short files
# fill the gaps and both workers finish together (in file order the make tests started half-way through)
SLOW_FIRST = ("test_make.py", "test_sweep.py", "test_make_concurrency.py", "test_browser.py", "test_reliability.py",
              "test_readme_examples.py", "test_pythons.py", "test_planner.py", "test_curves.py",
              "test_search_scaling.py", "test_variance.py", "test_search_scaling_verdict.py",
              "test_search_scaling_robustness.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The slow files first (``SLOW_FIRST``); the order within a file, and of the other files, is kept."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: file order otherwise


@pytest.fixture
def reports_tmp(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(out))
    monkeypatch.setenv("STUDY_RUN_BY", "make")  # the tests stand in for make: outputs go to reports/, not interactive/
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(20261128)


def _run_env(environ=None) -> dict:
    """The part of the environment (``os.environ`` unless given) a run's key holds: its data environment."""
    return {k: v for k, v in sorted((os.environ if environ is None else environ).items())
            if (k.startswith("STUDY_") and k not in ("STUDY_REPORTS_DIR", run_cache.ENV)) or k == "DATA_MIRROR"}


def _execute(stem: str, params: dict, out) -> None:
    """papermill run of one notebook writing every output under ``out`` (its STUDY_REPORTS_DIR)."""
    import papermill as pm

    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    before = os.environ.get("STUDY_REPORTS_DIR")
    os.environ["STUDY_REPORTS_DIR"] = str(out)
    try:
        pm.execute_notebook(str(paths.NOTEBOOKS / f"{stem}.ipynb"), str(out / "notebooks" / f"{stem}.ipynb"),
                            parameters=params, kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS),
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False)
    finally:
        if before is None:
            os.environ.pop("STUDY_REPORTS_DIR", None)
        else:
            os.environ["STUDY_REPORTS_DIR"] = before


def _session_root(tmp_path_factory) -> "os.PathLike":
    """This session's temporary folder, one for all pytest-xdist workers (their basetemps are
    ``<session>/popen-gwN``, so the parent is shared), else this process's basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


BOOKKEEPING = ("done", "results.json", "key.json", "failure.json")


class NotebookRuns:
    """Notebook runs shared by every test and every xdist worker of a session, and kept between sessions
    while nothing they read changes (``tests/run_cache.py``; ``STUDY_TEST_CACHE=0``: this session only).

    A run is a folder ``<root>/<hash of key>/`` holding what the notebook wrote plus ``key.json``,
    ``results.json`` (a copy of its results) or ``failure.json`` (the ``PapermillExecutionError`` that
    stopped it), and ``done`` (written last). ``get`` takes an exclusive file lock per key, so two
    workers wanting the same run execute it once: the second waits and reuses it. A run that failed
    any other way leaves no ``done`` and is executed again by the next caller. Each execution and each
    reuse is logged to ``<session>/notebook-runs.log`` for the session's summary line.
    """

    def __init__(self, session_root, persistent=None):
        self.session_root = session_root
        session_root.mkdir(parents=True, exist_ok=True)
        self.session_runs = session_root / "notebook-runs"  # runs not kept beyond this session
        self.session_runs.mkdir(exist_ok=True)
        self.root = persistent or self.session_runs
        self.root.mkdir(parents=True, exist_ok=True)
        self.tmp_roots = (str(session_root), str(Path(session_root).resolve()))
        self.inputs = (persistent.parent / "test-inputs") if persistent else session_root / "test-inputs"

    def _log(self, what: str, stem: str) -> None:
        with open(self.session_root / "notebook-runs.log", "a") as fh:
            fh.write(f"{what} {stem}\n")

    def get(self, stem: str, params: dict, fresh: bool = False, on_failure=None):
        """(folder, results dict) of the run; raises the run's ``PapermillExecutionError`` if it had one
        (after ``on_failure(folder)``)."""
        import fcntl

        env = _run_env()
        key = run_cache.run_key(stem, params, env)
        h = hashlib.sha256(key.encode()).hexdigest()[:20]
        # a test's own files (in pytest's temporary folder, new every session): kept for this session only
        root = self.session_runs if run_cache.mentions([params, env], self.tmp_roots) else self.root
        if fresh:  # a second, independent execution (a replica) of the same run, kept like any run
            key = json.dumps({**json.loads(key), "replica": 1}, sort_keys=True)
            h = hashlib.sha256(key.encode()).hexdigest()[:20]
        out = root / h
        with open(root / f"{h}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if (out / "done").exists():
                self._log("reused", stem)
            else:
                shutil.rmtree(out, ignore_errors=True)
                self._log("executed", stem)
                import papermill as pm  # (a reused run needs no papermill: it takes seconds to import)

                try:
                    _execute(stem, params, out)
                except pm.PapermillExecutionError as exc:  # bad input stopping the run: as repeatable as a result
                    (out / "failure.json").write_text(json.dumps(
                        [exc.cell_index, exc.exec_count, exc.source, exc.ename, exc.evalue, exc.traceback]))
                except BaseException:  # nothing is marked done; the caller sees what the run wrote
                    if on_failure is not None and out.exists():
                        on_failure(out)
                    shutil.rmtree(out, ignore_errors=True)
                    raise
                else:
                    shutil.copyfile(out / "results" / f"{stem}.json", out / "results.json")
                (out / "key.json").write_text(key)
                (out / "done").write_text("")
        if (out / "failure.json").exists():
            from papermill.exceptions import PapermillExecutionError

            if on_failure is not None:
                on_failure(out)
            raise PapermillExecutionError(*json.loads((out / "failure.json").read_text()))
        return out, json.loads((out / "results.json").read_text())


    def keep_input(self, path) -> Path:
        """A test's own input file or folder, copied to ``<inputs>/<hash of its contents>/<its name>``: a path
        that names the same bytes in every session, so a run reading it is keyed alike and can be kept
        (``.cache/test-inputs``, beside the kept runs; this session's folder when they are switched off)."""
        import fcntl

        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"keep_input: {path} does not exist")
        h = hashlib.sha256()
        run_cache._hash_tree(h, path, path.name)
        folder = self.inputs / h.hexdigest()[:20]
        self.inputs.mkdir(parents=True, exist_ok=True)
        with open(self.inputs / f"{folder.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (folder / "done").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                if path.is_dir():
                    shutil.copytree(path, folder / path.name)
                else:
                    shutil.copyfile(path, folder / path.name)
                (folder / "done").write_text("")
        return folder / path.name


    def no_data_dir(self) -> Path:
        """A data folder that holds nothing, at a path that is the same in every session (so a run keyed on
        ``STUDY_DATA_DIR`` can be kept): ``<inputs>/no-data``, emptied on every call."""
        folder = self.inputs / "no-data"
        shutil.rmtree(folder, ignore_errors=True)
        return folder


def _copy_run(src, dst) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*BOOKKEEPING))


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory):
    return NotebookRuns(_session_root(tmp_path_factory), run_cache.persistent_root())


@pytest.fixture
def run_notebook(reports_tmp, notebook_runs):
    def _run(stem: str, *, fresh: bool = False, **params):
        params.setdefault("quick", True)
        if not fresh and reports_tmp.exists() and any(reports_tmp.iterdir()):
            # this test's reports/ has files already (its own, or an earlier run's): run in place, as they
            # may matter to the notebook, and do not share the run
            _execute(stem, params, reports_tmp)
            doc = json.loads((reports_tmp / "results" / f"{stem}.json").read_text())
            _check_synthesis_reads(stem, doc)
            return doc
        # a failed run leaves in this test's reports/ exactly what it wrote (e.g. nothing)
        out, doc = notebook_runs.get(stem, params, fresh=fresh, on_failure=lambda o: _copy_run(o, reports_tmp))
        _copy_run(out, reports_tmp)
        _check_synthesis_reads(stem, doc)
        return doc

    return _run


@pytest.fixture
def keep_input(notebook_runs):
    """``keep_input(path)``: the path of a copy of a test's own input file or folder (written under
    ``tmp_path``) named by its contents (``NotebookRuns.keep_input``). Pass it to ``run_notebook`` instead
    of the ``tmp_path`` file, whose folder is new every session, and the run is kept between sessions."""
    return notebook_runs.keep_input


@pytest.fixture
def offline(notebook_runs, monkeypatch):
    """A machine without the logged data: ``STUDY_DATA_DIR`` names an empty folder (the same path in every
    session, so the runs are kept) and no ``DATA_MIRROR`` is set. Returns the folder."""
    folder = notebook_runs.no_data_dir()
    monkeypatch.setenv("STUDY_DATA_DIR", str(folder))
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    return folder


def pytest_terminal_summary(terminalreporter, config):
    """One line: how many notebook runs this session executed and how many it reused unchanged."""
    if hasattr(config, "workerinput"):
        return
    log = config._tmp_path_factory.getbasetemp() / "notebook-runs.log"
    if not log.exists():
        return
    words = [ln.split() for ln in log.read_text().splitlines() if ln.strip()]
    executed = sum(w[0] == "executed" for w in words)
    reused = sum(w[0] == "reused" for w in words)
    root = run_cache.persistent_root()
    where = (f"kept in {root.relative_to(paths.ROOT)} while their inputs are unchanged; {run_cache.ENV}=0 "
             "executes every run") if root else f"kept for this session only: {run_cache.ENV}=0"
    terminalreporter.write_line(f"notebook runs: {executed} executed, {reused} reused ({where})")


_PRUNING: list[threading.Thread] = []


def pytest_sessionstart(session):
    """Drop kept runs that can never be reused (their notebook's inputs changed): the entries kept before this
    session (complete, written by earlier ones), in a thread of the controller, which is otherwise idle while
    the workers run the tests; joined at the session's end."""
    root = run_cache.persistent_root()
    if not hasattr(session.config, "workerinput") and root is not None and root.exists():
        t = threading.Thread(target=run_cache.prune, args=(root, sorted(root.glob("*/key.json"))), daemon=True)
        t.start()
        _PRUNING.append(t)


def pytest_sessionfinish(session, exitstatus):
    while _PRUNING:
        _PRUNING.pop().join()


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
