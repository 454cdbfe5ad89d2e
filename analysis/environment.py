"""The one module that reads the environment: the what-if file, the results cache and the figure export folder.

``make`` sets these for every step of a build; the models and the presentation never read the environment
themselves, they are handed the values read here.
"""

from __future__ import annotations

import os
from pathlib import Path

from .inputs import REPOSITORY, Inputs, load_inputs
from .results import Results, cached

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


def figure_folder() -> Path | None:
    """The folder published figures are exported to ($DEAL_BOOK_FIGURE_DIR), or None."""
    value = os.environ.get(FIGURE_DIR_ENV, "").strip()
    return Path(value) if value else None


def environment_inputs() -> Inputs:
    """The inputs the environment asks for: data/ with the what-if file of $DEAL_BOOK_ASSUMPTIONS, if set."""
    return load_inputs(overrides=what_if_file())


def environment_results() -> Results:
    """The computed result for the environment's inputs, through the results cache."""
    return cached(environment_inputs(), cache_folder())
