"""Parameter validation: every check raises ``ParameterError`` naming the parameter.

Notebooks call these in the cell right after the ``parameters`` cell, so a bad
value fails in milliseconds, before any long computation and before any output
is written.
"""
from __future__ import annotations

import math
import numbers
from pathlib import Path
from typing import Any, Iterable


class ParameterError(ValueError):
    """A parameter is out of range or of the wrong type; the message names it."""


class DataError(ValueError):
    """A data file is missing, malformed or has a bad row; the message names file and row."""


def _is_real(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def number(name: str, value: Any, lo: float | None = None, hi: float | None = None, *,
           lo_open: bool = False, hi_open: bool = False, integer: bool = False) -> float | int:
    """Check a finite number in [lo, hi] (or open ends); return it unchanged.

    >>> number("n_tasks", 10, 1, None, integer=True)
    10
    """
    kind = "an integer" if integer else "a number"
    if integer:
        ok_type = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    else:
        ok_type = _is_real(value)
    if not ok_type:
        raise ParameterError(f"parameter {name!r} must be {kind}, got {value!r} ({type(value).__name__})")
    if not math.isfinite(float(value)):
        raise ParameterError(f"parameter {name!r} must be finite, got {value!r}")
    lo_txt = "-inf" if lo is None else repr(lo)
    hi_txt = "inf" if hi is None else repr(hi)
    rng = f"{'(' if lo_open or lo is None else '['}{lo_txt}, {hi_txt}{')' if hi_open or hi is None else ']'}"
    if lo is not None and (value < lo or (lo_open and value == lo)):
        raise ParameterError(f"parameter {name!r} = {value!r} is outside its valid range {rng}")
    if hi is not None and (value > hi or (hi_open and value == hi)):
        raise ParameterError(f"parameter {name!r} = {value!r} is outside its valid range {rng}")
    return value


def integer(name: str, value: Any, lo: int | None = None, hi: int | None = None) -> int:
    return number(name, value, lo, hi, integer=True)


def probability(name: str, value: Any, *, open_low: bool = False, open_high: bool = False) -> float:
    """A probability in [0, 1] (ends optionally open)."""
    return number(name, value, 0.0, 1.0, lo_open=open_low, hi_open=open_high)


def positive(name: str, value: Any) -> float:
    return number(name, value, 0.0, None, lo_open=True)


def boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(f"parameter {name!r} must be True or False, got {value!r}")
    return value


def choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    allowed = list(allowed)
    if value not in allowed:
        raise ParameterError(f"parameter {name!r} = {value!r} is not one of {allowed}")
    return value


def seed(name: str, value: Any) -> int:
    return integer(name, value, 0, 2**63 - 1)


def sequence(name: str, value: Any, item_check=None, *, min_len: int = 1) -> list:
    """A list/tuple of at least ``min_len`` items, each passed to ``item_check(name[i], item)``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ParameterError(f"parameter {name!r} must be a list, got {value!r}")
    if len(value) < min_len:
        raise ParameterError(f"parameter {name!r} needs at least {min_len} item(s), got {len(value)}")
    if item_check is not None:
        for i, item in enumerate(value):
            item_check(f"{name}[{i}]", item)
    return list(value)


def strictly_increasing(name: str, seq: list) -> list:
    """``seq`` unchanged when each item is larger than the one before, else an error naming ``name``."""
    if any(b <= a for a, b in zip(seq, seq[1:])):
        raise ParameterError(f"parameter {name!r} must be strictly increasing, got {seq!r}")
    return seq


def increasing(name: str, value: Any) -> list:
    """A strictly increasing list of positive numbers (a budget grid)."""
    return strictly_increasing(name, sequence(name, value, positive))


# What each of the study's path parameters must point at (a kind given to ``optional_file`` wins).
PATH_KINDS = {"curves_path": "file", "runs_path": "file", "problems_path": "file", "scaling_path": "file",
              "logs_path": "file or folder", "results_dir": "folder"}


def optional_file(name: str, value: Any, kind: str | None = None) -> Path | None:
    """``None`` (use the study's default data) or a path that exists and is of the right ``kind``.

    ``kind`` is "file", "folder" or "file or folder" (default: ``PATH_KINDS[name]``, else either).
    An empty or blank string is an error naming the parameter (``None`` is the way to say "the
    study's data"), as is a folder where a file is expected and a file where a folder is expected.
    """
    from .paths import resolve_user_path

    if value is None:
        return None
    if not isinstance(value, (str, Path)):
        raise ParameterError(f"parameter {name!r} must be a path string or None, got {value!r}")
    if not str(value).strip():
        raise ParameterError(f"parameter {name!r} is an empty string: give a path, or None to use the study's data")
    kind = kind or PATH_KINDS.get(name, "file or folder")
    if kind not in ("file", "folder", "file or folder"):
        raise ValueError(f"kind must be 'file', 'folder' or 'file or folder', got {kind!r}")
    p = resolve_user_path(value)
    if not p.exists():
        raise ParameterError(f"parameter {name!r}: no such file or folder: {p}")
    if kind == "file" and p.is_dir():
        raise ParameterError(f"parameter {name!r}: {p} is a folder; give a file (a CSV) instead")
    if kind == "folder" and not p.is_dir():
        raise ParameterError(f"parameter {name!r}: {p} is a file; give a folder instead")
    if p.is_file():
        try:
            with open(p, "rb"):
                pass
        except OSError as exc:
            raise ParameterError(f"parameter {name!r}: cannot read {p}: {exc.strerror}") from None
        from .bigfiles import check_size

        check_size(name, p)  # a file above the supported size is refused now, saying how to subsample it
    return p


def _assigned_names(source: str) -> list[str]:
    """Names assigned at the top level of a cell (``x = 1`` and ``x: int = 1``), in order."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    out = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        out += [t.id for t in targets if isinstance(t, ast.Name)]
    return out


def unknown_parameters(defaults_source: str, injected_source: str) -> list[tuple[str, str | None]]:
    """[(given name, closest valid name or None)] for names papermill injected that the parameters cell lacks."""
    import difflib

    valid = _assigned_names(defaults_source)
    return [(n, (difflib.get_close_matches(n, valid, n=1, cutoff=0.6) or [None])[0])
            for n in _assigned_names(injected_source) if n not in valid]


def no_unknown(namespace: Any) -> None:
    """Raise ``ParameterError`` when a parameter given to the notebook is not one of its parameters.

    papermill adds the parameters it is given as a cell whose source starts with ``# Parameters``,
    right after the cell tagged ``parameters``; a misspelled name (``-p sede 7``) would otherwise
    just define an unused variable and the run would use the default. The kernel's input history
    (IPython's ``In``, found in ``namespace``, the notebook's ``globals()``) holds both cells, so
    the check needs no notebook path. Without an injected cell (a run with no parameters, a
    JupyterLab session) there is nothing to check.
    """
    history = list(namespace.get("In") or []) if hasattr(namespace, "get") else []
    for i in range(len(history) - 1, 0, -1):
        if history[i].lstrip().startswith("# Parameters"):
            defaults, injected = history[i - 1], history[i]
            break
    else:
        return
    if "quick" not in _assigned_names(defaults):  # not the parameters cell (every notebook has `quick`)
        return
    bad = unknown_parameters(defaults, injected)
    if bad:
        name, close = bad[0]
        hint = f"; did you mean {close!r}?" if close else "; the notebook's first cell lists its parameters"
        more = f" (also unknown: {', '.join(repr(n) for n, _ in bad[1:])})" if len(bad) > 1 else ""
        raise ParameterError(f"unknown parameter {name!r}{hint}{more}")
