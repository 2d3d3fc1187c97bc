"""One notebook run for ``make``, told as it happens.

``python -m helpers.pipeline run STEM OUT.ipynb -- papermill ARGS...`` runs papermill (the command
after ``--``, which writes ``OUT.ipynb.tmp.ipynb``) and

- prints ``[4/8] 03_adaptive_allocation ...`` when it starts and ``[4/8] 03_adaptive_allocation 35 s``
  when it ends (position and count among ``notebooks/NN_*.ipynb``);
- shows papermill's progress bar only when stderr is a terminal (adds ``--no-progress-bar`` otherwise);
- drops the kernel's "running over TCP without encryption" warning (the kernel listens on
  127.0.0.1 only) and its "KeyboardInterrupt caught in kernel" (jupyter_client interrupts a kernel before
  shutting it down, even after a successful run), and passes every other byte of stderr through as it comes;
- on success moves the temporary notebook to ``OUT.ipynb``; on failure keeps it as
  ``reports/failed/<stem>.ipynb`` (not a make target, so make never deletes it), names it in the
  error, and exits with papermill's code.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from . import paths

# the kernel's TCP warning, and the line ipykernel logs when jupyter_client interrupts it before every
# shutdown (also after a run that succeeded): neither is news to a reader of make's output
NOISE = (b"Kernel is running over TCP without encryption", b"KeyboardInterrupt caught in kernel")


def position(stem: str) -> tuple[int, int]:
    stems = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return (stems.index(stem) + 1 if stem in stems else 0), len(stems)


def _relay(src, dst) -> None:
    """Copy ``src`` to ``dst`` as it arrives (progress bars redraw with \\r), minus the noise lines."""
    pending = b""
    while True:
        chunk = os.read(src.fileno(), 4096)
        if not chunk:
            break
        pending += chunk
        # emit everything up to the last line break or carriage return; keep a partial line back
        cut = max(pending.rfind(b"\n"), pending.rfind(b"\r"))
        if cut < 0 and len(pending) < 65536:
            continue
        head, pending = (pending[:cut + 1], pending[cut + 1:]) if cut >= 0 else (pending, b"")
        lines = head.splitlines(keepends=True)
        dst.write(b"".join(line for line in lines if not any(n in line for n in NOISE)))
        dst.flush()
    if pending and not any(n in pending for n in NOISE):
        dst.write(pending)
        dst.flush()


def run(stem: str, out: Path, cmd: list[str]) -> int:
    i, n = position(stem)
    tag = f"[{i}/{n}] {stem}"
    tmp = Path(f"{out}.tmp.ipynb")
    if not sys.stderr.isatty() and "--no-progress-bar" not in cmd:
        cmd = [*cmd, "--no-progress-bar"]
    print(f"{tag} ...", flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    _relay(proc.stderr, sys.stderr.buffer)
    rc = proc.wait()
    secs = time.monotonic() - t0
    if rc == 0 and tmp.exists():
        tmp.replace(out)
        print(f"{tag} {secs:.0f} s", flush=True)
        return 0
    failed = paths.study_reports_dir() / "failed" / f"{stem}.ipynb"
    if tmp.exists():
        failed.parent.mkdir(parents=True, exist_ok=True)
        tmp.replace(failed)
        where = f"the executed notebook, stopped at the failing cell, is kept in {_show(failed)}"
    else:
        where = "papermill wrote no notebook (it failed before the first cell)"
    print(f"{tag} FAILED after {secs:.0f} s: {where}", file=sys.stderr, flush=True)
    return rc or 1


def _show(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 5 or argv[0] != "run" or argv[3] != "--":
        print("usage: python -m helpers.pipeline run STEM OUT.ipynb -- papermill ARGS...", file=sys.stderr)
        return 2
    return run(argv[1], Path(argv[2]), argv[4:])


if __name__ == "__main__":
    raise SystemExit(main())
