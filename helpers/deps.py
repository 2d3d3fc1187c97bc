"""Which helpers modules a notebook depends on (its imports, followed transitively).

``make`` uses it to write ``reports/deps/NN.d`` (``python -m helpers.deps NB TARGET``), so that changing one
helper module re-runs exactly the notebooks that use it; the synthesis uses ``notebook_inputs`` to tell
whether a results file is older than what produced it. Standard library only: it runs before the
environment exists (``helpers/__init__`` imports nothing).
"""
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ROOT / "helpers"
NOTEBOOKS = ROOT / "notebooks"


def imported_helpers(source: str, package_relative: bool = False) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("helpers."):
                    mods.add(a.name.split(".")[1])
                elif a.name == "helpers":
                    mods.add("__init__")
        elif isinstance(node, ast.ImportFrom):
            if node.level and package_relative:  # from .x import y / from . import x
                if node.module:
                    mods.add(node.module.split(".")[0])
                else:
                    mods.update(a.name for a in node.names)
            elif node.module == "helpers":
                mods.update(a.name for a in node.names)
                mods.add("__init__")
            elif node.module and node.module.startswith("helpers."):
                mods.add(node.module.split(".")[1])
    return {m for m in mods if (HELPERS / f"{m}.py").exists()}


def closure(mods: set[str]) -> set[str]:
    todo, seen = list(mods), set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(imported_helpers((HELPERS / f"{m}.py").read_text(), package_relative=True) - seen)
    return seen


def notebook_modules(nb_path: str | Path) -> set[str]:
    """Names of the helpers modules that notebook imports, directly or through other helpers."""
    nb = json.loads(Path(nb_path).read_text())
    code = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb["cells"] if c["cell_type"] == "code")
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    return closure(imported_helpers(code))


def notebook_inputs(stem: str) -> list[Path]:
    """The files whose change makes a notebook's results stale: its source and its helpers modules."""
    nb = NOTEBOOKS / f"{stem}.ipynb"
    return [nb] + sorted(HELPERS / f"{m}.py" for m in notebook_modules(nb))


def main(nb_path: str, target: str) -> None:
    deps = " ".join(sorted(f"helpers/{m}.py" for m in notebook_modules(nb_path)))
    print(f"{target}: {deps}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
