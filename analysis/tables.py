"""Tables for the book: DataFrames of formatted text, built once here so notebooks never hand-format columns."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .data import Inputs
from .formatting import format_value
from .keyfigures import KeyFigures

CONFIDENCE_WORDS: dict[str, str] = {
    "primary": "Primary (filing or company's own words)",
    "reported": "Reported (news)",
    "analyst_estimate": "Analyst estimate",
    "assumption": "Our assumption",
}


def _outlets(inputs: Inputs, keys: Iterable[str]) -> str:
    return "; ".join(inputs.sources[k].outlet for k in keys)


def terms_table(inputs: Inputs) -> pd.DataFrame:
    """The reported deal terms: value as written in the book, sources (outlets) and confidence."""
    rows = []
    for term in inputs.terms.values():
        value = term.value.isoformat() if hasattr(term.value, "isoformat") else term.value
        rows.append(
            {
                "Term": term.label,
                "Value": format_value(value, term.unit) if term.unit != "text" else value,
                "Reported by": _outlets(inputs, term.source_ids),
                "Confidence": CONFIDENCE_WORDS[term.confidence],
            }
        )
    return pd.DataFrame(rows).set_index("Term")


def sources_table(inputs: Inputs, keys: Iterable[str]) -> pd.DataFrame:
    """Bibliography entries ``keys``: outlet, title, date, address and the date we read it."""
    rows = []
    for key in dict.fromkeys(keys):
        source = inputs.sources[key]
        rows.append(
            {
                "Key": key,
                "Outlet": source.outlet,
                "Title": source.title,
                "Published": source.date,
                "Read on": source.accessed,
                "Address": source.url,
            }
        )
    return pd.DataFrame(rows).set_index("Key")


def term_source_keys(inputs: Inputs) -> list[str]:
    """Every bibliography key cited by a deal term, in first-use order."""
    return list(dict.fromkeys(k for t in inputs.terms.values() for k in t.source_ids))


def key_figures_table(figures: KeyFigures, chapter: str | None = None) -> pd.DataFrame:
    """Key figures (optionally of one chapter): id, label, formatted value and derivation."""
    rows = [
        {"Id": f.id, "Figure": f.label, "Value": f.formatted, "Derivation": f.derivation}
        for f in figures.values()
        if chapter is None or f.chapter == chapter
    ]
    return pd.DataFrame(rows).set_index("Id")


def source_line(inputs: Inputs, term_ids: Iterable[str]) -> str:
    """A figure's source line: the outlets behind the deal terms it draws on."""
    keys = dict.fromkeys(k for t in term_ids for k in inputs.terms[t].source_ids)
    return "deal terms as reported by " + _outlets(inputs, keys) + "; model calculations."
