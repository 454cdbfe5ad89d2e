"""The reported deal terms: one row per term, each value checked against the unit it must carry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .readers import check_sources, read_table
from .schemas import DEAL_TERMS_SCHEMA
from .text import display_name, is_iso_date, split_sources
from .types import Problem, Source, TableError, Term

# Deal terms the models read, with the unit each must carry. Required unless marked optional.
DEAL_TERM_UNITS: Mapping[str, str] = {
    "seller": "text",
    "buyer": "text",
    "monthly_payment_usd": "usd_per_month",
    "start_date": "date",
    "end_date": "date",
    "headline_value_usd": "usd",
    "headline_value_alt_usd": "usd",
    "lock_in_months": "months",
    "notice_days": "days",
    "hardware": "text",
    "site": "text",
    "ramp": "text",
}
OPTIONAL_DEAL_TERMS: frozenset[str] = frozenset({"headline_value_alt_usd", "ramp"})


def _parse_term_value(raw: str, unit: str) -> tuple[Any, str | None]:
    """Parse ``raw`` for ``unit``; return (value, None) or (None, what was expected)."""
    if unit in ("usd", "usd_per_month"):
        try:
            value = float(raw)
        except ValueError:
            return None, "a number of US dollars"
        return (value, None) if np.isfinite(value) and value > 0 else (None, "a positive, finite number of US dollars")
    if unit in ("days", "months"):
        if not re.match(r"^\d+$", raw) or int(raw) <= 0:
            return None, f"a whole number of {unit} > 0"
        return int(raw), None
    if unit == "date":
        return (dt.date.fromisoformat(raw), None) if is_iso_date(raw) else (None, "a date as YYYY-MM-DD")
    return raw, None


def load_deal_terms(path: Path, sources: Mapping[str, Source]) -> tuple[dict[str, Term], pd.DataFrame]:
    """Load ``deal_terms.csv``: validate the schema, each value against its unit, the ids, dates and sources."""
    name = display_name(path)
    table = read_table(path, DEAL_TERMS_SCHEMA)
    problems = check_sources(name, table, sources)
    terms: dict[str, Term] = {}
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        expected_unit = DEAL_TERM_UNITS.get(row.id)
        if expected_unit is None:
            problems.append(Problem(name, line, row.id, "id", row.id, "one of " + ", ".join(DEAL_TERM_UNITS)))
            continue
        if row.unit != expected_unit:
            problems.append(Problem(name, line, row.id, "unit", row.unit, f"'{expected_unit}' for this term"))
            continue
        value, expected = _parse_term_value(row.value, row.unit)
        if expected:
            problems.append(Problem(name, line, row.id, "value", row.value, expected))
            continue
        terms[row.id] = Term(
            id=row.id,
            label=row.label,
            value=value,
            unit=row.unit,
            source_ids=split_sources(row.source_id),
            confidence=row.confidence,
            note=row.note or "",
        )
    missing = [t for t in DEAL_TERM_UNITS if t not in OPTIONAL_DEAL_TERMS and t not in table["id"].tolist()]
    for term_id in missing:
        problems.append(Problem(name, None, term_id, "id", "(missing)", f"a row with id '{term_id}'"))
    start, end = (terms[t].value if t in terms else None for t in ("start_date", "end_date"))
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
        line = table["id"].tolist().index("end_date") + 2
        problems.append(Problem(name, line, "end_date", "value", end.isoformat(), f"a date after start_date ({start.isoformat()})"))
    if problems:
        raise TableError(problems)
    return terms, table

