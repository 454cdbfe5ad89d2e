"""Shared fixtures: the real inputs, and a throw-away copy of data/ that a test may break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from analysis.inputs import Inputs, TableError, default_data_dir, load_inputs
from analysis.keyfigures import KeyFigures, key_figures
from analysis.present.printing import toc_pages
from analysis.results import Results, cached, compute

REPO = Path(__file__).resolve().parent.parent
ANALYSIS_PAGES: tuple[str, ...] = tuple(
    Path(page).name for i, (page, numbered) in enumerate(toc_pages(yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))))
    if numbered or i == 0)
"""The book's summary (its root page) and numbered chapters, from _toc.yml: the pages that make claims."""


@pytest.fixture(scope="session")
def inputs() -> Inputs:
    return load_inputs()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ in a temporary folder."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, failing loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def assert_refused(data_dir: Path, file: str, old: str, new: str, match: str) -> None:
    """Edit one data file of ``data_dir`` (``old`` -> ``new``) and check that loading it fails with ``match``."""
    replace_in(data_dir / file, old, new)
    with pytest.raises(TableError, match=match):
        load_inputs(data_dir)


@pytest.fixture(scope="session")
def results(inputs: Inputs) -> Results:
    """Every model run once on the real inputs: read from the build's cache when `make test` names one (it was computed
    by this code from these inputs), otherwise computed here. test_determinism recomputes and compares."""
    folder = os.environ.get("DEAL_BOOK_CACHE")
    return cached(inputs, Path(folder)) if folder else compute(inputs)


@pytest.fixture(scope="session")
def figures(results: Results) -> KeyFigures:
    return key_figures(results)
