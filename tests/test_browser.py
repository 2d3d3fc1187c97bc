"""The rendered study in a real browser: headless Chromium over the index and every reader page.

The site is built the way a reader gets it (what `make all` does, here in quick mode from the session's
shared notebook runs into a temporary folder, so that reports/ is untouched), served from 127.0.0.1, and opened page by
page: no request fails, none leaves localhost, every image decodes, and the verdict box (the answer box
on the index) starts inside the first screen. First-screen screenshots go to reports/screenshots/.
Locally the test skips when Chromium is missing (it says how to install it); in CI it fails instead.
"""
import os
import subprocess

import pytest

from helpers import browser, paths

pytestmark = pytest.mark.notebook
ROOT = paths.ROOT


@pytest.fixture(scope="module")
def chromium():
    binary = browser.find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI has no Chromium: {browser.INSTALL_HINT} (.ci/run should have)")
        pytest.skip(f"no Chromium on this machine: {browser.INSTALL_HINT}")
    return binary


@pytest.fixture(scope="module")
def site(tmp_path_factory, notebook_runs):
    """The site as `make all PARAMS="-p quick True"` builds it, from this session's shared quick runs
    (tests/conftest.py: each notebook runs once per session, whichever test asks first): every notebook's
    outputs, the synthesis run on them, then every reader page and the index rendered by the same
    commands make's rules run. Returns its reports/ folder. (make's own progress lines and its
    warning filter are checked in tests/test_make.py.)

    The built site is kept, like the notebook runs, in ``.cache/test-site/<key>/`` while nothing it is
    built from changes: its key is every notebook run's key (tests/run_cache.py) and the SHA-256 of every
    file under helpers/ (which holds the page and index renderers). ``STUDY_TEST_CACHE=0``: built anew."""
    import hashlib
    import json
    import sys

    import run_cache
    from conftest import _copy_run, _execute, _run_env

    stems = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STUDY_RUN_BY", "make")  # as in every notebook test: the runs are shared with theirs
        h = hashlib.sha256(json.dumps([run_cache.run_key(s, {"quick": True}, _run_env()) for s in stems]).encode())
        run_cache._hash_tree(h, ROOT / "helpers", "helpers")
        folder = paths.ROOT / ".cache" / "test-site" / h.hexdigest()[:20]
        if (site := run_cache.kept(folder)) is not None:
            return site
        reports = tmp_path_factory.mktemp("site") / "reports"
        for stem in stems:
            if stem != "06_synthesis":
                out, _ = notebook_runs.get(stem, {"quick": True})
                _copy_run(out, reports)
        _execute("06_synthesis", {"quick": True}, reports)  # reads the claims' results, as make runs it last
        env = {**os.environ, "STUDY_REPORTS_DIR": str(reports)}
        for stem in stems:
            r = subprocess.run([sys.executable, "-m", "helpers.pages", str(reports / "notebooks" / f"{stem}.ipynb"),
                                str(reports / "html" / f"{stem}.html")], cwd=ROOT, env=env, capture_output=True, text=True)
            assert r.returncode == 0, r.stderr[-3000:]
        r = subprocess.run([sys.executable, "-m", "helpers.report"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-3000:]
    assert len(list((reports / "html").glob("*.html"))) == len(stems) and (reports / "index.html").exists()
    return run_cache.keep_newest(reports, folder)


def test_every_page_loads_offline_with_its_figures_and_the_verdict_first(chromium, site):
    shots = paths.ROOT / "reports" / "screenshots"
    pages = browser.check_site(site, screenshots=shots)
    assert [p.path for p in pages][0] == "index.html" and len(pages) == 1 + len(list((site / "html").glob("*.html")))
    problems = []
    for p in pages:
        if p.status != 200:
            problems.append(f"{p.path}: HTTP {p.status}")
        problems += [f"{p.path}: request failed {u}" for u in p.failed]
        problems += [f"{p.path}: external request {u}" for u in p.external]
        problems += [f"{p.path}: image not decoded {u}" for u in p.undecoded]
        problems += [f"{p.path}: script error {u}" for u in p.console_errors]
        if not p.verdict_in_first_screen:
            problems.append(f"{p.path}: verdict box starts at {p.verdict_top} px, below the first screen")
        assert p.screenshot and os.path.getsize(p.screenshot) > 5000, p.path
    assert not problems, "\n".join(problems)
    by_path = {p.path: p for p in pages}
    # every figure a notebook saved is shown on its page (and the index shows thumbnails)
    for html in sorted((site / "html").glob("*.html")):
        saved = len(list((site / "figures").glob(f"{html.stem}_*.png")))
        assert by_path[f"html/{html.name}"].images >= saved, html.stem
    assert by_path["index.html"].images >= 5
