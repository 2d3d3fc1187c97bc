"""The Makefile under concurrency, interrupts and dry runs (issue 17), on a copy of the repository of its
own (so these tests run beside tests/test_make.py's on another pytest-xdist worker). In file order: two
makes at once, a dry run (which finds the overview the first test built up to date), a killed make."""
import os
import subprocess
import time
from pathlib import Path

import pytest

from test_make import RAN, TARGET, make, repo_copy  # noqa: F401 (repo_copy: module-scoped, a copy per module)

pytestmark = pytest.mark.notebook


def _make_env(repo, **extra):
    return {**os.environ, "STUDY_REPORTS_DIR": str(repo / "reports"), **extra}


def _held(lock: Path) -> bool:
    """Whether another process holds ``lock`` (an exclusive flock)."""
    import fcntl

    if not lock.exists():
        return False
    with open(lock, "r+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def test_two_makes_at_once_wait_for_each_other(repo_copy):
    """The second make waits for the first (reports/.make.lock), and both end well."""
    make(repo_copy, "clean")
    args = ["make", "--no-print-directory", TARGET, "PARAMS=-p quick True"]
    first = subprocess.Popen(args, cwd=repo_copy, env=_make_env(repo_copy), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    lock = repo_copy / "reports" / ".make.lock"
    t0 = time.time()
    while not _held(lock) and time.time() - t0 < 60:  # the first make has read its Makefile and holds the lock
        time.sleep(0.1)
    second = subprocess.run(args, cwd=repo_copy, env=_make_env(repo_copy), capture_output=True, text=True)
    out1 = first.communicate()[0]
    assert first.returncode == 0, out1
    assert second.returncode == 0, second.stdout + second.stderr
    assert "another make" in second.stderr and "waiting" in second.stderr
    assert RAN in out1 and RAN not in second.stdout  # the first built it; the second found it up to date
    assert (repo_copy / TARGET).exists()
    # `make clean` just before: its lock's watcher left the first make's dependency file alone (it used to
    # delete it as a leftover temporary file), and the executed notebook is kept, not removed as intermediate
    assert (repo_copy / "reports" / "deps" / "notebooks.d").exists()
    assert (repo_copy / "reports" / "notebooks" / "00_overview.ipynb").exists()
    import fcntl

    with open(repo_copy / "reports" / ".make.lock", "r+") as f:  # someone else holds the lock
        fcntl.flock(f, fcntl.LOCK_EX)
        r = subprocess.run(["make", "--no-print-directory", TARGET], cwd=repo_copy,
                           env=_make_env(repo_copy, MAKE_LOCK_WAIT="0"), capture_output=True, text=True)
    assert r.returncode != 0 and "another make" in r.stderr and RAN not in r.stdout


def test_dry_run_changes_nothing_and_tells_the_truth(repo_copy):
    make(repo_copy, TARGET, "PARAMS=-p quick True")
    params = repo_copy / "reports" / "params" / "00_overview.params"
    before = {q: q.stat().st_mtime_ns for q in (repo_copy / "reports").rglob("*") if q.is_file()}
    out = make(repo_copy, "-n", TARGET, "PARAMS=-p quick True")
    assert "papermill" not in out  # up to date: a real run would do nothing either
    out = make(repo_copy, "-n", TARGET)  # other PARAMS: a real run would re-run it
    assert "papermill" in out
    assert params.read_text().strip() == "-p quick True"  # ... but the dry run wrote nothing
    after = {q: q.stat().st_mtime_ns for q in (repo_copy / "reports").rglob("*") if q.is_file()}
    assert after == before
    assert RAN not in make(repo_copy, TARGET, "PARAMS=-p quick True")


def test_a_killed_make_leaves_no_kernel_and_no_temporary_notebook(repo_copy):
    make(repo_copy, "clean")
    p = subprocess.Popen(["make", "--no-print-directory", "reports/html/01_search_scaling.html", "PARAMS=-p quick True"],
                         cwd=repo_copy, env=_make_env(repo_copy), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    tmp = repo_copy / "reports" / "notebooks" / "01_search_scaling.ipynb.tmp.ipynb"
    from helpers import makelock

    def kernel_started():
        procs = makelock.descendants(p.pid)
        cmds = [Path(f"/proc/{q}/cmdline").read_bytes() if Path(f"/proc/{q}/cmdline").exists() else b"" for q in procs]
        return procs if any(b"ipykernel" in c for c in cmds) else None

    t0 = time.time()
    while not (procs := kernel_started()) and time.time() - t0 < 180:
        time.sleep(1)
    assert procs, "papermill started no kernel"  # the kernel is one of make's descendants
    p.kill()  # SIGKILL: make cannot clean up after itself
    p.wait()

    def left():
        alive = [q for q, st in procs.items() if makelock._start_time(q) == st and makelock._alive(q)]
        return alive, tmp.exists()

    t0 = time.time()
    while left() != ([], False) and time.time() - t0 < 10:  # within 10 s (was a fixed 10 s wait)
        time.sleep(0.25)
    alive, tmp_left = left()
    assert not alive, alive  # papermill, its kernel and the recipe's shell stopped with make
    assert not tmp_left
    assert not list((repo_copy / "reports").rglob("*.tmp.ipynb"))


def test_the_watcher_cleans_only_the_tree_whose_lock_it_holds(tmp_path):
    """After its make ends, the lock's watcher removes leftovers only if the lock file it holds is still the one
    in reports/: `make clean` removes reports/, and the next make's temporaries are then not its to delete."""
    from helpers import makelock

    reports = tmp_path / "reports"
    reports.mkdir()
    fd = os.open(reports / makelock.LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        assert makelock.holds_the_lock_file(fd, reports)
        (reports / makelock.LOCK_NAME).unlink()  # make clean
        assert not makelock.holds_the_lock_file(fd, reports)
        (reports / makelock.LOCK_NAME).write_text("")  # the next make's lock file
        assert not makelock.holds_the_lock_file(fd, reports)
    finally:
        os.close(fd)
