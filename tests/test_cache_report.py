"""helpers.cache.report, metrics and figures: the printed numbers are the computed ones, the metrics keep the
results file's keys, every figure is labelled; and the resampling goes through helpers.bootstrap with the
draws the old code made (identical intervals)."""
from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest

from helpers import bootstrap, cache, datasets, pricing, tokens
from helpers.cache import figures, metrics, report

matplotlib.use("Agg")
SMALL = cache.AgentParams(days=4, sessions_per_day=2.0, turns_per_session=15.0)


@pytest.fixture(scope="module")
def sim():
    return pricing.price_ledger(cache.simulate_agent(SMALL, np.random.default_rng(0), 3), pricing.price_table())


def _logs(sim):
    priced = {"a": sim[sim["rep"] == 0], "b": sim[sim["rep"] > 0]}
    rng = np.random.default_rng(1)
    return SimpleNamespace(priced=priced, totals={k: tokens.totals(v) for k, v in priced.items()},
                           ci={k: cache.bootstrap_shares(v, "session", rng, 50) for k, v in priced.items()},
                           price_notes={"a": {"m": "default"}}, sources=[], dedup={}, tracelab_pricing=None)


def test_published_figures_match_the_table():
    ce = datasets.headline_figures()
    pub = report.published(ce[ce["claim"] == "cache_economics"].reset_index(drop=True))
    assert pub["share"] == pytest.approx(0.829)
    assert pub["lo"] == min(pub["openhands"]) and pub["hi"] == max(pub["openhands"] + [pub["share"], pub["tracelab"]])
    assert "82.9% of all recorded tokens" in report.published_text(pub)


def test_sensitivity_text_finds_the_settings_below_the_threshold():
    d = lambda vals, shares: pd.DataFrame({"value": vals, "cache_read_share_tokens": shares,  # noqa: E731
                                           "cost_per_artifact_usd": [1.0] * len(vals)})
    sens = {"cache_ttl_s": d([10, 300], [0.3, 0.9]), "compaction_threshold_tokens": d([6e4, 1.6e5], [0.8, 0.9])}
    breaks, in_oh, text = report.sensitivity_text(sens, 0.5, [0.1, 0.45])
    assert breaks == [("cache_ttl_s", 10.0)] and in_oh == [("cache_ttl_s", 10.0)]
    assert "cache_ttl_s = 10" in text and "80.0% or more" in text
    assert report.sensitivity_text(sens, 0.2, [0.1, 0.2])[:2] == ([], [])


def test_break_even_text_names_the_window_only_with_two_crossings():
    assert "between 100 s and 5,000 s" in report.break_even_text([100.0, 5000.0], [110.0], 0.1)
    assert report.break_even_text([], [], 0.1).count("none in the grid") == 2


def test_metrics_keep_the_results_keys_and_sum_the_ledgers(sim):
    logs = _logs(sim)
    reps = cache.summarize_reps(sim)
    lt = metrics.ledger_totals(tokens.totals(sim), reps, logs)
    assert list(lt) == ["simulator", "a", "b"]
    assert lt["a"]["calls"] + lt["b"]["calls"] == lt["simulator"]["calls"] == len(sim)
    cpa = metrics.cost_per_artifact(sim, tokens.totals(sim), reps, logs, None, None)
    assert cpa["simulator"]["cost_per_artifact_usd"] == pytest.approx(sim["cost_usd"].sum() / sim["artifacts_finished"].sum())
    assert cpa["a"]["artifacts"] is None and cpa["a"]["cost_per_artifact_usd"] is None
    m = metrics.metrics(source_entries=[], decisions={}, ledger_totals=lt, cost_per_artifact=cpa, sensitivity={},
                        dedup={}, verdict_checks={}, recovery={}, pub={"share": 0.8, "tracelab": 0.9,
                                                                       "tracelab_read_cost": 0.5, "openhands": [0.1]})
    assert list(m) == ["sources", "decisions", "ledger_totals", "cost_per_artifact", "sensitivity", "dedup",
                       "verdict_checks", "recovery", "published"]
    src = metrics.data_sources(len(sim), logs)
    assert [s["name"] for s in src[:3]] == ["simulator", "published/headline_figures.csv", "published/pricing_multipliers.csv"]


def test_figures_are_labelled(sim):
    import matplotlib.pyplot as plt

    logs = _logs(sim)
    fig = figures.daily_share(sim, 0.8, 0.5)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_ylim() == (0, 1)
    fig2 = figures.mix(sim, cache.summarize_reps(sim), logs, {"share": 0.8, "tracelab_read_cost": 0.5})
    assert [a.get_title() for a in fig2.axes] == ["Token mix", "Cost mix"]
    assert all(a.get_xlabel() for a in fig2.axes)
    plt.close("all")


def test_resampling_uses_the_old_draws(sim):
    """bootstrap_shares and task_weights draw rng.integers(0, n, size=(n_boot, n)) as before: same intervals."""
    g = tokens.group_totals(sim, "session")
    G = len(g)
    idx = np.random.default_rng(5).integers(0, G, size=(200, G))      # the old code's draw
    read, tok = g["cache_read"].to_numpy(float)[idx].sum(1), g["tokens"].to_numpy(float)[idx].sum(1)
    old = tuple(float(x) for x in np.nanpercentile(read / tok, [2.5, 97.5]))
    assert cache.bootstrap_shares(sim, "session", np.random.default_rng(5), 200)["cache_read_share_tokens"] == old
    W_old = np.zeros((200, 7))
    np.add.at(W_old, (np.repeat(np.arange(200), 7), np.random.default_rng(6).integers(0, 7, size=(200, 7)).ravel()), 1.0)
    np.testing.assert_array_equal(cache.task_weights(7, np.random.default_rng(6), 200), W_old)
    np.testing.assert_array_equal(cache.task_weights(7, np.random.default_rng(6), 200),
                                  bootstrap.counts(7, 200, np.random.default_rng(6)))
