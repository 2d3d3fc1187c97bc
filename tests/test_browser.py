"""The rendered study in a real browser: headless Chromium over the index and every reader page.

The site is built the way a reader gets it (`make all`, here in quick mode on a copy of the repository
so that reports/ is untouched and the run takes minutes), served from 127.0.0.1, and opened page by
page: no request fails, none leaves localhost, every image decodes, and the verdict box (the answer box
on the index) starts inside the first screen. First-screen screenshots go to reports/screenshots/.
Locally the test skips when Chromium is missing (it says how to install it); in CI it fails instead.
"""
import os
import re
import subprocess

import pytest

from helpers import bench, browser, paths

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
def site(tmp_path_factory):
    """`make all` in quick mode on a copy of the repository; returns its reports/ folder."""
    dst = bench.repo_copy(tmp_path_factory.mktemp("site"))
    env = {**os.environ, "STUDY_REPORTS_DIR": str(dst / "reports")}
    r = subprocess.run(["make", "--no-print-directory", "all", "PARAMS=-p quick True"], cwd=dst, env=env,
                       capture_output=True, text=True, timeout=3000)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    n = len(list((dst / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert re.search(rf"\[{n}/{n}\] \S+ \d+ s", r.stdout), r.stdout[-2000:]
    assert "without encryption" not in r.stdout + r.stderr
    return dst / "reports"


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
