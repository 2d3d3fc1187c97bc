"""Large user files: what size the notebooks analyse, refusing larger ones up front, and subsampling.

The user-data CSVs (``runs_path``, ``problems_path``, ``curves_path``, ``scaling_path``) are read whole
into pandas and then analysed (bootstraps, fits per model and per problem). Reading costs about
0.3 s and 20 MB of memory per MB of CSV (see the benchmark below), and the analysis grows
with the rows, so a file above ``MAX_MB[parameter]`` is refused in the validation cell, before any
computation, with a ``ParameterError`` that names the parameter, the size, the supported size and
the command that subsamples it (``python -m helpers.bigfiles subsample BIG.csv SMALL.csv --fraction F``:
a seeded Bernoulli sample of the data rows, streamed in blocks, header kept). Agent logs
(``logs_path``) are read line by line and are not limited.

``python -m helpers.bigfiles bench [--sizes 20 100 200]`` writes synthetic runs and problems files of
those sizes (MB) and reports, for each, the wall time of the check plus the reader (after the imports,
timed apart) and the peak memory (max RSS of a fresh process): accepted files are read in full,
larger ones are refused.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .validate import ParameterError

MAX_MB = {"runs_path": 20.0, "problems_path": 20.0, "curves_path": 20.0, "scaling_path": 20.0}
BLOCK = 1 << 20  # lines per block when subsampling


def check_size(name: str, path: Path) -> Path:
    """Raise ``ParameterError`` when the file of parameter ``name`` is above its supported size."""
    limit = MAX_MB.get(name)
    if limit is None or not path.is_file():
        return path
    mb = path.stat().st_size / 1e6
    if mb > limit:
        frac = max(0.001, round(0.9 * limit / mb, 3))
        raise ParameterError(
            f"parameter {name!r}: {path} is {mb:,.0f} MB; the notebooks analyse files up to {limit:g} MB "
            f"(larger ones take minutes and gigabytes). Subsample it first, e.g. "
            f"`.venv/bin/python -m helpers.bigfiles subsample {path} {path.with_suffix('')}_sample.csv "
            f"--fraction {frac:g} --seed 0`, and pass the sample")
    return path


def subsample(src: str | os.PathLike, dst: str | os.PathLike, fraction: float, seed: int = 0) -> tuple[int, int]:
    """Keep the header and each data line of ``src`` with probability ``fraction`` (seeded); stream.

    Returns (lines read, lines kept). Memory is one block of lines, whatever the file size.
    """
    if not 0 < fraction <= 1:
        raise ParameterError(f"fraction must be in (0, 1], got {fraction!r}")
    rng = np.random.default_rng(seed)
    n_in = n_out = 0
    with open(src, encoding="utf-8", newline="") as fi, open(dst, "w", encoding="utf-8", newline="") as fo:
        fo.write(fi.readline())
        while True:
            block = fi.readlines(BLOCK * 32)
            if not block:
                break
            keep = rng.random(len(block)) < fraction
            fo.writelines(line for line, k in zip(block, keep) if k)
            n_in += len(block)
            n_out += int(keep.sum())
    return n_in, n_out


# ---------------------------------------------------------------- benchmark

def write_synthetic(kind: str, mb: float, out: Path, seed: int = 0) -> Path:
    """A synthetic runs (model, tokens, score, task) or problems (problem_id, n_samples, n_correct, model) CSV."""
    rng = np.random.default_rng(seed)
    bytes_per_line = 23 if kind == "runs" else 21
    n = int(0.97 * mb * 1e6 / bytes_per_line)  # a little under the nominal size
    with open(out, "w") as f:
        f.write("model,tokens,score,task\n" if kind == "runs" else "problem_id,n_samples,n_correct,model\n")
        for i in range(0, n, 200_000):
            m = min(n, i + 200_000) - i
            if kind == "runs":
                cols = [rng.choice(np.array(["model-a", "model-b", "model-c"]), m),
                        rng.integers(1000, 2_000_000, m).astype(str), rng.integers(0, 2, m).astype(str),
                        np.char.add("t", rng.integers(0, 5000, m).astype(str))]
            else:
                ns = rng.integers(1, 100, m)
                cols = [np.char.add("p", np.arange(i, i + m).astype(str)), ns.astype(str),
                        (ns * rng.random(m)).astype(int).astype(str), rng.choice(np.array(["model-a", "model-b"]), m)]
            lines = cols[0]
            for c in cols[1:]:
                lines = np.char.add(np.char.add(lines, ","), c)
            f.write("\n".join(lines.tolist()) + "\n")
    return out


_ONE = """
import json, resource, sys, time
t = time.perf_counter()
from pathlib import Path
from helpers import allocation, bigfiles, validate, variance
t_import = time.perf_counter() - t
kind, path = sys.argv[1], Path(sys.argv[2])
name = "runs_path" if kind == "runs" else "problems_path"
try:
    p = bigfiles.check_size(name, validate.optional_file(name, str(path)))
    rows = len(variance.read_runs(p) if kind == "runs" else allocation.read_problems_csv(p))
    outcome = f"read {rows} rows"
except validate.ParameterError as exc:
    outcome = "refused: " + str(exc).split(";")[0]
print(json.dumps({"seconds": round(time.perf_counter() - t - t_import, 2), "import_seconds": round(t_import, 2), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "outcome": outcome}))
"""


def bench(sizes=(20, 100, 200), folder: Path | None = None) -> list[dict]:
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        for kind in ("runs", "problems"):
            for mb in sizes:
                f = write_synthetic(kind, mb, Path(tmp) / f"{kind}_{mb}.csv")
                env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
                r = subprocess.run([sys.executable, "-c", _ONE, kind, str(f)], capture_output=True, text=True,
                                   env=env, cwd=Path(__file__).resolve().parent.parent)
                if r.returncode != 0:
                    raise RuntimeError(r.stderr)
                row = {"kind": kind, "file_mb": round(f.stat().st_size / 1e6, 1), **json.loads(r.stdout)}
                print(json.dumps(row), flush=True)
                rows.append(row)
                f.unlink()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.bigfiles", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("subsample", help="keep each data line with probability FRACTION (seeded)")
    s.add_argument("src")
    s.add_argument("dst")
    s.add_argument("--fraction", type=float, required=True)
    s.add_argument("--seed", type=int, default=0)
    b = sub.add_parser("bench", help="time and peak memory of the check and readers at several sizes")
    b.add_argument("--sizes", type=float, nargs="+", default=[20, 100, 200])
    args = ap.parse_args(argv)
    if args.cmd == "subsample":
        t = time.perf_counter()
        n_in, n_out = subsample(args.src, args.dst, args.fraction, args.seed)
        print(f"kept {n_out:,} of {n_in:,} data lines in {args.dst} ({time.perf_counter() - t:.1f} s)")
        return 0
    bench(args.sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
