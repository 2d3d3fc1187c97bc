"""Reliability (issue 17): only make writes make's outputs, every mistake is named, nothing leaks.

Each test here failed on the code before issue 17."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import paths

KERNEL = "tts-study"


# ------------------------------------------------------------------ item 1: runs outside make

@pytest.fixture
def outside_make(tmp_path, monkeypatch):
    """A study root with make's outputs already present, and a shell that is not make."""
    root = tmp_path / "reports"
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(root))
    monkeypatch.delenv("STUDY_RUN_BY", raising=False)
    made = root / "results" / "00_overview.json"
    made.parent.mkdir(parents=True)
    made.write_text('{"made": "by make"}\n')
    return root


@pytest.mark.notebook
def test_papermill_by_hand_writes_to_interactive_not_over_make(outside_make, tmp_path):
    import papermill as pm

    pm.execute_notebook(str(paths.NOTEBOOKS / "00_overview.ipynb"), str(tmp_path / "out.ipynb"),
                        parameters={"quick": True}, kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS),
                        progress_bar=False, log_output=False)
    assert (outside_make / "results" / "00_overview.json").read_text() == '{"made": "by make"}\n'
    doc = json.loads((outside_make / "interactive" / "results" / "00_overview.json").read_text())
    assert doc["parameters"]["quick"] is True


@pytest.mark.notebook
def test_a_lab_style_run_nbclient_leaves_make_outputs_alone(outside_make):
    from nbclient import NotebookClient

    nb = nbformat.read(paths.NOTEBOOKS / "00_overview.ipynb", as_version=4)
    NotebookClient(nb, kernel_name=KERNEL, resources={"metadata": {"path": str(paths.NOTEBOOKS)}}).execute()
    assert (outside_make / "results" / "00_overview.json").read_text() == '{"made": "by make"}\n'
    assert (outside_make / "interactive" / "results" / "00_overview.json").exists()


def test_paths_split_make_and_interactive(monkeypatch, tmp_path):
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(tmp_path))
    monkeypatch.delenv("STUDY_RUN_BY", raising=False)
    assert paths.results_dir() == tmp_path / "interactive" / "results"
    assert paths.figures_dir() == tmp_path / "interactive" / "figures"
    assert paths.study_results_dir() == tmp_path / "results"
    monkeypatch.setenv("STUDY_RUN_BY", "make")
    assert paths.results_dir() == paths.study_results_dir() == tmp_path / "results"


# ------------------------------------------------------------------ item 3: every parameter mistake named

from helpers import validate  # noqa: E402
from helpers.validate import ParameterError  # noqa: E402


@pytest.mark.parametrize("name, value, kind, match", [
    ("logs_path", "", None, r"'logs_path' is an empty string: give a path, or None"),
    ("runs_path", "   ", None, r"'runs_path' is an empty string"),
    ("runs_path", "FOLDER", None, r"'runs_path': .* is a folder; give a file"),
    ("curves_path", "FOLDER", None, r"'curves_path': .* is a folder"),
    ("problems_path", "FOLDER", None, r"'problems_path': .* is a folder"),
    ("scaling_path", "FOLDER", None, r"'scaling_path': .* is a folder"),
    ("results_dir", "FILE", None, r"'results_dir': .* is a file; give a folder"),
    ("my_path", "FILE", "folder", r"'my_path': .* is a file; give a folder"),
])
def test_path_mistakes_name_the_parameter(tmp_path, name, value, kind, match):
    (tmp_path / "f.csv").write_text("a\n1\n")
    value = {"FOLDER": str(tmp_path), "FILE": str(tmp_path / "f.csv")}.get(value, value)
    with pytest.raises(ParameterError, match=match):
        validate.optional_file(name, value, kind)


def test_logs_path_takes_a_file_or_a_folder(tmp_path):
    (tmp_path / "a.jsonl").write_text("{}\n")
    assert validate.optional_file("logs_path", str(tmp_path)) == tmp_path
    assert validate.optional_file("logs_path", str(tmp_path / "a.jsonl")) == tmp_path / "a.jsonl"


DEFAULTS = 'quick: bool = False  # bool\nseed = 0  # int\nlogs_path = None\nn_boot = 500\n'


@pytest.mark.parametrize("injected, match", [
    ("# Parameters\nsede = 7\n", r"unknown parameter 'sede'; did you mean 'seed'\?"),
    ("# Parameters\nquick = True\nlog_path = 'x'\n", r"unknown parameter 'log_path'; did you mean 'logs_path'\?"),
    ("# Parameters\nzzz = 1\nnboot = 3\n", r"unknown parameter 'zzz'; the notebook's first cell lists .*also unknown: 'nboot'"),
])
def test_unknown_parameter_names_the_closest_valid_one(injected, match):
    history = ["", "import os", DEFAULTS, injected, "validate.no_unknown(globals())"]
    with pytest.raises(ParameterError, match=match):
        validate.no_unknown({"In": history})


def test_known_parameters_and_runs_without_injection_pass():
    validate.no_unknown({"In": ["", DEFAULTS, "# Parameters\nquick = True\nseed = 3\n", "check"]})
    validate.no_unknown({"In": ["", DEFAULTS, "check"]})  # JupyterLab: nothing injected
    validate.no_unknown({})  # plain python: no history at all


STEMS = ["00_overview", "01_search_scaling", "02_token_variance", "03_adaptive_allocation",
         "04_reasoning_ceiling", "05_cache_economics", "06_synthesis", "07_budget_planner", "08_sweep"]


@pytest.mark.parametrize("stem", STEMS)
def test_every_notebook_checks_for_unknown_parameters_before_anything_else(stem):
    """The cell after `parameters` checks them through the notebook's schema (``schema.load``), whose first
    step is ``validate.no_unknown`` (so a misspelled name is named before any value is checked)."""
    import inspect

    from helpers import schema

    nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    src = code[1].source
    assert "schema.load(globals()," in src and "validate." not in src.split("schema.load(globals(),")[0]
    body = inspect.getsource(schema.load).split('"""')[-1]
    assert body.index("validate.no_unknown(namespace)") < body.index("schema.validate(")


@pytest.mark.notebook
def test_a_misspelled_parameter_stops_the_notebook(run_notebook):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="unknown parameter 'sede'; did you mean 'seed'"):
        run_notebook("00_overview", sede=7)


# ------------------------------------------------------------------ item 6: agent logs, unreadable and private

import os  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

from helpers import agent_logs as A, cache  # noqa: E402
from helpers.validate import DataError  # noqa: E402

SECRET_DIR = "-home-alice-acme-merger-2027"  # Claude Code names folders after working directories


def _logs(tmp_path, n_days=2):
    p = cache.AgentParams(days=n_days, sessions_per_day=2.0, turns_per_session=8.0)
    led = cache.simulate_agent(p, np.random.default_rng(0), 1).assign(model="claude-opus-4-8")
    root = tmp_path / "logs"
    A.write_claude_jsonl(led, root / SECRET_DIR / "proj", np.random.default_rng(1), malformed_prob=0.3)
    A.write_claude_jsonl(led, root / "other", np.random.default_rng(3))
    return root, led


def _no_secret(*texts):
    for t in texts:
        assert SECRET_DIR not in t and "proj" not in t and "session-" not in t, t


def test_an_unreadable_log_file_is_skipped_named_by_rank_and_counted(tmp_path, monkeypatch):
    root, led = _logs(tmp_path)
    victim = sorted((root / SECRET_DIR / "proj").glob("*.jsonl"))[0]
    real_open = open

    def fake_open(f, *a, **k):
        if Path(f) == victim:
            raise PermissionError(13, "Permission denied", str(f))
        return real_open(f, *a, **k)

    monkeypatch.setattr(A.reader, "open", fake_open, raising=False)  # the reader's open (as if chmod 000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame, stats = A.read_logs(root)
    msgs = [str(w.message) for w in caught]
    unread = [m for m in msgs if issubclass(caught[msgs.index(m)].category, A.UnreadableLog)]
    assert len(unread) == 1 and "Permission denied" in unread[0]
    assert stats["unreadable"] == 1 and stats["files"] == len(A.log_files(root)) - 1
    h = unread[0].split("(")[1].split(")")[0]
    assert A.locate(root, h) == [victim]  # the user can find it again; the output cannot
    _no_secret(*msgs, frame.to_csv())


def test_an_unreadable_log_folder_is_skipped_with_a_warning_and_counted(tmp_path, monkeypatch):
    root, led = _logs(tmp_path)
    victim = root / SECRET_DIR
    real_scandir = os.scandir

    def fake_scandir(p=".", *a):
        if Path(p) == victim:
            raise PermissionError(13, "Permission denied", str(p))
        return real_scandir(p, *a)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    with pytest.warns(A.UnreadableLog, match=r"skipped 1 unreadable folder\(s\) below logs_path: folder [0-9a-f]{8}") as rec:
        frame, stats = A.read_logs(root)
    assert stats["unreadable"] == 1 and len(frame) == len(led)
    _no_secret(*[str(w.message) for w in rec])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file: chmod cannot make it unreadable")
def test_chmod_000_file_and_folder_are_skipped(tmp_path):
    root, led = _logs(tmp_path)
    f = sorted((root / "other").glob("*.jsonl"))[0]
    f.chmod(0)
    (root / SECRET_DIR).chmod(0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _, stats = A.read_logs(root)
    finally:
        f.chmod(0o644)
        (root / SECRET_DIR).chmod(0o755)
    assert stats["unreadable"] == 2
    _no_secret(*[str(w.message) for w in caught])


def test_malformed_line_warnings_and_bad_csv_errors_name_no_path_below_logs_path(tmp_path):
    root, _ = _logs(tmp_path)
    with pytest.warns(A.MalformedLogLine) as rec:
        frame, stats = A.read_logs(root)
    assert stats["malformed"] > 0
    _no_secret(*[str(w.message) for w in rec], frame.to_csv())
    bad = root / SECRET_DIR / "usage.csv"
    bad.write_text("timestamp,session,model,uncached_input,cache_write,cache_read,output\n"
                   "2026-01-01T00:00:00Z,s,claude-opus-4-8,1,2,3,-4\n")
    with pytest.raises(DataError, match=r"file \d+ of \d+ \([0-9a-f]{8}\), line 2") as exc, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        A.read_logs(root)
    _no_secret(str(exc.value))


@pytest.mark.notebook
def test_notebook_05_prints_no_folder_name_below_logs_path(run_notebook, keep_input, tmp_path, reports_tmp):
    root, _ = _logs(tmp_path)
    root = keep_input(root)  # named by its contents: the run is kept
    res = run_notebook("05_cache_economics", logs_path=str(root))
    assert res["metrics"]["dedup"]["user_logs"]["unreadable"] == 0
    assert res["metrics"]["dedup"]["user_logs"]["malformed"] > 0
    for q in (q for q in reports_tmp.rglob("*") if q.is_file()):
        assert SECRET_DIR.encode() not in q.read_bytes(), q


# ------------------------------------------------------------------ item 9: rendered output deterministic

import re  # noqa: E402

CLOCK = re.compile(r"\b(time\.(time|perf_counter|monotonic|process_time)|datetime\.(now|utcnow|today)|date\.today)\s*\(")


@pytest.mark.parametrize("stem", STEMS)
def test_no_notebook_reads_the_wall_clock(stem):
    """Run times belong in `make bench`: a printed time makes the HTML differ between identical rebuilds."""
    nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            assert not CLOCK.search(c.source), (stem, CLOCK.search(c.source).group(0))


# ------------------------------------------------------------------ item 4: every reader names file, line, column

from helpers import allocation, ceiling, planner, search_scaling, variance  # noqa: E402

GOOD = {
    "curves": (search_scaling.read_curves, "series,axis,budget,accuracy,n\n"
               + "".join(f"s,reasoning_tokens,{2 ** k},{0.1 * k:.1f},100\n" for k in range(1, 5))),
    "runs": (variance.read_runs, "model,tokens,score\n"
             + "".join(f"{'AB'[k % 2]},{1000 + k},{(k % 3) / 2}\n" for k in range(12))),
    "problems_03": (allocation.read_problems_csv, "problem_id,n_samples,n_correct,model\nq1,10,3,m\nq2,10,0,m\nq3,10,9,m\n"),
    "problems_07": (planner.read_workload_csv, "problem_id,n_samples,n_correct,model\nq1,10,3,m\nq2,10,0,m\nq3,10,9,m\n"),
    "scaling": (ceiling.read_scaling_path, "model,kind,samples,accuracy\nR,reasoning,1,0.5\nR,reasoning,4,0.7\n"
                "N,non_reasoning,1,0.3\nN,non_reasoning,4,0.5\n"),
    "logs_csv": (lambda f: A.read_logs(f)[0], "timestamp,session,model,uncached_input,cache_write,cache_read,output\n"
                 "2026-01-01T00:00:00Z,s1,claude-opus-4-8,10,20,30,40\n2026-01-01T00:01:00Z,s1,claude-opus-4-8,1,2,3,4\n"),
}
# (reader, the line (1-based, header = 1) whose cell is replaced, column, new cell text)
POISON = ["inf", "-inf", "nan", "NaN", "1e400", "18446744073709551617", "99999999999999999999999", ""]
TARGETS = {"curves": (2, "accuracy"), "runs": (3, "tokens"), "problems_03": (3, "n_samples"),
           "problems_07": (3, "n_correct"), "scaling": (4, "samples"), "logs_csv": (3, "cache_read")}


def _poison(text: str, line: int, col: str, value: str) -> str:
    rows = text.splitlines()
    header = rows[0].split(",")
    cells = rows[line - 1].split(",")
    cells[header.index(col)] = value
    rows[line - 1] = ",".join(cells)
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("reader", sorted(GOOD))
def test_good_files_read_also_with_spaces_after_the_commas(tmp_path, reader):
    fn, text = GOOD[reader]
    (tmp_path / "plain.csv").write_text(text)
    (tmp_path / "spaced.csv").write_text(text.replace(",", ", "))
    a, b = fn(tmp_path / "plain.csv"), fn(tmp_path / "spaced.csv")
    if isinstance(a, dict):
        a, b = pd.concat(a), pd.concat(b)
    pd.testing.assert_frame_equal(a.drop(columns="call_id", errors="ignore"), b.drop(columns="call_id", errors="ignore"))


@pytest.mark.parametrize("value", POISON)
@pytest.mark.parametrize("reader", sorted(GOOD))
def test_bad_numbers_name_file_line_and_column(tmp_path, reader, value):
    fn, text = GOOD[reader]
    line, col = TARGETS[reader]
    f = tmp_path / "bad.csv"
    f.write_text(_poison(text, line, col, value))
    with pytest.raises(DataError) as exc, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fn(f)
    msg = str(exc.value)
    assert f"line {line}" in msg and repr(col) in msg, msg
    assert ("bad.csv" in msg) or reader == "logs_csv", msg  # agent logs name a file by rank (privacy)


def test_03_and_07_accept_and_reject_the_same_problems_files(tmp_path):
    files = {
        "names": "problem_id,n_samples,n_correct,model\nq1,10,3,gpt-4o\nq2,10,1,gpt-4o\nq1,10,8,o3\n",
        "kinds": "problem_id,n_samples,n_correct,model,kind\nq1,10,3,a,non_reasoning\nq1,10,8,b,reasoning\n",
        "bare": "problem_id, n_samples, n_correct\nq1, 10, 3\nq2, 10, 0\n",
        "bad_kind": "problem_id,n_samples,n_correct,kind\nq1,10,3,reasoning\nq2,10,1,gpt-4o\n",
        "too_many": "problem_id,n_samples,n_correct\nq1,10,11\n",
    }
    for name, text in files.items():
        f = tmp_path / f"{name}.csv"
        f.write_text(text)
        outcome = []
        for fn in (allocation.read_problems_csv, planner.read_workload_csv):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fn(f)
                outcome.append("ok")
            except DataError as exc:
                outcome.append(str(exc))
        assert outcome[0] == outcome[1], (name, outcome)
    kinds = planner.read_workload_csv(tmp_path / "kinds.csv")
    assert set(kinds) == {"non_reasoning", "reasoning"} and kinds["reasoning"]["n_correct"].tolist() == [8]


def test_huge_counts_in_agent_logs_are_malformed_not_wrapped(tmp_path):
    rec = {"type": "assistant", "sessionId": "s", "timestamp": "2026-01-01T00:00:00Z", "requestId": "r",
           "message": {"id": "m", "model": "claude-opus-4-8", "usage": {
               "input_tokens": 2**64 + 1, "output_tokens": 1, "cache_read_input_tokens": 0,
               "cache_creation_input_tokens": 0}}}
    ok = {**rec, "requestId": "r2", "message": {**rec["message"], "id": "m2", "usage": {**rec["message"]["usage"], "input_tokens": 5}}}
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps(rec) + "\n" + json.dumps(ok) + "\n")
    with pytest.warns(A.MalformedLogLine, match="line 1"):
        led, stats = A.read_logs(f)
    assert stats["malformed"] == 1 and (led["uncached_input"] >= 0).all()


# ------------------------------------------------------------------ item 5: large inputs refused up front

from helpers import bigfiles  # noqa: E402


@pytest.mark.parametrize("name", sorted(bigfiles.MAX_MB))
def test_a_file_above_the_supported_size_is_refused_before_reading(tmp_path, name):
    f = tmp_path / "big.csv"
    with open(f, "w") as fh:
        fh.write("model,tokens,score\n")
        fh.truncate(int((bigfiles.MAX_MB[name] + 1) * 1e6))  # sparse: only the size is looked at
    with pytest.raises(ParameterError, match=rf"'{name}': .*big.csv is 21 MB; the notebooks analyse files up to "
                                             rf"20 MB.*helpers.bigfiles subsample .*--fraction 0.857"):
        validate.optional_file(name, str(f))


def test_subsample_is_seeded_keeps_the_header_and_streams(tmp_path):
    src = tmp_path / "runs.csv"
    src.write_text("model,tokens,score\n" + "".join(f"m{i % 3},{1000 + i},{i % 2}\n" for i in range(20000)))
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    n_in, n_out = bigfiles.subsample(src, a, 0.1, seed=3)
    assert (n_in, n_out) == bigfiles.subsample(src, b, 0.1, seed=3) and a.read_bytes() == b.read_bytes()
    assert n_in == 20000 and abs(n_out - 2000) < 4 * (20000 * 0.1 * 0.9) ** 0.5  # binomial: within 4 sd
    lines = a.read_text().splitlines()
    assert lines[0] == "model,tokens,score" and len(lines) == n_out + 1
    assert set(lines[1:]) <= set(src.read_text().splitlines()[1:])
    assert len(variance.read_runs(a)) == n_out
