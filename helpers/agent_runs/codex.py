"""The six real Codex CLI rollouts of madshn/localpush (@219b5397, MIT), read for usage fields only.

``codex_localpush_files()`` gives their verified local paths; ``codex_localpush_ledger()`` reads them with
``helpers.agent_logs.read_logs`` (its privacy rules apply: only usage fields, ids, models, timestamps).
"""
from __future__ import annotations

from pathlib import Path

from .. import registry
from ..validate import DataError


def codex_localpush_files() -> list[Path]:
    """Verified local paths of the six Codex CLI rollouts (registry ``codex_localpush/sessions/*``)."""
    return [registry.local_path(n) for n in registry.names("codex_localpush/sessions/")]


def codex_localpush_ledger():
    """``agent_logs.read_logs`` over the six rollouts' folder: (ledger, stats). Only usage fields are read."""
    from .. import agent_logs

    files = codex_localpush_files()
    folders = {f.parent for f in files}
    if len(folders) != 1:  # pragma: no cover - the registry keeps them in one folder
        raise DataError(f"the Codex rollouts are expected in one folder, found {len(folders)}")
    return agent_logs.read_logs(folders.pop())
