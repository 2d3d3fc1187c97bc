"""What a reader sees: figures embedded in executed notebooks, the reader page (verdict box, folded code,
offline math, no network), the index that answers first, and a pipeline that says what it does."""
import base64
import json
import re
import subprocess
import sys

import nbformat
import pytest

from helpers import pages, paths, pipeline, report

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb["cells"] if c["cell_type"] == "code"
               for o in c.get("outputs", []))


# ------------------------------------------------------------------ figures inline


@pytest.mark.notebook
def test_executed_notebook_embeds_every_figure_it_saves(run_notebook, reports_tmp):
    run_notebook("00_overview")
    saved = sorted((reports_tmp / "figures").glob("*.png"))
    nb = json.loads((reports_tmp / "notebooks" / "00_overview.ipynb").read_text())
    assert saved, "the overview saves its sources figure"
    assert _images(nb) >= len(saved), f"{_images(nb)} images embedded, {len(saved)} figures saved"
    # each figure is rendered once: the cell shows the saved file's own bytes
    embedded = {base64.b64decode("".join(o["data"]["image/png"])) for c in nb["cells"] if c["cell_type"] == "code"
                for o in c.get("outputs", []) if "image/png" in o.get("data", {})}
    assert all(p.read_bytes() in embedded for p in saved), "a saved figure is not the one shown"


def _figure():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.plot([1, 2, 3])
    return plt, fig


def test_save_figure_in_an_inline_kernel_shows_the_saved_bytes_once_and_closes(reports_tmp, monkeypatch):
    import IPython.display
    from helpers import plotting
    shown = []
    monkeypatch.setattr(plotting, "inline_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda data, **kw: shown.append((data, kw)))
    plt, fig = _figure()
    with plt.rc_context({"savefig.dpi": 120}):
        out = plotting.save_figure(fig, "zz_once")
    assert len(shown) == 1 and not plt.fignum_exists(fig.number), "shown once, then closed (no second render)"
    data, kw = shown[0]
    png = out.read_bytes()
    assert base64.b64decode(data["image/png"]) == png and data["text/plain"].startswith("<Figure size 300x200")
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    meta = kw["metadata"]["image/png"]
    assert kw["raw"] and (meta["width"], meta["height"]) == (round(w / 1.2), round(h / 1.2)), \
        "shown at the inline backend's size (figure dpi), not the saving dpi"


def test_a_quick_draft_is_shown_at_the_full_figures_size(reports_tmp, monkeypatch):
    """A draft is laid out and saved at QUICK_DPI but shown at DISPLAY_DPI, as large as the full run's figure."""
    import IPython.display
    from helpers import plotting
    shown = []
    monkeypatch.setattr(plotting, "inline_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda data, **kw: shown.append((data, kw)))
    try:
        plotting.set_theme(quick=True)
        plt, fig = _figure()
        fig.set_dpi(plotting.QUICK_DPI)  # what the quick theme's figure.dpi gives every new figure
        out = plotting.save_figure(fig, "zz_draft")
    finally:
        plotting.set_theme()
    png = out.read_bytes()
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (w, h) == (3 * plotting.QUICK_DPI, 2 * plotting.QUICK_DPI)  # the draft: the 3 x 2 inch canvas
    meta = shown[0][1]["metadata"]["image/png"]
    assert (meta["width"], meta["height"]) == (3 * plotting.DISPLAY_DPI, 2 * plotting.DISPLAY_DPI)


def test_save_figure_outside_a_kernel_only_saves(reports_tmp):
    from helpers import plotting
    assert not plotting.inline_kernel()
    plt, fig = _figure()
    out = plotting.save_figure(fig, "zz_script")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plt.fignum_exists(fig.number)
    plt.close(fig)


def test_plotting_leaves_the_backend_alone():
    """Importing helpers.plotting must not switch a kernel's inline backend to Agg."""
    code = ("import matplotlib; matplotlib.use('module://matplotlib_inline.backend_inline');"
            "import helpers.plotting; print(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    assert "inline" in out.stdout, out.stdout


# ------------------------------------------------------------------ verdict box


def _results(**kw):
    doc = {"claim": "adaptive_allocation", "verdict": "partly supported", "verdict_scope": "study",
           "summary": "Uniform needs 2.2x the budget.", "metrics": {}, "parameters": {"quick": False, "seed": 0}}
    doc.update(kw)
    return doc


def test_verdict_box_shows_verdict_summary_rule_robustness_and_figure(tmp_path):
    fig = tmp_path / "03_x_curves.png"
    fig.write_bytes(PNG_1PX)
    r = _results(metrics={"rule": "supported when the ratio exceeds 1.2 in most cells",
                          "robustness": {"specifications": 8, "agree": 6, "share_agree": 0.75,
                                         "flips": [{"noise": "inf"}, "problems alike"]}})
    box = pages.verdict_box("03_x", r, fig)
    assert "id='verdict'" in box and "partly supported" in box and "Uniform needs 2.2x" in box
    assert "supported when the ratio exceeds 1.2" in box
    assert "6 of 8 specifications agree" in box and "noise = inf" in box
    assert "own data" in box and "data:image/png;base64," in box


def test_verdict_box_for_user_data_and_for_notebooks_that_judge_no_claim():
    assert "your data" in pages.verdict_box("02_x", _results(verdict_scope="user"), None)
    for claim in ("overview", "budget_planner"):
        box = pages.verdict_box("00_x", _results(claim=claim, verdict=None), None)
        assert "judges no claim" in box and "Verdict" not in box
    assert "no results file" in pages.verdict_box("05_x", None, None)
    box = pages.verdict_box("07_x", _results(claim="budget_planner", verdict=None, metrics={"status": "meets target"}),
                            None)
    assert "meets target" in box and "judges no claim" in box and "Verdict" not in box


def test_robustness_reads_inf_and_ignores_malformed():
    assert pages.as_number("inf") == float("inf") and pages.as_number("-inf") == float("-inf")
    assert pages.as_number(None) is None and pages.as_number("n/a") is None
    assert pages.robustness_text({"specifications": "inf", "agree": 3}) is None
    assert pages.robustness_text("3 of 4") is None
    assert pages.robustness_text({"specifications": 4, "agree": 4}).startswith("4 of 4 specifications agree")
    rob = {"specifications": 4, "agree": 3, "choices": {"unit": ["run", "config"]}, "headline_spec": {"unit": "run"},
           "flips": [{"spec": {"unit": "config"}, "verdict": "supported"}]}
    assert pages.robustness_text(rob) == ("3 of 4 specifications agree with the verdict; 1 of 4 specifications flip "
                                          "it, most often with unit = config (gives supported in 50% of its "
                                          "specifications)")


def test_key_figure_is_named_in_results_or_first_saved(tmp_path):
    figs = tmp_path / "figures"
    figs.mkdir()
    for n in ("03_x_a", "03_x_b"):
        (figs / f"{n}.png").write_bytes(PNG_1PX)
    nb = {"cells": [{"cell_type": "code", "source": 'plotting.save_figure(fig, "03_x_b")\n'},
                    {"cell_type": "code", "source": 'plotting.save_figure(fig, "03_x_a")\n'}]}
    assert pages.key_figure("03_x", nb, {}, tmp_path).stem == "03_x_b"
    assert pages.key_figure("03_x", nb, {"metrics": {"key_figure": "03_x_a.png"}}, tmp_path).stem == "03_x_a"
    assert pages.key_figure("04_y", None, {}, tmp_path) is None


# ------------------------------------------------------------------ math


def test_math_is_typeset_offline_and_code_is_left_alone():
    md = r"Cost $C = r\,p_r$ and $$\frac{a}{b} \ge 1$$ but `$HOME` and a price of \$5 stay."
    out = pages.typeset_markdown(md)
    assert out.count('<img class="math') == 2 and "data:image/svg+xml;base64," in out
    assert "`$HOME`" in out and r"\$5" in out
    # what mathtext cannot read falls back to the TeX source, visibly
    assert "<code class='tex'>" in pages.typeset_markdown(r"$\unknowncommand{x}$")


# ------------------------------------------------------------------ the page


def _executed_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "tts-study", "display_name": "Python (tts-study)", "language": "python"}
    params = nbformat.v4.new_code_cell("quick: bool = False  # bool")
    params.metadata["tags"] = ["parameters"]
    fig = nbformat.v4.new_code_cell('plotting.save_figure(fig, "03_x_curves")\nplt.show()')
    fig.outputs = [nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(PNG_1PX).decode(),
                                                                   "text/plain": "<Figure>"})]
    table = nbformat.v4.new_code_cell("df")
    table.outputs = [nbformat.v4.new_output("execute_result", data={
        "text/html": "<table class='dataframe'><tr><th>a</th></tr><tr><td>1.5</td></tr></table>",
        "text/plain": "a\n1.5"}, execution_count=3)]
    nb.cells = [nbformat.v4.new_markdown_cell(r"# Claim 3: allocation" + "\n\nThe budget $B$ per prompt."),
                params, fig, table]
    nbformat.write(nb, path)


def test_reader_page_opens_on_the_verdict_with_code_folded_and_nothing_external(tmp_path):
    reports = tmp_path / "reports"
    for d in ("notebooks", "results", "figures", "html"):
        (reports / d).mkdir(parents=True)
    _executed_notebook(reports / "notebooks" / "03_x.ipynb")
    (reports / "figures" / "03_x_curves.png").write_bytes(PNG_1PX)
    (reports / "results" / "03_x.json").write_text(json.dumps(_results()))
    out = pages.render_page(reports / "notebooks" / "03_x.ipynb", reports / "html" / "03_x.html", reports)
    page = out.read_text()
    assert page.index('id="verdict"') < page.index("<h1") < page.index('class="code-fold"')
    assert page.count("<details class=\"code-fold\">") == 3 and "parameters (code)" in page
    assert "<table class='dataframe'>" in page or '<table class="dataframe">' in page
    assert 'class="math"' in page and "data:image/svg+xml" in page
    assert not pages.EXTERNAL.findall(page), pages.EXTERNAL.findall(page)
    assert "cdnjs" not in page and "require.min.js" not in page


def test_external_resources_are_detected():
    for bad in ('<script src="https://cdn.example/x.js">', "<link href='//fonts.example/css'>",
                "import m from 'https://cdn.example/m.mjs'", "background:url(https://x.example/a.png)"):
        assert pages.EXTERNAL.findall(bad), bad
    assert not pages.EXTERNAL.findall('<a href="https://github.com/x">a source a reader may open</a>')
    assert not pages.EXTERNAL.findall("/* see https://example.org in a comment */")


# ------------------------------------------------------------------ the index


def test_index_answers_first_with_titles_thumbnails_and_the_commit(tmp_path):
    reports = tmp_path / "reports"
    for d in ("results", "html", "figures", "notebooks"):
        (reports / d).mkdir(parents=True)
    docs = {"00_overview": _results(claim="overview", verdict=None, summary="The study tests 5 claims."),
            "03_adaptive_allocation": _results(),
            "06_synthesis": _results(claim="synthesis", verdict="partly supported", summary="Of 5 claims, 1 held.",
                                     metrics={"answer": ["x", "In sum: budget and scaling are not one axis."],
                                              "verdicts": []}),
            "07_budget_planner": _results(claim="budget_planner", verdict=None, summary="Spend on model B.")}
    for s, d in docs.items():
        (reports / "results" / f"{s}.json").write_text(json.dumps(d))
        (reports / "html" / f"{s}.html").write_text("<html></html>")
    (reports / "figures" / "03_adaptive_allocation_curves.png").write_bytes(PNG_1PX)
    page = report.build_index(reports, commit="abc1234")
    top = page.index("id='verdict'")
    assert top < page.index("The notebooks") and "In sum: budget and scaling" in page[top:top + 2000]
    assert "Claim 3: adaptive versus uniform allocation" in page  # the notebook's own title, not its code name
    body = page.split("</style>", 1)[1]
    assert body.count("no claim judged") == 2 and "inconclusive" not in body
    assert "figures/03_adaptive_allocation_curves.png" in page and "abc1234" in page


# ------------------------------------------------------------------ the pipeline


def _fake_papermill(tmp_path, code):
    script = tmp_path / "fake_papermill.py"
    script.write_text("import sys\n" + code)
    return [sys.executable, str(script)]


def test_pipeline_talks_and_moves_the_notebook_into_place(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(tmp_path / "reports"))
    out = tmp_path / "03_adaptive_allocation.ipynb"
    cmd = _fake_papermill(tmp_path, f"open({str(out)!r} + '.tmp.ipynb', 'w').write('{{}}')\n"
                          "sys.stderr.write('[IPKernelApp] WARNING | Kernel is running over TCP without encryption. x\\n')\n"
                          "sys.stderr.write('[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.\\n')\n"
                          "sys.stderr.write('a real warning\\n')\n")
    assert pipeline.run("03_adaptive_allocation", out, cmd) == 0
    o, e = capfd.readouterr()
    i, n = pipeline.position("03_adaptive_allocation")
    assert f"[{i}/{n}] 03_adaptive_allocation ..." in o and re.search(rf"\[{i}/{n}\] 03_adaptive_allocation \d+ s", o)
    assert "without encryption" not in e and "KeyboardInterrupt" not in e and "a real warning" in e
    assert out.exists() and not (tmp_path / "reports" / "failed").exists()


def test_a_failed_notebook_is_kept_and_named(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(tmp_path / "reports"))
    out = tmp_path / "02_token_variance.ipynb"
    cmd = _fake_papermill(tmp_path, f"open({str(out)!r} + '.tmp.ipynb', 'w').write('{{}}')\nsys.exit(3)\n")
    assert pipeline.run("02_token_variance", out, cmd) == 3
    kept = tmp_path / "reports" / "failed" / "02_token_variance.ipynb"
    assert kept.exists() and not out.exists()
    err = capfd.readouterr().err
    assert "02_token_variance FAILED" in err and str(kept) in err


def test_tables_show_three_significant_digits():
    from helpers.plotting import table_number

    assert table_number(0.812345) == "0.812" and table_number(12.345) == "12.3"
    assert table_number(1234567.8) == "1,234,568" and table_number(3.0) == "3"
    assert table_number(0.00012) == "1.20e-04" and table_number(0.0) == "0"
    assert table_number(float("nan")) == "nan" and table_number(float("inf")) == "inf"
