"""Which helpers modules a notebook depends on (its imports, followed transitively).

``make`` uses it to write ``reports/deps/notebooks.d`` (``python -m helpers.deps NB TARGET [NB TARGET ...]``,
every notebook in one process), so that changing one helper module re-runs exactly the notebooks that use
it; the synthesis uses ``notebook_inputs`` to tell whether a results file is older than what produced it.
Standard library only: it runs before the environment exists (``helpers/__init__`` imports nothing).
"""
import ast
import functools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ROOT / "helpers"
NOTEBOOKS = ROOT / "notebooks"


def _file(parts: list[str]) -> str | None:
    """``helpers`` module key ("validate", "allocation/__init__", "allocation/replay") of dotted parts."""
    if not parts:
        return "__init__"
    base = HELPERS.joinpath(*parts)
    if base.with_suffix(".py").exists():
        return "/".join(parts)
    if (base / "__init__.py").exists():
        return "/".join(parts) + "/__init__"
    return None


def _statements(body):
    """Every statement of a body, nested ones included (an import is a statement, so expressions need not
    be walked: several times faster than ``ast.walk`` over a whole module)."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            sub = getattr(node, field, None)
            if isinstance(sub, list):
                yield from _statements(sub)


def imported_helpers(source: str, package_relative: bool = False, package: tuple[str, ...] = ()) -> set[str]:
    """Keys (paths below helpers/ without ".py") of the helpers modules a source imports.

    ``package``: the package of the importing module, as parts below ``helpers`` (``()`` for a top-level
    module, ``("allocation",)`` for ``helpers/allocation/x.py``); relative imports resolve against it.
    Importing a package counts its ``__init__``; ``from pkg import sub`` also counts the submodule.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    mods: set[str | None] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "helpers" or a.name.startswith("helpers."):
                    parts = a.name.split(".")[1:]
                    mods.update(_file(parts[:i]) for i in range(len(parts) + 1))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not package_relative:
                    continue
                base = list(package[:len(package) - (node.level - 1)]) if node.level > 1 else list(package)
            elif node.module == "helpers" or (node.module or "").startswith("helpers."):
                base = []
            else:
                continue
            if node.level:  # from . import x / from .mod import x: module relative to the package
                parts = base + (node.module.split(".") if node.module else [])
            else:  # from helpers[.mod] import x
                parts = node.module.split(".")[1:]
            mods.update(_file(parts[:i]) for i in range(len(parts) + 1))
            mods.update(_file(parts + [a.name]) for a in node.names)
    return {m for m in mods if m is not None}


@functools.lru_cache(maxsize=None)
def _module_imports(m: str, stamp: tuple[int, int]) -> frozenset[str]:
    """``imported_helpers`` of module ``m``, parsed once per process for each version of the file (``stamp``:
    its mtime in ns and size, so an edited file is parsed again)."""
    parts = m.split("/")
    return frozenset(imported_helpers((HELPERS / f"{m}.py").read_text(), package_relative=True,
                                      package=tuple(parts[:-1])))


def closure(mods: set[str]) -> set[str]:
    todo, seen = list(mods), set()
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        st = (HELPERS / f"{m}.py").stat()
        todo.extend(_module_imports(m, (st.st_mtime_ns, st.st_size)) - seen)
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


def main(pairs: list[str]) -> None:
    """Print a make rule ``TARGET: helpers/a.py ...`` for each ``NB TARGET`` pair, then an empty rule per module."""
    if not pairs or len(pairs) % 2:
        sys.exit("usage: python -m helpers.deps NOTEBOOK TARGET [NOTEBOOK TARGET ...]")
    every: set[str] = set()
    for nb_path, target in zip(pairs[::2], pairs[1::2]):
        deps = sorted(f"helpers/{m}.py" for m in notebook_modules(nb_path))
        every.update(deps)
        print(f"{target}: {' '.join(deps)}")
    # an empty rule per module (as `gcc -MP`): a module later deleted or moved into a package does not stop
    # make with "No rule to make target"; the target is simply out of date and the deps file rewritten
    for d in sorted(every):
        print(f"{d}:")


if __name__ == "__main__":
    main(sys.argv[1:])
