"""The published tables in ``data/published/``, and the headline figures behind each claim.

Tables are read as they are (citation columns intact); in the headline figures a citation given as
"same" is resolved to the one above it.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..validate import DataError
from .checks import read_csv, require_columns


def published_path(name: str) -> Path:
    p = paths.DATA_PUBLISHED / (name if name.endswith(".csv") else f"{name}.csv")
    if not p.is_file():
        raise DataError(f"{p}: published table not found (known: "
                        f"{sorted(x.stem for x in paths.DATA_PUBLISHED.glob('*.csv'))})")
    return p


def published(name: str) -> pd.DataFrame:
    """A table from ``data/published/`` as is (citation columns intact)."""
    return read_csv(published_path(name))


def headline_figures() -> pd.DataFrame:
    """Headline numbers behind each claim.

    Columns: source_id, claim, quantity, value (str, as published: a number, several separated by ';',
    or empty for qualitative statements), value_numeric (float64; NaN unless value is one number),
    unit, scope, citation (a 'same' resolved to the citation above it), how_obtained.
    """
    p = published_path("headline_figures")
    df = read_csv(p, dtype={"value": str}, keep_default_na=False)
    require_columns(df, ["source_id", "claim", "quantity", "value", "unit", "scope", "citation"], p)
    df["value_numeric"] = pd.to_numeric(df["value"].where(df["value"].str.strip() != ""), errors="coerce")
    # the file says 'same' for a citation repeated from the row above: resolve it
    cit = df["citation"].where(~df["citation"].str.strip().str.lower().isin(["same", "same as above"]))
    df["citation"] = cit.groupby(df["source_id"]).ffill().fillna(df["citation"])
    return df
