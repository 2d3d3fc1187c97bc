"""The study's benchmark (``make bench``): how long each piece takes, side by side in one run, against a floor.

Model: a notebook run costs a fixed overhead (papermill, a kernel start, the imports of numpy, pandas,
matplotlib, seaborn, scipy, statsmodels and ``helpers``, one figure saved and shown) plus its own work. The
*floor notebook* (``floor_notebook()``, built here, never committed) is that overhead alone, so a notebook's
time over the floor's, measured in the same run on the same machine, says how much work it adds whatever
the machine's load. The bench times, in one process, one after the other:

- ``floor``: the floor notebook;
- ``notebooks``: each ``notebooks/NN_*.ipynb`` in quick mode and (unless ``--quick-only``) in full mode,
  each after a floor run of its own (``paired_floor``), which its ratios are over: a shared machine's speed
  drifts within one bench (the same floor took 5.5 to 7.8 s in one afternoon here), and a ratio over a floor
  measured minutes earlier would carry that drift. Quick mode runs ``--rounds`` times (default 3), each
  round a floor run then the notebook; the entry is the round with the median ratio, and
  ``round_ratios`` lists every round's (one pair's ratio moved by 0.1 from one bench to the next here);
  full mode runs once, over the median round's floor;
- ``make``: ``make -j2 all`` from a clean ``reports/`` in a temporary copy of the repository (the real
  ``reports/`` is untouched), then a no-op ``make all`` there;
- ``sweep``: the default quick sweep grids of 05 and 07 run one after another, then on a 2-worker Dask
  ``LocalCluster`` (``parallel_over_serial``; the cluster's start on its own), one run inside the sweep
  against the same run alone, and the machine's own ceiling (``machine_ceiling``: two CPU-bound processes
  at once against one alone, the best ``parallel_over_serial`` two cores allow);
- ``hot_paths``: every allocation policy at 10,000 problems x mean budget 1,024 samples
  (``allocation.run_policies``), and reading 100,000 Claude Code log lines (``agent_logs.read_logs``).

Each entry holds ``wall_s`` (elapsed), ``cpu_s`` (user + system of this process and the processes it
waited for: the kernel, make's children) and ``ratio_to_floor`` (wall over the floor's wall: the notebook's
paired floor, else the first); the load
average before and after is recorded, since the machine may be shared. Results go to
``reports/bench.json`` (``python -m helpers.bench [--quick-only] [--skip-make] [--out PATH]``). Wall times
are not reproducible and the file is not a results file of the study (no verdict, not read by any notebook).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import paths

KERNEL = "tts-study"
FLOOR_IMPORTS = """import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import scipy.stats
import seaborn as sns
import statsmodels.api as sm

from helpers import kernel, plotting, results, validate
kernel.imports_done()

validate.boolean("quick", quick)
validate.seed("seed", seed)
plotting.set_theme()
rng = np.random.default_rng(seed)"""
FLOOR_FIGURE = """x = np.arange(1, 11)
fig, ax = plt.subplots()
sns.lineplot(x=x, y=rng.normal(size=x.size).cumsum(), ax=ax, marker="o")
ax.set(xlabel="step", ylabel="value (a.u.)", title="floor notebook")
plotting.save_figure(fig, "bench_floor")
plt.show()"""


def floor_notebook():
    """The floor: the parameters cell, the imports and validation every notebook has, and one figure."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("quick = False  # bool: unused (the floor has no sizes)\n"
                                       "seed = 0       # int, at least 0: seed of the numpy Generator")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Floor notebook (helpers.bench)"), params,
                nbformat.v4.new_code_cell(FLOOR_IMPORTS), nbformat.v4.new_code_cell(FLOOR_FIGURE)]
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python (tts-study)", "language": "python"}
    return nb


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def timed(fn, *args, **kwargs) -> dict:
    """{wall_s, cpu_s} of one call (cpu includes the child processes it waited for)."""
    c0, t0 = _cpu(), time.perf_counter()
    fn(*args, **kwargs)
    return {"wall_s": round(time.perf_counter() - t0, 3), "cpu_s": round(_cpu() - c0, 3)}


def run_notebook(src: Path, work: Path, quick: bool) -> dict:
    """One papermill run (a subprocess, as ``make`` runs it) with its outputs under ``work``."""
    out = work / ("quick" if quick else "full")
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "STUDY_REPORTS_DIR": str(out)}
    cmd = [str(Path(sys.executable).parent / "papermill"), "--no-progress-bar", "--log-level", "WARNING",
           "--no-request-save-on-cell-execute", "-k", KERNEL, "--cwd", str(paths.NOTEBOOKS), str(src), str(out / "notebooks" / src.name)]
    if quick:
        cmd += ["-p", "quick", "True"]
    return timed(_run_checked, cmd, env=env)


def _run_checked(cmd, **kwargs) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed (exit {r.returncode}):\n{r.stdout[-3000:]}{r.stderr[-3000:]}")


def repo_copy(dst: Path) -> Path:
    """The tracked and untracked-but-not-ignored files, mtimes kept; .venv and data/external linked."""
    root = paths.ROOT
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, check=True,
                           capture_output=True, text=True).stdout.split()
    for f in files:
        if f.startswith(("reports/", "data/external/")) or not (root / f).is_file():
            continue
        (dst / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f, dst / f)
    os.symlink(root / ".venv", dst / ".venv")
    if (root / "data" / "external").exists():
        os.symlink(root / "data" / "external", dst / "data" / "external")
    return dst


def time_make(work: Path) -> dict:
    repo = repo_copy(work / "repo")
    env = {**os.environ, "STUDY_REPORTS_DIR": str(repo / "reports")}
    run = lambda *a: _run_checked(["make", "--no-print-directory", *a], cwd=repo, env=env)  # noqa: E731
    return {"make_j2_all_clean": timed(run, "-j2", "all"), "make_all_noop": timed(run, "all")}


CEILING_LOOP = "s = 0\nfor i in range(25_000_000):\n    s += i * i"  # about 3 s of pure Python on one core


def _together(cmds, **kwargs) -> float:
    """Wall seconds of ``cmds`` started at once and all waited for (each must exit 0)."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs) for c in cmds]
    errs = [p.communicate()[1] for p in procs]
    wall = time.perf_counter() - t0
    for c, p, e in zip(cmds, procs, errs):
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, c))} failed (exit {p.returncode}):\n{e.decode()[-3000:]}")
    return wall


def machine_ceiling(cmd=None, repeats: int = 3, **kwargs) -> dict:
    """The best parallel efficiency this machine allows two processes: wall of two concurrent copies of
    ``cmd`` (default: a CPU-bound pure-Python loop, ``CEILING_LOOP``) over twice the wall of one copy alone,
    alternated ``repeats`` times. 0.5 is two perfectly independent cores, 1.0 no gain from the second one; a
    sweep on 2 workers cannot beat this ratio by much (its runs are CPU-bound processes too). Reports each
    repeat, the min and median ratio and the load average before each repeat (the machine may be shared)."""
    cmd = list(cmd or [sys.executable, "-c", CEILING_LOOP])
    one, two, load = [], [], []
    for _ in range(repeats):
        load.append(round(os.getloadavg()[0], 2))
        one.append(round(_together([cmd], **kwargs), 3))
        two.append(round(_together([cmd, cmd], **kwargs), 3))
    ratios = sorted(round(b / (2 * a), 3) for a, b in zip(one, two))
    return {"one_alone_s": one, "two_at_once_s": two, "ratio_min": ratios[0],
            "ratio_median": ratios[len(ratios) // 2], "load_1min": load}


SWEEP_STEMS = ("05_cache_economics", "07_budget_planner")


def time_sweep(work: Path, stems=SWEEP_STEMS, workers: int = 2, log=print) -> dict:
    """Parallel efficiency of ``make sweep``: the default quick grids of ``stems`` run one after another
    (``sweep.run`` with no Dask, ``n_workers=0``), then on a ``workers``-worker ``LocalCluster`` (its start
    included), each in a fresh reports folder: the same runs, the same ``run_one``, the same expansion of the
    grids and writing of the table. Also each phase's seconds (``cluster_start`` on its own), the mean
    seconds of one run one after another and on the cluster, and the same notebook run alone (papermill,
    not through the sweep)."""
    from . import sweep

    grids = {s: sweep.load_grid(s) for s in stems}
    for s in stems:  # warm up what both modes use (papermill's reading of the notebooks, the parquet writer),
        sweep.expand(s, "default", True, grids[s])  # so that the serial mode, timed first, does not pay
    sweep.write_table([], work / "warm-up.parquet")  # their first imports alone
    before = os.environ.get("STUDY_REPORTS_DIR")
    out, phases = {"runs": 0}, {"serial": {}, "parallel": {}}
    run_s = {}
    try:
        for mode, n in (("serial", 0), ("parallel", workers)):
            os.environ["STUDY_REPORTS_DIR"] = str(work / mode)
            specs = [sp for s in stems for sp in sweep.expand(s, "default", True, grids[s])]
            out["runs"] = len(specs)
            log(f"sweep: {len(specs)} quick runs " + ("one after another ..." if n == 0 else
                                                      f"on a {n}-worker LocalCluster ..."))
            out[mode] = timed(sweep.run, list(stems), "default", True, n, echo=lambda *_: None, grids=grids,
                              timings=phases[mode])
            secs = [(sp.notebook, (sweep.read_status(sp.folder) or {}).get("seconds")) for sp in specs]
            run_s[mode] = {s: round(sum(t for nb, t in secs if nb == s and t) / max(1, sum(
                nb == s and bool(t) for nb, t in secs)), 3) for s in stems}
    finally:
        if before is None:
            os.environ.pop("STUDY_REPORTS_DIR", None)
        else:
            os.environ["STUDY_REPORTS_DIR"] = before
    alone = {s: run_notebook(paths.NOTEBOOKS / f"{s}.ipynb", work / "alone" / s, quick=True)["wall_s"] for s in stems}
    for mode in ("serial", "parallel"):
        out[mode]["phases"] = {k: round(v, 3) for k, v in phases[mode].items()}
    out["parallel"]["workers"] = workers
    out.update(parallel_over_serial=round(out["parallel"]["wall_s"] / out["serial"]["wall_s"], 3),
               cluster_start_s=out["parallel"]["phases"].get("cluster_start"),
               one_run_inside_sweep_s=run_s["serial"], one_run_on_cluster_s=run_s["parallel"],
               one_run_alone_s=alone)
    return out


def hot_allocation(n_problems: int = 10_000, budget: float = 1024.0, seed: int = 0) -> None:
    import numpy as np

    from . import allocation as A

    rng = np.random.default_rng(seed)
    p = np.where(rng.random(n_problems) < 0.2, 0.0, rng.beta(0.5, 5.0, n_problems))
    bins = A.quantile_bins(A.noisy_score(p, 1.0, rng), 5, rng)  # the notebook's default predictor
    A.run_policies(A.ProbPopulation(p), [budget], rng, bins=bins)


def claude_log(folder: Path, n_lines: int = 100_000, seed: int = 0) -> Path:
    """A Claude Code session file of exactly ``n_lines`` lines (simulated usage, placeholder text)."""
    import numpy as np

    from . import agent_logs, cache

    days, lines = max(2, n_lines // 250), []  # about 160 calls a day, about 3.1 lines a call
    while len(lines) < n_lines:
        led = cache.simulate_agent(cache.AgentParams(days=days, sessions_per_day=2.0, turns_per_session=80.0),
                                   np.random.default_rng(seed), 1).assign(model="claude-sonnet-4-6")
        agent_logs.write_claude_jsonl(led, folder / "raw", np.random.default_rng(seed + 1), files_per_session=False)
        with open(folder / "raw" / "session-all.jsonl", encoding="utf-8") as fh:
            lines = fh.readlines()
        days *= 2
    out = folder / "logs" / "session.jsonl"
    out.parent.mkdir(parents=True)
    out.write_text("".join(lines[:n_lines]))  # the last call may lose blocks: the reader handles that
    shutil.rmtree(folder / "raw")
    return out


def hot_logs(path: Path) -> None:
    from . import agent_logs

    agent_logs.read_logs(path)


def _ratio(entry: dict, floor: dict) -> dict:
    return {**entry, "ratio_to_floor": round(entry["wall_s"] / floor["wall_s"], 2)}


def run(out: Path, *, quick_only: bool = False, skip_make: bool = False, skip_sweep: bool = False,
        stems: list[str] | None = None, rounds: int = 3,
        n_problems: int = 10_000, budget: float = 1024.0, n_lines: int = 100_000, log=print) -> dict:
    """Time everything (see the module docstring) and write ``out`` (JSON); returns the document."""
    import nbformat

    if int(rounds) != rounds or rounds < 1:
        raise ValueError(f"rounds must be a whole number of at least 1, got {rounds!r}")

    sources = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if stems is not None:
        sources = [s for s in sources if s.stem in stems]
    doc = {"machine": {"python": platform.python_version(), "cpus": len(os.sched_getaffinity(0)),
                       "load_before": [round(x, 2) for x in os.getloadavg()]}}
    with tempfile.TemporaryDirectory(prefix="tts-bench-") as tmp:
        tmp = Path(tmp)
        floor_src = tmp / "floor.ipynb"
        nbformat.write(floor_notebook(), floor_src)
        log("floor notebook ...")
        floor = doc["floor"] = run_notebook(floor_src, tmp / "floor", quick=True)
        doc["floor"] = _ratio(floor, floor)
        doc["notebooks"] = {}
        for src in sources:
            entry = doc["notebooks"][src.stem] = {}
            pairs = []  # (floor, quick) of each round, the two runs next to each other
            for r in range(rounds):
                log(f"floor notebook again, paired with {src.stem} (round {r + 1} of {rounds}) ...")
                pair = run_notebook(floor_src, tmp / "floor", quick=True)
                log(f"{src.stem} quick ...")
                try:
                    pairs.append((pair, _ratio(run_notebook(src, tmp / src.stem, True), pair)))
                except RuntimeError as exc:  # one broken notebook does not stop the bench: it is reported
                    entry["paired_floor"] = _ratio(pair, floor)
                    entry["quick"] = {"error": str(exc).splitlines()[0][-300:]}
                    break
            if pairs and "quick" not in entry:  # every round ran (a failed round is reported, not hidden)
                # the round with the median ratio (rounds is odd by default; an even count takes the lower)
                order = sorted(range(len(pairs)), key=lambda i: (pairs[i][1]["ratio_to_floor"], i))
                pair, quick_entry = pairs[order[(len(pairs) - 1) // 2]]
                entry["paired_floor"] = _ratio(pair, floor)  # its ratio to the first floor: the machine's drift
                entry["quick"] = {**quick_entry, "round_ratios": [q["ratio_to_floor"] for _, q in pairs]}
            if not quick_only:
                log(f"{src.stem} full ...")
                try:
                    entry["full"] = _ratio(run_notebook(src, tmp / src.stem, False), pair)
                except RuntimeError as exc:
                    entry["full"] = {"error": str(exc).splitlines()[0][-300:]}
        if not skip_make:
            log("make -j2 all (clean reports/, temporary copy) and a no-op make all ...")
            doc["make"] = {k: _ratio(v, floor) for k, v in time_make(tmp / "make").items()}
        if not skip_sweep:
            doc["sweep"] = time_sweep(tmp / "sweep", log=log)
            log("machine ceiling: a CPU-bound loop alone, then two at once ...")
            doc["sweep"]["machine_ceiling"] = machine_ceiling()
        log("hot paths ...")
        logfile = claude_log(tmp / "claude", n_lines)
        doc["hot_paths"] = {
            f"allocation_{n_problems}_problems_x_budget_{budget:g}": _ratio(
                timed(hot_allocation, n_problems, budget), floor),
            f"read_{n_lines}_claude_code_lines": _ratio(timed(hot_logs, logfile), floor),
        }
    doc["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    return doc


def table(doc: dict) -> str:
    """The bench as a plain-text table: what, wall seconds, cpu seconds, wall over the floor's."""
    rows = [("floor notebook", doc["floor"])]
    for stem, e in doc.get("notebooks", {}).items():
        rows += [(f"{stem} {mode}", e[mode]) for mode in ("paired_floor", "quick", "full") if mode in e]
    rounds = {f"{stem} quick": e["quick"]["round_ratios"] for stem, e in doc.get("notebooks", {}).items()
              if len(e.get("quick", {}).get("round_ratios", [])) > 1}
    rows += [(k, v) for k, v in doc.get("make", {}).items()]
    rows += [(k, v) for k, v in doc.get("hot_paths", {}).items()]
    w = max(len(r[0]) for r in rows)
    lines = [f"{'what':<{w}}  {'wall s':>8}  {'cpu s':>8}  {'/ floor':>7}"]
    lines += [f"{name:<{w}}  {e['wall_s']:>8.2f}  {e['cpu_s']:>8.2f}  {e['ratio_to_floor']:>7.2f}"
              + (f"  (rounds: {', '.join(f'{r:.2f}' for r in rounds[name])})" if name in rounds else "")
              if "error" not in e else f"{name:<{w}}  failed: {e['error'][:80]}" for name, e in rows]
    sw = doc.get("sweep")
    if sw:
        lines.append(f"sweep, {sw['runs']} quick runs: one after another {sw['serial']['wall_s']:.1f} s, "
                     f"{sw['parallel']['workers']} Dask workers {sw['parallel']['wall_s']:.1f} s "
                     f"(parallel / serial {sw['parallel_over_serial']:.2f}); one run inside the sweep "
                     f"{sw['one_run_inside_sweep_s']} s, on the cluster {sw.get('one_run_on_cluster_s')} s, "
                     f"alone {sw['one_run_alone_s']} s; cluster start {sw.get('cluster_start_s')} s")
        if "machine_ceiling" in sw:
            c = sw["machine_ceiling"]
            lines.append(f"machine ceiling: two CPU-bound processes at once / twice one alone {c['ratio_min']:.2f} "
                         f"(median {c['ratio_median']:.2f}, load {c['load_1min']})")
    m = doc["machine"]
    lines.append(f"python {m['python']}, {m['cpus']} cpus, load average before {m['load_before']}, "
                 f"after {m.get('load_after')}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(paths.reports_dir() / "bench.json"))
    ap.add_argument("--quick-only", action="store_true", help="skip the full-mode notebook runs")
    ap.add_argument("--skip-make", action="store_true", help="skip make -j2 all and the no-op make all")
    ap.add_argument("--skip-sweep", action="store_true", help="skip the sweep's parallel-efficiency timing")
    ap.add_argument("--notebooks", nargs="*", help="stems to time (default: all)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="quick-mode rounds per notebook, each a floor run then the notebook (default: 3; the median)")
    a = ap.parse_args(argv)
    if a.rounds < 1:
        ap.error(f"--rounds must be at least 1, got {a.rounds}")
    doc = run(Path(a.out), quick_only=a.quick_only, skip_make=a.skip_make, skip_sweep=a.skip_sweep, stems=a.notebooks,
              rounds=a.rounds, log=lambda s: print(s, file=sys.stderr, flush=True))
    print(table(doc))
    print(f"written {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
