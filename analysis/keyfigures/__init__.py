"""The key figures: every number the book cites, defined chapter by chapter from the computed result.

Each module defines one chapter's figures (``define``), reading the result only; a figure may name a figure of an
earlier chapter. ``key_figures(results)`` collects them in book order. The prose that puts figures into sentences
lives in the chapters and in ``present.prose``, not here.
"""

from __future__ import annotations

from collections.abc import Callable

from ..results import Results
from . import capex, cashflow, deal, equilibrium, pricing, sensitivity, strategy
from .base import Chapter, KeyFigure, KeyFigures, plain

CHAPTERS: tuple[tuple[str, Callable[[Chapter], None]], ...] = (
    ("deal", deal.define), ("pricing", pricing.define), ("cashflow", cashflow.define), ("equilibrium", equilibrium.define),
    ("capex", capex.define),
    ("strategy", strategy.define), ("sensitivity", sensitivity.define))
"""Chapters whose figures are defined, in book order (a figure may name one defined earlier)."""


def key_figures(results: Results) -> KeyFigures:
    """Every key figure the book cites, read off ``results``."""
    defined: dict[str, KeyFigure] = {}
    figures: list[KeyFigure] = []
    for name, define in CHAPTERS:
        chapter = Chapter(name, results, defined)
        define(chapter)
        figures += chapter.figures
    return KeyFigures(figures, results.inputs.assumption_set, results.inputs.assumption_hash)


__all__ = ["CHAPTERS", "KeyFigure", "KeyFigures", "key_figures", "plain"]
