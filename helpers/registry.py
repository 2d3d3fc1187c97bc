"""Registry of external logged data: pinned URL, SHA-256, license, citation.

Every file is downloaded from ``https://raw.githubusercontent.com/OWNER/REPO/COMMIT/PATH``
by pooch (which verifies the SHA-256 on a temporary file and only then moves it
into place, so a mismatch leaves nothing behind) into
``data/external/OWNER/REPO/COMMIT/PATH``.

``DATA_MIRROR`` names a local folder laid out as ``OWNER/REPO/COMMIT/PATH``;
when set, files are copied from there instead of the network, with the same
hash check. A relative ``DATA_MIRROR`` is read against the repository root.

Command line (used by ``make data``)::

    python -m helpers.registry fetch [--manifest data/external/MANIFEST.json]
    python -m helpers.registry status
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .results import atomic_write_text, file_sha256


@dataclass(frozen=True)
class Repo:
    owner_repo: str
    commit: str
    license: str
    citation: str


REPOS = {
    "Centre-for-Software-Excellence/SWE-Effi": Repo(
        "Centre-for-Software-Excellence/SWE-Effi", "eb40e399cc356369f412e7aa0138f45e63b80ba5", "Apache-2.0",
        "Fan et al. 2025, 'SWE-Effi: Re-Evaluating Software AI Agent System Effectiveness Under Resource "
        "Constraints', github.com/Centre-for-Software-Excellence/SWE-Effi"),
    "laude-institute/terminal-bench-experiments": Repo(
        "laude-institute/terminal-bench-experiments", "df50653c4721a5298c6ff54727e461446d660535", "Apache-2.0",
        "Terminal-Bench team (Laude Institute), terminal-bench-experiments: Terminus-2 trials, "
        "github.com/laude-institute/terminal-bench-experiments"),
    "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power": Repo(
        "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power",
        "cd078aef2a13e4310fab204860b99c4c39c25d40", "none stated",
        "Schaeffer et al. 2025, 'How Do Large Language Monkeys Get Their Power (Laws)?'; data from Brown et al. "
        "2024, 'Large Language Monkeys: Scaling Inference Compute with Repeated Sampling'"),
    "agencyenterprise/coding-agent-cost-bench": Repo(
        "agencyenterprise/coding-agent-cost-bench", "065578016d9d57f2ba006cac5056d9ebac69977a", "none stated",
        "AE Studio, coding-agent-cost-bench, github.com/agencyenterprise/coding-agent-cost-bench"),
    "benediktstroebl/agent-eval": Repo(
        "benediktstroebl/agent-eval", "406f00ff847a5237a221dba6f9014600d6588733", "none stated",
        "Kapoor, Stroebl et al. 2024, 'AI Agents That Matter', github.com/benediktstroebl/agent-eval"),
    "uw-syfi/TraceLab": Repo(
        "uw-syfi/TraceLab", "0b8a262ba69602869133b65972d51a388bde45e1", "Apache-2.0 (code), CC BY 4.0 (data)",
        "UW SyFI lab, TraceLab: traces of real coding-agent sessions, github.com/uw-syfi/TraceLab"),
}


@dataclass(frozen=True)
class DataFile:
    name: str
    repo: Repo
    path: str
    sha256: str

    @property
    def url(self) -> str:
        return f"https://raw.githubusercontent.com/{self.repo.owner_repo}/{self.repo.commit}/{self.path}"

    @property
    def relpath(self) -> str:
        return f"{self.repo.owner_repo}/{self.repo.commit}/{self.path}"

    @property
    def local(self) -> Path:
        return paths.data_external() / self.relpath

    @property
    def license(self) -> str:
        return self.repo.license

    @property
    def citation(self) -> str:
        return self.repo.citation


_ENTRIES = [
    ("agent_eval/humaneval_results", "benediktstroebl/agent-eval", "LLMDebugger/output_data/humaneval_results.csv", "d9af5470810f926b27080d18a299db085aac84139dbc14beb590d33a3f1bf707"),
    ("cost_bench/deepswe33-glm-opus48/deepswe_task_difficulty", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-glm-opus48/deepswe_task_difficulty.csv", "3597c4c46c3185d0592241ec044810579c4048440930befbad18e0591f6dbbff"),
    ("cost_bench/deepswe33-glm-opus48/per_run", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-glm-opus48/per_run.csv", "6c7b3ee487f2ecfdb77c33f11a5b8d3d414505d544cfbeeeff7cfa03a31831f8"),
    ("cost_bench/deepswe33-glm-opus48/summary", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-glm-opus48/summary.csv", "29d23658596a8fc1371630e01a7e0e6376cb780ea3b85b2e7f70383e5c401c6d"),
    ("cost_bench/deepswe33-kimi-k3/deepswe_task_difficulty", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-kimi-k3/deepswe_task_difficulty.csv", "f014a8c5e5062ee84a99d6fcaa520b1c15340517f2a092a5bef4d4165c0f26c8"),
    ("cost_bench/deepswe33-kimi-k3/per_run", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-kimi-k3/per_run.csv", "4bd281031ac26c4bd51007e78a3d18ed7c181d247224af37480bc995769afe8a"),
    ("cost_bench/deepswe33-kimi-k3/summary", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-kimi-k3/summary.csv", "96786abcf8b4502b3cd48e10a078a0fdb22805c27ee28d26f2bb6f4549939432"),
    ("cost_bench/deepswe33-opus5/deepswe_task_difficulty", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-opus5/deepswe_task_difficulty.csv", "b1f90aa7d2281af7fca9145afd359b68c11b5e56ad6b174559caaa3a5925d0f1"),
    ("cost_bench/deepswe33-opus5/per_run", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-opus5/per_run.csv", "968662ad8f29f6391ff98c263b79c6185fa47e08885a1eae74f0d948d805dcab"),
    ("cost_bench/deepswe33-opus5/summary", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-opus5/summary.csv", "719b209ac20d6e11072f7c68e63a0c89ac54d08eb49f9e8e3bcbb18e2ddeec8f"),
    ("monkeys/math_raw", "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power", "data/raw_data/large_language_monkeys/math_pass_at_k.parquet", "2527fbab2e2467c9dc145a09235cc5b25c290b0cd35b63f1535bedb22696ee80"),
    ("monkeys/pass_at_k_processed", "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power", "data/processed_data/large_language_monkeys_original_pass_at_k.parquet", "2ca92cfcb9b074981b39ae3b6448bd7ae6b24e9db695e448b16eb7398dd41d15"),
    ("swe_effi/agentless-mini/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless-mini/GPT-4o-mini-2024-07-18/combined_stats.json", "42e0cf061d82e72e4aee8d3c5802494b430c6c58c59b233e72414bea6b2cf23c"),
    ("swe_effi/agentless-mini/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless-mini/llama-3.3-70B-Instruct-FP8/combined_stats.json", "c95c402bcf17864c82ffe5acb963d50c82670ce2a9d28c349e8482a68d6ff0be"),
    ("swe_effi/agentless-mini/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless-mini/qwen3-32B/combined_stats.json", "11df20aec4d8e1fe5ce8ad58ea1711f8465be21f50c9d93e5f6378dd4d09dbd8"),
    ("swe_effi/agentless/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless/GPT-4o-mini-2024-07-18/combined_stats.json", "0cba38e57fcb6dc672542e373c773d8b1a09d5e043409a1164985b997649d358"),
    ("swe_effi/agentless/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless/llama-3.3-70B-Instruct-FP8/combined_stats.json", "4855e787d90c62dc4448039656e1932dfe83d02f1028cf7e1cf4a8dc4df2f942"),
    ("swe_effi/agentless/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless/qwen3-32B/combined_stats.json", "a8467b28566a68956dfd2a76a26de51176a2a6cc4d8575e69e382a3f2beaa110"),
    ("swe_effi/auto-code-rover/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/auto-code-rover/GPT-4o-mini-2024-07-18/combined_stats.json", "1438422921cd2151711d0033c4d8fda1f2c29388d761ce7d6b1471882147256a"),
    ("swe_effi/auto-code-rover/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/auto-code-rover/llama-3.3-70B-Instruct-FP8/combined_stats.json", "78bb20d6aab159cef424e4a41e5bf2c2a2a22b537918f65bbc1c63ed5d4cffa2"),
    ("swe_effi/auto-code-rover/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/auto-code-rover/qwen3-32B/combined_stats.json", "08b005750e47cac88974a5388ab5143d2a6a8eb421dded57c6acc988178a2ace"),
    ("swe_effi/openhands/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/openhands/GPT-4o-mini-2024-07-18/combined_stats.json", "8f37fa9e5989fa4fb25503476fe36ed0e32a79428dd050a256b5970be3ed9084"),
    ("swe_effi/openhands/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/openhands/llama-3.3-70B-Instruct-FP8/combined_stats.json", "87ae9c91df55a7cbfa60e39926cec0122feee0e6ace3d0118fbd37a323c65d0d"),
    ("swe_effi/openhands/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/openhands/qwen3-32B/combined_stats.json", "91f2f8e8504ff0764603854294930bc690675cd1bcc9a55dd5f39d66bca7fd04"),
    ("swe_effi/swe-agent/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/swe-agent/GPT-4o-mini-2024-07-18/combined_stats.json", "011e39d89c1458b4db00877a42f103795cf69ec94e7d26cf6727d3151064f356"),
    ("swe_effi/swe-agent/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/swe-agent/llama-3.3-70B-Instruct-FP8/combined_stats.json", "7494e1f591ae83982614b97db8d42b928c46e07c3c3942e5e5097454fdfcf5cf"),
    ("swe_effi/swe-agent/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/swe-agent/qwen3-32B/combined_stats.json", "38e14dee3eac6904c3ed08f3a7f3e3c7a181500a2a59e2304024dc3b31d802bf"),
    ("terminal_bench/model_total_statistics", "laude-institute/terminal-bench-experiments", "notebooks/total_avg_episodes_pipeline/results/model_total_statistics.csv", "ca6b26febfa3f9b1c546ead35991cc755d214150ec68a798ec778c1e4018792d"),
    ("terminal_bench/trial_token_usage", "laude-institute/terminal-bench-experiments", "notebooks/output_token_analysis_pipeline/results/trial_token_usage.csv", "47b242007ba173d8ab9631ef78fd70bcc882d077b01a885af6ef300f4358a680"),
    ("tracelab/claude_trace", "uw-syfi/TraceLab", "example_sessions/claude/trace.json", "da768a5c5e3f6705d4e99cfbf8026cb78644795940f4e0b926da04e904530375"),
    ("tracelab/pricing", "uw-syfi/TraceLab", "artifacts/utils/pricing.json", "ce690a23d0ab05862e325beae2c6935ea99632cc2cb97d3370fcc80b0215e929"),
    ("tracelab/round_trace_derived", "uw-syfi/TraceLab", "example_sessions/derived/round_trace.jsonl", "0a16b1e8e31f42038d321e77ff1833b1f710101156d81e1c122308560ad7ca19"),
    ("tracelab/round_trace_sanitized", "uw-syfi/TraceLab", "example_sessions/sanitized/round_trace.jsonl", "314c49483148fe68e230a683f739e3e6e68d478948ecf342739596f30af36b57"),]

REGISTRY: dict[str, DataFile] = {n: DataFile(n, REPOS[r], p, h) for n, r, p, h in _ENTRIES}


class DataUnavailable(FileNotFoundError):
    """A logged file is not on this machine and could not be fetched."""


class HashMismatch(ValueError):
    """A file's SHA-256 differs from the pinned one."""


def entry(name: str) -> DataFile:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no registered data file named {name!r}; known: {sorted(REGISTRY)}") from None


def names(prefix: str = "") -> list[str]:
    return sorted(n for n in REGISTRY if n.startswith(prefix))


def mirror_root() -> Path | None:
    m = os.environ.get("DATA_MIRROR", "").strip()
    if not m:
        return None
    p = Path(os.path.expanduser(m))
    return p if p.is_absolute() else (paths.ROOT / p).resolve()


def how_to_get(name: str) -> str:
    e = entry(name)
    return (f"logged file {name!r} ({e.relpath}) is not available on this machine. Get it with `make data` "
            f"(needs internet access to {e.url}), or set DATA_MIRROR to a folder laid out as "
            f"OWNER/REPO/COMMIT/PATH that holds it, then run `make data` again.")


def _mirror_downloader(mirror: Path, e: DataFile):
    def download(url, output_file, pooch_obj):  # pooch's downloader protocol
        src = mirror / e.relpath
        if not src.is_file():
            raise DataUnavailable(f"DATA_MIRROR={mirror} has no file {e.relpath}")
        shutil.copyfile(src, output_file)
    return download


_NETWORK_FAILED = False  # after one network failure in this process, do not retry for every file


def _readable(p: Path) -> None:
    """Data files are ordinary readable files (0644 under the usual umask), not pooch's temporary 0600."""
    umask = os.umask(0)
    os.umask(umask)
    want = 0o666 & ~umask
    if p.stat().st_mode & 0o777 != want:
        os.chmod(p, want)


def _is_pooch_temp(p: Path) -> bool:
    """A temporary download of pooch (``tempfile.NamedTemporaryFile``: ``tmp`` + 8 characters, no suffix)."""
    import re

    return p.is_file() and re.fullmatch(r"tmp[a-z0-9_]{8}", p.name) is not None


def clean_leftovers() -> list[Path]:
    """Remove the temporary files a killed fetch left next to the registered files; return them.

    Only files named like pooch's temporaries, in the folders of registered files, that are not
    themselves registered files are removed (``make`` runs one fetch at a time: reports/.make.lock).
    """
    registered = {e.local for e in REGISTRY.values()}
    removed = []
    for folder in sorted({e.local.parent for e in REGISTRY.values()}):
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p not in registered and _is_pooch_temp(p):
                p.unlink(missing_ok=True)
                removed.append(p)
    return removed


def fetch(name: str, *, network: bool = True) -> Path:
    """Return the verified local path of ``name``, fetching it (mirror or network) if needed.

    Raises ``HashMismatch`` naming the file when the fetched bytes do not match the
    pinned SHA-256 (nothing is left behind), and ``DataUnavailable`` with
    instructions when the file cannot be had.
    """
    global _NETWORK_FAILED
    import warnings

    with warnings.catch_warnings():  # pooch's optional tqdm import warns about ipywidgets in notebooks
        warnings.filterwarnings("ignore", message="IProgress not found")
        import pooch

    pooch.get_logger().setLevel("WARNING")  # its 'Downloading from URL' line is wrong for the mirror

    e = entry(name)
    if e.local.is_file() and file_sha256(e.local) == e.sha256:
        _readable(e.local)
        return e.local
    mirror = mirror_root()
    if mirror is None and (not network or _NETWORK_FAILED):
        raise DataUnavailable(how_to_get(name))
    downloader = _mirror_downloader(mirror, e) if mirror else pooch.HTTPDownloader(timeout=30)
    try:
        out = pooch.retrieve(e.url, known_hash=f"sha256:{e.sha256}", fname=e.local.name,
                             path=e.local.parent, downloader=downloader, progressbar=False)
    except DataUnavailable as exc:
        raise DataUnavailable(f"{exc}. {how_to_get(name)}") from None
    except ValueError as exc:
        if "hash" in str(exc).lower() or "sha256" in str(exc).lower():
            raise HashMismatch(f"SHA-256 mismatch for logged file {name!r} ({e.relpath}): expected {e.sha256}; "
                               f"the fetched copy was discarded. Upstream said: {exc}") from None
        raise
    except Exception as exc:  # network errors: requests.ConnectionError, timeouts, ...
        if mirror is None:
            _NETWORK_FAILED = True
        raise DataUnavailable(f"{how_to_get(name)} (download failed: {type(exc).__name__})") from None
    _readable(Path(out))
    return Path(out)


def available(name: str) -> bool:
    """True when ``name`` is on this machine with the pinned hash (never fetches)."""
    e = entry(name)
    return e.local.is_file() and file_sha256(e.local) == e.sha256


def local_path(name: str) -> Path:
    """The verified path of ``name``: use the local copy, else try the mirror/network once."""
    return fetch(name)


def status():
    """A frame with one row per registered file: name, repo, license, available."""
    import pandas as pd

    rows = [{"name": e.name, "repository": e.repo.owner_repo, "commit": e.repo.commit[:8],
             "license": e.license, "available": available(e.name), "sha256": e.sha256}
            for e in REGISTRY.values()]
    return pd.DataFrame(rows)


def fetch_all(manifest: Path | None = None) -> int:
    """Fetch every file; print a status line per file; write the manifest if asked.

    Every file is tried, whatever happened to the ones before: leftovers of a killed fetch are removed
    first, then each file is fetched and verified. Returns the number of files still missing; when any
    file's hash did not match, raises ``HashMismatch`` naming every such file (after the manifest is
    written: mismatched files count as missing there).
    """
    for p in clean_leftovers():
        print(f"  removed  {p.relative_to(paths.data_external()) if p.is_relative_to(paths.data_external()) else p}"
              f" (temporary file of an interrupted fetch)")
    missing, mismatched = [], []
    for n in names():
        try:
            fetch(n)
            print(f"  ok       {n}")
        except DataUnavailable:
            missing.append(n)
            print(f"  MISSING  {n}")
        except HashMismatch as exc:
            missing.append(n)
            mismatched.append(str(exc))
            print(f"  MISMATCH {n}")
    if missing:
        print(f"\n{len(missing)} of {len(REGISTRY)} logged files are not available. "
              f"Without network access set DATA_MIRROR (see README, 'Data'); the notebooks "
              f"will say which sections could not run.", file=sys.stderr)
    if manifest is not None:
        doc = {n: (REGISTRY[n].sha256 if n not in missing else None) for n in names()}
        text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
        # rewrite only when availability changed, so notebooks re-run only then
        # (make's stamp rule is separate: see the Makefile's 'data' section)
        if not (manifest.exists() and manifest.read_text() == text):
            atomic_write_text(manifest, text)
    if mismatched:
        raise HashMismatch(f"{len(mismatched)} file(s) did not match their pinned SHA-256:\n  " + "\n  ".join(mismatched))
    return len(missing)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.registry", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="fetch and verify every registered file")
    f.add_argument("--manifest", type=Path, default=None)
    sub.add_parser("status", help="list registered files and whether they are here")
    args = ap.parse_args(argv)
    if args.cmd == "fetch":
        try:
            fetch_all(args.manifest)
        except HashMismatch as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    print(status().drop(columns="sha256").to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
