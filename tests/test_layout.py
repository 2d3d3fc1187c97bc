"""The README's generated sections (code layout, parameter tables) are what helpers.layout writes now."""
import re

import pytest

from helpers import layout, schema


def test_readme_sections_are_current():
    text = layout.README.read_text()
    assert layout.render(text) == text, "README.md is out of date: run `make readme` (or python -m helpers.layout)"


def test_code_layout_names_every_module_and_claim_package():
    body = layout.code_layout()
    for name, path in layout._entries():
        assert f"`helpers/{name}" in body, name
    for pkg in layout.claim_packages():
        for mod in (layout.HELPERS / pkg).glob("*.py"):
            if mod.stem not in ("__init__", "__main__"):
                assert f"`{mod.name}`" in body
    assert len(layout.claim_packages()) == 6  # the five claims and the planner


def test_parameter_tables_list_every_parameter_with_its_valid_values():
    body = layout.parameter_tables()
    for stem in schema.NOTEBOOK_SCHEMAS:
        s = schema.schema_of(stem)
        section = body.split(f"<code>{stem}</code>")[1].split("</details>")[0]
        rows = re.findall(r"^\| `(\w+)` \|", section, re.M)
        assert rows == list(s.params)
        for name, p in s.items():
            assert p.describe().replace("|", "\\|") in section


def test_render_refuses_a_readme_without_markers():
    with pytest.raises(ValueError, match="CODE LAYOUT"):
        layout.render("# no markers here\n")


MAX_MODULE_LINES = 400  # issue 14: a module is one idea a reader can hold
MAX_CELL_LINES = 30     # a cell computes one step, draws one figure or shows one table
MAX_NOTEBOOK_CODE = 250  # claim notebooks, code lines outside the parameters cell


def test_no_helpers_module_over_400_lines():
    long = {str(p.relative_to(layout.HELPERS)): n for p in layout.HELPERS.rglob("*.py")
            if "__pycache__" not in p.parts and (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_notebook_cells_are_short_and_claim_notebooks_thin():
    import json

    from helpers import paths

    for nb_path in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = [c for c in json.loads(nb_path.read_text())["cells"] if c["cell_type"] == "code"]
        sizes = [sum(1 for line in "".join(c["source"]).splitlines() if line.strip()) for c in cells]
        # the parameters cell is exempt: one literal line per parameter (its length is the parameter count)
        assert "parameters" in cells[0].get("metadata", {}).get("tags", []), nb_path.name
        long = [(i, n) for i, n in enumerate(sizes) if i and n > MAX_CELL_LINES]
        assert not long, f"{nb_path.name}: code cells over {MAX_CELL_LINES} lines (index, lines): {long}"
        if nb_path.stem in schema.NOTEBOOK_SCHEMAS and nb_path.stem[:2] in ("01", "02", "03", "04", "05"):
            assert sum(sizes[1:]) <= MAX_NOTEBOOK_CODE, (nb_path.name, sum(sizes[1:]))
