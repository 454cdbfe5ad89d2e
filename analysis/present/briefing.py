"""Exports: the key figures as CSV, JSON and Markdown, and the briefing pack (figures, key figures, README).

Everything written here is safe to open: CSV text cells that a spreadsheet would run as a formula are
neutralised, Markdown escapes what it prints, and the pack is written to a temporary folder and renamed
into place, so a failure never leaves a half-written pack or touches anything but a previous pack.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..inputs import Inputs
from ..keyfigures import KeyFigures

FIELDS = ("id", "label", "value", "unit", "formatted", "se", "derivation", "chapter", "assumption_set", "assumption_hash")
PACK_MARKER = ".briefing-pack"
"""A file every briefing pack holds; ``write_pack`` only ever replaces a folder that has it (or an empty one)."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) gets a leading apostrophe.

    Numbers are left as numbers (a negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def escape_markdown(text: str) -> str:
    """Text safe inside Markdown (and the HTML it becomes): <, > and & escaped; table pipes, emphasis, code and links
    escaped. Quotes and apostrophes stay as they are: outside an attribute they are plain text."""
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]{}|#!~])", r"\\\1", escaped).replace("\n", " ")


def rows(figures: KeyFigures) -> list[dict[str, Any]]:
    """Every key figure as a plain dict, with the assumption set and hash it was computed under."""
    return [{**f.as_dict(), "assumption_set": figures.assumption_set, "assumption_hash": figures.assumption_hash}
            for f in figures.values()]


def render_csv(figures: KeyFigures) -> str:
    """The key figures as CSV (one row each; formula-like text neutralised)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_csv_cell(v) for k, v in row.items()} for row in rows(figures))
    return out.getvalue()


def render_json(figures: KeyFigures) -> str:
    """The key figures as JSON: the assumption set and hash, then one object per figure."""
    document = {"assumption_set": figures.assumption_set, "assumption_hash": figures.assumption_hash,
                "figures": [{k: v for k, v in row.items() if k not in ("assumption_set", "assumption_hash")}
                            for row in rows(figures)]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_markdown(figures: KeyFigures) -> str:
    """The key figures as a Markdown table under a line naming the assumption set and hash (every cell escaped)."""
    lines = [f"Assumption set: {escape_markdown(figures.assumption_set)}; register hash `{escape_markdown(figures.assumption_hash)}`.",
             "", "| id | label | value | derivation | chapter |", "|---|---|---|---|---|"]
    lines += [f"| `{escape_markdown(r['id'])}` | {escape_markdown(r['label'])} | {escape_markdown(r['formatted'])} | "
              f"{escape_markdown(r['derivation'])} | {escape_markdown(r['chapter'])} |" for r in rows(figures)]
    return "\n".join(lines) + "\n"


def write_key_figures(figures: KeyFigures, out_dir: Path) -> list[Path]:
    """Write key_figures.csv, .json and .md into ``out_dir`` (each through a temporary file); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("key_figures.csv", render_csv(figures)), ("key_figures.json", render_json(figures)),
                       ("key_figures.md", render_markdown(figures))):
        path = out_dir / name
        tmp = out_dir / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


def readme(inputs: Inputs, commit: str, figure_ids: list[str], built: dt.datetime, extras: Sequence[str] = ()) -> str:
    """The pack's README text: commit, build time (UTC), assumption set and hash, and what each file is."""
    lines = [
        "# Briefing pack: SpaceX's compute deal with Reflection AI",
        "",
        f"- Commit: `{escape_markdown(commit)}`",
        f"- Built: {built:%Y-%m-%d %H:%M} UTC",
        f"- Assumption set: {escape_markdown(inputs.assumption_set)}",
        f"- Assumption register hash: `{inputs.assumption_hash}`",
        "",
        "Every number is defined once in the book's key-figures registry; `key_figures.csv`, `.json` and `.md`",
        "list each with its id, label, value, unit, formatted value, derivation (or source), chapter and the",
        "assumption set. Figures are in `figures/`, named by their figure id, as PNG (200 dpi) and SVG:",
        "",
    ]
    lines += [f"- `{escape_markdown(fid)}`" for fid in figure_ids]
    if extras:
        lines += ["", "Also in the pack: the whole book as one PDF and a short slide deck (each slide names its figure",
                  "or key-figure ids, its source and the assumption hash; the speaker notes give the derivations):", ""]
        lines += [f"- `{escape_markdown(name)}`" for name in extras]
    lines += ["", "Cite the book, the figure id and the assumption hash above when lifting a number or figure."]
    return "\n".join(lines) + "\n"


GENERATED: tuple[str, ...] = ("README.md", "key_figures.csv", "key_figures.json", "key_figures.md", "figures")
"""Names the pack writes itself (with the pack marker): an --include file may not take one."""

HASH_IN_SOURCE = re.compile(r"hash ([0-9a-f]{12})\.?$")
"""The assumption-register hash at the end of every exported figure's source line."""


def figure_records(folder: Path, what: str) -> dict[str, str]:
    """The source line of every figure exported to ``folder`` (each figure's .json beside its PNG), by figure id."""
    sources: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{what}: {path.name} is not valid JSON ({exc.msg}); expected an id and a source line") from None
        if not isinstance(record, dict) or not record.get("source"):
            raise ValueError(f"{what}: {path.name} has no 'source'; expected the figure's source line")
        sources[str(record.get("id", path.stem))] = str(record["source"])
    return sources


def check_figures(figure_dir: Path, assumption_hash: str, what: str) -> list[str]:
    """The ids of the figures exported to ``figure_dir``, after checking that it is such a folder and that every figure
    was drawn under the register ``assumption_hash`` (a pack or deck never mixes runs)."""
    folder = Path(figure_dir)
    if not folder.is_dir():
        raise ValueError(f"{what}: field 'figures' is {str(folder)!r}, which is not a folder; expected the folder the book "
                         "build exports figures to (_build/figures)")
    records = figure_records(folder, what)
    if not records:
        raise ValueError(f"{what}: field 'figures' is {str(folder)!r}, which holds no exported figure (fig-*.json); expected "
                         "the folder the book build exports figures to (_build/figures)")
    for figure_id, source in records.items():
        found = HASH_IN_SOURCE.search(source)
        if found is None or found.group(1) != assumption_hash:
            raise ValueError(f"{what}: figure {figure_id!r} was drawn under register hash "
                             f"{found.group(1) if found else '(none)'!r}; expected {assumption_hash!r}, the key figures' "
                             "(rebuild the book under the same assumptions)")
    return list(records)


def check_target(out_dir: Path) -> None:
    """Refuse a target that is not a previous pack: it must be absent, empty, or hold the pack marker."""
    target = Path(out_dir)
    if target.is_symlink():
        raise ValueError(f"briefing: field 'out' is {str(out_dir)!r}, a symbolic link; expected a folder (the pack replaces "
                         "its target whole, so it does not follow links)")
    if str(out_dir) in ("", "."):
        raise ValueError(f"briefing: field 'out' is {str(out_dir)!r}; expected a folder for the pack, not the working folder")
    if target.exists() and not target.is_dir():
        raise ValueError(f"briefing: field 'out' is {str(target)!r}; expected a folder, not a file")
    if target.is_dir() and any(target.iterdir()) and not (target / PACK_MARKER).exists():
        raise ValueError(f"briefing: field 'out' is {str(target)!r}, a folder holding other files; expected a new folder "
                         f"or a previous briefing pack (one holding {PACK_MARKER})")
    if target.is_dir() and (target / PACK_MARKER).exists():
        listed = set((target / PACK_MARKER).read_text(encoding="utf-8").splitlines()[1:])
        foreign = sorted(str(p.relative_to(target)) for p in target.rglob("*")
                         if p.is_file() and p.name != PACK_MARKER and str(p.relative_to(target)) not in listed)
        if foreign:
            raise ValueError(f"briefing: field 'out' is {str(target)!r}, a previous pack holding files it did not write "
                             f"({', '.join(foreign[:5])}{' …' if len(foreign) > 5 else ''}); expected only the pack's own "
                             "files (move the others out: replacing the pack would delete them)")


def write_pack(out_dir: Path, figures: KeyFigures, inputs: Inputs, commit: str, figure_dir: Path | None,
               built: dt.datetime | None = None, extras: Sequence[Path] = ()) -> list[str]:
    """Write the briefing pack into ``out_dir``: figures (copied from ``figure_dir``), key figures, README and the
    ``extras`` (the PDF edition and the deck), copied as they stand.

    The pack is assembled in a temporary folder beside ``out_dir`` and renamed into place at the end; a
    previous pack is replaced only then. Raises ValueError for a target that is not a pack and OSError when
    the disk refuses; in both cases ``out_dir`` is left as it was. Returns the figure ids.
    """
    target = Path(out_dir)
    check_target(target)
    names = [Path(e).name for e in extras]
    for extra, name in zip(extras, names, strict=True):
        if name in GENERATED or name == PACK_MARKER or names.count(name) > 1:
            raise ValueError(f"briefing: field 'include' is {str(extra)!r}, whose name {name!r} the pack already uses; "
                             f"expected a file named other than {', '.join(GENERATED)} and each other")
        if not Path(extra).is_file():
            raise ValueError(f"briefing: field 'include' is {str(extra)!r}, which is not a file; expected the PDF edition "
                             "or the deck (run `make pdf slides` first)")
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    staging.chmod(0o755)  # a pack is for sharing: readable like any folder, not private like a temporary one
    try:
        ids: list[str] = []
        if figure_dir is not None:
            check_figures(figure_dir, figures.assumption_hash, "briefing")
            shutil.copytree(figure_dir, staging / "figures")
            ids = sorted(p.stem for p in (staging / "figures").glob("*.png"))
        write_key_figures(figures, staging)
        for extra in extras:
            shutil.copy2(extra, staging / Path(extra).name)
        (staging / "README.md").write_text(readme(inputs, commit, ids, built or dt.datetime.now(dt.UTC),
                                                  [Path(e).name for e in extras]), encoding="utf-8")
        written = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        (staging / PACK_MARKER).write_text("briefing pack: files this pack wrote\n" + "".join(f"{w}\n" for w in written),
                                           encoding="utf-8")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            old.rmdir()
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return ids
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
