"""Editions of the book's key figures and what changed between them.

An edition is a dated, numbered JSON file under ``editions/`` (``edition-NNN_YYYY-MM-DD.json``) that
records every key figure of a release (id, label, value, unit, formatted value, derivation, chapter),
the commit and assumption set it was computed from and a hash of the inputs. ``editions/reasons.csv``
says why figures moved: one row per change, keyed by the edition the change is measured from and a
glob over figure ids. Comparison is by value: a number moved if it differs by more than one part in
10⁹ (or its unit changed); a text figure moved if its text changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..formatting import format_change, format_value, same_scale

EDITION_FILE = re.compile(r"^edition-(\d{3})_(\d{4}-\d{2}-\d{2})\.json$")
REASONS_FILE = "reasons.csv"
REASON_FIELDS = ("since_edition", "ids", "kind", "reason")
REASON_KINDS = ("model", "data", "assumption", "convention", "correction", "new", "withdrawn")
"""Why a figure moved: a model change, new or corrected data, a register change, a convention (day count,
rounding), a correction of an error, a figure added or withdrawn."""
FIGURE_FIELDS = ("id", "label", "value", "unit", "formatted", "derivation", "chapter")
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Edition:
    """One recorded edition: its number, date, provenance and key figures by id."""

    number: int
    date: str
    commit: str
    assumption_set: str
    assumption_hash: str
    inputs_hash: str
    figures: Mapping[str, Mapping[str, Any]]
    path: Path

    @property
    def name(self) -> str:
        """'Edition 1 (29 November 2026)'."""
        day = dt.date.fromisoformat(self.date)
        return f"Edition {self.number} ({day.day} {day:%B %Y})"


@dataclass(frozen=True)
class Reason:
    """Why figures matching ``ids`` (a glob) moved after edition ``since_edition``."""

    since_edition: int
    ids: str
    kind: str
    reason: str


def _edition_error(path: Path, what: str) -> ValueError:
    return ValueError(f"edition file {path.name}: {what}")


def read_edition(path: Path) -> Edition:
    """Read and check one edition file; raise ValueError naming the file and the bad field."""
    match = EDITION_FILE.match(path.name)
    if not match:
        raise _edition_error(path, "name is not edition-NNN_YYYY-MM-DD.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise _edition_error(path, f"cannot be read as JSON ({exc})") from None
    for key in ("edition", "date", "commit", "assumption_set", "assumption_hash", "inputs_hash", "figures"):
        if key not in data:
            raise _edition_error(path, f"field '{key}' is missing")
    if data["edition"] != int(match.group(1)) or data["date"] != match.group(2):
        raise _edition_error(path, f"field 'edition'/'date' is {data['edition']!r}/{data['date']!r}; expected the "
                                   f"number and date in the file name ({int(match.group(1))}, {match.group(2)})")
    figures: dict[str, Mapping[str, Any]] = {}
    for row in data["figures"]:
        missing = [f for f in FIGURE_FIELDS if f not in row]
        if missing:
            raise _edition_error(path, f"figure {row.get('id')!r} lacks fields {missing}")
        if row["id"] in figures:
            raise _edition_error(path, f"figure id {row['id']!r} appears twice")
        figures[row["id"]] = row
    return Edition(data["edition"], data["date"], data["commit"], data["assumption_set"], data["assumption_hash"],
                   data["inputs_hash"], figures, path)


def load_editions(folder: Path) -> list[Edition]:
    """Every edition in ``folder``, oldest first; numbers must run 1, 2, 3, … without gaps."""
    editions = sorted((read_edition(p) for p in Path(folder).glob("edition-*.json")), key=lambda e: e.number)
    for expected, edition in enumerate(editions, start=1):
        if edition.number != expected:
            raise _edition_error(edition.path, f"field 'edition' is {edition.number}; expected {expected} (no gaps)")
    return editions


def load_reasons(folder: Path) -> list[Reason]:
    """``reasons.csv`` in ``folder`` (empty if absent); raise ValueError naming the line and field of a bad row."""
    path = Path(folder) / REASONS_FILE
    if not path.exists():
        return []
    reasons = []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    if tuple(reader.fieldnames or ()) != REASON_FIELDS:
        raise ValueError(f"{path.name}: header is {reader.fieldnames}; expected {list(REASON_FIELDS)}")
    for line, row in enumerate(reader, start=2):
        if not re.fullmatch(r"\d+", row["since_edition"] or ""):
            raise ValueError(f"{path.name}, line {line}: field 'since_edition' is {row['since_edition']!r}; expected an edition number")
        if row["kind"] not in REASON_KINDS:
            raise ValueError(f"{path.name}, line {line}: field 'kind' is {row['kind']!r}; expected one of {', '.join(REASON_KINDS)}")
        if not (row["ids"] or "").strip() or not (row["reason"] or "").strip():
            raise ValueError(f"{path.name}, line {line}: fields 'ids' and 'reason' must not be empty")
        reasons.append(Reason(int(row["since_edition"]), row["ids"].strip(), row["kind"], row["reason"].strip()))
    return reasons


def _moved(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    if old["unit"] != new["unit"]:
        return True
    a, b = old["value"], new["value"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return not math.isclose(float(a), float(b), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    return a != b


def as_written_now(figure: Mapping[str, Any], unit: str | None = None) -> str:
    """A recorded figure's value as the book writes it today (one set of formatting rules for both sides of a
    comparison), in ``unit`` if given (the current unit, when it measures on the same scale); the recorded text if
    its unit is no longer one the book formats."""
    try:
        return format_value(figure["value"], unit or figure["unit"])
    except (ValueError, TypeError):
        return str(figure["formatted"])


@dataclass(frozen=True)
class Change:
    """One key figure that moved, appeared or was withdrawn between two sets of figures."""

    id: str
    status: str  # 'moved', 'new' or 'withdrawn'
    label: str
    before: str
    after: str
    change: str
    reasons: tuple[Reason, ...]


def compare(previous: Mapping[str, Mapping[str, Any]], current: Mapping[str, Mapping[str, Any]],
            reasons: Sequence[Reason], since_edition: int) -> list[Change]:
    """Figures that moved, are new or were withdrawn from ``previous`` to ``current`` (both id → figure dict).

    Each change carries the reasons of edition ``since_edition`` whose id glob matches it.
    """
    applicable = [r for r in reasons if r.since_edition == since_edition]

    def why(fid: str) -> tuple[Reason, ...]:
        return tuple(r for r in applicable if fnmatch.fnmatchcase(fid, r.ids))

    changes = []
    for fid, new in current.items():
        old = previous.get(fid)
        if old is None:
            changes.append(Change(fid, "new", new["label"], "—", new["formatted"], "new figure", why(fid)))
        elif _moved(old, new):
            shown_in = new["unit"] if same_scale(old["unit"], new["unit"]) else None
            changes.append(Change(fid, "moved", new["label"], as_written_now(old, shown_in), new["formatted"],
                                  format_change(old["value"], new["value"], old["unit"], new["unit"]), why(fid)))
    for fid, old in previous.items():
        if fid not in current:
            changes.append(Change(fid, "withdrawn", old["label"], as_written_now(old), "—", "withdrawn", why(fid)))
    return changes


def figures_by_id(rows: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Key-figure dicts (as exported) indexed by id."""
    return {row["id"]: row for row in rows}


def next_edition_path(folder: Path, date: dt.date) -> tuple[int, Path]:
    """The number and file path of the next edition in ``folder``, dated ``date``."""
    editions = load_editions(folder) if Path(folder).exists() else []
    number = len(editions) + 1
    if editions and date.isoformat() < editions[-1].date:
        raise ValueError(f"edition date {date.isoformat()} is before the last edition's ({editions[-1].date})")
    return number, Path(folder) / f"edition-{number:03d}_{date.isoformat()}.json"


def edition_document(number: int, date: dt.date, commit: str, assumption_set: str, assumption_hash: str,
                     inputs_digest: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """The JSON text of an edition (stable key order, one figure per object, UTF-8)."""
    document = {
        "edition": number,
        "date": date.isoformat(),
        "commit": commit,
        "assumption_set": assumption_set,
        "assumption_hash": assumption_hash,
        "inputs_hash": inputs_digest,
        "figures": [{k: row[k] for k in FIGURE_FIELDS} for row in rows],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Comparison:
    """What the What-changed page shows: which editions (or the current build) are compared, and the changes."""

    before: Edition | None
    after_name: str
    changes: list[Change]
    current_is_recorded: bool


def changes_for_page(editions: Sequence[Edition], reasons: Sequence[Reason],
                     current: Mapping[str, Mapping[str, Any]]) -> Comparison:
    """The current build against the last edition; if nothing moved since, the last edition against its predecessor."""
    if not editions:
        return Comparison(None, "this build", [], False)
    last = editions[-1]
    changes = compare(last.figures, current, reasons, last.number)
    if changes:
        return Comparison(last, "this build", changes, False)
    if len(editions) == 1:
        return Comparison(None, last.name, [], True)
    before = editions[-2]
    return Comparison(before, last.name, compare(before.figures, last.figures, reasons, before.number), True)


def summary_sentence(comparison: Comparison, assumption_set: str) -> str:
    """One sentence for the What-changed page: what is compared with what, and how many figures changed."""
    what_if = assumption_set.startswith("what-if")
    if comparison.before is None and not comparison.current_is_recorded:
        return "No edition has been recorded yet, so there is nothing to compare with."
    if comparison.before is None:
        return f"This build is {comparison.after_name}, the first recorded edition: there is no earlier edition to compare with."
    counts = {s: sum(c.status == s for c in comparison.changes) for s in ("moved", "new", "withdrawn")}
    parts = [f"{n} {'figure' if n == 1 else 'figures'} {s}" for s, n in counts.items() if n]
    summary = ", ".join(parts) if parts else "no figure changed"
    sentence = f"Compared with {comparison.before.name}, {comparison.after_name}: {summary}."
    if what_if and not comparison.current_is_recorded:
        sentence += (f" This is a what-if build ({assumption_set}): figures differ from the edition because of the "
                     "assumptions in use, whatever the reasons listed.")
    return sentence
