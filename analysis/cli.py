"""Command line for readers of the Colossus–Reflection deal book. A first what-if, from a fresh clone:

  python -m analysis assumptions --chapter credit                  the register: values, plausible and supported ranges
  python -m analysis assumptions --chapter credit --template mine.csv   a ready override file at today's values
  python -m analysis check --assumptions mine.csv                  validate it (file, line, field and value on error)
  python -m analysis compare mine.csv                              the key figures it moves against the base register
  python -m analysis explain cashflow.expected_pv_usd              one figure: value, derivation, error and sources
  make book ASSUMPTIONS=mine.csv                                   the whole book under it

Options (--assumptions, --data-dir) go before or after the command. The what-if file comes from ``--assumptions`` or
$DEAL_BOOK_ASSUMPTIONS, the results cache from $DEAL_BOOK_CACHE (default _build/cache), both read through
``analysis.environment``. Exit codes: 0 done, 1 a change without a reason (``changes``), 2 bad input, a refused target
or a file system error, each with a one-line message naming what failed, 130 interrupted. Only ``slides`` needs the
presentation libraries (python-pptx); it loads them when it runs, so ``check`` and the other commands start without them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .environment import cache_folder, what_if_file
from .inputs import REPOSITORY, Inputs, load_inputs
from .keyfigures import KeyFigures, key_figures
from .models.checks import check
from .present import briefing, clitext, editions, readme
from .results import Results, cached


def render_table(figures: KeyFigures) -> str:
    """The key figures as an aligned text table (id, value, label) fitted to 100 columns; `explain ID` prints one in full."""
    return clitext.figures_table(figures, list(figures))


def render(figures: KeyFigures, fmt: str) -> str:
    """The key figures as an aligned text table, JSON or CSV (the same files the book offers for download)."""
    if fmt == "json":
        return briefing.render_json(figures)
    if fmt == "csv":
        return briefing.render_csv(figures)
    return render_table(figures)


def _common(default: object) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name (after it, they override the ones before)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=default, help="folder with the input tables (default: data/)")
    common.add_argument("--assumptions", type=Path, default=default,
                        help="what-if file overriding register entries (default: $DEAL_BOOK_ASSUMPTIONS, if set)")
    return common


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__, parents=[_common(None)],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    common = _common(argparse.SUPPRESS)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=text, description=text, parents=[common])

    reg = command("assumptions", "list the assumption register (id, low / base / high, plausible and supported ranges, unit, meaning)")
    reg.add_argument("--id", dest="id_glob", default=None, help="only ids matching this pattern, e.g. 'credit.*'")
    reg.add_argument("--chapter", default=None, help="only entries of this part of the register (the id's first part)")
    reg.add_argument("--template", type=Path, default=None,
                     help="write a ready what-if override file for the selected entries to this path ('-': print it)")
    kf = command("key-figures", "print every number the book cites")
    kf.add_argument("--format", choices=("table", "json", "csv"), default="table")
    kf.add_argument("--id", dest="id_glob", default=None, help="only ids matching this pattern, e.g. 'cashflow.expected_*'")
    kf.add_argument("--chapter", default=None, help="only figures of this chapter (the id's first part)")
    ex = command("explain", "one key figure in full: value, derivation, error and the sources of its inputs")
    ex.add_argument("figure_id", metavar="ID", help="a key-figure id, e.g. cashflow.expected_pv_usd")
    cmp_ = command("compare", "the key figures that differ between two assumption sets (a what-if comparison)")
    cmp_.add_argument("first", type=Path, metavar="A.csv", help="a what-if file")
    cmp_.add_argument("second", type=Path, metavar="B.csv", nargs="?", default=None,
                      help="another what-if file (default: the base register)")
    cmp_.add_argument("--id", dest="id_glob", default=None, help="only ids matching this pattern")
    cmp_.add_argument("--chapter", default=None, help="only figures of this chapter (the id's first part)")
    command("check", "validate every input table, the bibliography and the models' preconditions")
    command("compute", "run every model once and store the result in the cache the book's pages read")
    pack = command("briefing", "write the briefing pack (key figures, figures, README) into a folder")
    pack.add_argument("--out", type=Path, required=True, help="a new folder, or a previous pack to replace")
    pack.add_argument("--figures", type=Path, default=None, help="folder of exported figures (PNG and SVG) to include")
    pack.add_argument("--commit", default="unknown", help="commit the pack was built from")
    pack.add_argument("--include", type=Path, action="append", default=[],
                      help="a file to add to the pack as it stands (the PDF edition, the deck); may be repeated")
    deck = command("slides", "write the briefing deck (.pptx) from the key figures and the exported figures")
    deck.add_argument("--out", type=Path, required=True, help="the .pptx file to write")
    deck.add_argument("--figures", type=Path, required=True, help="folder of exported figures (PNG and source lines)")
    deck.add_argument("--commit", default="unknown", help="commit the deck was built from")
    ed = command("edition", "record the key figures as the next edition (JSON under editions/)")
    ed.add_argument("--folder", type=Path, default=REPOSITORY / "editions", help="editions folder (default: editions/)")
    ed.add_argument("--commit", default="unknown", help="commit the figures were computed from")
    ed.add_argument("--date", type=dt.date.fromisoformat, default=None, help="edition date, YYYY-MM-DD (default: today, UTC)")
    command("readme", "rewrite the answer at the top of README.md from the key figures")
    ch = command("changes", "list key figures that moved since the last edition, with the reasons on record")
    ch.add_argument("--folder", type=Path, default=REPOSITORY / "editions", help="editions folder (default: editions/)")
    return parser


def _refuse_what_if_edition(inputs: Inputs) -> None:
    """Editions record the base register: refuse a what-if assumption set before any model runs."""
    if inputs.is_what_if:
        raise ValueError(f"edition: assumption set is {inputs.assumption_set!r}; expected the base register "
                         "(editions record the published figures; unset ASSUMPTIONS)")


def _record_edition(args: argparse.Namespace, inputs: Inputs, figures: KeyFigures) -> int:
    """Write the next edition file; refuse under a what-if assumption set (editions record the base register)."""
    _refuse_what_if_edition(inputs)
    date = args.date or dt.datetime.now(dt.UTC).date()
    number, path = editions.next_edition_path(args.folder, date)
    text = editions.edition_document(number, date, args.commit, inputs.assumption_set, inputs.assumption_hash,
                                     inputs.inputs_digest, [f.as_dict() for f in figures.values()])
    args.folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"edition {number} recorded in {path}: {len(figures)} key figures")
    return 0


def _progress() -> Callable[[str], None]:
    """A progress printer for long computes: each step on standard error, with the seconds since the first."""
    start = time.monotonic()

    def say(step: str) -> None:
        print(f"[{time.monotonic() - start:5.1f} s] computing {step}", file=sys.stderr, flush=True)
    return say


def _compare(args: argparse.Namespace) -> int:
    """Print the key figures that differ between two assumption sets (the second defaults to the base register)."""
    sets = []
    for path in (args.first, args.second):
        inputs = load_inputs(args.data_dir, path)
        check(inputs)
        sets.append(key_figures(cached(inputs, cache_folder() if args.data_dir is None else None, _progress())))
    ids = [i for i in sets[0] if i in sets[1]]
    if args.id_glob is not None or args.chapter is not None:
        ids = clitext.select_ids(ids, args.id_glob, args.chapter, "compare")
    sys.stdout.write(clitext.comparison_table(sets[0], sets[1], ids))
    return 0


def _assumptions(args: argparse.Namespace, inputs: Inputs) -> int:
    """List the register (or the selected entries), or write them as a what-if template."""
    ids = clitext.select_ids(list(inputs.assumptions), args.id_glob, args.chapter, "assumptions")
    if args.template is None:
        sys.stdout.write(clitext.assumptions_table(inputs, ids))
        return 0
    text = clitext.assumptions_template(inputs, ids)
    if str(args.template) == "-":
        sys.stdout.write(text)
        return 0
    if args.template.exists():
        raise ValueError(f"assumptions: field 'template' is {str(args.template)!r}; expected a file that does not exist yet")
    args.template.write_text(text, encoding="utf-8")
    print(f"what-if template with {len(ids)} entries written to {args.template}; edit it, then run "
          f"`make book ASSUMPTIONS={args.template}`")
    return 0


def _print_changes(folder: Path, figures: KeyFigures, inputs: Inputs) -> int:
    """Print the What-changed comparison; exit 1 if a change has no reason on record."""
    if not folder.is_dir():
        raise ValueError(f"changes: field 'folder' is {str(folder)!r}; expected a folder of editions (editions/)")
    if inputs.is_what_if:
        print(f"note: this build runs under the what-if assumption set {inputs.assumption_set!r}; the reasons on record "
              "explain the base register's changes, not the what-if's")
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


def _write_slides(args: argparse.Namespace, results: Results, figures: KeyFigures) -> int:
    """Write the briefing deck from the key figures, the model-choice table and the exported figures."""
    if args.out.suffix.lower() != ".pptx":
        raise ValueError(f"slides: field 'out' is {str(args.out)!r}; expected a file name ending in .pptx")
    briefing.check_figures(args.figures, figures.assumption_hash, "slides")
    deck = importlib.import_module("analysis.present.deck")
    tables = importlib.import_module("analysis.present.tables")
    slides = deck.deck_slides(figures, tables.model_choice_table(results.valuation.table), deck.figure_sources(args.figures))
    stamp = f"Commit {args.commit} · Assumption set: {results.inputs.assumption_label}"
    deck.write_deck(slides, args.out, args.figures, "SpaceX's compute deal with Reflection AI: briefing", stamp)
    print(f"briefing deck written to {args.out}: {len(slides)} slides")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    try:
        for option in ("--assumptions", "--data-dir"):
            if sum(a == option or a.startswith(option + "=") for a in argv) > 1:
                raise ValueError(f"option {option} is given more than once; expected it once (before or after the command)")
        if args.command == "compare":
            return _compare(args)
        overrides = args.assumptions if args.assumptions is not None else what_if_file()
        inputs = load_inputs(args.data_dir, overrides)
        if args.command == "assumptions":
            return _assumptions(args, inputs)
        check(inputs)
        if args.command == "check":
            print(f"inputs OK: {len(inputs.terms)} deal terms, {len(inputs.assumptions)} assumptions, "
                  f"{len(inputs.sources)} sources in {inputs.data_dir}; every model assembles; assumption set "
                  f"{inputs.assumption_set} (hash {inputs.assumption_hash})")
            return 0
        if args.command == "briefing":
            briefing.check_target(args.out)
        if args.command == "edition":
            _refuse_what_if_edition(inputs)
        results = cached(inputs, cache_folder() if args.data_dir is None else None, _progress())
        if args.command == "compute":
            print(f"results ready for {inputs.assumption_label} (code {results.code_version}) in {cache_folder()}")
            return 0
        figures = key_figures(results)
        if args.command == "edition":
            return _record_edition(args, inputs, figures)
        if args.command == "changes":
            return _print_changes(args.folder, figures, inputs)
        if args.command == "explain":
            if args.figure_id not in figures:
                close = difflib.get_close_matches(args.figure_id, list(figures), n=3, cutoff=0.6)
                raise ValueError(f"explain: field 'ID' is {args.figure_id!r}; expected a key-figure id"
                                 + (f" such as {', '.join(close)}" if close else " (`key-figures` lists them)"))
            sys.stdout.write(clitext.explain(figures[args.figure_id], inputs))
            return 0
        if args.command == "briefing":
            ids = briefing.write_pack(args.out, figures, inputs, args.commit, args.figures, extras=args.include)
            print(f"briefing pack written to {args.out}: {len(figures)} key figures, {len(ids)} figures"
                  + "".join(f", {p.name}" for p in args.include))
            return 0
        if args.command == "slides":
            return _write_slides(args, results, figures)
        if args.command == "readme":
            if inputs.is_what_if:
                raise ValueError(f"readme: assumption set is {inputs.assumption_set!r}; expected the base register (the README "
                                 "states the published answer; unset ASSUMPTIONS)")
            changed = readme.write_answer(REPOSITORY / "README.md", figures)
            print(f"README.md answer {'rewritten' if changed else 'already current'}")
            return 0
        if args.id_glob is not None or args.chapter is not None:
            figures = KeyFigures([figures[i] for i in clitext.select_ids(list(figures), args.id_glob, args.chapter, "key-figures")],
                                 figures.assumption_set, figures.assumption_hash)
        sys.stdout.write(render(figures, args.format))
        return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written (a half-written cache or pack file is removed)", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: could not write {exc.filename or 'the output'}: {exc.strerror or exc}", file=sys.stderr)
        return 2
