"""The PDF edition's page assembly (analysis/present/printing.py), on small made-up pages: no browser needed."""

from __future__ import annotations

import pytest

from analysis.present import printing


def test_print_module_refuses_a_page_that_is_not_a_book_page() -> None:
    with pytest.raises(ValueError, match="page 'x' has no <article"):
        printing.chapters([printing.PageSource("x", "<html><body><p>hi</p></body></html>", True)], "../html")


def test_links_between_pages_become_links_inside_the_document() -> None:
    page = ('<article class="bd-article"><section id="s"><h1><span class="section-number">2. </span>Pricing'
            '<a class="headerlink" href="#s">#</a></h1><p><a href="cashflow.html#pv">PV</a> '
            '<a href="#s">here</a> <a href="../_static/downloads/x.csv">file</a> <a href="https://e.org">web</a></p>'
            '<img src="../_images/f.svg"><table><tr><td>1</td></tr></table></section></article>')
    summary = '<article class="bd-article"><h1>Summary</h1></article>'
    other = '<article class="bd-article"><h1>Cash flow</h1></article>'
    printed = printing.chapters([printing.PageSource("summary", summary, False), printing.PageSource("pricing", page, True),
                                 printing.PageSource("cashflow", other, True), printing.PageSource("glossary", other, False)],
                                "../html")
    body = printed[1].body
    assert 'href="#cashflow--pv"' in body and 'href="#pricing--s"' in body and 'id="pricing--s"' in body
    assert "x.csv" not in body and " file " in body and 'href="https://e.org"' in body
    assert 'src="../html/_images/f.svg"' in body
    assert "Table 1.1" in body and "headerlink" not in body
    assert [printing.heading_text(c) for c in printed] == ["Summary", "1. Pricing", "2. Cash flow", "Appendix A. Cash flow"]


def test_start_pages_refuses_a_chapter_that_starts_no_page() -> None:
    chapter = printing.PrintedChapter("a--top", "1", "Alpha", "")
    assert printing.start_pages(["cover", "Contents", "1. Alpha\ntext"], [chapter], 3) == {"a--top": 3}
    with pytest.raises(ValueError, match="starts no page"):
        printing.start_pages(["cover", "Contents", "text 1. Alpha"], [chapter], 3)
