"""The PDF edition (`make pdf`, tools/print_book.py): read back with poppler's pdftotext, pdfinfo and pdftoppm.

Checked: the cover names the edition, commit and assumption set; every chapter title heads the page the contents
give for it; each number the summary quotes is in the text; word boxes and rendered ink stay inside the page
margins (nothing cut at an edge); figures are vector (the PDF holds no raster image for them). Skipped where the
PDF was not built (BOOK_PDF unset); with CI set a missing PDF or poppler fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from PIL import Image

from analysis.inputs import load_inputs
from analysis.present import printing

from .conftest import REPO

PDF = Path(os.environ["BOOK_PDF"]) if os.environ.get("BOOK_PDF") else None
HTML = Path(os.environ["BOOK_HTML"]) if os.environ.get("BOOK_HTML") else None
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdftoppm"))
REASON = ("BOOK_PDF not set: run `make test`, which prints the PDF first" if PDF is None else
          "poppler-utils not installed (apt-get install poppler-utils); .ci/run installs it" if not POPPLER else
          f"{PDF} missing" if not PDF.is_file() else None)
if REASON and os.environ.get("CI") and PDF is not None:
    pytest.fail(f"PDF test cannot run in CI: {REASON}", pytrace=False)
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

MM = 72 / 25.4
MARGIN_PT = {"top": 18 * MM, "right": 17 * MM, "bottom": 20 * MM, "left": 17 * MM}
"""The page margins tools/print_book.py prints with, in points; body text must stay inside them."""


def _text(*args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args], check=True, capture_output=True, text=True).stdout


def _pages() -> list[str]:
    assert PDF is not None
    pages = _text(str(PDF), "-").split("\f")
    return pages[:-1] if not pages[-1].strip() else pages


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad]+", "", text)


def _toc() -> list[tuple[str, bool]]:
    return printing.toc_pages(yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8")))


def test_page_count_is_cover_contents_and_every_chapter() -> None:
    assert PDF is not None
    info = subprocess.run(["pdfinfo", str(PDF)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert pages == len(_pages())
    # Each of the pages in _toc.yml starts a page, after the cover and the contents; the book is long, not padded.
    assert len(_toc()) + 2 <= pages <= 250
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M), info


def test_cover_names_edition_commit_and_assumption_set() -> None:
    cover = _pages()[0]
    inputs = load_inputs()
    assert re.search(r"(Edition \d+, \d{4}-\d\d-\d\d|Working edition)", cover), cover
    assert re.search(r"Commit\s+\S+", cover)
    assert inputs.assumption_hash in cover
    assert "Assumption set" in cover


def _contents_rows() -> list[tuple[str, str]]:
    """(title, page number) of each line of the printed contents, footer left out."""
    pages = _pages()
    text = _text("-layout", str(PDF), "-")
    contents = text.split("\f")[next(i for i, p in enumerate(pages) if p.strip().startswith("Contents"))]
    body = "\n".join(line for line in contents.splitlines() if not re.search(r"page \d+ of \d+", line))  # no footer
    return re.findall(r"^\s*(\S.*?\S)\s*\.*\s+(\d+)\s*$", body, re.M)


def test_every_chapter_heads_the_page_the_contents_give() -> None:
    pages = _pages()
    rows = _contents_rows()
    assert len(rows) == len(_toc()), rows
    previous = 0
    for title, number in rows:
        page = int(number)
        assert page > previous, f"contents page numbers do not increase at {title!r}"
        previous = page
        assert _squash(pages[page - 1]).startswith(_squash(title)), f"page {page} does not start with {title!r}"


class _Glued(HTMLParser):
    """The text of every glued number on a page (myst-nb wraps {glue:text} in <span class="pasted-text">)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif "pasted-text" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def test_every_number_the_summary_quotes_is_in_the_pdf() -> None:
    if HTML is None:
        pytest.skip("BOOK_HTML not set")
    parser = _Glued()
    parser.feed((HTML / "chapters" / "summary.html").read_text(encoding="utf-8"))
    numbers = [n for n in dict.fromkeys(parser.found) if re.search(r"\d", n)]
    assert len(numbers) >= 5, numbers
    text = _squash(_text(str(PDF), "-"))
    missing = [n for n in numbers if _squash(n) not in text]
    assert not missing, f"summary numbers not in the PDF: {missing}"


def test_every_reference_title_is_in_the_pdf_text() -> None:
    """The references are all printed, and in glyphs: a character with no font prints as an empty box, which has no
    text, so a title in a script the print fonts lack (the cnBeta title is Chinese) would be missing here."""
    def letters(text: str) -> str:
        return re.sub(r"[\s\u00ad\-‐‑–]+", "", text)  # pdftotext joins a word hyphenated at a line end

    text = letters(_text(str(PDF), "-"))
    missing = [f"{key}: {source.title}" for key, source in load_inputs().sources.items() if letters(source.title) not in text]
    assert not missing, (f"{len(missing)} reference titles not in the PDF text: {missing[:5]}; a title in another script "
                         "needs a font for it (fonts-wqy-microhei for Chinese; .ci/run installs it)")


def test_no_word_outside_the_page_margins() -> None:
    assert PDF is not None
    page_re = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
    word_re = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    outside: list[str] = []
    for number, (width, height, body) in enumerate(page_re.findall(_text("-bbox", str(PDF), "-")), start=1):
        w, h = float(width), float(height)
        for x0, y0, x1, y1, word in word_re.findall(body):
            top, bottom = float(y0), float(y1)
            if bottom > h - MARGIN_PT["bottom"] + 1 and top > h - MARGIN_PT["bottom"]:
                continue  # the footer: page number and edition, printed in the bottom margin
            if (float(x0) < MARGIN_PT["left"] - 1 or float(x1) > w - MARGIN_PT["right"] + 1
                    or top < MARGIN_PT["top"] - 1 or bottom > h - MARGIN_PT["bottom"] + 1):
                outside.append(f"page {number}: {word!r} at x {float(x0):.0f}–{float(x1):.0f}, y {top:.0f}–{bottom:.0f}")
    assert not outside, f"{len(outside)} words outside the margins, e.g. {outside[:8]}"


def test_no_ink_in_the_side_margins_of_rendered_pages(tmp_path: Path) -> None:
    """Render every page and look at the left and right margins: anything drawn there (a clipped table, a figure
    wider than the text block) is cut at the page edge or about to be."""
    assert PDF is not None
    from PIL import Image

    dpi = 36
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(PDF), str(tmp_path / "p")], check=True)
    inked: list[str] = []
    for image_path in sorted(tmp_path.glob("p-*.png")):
        with Image.open(image_path) as image:
            gray = image.convert("L")
            width, height = gray.size
            side = int((min(MARGIN_PT["left"], MARGIN_PT["right"]) - 1) / 72 * dpi)
            body = (int(MARGIN_PT["top"] / 72 * dpi), int(height - MARGIN_PT["bottom"] / 72 * dpi))
            for x0, x1, where in ((0, side, "left"), (width - side, width, "right")):
                strip = gray.crop((x0, body[0], x1, body[1]))
                if strip.getextrema()[0] < 230:
                    inked.append(f"{image_path.stem} {where}")
    assert not inked, f"ink in the side margins: {inked[:10]}"


PAGE_FILL_MIN = 0.5
"""The least share of a page's text block that must hold text, tables or figures, on every page but a chapter's last:
a page below it is a gap left by a table or figure that did not fit (issue 22: pages 4 and 19 half empty)."""


def page_fill(gray: Image.Image, dpi: int) -> float:
    """Share of the text block's height down to its lowest ink (text, rule or figure), footer excluded."""
    width, height = gray.size
    top, bottom = int(MARGIN_PT["top"] / 72 * dpi), int(height - MARGIN_PT["bottom"] / 72 * dpi)
    body = gray.crop((0, top, width, bottom)).point(lambda v: 255 if v < 235 else 0)
    box = body.getbbox()
    return 0.0 if box is None else box[3] / (bottom - top)


def test_no_page_before_a_chapter_end_is_left_half_empty(tmp_path: Path) -> None:
    assert PDF is not None
    dpi = 40
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(PDF), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    starts = [int(number) for _, number in _contents_rows()]
    last_pages = {s - 1 for s in starts[1:]} | {len(images)}
    short = []
    for number, image_path in enumerate(images, start=1):
        if number < starts[0] or number in last_pages:
            continue  # the cover, the contents and each chapter's last page may end early
        with Image.open(image_path) as image:
            fill = page_fill(image.convert("L"), dpi)
        if fill < PAGE_FILL_MIN:
            short.append(f"page {number}: {fill:.0%}")
    assert not short, f"pages under {PAGE_FILL_MIN:.0%} full before their chapter's end: {short}"


def test_page_fill_measures_the_lowest_ink() -> None:
    from PIL import ImageDraw

    dpi = 40
    width, height = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    page = Image.new("L", (width, height), 255)
    top = MARGIN_PT["top"] / 72 * dpi
    block = height - (MARGIN_PT["top"] + MARGIN_PT["bottom"]) / 72 * dpi
    ImageDraw.Draw(page).rectangle((40, top + 5, 200, top + 0.3 * block), fill=0)
    assert page_fill(page, dpi) == pytest.approx(0.3, abs=0.02)
    ImageDraw.Draw(page).text((40, height - 20), "footer", fill=0)  # in the bottom margin: not counted
    assert page_fill(page, dpi) == pytest.approx(0.3, abs=0.02)
    assert page_fill(Image.new("L", (width, height), 255), dpi) == 0.0


def test_figures_are_vector() -> None:
    """Every figure is drawn as vectors: pdfimages finds no raster image as large as a figure."""
    assert PDF is not None
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages not installed")
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], check=True, capture_output=True, text=True).stdout
    large = [line for line in listing.splitlines()[2:] if int(line.split()[3]) >= 300 and int(line.split()[4]) >= 200]
    assert not large, f"raster images in the PDF: {large[:5]}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
