"""Reading input files as text: display names, UTF-8 decoding, ISO dates and source lists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .types import Problem, TableError

FILE_FIELD = "(file)"
"""The field name a problem with a whole file (missing, not UTF-8, empty) is reported under."""


def display_name(path: Path) -> str:
    """``path`` relative to the working folder where possible (as error messages show it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError, OSError):  # outside the working folder, or a symbolic-link loop
        return str(path)


def read_text(path: Path) -> str:
    """The file's text as UTF-8; TableError if it is missing, not UTF-8 or empty."""
    name = display_name(path)
    try:
        exists = path.is_file()
        raw = path.read_bytes() if exists else b""
    except OSError as exc:  # a symbolic-link loop, a folder, no permission
        raise TableError([Problem(name, None, None, FILE_FIELD, str(path), f"a readable file ({exc.strerror or exc})")]) from None
    if not exists:
        raise TableError([Problem(name, None, None, FILE_FIELD, str(path), "an existing file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            [Problem(name, line, None, FILE_FIELD, raw[exc.start : exc.start + 8], "UTF-8 text")]
        ) from None
    if not text.strip():
        raise TableError([Problem(name, None, None, FILE_FIELD, "", "a header line and at least one row")])
    return text


def is_iso_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", text))


def split_sources(value: str) -> tuple[str, ...]:
    """Bibliography keys of a 'key1;key2' source field."""
    return tuple(s for s in value.split(";") if s)


LATEX_ESCAPES: tuple[tuple[str, str], ...] = (("\\%", "%"), ("\\&", "&"), ("\\$", "$"), ("\\_", "_"), ("\\#", "#"))
"""The escapes the bibliography uses for characters BibTeX reserves, and the characters they stand for."""


def plain_url(latex: str) -> str:
    """A BibTeX URL field as a reader follows it: escaped characters (\\% \\& \\$ \\_ \\#) unescaped."""
    for escaped, plain in LATEX_ESCAPES:
        latex = latex.replace(escaped, plain)
    return latex


def plain_text(latex: str) -> str:
    """A BibTeX text field as a reader sees it: escapes unescaped, --- and -- as dashes, grouping braces dropped,
    runs of whitespace as one space."""
    text = plain_url(latex).replace("---", "—").replace("--", "–").replace("{", "").replace("}", "")
    return " ".join(text.split())
