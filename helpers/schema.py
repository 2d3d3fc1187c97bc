"""Declarative parameter schemas: one per notebook, checked in one call, read by the README and the tests.

A notebook's first cell (tagged ``parameters``) stays plain literals with a type annotation and a comment
(what papermill injects into and ``--help-notebook`` prints). The next cell checks all of them at once:

    params = schema.load(globals(), SCHEMA)

``SCHEMA`` is a ``Schema``: an ordered mapping from parameter name to a ``Param`` (its type, range, choices,
whether ``None`` is allowed, whether it is a path) plus cross-parameter ``checks``. ``load`` rejects a
misspelled parameter name (``validate.no_unknown``), then every value in schema order, then the checks, each
failure a ``validate.ParameterError`` naming the parameter, before any long computation. It returns a
``Params`` namespace: ``params.seed``, paths resolved to ``pathlib.Path`` (or ``None``), and ``as_dict()``
with the values exactly as given (what results files record).

The same schema serves three readers, so they cannot drift apart:

- ``Param.annotation`` is the type annotation the parameters cell must carry (``--help-notebook`` types);
  ``tests/test_schemas.py`` checks every notebook's cell against its schema (names, order, annotations,
  defaults valid).
- ``Param.describe`` gives the range column of the README's parameter tables (``markdown_table``,
  written by ``make readme``); the description column is the cell's comment.
- ``Param.bad_values`` lists values the parameter must reject; the tests try every one for every
  parameter of every notebook.

Schemas live with their claim (``helpers/<claim>/params.py``); ``NOTEBOOK_SCHEMAS`` names, as strings, the
module holding each notebook's ``SCHEMA`` (resolved only by the README writer and the tests, so the
foundation imports no claim package).
"""
from __future__ import annotations

import ast
import importlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Mapping

from . import validate
from .validate import ParameterError

# notebook stem -> "module" holding its SCHEMA, or "module:NAME" (strings: see the module docstring)
NOTEBOOK_SCHEMAS = {
    "00_overview": "helpers.notebook_params:OVERVIEW",
    "01_search_scaling": "helpers.search_scaling.params",
    "02_token_variance": "helpers.variance.params",
    "03_adaptive_allocation": "helpers.allocation.params",
    "04_reasoning_ceiling": "helpers.ceiling.params",
    "05_cache_economics": "helpers.cache.params",
    "06_synthesis": "helpers.notebook_params:SYNTHESIS",
    "07_budget_planner": "helpers.planner.params",
    "08_sweep": "helpers.notebook_params:SWEEP",
}

_KINDS = ("bool", "int", "float", "str", "path", "list", "dict")


def _fmt(x: Any) -> str:
    if isinstance(x, int) and x == 2**63 - 1:  # the largest seed numpy takes as an int64
        return "2^63 - 1"
    if isinstance(x, float) and x.is_integer() and abs(x) >= 1e6:
        return f"{x:.0e}".replace("e+0", "e").replace("e+", "e")
    return repr(x) if isinstance(x, str) else f"{x:g}" if isinstance(x, float) else str(x)


@dataclass(frozen=True)
class Param:
    """What one parameter may be. Build with the constructors below (``integer(1, 100)``, ...)."""

    kind: str
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple | None = None
    path_kind: str | None = None
    item: "Param | None" = None
    increasing: bool = False
    min_len: int = 1
    optional: bool = False

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}")

    # ------------------------------------------------------------------ building
    def or_none(self) -> "Param":
        """The same parameter, ``None`` also allowed (the study's default data, "unknown", ...)."""
        return replace(self, optional=True)

    # ------------------------------------------------------------------ checking
    def check(self, name: str, value: Any) -> Any:
        """The value if valid (a path resolved to ``Path``), else ``ParameterError`` naming ``name``."""
        if value is None:
            if self.optional:
                return None
            raise ParameterError(f"parameter {name!r} must not be None; it must be {self.describe()}")
        if self.kind == "bool":
            return validate.boolean(name, value)
        if self.kind in ("int", "float"):
            return validate.number(name, value, self.lo, self.hi, lo_open=self.lo_open, hi_open=self.hi_open,
                                   integer=self.kind == "int")
        if self.kind == "str":
            if self.choices is not None:
                return validate.choice(name, value, self.choices)
            if not isinstance(value, str) or not value.strip():
                raise ParameterError(f"parameter {name!r} must be a non-empty string, got {value!r}")
            return value
        if self.kind == "path":
            return validate.optional_file(name, value, self.path_kind)
        if self.kind == "dict":
            if not isinstance(value, Mapping):
                raise ParameterError(f"parameter {name!r} must be a mapping (YAML dict), got {value!r}")
            return dict(value)
        # list
        seq = validate.sequence(name, value, self.item.check if self.item is not None else None, min_len=self.min_len)
        return validate.strictly_increasing(name, seq) if self.increasing else seq

    # ------------------------------------------------------------------ reading
    @property
    def annotation(self) -> str:
        """The annotation the parameters cell carries: ``int``, or ``"Optional[int]"`` (quoted) with None."""
        base = {"bool": "bool", "int": "int", "float": "float", "str": "str", "path": "str", "list": "list",
                "dict": "dict"}[self.kind]
        return f'"Optional[{base}]"' if self.optional else base

    def describe(self) -> str:
        """The valid values in words, e.g. ``int in [1, 1000]``, ``one of 'a', 'b'``, ``file path or None``."""
        if self.kind == "bool":
            out = "True or False"
        elif self.kind in ("int", "float"):
            out = "int" if self.kind == "int" else "number"
            if self.lo is not None or self.hi is not None:
                if self.hi is None:
                    out += f" > {_fmt(self.lo)}" if self.lo_open else f" ≥ {_fmt(self.lo)}"
                elif self.lo is None:
                    out += f" < {_fmt(self.hi)}" if self.hi_open else f" ≤ {_fmt(self.hi)}"
                else:
                    out += (f" in {'(' if self.lo_open else '['}{_fmt(self.lo)}, {_fmt(self.hi)}"
                            f"{')' if self.hi_open else ']'}")
        elif self.kind == "str":
            out = ("one of " + ", ".join(_fmt(c) for c in self.choices)) if self.choices is not None else "text"
        elif self.kind == "path":
            out = f"path to a {self.path_kind or 'file or folder'}"
        elif self.kind == "dict":
            out = "mapping"
        else:
            items = f" of {self.item.describe()}" if self.item is not None else ""
            out = f"list{items}" + (", increasing" if self.increasing else "")
            if self.min_len > 1:
                out += f", at least {self.min_len} items"
        return out + (", or None" if self.optional else "")

    def bad_values(self) -> list:
        """Values this parameter must reject (each a different way to be wrong)."""
        bad: list = [] if self.optional else [None]
        if self.kind == "bool":
            return bad + [1, "True"]
        if self.kind in ("int", "float"):
            bad += ["1", True, float("nan"), float("inf")]
            if self.kind == "int":
                bad.append(1.5)
            def beyond(end, sign):  # just outside a closed end: one integer, or a relative hair for floats
                return end + sign * (1 if self.kind == "int" else max(1e-9, abs(end) * 1e-6))

            if self.lo is not None:
                bad.append(self.lo if self.lo_open else beyond(self.lo, -1))
            if self.hi is not None:
                bad.append(self.hi if self.hi_open else beyond(self.hi, +1))
            if self.lo == 0 and not self.lo_open:
                bad.append(-1)
            return bad
        if self.kind == "str":
            return bad + ([3, "not-a-choice"] if self.choices is not None else [3, "", "  "])
        if self.kind == "path":
            return bad + ["", "  ", "no/such/file_or_folder.csv", 3]
        if self.kind == "dict":
            return bad + [[1, 2], "x"]
        # list
        bad += ["1", 3] + ([[]] if self.min_len >= 1 else [])
        if self.min_len > 1:
            good_item = self.item.example() if self.item is not None else 1
            bad.append([good_item] * (self.min_len - 1))
        if self.item is not None:
            wrong = self.item.bad_values()
            if wrong:
                bad.append([wrong[-1]] * max(self.min_len, 1))
        if self.increasing and self.item is not None:
            x = self.item.example()
            bad.append([x] * max(self.min_len, 2))
        return bad

    def example(self) -> Any:
        """A valid value (used to build bad lists whose other items are valid)."""
        if self.choices:
            return self.choices[0]
        if self.kind == "bool":
            return False
        if self.kind in ("int", "float"):
            lo = 0 if self.lo is None else self.lo
            v = lo + (1 if self.lo_open or self.lo is None else 0)
            if self.hi is not None and v > self.hi:
                v = (lo + self.hi) / 2
            return int(v) if self.kind == "int" else float(v)
        return "x"


# ---------------------------------------------------------------------- constructors


def boolean() -> Param:
    return Param("bool")


def integer(lo: int | None = None, hi: int | None = None) -> Param:
    return Param("int", lo, hi)


def number(lo: float | None = None, hi: float | None = None, *, lo_open: bool = False, hi_open: bool = False) -> Param:
    return Param("float", lo, hi, lo_open, hi_open)


def probability(*, lo_open: bool = False, hi_open: bool = False) -> Param:
    return Param("float", 0.0, 1.0, lo_open, hi_open)


def positive() -> Param:
    return Param("float", 0.0, None, lo_open=True)


def seed() -> Param:
    return Param("int", 0, 2**63 - 1)


def choice(*values: Any) -> Param:
    if len(values) == 1 and not isinstance(values[0], str):
        values = tuple(values[0])
    return Param("str", choices=tuple(values))


def text() -> Param:
    return Param("str")


def path(kind: str = "file") -> Param:
    """A user's file or folder (``kind``: "file", "folder", "file or folder"); usually ``.or_none()``."""
    return Param("path", path_kind=kind)


def mapping() -> Param:
    return Param("dict")


def sequence(item: Param | None = None, *, increasing: bool = False, min_len: int = 1) -> Param:
    return Param("list", item=item, increasing=increasing, min_len=min_len)


# ---------------------------------------------------------------------- schema and load


@dataclass
class Schema:
    """Ordered parameters and cross-parameter checks (each ``check(params)`` raises ``ParameterError``)."""

    params: dict[str, Param]
    checks: list[Callable[["Params"], None]] = field(default_factory=list)

    def __iter__(self):
        return iter(self.params)

    def __getitem__(self, name: str) -> Param:
        return self.params[name]

    def __len__(self) -> int:
        return len(self.params)

    def items(self):
        return self.params.items()

    def validate(self, values: Mapping[str, Any]) -> "Params":
        """Check every parameter (schema order), then the cross checks; ``Params`` of the checked values."""
        missing = [n for n in self.params if n not in values]
        if missing:
            raise ParameterError(f"parameter(s) {missing} missing from the parameters cell")
        checked = {n: p.check(n, values[n]) for n, p in self.params.items()}
        out = Params(checked, {n: values[n] for n in self.params})
        for check in self.checks:
            check(out)
        return out


class Params(SimpleNamespace):
    """The checked parameters as attributes (paths as ``Path``); ``as_dict()``: the values as given."""

    def __init__(self, checked: Mapping[str, Any], given: Mapping[str, Any]):
        super().__init__(**checked)
        object.__setattr__(self, "_given", dict(given))

    def as_dict(self) -> dict:
        return dict(self._given)


def load(namespace: Any, schema: Schema) -> Params:
    """Check a notebook's parameters (its ``globals()``) against ``schema``; see the module docstring."""
    validate.no_unknown(namespace)
    return schema.validate({n: namespace[n] for n in schema.params if n in namespace})


# ---------------------------------------------------------------------- notebook cell, README


def _segment(src: str, lines: list[str], node: ast.AST) -> str:
    """``ast.get_source_segment`` of a one-line node from the lines split once (that function splits the
    whole source again on every call: quadratic in a long cell); column offsets count UTF-8 bytes."""
    if node.lineno != node.end_lineno:
        return ast.get_source_segment(src, node)
    return lines[node.lineno - 1].encode()[node.col_offset:node.end_col_offset].decode()


def parameters_cell(nb_path: str | Path) -> list[tuple[str, str | None, Any, str]]:
    """[(name, annotation source or None, default, comment)] of a notebook's ``parameters`` cell."""
    nb = json.loads(Path(nb_path).read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and "parameters" in c.get("metadata", {}).get("tags", []))
    src = "".join(cell["source"])
    lines = src.splitlines()
    out = []
    for node in ast.parse(src).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, ann, value = node.target.id, _segment(src, lines, node.annotation), node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, ann, value = node.targets[0].id, None, node.value
        else:
            continue
        tail = lines[node.end_lineno - 1].encode()[node.end_col_offset:].decode()  # offsets count UTF-8 bytes
        comment = tail.split("#", 1)[1].strip() if "#" in tail else ""
        out.append((name, ann, ast.literal_eval(value), comment))
    return out


def schema_of(stem: str) -> Schema:
    """The schema of a notebook (``NOTEBOOK_SCHEMAS``)."""
    module, _, name = NOTEBOOK_SCHEMAS[stem].partition(":")
    return getattr(importlib.import_module(module), name or "SCHEMA")


def markdown_table(stem: str, nb_path: str | Path) -> str:
    """The README table of a notebook's parameters: name, default, valid values (schema), meaning (comment)."""
    schema = schema_of(stem)
    rows = ["| parameter | default | valid values | meaning |", "|---|---|---|---|"]
    for name, _ann, default, comment in parameters_cell(nb_path):
        valid = schema[name].describe() if name in schema.params else "(not in the schema)"
        shown = json.dumps(default) if isinstance(default, (list, dict)) else repr(default)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        cell = comment.replace("|", "\\|")
        rows.append(f"| `{name}` | `{shown}` | {valid.replace('|', chr(92) + '|')} | {cell} |")
    return "\n".join(rows)
