"""The Makefile's promises, exercised on a copy of the repository (so reports/ here is untouched):
PARAMS reach the notebook and force a re-run, an unchanged tree does nothing, and a helper module
re-runs only the notebooks that import it."""
import json
import re
import time
import os
import subprocess

import pytest

from helpers import bench, paths

pytestmark = pytest.mark.notebook
ROOT = paths.ROOT
TARGET = "reports/html/00_overview.html"
RAN = "] 00_overview ..."  # the line make prints as it starts the notebook (helpers/pipeline.py)


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    # tracked files with their mtimes (the environment stamp stays valid), .venv and data/external linked
    return bench.repo_copy(tmp_path_factory.mktemp("repo"))


def make(repo, *args):
    env = {**os.environ, "STUDY_REPORTS_DIR": str(repo / "reports")}
    r = subprocess.run(["make", "--no-print-directory", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout + r.stderr


def results(repo):
    return json.loads((repo / "reports" / "results" / "00_overview.json").read_text())


def test_params_reach_the_notebook_and_force_a_rerun(repo_copy):
    out = make(repo_copy, TARGET, "PARAMS=-p quick True -p seed 3")
    assert RAN in out and re.search(r"\[1/\d+\] 00_overview \d+ s", out)
    assert "without encryption" not in out  # the kernel's TCP warning is filtered
    assert results(repo_copy)["parameters"] == {"quick": True, "seed": 3}
    assert (repo_copy / TARGET).exists()
    deps = repo_copy / "reports" / "deps" / "notebooks.d"
    written = deps.stat().st_mtime_ns
    out = make(repo_copy, TARGET, "PARAMS=-p quick True -p seed 3")
    assert RAN not in out  # same parameters: nothing to do
    # ... not even the deps file: the run wrote helpers' __pycache__ folders, which move no module
    assert list((repo_copy / "helpers").glob("*/__pycache__")) and deps.stat().st_mtime_ns == written
    make(repo_copy, TARGET)  # back to the defaults: re-run
    assert results(repo_copy)["parameters"] == {"quick": False, "seed": 0}
    assert RAN not in make(repo_copy, TARGET)


def test_a_helper_module_deleted_since_the_deps_file_does_not_stop_make(repo_copy):
    """A module listed in a deps file and then deleted (or moved into a package) makes the notebook out of
    date, not make fail with "No rule to make target" (the deps file's empty rule per module)."""
    gone = repo_copy / "helpers" / "gone_module.py"
    gone.write_text('"""A module that will be deleted."""\n')
    d = repo_copy / "reports" / "deps" / "notebooks.d"
    make(repo_copy, TARGET)  # a new module: the list of modules and the deps file are rewritten
    assert "helpers/gone_module.py" in (repo_copy / "reports" / "deps" / "modules.list").read_text()
    r = subprocess.run([str(repo_copy / ".venv" / "bin" / "python"), "-m", "helpers.deps",
                        str(repo_copy / "notebooks" / "00_overview.ipynb"), "reports/notebooks/00_overview.ipynb"],
                       cwd=repo_copy, capture_output=True, text=True, check=True)
    lines = r.stdout.splitlines()  # as if the overview had imported gone_module when the file was written
    lines[0] += " helpers/gone_module.py"
    d.write_text("\n".join(lines + ["helpers/gone_module.py:"]) + "\n")
    os.utime(d, (time.time() - 5, time.time() - 5))
    gone.unlink()  # the list of modules changes: the deps file, older than it, is rewritten
    out = make(repo_copy, TARGET)  # asserts exit 0
    assert "gone_module" not in d.read_text()  # rewritten from the notebook's real imports
    assert RAN not in out  # and the overview, which never needed the module, is still up to date


def test_only_dependent_notebooks_rerun(repo_copy):
    make(repo_copy, TARGET)
    rules = dict(line.split(":", 1) for line in (repo_copy / "reports" / "deps" / "notebooks.d").read_text().splitlines())
    deps = rules["reports/notebooks/00_overview.ipynb"]
    assert "helpers/datasets/logged.py" in deps and "helpers/sampling.py" not in deps  # deps follow subpackages
    assert all(f"reports/notebooks/{nb.stem}.ipynb" in rules for nb in (repo_copy / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    # the outputs are made a little older, not the helper newer: a helper dated in the future keeps every deps
    # file out of date until the clock catches up, and make re-reads them in a loop until then. The copy's
    # sources are dated back an hour first (a checkout or merge just before the tests leaves them newer than
    # the outputs); what the copy shares with the repository (.venv's stamp, the data manifest) was made before
    # this module's first make, longer ago than the 3 s the outputs go back (a minute was not: on a fresh clone
    # the environment is built seconds before these tests, which run first)
    older = time.time() - 3600
    for q in [*(repo_copy / "helpers").rglob("*.py"), *(repo_copy / "notebooks").glob("*.ipynb")]:
        os.utime(q, (older, older))
    past = time.time() - 3
    for q in (repo_copy / "reports").rglob("*"):
        if q.is_file():
            os.utime(q, (past, past))
    os.utime(repo_copy / "helpers" / "sampling.py", (past + 1, past + 1))
    assert RAN not in make(repo_copy, TARGET)  # overview does not import sampling
    os.utime(repo_copy / "helpers" / "datasets" / "logged.py", None)  # now: newer than the overview's outputs
    # a dry run says what a real run would do (tests/test_make_concurrency.py); real re-runs: the test above
    out = make(repo_copy, "-n", TARGET)
    assert "papermill" in out and "helpers.pipeline run 00_overview " in out  # the notebook, not only its page


def test_help_lists_targets(repo_copy):
    out = make(repo_copy, "help")
    for t in ("all", "test", "data", "lab", "clean"):
        assert f"make {t}" in out


def test_params_go_to_the_named_notebook_not_its_prerequisites(repo_copy):
    out = make(repo_copy, "-n", "reports/html/06_synthesis.html", "PARAMS=-p quick True")
    runs = [block for block in out.split(".venv/bin/papermill")[1:]]
    by_stem = {b.split("notebooks/", 1)[1].split(".ipynb")[0]: b.split("\n.venv")[0] for b in runs}
    assert "06_synthesis" in by_stem and "01_search_scaling" in by_stem
    assert "-p quick True" in by_stem["06_synthesis"]
    assert all("-p quick True" not in v for k, v in by_stem.items() if k != "06_synthesis")


def test_a_failed_notebook_is_kept_and_named(repo_copy):
    env = {**os.environ, "STUDY_REPORTS_DIR": str(repo_copy / "reports")}
    r = subprocess.run(["make", "--no-print-directory", TARGET, "PARAMS=-p quick yes"], cwd=repo_copy, env=env,
                       capture_output=True, text=True)
    assert r.returncode != 0
    kept = repo_copy / "reports" / "failed" / "00_overview.ipynb"
    assert "00_overview FAILED" in r.stderr and "reports/failed/00_overview.ipynb" in r.stderr, r.stderr
    doc = json.loads(kept.read_text())
    errors = [o for c in doc["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and "quick" in errors[0]["evalue"]
    assert not list((repo_copy / "reports" / "notebooks").glob("*.tmp.ipynb"))


@pytest.mark.parametrize("linked", [False, True])
def test_a_linked_environment_is_never_reinstalled_from_a_copy(tmp_path, linked):
    # The tests' and the bench's copies link the checkout's .venv. When a copy's lock is newer than that
    # .venv's stamp (a worktree; pytest run directly after a pull), make in the copy used to reinstall it:
    # the editable install and the kernel then pointed at the copy, deleted after the tests. Its own .venv
    # (linked=False) is still reinstalled, so the rule is not simply switched off.
    for f in ("Makefile", "requirements.lock", "pyproject.toml"):
        (tmp_path / f).write_bytes((ROOT / f).read_bytes())
    env_dir = tmp_path / ("elsewhere" if linked else ".venv")
    env_dir.mkdir()
    (env_dir / ".installed").touch()
    os.utime(env_dir / ".installed", (1, 1))  # older than the lock
    if linked:
        (tmp_path / ".venv").symlink_to(env_dir)
    r = subprocess.run(["make", "--no-print-directory", "-n", "env"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    reinstalls = "ipykernel install" in r.stdout and "requirements.lock" in r.stdout
    assert reinstalls is not linked, r.stdout
