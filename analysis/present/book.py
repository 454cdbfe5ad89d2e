"""The book's pages: one setup call per chapter, glue and figure publishing (the only module that knows myst-nb).

This is an edge: it reads the environment (the what-if file in $DEAL_BOOK_ASSUMPTIONS, the results cache
folder in $DEAL_BOOK_CACHE, the briefing figure folder in $DEAL_BOOK_FIGURE_DIR) and hands plain values inward.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib_inline.backend_inline import set_matplotlib_formats
from myst_nb import glue

from ..inputs import REPOSITORY, Inputs, load_inputs
from ..registry import KeyFigures, key_figures
from ..results import Results, cached
from . import tables
from .plotting import apply_house_style, figure_problems

ASSUMPTIONS_ENV: str = "DEAL_BOOK_ASSUMPTIONS"
"""Environment variable naming a what-if file of register overrides (`make book ASSUMPTIONS=...` sets it)."""
CACHE_ENV: str = "DEAL_BOOK_CACHE"
"""Environment variable naming the results cache folder (default: _build/cache in the repository)."""
FIGURE_DIR_ENV: str = "DEAL_BOOK_FIGURE_DIR"
"""When set (`make book` sets it), every published figure is also saved there as PNG (200 dpi), SVG and its source line."""
DEFAULT_CACHE: Path = REPOSITORY / "_build" / "cache"


def what_if_file() -> Path | None:
    """The what-if file named by $DEAL_BOOK_ASSUMPTIONS, or None for the base register."""
    value = os.environ.get(ASSUMPTIONS_ENV, "").strip()
    return Path(value) if value else None


def cache_folder() -> Path:
    """The results cache folder: $DEAL_BOOK_CACHE, or _build/cache in the repository."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value) if value else DEFAULT_CACHE


def environment_inputs() -> Inputs:
    """The inputs the environment asks for: data/ with the what-if file of $DEAL_BOOK_ASSUMPTIONS, if set."""
    return load_inputs(overrides=what_if_file())


def environment_results() -> Results:
    """The computed result for the environment's inputs, through the results cache."""
    return cached(environment_inputs(), cache_folder())


@dataclass(frozen=True)
class Page:
    """What a chapter works with: the inputs, the computed result and the key figures (all glued)."""

    inputs: Inputs
    results: Results
    figures: KeyFigures

    def source(self, text: str) -> str:
        """A figure's source line: ``text`` and the assumption set and hash it was drawn under."""
        return f"{text.rstrip()} Assumption set: {self.inputs.assumption_label}."

    def publish(self, fig: Figure, name: str) -> None:
        """Publish ``fig`` under ``name``; its source line must name the assumption hash (see ``source``)."""
        texts = [t.get_text() for t in fig.texts]
        if not any(self.inputs.assumption_hash in t for t in texts):
            raise ValueError(f"figure {name!r}: its source line does not name the assumption set; build it with page.source(...)")
        publish_figure(fig, name, source=next(t for t in texts if self.inputs.assumption_hash in t))


def chapter() -> Page:
    """Set up a chapter: warnings become errors, the house style, whole tables, the cached result, every key figure glued."""
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(?!analysis)")
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
    apply_house_style()
    # Figures go into the page as SVG (vector, sharp at any width), without a timestamp so reruns are identical.
    set_matplotlib_formats("svg", bbox_inches="tight", metadata={"Date": None})
    tables.show_full_tables()
    results = environment_results()
    figures = key_figures(results)
    glue_key_figures(figures)
    return Page(results.inputs, results, figures)


def glue_key_figures(figures: KeyFigures) -> None:
    """Glue every key figure's formatted text under its id, for ``{glue:text}`id` `` in the prose."""
    for figure in figures.values():
        glue(figure.id, figure.formatted, display=False)


def publish_figure(fig: Figure, name: str, source: str | None = None) -> None:
    """Glue ``fig`` under ``name`` for ``{glue:figure}``, save it for the briefing pack and deck if asked, and close it.

    With $DEAL_BOOK_FIGURE_DIR set the figure is saved there as PNG (200 dpi) and SVG, with ``name``.json holding
    its id and source line (one line, as drawn under the figure).

    A figure whose legend entries share a colour or whose text is cut short is refused (see ``figure_problems``).
    """
    problems = figure_problems(fig)
    if problems:
        plt.close(fig)
        raise ValueError(f"figure {name!r}: " + "; ".join(problems))
    glue(name, fig, display=False)
    target = os.environ.get(FIGURE_DIR_ENV)
    if target:
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        fig.savefig(folder / f"{name}.png", dpi=200, bbox_inches="tight")
        fig.savefig(folder / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
        line = " ".join((source or "").split())
        (folder / f"{name}.json").write_text(json.dumps({"id": name, "source": line}, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    plt.close(fig)
