"""Frames built from pinned files, kept on disk between processes so that each notebook need not rebuild them.

Model: a frame that is a pure function of some registry files (each verified against its pinned SHA-256 when
it is fetched), of the code that builds it and of the library versions is written once, as a pickle named
by a hash of all of those, into ``paths.data_external()/derived`` (with the downloaded data: never
committed; ``make distclean`` removes it). Any change to an input gives another name, so a kept frame is
never stale; writing one removes the frames of the same stem under other names (never read again) and
the temporary files of writes cut short. A missing, damaged or unexpected file reads as absent: the caller
builds the frame and writes it again. Writes are atomic (a temporary file, then ``os.replace``), so
concurrent notebooks (``make -j2``) at worst both build it. Used by ``agent_runs.mcpmark_runs`` (128 JSON files: 0.13 s to parse, 0.02 s to read back).
"""
from __future__ import annotations

import hashlib
import io
import platform
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..results import atomic_write_bytes


def path_for(stem: str, sha256s: dict[str, str], code: list[Path]) -> Path:
    """``<data>/derived/<stem>-<hash>.pkl``: the hash of the files' names and pinned SHA-256s, the source of
    the ``code`` files, and the pandas, numpy and Python versions (the pickle's format)."""
    h = hashlib.sha256()
    for name in sorted(sha256s):
        h.update(f"{name}={sha256s[name]};".encode())
    for f in code:
        h.update(Path(f).read_bytes())
    h.update(f"pandas {pd.__version__} numpy {np.__version__} python {platform.python_version()}".encode())
    return paths.data_external() / "derived" / f"{stem}-{h.hexdigest()[:20]}.pkl"


def read(path: Path, columns: list[str]) -> pd.DataFrame | None:
    """The frame kept at ``path``, or None when there is none or it is damaged or not a frame of ``columns``."""
    if not path.is_file():
        return None
    try:
        df = pd.read_pickle(path)
    except Exception:  # a truncated or unreadable copy: the caller builds the frame again and replaces it
        return None
    return df if isinstance(df, pd.DataFrame) and list(df.columns) == list(columns) else None


def write(df: pd.DataFrame, path: Path) -> None:
    """Keep ``df`` at ``path`` (``results.atomic_write_bytes``) and remove the same stem's other frames and
    the temporary files of its writes cut short; a folder that cannot be written to only means the next
    process builds the frame again."""
    buf = io.BytesIO()
    df.to_pickle(buf)
    try:
        atomic_write_bytes(path, buf.getvalue())
    except OSError:
        return
    stem = path.name.rsplit("-", 1)[0]
    for other in [*path.parent.glob(f"{stem}-*.pkl"), *path.parent.glob(f".{stem}-*.tmp")]:
        if other != path:
            try:
                other.unlink(missing_ok=True)
            except OSError:  # another user's file: left as it is
                pass
