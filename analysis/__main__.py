"""Command line: ``python -m analysis key-figures [--format table|json|csv]`` and ``python -m analysis check``."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import editions
from .data import Inputs, load_inputs
from .keyfigures import KeyFigures, key_figures

FIELDS = ("id", "label", "value", "unit", "formatted", "derivation", "chapter")


def render(figures: KeyFigures, fmt: str) -> str:
    """The key figures as an aligned text table, a JSON list of objects or CSV."""
    rows = [f.as_dict() for f in figures.values()]
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    cols = ("id", "formatted", "unit", "label")
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    lines = ["  ".join(c.ljust(widths[c]) for c in cols), "  ".join("-" * widths[c] for c in cols)]
    lines += ["  ".join(str(r[c]).ljust(widths[c]) for c in cols) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _record_edition(args: argparse.Namespace, inputs: Inputs, figures: KeyFigures) -> int:
    """Write the next edition file; refuse under a what-if assumption set (editions record the base register)."""
    if inputs.assumption_set.startswith("what-if"):
        raise ValueError(f"edition: assumption set is {inputs.assumption_set!r}; expected the base register "
                         "(editions record the published figures; unset ASSUMPTIONS)")
    date = args.date or dt.datetime.now(dt.timezone.utc).date()
    number, path = editions.next_edition_path(args.folder, date)
    text = editions.edition_document(number, date, args.commit, inputs.assumption_set, inputs.assumption_hash,
                                     editions.inputs_hash(inputs.data_dir), [f.as_dict() for f in figures.values()])
    args.folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"edition {number} recorded in {path}: {len(figures)} key figures")
    return 0


def _print_changes(folder: Path, figures: KeyFigures) -> int:
    """Print the What-changed comparison; exit 1 if a change has no reason on record."""
    comparison = editions.changes_for_page(editions.load_editions(folder), editions.load_reasons(folder),
                                           editions.figures_by_id(f.as_dict() for f in figures.values()))
    before = comparison.before.name if comparison.before else "nothing recorded"
    print(f"{comparison.after_name} against {before}: {len(comparison.changes)} changes")
    missing = 0
    for c in comparison.changes:
        why = "; ".join(r.reason for r in c.reasons) or "NO REASON ON RECORD"
        missing += not c.reasons
        print(f"{c.status:9s} {c.id}: {c.before} -> {c.after} ({c.change}) — {why}")
    return 1 if missing else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input or usage)."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None, help="folder with the input tables (default: data/)")
    parser.add_argument("--assumptions", type=Path, default=None,
                        help="what-if file overriding register entries (default: $DEAL_BOOK_ASSUMPTIONS, if set)")
    sub = parser.add_subparsers(dest="command", required=True)
    kf = sub.add_parser("key-figures", help="print every number the book cites")
    kf.add_argument("--format", choices=("table", "json", "csv"), default="table")
    sub.add_parser("check", help="validate every input table and the bibliography")
    pack = sub.add_parser("briefing", help="write key figures (CSV, JSON, Markdown) and a README into a folder")
    pack.add_argument("--out", type=Path, required=True, help="folder to write (figures/ inside it is listed if present)")
    pack.add_argument("--commit", default="unknown", help="commit the pack was built from")
    ed = sub.add_parser("edition", help="record the key figures as the next edition (JSON under editions/)")
    ed.add_argument("--folder", type=Path, default=Path("editions"), help="editions folder (default: editions/)")
    ed.add_argument("--commit", default="unknown", help="commit the figures were computed from")
    ed.add_argument("--date", type=dt.date.fromisoformat, default=None, help="edition date, YYYY-MM-DD (default: today, UTC)")
    ch = sub.add_parser("changes", help="list key figures that moved since the last edition, with the reasons on record")
    ch.add_argument("--folder", type=Path, default=Path("editions"), help="editions folder (default: editions/)")
    args = parser.parse_args(argv)
    try:
        inputs = load_inputs(args.data_dir, args.assumptions)
        if args.command == "check":
            print(
                f"inputs OK: {len(inputs.terms)} deal terms, {len(inputs.assumptions)} assumptions, "
                f"{len(inputs.sources)} sources in {inputs.data_dir}; assumption set {inputs.assumption_set} "
                f"(hash {inputs.assumption_hash})"
            )
            return 0
        figures = key_figures(inputs)
        if args.command == "edition":
            return _record_edition(args, inputs, figures)
        if args.command == "changes":
            return _print_changes(args.folder, figures)
        if args.command == "briefing":
            from .briefing import write_key_figures, write_readme

            write_key_figures(figures, args.out)
            figure_dir = args.out / "figures"
            ids = sorted(p.stem for p in figure_dir.glob("*.png")) if figure_dir.is_dir() else []
            write_readme(args.out, inputs, args.commit, ids)
            print(f"briefing pack written to {args.out}: {len(figures)} key figures, {len(ids)} figures")
            return 0
        sys.stdout.write(render(figures, args.format))
        return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
