"""Claim 4 on published curves: the scaling path (RL-trained versus base model, or a user's CSV) and BrowseComp.

Scaling path: pass@k curves get the Beta mixture fitted to the aggregate curve (profile-likelihood ceiling);
majority-vote and verifier curves the generic saturating power law of ``helpers.curves``. Each
non-reasoning model's fitted curve is then asked how many samples it needs to reach the reasoning model's
single sample (``budget.catch_up``). BrowseComp (one deep-research agent, read from a figure): the generic
forms per aggregation rule, the one with the lower AIC giving the limit.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from .. import curves, datasets
from .budget import catch_up
from .data import published_scaling_path, read_scaling_path
from .fit_curve import fit_beta_mixture_curve, generic_ceilings
from .model import AGGREGATIONS, mixture_curve
from .params import QUICK_CURVE_PROFILE_POINTS, QUICK_CURVE_PROFILE_XTOL

BC_MAP = {"best_of_n": "verifier", "weighted_voting": "weighted_vote", "majority_voting": "majority_vote"}
BC_LABEL = {"best_of_n": "best-of-N by confidence (a learned verifier)", "weighted_voting": "confidence-weighted vote",
            "majority_voting": "majority vote"}


def scaling_path(file) -> SimpleNamespace:
    """The user's scaling path (``file``, read and checked now) or the RL-vs-base reproduction on MATH500."""
    if file is not None:
        return SimpleNamespace(table=read_scaling_path(file), dataset=f"user:{file.name}", kind="user_scaling_path",
                               file=file)
    table = published_scaling_path(datasets.published("limit_of_rlvr_repro_qwen25_7b_math500_pass_at_k"),
                                   reasoning="simplerl", non_reasoning="base")
    return SimpleNamespace(table=table, dataset="limit_of_rlvr_repro_qwen25_7b_math500", kind="rl_vs_base", file=None)


def path_fits(path, rec, p, s) -> tuple[dict, pd.DataFrame]:
    """Fit every (model, aggregation) curve of the path with 3 points or more; record its limit."""
    n_path = p.scaling_path_problems if p.scaling_path_problems > 0 else None
    fits, gen = {}, []
    for (model, agg), g in path.table.groupby(["model", "aggregation"], sort=True):
        g = g.sort_values("samples")
        kind = g["kind"].iloc[0]
        if len(g) < 3:
            print(f"{model} / {agg}: only {len(g)} point(s); at least 3 are needed for a fit, skipped.")
            continue
        x, y = g["samples"].to_numpy(float), g["accuracy"].to_numpy(float)
        if agg == "pass_at_k":
            fit = fit_beta_mixture_curve(x, y, n_path, max_width=p.max_ci_width, profile_points=s.profile_points,
                                         profile_xtol=s.profile_xtol)
            fits[(model, agg)] = {"kind": kind, "x": x, "y": y, "fit": fit, "method": "beta_mixture",
                                  "curve": (lambda k, m=fit.mixture: mixture_curve(m, "pass_at_k", k)),
                                  "asymptote": fit.ceiling, "ci": fit.ceiling_ci, "identifiable": fit.identifiable}
            for r in generic_ceilings(x, y, n_path, s.curve_forms, profile_points=s.curve_profile_points,
                                      gradient=s.curve_gradient, profile_xtol=s.curve_profile_xtol).itertuples():
                gen.append({"model": model, "kind": kind, "method": r.method, "ceiling": r.asymptote,
                            "lo": r.lo, "hi": r.hi, "identifiable": r.identifiable})
            gen.append({"model": model, "kind": kind, "method": "beta_mixture", "ceiling": fit.ceiling,
                        "lo": fit.ceiling_ci[0], "hi": fit.ceiling_ci[1], "identifiable": fit.identifiable})
        else:
            fit = curves.fit_curve(x, y, n_path, "power_saturating", gradient=s.curve_gradient,
                                   **({} if s.curve_profile_points is None else {"profile_points": s.curve_profile_points,
                                                                               "profile_xtol": s.curve_profile_xtol}))
            ident = bool(fit.asymptote_identifiable and fit.asymptote_ci[1] - fit.asymptote_ci[0] <= p.max_ci_width)
            fits[(model, agg)] = {"kind": kind, "x": x, "y": y, "fit": fit, "method": "power_saturating",
                                  "curve": (lambda k, f=fit: np.clip(f.predict(k), 0, 1)),
                                  "asymptote": fit.asymptote, "ci": fit.asymptote_ci, "identifiable": ident}
        pf = fits[(model, agg)]
        rec.add_asym(path.dataset, model, agg, pf["asymptote"], pf["ci"], pf["identifiable"], pf["method"], kind)
    return fits, pd.DataFrame(gen)


def path_catch_up(path, fits: dict, rec, p) -> pd.DataFrame:
    """Budget of each non-reasoning model's fitted curve to reach each reasoning model's single sample."""
    table = path.table
    models = table.drop_duplicates("model").set_index("model")["kind"]
    tokens = table.groupby("model")["tokens_per_sample"].mean()

    def single_sample(model):
        """A model's single-sample accuracy: its rows at samples == 1, else its fitted pass@k curve at k = 1."""
        rows = table[(table["model"] == model) & (table["samples"] == 1)]
        if len(rows):
            return float(rows["accuracy"].mean())
        for agg in AGGREGATIONS:
            if (model, agg) in fits:
                return float(fits[(model, agg)]["curve"](np.array([1.0]))[0])
        return np.nan

    for r_model in models[models == "reasoning"].index:
        target = single_sample(r_model)
        for nr_model in models[models == "non_reasoning"].index:
            for agg in AGGREGATIONS:
                if (nr_model, agg) not in fits or not np.isfinite(target):
                    continue
                pf = fits[(nr_model, agg)]
                t_nr, t_r = tokens.get(nr_model, np.nan), tokens.get(r_model, np.nan)
                known = bool(np.isfinite(t_nr) and np.isfinite(t_r))
                tok = dict(tokens_nr=float(t_nr), tokens_r=float(t_r)) if known else \
                    dict(tokens_nr=1.0, tokens_r=p.scaling_path_token_ratio)
                res = catch_up(pf["curve"], pf["asymptote"], target, price_nr=p.price_ratio, k_max=10 ** 12,
                               asymptote_ci=pf["ci"], **tok)
                if not known:
                    res["tokens_needed"] = None  # the path gives no token counts: the ratio rests on the assumption
                rec.add_catch(path.dataset, path.kind, nr_model, r_model, agg, res, pf["x"].max())
    return rec.catch_frame(path.dataset)


def crossings(path) -> list[str]:
    """Where the observed pass@k curves cross: the first k at which a non-reasoning model overtakes."""
    table = path.table
    models = table.drop_duplicates("model").set_index("model")["kind"]
    pk = table[table["aggregation"] == "pass_at_k"].pivot_table(index="samples", columns="model", values="accuracy")
    lines = []
    for r_model in [m for m in models[models == "reasoning"].index if m in pk]:
        for nr_model in [m for m in models[models == "non_reasoning"].index if m in pk]:
            both = pk[[r_model, nr_model]].dropna()
            over = both.index[both[nr_model] >= both[r_model]]
            if len(over):
                lines.append(f"Observed pass@k: {nr_model} overtakes {r_model} from k = {int(over.min())} "
                             f"({both.loc[over.min(), nr_model]:.3f} against {both.loc[over.min(), r_model]:.3f}).")
            else:
                lines.append(f"Observed pass@k: {nr_model} stays below {r_model} at every observed k.")
    return lines


def browsecomp(rec, p) -> SimpleNamespace:
    """Generic saturating forms per aggregation rule on the digitised BrowseComp curves; records the best by AIC."""
    bc = datasets.published("browsecomp_deep_research_parallel_sampling_approx")
    model = str(bc["model"].iloc[0])
    rows, fits = [], {}
    for col, agg in BC_MAP.items():
        x, y = bc["n_parallel_samples"].to_numpy(float), bc[col].to_numpy(float)
        for form in (("power_saturating",) if p.quick else ("power_saturating", "logistic_log")):
            f = curves.fit_curve(x, y, None, form, **({"profile_points": QUICK_CURVE_PROFILE_POINTS,
                                                         "gradient": "analytic",
                                                         "profile_xtol": QUICK_CURVE_PROFILE_XTOL} if p.quick else {}))
            fits[(agg, form)] = f
            lo, hi = f.asymptote_ci
            rows.append({"aggregation": agg, "form": form, "asymptote": f.asymptote, "lo": lo, "hi": hi,
                         "identifiable": bool(f.asymptote_identifiable and hi - lo <= p.max_ci_width),
                         "last observed": y[-1], "aic": f.aic})
    tab = pd.DataFrame(rows)
    for agg in BC_MAP.values():
        best = tab[tab["aggregation"] == agg].sort_values("aic").iloc[0]
        rec.add_asym("browsecomp_parallel_sampling", model, agg, best["asymptote"], [best["lo"], best["hi"]],
                     best["identifiable"], str(best["form"]), "reasoning")
    gap = bc["best_of_n"].iloc[-1] - bc["majority_voting"].iloc[-1]
    text = (f"\nAt N = {int(bc['n_parallel_samples'].max())} best-of-N leads majority vote by {gap:.2f}; majority vote "
            f"gained {bc['majority_voting'].iloc[-1] - bc['majority_voting'].iloc[-3]:+.2f} over the last two doublings "
            f"against {bc['best_of_n'].iloc[-1] - bc['best_of_n'].iloc[-3]:+.2f} for best-of-N.")
    return SimpleNamespace(data=bc, model=model, table=tab, fits=fits, text=text)
