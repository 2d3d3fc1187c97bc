"""Running the grids on a Dask cluster: ``run`` and ``python -m helpers.sweep run|list`` (``make sweep``).

``DASK_SCHEDULER_ADDRESS=tcp://host:8786`` submits to an existing cluster; otherwise a ``LocalCluster`` with
one single-threaded worker process per core. Finished runs are skipped, a failed run is retried once and
then recorded with its error; the table is written at the end.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Iterable, Mapping

from .. import paths
from ..validate import ParameterError
from .grids import expand, grid_names, load_grid
from .runner import read_status, run_one
from .table import read_table, row_for, write_table


def _client(n_workers: int | None = None):
    from distributed import Client, LocalCluster

    addr = os.environ.get("DASK_SCHEDULER_ADDRESS")
    if addr:
        return Client(addr), None
    n = n_workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster), cluster


def run(stems: Iterable[str] | None = None, level: str = "default", quick: bool = False,
        n_workers: int | None = None, echo=print, grids: Mapping[str, Mapping] | None = None) -> Path:
    """Run every pending run of the grids on the cluster and write the table; return its path.

    ``grids`` ({stem: grid}) replaces the declared grids (tests, or a user's own grid).
    """
    from distributed import as_completed

    if grids is None:
        stems = list(stems or grid_names())
        grids = {s: load_grid(s) for s in stems}
    else:
        stems = list(grids)
    specs = [sp for s in stems for sp in expand(s, level, quick, grids[s])]
    done = [sp for sp in specs if (read_status(sp.folder) or {}).get("status") == "ok"]
    todo = [sp for sp in specs if sp not in done]
    echo(f"sweep: {len(specs)} runs over {len(stems)} notebooks ({level} grid, quick={quick}); "
         f"{len(done)} already finished, {len(todo)} to run")
    if todo:
        client, cluster = _client(n_workers)
        try:
            echo(f"sweep: scheduler {client.scheduler.address}; dashboard {client.dashboard_link}")
            futures = {client.submit(run_one, sp, key=f"run-{sp.notebook}-{sp.key}", retries=1, pure=False): sp
                       for sp in todo}
            for i, fut in enumerate(as_completed(futures), 1):
                sp = futures[fut]
                if fut.status == "error":
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: FAILED "
                         f"({(read_status(sp.folder) or {}).get('error')})")
                else:
                    st = fut.result()
                    echo(f"[{i}/{len(todo)}] {sp.notebook} {sp.swept} seed {sp.seed}: "
                         f"{st['seconds']:.0f} s on {st['worker']}")
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    rows = [row_for(sp, grids[sp.notebook].get("headline")) for sp in specs]
    out = write_table(rows)
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
    r.add_argument("--workers", type=int, default=None)
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
