"""Regenerate the example inputs in this folder (synthetic numbers, no private text):
``.venv/bin/python data/examples/make_examples.py``. Seeded: the same files every time."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers import agent_logs
from helpers.tokens import TOKEN_COLUMNS

HERE = Path(__file__).resolve().parent
TEXT = "synthetic example text"


def main() -> None:
    rng = np.random.default_rng(2026)
    # 01 curves_path: accuracy vs budget, one series per (agent, axis); diminishing returns in log budget
    rows = []
    for series, axis, budgets, slope in (("my_agent_search", "search_steps", [1, 2, 4, 8, 16, 32, 64], 0.55),
                                         ("my_agent_thinking", "reasoning_tokens", [1000, 2000, 4000, 8000, 16000, 32000], 0.5)):
        for i, b in enumerate(budgets):
            acc = 0.85 / (1 + np.exp(-(slope * i - 1.2)))
            rows.append({"series": series, "axis": axis, "budget": b, "accuracy": round(float(acc), 3), "n": 200})
    pd.DataFrame(rows).to_csv(HERE / "curves.csv", index=False)

    # 02 runs_path: one row per run
    rows = []
    for m, skill in (("model-a", 0.0), ("model-b", 0.8), ("model-c", -0.5)):
        for task in range(6):
            for rep in range(4):
                tokens = float(np.exp(rng.normal(10.5 + 0.3 * skill, 0.6)))
                p = 1 / (1 + np.exp(-(skill + 0.4 * (np.log(tokens) - 10.5) + 0.3 * (task - 2.5) * 0.3)))
                rows.append({"model": m, "tokens": int(tokens), "score": int(rng.random() < p),
                             "tool_calls": int(rng.poisson(8)), "task": f"task-{task}", "config": f"{m}-default"})
    pd.DataFrame(rows).to_csv(HERE / "runs.csv", index=False)

    # 03 / 07 problems_path: per-problem sample counts
    rows = []
    # model is a free label for 03; the planner (07) reads it as the model kind, so use the two kinds
    for m, shift in (("non_reasoning", 0.0), ("reasoning", 1.0)):
        p = rng.beta(0.6, 0.9, size=40)
        p = np.clip(p + shift * 0.1, 0, 1)
        n_correct = rng.binomial(16, p)
        for i in range(40):
            label = "easy" if p[i] > 0.6 else ("hard" if p[i] < 0.2 else "medium")
            rows.append({"problem_id": f"p{i:03d}", "n_samples": 16, "n_correct": int(n_correct[i]), "model": m,
                         "difficulty_label": label, "cost": 1.0})
    pd.DataFrame(rows).to_csv(HERE / "problems.csv", index=False)

    # 04 scaling_path: pass@k by samples for a reasoning and a non-reasoning model
    rows = []
    k = np.array([1, 2, 4, 8, 16, 32, 64, 128])
    for model, kind, pi0, p1, tok in (("my-reasoner", "reasoning", 0.10, 0.55, 8000),
                                      ("my-base", "non_reasoning", 0.25, 0.30, 1000)):
        acc = (1 - pi0) * (1 - (1 - p1) ** k)
        for kk, a in zip(k, acc):
            rows.append({"model": model, "kind": kind, "samples": int(kk), "accuracy": round(float(a), 4),
                         "tokens_per_sample": tok, "aggregation": "pass_at_k"})
    pd.DataFrame(rows).to_csv(HERE / "scaling.csv", index=False)

    # 05 / 07 logs_path: a Claude Code projects folder and a Codex sessions folder
    n = 40
    start = pd.Timestamp("2026-03-20T09:00:00Z")
    led = pd.DataFrame({"session": np.repeat(["s1", "s2"], n // 2),
                        "timestamp": start + pd.to_timedelta(np.arange(n) * 45, unit="s"),
                        "model": "claude-sonnet-4-6"})
    ctx = np.concatenate([np.cumsum(rng.integers(500, 3000, n // 2)) for _ in range(2)])
    led["uncached_input"] = rng.integers(1, 20, n)
    led["cache_write_5m"] = rng.integers(200, 3000, n)
    led["cache_write_1h"] = 0
    led["cache_read"] = ctx
    led["output"] = rng.integers(50, 1500, n)
    assert list(led.columns[3:]) == TOKEN_COLUMNS
    agent_logs.write_claude_jsonl(led, HERE / "claude_code" / "-home-example-project", np.random.default_rng(1),
                                  text=TEXT, sidechain_prob=0.0)
    agent_logs.write_codex_jsonl(led.assign(cache_write_5m=0), HERE / "codex" / "2026" / "03" / "20" /
                                 "rollout-2026-03-20T09-00-00-example.jsonl", np.random.default_rng(2), text=TEXT)


if __name__ == "__main__":
    main()
