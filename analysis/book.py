"""Glue between the registry and the book's pages (the only module that knows about myst-nb)."""

from __future__ import annotations

import os
from pathlib import Path

from matplotlib.figure import Figure

from .keyfigures import KeyFigures

FIGURE_DIR_ENV = "DEAL_BOOK_FIGURE_DIR"
"""When set (by `make briefing`), every published figure is also saved there as PNG (200 dpi) and SVG."""


def glue_key_figures(figures: KeyFigures) -> None:
    """Glue every key figure's formatted text under its id, for ``{glue:text}`id` `` in the prose."""
    from myst_nb import glue

    for figure in figures.values():
        glue(figure.id, figure.formatted, display=False)


def publish_figure(fig: Figure, name: str) -> None:
    """Glue ``fig`` under ``name`` for ``{glue:figure}``, save it for the briefing pack if asked, and close it."""
    import matplotlib.pyplot as plt
    from myst_nb import glue

    glue(name, fig, display=False)
    target = os.environ.get(FIGURE_DIR_ENV)
    if target:
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        fig.savefig(folder / f"{name}.png", dpi=200, bbox_inches="tight")
        fig.savefig(folder / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
