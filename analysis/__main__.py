"""Command line: ``python -m analysis key-figures [--format table|json|csv]`` and ``python -m analysis check``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .data import load_inputs
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
