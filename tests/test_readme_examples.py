"""Every notebook command in the README runs as written, and every example input loads.

Each ``make reports/html/<stem>.html PARAMS="..."`` line of the README's bash blocks is run as the
papermill call that make's rule makes of it (same PARAMS, parsed as papermill's own CLI parses them), in
quick mode, through the session's shared notebook runs; the inline papermill command is run as written, as
a subprocess (its output redirected to a temporary file). make's own handling of PARAMS is tested in
tests/test_make.py. Outputs go to a temporary reports folder.
"""
import os
import re
import shlex
import subprocess
import sys

import pytest

from helpers import paths

ROOT = paths.ROOT
README = (ROOT / "README.md").read_text()
EXAMPLES = ROOT / "data" / "examples"


def _bash_lines():
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line:
                yield line


def make_examples():
    out = []
    for line in _bash_lines():
        words = shlex.split(line)
        if words[0] != "make" or not any(w.startswith("reports/html/") for w in words):
            continue
        target = next(w for w in words if w.startswith("reports/html/"))
        params = next((w.split("=", 1)[1] for w in words if w.startswith("PARAMS=")), "")
        out.append(pytest.param(target.split("/")[-1][:-5], params, id=f"{target.split('/')[-1][:-5]} {params}"))
    return out


def papermill_examples():
    return [c for c in re.findall(r"`(\.venv/bin/papermill [^`]+)`", README)]


def _run(args, tmp_path, **extra_env):
    env = {**os.environ, "STUDY_REPORTS_DIR": str(tmp_path / "reports"), **extra_env}
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"{' '.join(args)}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def test_the_readme_has_an_example_for_every_user_data_parameter():
    params = " ".join(p for _, p, *_ in (e.values for e in make_examples()))
    for name, path in (("curves_path", "curves.csv"), ("runs_path", "runs.csv"), ("problems_path", "problems.csv"),
                       ("scaling_path", "scaling.csv"), ("logs_path", "claude_code"), ("logs_path", "codex")):
        assert f"-p {name} data/examples/{path}" in params, (name, path)
        assert (EXAMPLES / path).exists(), path
    assert "-y " in params, "the README shows -y for list and dict parameters"
    assert "my_runs.csv" not in README and "~/.claude/projects\"" not in README


def test_example_logs_hold_no_private_text():
    for p in EXAMPLES.rglob("*.jsonl"):
        text = p.read_text()
        assert "/home/" not in text.replace("/home/synthetic example text", ""), p
        assert "synthetic example text" in text


def papermill_parameters(words: list[str]) -> dict:
    """The parameters papermill's command line makes of ``-p NAME VALUE`` and ``-y "NAME: VALUE"`` words
    (its own value parsing: ``papermill.cli._resolve_type`` and YAML)."""
    from papermill.cli import _resolve_type, yaml

    out, i = {}, 0
    while i < len(words):
        if words[i] == "-p":
            out[words[i + 1]] = _resolve_type(words[i + 2])
            i += 3
        elif words[i] == "-y":
            out.update(yaml.safe_load(words[i + 1]))
            i += 2
        else:
            raise AssertionError(f"unexpected word {words[i]!r} in PARAMS")
    return out


def test_papermill_parameters_parse_as_papermill_does():
    assert papermill_parameters(shlex.split('-p seed 7 -p quick True -p x 0.5 -p s abc -y "g: [0.5, 0.9]"')) == \
        {"seed": 7, "quick": True, "x": 0.5, "s": "abc", "g": [0.5, 0.9]}


@pytest.mark.notebook
@pytest.mark.parametrize("stem,params", make_examples())
def test_readme_make_example_runs(stem, params, run_notebook):
    """The run make's rule makes of the line (its PARAMS parsed as papermill's CLI parses them) plus quick
    mode, through the session's shared runs (an example equal to another test's run is executed once)."""
    given = papermill_parameters(shlex.split(params))
    results = run_notebook(stem, **given)
    for name in given:
        assert name in results["parameters"], f"{name} did not reach {stem}"
    if any(n.endswith("_path") for n in given) and results.get("verdict") is not None and "verdict_scope" in results:
        assert results["verdict_scope"] == "user", "a verdict on the user's data must say so"


@pytest.mark.notebook
@pytest.mark.parametrize("command", papermill_examples())
def test_readme_papermill_command_runs(command, tmp_path):
    words = shlex.split(command)
    words = [str(tmp_path / "out.ipynb") if w == "out.ipynb" else w for w in words]
    words[0] = str(ROOT / words[0])
    _run(words, tmp_path)
    assert (tmp_path / "out.ipynb").exists()


def test_make_examples_regenerates_the_same_files(tmp_path):
    """The committed examples are what make_examples.py writes (so they can be trusted and rebuilt)."""
    import shutil

    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    r = subprocess.run([sys.executable, str(copy / "make_examples.py")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for p in EXAMPLES.rglob("*"):
        if p.is_file() and p.suffix in (".csv", ".jsonl"):
            assert (copy / p.relative_to(EXAMPLES)).read_bytes() == p.read_bytes(), p
