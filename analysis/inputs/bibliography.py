"""The bibliography: every source the data cite, checked for the fields the book prints and for typesetting."""

from __future__ import annotations

import re
from pathlib import Path

from pybtex.backends.html import Backend
from pybtex.database import BibliographyData, parse_string
from pybtex.exceptions import PybtexError
from pybtex.style.formatting.unsrt import Style

from .text import FILE_FIELD, display_name, is_iso_date, plain_text, plain_url, read_text
from .types import Problem, Source, TableError

BIB_REQUIRED_FIELDS: tuple[str, ...] = ("title", "year", "url", "urldate")
OUTLET_FIELD: dict[str, str] = {"online": "howpublished", "misc": "howpublished", "article": "journal", "book": "publisher"}
"""The field that names where a source appeared, by entry type (the outlet the book prints)."""


def load_bibliography(path: Path) -> dict[str, Source]:
    """Parse the BibTeX file and check every entry has a title, outlet, year, URL and access date."""
    name = display_name(path)
    text = read_text(path)
    try:
        bib: BibliographyData = parse_string(text, "bibtex")
    except PybtexError as exc:
        raise TableError([Problem(name, None, None, FILE_FIELD, str(exc).splitlines()[0], "valid BibTeX")]) from None
    if not bib.entries:
        raise TableError([Problem(name, None, None, FILE_FIELD, "no entries", "at least one BibTeX entry")])
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    for key, entry in bib.entries.items():
        fields = {k.lower(): str(v).strip() for k, v in entry.fields.items()}
        outlet_field = OUTLET_FIELD.get(entry.type.lower())
        if outlet_field is None:
            problems.append(Problem(name, None, key, "(type)", entry.type, "one of the entry types " + ", ".join(OUTLET_FIELD)))
            outlet_field = "howpublished"
        if entry.type.lower() in ("article", "book") and not entry.persons.get("author"):
            problems.append(Problem(name, None, key, "author", None, "the authors of an article or book"))
        for required in (*BIB_REQUIRED_FIELDS, outlet_field):
            if not fields.get(required):
                problems.append(Problem(name, None, key, required, None, "a non-empty value"))
        url = fields.get("url", "")
        if url and not re.match(r"^https?://\S+$", url):
            problems.append(Problem(name, None, key, "url", url, "an http(s) address"))
        accessed = fields.get("urldate", "")
        if accessed and not is_iso_date(accessed):
            problems.append(Problem(name, None, key, "urldate", accessed, "a date as YYYY-MM-DD"))
        if not re.match(r"^[a-z0-9_]+$", key):
            problems.append(Problem(name, None, key, "key", key, "lowercase letters, digits and '_'"))
        date = fields.get("year", "")
        if fields.get("month"):
            date = f"{fields['month']} {date}"
        if fields.get("day"):
            date = f"{fields['day']} {date}"
        sources[key] = Source(
            key=key,
            title=plain_text(fields.get("title", "")),
            outlet=plain_text(fields.get(outlet_field, "")),
            date=date,
            url=plain_url(url),
            accessed=accessed,
            note=plain_text(fields.get("note", "")),
        )
    problems.extend(_typesetting_problems(name, bib))
    if problems:
        raise TableError(problems)
    return sources


def _typesetting_problems(name: str, bib: BibliographyData) -> list[Problem]:
    """Format every entry as the book's bibliography will (pybtex's unsrt style); report those that fail."""
    style, backend, problems = Style(), Backend(), []
    for key, entry in bib.entries.items():
        try:
            next(iter(style.format_entries([entry]))).text.render(backend)
        except Exception as exc:  # pybtex raises several unrelated types for bad LaTeX
            problems.append(Problem(name, None, key, "(entry)", str(exc),
                                    "text BibTeX can typeset: escape % as \\%, balance { and }"))
    return problems

