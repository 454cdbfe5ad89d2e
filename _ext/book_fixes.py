"""Local Sphinx additions for the book.

Every page carries a banner naming the assumption set the book was built with (the base register, or a
what-if file given with `make book ASSUMPTIONS=...`) and the hash of its values.

sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script twice, so every page
declares ``const THEBE_JS_URL`` twice and the browser logs a SyntaxError. This drops exact duplicate
scripts from each page's script list.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pybtex.plugin
from pybtex.database import Entry
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle

from analysis.environment import environment_inputs, environment_results
from analysis.inputs.text import plain_url
from analysis.keyfigures import key_figures
from analysis.present.briefing import write_key_figures

RAW_FIELDS: frozenset[str] = frozenset({"url", "doi", "eprint"})
"""Fields the style prints as they stand (not read as LaTeX), so an escape such as \\% would show."""


def _readable(entry: Entry) -> Entry:
    """A copy of ``entry`` whose raw fields (URLs) have LaTeX escapes turned into the characters they stand for.

    Other fields are read as LaTeX by pybtex, which decodes \\% and \\& but not \\$ (a dollar sign it keeps as it
    stands, so it is unescaped here); unescaping \\% here would turn a percent sign into a LaTeX comment."""
    clean = Entry(entry.type, fields={k: plain_url(v) if k.lower() in RAW_FIELDS else v.replace("\\$", "$")
                                      for k, v in entry.fields.items()}, persons=entry.persons)
    clean.key = entry.key
    return clean


def _who(entry: Entry) -> str:
    """The name an author-year citation shows: authors' surnames, or the outlet (the publication, not the relay)."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    surnames = [" ".join(p.last_names) for p in people]
    if len(surnames) == 1:
        return plain_url(surnames[0])
    if len(surnames) == 2:
        return plain_url(f"{surnames[0]} and {surnames[1]}")
    if surnames:
        return plain_url(f"{surnames[0]} et al.")
    for field in ("howpublished", "organization", "publisher", "journal", "institution"):
        value = entry.fields.get(field)
        if value:
            return plain_url(value.split(" (")[0].strip("{}"))
    return plain_url(" ".join(entry.fields.get("title", "Anonymous").strip("{}").split()[:4]))


class AuthorYearLabels(BaseLabelStyle):
    """Labels 'Longstaff and Schwartz 2001', 'The Outpost 2026a': who and when, with a letter where they repeat."""

    def format_labels(self, sorted_entries: Any) -> Any:
        entries = list(sorted_entries)
        bases = [f"{_who(e)} {(e.fields.get('year') or e.fields.get('date', '')[:4] or 'n.d.')}" for e in entries]
        counts: dict[str, int] = {}
        for base in bases:
            counts[base] = counts.get(base, 0) + 1
        seen: dict[str, int] = {}
        for base in bases:
            if counts[base] == 1:
                yield base
            else:
                seen[base] = seen.get(base, 0) + 1
                yield f"{base}{chr(ord('a') + seen[base] - 1)}"


class BookStyle(UnsrtStyle):
    """The bibliography's style: unsrt entries with author-year labels and LaTeX escapes shown as characters."""

    default_label_style = "book_author_year"

    def format_entry(self, label: Any, entry: Entry, bib_data: Any = None) -> Any:
        return super().format_entry(label, _readable(entry), bib_data=bib_data)


class BookReferences(LabelReferenceStyle):
    """In-text citations show the author-year label in round brackets: (Longstaff and Schwartz 2001)."""

    def __post_init__(self) -> None:
        round_brackets = BracketStyle(left="(", right=")")
        self.bracket_parenthetical = round_brackets
        self.bracket_label = round_brackets
        super().__post_init__()


pybtex.plugin.register_plugin("pybtex.style.labels", "book_author_year", AuthorYearLabels)
pybtex.plugin.register_plugin("pybtex.style.formatting", "book", BookStyle)
register_plugin("sphinxcontrib.bibtex.style.referencing", "book", BookReferences)


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        filename = getattr(script, "filename", script) or ""
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
        key = (filename, attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _assumption_banner(app: Any, config: Any) -> None:
    inputs = environment_inputs()
    # The theme inserts the announcement as raw HTML: escape the set's name (it comes from a file name).
    text = html.escape(f"{'⚠ What-if run. ' if inputs.is_what_if else ''}Assumption set: {inputs.assumption_set}; "
                       f"register hash {inputs.assumption_hash}.")
    options = dict(config.html_theme_options or {})
    options["announcement"] = text
    config.html_theme_options = options
    config.html_context = {**(config.html_context or {}), "assumption_set": inputs.assumption_set,
                           "assumption_hash": inputs.assumption_hash}


TABLE = re.compile(r"<table\b.*?</table>", re.S)
CELL_TEXT = re.compile(r">([^<]+)<")
LONG_TOKEN = re.compile(r"\S{13,}")
UNIT = re.compile(r"&#?\w+;|.", re.S)
"""One character of HTML text: an entity such as &amp; counts as one, so no break is put inside it."""
SEPARATORS = set("/_=?+:-")
LONGEST_RUN = 16
"""A token that still has a run longer than this without a break opportunity gets one every LONGEST_RUN characters."""


def _breakable(token: str) -> str:
    """A long unbroken token (an address, an id, a call) with <wbr> after each separator (/ _ = ? + : - and a dot or
    comma before a letter), between letters and digits, and at least every LONGEST_RUN characters, so it can wrap."""
    units = UNIT.findall(token)
    out: list[str] = []
    run = 0
    for i, unit in enumerate(units):
        out.append(unit)
        run += 1
        following = units[i + 1] if i + 1 < len(units) else ""
        if not following or following in SEPARATORS or following in ".,":
            continue
        after_separator = unit in SEPARATORS or (unit in ".," and following[:1].isalpha())
        letter_digit = len(unit) == 1 and len(following) == 1 and unit.isalpha() != following.isalpha() and \
            unit.isalnum() and following.isalnum()
        if after_separator or letter_digit or run >= LONGEST_RUN:
            out.append("<wbr>")
            run = 0
    return "".join(out)


def break_long_tokens(html_text: str) -> str:
    """``html_text`` with line-break opportunities (<wbr>) inside long tokens in table cells.

    Table cells keep whole words (CSS overflow-wrap: break-word), so a short value such as $6.3B is never split
    across lines; an address or a derivation may then break after a slash, dot, underscore and the like instead of
    widening its table past the column. <wbr> is not copied with the text, so a copied address still works."""
    def cells(match: re.Match[str]) -> str:
        return CELL_TEXT.sub(lambda m: ">" + LONG_TOKEN.sub(lambda t: _breakable(t.group(0)), m.group(1)) + "<",
                             match.group(0))
    return TABLE.sub(cells, html_text)


def _break_table_tokens(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if isinstance(context.get("body"), str):
        context["body"] = break_long_tokens(context["body"])


def _write_downloads(app: Any, exception: Exception | None) -> None:
    """Put the key figures (CSV, JSON, Markdown) in the site's downloads/ folder, for the Key figures page."""
    if exception is not None or app.builder.format != "html":
        return
    write_key_figures(key_figures(environment_results()), Path(app.outdir) / "downloads")


PARALLEL_SAFE: dict[str, str] = {
    "sphinx_multitoc_numbering": "it only replaces TocTreeCollector.assign_section_numbers, which Sphinx calls in "
                                 "the main process after the workers' environments are merged",
    "sphinx-mathjax-offline": "it only copies MathJax into _static when the build has finished",
    "sphinx_jupyterbook_latex": "its transforms change only the document being read, and its environment state is "
                                "set for LaTeX builders only",
}
"""Extensions that declare nothing about parallel builds (so Sphinx would read serially), and why each is safe."""


def _declare_parallel_safe(app: Any) -> None:
    """Mark the extensions in PARALLEL_SAFE as safe to read and write in parallel (checked by reading their code)."""
    for name in PARALLEL_SAFE:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True
            extension.parallel_write_safe = True


def setup(app: Any) -> dict[str, bool]:
    app.connect("builder-inited", _declare_parallel_safe)
    app.connect("config-inited", _assumption_banner)
    app.connect("build-finished", _write_downloads)
    app.connect("html-page-context", _dedupe_scripts)
    app.connect("html-page-context", _break_table_tokens)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
