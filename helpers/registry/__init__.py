"""Registry of external logged data: pinned URL, SHA-256, license, citation.

Every file is downloaded from ``https://raw.githubusercontent.com/OWNER/REPO/COMMIT/PATH``
by pooch (which verifies the SHA-256 on a temporary file and only then moves it
into place, so a mismatch leaves nothing behind) into
``data/external/OWNER/REPO/COMMIT/PATH``.

``DATA_MIRROR`` names a local folder laid out as ``OWNER/REPO/COMMIT/PATH``;
when set, files are copied from there instead of the network, with the same
hash check. A relative ``DATA_MIRROR`` is read against the repository root.

Command line (used by ``make data``)::

    python -m helpers.registry fetch [--manifest data/external/MANIFEST.json]
    python -m helpers.registry status

Modules
- ``entries``   what is registered: the repositories (commit, license, citation) and every file with its hash
- ``fetching``  getting a file here and verifying it: local copy, ``DATA_MIRROR`` or network, the manifest
- ``cli``       the command line above (``__main__`` runs it)
"""
from .cli import main
from .entries import REGISTRY, REPOS, DataFile, Repo, entry, names
from .fetching import (DataUnavailable, HashMismatch, available, clean_leftovers, fetch, fetch_all, how_to_get,
                       local_path, mirror_root, status)

__all__ = ["REGISTRY", "REPOS", "DataFile", "DataUnavailable", "HashMismatch", "Repo", "available",
           "clean_leftovers", "entry", "fetch", "fetch_all", "how_to_get", "local_path", "main", "mirror_root",
           "names", "status"]
