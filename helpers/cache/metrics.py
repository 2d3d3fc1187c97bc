"""The claim-5 metrics of the results file (beside the rule, evidence and robustness ``results.write`` adds).

- ``sources``, ``decisions``: the part (a) source entries and part (b) decisions as computed;
- ``ledger_totals``: token sums and read shares of the simulator and of each logged source, with intervals;
- ``cost_per_artifact``: cost per token and per artifact of the simulator, each logged source (artifacts
  only when the user gives ``artifacts_in_logs``) and each coding-agent-cost-bench setup (a solved task);
- ``sensitivity``: every sweep of the simulator and the TTL break-even; ``dedup``: the log readers'
  statistics; ``verdict_checks``: thresholds and the numbers the verdict text quotes; ``recovery``: the
  ground-truth checks; ``published``: the published figures compared against.
Also ``data_sources`` (the contract's list) for the same run.
"""
from __future__ import annotations

from .. import datasets, registry, results, tokens

STAT_KEYS = ("lines", "valid", "duplicates_dropped", "malformed")
SWEEP_KEYS = ["cache_read_share_tokens", "cache_read_share_tokens_lo", "cache_read_share_tokens_hi", "cache_read_share_cost",
              "cost_per_token_usd", "cost_per_artifact_usd", "cost_per_artifact_usd_lo", "cost_per_artifact_usd_hi",
              "cold_share", "compactions"]
PUBLISHED_FILES = ["headline_figures.csv", "pricing_multipliers.csv"]


def _cost_entry(cost, toks, artifacts, **extra):
    return {"cost_per_token_usd": cost / toks if toks else None,
            "cost_per_artifact_usd": (cost / artifacts) if artifacts else None,
            "artifacts": artifacts, **extra}


def _sweep_record(d):
    return {"values": d["value"].tolist(), **{k: d[k].tolist() for k in SWEEP_KEYS}}


def ledger_totals(sim_tot, sim_reps, logs) -> dict:
    out = {"simulator": {**sim_tot, "cache_read_share_tokens_ci": [sim_reps["cache_read_share_tokens_lo"],
                                                                   sim_reps["cache_read_share_tokens_hi"]]}}
    for name, tot in logs.totals.items():
        ci = logs.ci.get(name, {}).get("cache_read_share_tokens")
        out[name] = {**tot, "cache_read_share_tokens_ci": None if ci is None else [ci[0], ci[1]]}
    return out


def cost_per_artifact(sim, sim_tot, sim_reps, logs, cb, artifacts_in_logs) -> dict:
    out = {"simulator": _cost_entry(sim_tot["cost_usd"], float(sim[tokens.TOKEN_COLUMNS].sum().sum()),
                                    int(sim["artifacts_finished"].sum()), artifact_definition="finished attempt (simulated)",
                                    cost_per_artifact_lo=sim_reps["cost_per_artifact_usd_lo"],
                                    cost_per_artifact_hi=sim_reps["cost_per_artifact_usd_hi"])}
    for name, priced in logs.priced.items():
        arts = artifacts_in_logs if name == "user_logs" else None
        out[name] = _cost_entry(float(priced["cost_usd"].sum()), float(priced[tokens.TOKEN_COLUMNS].sum().sum()), arts,
                                artifact_definition="artifacts_in_logs parameter" if arts else "not recorded in the logs",
                                cost_per_session_usd=float(priced["cost_usd"].sum()) / priced["session"].nunique())
    if cb is not None:
        for setup, r in cb.table.iterrows():
            out[f"cost_bench/{setup}"] = {
                "cost_per_token_usd": r["cost_per_mtok_usd"] / 1e6, "cost_per_artifact_usd": r["cost_per_solved_usd"],
                "artifacts": int(r["solved"]), "artifact_definition": "solved task (passing attempt)",
                "cost_per_attempt_usd": r["cost_per_attempt_usd"], "attempts": int(r["attempts"]), "pass_rate": r["pass_rate"],
                "cost_per_artifact_lo": r["cost_per_solved_lo"], "cost_per_artifact_hi": r["cost_per_solved_hi"]}
    return out


def sensitivity(sens, ctx, be, be_grid, be_sim, be_cf, breaks) -> dict:
    out = {f: _sweep_record(d) for f, d in sens.items()}
    out["stable_prefix_tokens"] = {lab: _sweep_record(d) for lab, d in ctx.items()}
    out["ttl_break_even"] = {"idle_gap_mean_s": list(be_grid),
                             "cost_per_artifact_5m": be["5-minute TTL"]["cost_per_artifact_usd"].tolist(),
                             "cost_per_artifact_1h": be["1-hour TTL"]["cost_per_artifact_usd"].tolist(),
                             "break_even_idle_gap_s_simulated": be_sim, "break_even_idle_gap_s_closed_form": be_cf}
    out["below_majority"] = [{"parameter": f, "value": v} for f, v in breaks]
    return out


def dedup(logs, roundtrip) -> dict:
    out = {k: {kk: v[kk] for kk in STAT_KEYS} for k, v in logs.dedup.items()}
    out["synthetic_claude_code"] = {kk: roundtrip["claude_code"]["read"][kk] for kk in STAT_KEYS}
    out["synthetic_codex_cli"] = {kk: roundtrip["codex_cli"]["read"][kk] for kk in STAT_KEYS}
    if "user_logs" in out:
        out["user_logs"]["unreadable"] = logs.dedup["user_logs"]["unreadable"]  # files/folders skipped
    return out


def verdict_checks(p, pub, part_status, user_given, logs, cb, sim_reps, sim_opposite, breaks, in_oh) -> dict:
    return {"majority_share": p.majority_share, "min_sessions": p.min_sessions, "share_of": p.share_of,
            "decision_confidence": p.decision_confidence, "part_share": p.part_share, "min_rows": p.min_rows,
            "published_share": pub["share"], "part_status": part_status,
            "primary_source": "user_logs" if user_given else next((k for k in ("codex_localpush", "tracelab_sample")
                                                                   if k in logs.totals), None),
            "kendall_tau_token_vs_solved": cb.tau_tok if cb is not None else float("nan"),
            "simulator_share": sim_reps["cache_read_share_tokens"], "simulator_token_vs_artifact_opposite": sim_opposite,
            "breaks": [{"parameter": f, "value": v} for f, v in breaks],
            "openhands_range_reached_by": [{"parameter": f, "value": v} for f, v in in_oh]}


def metrics(*, source_entries, decisions, ledger_totals, cost_per_artifact, sensitivity, dedup, verdict_checks,
            recovery, pub) -> dict:
    """The claim's metrics in the results file's order (``recovery``: the four checks' records)."""
    return {"sources": source_entries, "decisions": decisions, "ledger_totals": ledger_totals,
            "cost_per_artifact": cost_per_artifact, "sensitivity": sensitivity, "dedup": dedup,
            "verdict_checks": verdict_checks, "recovery": recovery,
            "published": {"case_study_share": pub["share"], "tracelab_share_of_input": pub["tracelab"],
                          "tracelab_read_share_of_spend": pub["tracelab_read_cost"], "openhands_shares": pub["openhands"]}}


def data_sources(sim_rows: int, logs) -> list[dict]:
    """The simulator, the published tables, the logged sources in the order read, TraceLab's price file."""
    out = [results.source("simulator", "synthetic", sim_rows, None)]
    out += [results.source(f"published/{f}", "published", len(datasets.published(f[:-4])),
                           results.file_sha256(datasets.published_path(f[:-4]))) for f in PUBLISHED_FILES]
    out += logs.sources
    if logs.tracelab_pricing is not None:
        out.append(results.source("tracelab/pricing", "logged", len(logs.tracelab_pricing["exact"]),
                                  registry.entry("tracelab/pricing").sha256))
    return out
