"""The option space: model kinds, aggregations, policies offered, and the verifier of an aggregation.

An option is a (model kind, policy) pair. The policies are uniform sampling and claim 3's realistic
adaptive ones (``binned_predicted``, ``probe_then_allocate``, ``early_stop``; never the oracle).
``pass_at_k`` is a perfect verifier (tpr 1, fpr 0); ``verifier`` has the user's rates. Probe-then-allocate's
success formula assumes a perfect verifier, so it is offered only when tpr = 1 and fpr = 0.
"""
from __future__ import annotations

from . import claims as K

KINDS = ("non_reasoning", "reasoning")
AGGREGATIONS = ("pass_at_k", "verifier")
POLICIES = ("uniform",) + tuple(K.REALISTIC_POLICIES)
OPTION_KEYS = ("reasoning_tokens", "search_steps", "policy", "model_kind", "expected_accuracy",
               "cost_per_artifact_usd")
Z95 = 1.959963984540054


def selector_of(aggregation: str, tpr: float, fpr: float) -> K.Selector:
    """The verifier of an aggregation: pass_at_k is a perfect verifier (tpr 1, fpr 0)."""
    return K.Selector(tpr=1.0, fpr=0.0) if aggregation == "pass_at_k" else K.Selector(tpr=tpr, fpr=fpr)


def perfect(selector: K.Selector) -> bool:
    return selector.tpr == 1.0 and selector.fpr == 0.0


def policies_for(selector: K.Selector) -> tuple[str, ...]:
    """Policies offered under a selector (probe-then-allocate needs a perfect verifier)."""
    return POLICIES if perfect(selector) else tuple(p for p in POLICIES if p != "probe_then_allocate")
