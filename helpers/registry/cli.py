"""The command line of the registry: ``python -m helpers.registry fetch|status`` (``make data``).

``fetch`` gets and verifies every file (``--manifest`` writes the manifest; ``--strict`` exits 1 when
``DATA_MIRROR`` is not a folder or a file is missing); ``status`` lists the files and whether they are here.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .entries import entry, names
from .fetching import HashMismatch, available, fetch_all, mirror_root, status


def main(argv: list[str] | None = None) -> int:
    from .. import registry as _pkg

    ap = argparse.ArgumentParser(prog="python -m helpers.registry", description=_pkg.__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="fetch and verify every registered file")
    f.add_argument("--manifest", type=Path, default=None)
    f.add_argument("--strict", action="store_true",
                   help="exit 1 when DATA_MIRROR is not a folder or any file is missing (`make data`)")
    sub.add_parser("status", help="list registered files and whether they are here")
    args = ap.parse_args(argv)
    if args.cmd == "fetch":
        mirror = mirror_root()
        if mirror is not None and not mirror.is_dir():
            print(f"error: DATA_MIRROR={mirror} is not a folder (expected OWNER/REPO/COMMIT/PATH below it)",
                  file=sys.stderr)
            if args.strict:
                return 1
        try:
            missing = fetch_all(args.manifest)
        except HashMismatch as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.strict and missing:
            absent = [n for n in names() if not available(n)]
            print("error: missing logged files: " + ", ".join(f"{n} ({entry(n).relpath})" for n in absent),
                  file=sys.stderr)
            return 1
        return 0
    print(status().drop(columns="sha256").to_string(index=False))
    return 0
