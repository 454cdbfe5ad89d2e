"""The built book in a real browser: Debian's Chromium driven by Playwright (no browser is downloaded).

Every page must render without console errors, every image must load (natural width > 0), no table may be wider
than its container at 1400 px, the page must not scroll sideways at 390 px (a phone), and the book's search must
find "Reflection". Screenshots go to _build/screenshots/. Where Chromium or
Playwright is missing the test is skipped with the reason; with CI set it fails instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HTML = Path(os.environ["BOOK_HTML"]) if os.environ.get("BOOK_HTML") else None
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    if HTML is None:
        return "BOOK_HTML not set: run `make test`, which builds the book first"
    if CHROMIUM is None:
        return "Chromium not installed (apt-get install chromium); .ci/run installs it"
    try:
        import playwright.sync_api  # noqa: F401  (availability check)
    except ImportError:
        return "playwright not installed"
    return None


REASON = _missing()
if REASON and os.environ.get("CI") and HTML is not None:
    pytest.fail(f"browser test cannot run in CI: {REASON}", pytrace=False)
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = socketserver.TCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _pages() -> list[str]:
    return ["index.html", *sorted(f"chapters/{p.name}" for p in (HTML / "chapters").glob("*.html"))] if HTML else []


WIDE_TABLES_JS = """Array.from(document.querySelectorAll('main table')).map(t => {
  const parent = t.parentElement;
  return [(t.querySelector('th, td') || t).textContent.trim().slice(0, 40), Math.round(t.getBoundingClientRect().width),
          parent.clientWidth];
}).filter(([_, width, room]) => width > room + 1)"""
SIDEWAYS_JS = """(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  return Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40));
})()"""


@pytest.mark.parametrize("page_path", _pages())
def test_page_renders_cleanly(browser, base_url, page_path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base_url}/{page_path}", wait_until="networkidle")
    images = page.evaluate("Array.from(document.images).map(i => [i.currentSrc, i.complete, i.naturalWidth])")
    shots = REPO / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / (page_path.replace("/", "_").replace(".html", ".png"))), full_page=True)
    wide = page.evaluate(WIDE_TABLES_JS)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(100)
    sideways = page.evaluate(SIDEWAYS_JS)
    page.close()
    assert errors == [], f"{page_path}: console errors {errors}"
    assert wide == [], f"{page_path}: tables wider than their container at 1400 px (first cell, width, room): {wide}"
    assert sideways == [], f"{page_path}: the page scrolls sideways at 390 px; elements past the edge: {sideways}"
    broken = [src for src, complete, width in images if not complete or width == 0]
    assert broken == [], f"{page_path}: images that did not load: {broken}"


def test_search_finds_reflection(browser, base_url):
    page = browser.new_page()
    page.goto(f"{base_url}/search.html?q=Reflection")
    page.wait_for_selector("#search-results li", timeout=20_000)
    hits = page.locator("#search-results li").count()
    page.close()
    assert hits >= 3
