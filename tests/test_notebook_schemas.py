"""Every notebook's parameters are guarded by its schema (helpers.schema): the cell and the schema agree,
every bad value of every parameter is rejected naming it, and the validation cell is the schema's."""
import pytest

from helpers import paths, schema
from helpers.validate import ParameterError

STEMS = sorted(schema.NOTEBOOK_SCHEMAS)


def _cell(stem):
    return schema.parameters_cell(paths.NOTEBOOKS / f"{stem}.ipynb")


@pytest.mark.parametrize("stem", STEMS)
def test_parameters_cell_and_schema_agree(stem):
    s = schema.schema_of(stem)
    cell = _cell(stem)
    assert [n for n, *_ in cell] == list(s.params), "the schema lists the cell's parameters in the cell's order"
    for name, ann, default, comment in cell:
        assert ann == s[name].annotation, f"{stem}: {name} is annotated {ann}, the schema says {s[name].annotation}"
        assert comment, f"{stem}: {name} has no comment (unit and meaning)"
    s.validate({n: d for n, _, d, _ in cell})  # the defaults are valid


@pytest.mark.parametrize("stem", STEMS)
def test_every_bad_value_of_every_parameter_is_rejected_by_name(stem):
    s = schema.schema_of(stem)
    defaults = {n: d for n, _, d, _ in _cell(stem)}
    tried = 0
    for name, param in s.items():
        for value in param.bad_values():
            with pytest.raises(ParameterError, match=rf"'{name}(\[\d+\])?'"):
                s.validate({**defaults, name: value})
            tried += 1
    assert tried >= 2 * len(s)


@pytest.mark.parametrize("stem", STEMS)
def test_the_validation_cell_is_the_schema(stem, check_parameters):
    import json

    code = [c for c in json.loads((paths.NOTEBOOKS / f"{stem}.ipynb").read_text())["cells"] if c["cell_type"] == "code"]
    assert "schema.load(globals()," in "".join(code[1]["source"])
    name, param = next((n, p) for n, p in schema.schema_of(stem).items() if n != "quick")
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match=rf"ParameterError.*'{name}"):
        check_parameters(stem, **{name: param.bad_values()[-1]})
