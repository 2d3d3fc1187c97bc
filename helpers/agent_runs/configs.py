"""MCPMark configurations: which configs are effort settings or thinking modes of one model.

A configuration key is a base model plus an optional effort suffix ('gpt-5-low' -> ('gpt-5', 'low')).
``mcpmark_effort_ladders`` groups configs that are effort settings of one model; ``mcpmark_thinking_pairs``
lists (non-thinking, thinking) configs of one base model, with the evidence for each pair in
``THINKING_PAIR_EVIDENCE``; ``DOUBTFUL_REASONING_LABELS`` names the configs whose ``is_reasoning_model``
label the data contradict, with the evidence.
"""
from __future__ import annotations

import re

import pandas as pd

from ..validate import ParameterError


EFFORT_ORDER = {"minimal": 0, "low": 1, "medium": 2, "high": 3, "xhigh": 4}
_EFFORT_RE = re.compile(r"^(?P<base>.+)-(?P<effort>" + "|".join(EFFORT_ORDER) + r")$")

DOUBTFUL_REASONING_LABELS: dict[str, str] = {
    "deepseek-v3-1-terminus": (
        "labelled reasoning, but it is the non-thinking mode of deepseek-v3.1-terminus (the thinking mode is the "
        "separate config deepseek-v3-1-terminus-thinking); reasoning_tokens = 0 in all 508 runs and median "
        "output 2.1k tokens against 9.3k for the thinking config. Likely non-reasoning."),
    "deepseek-v3-2-chat": (
        "labelled reasoning, but actual_model_name 'deepseek-v3.2-chat' is DeepSeek's non-thinking endpoint "
        "(the thinking one, 'deepseek-v3.2-reasoner', is config deepseek-v3-2-thinking); reasoning_tokens = 0 in "
        "all 508 runs. The analogous deepseek-chat (v3.1 non-think) is labelled non-reasoning. Likely "
        "non-reasoning."),
    "claude-sonnet-4-low": (
        "labelled non-reasoning although named as an effort (extended-thinking) setting of claude-sonnet-4; "
        "reasoning tokens are 0 in every run and output per run is only 7% above claude-sonnet-4 (input 1.85x), "
        "so the data can neither confirm nor rule out thinking."),
    "claude-sonnet-4-high": (
        "labelled non-reasoning although named as an effort (extended-thinking) setting of claude-sonnet-4; "
        "reasoning tokens are 0 in every run and output per run is only 9% above claude-sonnet-4 (input 1.78x), "
        "so the data can neither confirm nor rule out thinking."),
    "claude-opus-4-5-high": (
        "labelled non-reasoning although named as a 'high' effort (extended-thinking) setting; reasoning tokens "
        "are 0 in every run (Anthropic reports none), so the label cannot be checked against the data; its "
        "cost matches its reported tokens at list price ($5/$25 per million), so any thinking is inside output."),
}

# (non-thinking config, thinking config, evidence). Filtered to the configs present by mcpmark_thinking_pairs.
THINKING_PAIR_EVIDENCE: list[tuple[str, str, str]] = [
    ("deepseek-v3-1-terminus", "deepseek-v3-1-terminus-thinking",
     "same checkpoint (actual_model_name deepseek-v3.1-terminus vs deepseek-v3.1-terminus-thinking); the "
     "non-thinking config reports 0 reasoning tokens in every run, the thinking one a median 7.4k per run "
     "(0 in 39% of runs)."),
    ("deepseek-v3-2-chat", "deepseek-v3-2-thinking",
     "same model served as DeepSeek's chat (non-thinking) and reasoner (thinking) endpoints "
     "(deepseek-v3.2-chat vs deepseek-v3.2-reasoner); reasoning tokens 0 in every chat run, >0 in every "
     "reasoner run."),
    ("claude-sonnet-4", "claude-sonnet-4-high",
     "same checkpoint claude-sonnet-4-20250514 without and with the 'high' effort (extended-thinking) setting; "
     "evidence is the configuration only: Anthropic reports no reasoning tokens and output per run differs by "
     "9%. claude-sonnet-4-low is the other thinking setting (see the effort ladder)."),
]
# Not a pair: deepseek-chat is deepseek-v3.1 (non-think), an earlier checkpoint than -terminus-thinking.


def split_config(config: str) -> tuple[str, str]:
    """(base_model, effort) of an MCPMark configuration key: 'gpt-5-mini-low' -> ('gpt-5-mini', 'low')."""
    m = _EFFORT_RE.match(config)
    return (m["base"], m["effort"]) if m else (config, "default")


def _configs_of(x) -> list[str]:
    if isinstance(x, pd.DataFrame):
        if "config" not in x:
            raise ParameterError("expected a frame with a 'config' column (mcpmark_runs() or mcpmark_summary())")
        return sorted(x["config"].astype(str).unique())
    if isinstance(x, (str, bytes)):
        raise ParameterError("expected a frame or a list of configuration names, got a string")
    return sorted({str(c) for c in x})


def mcpmark_effort_ladders(runs_or_summary) -> dict[str, list[str]]:
    """Base model -> its configs ordered by effort (minimal < low < medium < high < xhigh).

    Only bases with at least two effort levels. A config without an effort suffix ('claude-sonnet-4') has an
    unknown effort and is not on its base's ladder; thinking/non-thinking variants ('-thinking', '-chat')
    are pairs, not ladders. On the pinned data: gpt-5, gpt-5-mini, gpt-5-nano (low/medium/high),
    claude-sonnet-4 and gemini-3-pro (low/high).
    """
    by_base: dict[str, list[str]] = {}
    for c in _configs_of(runs_or_summary):
        base, effort = split_config(c)
        if effort != "default":
            by_base.setdefault(base, []).append(c)
    return {b: sorted(cs, key=lambda c: EFFORT_ORDER[split_config(c)[1]])
            for b, cs in sorted(by_base.items()) if len(cs) >= 2}


def mcpmark_thinking_pairs(summary) -> list[tuple[str, str]]:
    """(non-thinking config, thinking config) pairs of one base model present in ``summary``.

    The candidates and the evidence for each are in ``THINKING_PAIR_EVIDENCE``.
    """
    have = set(_configs_of(summary))
    return [(a, b) for a, b, _ in THINKING_PAIR_EVIDENCE if a in have and b in have]
