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
