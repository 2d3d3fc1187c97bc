"""What notebook 04 reports: the verdict's summary sentence, the data sources, the claim's metrics, the parameters.

``metrics`` assembles the claim's own block of the results file (after the rule, evidence and robustness that
``results.write`` adds): the units of the rule, the headline specification, MCPMark per configuration, the
asymptote and catch-up lists, the legacy single-sample view, the recovery check and the generic-form
comparison. ``parameters`` records the values as given plus the sizes a quick run actually used.
"""
from __future__ import annotations

import pandas as pd

from .. import datasets, registry, results


def summary(units: pd.DataFrame, evidence_tab: pd.DataFrame, p, mcp=None) -> str:
    """The verdict's sentence: per unit, how many counted comparisons catch up at matched spend."""
    ins = evidence_tab[evidence_tab["in_scope"]]
    n_ahead = int(ins["note"].str.contains("already level").sum())
    unit_txt = "; ".join(f"{r.unit}: {r.breaks} of {r.holds + r.breaks} catch up ({r.status})"
                         for r in units.itertuples())
    out = (f"At matched spend ({p.spend_view.replace('_', ' ')}, tolerance {p.catch_up_tolerance:g}), "
           f"{unit_txt or 'no in-scope comparison'}; {n_ahead} in-scope comparison(s) are already level at k = 1 "
           f"and not counted as catch-ups.")
    if mcp is not None and p.scaling_path is None:
        out += (f" MCPMark has {mcp.P.shape[2]} runs per task and configuration, so the comparisons reach at most "
                f"{mcp.P.shape[2]} runs of either side; beyond that spend the data are silent.")
    return out


def _published(name):
    p = datasets.published_path(name)
    return results.source(f"published/{p.name}", "published", len(datasets.published(name)), results.file_sha256(p))


def sources(path, s, mk=None, tb=None, mcp=None) -> list[dict]:
    """The data sources of the results file, in the order the notebook reads them."""
    out = [_published("headline_figures"), _published("browsecomp_deep_research_parallel_sampling_approx"),
           results.source("synthetic_beta_mixture_pair", "synthetic", 2 * s.synthetic_problems, None)]
    if path.file is None:
        out.append(_published("limit_of_rlvr_repro_qwen25_7b_math500_pass_at_k"))
    else:
        out.append(results.source(path.dataset, "logged", len(path.table), results.file_sha256(path.file),
                                  note="user scaling path"))
    out.append(results.source("monkeys", "logged", mk.rows if mk is not None else None,
                              registry.entry("monkeys/pass_at_k_processed").sha256, available=mk is not None))
    out.append(results.source("mcpmark", "logged", len(mcp.runs) if mcp is not None else None,
                              registry.entry("mcpmark/summary").sha256, available=mcp is not None))
    out.append(results.source("terminal_bench", "logged", tb.rows if tb is not None else None,
                              registry.entry("terminal_bench/trial_token_usage").sha256, available=tb is not None))
    return out


CATCH_FIELDS = ("dataset", "non_reasoning_model", "reasoning_model", "target_accuracy", "samples_needed",
                "tokens_needed", "cost_ratio", "aggregation", "asymptote", "status", "gap", "observed_k_max",
                "extrapolated", "view", "result", "gap_k1", "best_gap", "best_gap_ci", "best_k", "spend_ratio",
                "doubtful_label")


def generic_rows(curve_cmp: pd.DataFrame, gen_path: pd.DataFrame, path_dataset: str, p, mk=None, mk_extrap=None):
    """Ceilings of the generic forms against the Beta mixture: synthetic (truth known), the path, Monkeys."""
    rows = [{"dataset": "synthetic", "model": r["kind"], "method": r["method"], "ceiling": r["ceiling"],
             "ci": [r["lo"], r["hi"]], "identifiable": bool(r["identifiable"]), "reference": r["truth"],
             "reference_kind": "true share with p > 0"} for r in curve_cmp.to_dict("records")]
    rows += [{"dataset": path_dataset, "model": r["model"], "method": r["method"], "ceiling": r["ceiling"],
              "ci": [r["lo"], r["hi"]], "identifiable": bool(r["identifiable"]), "reference": None,
              "reference_kind": None} for r in (gen_path.to_dict("records") if len(gen_path) else [])]
    if mk is not None:
        rows += [{"dataset": "large_language_monkeys", "model": p.monkeys_reference, "method": r["method"],
                  "ceiling": r["ceiling"], "ci": [r["lo"], r["hi"]], "identifiable": bool(r["identifiable"]),
                  "reference": mk_extrap.y_at_full, "reference_kind": f"observed pass@{mk.n_per} (a lower bound)",
                  "predicted_at_reference": r["predicted at full k"]} for r in mk_extrap.table.to_dict("records")]
    return rows


def metrics(*, units, headline, mcp, rec, verdict, summary_, legacy, recovery, curve_ceilings, generic) -> dict:
    """The claim's own metrics (``results.write`` puts the rule, evidence and robustness first)."""
    return {
        "units": units.to_dict("records"),
        "headline_specification": headline,
        "mcpmark_configs": mcp.configs if mcp is not None else None,
        "asymptotes": [{k: r[k] for k in ("dataset", "model", "aggregation", "asymptote", "ci", "identifiable",
                                          "method")} for r in rec.asym],
        "catch_up": [{k: r[k] for k in CATCH_FIELDS if k in r} for r in rec.catch],
        "verdict": verdict,
        "summary": summary_,
        "per_aggregation": legacy.per_agg.to_dict("records"),  # the legacy single-sample view
        "recovery_covered": int(recovery["covered"].sum()),
        "recovery_total": int(len(recovery)),
        "generic_ceiling_misses": int(len(curve_ceilings.bad_generic)),
        "generic_ceiling_confident_misses": int(len(curve_ceilings.confident_wrong)),
        "generic_vs_beta": generic,
    }


def parameters(params, s) -> dict:
    """The parameters as given, with the sizes this run used (quick mode shrinks them), in the results' order."""
    p = params.as_dict()
    return {
        "quick": p["quick"], "seed": p["seed"],
        "scaling_path": None if p["scaling_path"] in (None, "") else str(p["scaling_path"]),
        "scaling_path_problems": p["scaling_path_problems"], "scaling_path_token_ratio": p["scaling_path_token_ratio"],
        "wrong_concentration": p["wrong_concentration"], "verifier_tpr": p["verifier_tpr"],
        "verifier_fpr": p["verifier_fpr"], "n_boot": s.n_boot, "n_nodes": s.n_nodes, "n_nodes_vote": s.n_nodes_vote,
        "profile_points": s.profile_points, "max_ci_width": p["max_ci_width"], "k_max_vote": s.k_max_vote,
        "affordable_cost_ratio": p["affordable_cost_ratio"], "holds_max_share": p["holds_max_share"],
        "breaks_min_share": p["breaks_min_share"], "count_capability_gap": p["count_capability_gap"],
        "scenario_nr_pi0": p["scenario_nr_pi0"], "scenario_r_pi0": p["scenario_r_pi0"],
        "scenario_concentration": p["scenario_concentration"],
        "reasoning_token_multiplier": p["reasoning_token_multiplier"], "price_ratio": p["price_ratio"],
        "browsecomp_read_error": p["browsecomp_read_error"], "pi0_max": p["pi0_max"], "pi0_points": s.pi0_points,
        "synthetic_problems": s.synthetic_problems, "synthetic_samples": s.synthetic_samples,
        "observed_k_max": s.observed_k_max, "monkeys_reference": p["monkeys_reference"],
        "tb_reasoning_models": s.tb_r, "tb_non_reasoning_models": s.tb_nr,
        "catch_up_tolerance": p["catch_up_tolerance"], "spend_view": p["spend_view"], "decide_by": p["decide_by"],
        "min_resolved": p["min_resolved"],
        "mcpmark_reasoning_override": dict(sorted(p["mcpmark_reasoning_override"].items())),
        "include_doubtful_labels": p["include_doubtful_labels"],
    }
