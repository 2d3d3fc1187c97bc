"""Print a make rule: the executed notebook depends on the helpers modules its code imports.

Usage: python scripts/notebook_deps.py notebooks/NN_x.ipynb reports/notebooks/NN_x.ipynb
Standard library only (runs before the environment exists). Follows imports between helpers modules
transitively, so changing one helper re-runs exactly the notebooks that use it.
"""
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ROOT / "helpers"


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


def main(nb_path: str, target: str) -> None:
    nb = json.loads(Path(nb_path).read_text())
    code = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb["cells"] if c["cell_type"] == "code")
    code = "\n".join(l for l in code.splitlines() if not l.lstrip().startswith(("%", "!")))
    mods = closure(imported_helpers(code))
    deps = " ".join(sorted(f"helpers/{m}.py" for m in mods))
    print(f"{target}: {deps}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
