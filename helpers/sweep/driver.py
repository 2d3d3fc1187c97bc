"""Running the grids on a Dask cluster: ``run`` and ``python -m helpers.sweep run|list`` (``make sweep``).

``DASK_SCHEDULER_ADDRESS=tcp://host:8786`` submits to an existing cluster; otherwise a ``LocalCluster`` with
one single-threaded worker per core. Its workers are threads of this process on tcp (``processes=False``):
each run is its own papermill subprocess, so a worker only waits on it, and worker processes with their
nannies would cost seconds of start and imports (measured by ``make bench``) for nothing. ``n_workers=0``
runs the same runs one after another in this process, without Dask (the benchmark's serial baseline).
Runs are submitted longest expected first (earlier runs of the notebook, else the grid's
``seconds_per_run``), and the local scheduler hands a worker its next run only when it is free, so the
last runs to finish are short ones. Finished runs are skipped, a failed run is retried once and then
recorded with its error; the table is written at the end.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Iterable, Mapping

from .. import paths
from ..validate import ParameterError
from .grids import RunSpec, expand, grid_names, load_grid, runs_dir
from .runner import RunFailed, read_status, run_one
from .table import read_table, row_for, write_table


def _client(n_workers: int | None = None):
    """(client, cluster or None, dashboard link or None): ``DASK_SCHEDULER_ADDRESS`` or a ``LocalCluster``."""
    import dask
    from distributed import Client, LocalCluster

    addr = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if addr:
        client = Client(addr)
        has_dashboard = "dashboard" in client.scheduler_info().get("services", {})
        return client, None, client.dashboard_link if has_dashboard else None
    n = n_workers or os.cpu_count() or 1
    dashboard = importlib.util.find_spec("bokeh") is not None  # distributed serves none without bokeh
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):  # one run per worker at a time
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=False, protocol="tcp://",
                               dashboard_address=":0" if dashboard else None)
    client = Client(cluster)
    return client, cluster, client.dashboard_link if dashboard else None


def expected_seconds(stem: str, quick: bool, grid: Mapping) -> float:
    """A run's expected seconds: the median of the notebook's finished runs in the same mode (status files
    under ``runs_dir()``), else the grid's ``seconds_per_run`` for the mode, else 0."""
    seen = [st["seconds"] for f in runs_dir().glob(f"{stem}-*")
            if (st := read_status(f)) and st.get("status") == "ok"
            and bool((st.get("parameters") or {}).get("quick")) == quick]
    if seen:
        return float(statistics.median(seen))
    return float((grid.get("seconds_per_run") or {}).get("quick" if quick else "full", 0.0))


def _serial(todo: list[RunSpec], echo) -> None:
    """The runs one after another in this process, each retried once like on the cluster."""
    for i, sp in enumerate(todo, 1):
        for attempt in (1, 2):
            try:
                st = run_one(sp)
            except RunFailed as exc:
                if attempt == 2:
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: FAILED ({exc})")
            else:
                echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: {st['seconds']:.0f} s")
                break


def run(stems: Iterable[str] | None = None, level: str = "default", quick: bool = False,
        n_workers: int | None = None, echo=print, grids: Mapping[str, Mapping] | None = None,
        timings: dict | None = None) -> Path:
    """Run every pending run of the grids on the cluster and write the table; return its path.

    ``grids`` ({stem: grid}) replaces the declared grids (tests, or a user's own grid). ``n_workers=0``: no
    Dask, the runs one after another here. ``timings``, if given, receives the seconds of each phase
    (``expand``, ``cluster_start``, ``runs``, ``cluster_close``, ``table``).
    """
    timings = {} if timings is None else timings
    t = time.perf_counter()
    if grids is None:
        stems = list(stems or grid_names())
        grids = {s: load_grid(s) for s in stems}
    else:
        stems = list(grids)
    specs = [sp for s in stems for sp in expand(s, level, quick, grids[s])]
    done = [sp for sp in specs if (read_status(sp.folder) or {}).get("status") == "ok"]
    todo = [sp for sp in specs if sp not in done]
    expected = {s: expected_seconds(s, quick, grids[s]) for s in stems}
    todo.sort(key=lambda sp: -expected[sp.notebook])  # longest first; stable: declared order on ties
    timings["expand"] = time.perf_counter() - t
    echo(f"sweep: {len(specs)} runs over {len(stems)} notebooks ({level} grid, quick={quick}); "
         f"{len(done)} already finished, {len(todo)} to run")
    if todo and n_workers == 0:
        t = time.perf_counter()
        _serial(todo, echo)
        timings["runs"] = time.perf_counter() - t
    elif todo:
        from distributed import as_completed

        t = time.perf_counter()
        client, cluster, dashboard = _client(n_workers)
        timings["cluster_start"] = time.perf_counter() - t
        try:
            echo(f"sweep: scheduler {client.scheduler.address} ({len(client.scheduler_info()['workers'])} workers, "
                 f"ready in {timings['cluster_start']:.1f} s); dashboard {dashboard or 'none (needs bokeh)'}")
            t = time.perf_counter()
            futures = {client.submit(run_one, sp, key=f"run-{sp.notebook}-{sp.key}", retries=1, pure=False,
                                     priority=len(todo) - i): sp for i, sp in enumerate(todo)}
            for i, fut in enumerate(as_completed(futures), 1):
                sp = futures[fut]
                if fut.status == "error":
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: FAILED "
                         f"({(read_status(sp.folder) or {}).get('error')})")
                else:
                    st = fut.result()
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: "
                         f"{st['seconds']:.0f} s on {st['worker']}")
            timings["runs"] = time.perf_counter() - t
        finally:
            t = time.perf_counter()
            client.close()
            if cluster is not None:
                cluster.close()
            timings["cluster_close"] = time.perf_counter() - t
    t = time.perf_counter()
    rows = [row_for(sp, grids[sp.notebook].get("headline")) for sp in specs]
    out = write_table(rows)
    timings["table"] = time.perf_counter() - t
    bad = [r for r in rows if r["status"] != "ok"]
    echo(f"sweep: wrote {out.relative_to(paths.ROOT) if out.is_relative_to(paths.ROOT) else out} "
         f"({len(rows)} runs, {len(bad)} not ok)")
    return out


def main(argv: list[str] | None = None) -> int:
    from .. import sweep as _pkg

    ap = argparse.ArgumentParser(prog="python -m helpers.sweep", description=_pkg.__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the grids (skipping finished runs) and write the table")
    r.add_argument("--grid", choices=("default", "full"), default=os.environ.get("SWEEP_GRID", "default"))
    r.add_argument("--notebooks", nargs="*", default=(os.environ.get("SWEEP_NOTEBOOKS") or "").split() or None)
    r.add_argument("--quick", action="store_true", default=os.environ.get("SWEEP_QUICK", "") not in ("", "0"))
    r.add_argument("--workers", type=int, default=None,
                   help="LocalCluster workers (default: one per core); 0: no Dask, one run after another")
    sub.add_parser("list", help="list the grids and their sizes")
    a = ap.parse_args(argv)
    if a.cmd == "list":
        for s in grid_names():
            g = load_grid(s)
            sizes = {lv: len(expand(s, lv, grid=g)) for lv in ("default", "full")}
            print(f"{s}: default {sizes['default']} runs, full {sizes['full']} runs "
                  f"(about {g['full'].get('expected_minutes', '?')} min on 2 cores) — {g.get('description', '')}")
        return 0
    try:
        out = run(a.notebooks, a.grid, a.quick, a.workers)
    except ParameterError as exc:
        print(f"sweep: {exc}", file=sys.stderr)
        return 2
    table = read_table(out)
    return 1 if (table["status"] != "ok").any() else 0
