"""The illustration and the recovery check of claim 4: models with known (pi0, a, b).

The anchors (GPT-4o and o1 on AIME 2024, from the headline figures) fix the single-sample accuracies of an
illustrative non-reasoning and reasoning model; the never-solved shares and the Beta concentration are
parameters. On them: the curves and limits of every aggregation (``scenario``), the catch-up budget as the
never-solved share grows (``pi0_sweep``), the majority-vote ceiling's dependence on the answer spread
(``vote_sensitivity``), and whether the fits recover known ceilings from simulated counts (``recovery``) and
from the aggregate curve alone (``curve_ceilings``).
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd

from .. import sampling
from .budget import catch_up
from .fit_counts import bootstrap_counts_fit, counts_curve, mixture_fit_asymptote
from .fit_curve import fit_beta_mixture_curve, generic_ceilings
from .model import AGGREGATIONS, BetaMixture, Selector, majority_vote_ceiling_closed_form, mixture_asymptote, \
    mixture_curve, simulate_counts

GENERIC = ["power_saturating", "logistic_log", "exp_power_law"]


def anchors(headline: pd.DataFrame) -> SimpleNamespace:
    """The claim's headline rows, the o1 post's AIME figures and the text the notebook prints about them."""
    hl = headline[headline["claim"] == "reasoning_ceiling"].reset_index(drop=True)
    o1_row = hl[(hl["source_id"] == "O1_BLOG") & hl["value"].str.contains(";")].iloc[0]
    o1_values = np.array([float(v) for v in o1_row["value"].split(";")]) / 100
    o1_samples = [int(v) for v in re.findall(r"\d+", o1_row["quantity"].split("(")[-1])]
    gpt4o = float(hl.loc[(hl["source_id"] == "O1_BLOG") & hl["value_numeric"].notna(), "value_numeric"].iloc[0]) / 100
    o1_single = float(o1_values[0])
    lines = [hl[["source_id", "quantity", "value", "unit"]].to_string(index=False), "",
             f"OpenAI's o1 post: GPT-4o {gpt4o:.0%} on AIME 2024 with one sample; o1 "
             + ", ".join(f"{v:.0%} with {k:,} sample(s)" for v, k in zip(o1_values, o1_samples)) + ".",
             f"So o1 itself gains {100 * (o1_values[1] - o1_values[0]):+.0f} points from consensus and "
             f"{100 * (o1_values[2] - o1_values[0]):+.0f} from re-ranking: external scaling helps the reasoning model "
             f"too. The question is whether it lets GPT-4o close a {100 * (o1_single - gpt4o):.0f}-point gap."]
    lines += [f"{r.source_id} (qualitative): {r.quantity}. [{r.citation}]"
              for r in hl[hl["value"].str.strip() == ""].itertuples()]
    return SimpleNamespace(gpt4o=gpt4o, o1_single=o1_single, text="\n".join(lines))


def scenario(p, s, a) -> SimpleNamespace:
    """The illustrative pair: mixtures, curves of every aggregation and their limits."""
    mixes = {"non_reasoning": BetaMixture.from_mean(a.gpt4o, p.scenario_nr_pi0, p.scenario_concentration),
             "reasoning": BetaMixture.from_mean(a.o1_single, p.scenario_r_pi0, p.scenario_concentration)}
    k_plot = np.unique(np.round(np.geomspace(1, 4096 if not p.quick else 256, 40)))
    rows = []
    for kind, mix in mixes.items():
        for agg in AGGREGATIONS:
            kk = k_plot[k_plot <= s.k_max_vote] if agg == "majority_vote" else k_plot
            acc = mixture_curve(mix, agg, kk, s.selector, s.nodes[agg])
            rows.append(pd.DataFrame({"kind": kind, "aggregation": agg, "samples": kk, "accuracy": acc}))
    limits = pd.DataFrame([{"kind": kind, "aggregation": agg, "single_sample": mix.mean, "pi0": mix.pi0,
                            "limit": mixture_asymptote(mix.pi0, mix.a, mix.b, agg, s.selector, s.n_nodes)}
                           for kind, mix in mixes.items() for agg in AGGREGATIONS])
    return SimpleNamespace(mixes=mixes, curves=pd.concat(rows, ignore_index=True), limits=limits)


def pi0_sweep(p, s, a) -> pd.DataFrame:
    """Catch-up budget of the non-reasoning model (GPT-4o's mean) against o1's single sample, over its pi0."""
    pi0_grid = np.linspace(0.0, min(p.pi0_max, 1 - a.gpt4o - 0.02), s.pi0_points)
    sweep = []
    for pz in pi0_grid:
        mix = BetaMixture.from_mean(a.gpt4o, float(pz), p.scenario_concentration)
        for agg in AGGREGATIONS:
            lim = mixture_asymptote(mix.pi0, mix.a, mix.b, agg, s.selector, s.n_nodes)
            cu = catch_up(lambda k, mix=mix, agg=agg: mixture_curve(mix, agg, k, s.selector, s.nodes[agg]), lim,
                          a.o1_single, tokens_nr=1.0, tokens_r=p.reasoning_token_multiplier, price_nr=p.price_ratio,
                          k_max=s.k_max[agg])
            sweep.append({"pi0": pz, "aggregation": agg, "limit": lim, **cu})
    return pd.DataFrame(sweep)


def sweep_text(sweep: pd.DataFrame, s, a) -> str:
    lines = [f"Perfect verifier: the non-reasoning model can catch up only while π0 < 1 - target = "
             f"{1 - a.o1_single:.2f}."]
    for agg in AGGREGATIONS:
        g = sweep[sweep["aggregation"] == agg]
        fin = g[g["samples_needed"].notna()]
        if fin.empty:
            lines.append(f"{s.agg_label[agg]}: never catches up on this grid (limit at most {g['limit'].max():.2f} "
                         f"against a target of {a.o1_single:.2f}).")
        else:
            lines.append(f"{s.agg_label[agg]}: catches up for π0 up to {fin['pi0'].max():.2f}; needs "
                         f"{int(fin['samples_needed'].min()):,} to {int(fin['samples_needed'].max()):,} samples "
                         f"(cost {fin['cost_ratio'].min():.1f}x to {fin['cost_ratio'].max():,.1f}x one reasoning "
                         f"sample).")
    return "\n".join(lines)


def vote_sensitivity(mix: BetaMixture, p, s, r_grid=(0.05, 0.1, 0.25, 0.5, 0.75, 1.0)) -> pd.DataFrame:
    """The majority-vote ceiling of ``mix`` for several answer spreads r, closed form and on quantile nodes."""
    return pd.DataFrame([{"wrong_concentration r": r, "threshold r/(1+r)": r / (1 + r),
                          "majority-vote ceiling (closed form)": majority_vote_ceiling_closed_form(mix, r),
                          "via majority_vote_limit on nodes": mixture_asymptote(
                              mix.pi0, mix.a, mix.b, "majority_vote", Selector(r, p.verifier_tpr, p.verifier_fpr),
                              s.n_nodes)}
                         for r in r_grid])


def recovery(mixes: dict, p, s, rng) -> tuple[dict, pd.DataFrame]:
    """Simulate counts from each mixture, fit them, and check the limits of these problems lie in the intervals."""
    syn, rows = {}, []
    sel = s.selector
    for kind, mix in mixes.items():
        p_true, c_syn = simulate_counts(mix, s.synthetic_problems, s.synthetic_samples, rng)
        n_syn = np.full(s.synthetic_problems, float(s.synthetic_samples))
        fit = bootstrap_counts_fit(n_syn, c_syn, s.n_boot, rng, max_width=p.max_ci_width, profile_xtol=s.profile_xtol,
                                   profile_points=s.profile_points)
        syn[kind] = {"p": p_true, "n": n_syn, "c": c_syn, "fit": fit, "mix": mix}
        in_sample = {"pass_at_k": float(np.mean(p_true > 0)),
                     "majority_vote": float(np.mean(sampling.majority_vote_limit(p_true, sel.wrong_concentration))),
                     "verifier": float(np.mean(sampling.verifier_limit(p_true, sel.tpr, sel.fpr)))}
        for agg in AGGREGATIONS:
            truth = in_sample[agg]
            if agg == "pass_at_k":
                est, (lo, hi), ident = fit.ceiling, fit.ceiling_ci, fit.identifiable
            else:
                d = mixture_fit_asymptote(fit, agg, sel, s.n_nodes, p.max_ci_width)
                est, (lo, hi), ident = d["asymptote"], d["ci"], d["identifiable"]
            rows.append({"kind": kind, "aggregation": agg,
                         "population limit": mixture_asymptote(mix.pi0, mix.a, mix.b, agg, sel, s.n_nodes),
                         "true limit (these problems)": truth, "estimate": est, "lo": lo, "hi": hi,
                         "covered": lo - 1e-9 <= truth <= hi + 1e-9, "identifiable": ident})
    return syn, pd.DataFrame(rows)


def recovery_text(recovery_: pd.DataFrame, syn: dict, s) -> str:
    lines = [recovery_.round(3).to_string(index=False),
             f"\n{int(recovery_['covered'].sum())} of {len(recovery_)} true limits of the simulated problem sets lie "
             f"inside their 95% intervals (ceiling of pass@k: profile likelihood; the others: bootstrap over problems, "
             f"{s.n_boot} resamples)."]
    for kind, d in syn.items():
        t, m_ = d["mix"], d["fit"].mixture
        lines.append(f"{kind}: true (π0, a, b) = ({t.pi0:.3f}, {t.a:.3f}, {t.b:.3f}); "
                     f"fitted ({m_.pi0:.3f}, {m_.a:.3f}, {m_.b:.3f})")
    return "\n".join(lines)


def curve_ceilings(syn: dict, p, s) -> SimpleNamespace:
    """Ceilings from the aggregate pass@k curve up to ``observed_k_max``: Beta mixture and generic forms."""
    k_obs = np.unique(np.round(np.geomspace(1, s.observed_k_max, int(np.log2(s.observed_k_max)) + 1)))
    rows, fits = [], {}
    for kind, d in syn.items():
        y_obs = counts_curve(d["n"], d["c"], "pass_at_k", k_obs)
        bm = fit_beta_mixture_curve(k_obs, y_obs, s.synthetic_problems, max_width=p.max_ci_width,
                                    profile_points=s.profile_points, profile_xtol=s.profile_xtol)
        gen = generic_ceilings(k_obs, y_obs, s.synthetic_problems, s.curve_forms,
                               profile_points=s.curve_profile_points, gradient=s.curve_gradient,
                               profile_xtol=s.curve_profile_xtol)
        fits[kind] = {"y": y_obs, "beta": bm, "generic": gen}
        truth = float(np.mean(d["p"] > 0))  # the ceiling of these simulated problems: their share with p > 0
        rows.append({"kind": kind, "method": "beta_mixture (curve)", "ceiling": bm.ceiling, "lo": bm.ceiling_ci[0],
                     "hi": bm.ceiling_ci[1], "identifiable": bm.identifiable, "truth": truth})
        rows.append({"kind": kind, "method": "beta_mixture (counts)", "ceiling": d["fit"].ceiling,
                     "lo": d["fit"].ceiling_ci[0], "hi": d["fit"].ceiling_ci[1],
                     "identifiable": d["fit"].identifiable, "truth": truth})
        for r in gen.itertuples():
            rows.append({"kind": kind, "method": r.method, "ceiling": r.asymptote, "lo": r.lo, "hi": r.hi,
                         "identifiable": r.identifiable, "truth": truth})
    cmp = pd.DataFrame(rows)
    cmp["covers truth"] = (cmp["lo"] - 1e-9 <= cmp["truth"]) & (cmp["truth"] <= cmp["hi"] + 1e-9)
    cmp["error"] = cmp["ceiling"] - cmp["truth"]
    bad = cmp[cmp["method"].isin(GENERIC) & ~cmp["covers truth"]]
    return SimpleNamespace(k_obs=k_obs, fits=fits, table=cmp, bad_generic=bad, confident_wrong=bad[bad["identifiable"]])


def curve_ceilings_text(cc: SimpleNamespace, mixes: dict) -> str:
    return "\n".join([
        f"Pass@k observed up to k = {int(cc.k_obs.max())}; 'truth' is the share of the simulated problems with p > 0 "
        f"(population value 1 - π0: " + ", ".join(f"{k} {1 - m.pi0:.2f}" for k, m in mixes.items()) + ").",
        cc.table.round(3).to_string(index=False),
        f"\nGeneric forms miss the true ceiling in {len(cc.bad_generic)} of "
        f"{int(cc.table['method'].isin(GENERIC).sum())} fits; "
        f"{len(cc.confident_wrong)} of those misses come with an interval that claims to be identified."])


def record(rec, syn: dict, p, s) -> None:
    """The synthetic pair's limits and catch-up budgets (listed, never counted by the verdict)."""
    for kind, d in syn.items():
        f = d["fit"]
        rec.add_asym("synthetic", kind, "pass_at_k", f.ceiling, f.ceiling_ci, f.identifiable, "beta_mixture", kind)
        for agg in ("majority_vote", "verifier"):
            m = mixture_fit_asymptote(f, agg, s.selector, s.n_nodes, p.max_ci_width)
            rec.add_asym("synthetic", kind, agg, m["asymptote"], m["ci"], m["identifiable"],
                         f"beta_mixture+{agg}_limit", kind)
    target = float(np.mean(syn["reasoning"]["c"] / syn["reasoning"]["n"]))
    fnr = syn["non_reasoning"]["fit"]
    for agg in AGGREGATIONS:
        a_ = rec.asym_of("synthetic", "non_reasoning", agg)
        res = catch_up(lambda k, agg=agg: mixture_curve(fnr.mixture, agg, k, s.selector, s.nodes[agg]),
                       a_["asymptote"], target, tokens_nr=1.0, tokens_r=p.reasoning_token_multiplier,
                       price_nr=p.price_ratio, k_max=s.k_max[agg], asymptote_ci=a_["ci"])
        rec.add_catch("synthetic", "synthetic", "non_reasoning", "reasoning", agg, res, s.synthetic_samples)
