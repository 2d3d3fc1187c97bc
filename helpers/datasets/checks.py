"""Reading and validating a table: a bad file or cell is a ``DataError`` naming the file, the row and the column.

The study's CSV conventions (``read_csv``): a missing, unparsable or empty file is an error, spaces after
commas are ignored, column names are stripped; rows are named by their CSV line (header = line 1) unless a
loader passes its own ``row_label``. ``to_numeric`` accepts only finite numbers below 2^63 in magnitude;
``check_rows`` stops at the first row failing a vectorized check and says how many fail in all. Every
loader, and every notebook reading a user's CSV, goes through these.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from ..validate import DataError


def _line(i: int) -> int:
    """CSV line number of data row i (header is line 1)."""
    return int(i) + 2


def require_columns(df: pd.DataFrame, cols: Iterable[str], file: Path | str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"{file}: missing required column(s) {missing}; found {list(df.columns)}")


def _plain(v):
    """A cell value for an error message: numpy scalars as plain python (1.7, not np.float64(1.7))."""
    if hasattr(v, "item"):
        try:
            v = v.item()
        except (ValueError, TypeError):  # pragma: no cover
            pass
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def check_rows(df: pd.DataFrame, file: Path | str, checks: list[tuple[str, Callable, str]],
               row_label: Callable[[int], str] | None = None) -> None:
    """Raise ``DataError`` at the first row failing any check.

    ``checks``: (column, vectorized predicate returning a boolean mask of GOOD rows, description).
    ``row_label(i)`` turns a positional index into 'line N' text (default: CSV line).
    """
    label = row_label or (lambda i: f"line {_line(i)}")
    for col, pred, desc in checks:
        with np.errstate(invalid="ignore"):
            ok = np.asarray(pred(df[col]), dtype=bool)
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise DataError(f"{file}, {label(i)}: column {col!r} = {_plain(df[col].iloc[i])!r} {desc} "
                            f"({int((~ok).sum())} bad row(s) in all)")


INT64_MAX = 2**63 - 1
NUMBER_LIMIT = 2.0**63  # beyond this a count would wrap in int64; no quantity of the study comes near it


def to_numeric(df: pd.DataFrame, cols: Iterable[str], file: Path | str,
               row_label: Callable[[int], str] | None = None) -> pd.DataFrame:
    """Coerce columns to finite numbers, naming the file, line and column of the first cell that is not one.

    Rejected: blank cells, ``nan``/``NA`` spelled out, ``inf``/``-inf`` (and numbers that overflow to it,
    such as ``1e400``), text, and magnitudes of 2^63 or more (they would wrap to negative as int64 counts).
    Columns come back as float64.
    """
    label = row_label or (lambda i: f"line {_line(i)}")
    out = df.copy()
    for c in cols:
        raw = out[c]
        conv = pd.to_numeric(raw, errors="coerce")
        if conv.dtype == object:  # pragma: no cover - mixed huge ints
            conv = conv.astype(float)
        conv = conv.astype("float64")
        with np.errstate(invalid="ignore"):
            blank = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
            text = conv.isna().to_numpy() & ~blank
            inf = np.isinf(conv.to_numpy())
            big = ~inf & (np.abs(conv.to_numpy()) >= NUMBER_LIMIT)
        for mask, what in ((blank, "is blank (or nan): a number is needed"), (text, None),
                           (inf, "is infinite: a finite number is needed"),
                           (big, "is beyond the supported range (magnitude below 2^63)")):
            if mask.any():
                i = int(np.flatnonzero(mask)[0])
                what = what or f"= {_plain(raw.iloc[i])!r} is not a number"
                raise DataError(f"{file}, {label(i)}: column {c!r} {what} "
                                f"({int(mask.sum())} such row(s) in all)")
        out[c] = conv
    return out


def to_bool(series: pd.Series, file, col: str, row_label=None) -> pd.Series:
    label = row_label or (lambda i: f"line {_line(i)}")
    mapping = {True: True, False: False, "True": True, "False": False, "true": True, "false": False,
               1: True, 0: False, "1": True, "0": False, 1.0: True, 0.0: False}
    out = series.map(lambda v: mapping.get(v, None))
    if out.isna().any():
        i = int(np.flatnonzero(out.isna().to_numpy())[0])
        raise DataError(f"{file}, {label(i)}: column {col!r} = {_plain(series.iloc[i])!r} is not a boolean")
    return out.astype(bool)


def read_csv(path: Path | str, **kw) -> pd.DataFrame:
    """``pandas.read_csv`` with the study's conventions: a missing, unparsable or empty file is a
    ``DataError``; spaces after the commas are ignored and column names are stripped of surrounding
    spaces (``a, b, c`` is the header ``a,b,c``), so every reader accepts the formats as the README
    writes them."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    kw.setdefault("skipinitialspace", True)
    try:
        df = pd.read_csv(path, **kw)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.columns.duplicated().any():
        raise DataError(f"{path}: repeated column name(s) {sorted(set(df.columns[df.columns.duplicated()]))}")
    if df.empty:
        raise DataError(f"{path}: has no data rows")
    return df


def _nonneg(s):
    return s >= 0


def _pos(s):
    return s > 0


def _unit(s):
    return (s >= 0) & (s <= 1)
