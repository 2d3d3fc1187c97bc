"""The kept notebook runs (tests/run_cache.py, conftest.NotebookRuns): a run is reused exactly when nothing
it reads changed, bad-input failures are kept and re-raised, other failures are not, stale entries go."""
import json

import pytest

import conftest
import run_cache
from helpers import deps, paths


def test_a_file_parameter_keys_by_its_path_and_contents(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("budget,accuracy\n1,0.5\n")
    key = lambda: run_cache.run_key("00_overview", {"curves_path": str(f), "quick": True}, {})  # noqa: E731
    first = key()
    assert key() == first
    f.write_text("budget,accuracy\n1,0.6\n")
    assert key() != first  # other bytes at the same place: another run
    assert json.loads(key())["params"]["curves_path"][0] == str(f)


def test_a_run_naming_a_test_file_is_kept_for_the_session_only(tmp_path, monkeypatch):
    def ok(stem, out):
        (out / "results" / f"{stem}.json").write_text(json.dumps({"n": 1}))

    runs, calls = _fake_runs(tmp_path, monkeypatch, ok)
    mine = tmp_path / "session" / "test_x0" / "mine.csv"
    assert run_cache.mentions([{"p": str(mine)}, {}], runs.tmp_roots)
    assert not run_cache.mentions([{"p": "data/examples/curves.csv"}, {"DATA_MIRROR": "/m"}], runs.tmp_roots)
    out, _ = runs.get("01_search_scaling", {"curves_path": str(mine)})
    assert out.parent == tmp_path / "session" / "notebook-runs"
    out, _ = runs.get("01_search_scaling", {"curves_path": "data/examples/curves.csv"})
    assert out.parent == tmp_path / "kept"
    assert len(calls) == 2


def test_parameters_and_environment_change_the_key():
    base = run_cache.run_key("00_overview", {"quick": True}, {})
    assert run_cache.run_key("00_overview", {"quick": True, "seed": 1}, {}) != base
    mirror = run_cache.run_key("00_overview", {"quick": True}, {"DATA_MIRROR": "/elsewhere"})
    assert mirror != base  # a mirror or none: the offline tests unset it
    assert run_cache.run_key("00_overview", {"quick": True}, {"DATA_MIRROR": "/a/link/to/the/same"}) == mirror
    assert run_cache.run_key("07_budget_planner", {"quick": True}, {}) != base
    assert run_cache.run_key("00_overview", {"quick": True}, {}) == base


def test_the_fingerprint_follows_the_bytes_of_what_the_notebook_imports(tmp_path, monkeypatch):
    inputs = deps.notebook_inputs("01_search_scaling")
    assert paths.ROOT / "helpers" / "curves.py" in inputs  # 01 fits curves ...
    assert paths.ROOT / "helpers" / "curves.py" not in deps.notebook_inputs("00_overview")  # ... 00 does not
    mod = tmp_path / "helpers" / "m.py"
    mod.parent.mkdir()
    mod.write_text("x = 1\n")
    monkeypatch.setattr(run_cache.paths, "ROOT", tmp_path)
    monkeypatch.setattr(run_cache.deps, "notebook_inputs", lambda stem: [mod])
    digests = []
    for text in ("x = 1\n", "x = 1\n", "x = 2\n"):
        mod.write_text(text)  # the second write changes the mtime only
        run_cache.fingerprint.cache_clear()
        digests.append(run_cache.fingerprint("99_probe"))
    run_cache.fingerprint.cache_clear()
    assert digests[0] == digests[1] != digests[2]


def _fake_runs(tmp_path, monkeypatch, outcome):
    calls = []

    def execute(stem, params, out):
        calls.append(stem)
        (out / "results").mkdir(parents=True, exist_ok=True)
        outcome(stem, out)

    monkeypatch.setattr(conftest, "_execute", execute)
    return conftest.NotebookRuns(tmp_path / "session", tmp_path / "kept"), calls


def test_a_finished_run_is_reused_and_a_fresh_one_is_a_replica_of_its_own(tmp_path, monkeypatch):
    def ok(stem, out):
        (out / "results" / f"{stem}.json").write_text(json.dumps({"n": 1}))

    runs, calls = _fake_runs(tmp_path, monkeypatch, ok)
    assert runs.get("00_overview", {"quick": True})[1] == {"n": 1}
    out, doc = runs.get("00_overview", {"quick": True})
    assert doc == {"n": 1} and calls == ["00_overview"] and out.parent == tmp_path / "kept"
    replica, _ = runs.get("00_overview", {"quick": True}, fresh=True)
    assert len(calls) == 2 and replica != out  # fresh: executed again, in a folder of its own
    assert json.loads((replica / "key.json").read_text())["replica"] == 1
    assert runs.get("00_overview", {"quick": True}, fresh=True)[0] == replica and len(calls) == 2  # kept
    assert [ln.split()[0] for ln in (tmp_path / "session" / "notebook-runs.log").read_text().splitlines()] == \
        ["executed", "reused", "executed", "reused"]


def test_a_kept_input_is_named_by_its_contents(tmp_path):
    runs = conftest.NotebookRuns(tmp_path / "session", tmp_path / "cache" / "test-runs")
    a, b = tmp_path / "a" / "mine.csv", tmp_path / "b" / "mine.csv"
    for f, text in ((a, "x\n1\n"), (b, "x\n1\n")):
        f.parent.mkdir()
        f.write_text(text)
    ka = runs.keep_input(a)
    assert ka == runs.keep_input(b) and ka.name == "mine.csv" and ka.read_text() == "x\n1\n"
    assert ka.parent.parent == tmp_path / "cache" / "test-inputs"  # beside the kept runs, outside tmp
    assert not run_cache.mentions([{"p": str(ka)}, {}], runs.tmp_roots)
    b.write_text("x\n2\n")
    assert runs.keep_input(b) != ka and ka.read_text() == "x\n1\n"  # other bytes, another path
    logs = tmp_path / "logs"
    (logs / "deep").mkdir(parents=True)
    (logs / "deep" / "s.jsonl").write_text("{}\n")
    kl = runs.keep_input(logs)
    assert kl.is_dir() and (kl / "deep" / "s.jsonl").read_text() == "{}\n"
    with pytest.raises(FileNotFoundError, match="nope"):
        runs.keep_input(tmp_path / "nope")


def test_a_bad_input_failure_is_kept_and_raised_again_other_failures_are_not(tmp_path, monkeypatch):
    import papermill as pm

    def bad(stem, out):
        raise pm.PapermillExecutionError(1, 2, "src", "ParameterError", "'quick' must be True or False",
                                         ["ParameterError: 'quick' must be True or False"])

    runs, calls = _fake_runs(tmp_path, monkeypatch, bad)
    for _ in range(2):
        seen = []
        with pytest.raises(pm.PapermillExecutionError, match="'quick' must be True or False"):
            runs.get("00_overview", {"quick": "yes"}, on_failure=seen.append)
        assert len(seen) == 1  # the caller gets what the run wrote, both times
    assert calls == ["00_overview"]

    def crash(stem, out):
        raise RuntimeError("kernel died")

    runs, calls = _fake_runs(tmp_path / "2", monkeypatch, crash)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="kernel died"):
            runs.get("00_overview", {"quick": True})
    assert calls == ["00_overview", "00_overview"]  # never kept: executed again


def test_prune_drops_only_entries_whose_notebook_changed(tmp_path):
    current = run_cache.run_key("00_overview", {"quick": True}, {})
    stale = json.dumps({**json.loads(current), "fingerprint": "0" * 64})
    for name, key in (("a", current), ("b", stale), ("c", "not json")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "key.json").write_text(key)
        (tmp_path / f"{name}.lock").write_text("")
    assert run_cache.prune(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "a.lock"]


def test_the_cache_can_be_switched_off(monkeypatch):
    monkeypatch.setenv(run_cache.ENV, "0")
    assert run_cache.persistent_root() is None
    monkeypatch.setenv(run_cache.ENV, "1")
    assert run_cache.persistent_root() == paths.ROOT / ".cache" / "test-runs"


def test_one_kept_copy_the_newest_and_none_when_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv(run_cache.ENV, "1")
    src = tmp_path / "built"
    (src / "html").mkdir(parents=True)
    (src / "html" / "a.html").write_text("a")
    first = tmp_path / "kept" / "k1"
    assert run_cache.kept(first) is None
    copy = run_cache.keep_newest(src, first)
    assert copy == first / "reports" and (copy / "html" / "a.html").read_text() == "a"
    assert run_cache.kept(first) == copy
    second = run_cache.keep_newest(src, tmp_path / "kept" / "k2")
    assert run_cache.kept(first) is None and not first.exists() and run_cache.kept(tmp_path / "kept" / "k2") == second
    monkeypatch.setenv(run_cache.ENV, "0")
    assert run_cache.kept(tmp_path / "kept" / "k2") is None  # switched off: nothing is reused
    assert run_cache.keep_newest(src, tmp_path / "kept" / "k3") == src and not (tmp_path / "kept" / "k3").exists()
