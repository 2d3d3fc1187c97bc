"""helpers.bench without running the bench: the floor notebook's shape, the JSON keys and ratios (with
stand-in timings), and the two hot paths at small sizes."""
import ast
import json
import os
import sys

import nbformat
import pytest

from helpers import agent_logs, bench


def test_floor_notebook_is_a_valid_notebook_with_the_common_overhead():
    nb = bench.floor_notebook()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata["tags"]
    assert {n.targets[0].id for n in ast.parse(code[0].source).body} == {"quick", "seed"}
    src = "\n".join(c.source for c in code)
    for mod in ("numpy", "pandas", "matplotlib.pyplot", "seaborn", "scipy", "statsmodels", "helpers"):
        assert f"import {mod}" in src or f"from {mod} import" in src, mod
    assert src.count("plt.subplots(") == 1 and "save_figure" in src and "plt.show()" in src


def test_run_writes_every_key_with_ratios_to_the_floor(tmp_path, monkeypatch):
    # floor, 00's paired floor, 00 quick, 00 full, 01's paired floor (the machine slowed down), 01 quick, 01 full
    walls = iter([2.0, 2.0, 3.0, 8.0, 4.0, 5.0, 20.0])
    monkeypatch.setattr(bench, "run_notebook", lambda src, work, quick: {"wall_s": next(walls), "cpu_s": 1.0})
    monkeypatch.setattr(bench, "time_make", lambda work: {"make_j2_all_clean": {"wall_s": 40.0, "cpu_s": 60.0},
                                                          "make_all_noop": {"wall_s": 0.5, "cpu_s": 0.4}})
    monkeypatch.setattr(bench, "claude_log", lambda folder, n: folder)
    monkeypatch.setattr(bench, "time_sweep", lambda work, log: {"runs": 8, "parallel_over_serial": 0.55,
                                                              "serial": {"wall_s": 80.0}, "parallel": {"wall_s": 44.0, "workers": 2},
                                                              "one_run_inside_sweep_s": {}, "one_run_alone_s": {}})
    monkeypatch.setattr(bench, "machine_ceiling", lambda: {"ratio_min": 0.52, "ratio_median": 0.6, "load_1min": [0.1]})
    monkeypatch.setattr(bench, "timed", lambda fn, *a, **k: {"wall_s": 1.0, "cpu_s": 1.0})
    out = tmp_path / "bench.json"
    doc = bench.run(out, stems=["00_overview", "01_search_scaling"], rounds=1, log=lambda s: None)
    assert json.loads(out.read_text()) == doc
    assert set(doc) == {"machine", "floor", "notebooks", "make", "hot_paths", "sweep"}
    assert doc["floor"]["ratio_to_floor"] == 1.0
    assert doc["notebooks"]["00_overview"]["quick"]["ratio_to_floor"] == 1.5
    assert doc["notebooks"]["01_search_scaling"]["full"]["ratio_to_floor"] == 5.0  # over its own paired floor
    assert doc["notebooks"]["01_search_scaling"]["quick"]["ratio_to_floor"] == 1.25
    assert doc["notebooks"]["01_search_scaling"]["paired_floor"]["wall_s"] == 4.0
    assert set(doc["make"]) == {"make_j2_all_clean", "make_all_noop"}
    assert doc["make"]["make_all_noop"]["ratio_to_floor"] == 0.25
    assert set(doc["hot_paths"]) == {"allocation_10000_problems_x_budget_1024", "read_100000_claude_code_lines"}
    assert {"python", "cpus", "load_before", "load_after"} <= set(doc["machine"])
    text = bench.table(doc)
    assert "01_search_scaling full" in text and "make_all_noop" in text and "read_100000_claude_code_lines" in text
    assert doc["sweep"]["machine_ceiling"]["ratio_min"] == 0.52 and "machine ceiling" in text and "0.52" in text


def test_quick_only_and_skip_make_leave_those_entries_out(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "run_notebook", lambda src, work, quick: {"wall_s": 1.0, "cpu_s": 1.0})
    monkeypatch.setattr(bench, "claude_log", lambda folder, n: folder)
    monkeypatch.setattr(bench, "timed", lambda fn, *a, **k: {"wall_s": 1.0, "cpu_s": 1.0})
    doc = bench.run(tmp_path / "b.json", quick_only=True, skip_make=True, skip_sweep=True, stems=["00_overview"],
                    log=lambda s: None)
    assert set(doc["notebooks"]["00_overview"]) == {"paired_floor", "quick"} and "make" not in doc and "sweep" not in doc


def test_time_sweep_compares_serial_runs_with_the_cluster_and_one_run_alone(tmp_path, monkeypatch):
    from helpers import sweep

    calls, clock = [], iter([0.0, 80.0, 100.0, 144.0])  # serial 80 s, parallel 44 s

    def fake_run(stems, level, quick, n_workers, echo, grids, timings):
        calls.append((n_workers, os.environ["STUDY_REPORTS_DIR"]))
        timings.update({"runs": 1.0} if n_workers == 0 else {"cluster_start": 0.4, "runs": 1.0})
        for s in stems:  # the serial runs take 12 s (05) and 8 s (07), on the cluster 2 s more
            for sp in sweep.expand(s, level, quick, grids[s]):
                sp.folder.mkdir(parents=True, exist_ok=True)
                secs = (12.0 if s.startswith("05") else 8.0) + (2.0 if n_workers else 0.0)
                (sp.folder / "status.json").write_text(json.dumps({"status": "ok", "seconds": secs}))

    monkeypatch.setattr(sweep, "run", fake_run)
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(bench, "run_notebook", lambda src, work, quick: {"wall_s": 6.0, "cpu_s": 5.0})
    out = bench.time_sweep(tmp_path, log=lambda s: None)
    n = sum(len(sweep.expand(s, "default", True)) for s in bench.SWEEP_STEMS)
    assert out["runs"] == n and calls == [(0, str(tmp_path / "serial")), (2, str(tmp_path / "parallel"))]
    assert out["parallel_over_serial"] == 0.55 and out["parallel"]["workers"] == 2
    assert out["cluster_start_s"] == 0.4 and out["serial"]["phases"] == {"runs": 1.0}
    assert out["one_run_inside_sweep_s"] == {"05_cache_economics": 12.0, "07_budget_planner": 8.0}
    assert out["one_run_on_cluster_s"] == {"05_cache_economics": 14.0, "07_budget_planner": 10.0}
    assert out["one_run_alone_s"] == {s: 6.0 for s in bench.SWEEP_STEMS}
    assert "STUDY_REPORTS_DIR" not in bench.os.environ or bench.os.environ["STUDY_REPORTS_DIR"] != str(tmp_path / "parallel")


def test_machine_ceiling_times_one_copy_alone_and_two_at_once():
    quick = [sys.executable, "-c", "s = sum(i * i for i in range(200_000))"]
    c = bench.machine_ceiling(quick, repeats=2)
    assert len(c["one_alone_s"]) == len(c["two_at_once_s"]) == len(c["load_1min"]) == 2
    assert c["ratio_min"] <= c["ratio_median"] and 0.2 < c["ratio_min"] < 5  # two at once is neither free nor absurd
    ratios = [b / (2 * a) for a, b in zip(c["one_alone_s"], c["two_at_once_s"])]
    assert c["ratio_min"] == pytest.approx(min(ratios), abs=1e-3)
    with pytest.raises(RuntimeError, match="exit 3"):
        bench.machine_ceiling([sys.executable, "-c", "raise SystemExit(3)"], repeats=1)


def test_hot_paths_run_at_small_sizes(tmp_path):
    log = bench.claude_log(tmp_path, n_lines=600)
    assert len(log.read_text().splitlines()) == 600
    frame, stats = agent_logs.read_logs(log)
    assert stats["lines"] == 600 and len(frame) > 100
    t = bench.timed(bench.hot_allocation, 200, 8.0)
    assert t["wall_s"] >= 0 and t["cpu_s"] >= 0


def test_quick_rounds_keep_the_median_pair_and_full_mode_is_over_its_floor(tmp_path, monkeypatch):
    # floor; three rounds (floor, quick) with ratios 2.0, 1.5, 1.8; then full mode once
    walls = iter([2.0, 2.0, 4.0, 2.0, 3.0, 2.5, 4.5, 10.0])
    calls = []

    def fake(src, work, quick):
        calls.append((src.stem, quick))
        return {"wall_s": next(walls), "cpu_s": 1.0}

    monkeypatch.setattr(bench, "run_notebook", fake)
    monkeypatch.setattr(bench, "claude_log", lambda folder, n: folder)
    monkeypatch.setattr(bench, "timed", lambda fn, *a, **k: {"wall_s": 1.0, "cpu_s": 1.0})
    doc = bench.run(tmp_path / "b.json", skip_make=True, skip_sweep=True, stems=["00_overview"], log=lambda s: None)
    e = doc["notebooks"]["00_overview"]
    assert [c[0] for c in calls] == ["floor"] + ["floor", "00_overview"] * 3 + ["00_overview"]  # each round a pair
    assert e["quick"]["round_ratios"] == [2.0, 1.5, 1.8]
    assert e["quick"]["ratio_to_floor"] == 1.8 and e["quick"]["wall_s"] == 4.5  # the median round, not the mean
    assert e["paired_floor"]["wall_s"] == 2.5 and e["full"]["ratio_to_floor"] == 4.0  # full over that round's floor
    assert "(rounds: 2.00, 1.50, 1.80)" in bench.table(doc)


@pytest.mark.parametrize("rounds", [0, -1, 1.5])
def test_rounds_must_be_a_whole_number_of_at_least_one(tmp_path, monkeypatch, rounds):
    monkeypatch.setattr(bench, "run_notebook", lambda *a: pytest.fail("ran a notebook before checking rounds"))
    with pytest.raises(ValueError, match="rounds"):
        bench.run(tmp_path / "b.json", rounds=rounds, log=lambda s: None)
    assert not (tmp_path / "b.json").exists()


def test_a_quick_round_that_fails_is_reported_not_hidden_by_the_rounds_before_it(tmp_path, monkeypatch):
    runs = iter([{"wall_s": 2.0}, {"wall_s": 2.0}, {"wall_s": 3.0}, {"wall_s": 2.0}, RuntimeError("cell 7 failed")])

    def fake(src, work, quick):
        r = next(runs)
        if isinstance(r, Exception):
            raise r
        return {**r, "cpu_s": 1.0}

    monkeypatch.setattr(bench, "run_notebook", fake)
    monkeypatch.setattr(bench, "claude_log", lambda folder, n: folder)
    monkeypatch.setattr(bench, "timed", lambda fn, *a, **k: {"wall_s": 1.0, "cpu_s": 1.0})
    doc = bench.run(tmp_path / "b.json", quick_only=True, skip_make=True, skip_sweep=True, stems=["00_overview"],
                    log=lambda s: None)
    e = doc["notebooks"]["00_overview"]
    assert e["quick"] == {"error": "cell 7 failed"} and "failed: cell 7 failed" in bench.table(doc)
