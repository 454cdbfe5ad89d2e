"""The assumption register and what-if overrides: low <= base <= high, within what the model supports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from .readers import check_sources, read_table
from .schemas import ASSUMPTIONS_SCHEMA, OVERRIDES_SCHEMA, PLAUSIBLE_SCHEMA
from .text import display_name, split_sources
from .types import Assumption, Problem, Source, TableError


def load_assumptions(path: Path, sources: Mapping[str, Source]) -> tuple[dict[str, Assumption], pd.DataFrame]:
    """Load ``assumptions.csv``: validate the schema, low <= base <= high, and that sources resolve."""
    name = display_name(path)
    table = read_table(path, ASSUMPTIONS_SCHEMA)
    problems = check_sources(name, table, sources)
    register: dict[str, Assumption] = {}
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        problems.extend(_range_problems(name, line, row.id, row.low, row.base, row.high, row.supported_min, row.supported_max))
        register[row.id] = Assumption(
            id=row.id,
            description=row.description,
            unit=row.unit,
            low=float(row.low),
            base=float(row.base),
            high=float(row.high),
            source_ids=split_sources(row.source_id),
            confidence=row.confidence,
            rationale_low=row.rationale_low,
            rationale_base=row.rationale_base,
            rationale_high=row.rationale_high,
            supported_min=float(row.supported_min),
            supported_max=float(row.supported_max),
        )
    if problems:
        raise TableError(problems)
    return register, table


def load_plausible(path: Path, sources: Mapping[str, Source], register: Mapping[str, Assumption]) -> dict[str, Assumption]:
    """``register`` with each entry's plausible range from ``plausible_ranges.csv``: a row for every entry, each range
    holding the entry's low and high and lying within what the model supports."""
    name = display_name(path)
    table = read_table(path, PLAUSIBLE_SCHEMA)
    problems = check_sources(name, table, sources)
    updated = dict(register)
    for i, row in enumerate(table.itertuples(index=False)):
        line, entry = i + 2, register.get(row.id)
        if entry is None:
            problems.append(Problem(name, line, row.id, "id", row.id, "an id of data/assumptions.csv"))
            continue
        lo, hi = float(row.plausible_min), float(row.plausible_max)
        if not entry.supported_min <= lo <= entry.low:
            problems.append(Problem(name, line, row.id, "plausible_min", lo, f"a value from supported_min ({entry.supported_min:g}) "
                                                                               f"to the low case ({entry.low:g})"))
        if not entry.high <= hi <= entry.supported_max:
            problems.append(Problem(name, line, row.id, "plausible_max", hi, f"a value from the high case ({entry.high:g}) to "
                                                                               f"supported_max ({entry.supported_max:g})"))
        updated[row.id] = replace(entry, plausible_min=lo, plausible_max=hi, plausible_note=row.slip_it_catches)
    problems += [Problem(name, None, rid, "id", "(missing)", "a plausible range for every register entry")
                 for rid in register if rid not in set(table["id"])]
    if problems:
        raise TableError(problems)
    return updated


def _plausible_problems(name: str, line: int, entry: Assumption, values: Mapping[str, float]) -> list[Problem]:
    """A what-if value outside the entry's plausible range: most likely a slip of unit or sign."""
    return [Problem(name, line, entry.id, field, value,
                    f"a plausible value, between {entry.plausible_min:g} and {entry.plausible_max:g} ({entry.plausible_note} "
                    "To go further, widen its row in data/plausible_ranges.csv.)")
            for field, value in values.items() if not entry.plausible_min <= float(value) <= entry.plausible_max]


WHOLE_NUMBER_ASSUMPTIONS: frozenset[str] = frozenset({"deal.notice_earliest_month", "deal.payment_timing_months", "pricing.rubin_month",
                                                      "termination.relet_downtime_months",
                                                      "deal.ramp_months"})
"""Register entries the models use as whole months."""


def _range_problems(name: str, line: int | None, row_id: str, low: float, base: float, high: float,
                    supported_min: float, supported_max: float) -> list[Problem]:
    problems = []
    if low > base:
        problems.append(Problem(name, line, row_id, "low", low, f"a value <= base ({base})"))
    if base > high:
        problems.append(Problem(name, line, row_id, "high", high, f"a value >= base ({base})"))
    if supported_min > supported_max:
        problems.append(Problem(name, line, row_id, "supported_max", supported_max, f"a value >= supported_min ({supported_min})"))
        return problems
    for field_name, value in (("low", low), ("base", base), ("high", high)):
        if not supported_min <= value <= supported_max:
            problems.append(Problem(name, line, row_id, field_name, value,
                                    f"a value the model supports, between {supported_min:g} and {supported_max:g}"))
        if row_id in WHOLE_NUMBER_ASSUMPTIONS and float(value) != int(value):
            problems.append(Problem(name, line, row_id, field_name, value, "a whole number of months"))
    return problems



def apply_overrides(path: Path, register: Mapping[str, Assumption]) -> dict[str, Assumption]:
    """A copy of ``register`` with entries replaced from a what-if file (columns id, unit, low, base, high, note).

    Every override must name a known id in that entry's unit, keep low <= base <= high and stay within
    what the model supports; otherwise TableError names the entry.
    """
    name = display_name(path)
    table = read_table(path, OVERRIDES_SCHEMA)
    problems: list[Problem] = []
    updated = dict(register)
    for i, row in enumerate(table.itertuples(index=False)):
        line = i + 2
        entry = register.get(row.id)
        if entry is None:
            problems.append(Problem(name, line, row.id, "id", row.id, "an id of data/assumptions.csv"))
            continue
        if row.unit != entry.unit:
            problems.append(Problem(name, line, row.id, "unit", row.unit, f"'{entry.unit}', the register's unit for this entry"))
            continue
        ranges = _range_problems(name, line, row.id, row.low, row.base, row.high, entry.supported_min, entry.supported_max)
        failed = {p.field for p in ranges}
        problems.extend(ranges + _plausible_problems(name, line, entry, {f: v for f, v in (("low", row.low), ("base", row.base),
                                                                                               ("high", row.high)) if f not in failed}))
        note = row.note.strip() if isinstance(row.note, str) else ""
        updated[row.id] = replace(entry, low=float(row.low), base=float(row.base), high=float(row.high),
                                  override_note=f"{path.name}: {note}" if note else f"overridden by {path.name}")
    if problems:
        raise TableError(problems)
    return updated

