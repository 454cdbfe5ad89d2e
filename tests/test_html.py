"""Checks on the built HTML book (run by `make test` after `make book`, which sets BOOK_HTML)."""

from __future__ import annotations

import functools
import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from analysis.inputs import load_inputs
from analysis.keyfigures import key_figures
from analysis.results import cached

from .conftest import REPO

HTML = Path(os.environ["BOOK_HTML"]) if os.environ.get("BOOK_HTML") else None
pytestmark = pytest.mark.skipif(HTML is None, reason="BOOK_HTML not set: run `make test`, which builds the book first")

PAGES = ["index.html", "chapters/summary.html", "chapters/deal.html", "chapters/pricing.html", "chapters/cashflow.html",
         "chapters/capex.html", "chapters/strategy.html", "chapters/credit.html", "chapters/sensitivity.html",
         "chapters/methodology.html", "chapters/assumptions.html", "chapters/data_sources.html", "chapters/glossary.html",
         "chapters/status.html", "chapters/key_figures.html", "chapters/changes.html",
         "chapters/references.html"]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)


def _parse(path: Path) -> _Collect:
    parser = _Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _content_pages() -> list[Path]:
    return sorted((HTML / "chapters").glob("*.html"))


def test_expected_pages_exist():
    for page in PAGES:
        assert (HTML / page).is_file(), page


def test_no_page_shows_an_error_or_a_raw_figure():
    for page in _content_pages():
        text = page.read_text(encoding="utf-8")
        for bad in ("Traceback", "Failed to format", "&lt;Figure size", "<Figure size", "Error in glue"):
            assert bad not in text, f"{page.name} shows {bad!r}"


def image_problems(pages: list[Path]) -> tuple[int, list[str]]:
    """(images seen, problems): every <img> must have non-empty alt text and point at an existing file."""
    seen, problems = 0, []
    for page in pages:
        for img in _parse(page).images:
            src = img.get("src") or ""
            if src.startswith("data:"):
                continue
            seen += 1
            if not (img.get("alt") or "").strip():
                problems.append(f"{page.name}: image {src} has no alt text")
            if not (page.parent / unquote(src)).resolve().is_file():
                problems.append(f"{page.name}: missing image {src}")
    return seen, problems


def link_problems(pages: list[Path]) -> list[str]:
    """Internal links whose file or anchor does not exist."""
    problems = []
    for page in pages:
        for href in _parse(page).links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                problems.append(f"{page.name}: broken link {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in _parse(target).ids:
                problems.append(f"{page.name}: missing anchor {href}")
    return problems


def test_every_image_exists_and_has_alt_text():
    seen, problems = image_problems(_content_pages())
    assert problems == [] and seen >= 2


def test_internal_links_and_anchors_resolve():
    assert link_problems(_content_pages()) == []


def test_every_figure_is_numbered_captioned_and_referenced():
    seen = 0
    for page in _content_pages():
        text = page.read_text(encoding="utf-8")
        for name in re.findall(r'<figure class="[^"]*" id="(fig-[\w-]+)"', text):
            seen += 1
            assert f'href="#{name}"' in text, f"{page.name}: {name} is never referenced with numref"
            block = text[text.index(f'id="{name}"'):]
            block = block[: block.index("</figure>")]
            assert '<figcaption' in block and "caption-number" in block, f"{name} has no numbered caption"
            assert re.search(r"Figure\s+id:\s*<code[^>]*><span[^>]*>" + re.escape(name), block), f"{name}: caption does not name its id"
    assert seen >= 15


GLUED = [
    ("deal", ("deal.monthly_payment_usd", "deal.headline_value_usd", "deal.committed_minimum_usd", "deal.committed_minimum_alt_usd", "cashflow.npv_full_term_usd")),
    ("pricing", ("pricing.implied_gpus", "pricing.implied_racks", "pricing.implied_it_mw", "pricing.market_price_usd_per_gpu_hour", "pricing.annual_price_decline", "pricing.market_price_low_usd_per_gpu_hour")),
    ("cashflow", ("cashflow.npv_full_term_usd", "cashflow.npv_committed_minimum_usd", "cashflow.expected_pv_usd", "cashflow.prob_full_term", "cashflow.expected_life_months")),
    ("capex", ("capex.capex_per_gpu_usd", "capex.dedicated_capex_usd", "capex.tco_usd_per_gpu_hour", "capex.payback_months", "capex.offset_share_committed", "capex.offset_share_full_term", "capex.seller_irr_full_term")),
]


@pytest.mark.parametrize(("chapter", "ids"), GLUED, ids=[c for c, _ in GLUED])
def test_glued_numbers_appear_in_the_chapter(chapter, ids):
    text = re.sub(r"<[^>]+>", "", (HTML / "chapters" / f"{chapter}.html").read_text(encoding="utf-8"))
    figures = key_figures_from_repo()
    for fid in ids:
        assert figures[fid].formatted in text, fid


@functools.lru_cache(maxsize=1)
def key_figures_from_repo():
    # The book's own result (the build cached it): what the pages should show.
    return key_figures(cached(load_inputs(REPO / "data"), REPO / "_build" / "cache"))


def test_every_page_names_its_assumption_set():
    for page in _content_pages():
        text = page.read_text(encoding="utf-8")
        assert "Assumption set:" in text and "register hash" in text, page.name


def test_downloads_agree_with_the_registry():
    document = json.loads((HTML / "downloads" / "key_figures.json").read_text(encoding="utf-8"))
    rows = document["figures"]
    figures = key_figures_from_repo()
    assert document["assumption_hash"] == figures.assumption_hash
    assert [r["id"] for r in rows] == list(figures)
    assert all(r["formatted"] == figures[r["id"]].formatted for r in rows)


def _text_outputs(path: Path) -> list[list[str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        if cell["cell_type"] != "code" or "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue  # the book's executed copies drop removed cells; nbval compares those strictly
        texts = []
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            for mime in ("text/plain", "application/papermill.record/text/plain"):
                if mime in data:
                    texts.append(re.sub(r"0x[0-9a-f]+", "0x", "".join(data[mime])))
            if o.get("output_type") == "stream":
                texts.append("".join(o["text"]))
        out.append(texts)
    return out


def test_build_reproduces_every_committed_text_output():
    # Determinism across builds: the book build re-executes every chapter; the text outputs it shows
    # (tables, streams) must equal the committed ones, which came from an earlier, separate run. Glued
    # numbers live in removed cells: nbval compares those, and the HTML tests check them on the page.
    executed = REPO / "_build" / "jupyter_execute" / "chapters"
    assert executed.is_dir(), "make book keeps _build/jupyter_execute"
    for committed in sorted((REPO / "chapters").glob("*.ipynb")):
        assert _text_outputs(executed / committed.name) == _text_outputs(committed), committed.name


class _Text(HTMLParser):
    """The visible text of a page's main content (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._main = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "main":
            self._main += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "main":
            self._main -= 1

    def handle_data(self, data: str) -> None:
        if self._main and not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", " ".join(parser.parts))


WORDING_SLIPS = {
    "a unit said twice": r"/GPU-hour (?:a|an|per) (?:GPU-)?hour",
    "a sign before a word for direction": r"\b(?:falling|rising|decline of|fall of) [+\-−]\s?\d",
    "a bare minus sign on a percentage": r"(?<![\w.%\-−])[\-−]\d+(?:\.\d+)?%",
    "a probability shown as 0.0%": r"(?<![\d.])0\.0%",
    "Markdown emphasis left in glued text": r"(?<![\w*])\*[a-z][^*\n]{2,80}\*(?![\w*])",
    "a LaTeX escape": r"\\[%&$#_]",
    "a capital letter after 'with' or 'is'": r"\b(?:with|is) \*?(?:Annual|What|Extra|Market|Months|Price|Share|Contract) [a-z]",
}


@pytest.mark.parametrize("slip", sorted(WORDING_SLIPS))
def test_pages_have_no_wording_slips(slip):
    pattern = re.compile(WORDING_SLIPS[slip])
    found = {page.name: sorted(set(pattern.findall(page_text(page))))[:5] for page in _content_pages()}
    found = {k: v for k, v in found.items() if v}
    assert found == {}, f"{slip}: {found}"


def test_citations_read_as_author_and_year():
    # In-text citations name who and when, not a bibliography key such as [kra26a].
    text = page_text(HTML / "chapters" / "cashflow.html")
    assert re.search(r"\(\s*Longstaff and Schwartz 2001\s*\)", text)
    assert not re.search(r"\[[a-z]{2,4}\d{2}[a-z]?\]", text)


def _prose(path: Path) -> list[str]:
    """The running text of a page: its paragraphs and list items, without code, tables or figures."""
    text = re.sub(r'\s(?:title|alt|href)="[^"]*"', "", path.read_text(encoding="utf-8"))  # attributes are not prose
    text = re.sub(r"<(script|style|code|pre|table|figure)\b[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r'<span class="bibtex-citation"[^>]*>.*?</span>', " ", text, flags=re.S)  # citations name sources as they are
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
            for _, body in re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", text, flags=re.S)]


DOUBLED_WORD = re.compile(r"\b([a-z]{2,})\s+\1\b", re.I)
"""The same word twice in a row ("falling falling 10%", "holding on on a cubic")."""


def test_prose_has_no_doubled_words():
    found = {page.name: [p[max(0, m.start() - 40): m.end() + 20] for p in _prose(page) for m in DOUBLED_WORD.finditer(p)]
             for page in _content_pages()}
    found = {k: v[:3] for k, v in found.items() if v}
    assert found == {}, found


def test_prose_shows_no_raw_ids():
    # A label built from an id ("Published: epoch ml gpus", "epoch_ml_gpus") instead of a name.
    raw = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b(?:epoch ml gpus|ml gpus)\b")
    found = {page.name: sorted({m.group(0) for p in _prose(page) for m in raw.finditer(p)})[:5] for page in _content_pages()
             if page.name not in ("key_figures.html", "changes.html", "data_sources.html", "assumptions.html", "methodology.html",
                                  "references.html")}  # pages that list ids, file names and titles on purpose
    found = {k: v for k, v in found.items() if v}
    assert found == {}, found


def test_no_table_opens_with_an_empty_header_row():
    # pandas writes a named index as a second header row of empty cells; the book folds it into the first.
    empty_row = re.compile(r"<tr>\s*<th>[^<]*</th>(?:\s*<th></th>)+\s*</tr>")
    found = [page.name for page in _content_pages()
             for head in re.findall(r"<thead>(.*?)</thead>", page.read_text(encoding="utf-8"), flags=re.S) if empty_row.search(head)]
    assert found == []
