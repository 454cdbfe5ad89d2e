"""The PDF edition's source: the built HTML pages joined into one print-styled page, with a cover and contents.

Pure text in, text out: the caller reads the built pages and prints the result (tools/print_book.py drives
Chromium). Each page's article is taken whole; its ids are prefixed with the page's name so that links between
pages become links inside the one document; links to anything that is not a book page are kept only when they
leave the site (http, https, mailto). Chapters keep the book's numbers; the appendix is lettered (A, B, ...) and
every table gets a label ("Table 3.2", "Table A.1") in reading order.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

EXTERNAL = ("http://", "https://", "mailto:")
DROP = ("a.headerlink", "button", "script", "div.toggle-hidden-hint", "nav", "div#print-main-content",
        ".sd-btn", "div.cell_input")
"""Elements a printed page has no use for: permalink marks, buttons, scripts, in-page navigation, code inputs."""


@dataclass(frozen=True)
class PageSource:
    """One built page: its name in the book ('cashflow' for chapters/cashflow.html), its HTML, and whether it is numbered."""

    name: str
    html: str
    numbered: bool


@dataclass(frozen=True)
class Cover:
    """What the cover states: the book's title, the edition line, the commit, build date and the assumption set and hash."""

    title: str
    edition: str
    commit: str
    built: str
    assumption_set: str
    assumption_hash: str


@dataclass(frozen=True)
class PrintedChapter:
    """A chapter as printed: its anchor, its label ('3', 'A' or '' for the summary) and its title."""

    anchor: str
    label: str
    title: str
    body: str


def toc_pages(toc: Mapping[str, object]) -> list[tuple[str, bool]]:
    """The book's pages in reading order from a parsed _toc.yml: (docname, numbered) pairs, the root first."""
    order: list[tuple[str, bool]] = [(str(toc["root"]), False)]
    parts = toc.get("parts")
    if not isinstance(parts, list):
        raise ValueError(f"_toc.yml: field 'parts' is {parts!r}; expected a list of parts with chapters")
    for part in parts:
        numbered = bool(part.get("numbered", False))
        for chapter in part.get("chapters", []):
            order.append((str(chapter["file"]), numbered))
    return order


def appendix_letter(index: int) -> str:
    """The letter of the ``index``-th appendix page (0 -> 'A'); there are at most 26."""
    if not 0 <= index < 26:
        raise ValueError(f"appendix: field 'index' is {index}; expected 0 to 25 (A to Z)")
    return chr(ord("A") + index)


def _page_name(href_path: str, here: str) -> str | None:
    """The book page a relative link points to ('cashflow'), or None when it is not a chapter page."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(here), href_path))
    match = re.fullmatch(r"chapters/([A-Za-z0-9_\-]+)\.html", target)
    return match.group(1) if match else None


def _prefixed(name: str, fragment: str) -> str:
    return f"{name}--{fragment}" if fragment else f"{name}--top"


def _rewrite_links(article: Tag, name: str, known: set[str], asset_prefix: str) -> None:
    here = f"chapters/{name}.html"
    for tag in article.find_all(id=True):
        tag["id"] = _prefixed(name, str(tag["id"]))
    for link in article.find_all("a", href=True):
        href = str(link["href"])
        if href.startswith(EXTERNAL):
            continue
        path, _, fragment = href.partition("#")
        target = name if path == "" else _page_name(path, here)
        if target in known:
            link["href"] = "#" + _prefixed(str(target), fragment)
        else:
            link.unwrap()
    for image in article.find_all(["img", "source"], src=True):
        src = str(image["src"])
        if not src.startswith((*EXTERNAL, "data:")):
            image["src"] = posixpath.normpath(posixpath.join(asset_prefix, posixpath.dirname(here), src))


def _title(article: Tag) -> tuple[Tag, str]:
    heading = article.find("h1")
    if heading is None:
        raise ValueError("print: a page has no h1 heading; expected every book page to start with its title")
    number = heading.find("span", class_="section-number")
    if number is not None:
        number.extract()
    return heading, " ".join(heading.get_text(" ", strip=True).split())


def _label_tables(article: Tag, label: str, soup: BeautifulSoup) -> None:
    for index, table in enumerate(article.find_all("table"), start=1):
        caption = soup.new_tag("p", attrs={"class": "print-table-label"})
        caption.string = f"Table {label}.{index}" if label else f"Table {index}"
        table.insert_before(caption)


def chapters(pages: Sequence[PageSource], asset_prefix: str) -> list[PrintedChapter]:
    """Each page's article, cleaned for print, with ids namespaced by page, links made internal and tables labelled.

    ``asset_prefix`` is the path from the printed document to the built site (images are resolved against it).
    Numbered pages keep their chapter number; unnumbered pages after the first are lettered as appendices.
    """
    known = {p.name for p in pages}
    printed: list[PrintedChapter] = []
    appendix = 0
    chapter_number = 0
    for position, page in enumerate(pages):
        soup = BeautifulSoup(page.html, "html.parser")
        article = soup.select_one("article.bd-article")
        if article is None:
            raise ValueError(f"print: page {page.name!r} has no <article class='bd-article'>; expected a Jupyter Book page")
        for selector in DROP:
            for element in article.select(selector):
                element.decompose()
        heading, title = _title(article)
        if page.numbered:
            chapter_number += 1
            label = str(chapter_number)
            shown = f"{label}. {title}"
        elif position == 0:
            label, shown = "", title
        else:
            label = appendix_letter(appendix)
            appendix += 1
            shown = f"Appendix {label}. {title}"
        heading.clear()
        heading.string = shown
        _label_tables(article, label, soup)
        _rewrite_links(article, page.name, known, asset_prefix)
        anchor = _prefixed(page.name, "")
        body = f'<section class="print-chapter" id="{anchor}">{article.decode_contents()}</section>'
        printed.append(PrintedChapter(anchor, label, title, body))
    return printed


def heading_text(chapter: PrintedChapter) -> str:
    """The chapter's heading as printed: '3. Title', 'Appendix A. Title' or the title alone."""
    if not chapter.label:
        return chapter.title
    return f"{chapter.label}. {chapter.title}" if chapter.label.isdigit() else f"Appendix {chapter.label}. {chapter.title}"


def _cover(cover: Cover) -> str:
    e = html.escape
    return f"""<section class="print-cover">
  <p class="print-kicker">A reproducible analysis</p>
  <h1 class="print-title">{e(cover.title)}</h1>
  <p class="print-edition">{e(cover.edition)}</p>
  <table class="print-facts">
    <tr><th>Commit</th><td><code>{e(cover.commit)}</code></td></tr>
    <tr><th>Built</th><td>{e(cover.built)}</td></tr>
    <tr><th>Assumption set</th><td>{e(cover.assumption_set)}</td></tr>
    <tr><th>Register hash</th><td><code>{e(cover.assumption_hash)}</code></td></tr>
  </table>
  <p class="print-note">Every number in this edition is computed by the book's code from its sourced inputs under the
  assumption set above. When you quote a number or a figure, cite the book, the figure id and the register hash.</p>
</section>"""


def _contents(printed: Sequence[PrintedChapter], page_numbers: Mapping[str, int] | None) -> str:
    rows = []
    for chapter in printed:
        page = str(page_numbers[chapter.anchor]) if page_numbers and chapter.anchor in page_numbers else ""
        rows.append(f'<li><a href="#{chapter.anchor}"><span class="print-toc-title">{html.escape(heading_text(chapter))}'
                    f'</span><span class="print-toc-page">{page}</span></a></li>')
    return '<section class="print-contents"><h1>Contents</h1><ol>' + "".join(rows) + "</ol></section>"


def document(printed: Sequence[PrintedChapter], cover: Cover, head: str, print_css: str,
             page_numbers: Mapping[str, int] | None = None) -> str:
    """The whole printable document: ``head`` (stylesheets and scripts), the print CSS, cover, contents, chapters."""
    body = "\n".join(chapter.body for chapter in printed)
    return (f'<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light"><head><meta charset="utf-8">'
            f"<title>{html.escape(cover.title)}</title>\n{head}\n<style>{print_css}</style></head>\n"
            f'<body class="print-book">{_cover(cover)}\n{_contents(printed, page_numbers)}\n{body}</body></html>\n')


def head_assets(page_html: str, asset_prefix: str, here: str) -> str:
    """The stylesheets and MathJax scripts of a built page, with paths made relative to the printed document."""
    soup = BeautifulSoup(page_html, "html.parser")
    kept: list[str] = []
    for link in soup.find_all("link", rel="stylesheet"):
        href = str(link["href"]).split("?")[0]
        kept.append(f'<link rel="stylesheet" href="{posixpath.normpath(posixpath.join(asset_prefix, posixpath.dirname(here), href))}">')
    for script in soup.find_all("script"):
        src = script.get("src")
        if src and "mathjax" in str(src):
            kept.append(f'<script defer src="{posixpath.normpath(posixpath.join(asset_prefix, posixpath.dirname(here), str(src)))}"></script>')
        elif not src and "window.MathJax" in script.get_text():
            kept.append(f"<script>{script.get_text()}</script>")
    return "\n".join(kept)


def start_pages(page_texts: Sequence[str], printed: Sequence[PrintedChapter], first_page: int) -> dict[str, int]:
    """The page (1-based) each chapter starts on, from each page's text: the first page at or after ``first_page``,
    and after the previous chapter's, whose first line is the chapter's heading. Raises ValueError if one is missing."""
    found: dict[str, int] = {}
    start = first_page
    for chapter in printed:
        wanted = _squash(heading_text(chapter))
        for number in range(start, len(page_texts) + 1):
            if _squash(page_texts[number - 1]).startswith(wanted):
                found[chapter.anchor] = number
                start = number + 1
                break
        else:
            raise ValueError(f"print: the heading {heading_text(chapter)!r} starts no page from page {start}; "
                             "expected every chapter to begin on a new page")
    return found


def _squash(text: str) -> str:
    """Text without whitespace or soft hyphens, for comparing what a PDF's text layer holds with what was printed."""
    return re.sub(r"[\s\u00ad]+", "", text)
