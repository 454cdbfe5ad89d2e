"""The book's pages: one setup call per chapter, glue and figure publishing (the only module that knows myst-nb).

A chapter glues only the key figures its own prose cites: ``chapter(name)`` reads ``chapters/<name>.ipynb``, finds
every ``{glue:text}`` reference in its Markdown and glues those, so a change to one key figure rewrites only the
chapters that cite it. A reference to an id that is neither a key figure nor glued by the page itself fails the
build (Sphinx's missing-glue warning is an error).
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython import get_ipython
from matplotlib.figure import Figure
from matplotlib_inline.backend_inline import set_matplotlib_formats
from myst_nb import glue

from ..environment import environment_results, figure_folder
from ..inputs import REPOSITORY, Inputs
from ..keyfigures import KeyFigures, key_figures
from ..results import Results
from . import prose, tables
from .plotting import apply_house_style, clear_legends, figure_problems

CHAPTER_DIR: Path = REPOSITORY / "chapters"
GLUE_REFERENCE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`:]+)(?::[^`]*)?`")
"""A glue role in MyST Markdown: {glue:text}`id`, {glue:text}`id:fmt`, {glue}`id`."""


def cited_ids(notebook: Path) -> list[str]:
    """Every id the notebook's Markdown cells glue, in order of first citation."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return list(dict.fromkeys(GLUE_REFERENCE.findall(text)))


@dataclass(frozen=True)
class Page:
    """What a chapter works with: the inputs, the computed result, the key figures and the ids its prose cites."""

    inputs: Inputs
    results: Results
    figures: KeyFigures
    cites: tuple[str, ...] = field(default=())

    def source(self, text: str) -> str:
        """A figure's source line: ``text`` and the assumption set and hash it was drawn under."""
        return f"{text.rstrip()} Assumption set: {self.inputs.assumption_label}."

    def glue_text(self, name: str, text: str) -> None:
        """Glue a sentence the chapter writes (not a key figure) under ``name``, for ``{glue:text}`name` ``."""
        glue(name, text, display=False)

    def publish(self, fig: Figure, name: str) -> None:
        """Publish ``fig`` under ``name``; its source line must name the assumption hash (see ``source``)."""
        texts = [t.get_text() for t in fig.texts]
        if not any(self.inputs.assumption_hash in t for t in texts):
            raise ValueError(f"figure {name!r}: its source line does not name the assumption set; build it with page.source(...)")
        publish_figure(fig, name, source=next(t for t in texts if self.inputs.assumption_hash in t))


def book_tables() -> None:
    """Tables as the book prints them: whole (no truncation), with one header row (a named index's name goes into it,
    ``tables.table_html``)."""
    tables.show_full_tables()
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, tables.table_html)


def chapter(name: str) -> Page:
    """Set up chapter ``name``: warnings become errors, the house style, whole tables, the cached result, and the key
    figures and quoted source figures (``prose.quoted_figures``) its prose cites glued."""
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(?!analysis)")
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
    apply_house_style()
    # Figures go into the page as SVG (vector, sharp at any width), without a timestamp so reruns are identical.
    set_matplotlib_formats("svg", bbox_inches="tight", metadata={"Date": None})
    book_tables()
    results = environment_results()
    figures = key_figures(results)
    cited = cited_ids(CHAPTER_DIR / f"{name}.ipynb")
    cites = tuple(i for i in cited if i in figures)
    for fid in cites:
        glue(fid, figures[fid].formatted, display=False)
    quoted = prose.quoted_figures(results.inputs)
    for qid in (i for i in cited if i in quoted):
        glue(qid, quoted[qid], display=False)
    return Page(results.inputs, results, figures, cites)


def publish_figure(fig: Figure, name: str, source: str | None = None) -> None:
    """Glue ``fig`` under ``name`` for ``{glue:figure}``, save it for the briefing pack and deck if asked, and close it.

    With $DEAL_BOOK_FIGURE_DIR set the figure is saved there as PNG (200 dpi) and SVG, with ``name``.json holding
    its id and source line (one line, as drawn under the figure).

    A figure whose legend entries share a colour or whose text is cut short is refused (see ``figure_problems``).
    """
    clear_legends(fig)
    problems = figure_problems(fig)
    if problems:
        plt.close(fig)
        raise ValueError(f"figure {name!r}: " + "; ".join(problems))
    glue(name, fig, display=False)
    folder = figure_folder()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        fig.savefig(folder / f"{name}.png", dpi=200, bbox_inches="tight")
        fig.savefig(folder / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
        line = " ".join((source or "").split())
        (folder / f"{name}.json").write_text(json.dumps({"id": name, "source": line}, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    plt.close(fig)
