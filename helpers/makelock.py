"""One ``make`` at a time in a tree, and nothing left behind when it is killed.

The Makefile calls ``python -m helpers.makelock MAKE_PID`` once, while it reads itself (before any
recipe runs). This takes an exclusive ``flock`` on ``reports/.make.lock``; when another ``make`` holds
it, it says so on stderr and waits (``MAKE_LOCK_WAIT`` seconds, default: for ever; 0: give up at once
with exit status 1 and the Makefile stops with a clear message). Once it has the lock it:

1. removes leftovers of a killed run: ``reports/notebooks/*.tmp.ipynb``, ``reports/html/.tmp-*``,
   ``reports/**/*.tmp`` (no other make can be writing them: we hold the lock);
2. forks a small watcher that keeps the lock for as long as ``make`` (``MAKE_PID``) lives. The watcher
   notes make's descendants (papermill, its kernel, nbconvert) every ``POLL`` seconds; when make dies
   (Ctrl-C, ``kill``, ``kill -9``) it stops those still running (SIGTERM, then SIGKILL), removes the
   temporary files again and releases the lock. A make that ends normally leaves nothing to stop.

Linux only for the process bookkeeping (``/proc``); elsewhere the lock still works.
Only the Python standard library is used: the Makefile calls it with the system Python, before the
environment exists.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import sys
import time
from pathlib import Path

POLL = 0.2
LOCK_NAME = ".make.lock"


def leftovers(reports: Path) -> list[Path]:
    """Temporary files a killed make may have left under ``reports``."""
    if not reports.is_dir():
        return []
    out = list(reports.glob("notebooks/*.tmp.ipynb")) + list(reports.glob("html/.tmp-*"))
    out += [p for p in reports.rglob("*.tmp") if p.is_file()]
    return out


def clean(reports: Path) -> int:
    n = 0
    for p in leftovers(reports):
        try:
            shutil.rmtree(p) if p.is_dir() else p.unlink()
            n += 1
        except FileNotFoundError:
            pass
    return n


def _start_time(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def descendants(root: int) -> dict[int, str]:
    """{pid: start time} of every live descendant of ``root`` (Linux /proc; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int(d.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d.name))
    out, todo = {}, [root]
    while todo:
        for c in children.get(todo.pop(), []):
            st = _start_time(c)
            if st is not None and c not in out:
                out[c] = st
                todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    st = Path(f"/proc/{pid}/stat")
    if st.exists():
        try:
            return st.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False
    return True


def _stop(procs: dict[int, str]) -> None:
    """SIGTERM, then SIGKILL after 3 s, every process of ``procs`` that is still the same process."""
    live = lambda: {p: s for p, s in procs.items() if _start_time(p) == s}  # noqa: E731 (pid reuse guard)
    for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 0.0)):
        todo = live()
        for p in todo:
            try:
                os.kill(p, sig)
            except OSError:
                pass
        t = time.monotonic() + wait
        while wait and live() and time.monotonic() < t:
            time.sleep(0.1)


def watch(make_pid: int, fd: int, reports: Path) -> None:
    """Hold the lock (``fd``) while make lives; then stop what it left running and clean up."""
    seen: dict[int, str] = {}
    log = os.environ.get("MAKELOCK_LOG")  # debugging: where the watcher says what it saw and stopped
    while _alive(make_pid):
        seen.update(descendants(make_pid))
        time.sleep(POLL)
    seen.pop(os.getpid(), None)  # the watcher itself was make's descendant until its parent exited
    ours = holds_the_lock_file(fd, reports)
    if log:
        with open(log, "a") as f:
            print(f"make {make_pid} ended; stopping {sorted(seen)}; cleaning: {ours}", file=f)
    _stop(seen)
    if ours:  # else the tree was removed under us (`make clean`): its temporaries are another make's now
        clean(reports)
    os.close(fd)


def holds_the_lock_file(fd: int, reports: Path) -> bool:
    """Whether ``fd`` is still the file at ``reports/.make.lock``. `make clean` removes reports/, lock and
    all, while its own make holds the lock; the next make then locks a new file at once, and a watcher
    that cleaned up after the first would delete that make's temporary files (its dependency file)."""
    try:
        a, b = os.fstat(fd), os.stat(reports / LOCK_NAME)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def acquire(make_pid: int, root: Path, wait: float | None) -> int:
    reports = root / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    fd = os.open(reports / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        other = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
        if other == str(make_pid):  # make re-executed itself (after remaking an included makefile): ours already
            os.close(fd)
            return 0
        if wait == 0:
            print(f"make: another make (pid {other}) is running in this tree; not starting a second one "
                  f"(wait for it, or set MAKE_LOCK_WAIT=seconds to queue behind it)", file=sys.stderr)
            return 1
        print(f"make: another make (pid {other}) is running in this tree; waiting for it to finish "
              f"(reports/{LOCK_NAME})", file=sys.stderr)
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() > deadline:
                    print(f"make: gave up after {wait:g} s waiting for make pid {other}", file=sys.stderr)
                    return 1
                time.sleep(POLL)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{make_pid}\n".encode(), 0)
    clean(reports)
    if os.fork() == 0:  # the watcher: detach so make's $(shell) returns at once
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(devnull, i)
        try:
            watch(make_pid, fd, reports)
        finally:
            os._exit(0)
    os.close(fd)  # the watcher keeps its copy of the descriptor, hence the lock
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m helpers.makelock MAKE_PID", file=sys.stderr)
        return 2
    w = os.environ.get("MAKE_LOCK_WAIT", "").strip()
    wait = float(w) if w else None
    return acquire(int(argv[0]), Path(__file__).resolve().parent.parent, wait)


if __name__ == "__main__":
    raise SystemExit(main())
