"""The repository's own promises: one dependency list, one universal lock that environment.yml follows,
clean notebooks, contract conventions."""
import ast
import json
import re
import tomllib

import pytest

from helpers import envfile, paths

ROOT = paths.ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# notebooks whose parameters cell annotates every parameter's type (papermill --help-notebook shows them);
# the claim notebooks join as their parameters cells are annotated
TYPED = {p.stem for p in NOTEBOOKS}  # every parameter carries a type (papermill --help-notebook shows it)


def _pyproject_deps():
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {re.split(r"[<>=!~ \[]", d)[0].lower() for d in doc["project"]["dependencies"]}


def _conda_deps():
    deps = set()
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.-]+)", line)
        if m and m.group(1) not in ("pip", "python"):
            deps.add(re.split(r"[<>=]", m.group(1))[0].lower())
    return deps


def test_environment_yml_mirrors_pyproject():
    assert _conda_deps() == _pyproject_deps()
    text = (ROOT / "environment.yml").read_text()
    assert "conda-forge" in text and "python>=3.11,<3.14" in text and "-e ." in text


def test_environment_yml_is_generated_from_the_lock_with_the_same_versions():
    text = (ROOT / "environment.yml").read_text()
    assert text == envfile.render(), "environment.yml is stale: run `make lock` (or python -m helpers.envfile)"
    lock = envfile.lock_pins(ROOT / "requirements.lock")
    conda = envfile.conda_pins(text)
    assert set(conda) == {envfile.canonical(d) for d in _pyproject_deps()}
    for name, version in conda.items():
        assert lock[name] == {version}, (name, version, lock[name])


def test_lock_pins_every_dependency():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, ver = line.partition("==")
            assert ver, f"unpinned line in requirements.lock: {line!r}"
            lock[name.lower().replace("_", "-")] = ver
    missing = {d for d in _pyproject_deps() if d.replace("_", "-") not in lock}
    assert not missing, f"dependencies not pinned in requirements.lock: {missing}"


def _lock_omit() -> list[str]:
    m = re.search(r"^LOCK_OMIT := (.+)$", (ROOT / "Makefile").read_text(), flags=re.M)
    assert m, "the Makefile names the packages left out of the lock (LOCK_OMIT)"
    return m.group(1).split()


def test_the_lock_installs_as_it_is_and_leaves_out_the_slow_format_checker():
    """The lock is complete, so make installs it with --no-deps (uv and pip alike), which keeps out
    rfc3987-syntax (it compiles 38 lark grammars when jsonschema is imported: seconds in each papermill run
    and page render) and lark; `make lock` omits both with --no-emit-package."""
    import sys
    import subprocess

    omit = _lock_omit()
    assert set(omit) == {"rfc3987-syntax", "lark"}
    assert not set(omit) & set(envfile.lock_pins(ROOT / "requirements.lock")), "make lock should omit them"
    make = (ROOT / "Makefile").read_text()
    installs = re.findall(r"pip install [^\n]*-r requirements\.lock", make)
    assert len(installs) == 2 and all("--no-deps" in i for i in installs), installs
    assert "$(LOCK_OMIT:%=--no-emit-package %)" in make
    code = ("import sys, importlib.util as u, papermill, nbformat; nbformat.validate(nbformat.v4.new_notebook()); "
            "print(sorted({'rfc3987_syntax', 'lark'} & set(sys.modules)), u.find_spec('rfc3987_syntax') is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")[0]
    assert out == "[] True", out
    check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr  # nothing the installed packages need is missing


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13"])
def test_lock_is_universal_one_version_of_each_dependency_per_python(python):
    """Every direct dependency (and setuptools, for the editable install) has exactly one pin whose marker
    holds on Linux for each supported Python; requires-python has no upper bound below 3.13."""
    from packaging.markers import Marker
    from packaging.specifiers import SpecifierSet

    doc = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert SpecifierSet(doc["project"]["requires-python"]).contains(f"{python}.0")
    env = {"python_version": python, "python_full_version": f"{python}.0", "sys_platform": "linux",
           "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
           "platform_python_implementation": "CPython", "platform_machine": "x86_64"}
    holding = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate(env):
            continue
        name, _, ver = req.strip().partition("==")
        holding.setdefault(envfile.canonical(name), []).append(ver)
    for dep in {envfile.canonical(d) for d in _pyproject_deps()} | {"setuptools"}:
        assert len(holding.get(dep, [])) == 1, (python, dep, holding.get(dep))


def test_envfile_rejects_an_ambiguous_or_incomplete_lock(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["numpy>=2", "Pandas"]\n')
    lock = tmp_path / "requirements.lock"
    lock.write_text("# header\nnumpy==2.4.6\npandas==3.1.1 ; python_full_version >= '3.11'\n")
    text = envfile.render(lock, pyproject)
    assert envfile.conda_pins(text) == {"numpy": "2.4.6", "pandas": "3.1.1"}
    lock.write_text("numpy==2.4.6 ; python_full_version < '3.12'\nnumpy==2.5.5 ; python_full_version >= '3.12'\n"
                    "pandas==3.1.1\n")
    with pytest.raises(ValueError, match="'numpy' has several versions"):
        envfile.render(lock, pyproject)
    lock.write_text("numpy==2.4.6\n")
    with pytest.raises(ValueError, match="'pandas' of pyproject.toml is not pinned"):
        envfile.render(lock, pyproject)
    lock.write_text("numpy==2.4.6\npandas>=3\n")
    with pytest.raises(ValueError, match="line 2: not a pinned requirement"):
        envfile.render(lock, pyproject)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean_and_follows_the_contract(nb):
    doc = json.loads(nb.read_text())
    spec = doc["metadata"]["kernelspec"]
    assert spec["name"] == "tts-study" and spec["display_name"] == "Python (tts-study)", \
        f"{nb.name} must open on the study's kernel (JupyterLab picks the kernel from this metadata)"
    code = [c for c in doc["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
        f"{nb.name} is committed with outputs: clear them"
    first = code[0]
    assert "parameters" in first.get("metadata", {}).get("tags", []), "first code cell must be tagged 'parameters'"
    src = "".join(first["source"])
    tree = ast.parse(src)
    names = set()
    for node in tree.body:
        # plain or annotated (`quick: bool = False`) assignments of literals only
        assert isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None, \
            f"{nb.name}: parameters cell holds assignments only"
        ast.literal_eval(node.value)  # literals only
        names.update(t.id for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
        if isinstance(node, ast.Assign):
            assert nb.stem not in TYPED, f"{nb.name}: parameter without a type annotation: {ast.unparse(node)}"
    assert {"quick", "seed"} <= names
    for line in src.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            assert "#" in line, f"{nb.name}: parameter line without a unit/range comment: {line!r}"


def test_readme_documents_the_commands_and_notebooks():
    readme = (ROOT / "README.md").read_text()
    for needle in ("make all", "make test", "make data", "make lab", "DATA_MIRROR", "PARAMS="):
        assert needle in readme, needle
    for nb in NOTEBOOKS:
        assert nb.stem in readme, f"README does not list {nb.stem}"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "DATA_MIRROR" in ci


def test_the_study_kernel_is_registered_in_the_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("tts-study")
    assert spec.display_name == "Python (tts-study)"
    assert spec.language == "python"


def test_make_lab_opens_on_the_study_kernel():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "default_kernel_name=$(KERNEL)" in lab and "KERNEL := tts-study" in makefile


@pytest.mark.parametrize("stem", sorted(TYPED))
def test_papermill_shows_the_parameter_types(stem):
    import papermill

    params = papermill.inspect_notebook(str(ROOT / "notebooks" / f"{stem}.ipynb"))  # what --help-notebook prints
    assert params and all(p["inferred_type_name"] not in ("None", "") for p in params.values()), params
    assert params["quick"]["inferred_type_name"] == "bool" and params["seed"]["inferred_type_name"] == "int"


def test_ci_installs_chromium_for_the_browser_test():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "command -v chromium" in ci and "apt-get install" in ci and ci.index("chromium") < ci.index("make test")
