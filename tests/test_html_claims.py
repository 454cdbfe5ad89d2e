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

from .conftest import REPO

HTML = Path(os.environ["BOOK_HTML"]) if os.environ.get("BOOK_HTML") else None
pytestmark = pytest.mark.skipif(HTML is None, reason="BOOK_HTML not set: run `make test`, which builds the book first")

WILDCARD = re.compile(r"\.\.\.|…|\[[^\]]*\]|\{[^}]*\}")
"""In a quoted claim, '...' or '…' stands for a number or words left out, '[...]' and '{...}' for a glued value."""


def quoted_claims(source: str) -> list[str]:
    """Every double-quoted phrase of eight characters or more in the comment lines of ``source``."""
    return [q for line in source.splitlines() if line.strip().startswith("#") for q in re.findall(r'"([^"]{8,})"', line)]


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
