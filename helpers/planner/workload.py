"""The workload: per-task single-sample success probabilities of each model kind.

Each model kind has per-task single-sample success probabilities p_i: drawn from its Beta mixture
(share pi0 never solved, Beta(a, b) on the rest; ``ceiling.BetaMixture.sample``) or read from a
per-problem counts CSV (``allocation.read_problems_csv``; p_i = c_i / n_i, the plug-in estimate, which
reads a never-solved problem as unsolvable: use many samples per problem). Costs per sample are
relative (mean 1 over tasks), so a mean budget of B samples per task spends B x the cost of one sample.
Binned allocation sees difficulty bins of a noisy predictor of p (or the CSV's difficulty labels).
Uniform k-sample accuracy and its limit are claim 4's: exact for a mixture, plug-in over problems.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from . import claims as K
from .options import KINDS


@dataclass
class Workload:
    """One model kind's tasks: single-sample success p (N,), relative cost per sample (mean 1), bins."""
    kind: str
    p: np.ndarray
    cost: np.ndarray
    bins: np.ndarray
    source: str                          # "beta_mixture" or "problems_path"
    mixture: K.BetaMixture | None = None
    n: np.ndarray | None = None          # per-problem samples and correct counts (problems_path)
    c: np.ndarray | None = None
    predictor: str = ""

    @property
    def n_problems(self) -> int:
        return int(self.p.size)

    @property
    def single_sample_accuracy(self) -> float:
        return float(self.mixture.mean) if self.mixture is not None else float(self.p.mean())

    @property
    def never_solved_share(self) -> float:
        """The mixture's pi0, or the share of problems never solved in their samples."""
        return self.mixture.pi0 if self.mixture is not None else float(np.mean(self.c == 0))

    def curve(self, k, aggregation: str, selector: K.Selector) -> np.ndarray:
        """Uniform k-sample accuracy (claim 4): exact for a mixture, plug-in over problems for counts."""
        agg = "pass_at_k" if aggregation == "pass_at_k" else "verifier"
        if self.mixture is not None:
            return K.mixture_curve(self.mixture, agg, k, selector)
        return K.weighted_curve(self.p, np.full(self.p.size, 1.0 / self.p.size), agg, k, selector)

    def asymptote(self, aggregation: str, selector: K.Selector) -> float:
        agg = "pass_at_k" if aggregation == "pass_at_k" else "verifier"
        if self.mixture is not None:
            return float(K.mixture_asymptote(self.mixture.pi0, self.mixture.a, self.mixture.b, agg, selector))
        return float(np.mean(K.counts_asymptote_terms(self.n, self.c, agg, selector)))


def _bins_from_score(p, predictor_noise, n_bins, rng, floor=1e-3):
    score = K.noisy_score(p, predictor_noise, rng, floor)
    return K.quantile_bins(score, n_bins, rng)


def mixture_workload(kind: str, pi0: float, a: float, b: float, n_problems: int, rng: np.random.Generator, *,
                     predictor_noise: float, n_bins: int) -> Workload:
    """Tasks drawn from a Beta mixture (``ceiling.BetaMixture.sample``), binned by a noisy predictor."""
    mix = K.BetaMixture(float(pi0), float(a), float(b))
    p = mix.sample(int(n_problems), rng)
    bins = _bins_from_score(p, predictor_noise, n_bins, rng)
    return Workload(kind, p, np.ones(p.size), bins, "beta_mixture", mixture=mix,
                    predictor=f"noisy logit(p), sd {predictor_noise:g}")


def read_workload_csv(path) -> dict[str, pd.DataFrame]:
    """A per-problem counts CSV (``allocation.read_problems_csv``, the format notebook 03 reads) by model kind.

    Every file notebook 03 accepts is accepted here. The kind of each row comes from the optional ``kind``
    column (``non_reasoning`` or ``reasoning``); else from ``model`` when every model value is a kind name
    (the planner's older convention); else every row describes the non-reasoning model (with a warning
    when the file holds several models: add a ``kind`` column to tell them apart).
    """
    import warnings

    p = Path(path)
    frame = K.read_problems_csv(p)
    if (frame["kind"] != "").all():
        kinds = frame["kind"]
    elif frame["model"].isin(KINDS).all():
        kinds = frame["model"]
    else:
        if frame["model"].nunique() > 1:
            warnings.warn(f"{p}: {frame['model'].nunique()} models and no 'kind' column: every row is read as "
                          f"the non-reasoning workload (add a column kind = non_reasoning|reasoning)", stacklevel=2)
        kinds = pd.Series("non_reasoning", index=frame.index)
    return {k: g.reset_index(drop=True) for k, g in frame.groupby(kinds, sort=True)}


def counts_workload(kind: str, frame: pd.DataFrame, rng: np.random.Generator, *, predictor_noise: float,
                    n_bins: int) -> Workload:
    """Tasks from per-problem counts: p = c/n (plug-in); costs rescaled to mean 1; bins from the
    difficulty_label column when every row has one, else from a noisy predictor of c/n (as in notebook 03)."""
    n = frame["n_samples"].to_numpy(float)
    c = frame["n_correct"].to_numpy(float)
    cost = frame["cost"].to_numpy(float)
    cost = cost / cost.mean()
    p = c / n
    labels = frame["difficulty_label"].astype(str)
    if (labels != "").all() and labels.nunique() > 1:
        bins, desc = K.label_bins(labels.to_numpy()), "difficulty label"
    else:
        bins = _bins_from_score(p, predictor_noise, min(n_bins, p.size), rng, max(1e-3, 0.5 / n.min()))
        desc = f"noisy logit(c/n), sd {predictor_noise:g}"
    return Workload(kind, p, cost, bins, "problems_path", n=n, c=c, predictor=desc)


def build_workloads(mixtures: Mapping[str, tuple[float, float, float]], frames: Mapping[str, pd.DataFrame] | None,
                    n_problems: int, rng: np.random.Generator, *, predictor_noise: float,
                    n_bins: int) -> dict[str, Workload]:
    """Per kind: the counts of ``frames`` (from ``read_workload_csv``) when present, else the Beta mixture
    ``mixtures[kind] = (pi0, a, b)`` with ``n_problems`` tasks. Kinds are built in ``KINDS`` order."""
    out = {}
    for kind in KINDS:
        if frames and kind in frames:
            out[kind] = counts_workload(kind, frames[kind], rng, predictor_noise=predictor_noise, n_bins=n_bins)
        else:
            pi0, a, b = mixtures[kind]
            out[kind] = mixture_workload(kind, pi0, a, b, n_problems, rng, predictor_noise=predictor_noise,
                                         n_bins=n_bins)
    return out
