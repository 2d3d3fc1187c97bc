"""Getting a registered file here and verifying it: the local copy, ``DATA_MIRROR`` or the network.

A file is usable only when its bytes match the pinned SHA-256. ``fetch`` returns the verified local path,
fetching it when needed (pooch checks the hash on a temporary file, so a mismatch leaves nothing behind);
after one network failure a process does not retry the network for every file. ``fetch_all`` tries every
file, reports each, and writes ``data/external/MANIFEST.json`` only when the set of available files changes
(so ``make`` re-runs notebooks only then).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from .. import paths
from ..results import atomic_write_text, file_sha256
from . import entries
from .entries import DataFile, entry, names


class DataUnavailable(FileNotFoundError):
    """A logged file is not on this machine and could not be fetched."""


class HashMismatch(ValueError):
    """A file's SHA-256 differs from the pinned one."""



def mirror_root() -> Path | None:
    m = os.environ.get("DATA_MIRROR", "").strip()
    if not m:
        return None
    p = Path(os.path.expanduser(m))
    return p if p.is_absolute() else (paths.ROOT / p).resolve()


def how_to_get(name: str) -> str:
    e = entry(name)
    return (f"logged file {name!r} ({e.relpath}) is not available on this machine. Get it with `make data` "
            f"(needs internet access to {e.url}), or set DATA_MIRROR to a folder laid out as "
            f"OWNER/REPO/COMMIT/PATH that holds it, then run `make data` again.")


def _mirror_downloader(mirror: Path, e: DataFile):
    def download(url, output_file, pooch_obj):  # pooch's downloader protocol
        src = mirror / e.relpath
        if not src.is_file():
            raise DataUnavailable(f"DATA_MIRROR={mirror} has no file {e.relpath}")
        shutil.copyfile(src, output_file)
    return download


_NETWORK_FAILED = False  # after one network failure in this process, do not retry for every file


def _readable(p: Path) -> None:
    """Data files are ordinary readable files (0644 under the usual umask), not pooch's temporary 0600."""
    umask = os.umask(0)
    os.umask(umask)
    want = 0o666 & ~umask
    if p.stat().st_mode & 0o777 != want:
        os.chmod(p, want)


def _is_pooch_temp(p: Path) -> bool:
    """A temporary download of pooch (``tempfile.NamedTemporaryFile``: ``tmp`` + 8 characters, no suffix)."""
    import re

    return p.is_file() and re.fullmatch(r"tmp[a-z0-9_]{8}", p.name) is not None


def clean_leftovers() -> list[Path]:
    """Remove the temporary files a killed fetch left next to the registered files; return them.

    Only files named like pooch's temporaries, in the folders of registered files, that are not
    themselves registered files are removed (``make`` runs one fetch at a time: reports/.make.lock).
    """
    registered = {e.local for e in entries.REGISTRY.values()}
    removed = []
    for folder in sorted({e.local.parent for e in entries.REGISTRY.values()}):
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p not in registered and _is_pooch_temp(p):
                p.unlink(missing_ok=True)
                removed.append(p)
    return removed


def fetch(name: str, *, network: bool = True) -> Path:
    """Return the verified local path of ``name``, fetching it (mirror or network) if needed.

    Raises ``HashMismatch`` naming the file when the fetched bytes do not match the
    pinned SHA-256 (nothing is left behind), and ``DataUnavailable`` with
    instructions when the file cannot be had.
    """
    global _NETWORK_FAILED
    import warnings

    e = entry(name)
    if e.local.is_file() and file_sha256(e.local) == e.sha256:  # verified local copy: pooch is not needed
        _readable(e.local)
        return e.local

    with warnings.catch_warnings():  # pooch's optional tqdm import warns about ipywidgets in notebooks
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch  # imported only to fetch: it and requests cost a notebook about 40 ms to import

    pooch.get_logger().setLevel("WARNING")  # its 'Downloading from URL' line is wrong for the mirror
    mirror = mirror_root()
    if mirror is None and (not network or _NETWORK_FAILED):
        raise DataUnavailable(how_to_get(name))
    downloader = _mirror_downloader(mirror, e) if mirror else pooch.HTTPDownloader(timeout=30)
    try:
        out = pooch.retrieve(e.url, known_hash=f"sha256:{e.sha256}", fname=e.local.name,
                             path=e.local.parent, downloader=downloader, progressbar=False)
    except DataUnavailable as exc:
        raise DataUnavailable(f"{exc}. {how_to_get(name)}") from None
    except ValueError as exc:
        if "hash" in str(exc).lower() or "sha256" in str(exc).lower():
            raise HashMismatch(f"SHA-256 mismatch for logged file {name!r} ({e.relpath}): expected {e.sha256}; "
                               f"the fetched copy was discarded. Upstream said: {exc}") from None
        raise
    except Exception as exc:  # network errors: requests.ConnectionError, timeouts, ...
        if mirror is None:
            _NETWORK_FAILED = True
        raise DataUnavailable(f"{how_to_get(name)} (download failed: {type(exc).__name__})") from None
    _readable(Path(out))
    return Path(out)


def available(name: str) -> bool:
    """True when ``name`` is on this machine with the pinned hash (never fetches)."""
    e = entry(name)
    return e.local.is_file() and file_sha256(e.local) == e.sha256


def local_path(name: str) -> Path:
    """The verified path of ``name``: use the local copy, else try the mirror/network once."""
    return fetch(name)


def status():
    """A frame with one row per registered file: name, repo, license, available."""
    import pandas as pd

    rows = [{"name": e.name, "repository": e.repo.owner_repo, "commit": e.repo.commit[:8],
             "license": e.license, "available": available(e.name), "sha256": e.sha256}
            for e in entries.REGISTRY.values()]
    return pd.DataFrame(rows)


def fetch_all(manifest: Path | None = None) -> int:
    """Fetch every file; print a status line per file; write the manifest if asked.

    Every file is tried, whatever happened to the ones before: leftovers of a killed fetch are removed
    first, then each file is fetched and verified. Returns the number of files still missing; when any
    file's hash did not match, raises ``HashMismatch`` naming every such file (after the manifest is
    written: mismatched files count as missing there).
    """
    for p in clean_leftovers():
        print(f"  removed  {p.relative_to(paths.data_external()) if p.is_relative_to(paths.data_external()) else p}"
              f" (temporary file of an interrupted fetch)")
    missing, mismatched = [], []
    for n in names():
        try:
            fetch(n)
            print(f"  ok       {n}")
        except DataUnavailable:
            missing.append(n)
            print(f"  MISSING  {n}")
        except HashMismatch as exc:
            missing.append(n)
            mismatched.append(str(exc))
            print(f"  MISMATCH {n}")
    if missing:
        print(f"\n{len(missing)} of {len(entries.REGISTRY)} logged files are not available. "
              f"Without network access set DATA_MIRROR (see README, 'Data'); the notebooks "
              f"will say which sections could not run.", file=sys.stderr)
    if manifest is not None:
        doc = {n: (entries.REGISTRY[n].sha256 if n not in missing else None) for n in names()}
        text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
        # rewrite only when availability changed, so notebooks re-run only then
        # (make's stamp rule is separate: see the Makefile's 'data' section)
        if not (manifest.exists() and manifest.read_text() == text):
            atomic_write_text(manifest, text)
    if mismatched:
        raise HashMismatch(f"{len(mismatched)} file(s) did not match their pinned SHA-256:\n  " + "\n  ".join(mismatched))
    return len(missing)
