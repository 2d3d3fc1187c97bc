"""The notebook's evidence run: each data source through evaluation, split-half replay and fitted-prior cells.

``Study`` holds a run's checked parameters, its sizes (``params.sizes``), the one seeded Generator and what
the sources add up to: evaluated datasets (``evaluation.evaluate_dataset``, in-sample, every policy), the
predictors used, the replayed cells (``replay.replay_cells``: the policy chosen on one part of the problems,
scored on the rest; these decide) and the fitted-prior cells (``prior.prior_bootstrap``: shown apart), and
the data sources of the results file. Every draw comes from ``rng`` in the order the notebook calls.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import registry, results
from .data import add_predictor, prepare_counts
from .evaluation import evaluate_dataset
from .prior import prior_bootstrap
from .replay import replay_cells
from .verdict import headline_view, prior_rows

CELL_COLUMNS = ["source", "setting", "model", "aggregation", "split_seed", "budget", "policy", "ratio", "gain", "spend",
                "k_sat", "choose_ratio", "boot", "n_choose", "n_score", "n_min"]


class Study:
    """One run's sources and their evaluations (see the module docstring)."""

    def __init__(self, p, z, rng: np.random.Generator, rule):
        self.p, self.z, self.rng, self.rule = p, z, rng, rule
        self.evaluated, self.predictors, self.logged_keys = {}, {}, []
        self.sources, self.replay_frames, self.prior_evidence = [], [], []

    def _limit(self, frame: pd.DataFrame, user: bool = False) -> pd.DataFrame:
        """The first models of a frame (quick mode): ``max_models`` of a study dataset, ``max_user_models`` of
        the user's file; None keeps every model."""
        cap = getattr(self.z, "max_user_models", self.z.max_models) if user else self.z.max_models
        if cap is None:
            return frame
        return frame[frame["model"].isin(sorted(frame["model"].unique())[:cap])]

    def evaluate(self, name: str, pops: dict, bins: dict, ids: dict | None = None, n_boot: int | None = None,
                 level: bool = True):
        p, z = self.p, self.z
        kw = {"level": p.level} if level else {}
        if getattr(z, "n_lambda", None) is not None:  # quick mode: a coarser threshold grid (params.sizes)
            kw["n_lambda"] = z.n_lambda
        return evaluate_dataset(name, pops, z.budgets, self.rng, bins=bins, ids=ids, probe_m=p.probe_samples,
                                n_boot=z.n_boot if n_boot is None else n_boot, uniform_max=z.uniform_max,
                                share_budget=float(p.share_budget), hard_max=p.hard_max_p, easy_min=p.easy_min_p,
                                **kw)

    def run_counts(self, name: str, frame: pd.DataFrame, predictor: str = "auto", label_order=None) -> str:
        """Evaluate a logged counts frame in-sample (every policy, bootstrap over problems); the line to print."""
        p = self.p
        frame = self._limit(frame, user=name == "user")
        prep = prepare_counts(frame, self.z.budgets, self.rng, coarse_mode=p.coarse_evaluation,
                              cost_weighted=p.cost_weighted, predictor=predictor, n_bins=p.n_bins,
                              noise=p.predictor_noise, floor=p.predictor_floor, label_order=label_order)
        res = self.evaluate(name, prep.pops, prep.bins, prep.ids)
        self.evaluated[name] = res
        self.logged_keys.append(name)
        info = self.predictors[name] = {"predictor": sorted(set(prep.predictor.values())),
                                        "spearman_median": float(np.nanmedian(list(prep.spearman.values())))}
        modes = sorted(set(q.mode for q in prep.pops.values()))
        return (f"{name}: {len(prep.pops)} model(s), {sum(res.n_problems.values())} model-problem pairs, "
                f"median {np.median(frame['n_samples']):g} logged samples per problem; evaluation: "
                f"{', '.join(modes)}; predictor: {info['predictor'][0]} "
                f"(median Spearman with c/n {info['spearman_median']:.2f})")

    def mcpmark_sources(self, runs: pd.DataFrame | None, counts: pd.DataFrame | None = None) -> None:
        """MCPMark's task results (pinned file by file in the registry) and its summary; unavailable: None."""
        if runs is None:
            self.sources.append(results.source("mcpmark/task_results", "logged", None, None, available=False))
            return
        self.sources.append(results.source("mcpmark/task_results", "logged", len(runs), None,
                                           note="127 task files, each pinned by SHA-256 in the registry"))
        self.sources.append(results.source("mcpmark/summary", "logged", counts["model"].nunique(),
                                           registry.entry("mcpmark/summary").sha256))

    def logged_source(self, name: str, rows, available: bool = True, note=None) -> None:
        self.sources.append(results.source(name, "logged", rows, registry.entry(name).sha256, available=available,
                                           note=note))

    def replay(self, name: str, frame: pd.DataFrame, budgets, setting: str, limit: bool = True) -> pd.DataFrame:
        """Split-half replay of a counts frame (``replay.replay_cells``); cells kept for the evidence table."""
        p = self.p
        f = frame if "score" in frame else add_predictor(frame)
        if limit:
            f = self._limit(f)
        c = replay_cells(f, budgets, seed=p.seed, split_seeds=self.z.split_seeds, tpr=p.verifier_tpr,
                         fpr=p.verifier_fpr, n_boot=self.z.n_boot, n_bins=p.n_bins, split_fraction=p.split_fraction,
                         oracle_for=(p.split_seed, p.aggregation)).assign(source=name, setting=setting)
        self.replay_frames.append(c)
        return c

    def headline_view(self, cells: pd.DataFrame, aggregation: str | None = None) -> pd.DataFrame:
        return headline_view(cells, self.rule, aggregation=aggregation or self.p.aggregation,
                             split_seed=self.p.split_seed)

    def prior_cells(self, name: str, frame: pd.DataFrame, setting: str) -> None:
        """Reference-budget cells through the fitted prior, refitted in every resample: shown apart, never decide."""
        z = self.z
        if z.n_boot_prior == 0:
            return
        models = sorted(frame["model"].unique())
        for m in (models[:z.max_models] if z.max_models is not None else models):  # one prior per model
            g = frame[frame["model"] == m]
            pb = prior_bootstrap(g["n_samples"], g["n_correct"], g["cost"] if self.p.cost_weighted else None, z.ref,
                                 self.rng, n_boot=z.n_boot_prior, uniform_max=z.uniform_max, policies=("early_stop",))
            self.prior_evidence.extend(prior_rows(name, m, setting, z.ref, pb["ratio"]["early_stop"],
                                                  pb["boot"]["early_stop"], self.rule))

    def all_cells(self) -> pd.DataFrame:
        if not self.replay_frames:
            return pd.DataFrame(columns=CELL_COLUMNS)
        return pd.concat(self.replay_frames, ignore_index=True)

    def plugin_comparison(self, frames: dict) -> pd.DataFrame:
        """Ratios at the reference budgets under the other coarse evaluation model (plug-in vs posterior).

        ``frames``: dataset name -> a function giving its counts frame (only datasets evaluated run)."""
        p, rows = self.p, []
        for name, frame_fn in frames.items():
            if name not in self.evaluated:
                continue
            frame = self._limit(frame_fn())
            alt_mode = "plugin" if p.coarse_evaluation == "posterior" else "posterior"
            prep = prepare_counts(frame, self.z.budgets, self.rng, coarse_mode=alt_mode, cost_weighted=p.cost_weighted,
                                  n_bins=p.n_bins, noise=p.predictor_noise, floor=p.predictor_floor)
            alt = self.evaluate(name, prep.pops, prep.bins, prep.ids, n_boot=0, level=False)
            for res, mode in ((self.evaluated[name], p.coarse_evaluation), (alt, alt_mode)):
                r = res.ratios[(res.ratios["model"] == res.level_model) & res.ratios["mean_budget"].isin(self.z.ref)]
                rows += [{"dataset": name, "evaluation": mode, "policy": row.policy, "mean_budget": row.mean_budget,
                          "ratio": row.ratio} for row in r.itertuples()]
        return pd.DataFrame(rows)
