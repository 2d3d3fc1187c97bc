"""Reading a JSON source file: a missing file or bad JSON is a ``DataError`` naming the file."""
from __future__ import annotations

import json
from pathlib import Path

from ..validate import DataError


def load_json(p: Path):
    try:
        return json.loads(Path(p).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: not valid JSON ({exc})") from None
