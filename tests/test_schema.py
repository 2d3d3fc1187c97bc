"""helpers.schema (declarative parameter checks) and helpers.bootstrap (the one resampler)."""
import numpy as np
import pytest

from helpers import bootstrap, schema
from helpers.validate import ParameterError

S = schema.Schema({
    "quick": schema.boolean(),
    "seed": schema.seed(),
    "n": schema.integer(1, 100),
    "share": schema.probability(lo_open=True),
    "rate": schema.positive(),
    "mode": schema.choice("a", "b"),
    "data_path": schema.path("file").or_none(),
    "grid": schema.sequence(schema.number(0, 10, lo_open=True), increasing=True, min_len=2),
    "limit": schema.integer(1).or_none(),
})
GOOD = {"quick": True, "seed": 0, "n": 5, "share": 0.5, "rate": 2.0, "mode": "a", "data_path": None,
        "grid": [1, 2.5], "limit": None}


def test_good_values_pass_and_as_dict_keeps_them_as_given():
    p = S.validate(GOOD)
    assert p.n == 5 and p.mode == "a" and p.data_path is None
    assert p.as_dict() == GOOD


@pytest.mark.parametrize("name", list(S.params))
def test_every_bad_value_of_every_parameter_is_rejected_naming_it(name):
    bad = S[name].bad_values()
    assert len(bad) >= 2, name
    for value in bad:
        with pytest.raises(ParameterError, match=rf"parameter '{name}(\[\d+\])?'"):
            S.validate({**GOOD, name: value})


def test_bad_values_are_really_out_of_range():
    def nums(p):  # the numeric bad values (True == 1 would otherwise match)
        return [v for v in p.bad_values() if type(v) in (int, float)]

    assert 0 in nums(schema.integer(1, 100)) and 101 in nums(schema.integer(1, 100))
    assert 0.0 in nums(schema.probability(lo_open=True))
    assert 1.0 in nums(schema.probability(hi_open=True))
    assert 1.0 not in nums(schema.probability()) and 0.0 not in nums(schema.probability())


def test_path_resolves_and_a_missing_one_is_named(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    p = S.validate({**GOOD, "data_path": str(f)})
    assert p.data_path == f and p.as_dict()["data_path"] == str(f)
    with pytest.raises(ParameterError, match="'data_path'.*no such file"):
        S.validate({**GOOD, "data_path": str(tmp_path / "nope.csv")})
    with pytest.raises(ParameterError, match="'data_path'.*is a folder"):
        S.validate({**GOOD, "data_path": str(tmp_path)})


def test_missing_parameter_and_cross_checks():
    with pytest.raises(ParameterError, match="missing"):
        S.validate({k: v for k, v in GOOD.items() if k != "n"})

    def n_below_limit(p):
        if p.limit is not None and p.n > p.limit:
            raise ParameterError(f"parameter 'n' = {p.n} exceeds 'limit' = {p.limit}")

    s2 = schema.Schema(S.params, [n_below_limit])
    s2.validate({**GOOD, "limit": 5})
    with pytest.raises(ParameterError, match="'n' = 5 exceeds"):
        s2.validate({**GOOD, "limit": 4})


def test_load_rejects_a_misspelled_injected_name():
    ns = dict(GOOD, In=["", "quick: bool = False\nseed: int = 0\nn: int = 5", "# Parameters\nsede = 7\n"])
    with pytest.raises(ParameterError, match="did you mean 'seed'"):
        schema.load(ns, S)
    assert schema.load(dict(GOOD), S).seed == 0


def test_annotation_and_describe():
    assert schema.integer(1, 100).annotation == "int"
    assert schema.integer(1).or_none().annotation == '"Optional[int]"'
    assert schema.integer(1, 100).describe() == "int in [1, 100]"
    assert schema.probability(lo_open=True).describe() == "number in (0, 1]"
    assert schema.integer(1).or_none().describe() == "int ≥ 1, or None"
    assert schema.choice("a", "b").describe() == "one of 'a', 'b'"
    assert schema.seed().describe() == "int in [0, 2^63 - 1]"


# ---------------------------------------------------------------- bootstrap


def test_counts_are_the_same_draws_as_indices_and_conserve_n():
    idx = bootstrap.indices(7, 50, np.random.default_rng(1))
    c = bootstrap.counts(7, 50, np.random.default_rng(1))
    assert c.shape == (50, 7) and np.all(c.sum(axis=1) == 7)
    assert np.array_equal(c, np.stack([np.bincount(r, minlength=7) for r in idx]))


def test_cluster_weights_with_singleton_clusters_equal_plain_counts():
    clusters = np.array(["c", "a", "b", "d"])  # codes follow sorted cluster names
    w = bootstrap.cluster_weights(clusters, 30, np.random.default_rng(3))
    c = bootstrap.counts(4, 30, np.random.default_rng(3))
    assert np.array_equal(w, c[:, [2, 0, 1, 3]])


def test_cluster_weights_are_constant_within_a_cluster_and_sum_to_units():
    clusters = np.repeat(np.arange(5), [1, 2, 3, 4, 5])
    w = bootstrap.cluster_weights(clusters, 40, np.random.default_rng(0))
    for k in range(5):
        assert np.all(w[:, clusters == k] == w[:, clusters == k][:, :1])
    counts, codes = bootstrap.cluster_counts(clusters, 40, np.random.default_rng(0))
    assert np.all(counts.sum(axis=1) == 5)


def test_bootstrap_mean_interval_covers_the_truth_at_its_level():
    rng = np.random.default_rng(11)
    hits = 0
    for _ in range(200):
        x = rng.normal(1.0, 1.0, 60)
        means = bootstrap.counts(60, 400, rng) @ x / 60
        lo, hi = bootstrap.percentile_interval(means)
        hits += lo <= 1.0 <= hi
    assert 0.88 <= hits / 200 <= 0.99


def test_bad_rng_and_sizes_are_named():
    with pytest.raises(ParameterError, match="Generator"):
        bootstrap.counts(3, 10, np.random.RandomState(0))
    with pytest.raises(ParameterError, match="n_boot"):
        bootstrap.counts(3, -1, np.random.default_rng(0))
    with pytest.raises(ParameterError, match="at least 1"):
        bootstrap.indices(0, 10, np.random.default_rng(0))


def test_parameters_cell_reads_annotations_as_the_standard_library_does(tmp_path):
    """``schema._segment`` (lines split once) gives ``ast.get_source_segment``'s text: one-line annotations with
    non-ASCII text before them (columns count UTF-8 bytes), and a multi-line one (the library's path)."""
    import ast
    import json

    src = ('note: str = "é"  # é\nlabel: "prix en € (ü)" = "x"  # after multibyte text\n'
           'grid: dict[\n    str, float] = {"a": 1.0}  # spans two lines\nplain = 3  # no annotation\n')
    lines = src.splitlines()
    for node in ast.parse(src).body:
        if isinstance(node, ast.AnnAssign):
            assert schema._segment(src, lines, node.annotation) == ast.get_source_segment(src, node.annotation)
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": src, "outputs": []}]}
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    assert schema.parameters_cell(tmp_path / "n.ipynb") == [
        ("note", "str", "é", "é"), ("label", '"prix en € (ü)"', "x", "after multibyte text"),
        ("grid", "dict[\n    str, float]", {"a": 1.0}, "spans two lines"), ("plain", None, 3, "no annotation")]
