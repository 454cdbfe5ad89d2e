"""Print the PDF edition: the built HTML book joined into one print-styled page, printed by Debian's Chromium.

    python tools/print_book.py --html _build/html --out _build/pdf/book.pdf --commit abc123

The page is built from _build/html in the order of _toc.yml (analysis/present/printing.py does the joining), served
from a local HTTP server (no network), printed to A4 with page numbers and a PDF outline, then printed a second
time with the contents' page numbers read back from the first print by pdftotext (poppler-utils). Figures stay
vector (SVG). Fails with a one-line message if Chromium, Playwright or pdftotext is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.environment import environment_inputs, environment_results  # noqa: E402
from analysis.inputs import REPOSITORY  # noqa: E402
from analysis.keyfigures import key_figures  # noqa: E402
from analysis.present import editions, printing  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
MARGIN = {"top": "18mm", "right": "17mm", "bottom": "20mm", "left": "17mm"}
WAIT_JS = """async () => {
  if (window.MathJax && window.MathJax.startup) { await window.MathJax.startup.promise; }
  await document.fonts.ready;
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(done => { img.onload = img.onerror = done; })));
  return Array.from(document.images).filter(img => !img.naturalWidth).map(img => img.getAttribute('src'));
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = socketserver.TCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def edition_line() -> tuple[str, str]:
    """The cover's edition line and the footer's short form: the recorded edition this build is, or what it follows."""
    inputs = environment_inputs()
    current = editions.figures_by_id(f.as_dict() for f in key_figures(environment_results()).values())
    recorded = editions.load_editions(REPOSITORY / "editions")
    comparison = editions.changes_for_page(recorded, editions.load_reasons(REPOSITORY / "editions"), current)
    what_if = " (what-if assumptions)" if inputs.is_what_if else ""
    if not recorded:
        return f"Working edition: no edition recorded yet{what_if}", "working edition"
    last = recorded[-1]
    if comparison.current_is_recorded and not inputs.is_what_if:
        return f"Edition {last.number}, {last.date}", f"edition {last.number}"
    moved = len(comparison.changes)
    return (f"Working edition after edition {last.number} ({last.date}){what_if}: {moved} key "
            f"{'figure differs' if moved == 1 else 'figures differ'} from it (see What changed)",
            f"after edition {last.number}")


def _footer(short_title: str, edition: str) -> str:
    text = html.escape(f"{short_title} · {edition}")
    return ('<div style="font-size:7.5pt;font-family:\'DejaVu Sans\',sans-serif;color:#555;width:100%;'
            'margin:0 17mm;display:flex;justify-content:space-between">'
            f'<span>{text}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext, reading order), one string per page."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True)
    pages = result.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _print(browser: object, url: str, out: Path, footer: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(url, wait_until="load")
    broken = page.evaluate(WAIT_JS)
    if broken:
        raise SystemExit(f"print: images did not load: {broken[:5]}")
    page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
             header_template="<span></span>", footer_template=footer, margin=MARGIN, outline=True, tagged=True,
             prefer_css_page_size=True)
    page.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=REPO / "_build" / "html", help="the built HTML book")
    parser.add_argument("--out", type=Path, default=REPO / "_build" / "pdf" / "book.pdf", help="the PDF to write")
    parser.add_argument("--commit", default="unknown", help="the commit the book was built from")
    parser.add_argument("--skip-without-tools", action="store_true",
                        help="without Chromium or pdftotext, say so and write no PDF (removing an old one) instead of failing")
    args = parser.parse_args(argv)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    missing = ("Chromium not found; install Debian's chromium (apt-get install chromium)" if chromium is None else
               "pdftotext not found; install Debian's poppler-utils (apt-get install poppler-utils)"
               if shutil.which("pdftotext") is None else None)
    if missing and args.skip_without_tools:
        args.out.unlink(missing_ok=True)  # never leave an old PDF for the tests to read as this build's
        print(f"print: PDF skipped: {missing}", file=sys.stderr)
        return 0
    if missing or chromium is None:
        raise SystemExit(f"print: {missing}")
    html_dir = args.html.resolve()
    if not (html_dir / "chapters").is_dir():
        raise SystemExit(f"print: field 'html' is {str(args.html)!r}; expected a built book (run `make book` first)")
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    root = Path(os.path.commonpath([html_dir, out.parent]))
    prefix = os.path.relpath(html_dir, out.parent)

    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    sources = []
    for docname, numbered in printing.toc_pages(toc):
        path = html_dir / f"{docname}.html"
        if not path.is_file():
            raise SystemExit(f"print: {path} is missing; expected every page of _toc.yml in the built book")
        sources.append(printing.PageSource(Path(docname).name, path.read_text(encoding="utf-8"), numbered))
    chapters = printing.chapters(sources, prefix)
    # Stylesheets (and MathJax, where a page has it) from a built page; every chapter page has the same ones.
    model = next((s for s in sources if "mathjax" in s.html), sources[0])
    head = printing.head_assets(model.html, prefix, f"chapters/{model.name}.html")
    inputs = environment_inputs()
    edition, short_edition = edition_line()
    cover = printing.Cover(title=str(config["title"]), edition=edition, commit=args.commit,
                           built=f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
                           assumption_set=inputs.assumption_set, assumption_hash=inputs.assumption_hash)
    css = (REPO / "tools" / "print_book.css").read_text(encoding="utf-8")
    page_file = out.with_suffix(".html")
    footer = _footer(str(config["title"]).split(":")[0], short_edition)
    url_path = page_file.relative_to(root).as_posix()

    with _serve(root) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page_file.write_text(printing.document(chapters, cover, head, css), encoding="utf-8")
        _print(browser, f"{base}/{url_path}", out, footer)
        texts = pdf_pages(out)
        contents_at = next((i for i, t in enumerate(texts, start=1) if t.strip().startswith("Contents")), None)
        if contents_at is None:
            raise SystemExit("print: the contents page is missing from the first print")
        numbers = printing.start_pages(texts, chapters, contents_at + 1)
        page_file.write_text(printing.document(chapters, cover, head, css, numbers), encoding="utf-8")
        _print(browser, f"{base}/{url_path}", out, footer)
        browser.close()
    final = printing.start_pages(pdf_pages(out), chapters, contents_at + 1)
    if final != numbers:
        raise SystemExit("print: page numbers moved between the two prints; the contents would be wrong")
    print(f"PDF edition written to {out.relative_to(REPO) if out.is_relative_to(REPO) else out}: "
          f"{len(pdf_pages(out))} pages, {len(chapters)} chapters; {edition}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
