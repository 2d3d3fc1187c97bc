"""Sweeps: whole notebook runs across seeds and model assumptions, on a Dask cluster.

A verdict from one seed and one set of simulator assumptions is one draw. A sweep re-runs a notebook over a
grid and records, per run, its verdict, its headline figure and the agreement of its specification curve.

**Grids** are declared beside each notebook, in ``notebooks/sweeps/<stem>.json``::

    {"description": "...",
     "headline": "metrics.robustness.share_agree",      # dotted path into the results file
     "seconds_per_run": {"quick": 16, "full": 33},        # optional: runs are submitted longest first
     "default": {"parameters": {"n_boot": [200, 500]}, "seeds": [0, 1]},   # crossed; runs in minutes
     "full":    {"parameters": {...}, "seeds": [0, ..., 9], "expected_minutes": 90}}

The swept parameters are crossed with each other and with the seeds; every run also gets ``quick`` (from
``SWEEP_QUICK``). The notebook's own default values are part of every grid (they are added when missing), so
each sweep holds the "default run" whose verdict the others are compared with.

**Runs are resumable and loss-free.** A run's folder is ``reports/sweep/runs/<stem>-<key>``, where ``key``
hashes (notebook, parameters, code version); the code version hashes the notebook and every ``helpers``
module it imports (``helpers.deps``), so a changed helper gives new folders and a rerun skips nothing
stale. A run writes ``status.json`` atomically when it ends (``ok`` or ``failed``, with its error, worker
and seconds). A finished (``ok``) run is skipped on rerun; a failed one is retried once by Dask
(``retries=1``) and, if it fails again, recorded with its error, never dropped; interrupting a sweep loses
only the runs in flight.

**Cluster.** ``DASK_SCHEDULER_ADDRESS=tcp://host:8786`` submits to an existing cluster (its workers need
the study's environment and data at the same path: the same ``.venv`` and ``DATA_MIRROR`` on a shared
file system); otherwise a ``LocalCluster`` with one single-threaded worker per core, a thread of the sweep's
process (each run is a papermill subprocess, so worker processes would only add start-up time).
``--workers 0`` runs the runs one after another without Dask.

**The table** ``reports/sweep/results.parquet`` has one row per run: ``notebook, params`` (JSON of the
swept parameters, seed excluded), ``seed, status, verdict, headline, share_agree, seconds, worker, error,
key, is_default``.

``python -m helpers.sweep run [--grid default|full] [--notebooks STEM ...] [--quick] [--workers N]``
(``make sweep``).

Modules
- ``grids``   the declared grids, expanded into runs (``RunSpec``) with keys hashing notebook, parameters and code
- ``runner``  one run on a worker: papermill in a subprocess, its ``status.json``
- ``table``   collecting the runs into the tidy table, and each notebook's agreement with its default run
- ``driver``  the cluster (``DASK_SCHEDULER_ADDRESS`` or a ``LocalCluster``), ``run`` and the command line
"""
from .. import deps, paths
from .driver import main, run
from .grids import (GRIDS_DIR, RunSpec, code_version, expand, grid_names, load_grid, notebook_defaults, run_key,
                    runs_dir, sweep_dir, table_path)
from .runner import KERNEL, RunFailed, read_status, run_one
from .table import TABLE_COLUMNS, agreement, read_table, row_for, write_table

__all__ = ["GRIDS_DIR", "KERNEL", "TABLE_COLUMNS", "RunFailed", "RunSpec", "agreement", "code_version", "expand",
           "grid_names", "load_grid", "main", "notebook_defaults", "read_status", "read_table", "row_for", "run",
           "run_key", "run_one", "runs_dir", "sweep_dir", "table_path", "write_table"]
