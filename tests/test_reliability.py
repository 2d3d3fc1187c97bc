"""Reliability (issue 17): only make writes make's outputs, every mistake is named, nothing leaks.

Each test here failed on the code before issue 17."""
from __future__ import annotations

import json

import nbformat
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
         "04_reasoning_ceiling", "05_cache_economics", "06_synthesis", "07_budget_planner"]


@pytest.mark.parametrize("stem", STEMS)
def test_every_notebook_checks_for_unknown_parameters_before_anything_else(stem):
    """The cell after `parameters` calls validate.no_unknown before its first other validation."""
    nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    src = code[1].source
    assert "validate.no_unknown(globals())" in src
    assert src.index("validate.no_unknown(globals())") < src.index('validate.boolean("quick", quick)')


@pytest.mark.notebook
def test_a_misspelled_parameter_stops_the_notebook(run_notebook):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="unknown parameter 'sede'; did you mean 'seed'"):
        run_notebook("00_overview", sede=7)
