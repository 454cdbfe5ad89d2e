"""Checks on the tables and numbers of the built HTML book (issue 22): every base case shown in a table is the headline
figure or is labelled as another model, and every amount is written to one rule (three significant figures, fewer
only with 'about' where a standard error allows no more)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ANALYSIS_PAGES

HTML = Path(os.environ["BOOK_HTML"]) if os.environ.get("BOOK_HTML") else None
pytestmark = pytest.mark.skipif(HTML is None, reason="BOOK_HTML not set: run `make test`, which builds the book first")

VALUE_HEADER = re.compile(r"expected pv|expected present value", re.I)
BASE_LABEL = re.compile(r"\bbase\b|as reported|headline", re.I)
OTHER_MODEL = re.compile(r"\brepricing\b", re.I)
"""Labels that name a model other than the headline one: a base case of that model may differ from the headline."""
AMOUNT = re.compile(r"(about |under |plus |minus )?\$([0-9][0-9,]*(?:\.[0-9]+)?)([kMB])\b")


def _tables(page: str) -> list[list[list[str]]]:
    assert HTML is not None
    soup = BeautifulSoup((HTML / "chapters" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    return [[[" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
            for table in main.find_all("table")]


@pytest.fixture(scope="module")
def headline(figures) -> str:
    return figures["cashflow.expected_pv_usd"].formatted


def base_cells(table: list[list[str]]) -> list[tuple[str, str]]:
    """(label, cell) for every cell of ``table`` that shows a base or headline case's expected present value: in a
    value column, the rows labelled base, headline or 'as reported'; in a column headed 'Base', the value row; in a row
    that describes the headline model, its first amount."""
    found: list[tuple[str, str]] = []
    header = table[0] if table else []
    value_columns = [i for i, h in enumerate(header) if VALUE_HEADER.search(h)]
    base_columns = [i for i, h in enumerate(header) if h.strip().lower() == "base"]
    for row in table[1:]:
        label = row[0] if row else ""
        if value_columns and BASE_LABEL.search(label) and len(row) == len(header):
            found += [(label, row[i]) for i in value_columns]
        if base_columns and VALUE_HEADER.search(label) and len(row) == len(header):
            found += [(label, row[i]) for i in base_columns]
        if any("in our headline model" in cell for cell in row[1:]):
            found.append((row[1][:60], next(c for c in row if AMOUNT.search(c))))
        found += [(label, cell) for cell in row if cell.endswith("(headline)")]
    return found


def test_every_base_case_in_a_table_is_the_headline_or_names_its_model(headline):
    # Issue 22: Table 7.1's base $978M beside a headline of $969M. Each base case shown is the headline figure, or its
    # label names the model it belongs to.
    seen, wrong = 0, []
    for page in ANALYSIS_PAGES:
        for table in _tables(page):
            for label, cell in base_cells(table):
                seen += 1
                if not cell.startswith(headline) and not OTHER_MODEL.search(label):
                    wrong.append((page, label, cell))
    assert wrong == [], f"headline {headline}: {wrong}"
    assert seen >= 5  # summary, model-choice table, signing table, credit support, scenarios


def test_the_guard_catches_a_base_case_that_differs_from_the_headline():
    table = [["Output", "Bear", "Base", "Bull"], ["Expected present value to SpaceX (headline model)", "$895M", "$978M", "$4.47B"]]
    assert base_cells(table) == [("Expected present value to SpaceX (headline model)", "$978M")]
    other = [["Case", "Expected PV"], ["Repricing, share 50% (base case)", "$4.63B"], ["Base: the indices' median", "$3.87B"]]
    assert [label for label, _ in base_cells(other)] == ["Repricing, share 50% (base case)", "Base: the indices' median"]


def significant_digits(number: str) -> int:
    """Significant figures written in a number as printed ('1.40' -> 3, '12.7' -> 3, '8' -> 1, '0.97' -> 2)."""
    return len(number.replace(",", "").replace(".", "").lstrip("0"))


def test_every_amount_in_the_book_has_three_significant_figures():
    # Issue 22: '$1.4B' beside '$1.16B' and '$1B' in one table. An amount in thousands, millions or billions shows three
    # significant figures; fewer only after 'about' (the precision rule for simulated figures).
    assert significant_digits("1.40") == 3 and significant_digits("0.97") == 2 and significant_digits("8") == 1
    wrong = []
    for page in ANALYSIS_PAGES:
        assert HTML is not None
        soup = BeautifulSoup((HTML / "chapters" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["script", "style", "svg", "blockquote"]):
            tag.decompose()
        for table in soup.find_all("table"):  # a list of sources quotes their titles as written ('$6.3B Compute Lease')
            if any(th.get_text(" ").strip() == "Title" for th in table.find_all("th")):
                table.decompose()
        text = " ".join((soup.find("main") or soup).get_text(" ").split())
        for m in AMOUNT.finditer(text):
            if m.group(1) != "about " and significant_digits(m.group(2)) != 3:
                wrong.append((page, text[max(0, m.start() - 50): m.end() + 10]))
    assert wrong == [], wrong[:12]
