import pytest

from helpers import validate as v
from helpers.validate import ParameterError


@pytest.mark.parametrize("call, match", [
    (lambda: v.number("budget", -1, 0, None), r"'budget' = -1 is outside its valid range \[0"),
    (lambda: v.number("budget", 0, 0, None, lo_open=True), r"'budget' = 0 is outside"),
    (lambda: v.number("budget", "10"), r"'budget' must be a number"),
    (lambda: v.number("budget", float("nan")), r"'budget' must be finite"),
    (lambda: v.integer("n_tasks", 2.5), r"'n_tasks' must be an integer"),
    (lambda: v.integer("n_tasks", True), r"'n_tasks' must be an integer"),
    (lambda: v.probability("p_solve", 1.2), r"'p_solve' = 1.2 is outside its valid range \[0.0, 1.0\]"),
    (lambda: v.probability("p_solve", 1.0, open_high=True), r"'p_solve' = 1.0 is outside"),
    (lambda: v.boolean("quick", 1), r"'quick' must be True or False"),
    (lambda: v.choice("form", "cubic", ["log_linear"]), r"'form' = 'cubic' is not one of"),
    (lambda: v.seed("seed", -3), r"'seed' = -3"),
    (lambda: v.increasing("budgets", [1, 4, 2]), r"'budgets' must be strictly increasing"),
    (lambda: v.increasing("budgets", [0, 4]), r"'budgets\[0\]'"),
    (lambda: v.sequence("budgets", "1,2"), r"'budgets' must be a list"),
    (lambda: v.optional_file("runs_path", "/no/such/file.csv"), r"'runs_path': no such file"),
    (lambda: v.optional_file("runs_path", 3), r"'runs_path' must be a path"),
])
def test_bad_parameters_name_the_parameter(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_good_parameters_pass_through(tmp_path):
    assert v.number("x", 0.5, 0, 1) == 0.5
    assert v.integer("n", 3, 1, 10) == 3
    assert v.probability("p", 0.0) == 0.0
    assert v.increasing("b", [1, 2, 4]) == [1, 2, 4]
    assert v.optional_file("f", None) is None
    f = tmp_path / "x.csv"
    f.write_text("a\n1\n")
    assert v.optional_file("f", str(f)) == f
