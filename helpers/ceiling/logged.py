"""Claim 4 on logged per-problem counts: Large Language Monkeys (Pythia sizes) and Terminal-Bench.

Both give per-problem (per-task) counts of correct samples, so each model gets the Beta mixture fitted to its
counts (``fit_counts.bootstrap_counts_fit``: profile interval of the coverage ceiling, bootstrap over
problems for everything else). Monkeys: smaller Pythia models against a larger reference (a capability
gap; cost in parameter-count units), majority-vote and verifier limits as plug-in means at p̂ = c/n, and the
reference curve handed to the fits only up to ``observed_k_max`` (an extrapolation test). Terminal-Bench:
reasoning against instruct models with each model's mean tokens per trial; all three limits from the mixture.
Every function draws from the ``rng`` passed in, in a fixed order.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from .. import bootstrap, datasets, registry
from ..validate import ParameterError
from .budget import catch_up
from .data import pythia_parameters
from .fit_counts import (boot_interval, bootstrap_counts_fit, counts_asymptote_terms, counts_curve,
                         mixture_fit_asymptote)
from .fit_curve import fit_beta_mixture_curve, generic_ceilings
from .model import AGGREGATIONS, mixture_curve


def _load(loader):
    try:
        return loader()
    except registry.DataUnavailable as exc:
        print(exc)
        return None


def monkeys(rec, p, s, rng) -> SimpleNamespace | None:
    """Fit every Pythia size's counts and record its limits; None (and the reason printed) without the data."""
    mk = _load(datasets.monkeys_counts)
    if mk is None:
        return None
    models = sorted(mk["model"].unique(), key=pythia_parameters)
    if p.monkeys_reference not in models:
        raise ParameterError(f"parameter 'monkeys_reference' = {p.monkeys_reference!r} is not one of {models}")
    if s.monkeys_smaller is not None:  # quick mode: the reference and sizes below it spread from the smallest up
        below = [m for m in models if pythia_parameters(m) < pythia_parameters(p.monkeys_reference)]
        drop = set(below) - {below[i] for i in np.linspace(0, len(below) - 1, s.monkeys_smaller).round().astype(int)}
        models = [m for m in models if m not in drop]
        mk = mk[mk["model"].isin(models)]
    n_per = int(mk["n_samples"].median())
    print(f"{len(models)} models x {mk['problem_id'].nunique()} problems, {n_per:,} samples per problem (median).")
    fits, data, summ = {}, {}, []
    for model in models:
        g = mk[mk["model"] == model]
        n_, c_ = g["n_samples"].to_numpy(float), g["n_correct"].to_numpy(float)
        fit = bootstrap_counts_fit(n_, c_, s.n_boot, rng, max_width=p.max_ci_width, profile_points=s.profile_points,
                                   profile_xtol=s.profile_xtol)
        fits[model], data[model] = fit, (n_, c_)
        role = "reference" if model == p.monkeys_reference else "smaller"
        rec.add_asym("large_language_monkeys", model, "pass_at_k", fit.ceiling, fit.ceiling_ci, fit.identifiable,
                     "beta_mixture", role)
        W = bootstrap.counts(len(n_), s.n_boot, rng)
        row = {"model": model, "single-sample accuracy": float(np.mean(c_ / n_)),
               "solved at least once": float(np.mean(c_ > 0)), "pi0": fit.mixture.pi0, "ceiling": fit.ceiling,
               "ceiling lo": fit.ceiling_ci[0], "ceiling hi": fit.ceiling_ci[1]}
        for agg in ("majority_vote", "verifier"):
            terms = counts_asymptote_terms(n_, c_, agg, s.selector)
            lo, hi, ident = boot_interval(W @ terms / len(n_), p.max_ci_width)
            rec.add_asym("large_language_monkeys", model, agg, float(terms.mean()), [lo, hi], ident, f"{agg}_limit",
                         role)
            row[f"{agg} limit"] = float(terms.mean())
        summ.append(row)
    return SimpleNamespace(rows=len(mk), models=models, n_per=n_per, fits=fits, data=data, summary=pd.DataFrame(summ))


def monkeys_catch_up(mk, rec, p, s) -> str:
    """Budgets of the smaller models to reach the reference's single sample; the text the notebook prints."""
    ref_n, ref_c = mk.data[p.monkeys_reference]
    target = float(np.mean(ref_c / ref_n))
    params_ref = pythia_parameters(p.monkeys_reference)
    mk.smaller = [m for m in mk.models if pythia_parameters(m) < params_ref]
    for model in mk.smaller:
        n_, c_ = mk.data[model]
        for agg in AGGREGATIONS:
            a_ = rec.asym_of("large_language_monkeys", model, agg)
            curve_fn = (lambda k, n_=n_, c_=c_, agg=agg, mix=mk.fits[model].mixture:
                        counts_curve(n_, c_, agg, k, s.selector, mixture=mix))
            res = catch_up(curve_fn, a_["asymptote"], target, tokens_nr=1.0, tokens_r=1.0,
                           price_nr=pythia_parameters(model), price_r=params_ref, k_max=s.k_max[agg],
                           asymptote_ci=a_["ci"])
            res["tokens_needed"] = None  # token counts per sample are not in the data
            rec.add_catch("large_language_monkeys", "capability_gap", model, p.monkeys_reference, agg, res, n_.min())
    cat = rec.catch_frame("large_language_monkeys")
    lines = [f"Target: {p.monkeys_reference}'s single-sample accuracy {target:.4f}; cost in parameter-count units.",
             cat[["non_reasoning_model", "aggregation", "samples_needed", "cost_ratio", "asymptote", "status"]]
             .to_string(index=False)]
    tr = cat[cat["status"] == "transient"]
    if len(tr):
        lines.append(f"\n{len(tr)} majority-vote catch-up(s) are transient: reached at k = "
                     f"{', '.join(str(int(k)) for k in tr['samples_needed'])} and lost again as k grows (the limit is "
                     f"below the target). They come from the vote model's rule that scattered wrong answers never win "
                     f"a plurality, which favours the right answer when every answer has one vote; the verdict does "
                     f"not count them.")
    return "\n".join(lines)


def monkeys_extrapolation(mk, p, s) -> SimpleNamespace:
    """The reference curve handed to each fit only up to ``observed_k_max``, against the full sample range."""
    ref_n, ref_c = mk.data[p.monkeys_reference]
    n_per = mk.n_per
    k_obs = np.unique(np.round(np.geomspace(1, min(p.observed_k_max, n_per),
                                            int(np.log2(min(p.observed_k_max, n_per))) + 1)))
    y_obs = counts_curve(ref_n, ref_c, "pass_at_k", k_obs)
    y_at_full = float(counts_curve(ref_n, ref_c, "pass_at_k", [n_per])[0])
    gen = generic_ceilings(k_obs, y_obs, len(ref_n), s.curve_forms, profile_points=s.curve_profile_points,
                           gradient=s.curve_gradient, profile_xtol=s.curve_profile_xtol)
    bm = fit_beta_mixture_curve(k_obs, y_obs, len(ref_n), max_width=p.max_ci_width, profile_xtol=s.profile_xtol,
                                profile_points=s.profile_points)
    rows = [{"method": "beta_mixture (curve up to k_obs)",
             "predicted at full k": float(mixture_curve(bm.mixture, "pass_at_k", [n_per])[0]),
             "ceiling": bm.ceiling, "lo": bm.ceiling_ci[0], "hi": bm.ceiling_ci[1], "identifiable": bm.identifiable}]
    for r in gen.itertuples():
        rows.append({"method": r.method,
                     "predicted at full k": float(np.clip(r.fit.predict(np.array([float(n_per)])), 0, 1)[0]),
                     "ceiling": r.asymptote, "lo": r.lo, "hi": r.hi, "identifiable": r.identifiable})
    fr = mk.fits[p.monkeys_reference]
    rows.append({"method": "beta_mixture (all counts)",
                 "predicted at full k": float(mixture_curve(fr.mixture, "pass_at_k", [n_per])[0]),
                 "ceiling": fr.ceiling, "lo": fr.ceiling_ci[0], "hi": fr.ceiling_ci[1], "identifiable": fr.identifiable})
    tab = pd.DataFrame(rows)
    tab["error at full k"] = tab["predicted at full k"] - y_at_full
    tab["ceiling below observed"] = tab["ceiling"] < y_at_full - 1e-9
    tab["interval below observed"] = tab["hi"] < y_at_full - 1e-9
    text = (f"{p.monkeys_reference}: pass@k observed up to k = {int(k_obs.max())} in the fits; at k = {n_per:,} the "
            f"data show {y_at_full:.3f} (a lower bound on the ceiling).\n" + tab.round(3).to_string(index=False))
    return SimpleNamespace(k_obs=k_obs, y_obs=y_obs, y_at_full=y_at_full, generic=gen, beta=bm, table=tab, text=text)


def terminal_bench(rec, p, s, rng) -> SimpleNamespace | None:
    """Fit every chosen model's per-task counts and record its limits; None without the data."""
    tb = _load(datasets.terminal_bench_trials)
    if tb is None:
        return None
    known = sorted(tb["model"].unique())
    for name, lst in [("tb_reasoning_models", s.tb_r), ("tb_non_reasoning_models", s.tb_nr)]:
        for m_ in lst:
            if m_ not in known:
                raise ParameterError(f"parameter {name!r}: model {m_!r} is not in Terminal-Bench; known: {known}")
    per_task = (tb.groupby(["model", "task"])
                .agg(n=("success", "size"), c=("success", "sum"), tokens=("total_tokens", "mean")).reset_index())
    fits, target, tokens, rows = {}, {}, {}, []
    for model in s.tb_r + s.tb_nr:
        g = per_task[per_task["model"] == model]
        n_, c_ = g["n"].to_numpy(float), g["c"].to_numpy(float)
        fit = bootstrap_counts_fit(n_, c_, s.n_boot, rng, max_width=p.max_ci_width, profile_points=s.profile_points,
                                   profile_xtol=s.profile_xtol)
        kind = "reasoning" if model in s.tb_r else "non_reasoning"
        fits[model] = fit
        target[model] = float(np.mean(c_ / n_))
        tokens[model] = float(tb.loc[tb["model"] == model, "total_tokens"].mean())
        rec.add_asym("terminal_bench", model, "pass_at_k", fit.ceiling, fit.ceiling_ci, fit.identifiable,
                     "beta_mixture", kind)
        row = {"model": model, "kind": kind, "tasks": len(g), "trials per task": float(np.median(n_)),
               "single-sample": target[model], "solved at least once": float(np.mean(c_ > 0)),
               "tokens per trial": tokens[model], "ceiling": fit.ceiling, "lo": fit.ceiling_ci[0],
               "hi": fit.ceiling_ci[1]}
        for agg in ("majority_vote", "verifier"):
            d = mixture_fit_asymptote(fit, agg, s.selector, s.n_nodes, p.max_ci_width)
            rec.add_asym("terminal_bench", model, agg, d["asymptote"], d["ci"], d["identifiable"],
                         f"beta_mixture+{agg}_limit", kind)
            row[f"{agg} limit"] = d["asymptote"]
        rows.append(row)
    n_ident = sum(r["identifiable"] for r in rec.asym if r["dataset"] == "terminal_bench"
                  and r["aggregation"] == "pass_at_k")
    text = (pd.DataFrame(rows).round(3).to_string(index=False) + f"\n\nCoverage ceilings identified (95% interval at "
            f"most {p.max_ci_width} wide): {n_ident} of {len(s.tb_r + s.tb_nr)} models.")
    return SimpleNamespace(rows=len(tb), per_task=per_task, fits=fits, target=target, tokens=tokens, text=text)


def terminal_bench_catch_up(tb, rec, p, s) -> str:
    """Budgets of each instruct model's fitted mixture to reach each reasoning model's single trial."""
    for r_model in s.tb_r:
        for nr_model in s.tb_nr:
            for agg in AGGREGATIONS:
                a_ = rec.asym_of("terminal_bench", nr_model, agg)
                mix = tb.fits[nr_model].mixture
                res = catch_up(lambda k, mix=mix, agg=agg: mixture_curve(mix, agg, k, s.selector, s.nodes[agg]),
                               a_["asymptote"], tb.target[r_model], tokens_nr=tb.tokens[nr_model],
                               tokens_r=tb.tokens[r_model], price_nr=p.price_ratio, k_max=s.k_max[agg],
                               asymptote_ci=a_["ci"])
                rec.add_catch("terminal_bench", "reasoning_vs_non_reasoning", nr_model, r_model, agg, res,
                              tb.per_task.loc[tb.per_task["model"] == nr_model, "n"].min())
    cat = rec.catch_frame("terminal_bench")
    n_ext = int(cat["extrapolated"].fillna(False).astype(bool).sum())
    nr_n = tb.per_task.loc[tb.per_task["model"].isin(s.tb_nr), "n"]
    return (cat[["non_reasoning_model", "reasoning_model", "aggregation", "target_accuracy", "samples_needed",
                 "cost_ratio", "asymptote", "status", "extrapolated"]].round(3).to_string(index=False)
            + f"\n{n_ext} of {int(cat['samples_needed'].notna().sum())} finite catch-up budgets lie beyond the trials "
            f"per task in the data ({int(nr_n.min())} to {int(nr_n.max())} for these models): they rest on the fitted "
            f"mixture.")
