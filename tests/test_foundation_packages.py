"""The foundation packages split from single modules (issue 14) keep their interface: every public name of
the old module, its command line (``python -m helpers.<pkg>``), a docstring per module, no module over
~400 lines, dependency tracking through the submodules, and imports that run one way (foundation never
imports a claim package)."""
import importlib
import subprocess
import sys

import pytest

from helpers import deps, paths

# the public names each old module had (helpers/<pkg>.py before the split)
OLD_PUBLIC = {
    "agent_runs": ["DEEPDIVE_COLUMNS", "DEEPDIVE_TABLE", "DOUBTFUL_REASONING_LABELS", "EFFORT_ORDER", "RUN_COLUMNS",
                   "THINKING_PAIR_EVIDENCE", "browsecomp_plus_queries", "codex_localpush_files",
                   "codex_localpush_ledger", "deepdive_aggregate", "mcpmark_effort_ladders",
                   "mcpmark_reasoning_coverage", "mcpmark_runs", "mcpmark_summary", "mcpmark_thinking_pairs",
                   "split_config"],
    "registry": ["DataFile", "DataUnavailable", "HashMismatch", "REGISTRY", "REPOS", "Repo", "available",
                 "clean_leftovers", "entry", "fetch", "fetch_all", "how_to_get", "local_path", "main", "mirror_root",
                 "names", "status"],
    "datasets": ["INT64_MAX", "LOGGED_SOURCES", "NUMBER_LIMIT", "agent_eval_humaneval", "check_rows",
                 "cost_bench_difficulty", "cost_bench_runs", "headline_figures", "logged_catalogue", "monkeys_counts",
                 "published", "published_path", "read_csv", "require_columns", "swe_effi", "terminal_bench_trials",
                 "to_bool", "to_numeric", "tracelab_rounds",
                 "_line"],  # used by helpers.allocation
    "synthesis": ["BEGIN", "CLAIM_STEMS", "DENOMINATOR", "END", "EXTRACTORS", "HEADLINE_ROW", "ROLE", "SEED_STATEMENT",
                  "answer", "block_structure", "current_block", "headline_text", "load_results", "main",
                  "overall_summary", "overall_verdict", "readme_block", "replace_block", "robustness_text",
                  "staleness", "verdict_rows", "with_sweep", "write_readme",
                  "_generic", "deps"],  # used by tests/test_synthesis.py
    "sweep": ["GRIDS_DIR", "KERNEL", "RunFailed", "RunSpec", "TABLE_COLUMNS", "agreement", "code_version", "expand",
              "grid_names", "load_grid", "main", "notebook_defaults", "read_table", "row_for", "run", "run_key",
              "run_one", "runs_dir", "sweep_dir", "table_path", "write_table"],
    "pages": ["EXTERNAL", "MATH", "NO_CLAIM", "READER_CSS", "SAVE_FIGURE", "TEMPLATE", "TEX_FIXES", "VERDICT_CLASS",
              "as_number", "build_commit", "key_figure", "load_results", "main", "reader_notebook", "render_page",
              "robustness_text", "saved_figures", "tex_to_svg", "title_of", "typeset_markdown", "verdict_box"],
}
CLAIM_MODULES = {"search_scaling", "variance", "allocation", "allocation_replay", "allocation_verdict", "ceiling",
                 "ceiling_verdict", "ledger", "cache_verdict", "planner", "variance_verdict",
                 "search_scaling_verdict"}


@pytest.mark.parametrize("pkg", sorted(OLD_PUBLIC))
def test_the_package_keeps_every_name_of_the_old_module(pkg):
    mod = importlib.import_module(f"helpers.{pkg}")
    assert (paths.ROOT / "helpers" / pkg / "__init__.py").is_file()
    assert not (paths.ROOT / "helpers" / f"{pkg}.py").exists()  # one home per name
    missing = [n for n in OLD_PUBLIC[pkg] if not hasattr(mod, n)]
    assert not missing
    assert set(mod.__all__) <= set(dir(mod))


@pytest.mark.parametrize("pkg", sorted(OLD_PUBLIC))
def test_every_module_states_its_idea_and_stays_short(pkg):
    for f in sorted((paths.ROOT / "helpers" / pkg).glob("*.py")):
        name = f"helpers.{pkg}" + ("" if f.stem == "__init__" else f".{f.stem}")
        if f.stem == "__main__":
            assert f.read_text().startswith('"""')
            continue
        mod = importlib.import_module(name)
        assert mod.__doc__ and len(mod.__doc__.strip()) > 40, name
        assert len(f.read_text().splitlines()) <= 400, name
        direct = deps.imported_helpers(f.read_text(), package_relative=True, package=(pkg,))
        assert not {m.split("/")[0] for m in direct} & CLAIM_MODULES, name


def _run(*args):
    return subprocess.run([sys.executable, "-m", *args], cwd=paths.ROOT, capture_output=True, text=True, timeout=300)


def test_the_command_lines_still_run_as_modules():
    r = _run("helpers.registry", "--help")
    assert r.returncode == 0 and "Registry of external logged data" in r.stdout and "fetch" in r.stdout
    r = _run("helpers.sweep", "--help")
    assert r.returncode == 0 and "Sweeps: whole notebook runs" in r.stdout and "run" in r.stdout
    r = _run("helpers.synthesis", "nonsense")
    assert r.returncode == 2 and "usage: python -m helpers.synthesis readme" in r.stdout
    r = _run("helpers.pages")
    assert r.returncode == 2 and "usage: python -m helpers.pages" in r.stderr


def test_notebook_dependencies_follow_the_submodules():
    synth = {str(p.relative_to(paths.ROOT)) for p in deps.notebook_inputs("06_synthesis")}
    for f in ("helpers/synthesis/extractors.py", "helpers/synthesis/readme.py", "helpers/sweep/table.py",
              "helpers/datasets/published.py", "helpers/datasets/checks.py"):
        assert f in synth
    overview = {str(p.relative_to(paths.ROOT)) for p in deps.notebook_inputs("00_overview")}
    for f in ("helpers/registry/entries.py", "helpers/registry/fetching.py", "helpers/datasets/catalogue.py",
              "helpers/agent_runs/mcpmark.py"):
        assert f in overview
    assert all(p.exists() for p in deps.notebook_inputs("06_synthesis"))


def test_imports_are_found_at_any_depth_and_an_edited_module_is_read_again(tmp_path, monkeypatch):
    src = """
import os
def f():
    if True:
        try:
            from helpers import validate
        except ImportError:
            pass
        finally:
            import helpers.curves
    with open(os.devnull):
        for _ in ():
            from helpers.allocation import replay
    match 1:
        case 1:
            from helpers import sampling
x = [__import__("helpers.pricing")]  # not an import statement: not followed
"""
    got = deps.imported_helpers(src)
    assert {"validate", "curves", "allocation/__init__", "allocation/replay", "sampling"} <= got
    assert "pricing" not in got
    # the module cache follows the file: an edited module's imports are read again
    monkeypatch.setattr(deps, "HELPERS", tmp_path)
    (tmp_path / "a.py").write_text("from . import b\n")
    (tmp_path / "b.py").write_text("")
    (tmp_path / "c.py").write_text("")
    (tmp_path / "__init__.py").write_text("")
    assert deps.closure({"a"}) == {"a", "b", "__init__"}
    (tmp_path / "a.py").write_text("from . import b, c\n")  # other bytes (and size): parsed again
    assert deps.closure({"a"}) == {"a", "b", "c", "__init__"}


def test_every_helpers_subpackage_is_in_the_distribution():
    """pyproject.toml's package list finds every helpers package (a wheel would otherwise leave one out)."""
    import tomllib

    from setuptools import find_packages

    conf = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    found = set(find_packages(str(paths.ROOT), include=conf["include"]))
    on_disk = {".".join(p.parent.relative_to(paths.ROOT).parts) for p in (paths.ROOT / "helpers").rglob("__init__.py")
               if "__pycache__" not in p.parts}
    assert on_disk and on_disk <= found, sorted(on_disk - found)
    assert not any(p.startswith("tests") for p in found)
