"""The claims ``test_claims`` checks are the book's own sentences (issue 22): every sentence quoted in its comments is in
the built book, so a sentence reworded or removed from a chapter cannot leave a claim test checking words no reader
sees, and a sentence changed to say something else must bring its check with it."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ANALYSIS_PAGES, REPO

HTML = Path(os.environ["BOOK_HTML"]) if os.environ.get("BOOK_HTML") else None
pytestmark = pytest.mark.skipif(HTML is None, reason="BOOK_HTML not set: run `make test`, which builds the book first")

WILDCARD = re.compile(r"\.\.\.|…|\[[^\]]*\]|\{[^}]*\}")
"""In a quoted claim, '...' or '…' stands for a number or words left out, '[...]' and '{...}' for a glued value."""


def quoted_claims(source: str) -> list[str]:
    """Every double-quoted phrase of eight characters or more in the comments of ``source`` (a quote may run on over
    consecutive comment lines)."""
    blocks, block = [], []
    for line in [*source.splitlines(), ""]:
        if line.strip().startswith("#"):
            block.append(line.strip()[1:].strip())
        elif block:
            blocks.append(" ".join(block))
            block = []
    return [q for text in blocks for q in re.findall(r'"([^"]{8,})"', text)]


def claim_pattern(claim: str) -> re.Pattern[str]:
    """A pattern matching ``claim`` in the book's text, its wildcards standing for up to 300 characters."""
    parts = [re.escape(" ".join(part.split())) for part in WILDCARD.split(claim) if part.strip()]
    return re.compile(r".{0,300}?".join(parts), re.I)


@functools.cache
def book_text() -> str:
    """The text of every built chapter (with its figures' alt text), quotes and apostrophes made plain."""
    assert HTML is not None
    parts = []
    for page in sorted((HTML / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main") or soup
        parts.append(" ".join(main.get_text(" ").split()))
        parts += [str(img.get("alt", "")) for img in main.find_all("img")]
    return " ".join(parts).translate(str.maketrans({"’": "'", "“": '"', "”": '"'}))


def test_every_sentence_a_claim_test_quotes_is_in_the_book():
    claims = quoted_claims((REPO / "tests" / "test_claims.py").read_text(encoding="utf-8"))
    assert len(claims) >= 50
    missing = [claim for claim in claims if not claim_pattern(claim).search(book_text())]
    assert missing == [], f"claims checked in tests/test_claims.py that no chapter says any more: {missing}"


def test_a_claim_no_chapter_makes_is_not_found():
    source = '    # "Half the paths are worth less than {median}"; "The credit, not the price, is the first risk".\nx = "not a comment"'
    assert quoted_claims(source) == ["Half the paths are worth less than {median}", "The credit, not the price, is the first risk"]
    assert claim_pattern("Half the paths are worth less than {median}").search(book_text())
    assert not claim_pattern("The credit, not the price, is the first risk").search(book_text())


COMPARISON = re.compile(r"\b(half|most|more than|less than|largest|smallest|above|below|exceeds?|twice|far (?:less|more)|"
                        r"cheapest|dearest|higher|lower|rises|falls|shorter|longer|outside)\b", re.I)
"""Words that make a sentence a comparison a reader could check against the numbers."""
POINTERS = re.compile(r"\b(?:tables?|figures?|charts?|set out|shown|see|profile) (?:below|above)\b|\((?:see )?(?:below|above)\)", re.I)
"""'the table below', 'see above': where to look, not a comparison."""


def prose_sentences(page: str) -> list[str]:
    """The sentences of a chapter's prose (paragraphs and list items; tables, figures and quotations left out)."""
    assert HTML is not None
    soup = BeautifulSoup((HTML / "chapters" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for tag in main.find_all(["table", "figure", "script", "style", "blockquote"]):
        tag.decompose()
    sentences: list[str] = []
    for block in main.find_all(["p", "li"]):
        if block.find(["p", "li"]):
            continue  # its paragraphs are read on their own
        text = " ".join(block.get_text(" ").split()).translate(str.maketrans({"’": "'", "“": '"', "”": '"'}))
        sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s not in sentences]
    return sentences


def comparisons(sentences: list[str]) -> list[str]:
    return [s for s in sentences if COMPARISON.search(POINTERS.sub("", s))]


def test_every_comparison_in_the_prose_is_a_checked_claim_or_says_why_not():
    # Issue 22: "every quantitative sentence in prose backed by a computed claim in test_claims". A sentence that
    # compares is matched by a claim test_claims quotes, or listed in tests/prose_comparisons.csv with the reason it is
    # not a computed claim (a definition, the method, a quoted source); every listed sentence is still in the book.
    import csv

    claims = [claim_pattern(q) for q in quoted_claims((REPO / "tests" / "test_claims.py").read_text(encoding="utf-8"))]
    with (REPO / "tests" / "prose_comparisons.csv").open(encoding="utf-8", newline="") as handle:
        listed = list(csv.DictReader(handle))
    assert all(row["why"].strip() for row in listed)
    unchecked, used = [], set()
    for page in ANALYSIS_PAGES:
        for sentence in comparisons(prose_sentences(page)):
            if any(c.search(sentence) for c in claims):
                continue
            reasons = [i for i, row in enumerate(listed) if row["page"] == page and sentence.startswith(row["sentence_start"])]
            used.update(reasons)
            if not reasons:
                unchecked.append(f"[{page}] {sentence[:160]}")
    assert unchecked == [], "comparisons no claim in tests/test_claims.py checks:\n" + "\n".join(unchecked)
    stale = [f"[{row['page']}] {row['sentence_start']}" for i, row in enumerate(listed) if i not in used]
    assert stale == [], f"tests/prose_comparisons.csv lists sentences no chapter has any more: {stale}"


def test_a_new_comparison_is_caught():
    sentences = ["Half the paths are worth less than $3.86B.", "The table below sets out the terms.", "See above.",
                 "So the index table below shows its readings as year only."]
    assert comparisons(sentences) == ["Half the paths are worth less than $3.86B."]
