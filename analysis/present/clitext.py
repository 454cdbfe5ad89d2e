"""What the command line prints for a reader: the register, a what-if template, key figures by id or chapter, and one
figure explained (value, derivation, sources, error). Text only, at most ``WIDTH`` columns a line."""

from __future__ import annotations

import csv
import fnmatch
import io
import re

from ..inputs import Inputs
from ..inputs.types import Assumption, Term
from ..keyfigures import KeyFigure, KeyFigures

WIDTH = 100
"""Columns a table line may take (a standard terminal is 80 to 120 wide)."""

REFERENCE = re.compile(r"(assumptions|deal_terms)\[([A-Za-z0-9_.]+)")
"""A register or deal-term reference inside a derivation: assumptions[ID, case] or deal_terms[ID]."""


def _clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis if longer."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def _table(rows: list[list[str]], header: list[str], flexible: int, width: int = WIDTH) -> str:
    """Rows aligned in columns; column ``flexible`` takes what is left of ``width`` and is clipped to it."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    fixed = sum(w for i, w in enumerate(widths) if i != flexible) + 2 * (len(header) - 1)
    widths[flexible] = max(min(widths[flexible], width - fixed), 8)
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(line)).rstrip() for line in lines) + "\n"


def _chapter_names(ids: list[str]) -> list[str]:
    return sorted({i.split(".", 1)[0] for i in ids})


def select_ids(ids: list[str], id_glob: str | None, chapter: str | None, what: str) -> list[str]:
    """The ids matching ``id_glob`` (shell pattern) and in ``chapter`` (the id's first part); an error naming the
    choices if nothing matches."""
    if chapter is not None and chapter not in _chapter_names(ids):
        raise ValueError(f"{what}: field 'chapter' is {chapter!r}; expected one of {', '.join(_chapter_names(ids))}")
    out = [i for i in ids if (chapter is None or i.split(".", 1)[0] == chapter) and (id_glob is None or fnmatch.fnmatchcase(i, id_glob))]
    if not out:
        raise ValueError(f"{what}: field 'id' is {id_glob!r}; expected a pattern matching at least one id "
                         f"(for example '{ids[0].split('.', 1)[0]}.*')")
    return out


def _plain(value: float) -> str:
    """A register value, short: 20M, 2.7M, 1.5B, 136 or 0.25."""
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def _typed(value: float) -> str:
    """A register value as an override file takes it: 20000000 or 0.25 (no separators, no exponent for whole numbers)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def assumptions_table(inputs: Inputs, ids: list[str], width: int = WIDTH) -> str:
    """Register entries, two lines each: id, low / base / high, the plausible range (a what-if past it is refused as a
    likely slip) and the range the model supports; then the unit and the meaning."""
    rows = [[a.id, " / ".join(_plain(v) for v in (a.low, a.base, a.high)), f"{_plain(a.plausible_min)} to {_plain(a.plausible_max)}",
             f"{_plain(a.supported_min)} to {_plain(a.supported_max)}"] for a in (inputs.assumptions[i] for i in ids)]
    table = _table(rows, ["id", "low / base / high", "plausible", "supported"], 1, width).splitlines()
    lines = table[:2]
    for row_line, i in zip(table[2:], ids, strict=True):
        a = inputs.assumptions[i]
        lines += [row_line, "    " + _clip(f"[{a.unit}] {a.description}", width - 4)]
    return f"# {inputs.assumption_label}: {len(ids)} of {len(inputs.assumptions)} register entries\n" + "\n".join(lines) + "\n"


def assumptions_template(inputs: Inputs, ids: list[str]) -> str:
    """A what-if override file for ``ids`` at their current values: edit low/base/high and the note, delete the rest."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "unit", "low", "base", "high", "note"])
    for i in ids:
        a = inputs.assumptions[i]
        writer.writerow([a.id, a.unit, *(_typed(v) for v in (a.low, a.base, a.high)),
                         f"Your reason for changing it (was {' / '.join(_plain(v) for v in (a.low, a.base, a.high))})"])
    return out.getvalue()


def figures_table(figures: KeyFigures, ids: list[str]) -> str:
    """Key figures: id, value as the book writes it, and the label, fitted to ``WIDTH`` columns."""
    rows = [[f.id, _clip(f.formatted, 18), f.label] for f in (figures[i] for i in ids)]
    header_line = f"# assumption set: {figures.assumption_set}; register hash {figures.assumption_hash}; {len(ids)} figures\n"
    return header_line + _table(rows, ["id", "value", "label"], 2)


def comparison_table(first: KeyFigures, second: KeyFigures, ids: list[str]) -> str:
    """The figures whose value differs between two assumption sets: a what-if comparison, not an edition's changes (no
    model reason is claimed for any of them)."""
    rows = [[i, _clip(first[i].formatted, 16), _clip(second[i].formatted, 16), first[i].label]
            for i in ids if first[i].formatted != second[i].formatted]
    head = (f"# what-if comparison: A = {first.assumption_set} (hash {first.assumption_hash}), "
            f"B = {second.assumption_set} (hash {second.assumption_hash})\n"
            f"# {len(rows)} of {len(ids)} key figures differ; the differences come from the assumptions alone (same code)\n")
    if not rows:
        return head
    return head + _table(rows, ["id", "A", "B", "label"], 3)


def explain(figure: KeyFigure, inputs: Inputs) -> str:
    """One key figure in full: value, unit, label, chapter, derivation, error and the sources behind its inputs."""
    lines = [f"{figure.id}: {figure.formatted}", f"  label:      {figure.label}", f"  unit:       {figure.unit}",
             f"  chapter:    {figure.chapter}", f"  derivation: {figure.derivation}"]
    if figure.se is None:
        lines.append("  error:      none (computed exactly from its inputs)")
    else:
        lines.append(f"  error:      ± {figure.formatted_se} (standard error; {figure.se_formula or 'simulated'})")
    refs: list[tuple[str, str, Assumption | Term]] = []
    for kind, ref in REFERENCE.findall(figure.derivation):
        entry = inputs.assumptions.get(ref) if kind == "assumptions" else inputs.terms.get(ref)
        if entry is not None and (kind, ref) not in [(k, r) for k, r, _ in refs]:
            refs.append((kind, ref, entry))
    for kind, ref, entry in refs:
        lines.append(f"  input:      {kind}[{ref}] ({entry.confidence})")
        for key in entry.source_ids:
            source = inputs.sources.get(key)
            lines.append(f"    source:   {key}: {source.title if source else '?'}" + (f" <{source.url}>" if source and source.url else ""))
    if not refs:
        lines.append("  sources:    computed from the model results; its inputs' sources are in `assumptions` and the data pages")
    return "\n".join(lines) + "\n"
