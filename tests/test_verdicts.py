import pandas as pd
import pytest

from helpers import verdicts as V
from helpers.validate import DataError, ParameterError


def table(outcomes, in_scope=True, setting="tool use"):
    return V.evidence_table([V.evidence_row(f"s{i}", "run", in_scope=in_scope, outcome=o, figure=0.5,
                                            ci=[0.4, 0.6], setting=setting) for i, o in enumerate(outcomes)])


@pytest.mark.parametrize("share, min_resolved", [(1.0, 1), (0.75, 2), (0.51, 3)])
@pytest.mark.parametrize("outcomes, expected", [
    (["holds"] * 4, "supported"),
    (["breaks"] * 4, "not supported"),
    (["holds", "breaks", "holds", "breaks"], "partly supported"),
    ([], "inconclusive"),
    (["unresolved"] * 4, "inconclusive"),
])
def test_counting_rule_reaches_every_outcome(share, min_resolved, outcomes, expected):
    assert V.CountingRule(share, min_resolved).decide(table(outcomes)) == expected


def test_out_of_scope_rows_never_decide():
    t = pd.concat([table(["breaks"] * 3, in_scope=False, setting="coding agents"), table(["holds"])])
    assert V.CountingRule().decide(t) == "supported"
    assert V.CountingRule().decide(table(["holds"] * 5, in_scope=False)) == "inconclusive"
    c = V.CountingRule().counts(t)
    assert c == {"in_scope": 1, "holds": 1, "breaks": 0, "unresolved": 0, "out_of_scope": 3}


def test_too_few_resolved_rows_is_inconclusive():
    assert V.CountingRule(1.0, 3).decide(table(["holds", "holds", "unresolved"])) == "inconclusive"


def test_rule_text_is_computed_from_thresholds():
    assert "at least 80% of the resolved rows hold" in V.CountingRule(0.8, 2).describe()
    assert "fewer than 2 resolved" in V.CountingRule(0.8, 2).describe()
    assert "every resolved row holds" in V.CountingRule().describe()


@pytest.mark.parametrize("share, mr", [(0.5, 1), (1.2, 1), (0.8, 0)])
def test_bad_thresholds_name_the_parameter(share, mr):
    with pytest.raises(ParameterError, match="support_share|min_resolved"):
        V.CountingRule(share, mr)


def test_bad_rows_are_named():
    with pytest.raises(ParameterError, match="outcome"):
        V.evidence_row("x", "run", in_scope=True, outcome="maybe")
    with pytest.raises(DataError, match="evidence row 0"):
        V.evidence_table([{"source": "x", "unit": "run", "in_scope": True}])


def test_user_scope_keeps_only_user_rows_in_scope():
    t = pd.concat([table(["breaks"]), table(["holds"], setting="user")])
    assert V.CountingRule().decide(V.user_scope(t, False)) == "partly supported"
    assert V.CountingRule().decide(V.user_scope(t, True)) == "supported"
    assert V.scope_name(True) == "user" and V.scope_name(False) == "study"


def test_specification_curve_counts_agreement_and_flips():
    base = table(["holds", "holds", "breaks"])
    choices = {"support_share": [1.0, 0.6], "drop_last": [False, True]}

    def verdict_of(spec):
        t = base.iloc[:2] if spec["drop_last"] else base
        return V.CountingRule(spec["support_share"]).decide(t)

    rob = V.specification_curve(verdict_of, choices, {"support_share": 1.0, "drop_last": False})
    m = rob.as_metrics()
    assert rob.headline == "partly supported"
    assert m["specifications"] == 4 and m["agree"] == 1 and m["share_agree"] == 0.25
    assert sorted(f["verdict"] for f in m["flips"]) == ["supported"] * 3
    assert rob.sentence() == "partly supported; 1 of 4 specifications agree"
    with pytest.raises(ParameterError, match="headline specification"):
        V.specification_curve(verdict_of, choices, {"support_share": 0.7, "drop_last": False})


def test_metrics_block_shape():
    t = table(["holds"])
    mb = V.metrics_block("rule", t, None)
    assert set(mb) == {"rule", "evidence", "robustness"}
    assert mb["evidence"][0]["outcome"] == "holds" and mb["evidence"][0]["ci"] == [0.4, 0.6]


def test_flips_text_names_the_choices_that_flip():
    base = table(["holds", "holds", "breaks"])
    choices = {"support_share": [1.0, 0.6], "drop_last": [False, True]}

    def verdict_of(spec):
        t = base.iloc[:2] if spec["drop_last"] else base
        return V.CountingRule(spec["support_share"]).decide(t)

    m = V.specification_curve(verdict_of, choices, {"support_share": 1.0, "drop_last": False}).as_metrics()
    assert m["headline_spec"] == {"support_share": 1.0, "drop_last": False}
    txt = V.flips_text(m)
    assert txt.startswith("3 of 4 specifications flip it")
    assert "support_share = 0.6 (gives supported in 100% of its specifications)" in txt
    assert "drop_last = True (gives supported in 100% of its specifications)" in txt
    all_agree = V.specification_curve(lambda s: "supported", {"a": [1, 2]}, {"a": 1}).as_metrics()
    assert V.flips_text(all_agree) == "no specification flips it (all 2 agree)"
    assert V.flips_text(None) is None


def test_quick_choices_keep_the_headline_and_the_first_other_alternative_in_order():
    choices = {"a": [1, 2, 3], "b": ["x", "y"], "c": ["only"], "d": [0.1, 0.05, 0.2]}
    head = {"a": 3, "b": "x", "c": "only", "d": 0.05}
    q = V.quick_choices(choices, head)
    assert q == {"a": [1, 3], "b": ["x", "y"], "c": ["only"], "d": [0.1, 0.05]}
    assert all(head[k] in v and set(v) <= set(choices[k]) and len(v) == min(2, len(choices[k])) for k, v in q.items())
    rob = V.specification_curve(lambda s: "supported" if s["a"] == 3 else "inconclusive", q, head)
    assert rob.specifications == 2 * 2 * 1 * 2 and rob.headline == "supported"
    with pytest.raises(ParameterError, match="'b'|b="):
        V.quick_choices(choices, {**head, "b": "z"})
