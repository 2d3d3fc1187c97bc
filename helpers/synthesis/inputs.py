"""The synthesis' inputs: the claim notebooks' results files, read only when fresh.

A results file is *stale* when it is missing, older than its notebook or any helpers module that notebook
imports (``helpers.deps``), or written in quick mode; ``load_results`` reads the fresh ones and lists the
stale ones with their reason (quick-mode files can be allowed).
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import deps, paths


CLAIM_STEMS = {
    "search_scaling": "01_search_scaling",
    "token_variance": "02_token_variance",
    "adaptive_allocation": "03_adaptive_allocation",
    "reasoning_ceiling": "04_reasoning_ceiling",
    "cache_economics": "05_cache_economics",
}


def staleness(results_dir: Path | None = None) -> dict[str, str | None]:
    """{stem: reason or None} for every claim notebook; reasons: missing, older than X, quick mode."""
    results_dir = Path(results_dir or paths.study_results_dir())
    out: dict[str, str | None] = {}
    for stem in CLAIM_STEMS.values():
        f = results_dir / f"{stem}.json"
        nb = paths.NOTEBOOKS / f"{stem}.ipynb"
        if not nb.exists():
            out[stem] = "notebook not written yet"
            continue
        if not f.exists():
            out[stem] = "results file missing (run `make all`)"
            continue
        t = f.stat().st_mtime
        newer = [p for p in deps.notebook_inputs(stem) if p.exists() and p.stat().st_mtime > t]
        if newer:
            out[stem] = "older than " + ", ".join(str(p.relative_to(paths.ROOT)) for p in newer)
            continue
        doc = json.loads(f.read_text(encoding="utf-8"))
        out[stem] = "written in quick mode" if doc.get("parameters", {}).get("quick") else None
    return out


def load_results(results_dir: Path | None = None, *, allow_quick: bool = False) -> tuple[dict, list[dict]]:
    """Fresh claim results {claim: doc} and the list of stale files [{file, reason}]."""
    results_dir = Path(results_dir or paths.study_results_dir())
    fresh, stale = {}, []
    reasons = staleness(results_dir)
    for claim, stem in CLAIM_STEMS.items():
        reason = reasons[stem]
        if reason == "written in quick mode" and allow_quick:
            reason = None
        if reason is None:
            fresh[claim] = json.loads((results_dir / f"{stem}.json").read_text(encoding="utf-8"))
        else:
            stale.append({"file": f"{stem}.json", "reason": reason})
    return fresh, stale
