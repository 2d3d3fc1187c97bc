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


def increasing(name: str, value: Any) -> list:
    """A strictly increasing list of positive numbers (a budget grid)."""
    seq = sequence(name, value, positive)
    if any(b <= a for a, b in zip(seq, seq[1:])):
        raise ParameterError(f"parameter {name!r} must be strictly increasing, got {seq!r}")
    return seq


def optional_file(name: str, value: Any) -> Path | None:
    """``None``/"" (use the study's default data) or a path that exists (file or folder)."""
    from .paths import resolve_user_path

    if value is None or value == "":
        return None
    if not isinstance(value, (str, Path)):
        raise ParameterError(f"parameter {name!r} must be a path string or None, got {value!r}")
    p = resolve_user_path(value)
    if not p.exists():
        raise ParameterError(f"parameter {name!r}: no such file or folder: {p}")
    return p
