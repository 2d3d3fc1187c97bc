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
