"""Sweeps on Dask: grids, resumable runs, failures recorded, local and external clusters."""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from helpers import paths, sweep
from helpers.validate import ParameterError

pytestmark = pytest.mark.notebook

TINY = {"00_overview": {"headline": None, "default": {"parameters": {}, "seeds": [0, 1]},
                        "full": {"parameters": {}, "seeds": [0]}}}


def test_expand_crosses_parameters_and_seeds_and_adds_the_defaults():
    g = {"default": {"parameters": {"interaction": [1.0, 0.25]}, "seeds": [3]}, "full": {"seeds": [0]}}
    runs = sweep.expand("01_search_scaling", "default", quick=True, grid=g)
    got = sorted((r.parameters["interaction"], r.seed) for r in runs)
    assert got == sorted([(0.5, 0), (0.5, 3), (1.0, 0), (1.0, 3), (0.25, 0), (0.25, 3)])
    assert sum(r.is_default for r in runs) == 1
    assert all(r.parameters["quick"] is True for r in runs)
    assert len({r.key for r in runs}) == len(runs)  # one folder per run
    again = sweep.expand("01_search_scaling", "default", quick=True, grid=g)
    assert [r.key for r in again] == [r.key for r in runs]  # keys are stable
    with pytest.raises(ParameterError, match="'nope' is not a parameter"):
        sweep.expand("01_search_scaling", grid={"default": {"parameters": {"nope": [1]}, "seeds": [0]}})
    with pytest.raises(ParameterError, match="no sweep grid"):
        sweep.load_grid("99_nothing")


def test_every_declared_grid_expands():
    for stem in sweep.grid_names():
        g = sweep.load_grid(stem)
        assert len(sweep.expand(stem, "default", grid=g)) >= 2
        assert len(sweep.expand(stem, "full", grid=g)) >= len(sweep.expand(stem, "default", grid=g))


def test_table_rows_and_agreement_from_run_folders(reports_tmp):
    """Collecting (helpers.sweep.table) without a cluster: the row of each run read from its folder, the
    table's round trip, and the agreement with the default run counted over finished runs only."""
    def spec(seed, key, default=False):
        return sweep.RunSpec("01_x", {"a": 1, "seed": seed, "quick": False}, key, default)

    def finish(sp, status, verdict=None, share=None):
        sp.folder.mkdir(parents=True)
        (sp.folder / "status.json").write_text(json.dumps({"status": status, "seconds": 2.5, "worker": "w",
                                                           "error": None if status == "ok" else "boom"}))
        if verdict:
            res = sp.folder / "reports" / "results"
            res.mkdir(parents=True)
            (res / "01_x.json").write_text(json.dumps({"verdict": verdict, "metrics": {
                "robustness": {"share_agree": share}, "effect": [0.1, "inf"]}}))

    specs = [spec(0, "k0", default=True), spec(1, "k1"), spec(2, "k2"), spec(3, "k3")]
    finish(specs[0], "ok", "supported", 0.75)
    finish(specs[1], "ok", "not supported", 0.5)
    finish(specs[2], "failed")  # specs[3] never ended: pending
    assert sweep.read_status(specs[3].folder) is None
    rows = [sweep.row_for(sp, "metrics.effect.1") for sp in specs]
    assert [r["status"] for r in rows] == ["ok", "ok", "failed", "pending"]
    assert rows[0]["headline"] == float("inf") and rows[0]["share_agree"] == 0.75 and rows[0]["params"] == '{"a": 1}'
    assert rows[2]["error"] == "boom" and rows[2]["verdict"] is None
    assert sweep.read_table() is None  # no sweep yet
    t = sweep.read_table(sweep.write_table(rows))
    assert list(t.columns) == list(sweep.TABLE_COLUMNS) and len(t) == 4
    a = sweep.agreement(t)["01_x"]
    assert a == {"runs": 4, "finished": 2, "failed": 1, "default_verdict": "supported", "agree": 1,
                 "share_agree": 0.5}
    assert sweep.agreement(None) == {}


def test_longest_expected_runs_go_first_and_without_dask_a_failure_is_retried_once(reports_tmp, monkeypatch):
    """The scheduling order and the serial path (``n_workers=0``), with a stand-in for the papermill run."""
    from helpers.sweep import driver

    grids = {"00_overview": {**TINY["00_overview"], "seconds_per_run": {"quick": 5, "full": 500}},
             "01_search_scaling": {"headline": None, "default": {"parameters": {}, "seeds": [0, 1]},
                                   "full": {"seeds": [0]}, "seconds_per_run": {"quick": 50}}}
    ran = []

    def fake_run_one(sp):
        ran.append((sp.notebook, sp.seed))
        prev = sweep.read_status(sp.folder) or {}
        ok = (sp.notebook, sp.seed) != ("00_overview", 1)
        sp.folder.mkdir(parents=True, exist_ok=True)
        st = {"status": "ok" if ok else "failed", "error": None if ok else "boom", "worker": "local",
              "seconds": 2.0 if sp.notebook == "00_overview" else 30.0, "attempt": prev.get("attempt", 0) + 1,
              "parameters": sp.parameters}
        (sp.folder / "status.json").write_text(json.dumps(st))
        if not ok:
            raise sweep.RunFailed("boom")
        return st

    monkeypatch.setattr(driver, "run_one", fake_run_one)
    log, timings = [], {}
    t = sweep.read_table(sweep.run(quick=True, n_workers=0, grids=grids, echo=log.append, timings=timings))
    assert ran == [("01_search_scaling", 0), ("01_search_scaling", 1), ("00_overview", 0), ("00_overview", 1),
                   ("00_overview", 1)]  # the longer notebook first, the failed run retried once
    assert sorted(t["status"]) == ["failed", "ok", "ok", "ok"] and sum("FAILED" in x for x in log) == 1
    assert {"expand", "runs", "table"} <= set(timings) and "cluster_start" not in timings
    # the notebook's own finished runs (ok, same mode) outrank the grid's declaration
    assert driver.expected_seconds("00_overview", True, grids["00_overview"]) == 2.0
    assert driver.expected_seconds("00_overview", False, grids["00_overview"]) == 500.0
    assert driver.expected_seconds("02_token_variance", True, {}) == 0.0


def test_local_cluster_runs_skips_finished_and_records_failures(reports_tmp, monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    bad = {"00_overview": {**TINY["00_overview"], "default": {"parameters": {}, "seeds": [0, 1, -1]}}}
    log = []
    out = sweep.run(level="default", quick=True, n_workers=2, grids=bad, echo=log.append)
    t = sweep.read_table(out)
    assert list(t.columns) == list(sweep.TABLE_COLUMNS) and len(t) == 3
    ok, failed = t[t["status"] == "ok"], t[t["status"] == "failed"]
    assert sorted(ok["seed"]) == [0, 1] and list(failed["seed"]) == [-1]
    assert "seed" in failed["error"].iloc[0]  # the notebook's own error names the parameter
    st = json.loads((sweep.runs_dir() / f"00_overview-{failed['key'].iloc[0]}" / "status.json").read_text())
    assert st["attempt"] == 2  # retried once, then recorded
    assert ok["worker"].str.startswith("tcp://").all() and (ok["seconds"] > 0).all()
    # a second sweep over the finished runs starts no run and writes the same rows
    log2 = []
    sweep.run(level="default", quick=True, grids=TINY, echo=log2.append)
    assert "0 to run" in log2[0] and not any("dashboard" in x for x in log2)
    agree = sweep.agreement(sweep.read_table())
    assert agree["00_overview"]["finished"] == 2 and agree["00_overview"]["default_verdict"] is None


def test_external_scheduler_and_workers(reports_tmp, tmp_path, monkeypatch):
    dask = shutil.which("dask", path=os.path.dirname(sys.executable))
    if dask is None:
        pytest.skip("the dask command line is not installed in this environment")
    sched_file = tmp_path / "scheduler.json"
    env = {**os.environ, "STUDY_REPORTS_DIR": str(reports_tmp)}
    procs = [subprocess.Popen([dask, "scheduler", "--no-dashboard", "--port", "0", "--scheduler-file",
                               str(sched_file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", "--nthreads", "1", "--no-dashboard", "--scheduler-file",
                                           str(sched_file)], env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        deadline = time.time() + 60
        while not sched_file.exists() and time.time() < deadline:
            time.sleep(0.2)
        addr = json.loads(sched_file.read_text())["address"]
        from distributed import Client

        with Client(addr) as c:
            c.wait_for_workers(2, timeout=60)
            workers = set(c.scheduler_info()["workers"])
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", addr)
        one = {"00_overview": {**TINY["00_overview"], "default": {"parameters": {}, "seeds": [0]}}}
        t = sweep.read_table(sweep.run(quick=True, grids=one, echo=lambda *_: None))
        assert (t["status"] == "ok").all() and set(t["worker"]) <= workers
    finally:
        for p in procs[::-1]:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def test_every_grid_value_passes_the_notebooks_validation(check_parameters):
    """A grid value the notebook would reject is a mistake in the grid, caught before any sweep runs."""
    for stem in sweep.grid_names():
        g = sweep.load_grid(stem)
        for level in ("default", "full"):
            for name, values in g[level].get("parameters", {}).items():
                for v in values:
                    check_parameters(stem, **{name: v})
