"""Look at the rendered study in a real browser (headless Chromium driven over the DevTools protocol).

``check_site(reports)`` serves ``reports/`` from a local http.server on 127.0.0.1, opens the index and
every reader page in a fresh headless Chromium profile (1280 x 900 viewport), and reports per page:
every request that failed, every request that left localhost, the images that did not decode
(``naturalWidth == 0``), where the verdict box starts (its top must be inside the first screen), and
the page's height. It saves a first-screen screenshot of each page to ``reports/screenshots/``.

Run as ``python -m helpers.browser`` (after ``make all``) to print the table and write the screenshots.
Needs Debian's ``chromium`` (``apt-get install -y chromium``) and websocket-client (a Jupyter
dependency already in the environment).
"""
from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import paths

WIDTH, HEIGHT = 1280, 900
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
         f"--window-size={WIDTH},{HEIGHT}", "--remote-debugging-port=0", "--remote-allow-origins=*",
         # nothing leaves the machine, even from a page that asks for it (the request is still recorded)
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
INSTALL_HINT = "install Chromium to run it: apt-get update && apt-get install -y chromium"


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        p = shutil.which(name)
        if p:
            return p
    return None


@dataclass
class PageReport:
    path: str
    status: int | None = None
    height: int | None = None
    verdict_top: float | None = None
    images: int = 0
    undecoded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    screenshot: str | None = None

    @property
    def verdict_in_first_screen(self) -> bool:
        return self.verdict_top is not None and 0 <= self.verdict_top < HEIGHT


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no access log on the terminal
        pass


@functools.lru_cache(maxsize=None)
def _handler(root: str):
    return functools.partial(_Quiet, directory=root)


class Server:
    """``reports/`` over http on 127.0.0.1 (a free port), in a thread, for the length of a ``with``."""

    def __init__(self, root: Path):
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(str(root)))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class Chromium:
    """One headless Chromium with a throw-away profile; ``page()`` gives a DevTools session on a tab."""

    def __init__(self, binary: str | None = None):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise FileNotFoundError(f"no Chromium found: {INSTALL_HINT}")

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="tts-chromium-")
        self.proc = subprocess.Popen([self.binary, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.__exit__()
            raise RuntimeError("Chromium did not start its DevTools endpoint")
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # drain
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def page(self) -> "Tab":
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=30) as r:
            info = json.load(r)
        return Tab(info["webSocketDebuggerUrl"])


class Tab:
    def __init__(self, ws_url: str):
        import websocket  # websocket-client, a jupyter dependency

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, event: str, timeout: float = 60.0) -> dict:
        for i, msg in enumerate(self.events):
            if msg.get("method") == event:
                return self.events.pop(i)
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == event:
                return msg
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(event)

    def evaluate(self, expr: str):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"page script failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self):
        self.ws.close()


PROBE = """(async () => {
  await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
  const box = document.getElementById('verdict');
  const r = box ? box.getBoundingClientRect() : null;
  return {
    height: Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0),
    verdictTop: r && r.height > 0 ? r.top + window.scrollY : null,
    images: document.images.length,
    undecoded: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))
                    .map(i => (i.alt || i.src).slice(0, 80)),
  };
})()"""


def visit(tab: Tab, url: str, origin: str, shot: Path | None) -> dict:
    tab.events.clear()
    tab.call("Page.navigate", url=url)
    tab.wait_for("Page.loadEventFired")
    probe = tab.evaluate(PROBE)
    time.sleep(0.2)
    requests, failed, external, errors, status = {}, [], [], [], None
    for ev in tab.events:
        m, p = ev.get("method"), ev.get("params", {})
        if m == "Network.requestWillBeSent":
            u = p["request"]["url"]
            requests[p["requestId"]] = u
            if not u.startswith(("data:", "about:", "blob:", origin)):
                external.append(u)
        elif m == "Network.loadingFailed":
            failed.append(f"{requests.get(p['requestId'], '?')} ({p.get('errorText')})")
        elif m == "Network.responseReceived":
            r = p["response"]
            if r["url"] == url:
                status = r["status"]
            elif r["status"] >= 400:
                failed.append(f"{r['url']} (HTTP {r['status']})")
        elif m == "Runtime.exceptionThrown":
            errors.append(str(p.get("exceptionDetails", {}).get("text")))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            errors.append(p["entry"].get("text", ""))
    if shot is not None:
        tab.call("Runtime.evaluate", expression="window.scrollTo(0, 0)")
        data = tab.call("Page.captureScreenshot", format="png",
                        clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT, "scale": 1})["data"]
        shot.parent.mkdir(parents=True, exist_ok=True)
        shot.write_bytes(base64.b64decode(data))
    return {"status": status, "failed": failed, "external": external, "errors": errors, **probe}


def check_site(reports: Path | None = None, screenshots: Path | None = None,
               pages: list[str] | None = None) -> list[PageReport]:
    """Open the index and every reader page of ``reports/`` in headless Chromium; see the module doc."""
    reports = Path(reports or paths.study_reports_dir())
    screenshots = screenshots if screenshots is not None else reports / "screenshots"
    if pages is None:
        pages = ["index.html"] + sorted(f"html/{p.name}" for p in (reports / "html").glob("*.html"))
    out = []
    with Server(reports) as srv, Chromium() as browser:
        origin = f"http://127.0.0.1:{srv.port}/"
        tab = browser.page()
        try:
            tab.call("Network.enable")
            tab.call("Page.enable")
            tab.call("Runtime.enable")
            tab.call("Log.enable")
            tab.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1,
                     mobile=False)
            for rel in pages:
                shot = screenshots / (Path(rel).stem + ".png") if screenshots else None
                r = visit(tab, origin + rel, origin, shot)
                out.append(PageReport(path=rel, status=r["status"], height=r["height"], verdict_top=r["verdictTop"],
                                      images=r["images"], undecoded=r["undecoded"], failed=r["failed"],
                                      external=r["external"], console_errors=r["errors"],
                                      screenshot=str(shot) if shot else None))
        finally:
            tab.close()
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    reports = Path(argv[0]) if argv else paths.study_reports_dir()
    if not find_chromium():
        print(f"no Chromium: {INSTALL_HINT}", file=sys.stderr)
        return 2
    bad = 0
    print(f"{'page':38} {'height':>7} {'verdict top':>11} {'images':>6}  problems")
    for r in check_site(reports):
        problems = ([f"failed {u}" for u in r.failed] + [f"external {u}" for u in r.external]
                    + [f"undecoded {u}" for u in r.undecoded]
                    + ([] if r.verdict_in_first_screen else ["verdict box not in the first screen"]))
        bad += bool(problems)
        top = "-" if r.verdict_top is None else f"{r.verdict_top:.0f}"
        print(f"{r.path:38} {r.height:>7} {top:>11} {r.images:>6}  {'; '.join(problems) or 'ok'}")
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    raise SystemExit(main())
