"""Glue between the registry and the book's pages (the only module that knows about myst-nb)."""

from __future__ import annotations

from .keyfigures import KeyFigures


def glue_key_figures(figures: KeyFigures) -> None:
    """Glue every key figure's formatted text under its id, for ``{glue:text}`id` `` in the prose."""
    from myst_nb import glue

    for figure in figures.values():
        glue(figure.id, figure.formatted, display=False)
