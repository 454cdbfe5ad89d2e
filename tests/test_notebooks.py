"""The chapters as committed: outputs stored, no hand-typed numbers, and strict nbval really bites."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))
MONEY_OR_PERCENT = re.compile(r"(?<![\w{`])\$\s?\d[\d,.]*\s*(?:[kKmMbB]|bn|billion|million)?|\b\d+(?:\.\d+)?\s?%")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_there_are_chapters():
    assert {p.name for p in CHAPTERS} >= {"summary.ipynb", "deal.ipynb"}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_code_cells_are_committed_executed_without_errors(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code, "a chapter with no code cannot glue its numbers"
    counts = [c["execution_count"] for c in code]
    assert all(isinstance(n, int) for n in counts), "every code cell must be executed (make notebooks)"
    assert counts == sorted(counts), "cells were executed out of order"
    assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_prose_has_no_hand_typed_money_or_percent_outside_quotes(path):
    for cell in _cells(path):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        text = re.sub(r"\{glue:text\}`[^`]*`|`[^`]*`", "", text)
        text = re.sub(r"\"[^\"]*\"", "", text)  # quoted source wording is cited where it stands
        assert not MONEY_OR_PERCENT.findall(text), f"hand-typed figure in {path.name}: {MONEY_OR_PERCENT.findall(text)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_do_not_set_a_matplotlib_backend(path):
    for cell in _cells(path):
        assert "matplotlib.use(" not in "".join(cell["source"])


def _nbval(notebook: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "-c", str(cwd / "empty.ini"), str(notebook)],
        cwd=cwd, capture_output=True, text=True, check=False, timeout=300,
    )


def test_strict_nbval_fails_when_a_stored_number_is_edited(tmp_path):
    (tmp_path / "empty.ini").write_text("[pytest]\n", encoding="utf-8")
    original = tmp_path / "summary.ipynb"
    shutil.copy(REPO / "chapters" / "summary.ipynb", original)
    assert _nbval(original, tmp_path).returncode == 0, "the untouched copy must pass, or the test proves nothing"

    text = original.read_text(encoding="utf-8")
    assert "'$150M'" in text
    tampered = tmp_path / "tampered.ipynb"
    tampered.write_text(text.replace("'$150M'", "'$151M'", 1), encoding="utf-8")
    result = _nbval(tampered, tmp_path)
    assert result.returncode != 0
    assert "$151M" in result.stdout or "$150M" in result.stdout


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_literal_dollar_amounts_are_escaped(path):
    # With dollarmath on, "$5 to $7" becomes inline math; quoted amounts must be written \$5.
    for cell in _cells(path):
        if cell["cell_type"] == "markdown":
            text = re.sub(r"`[^`]*`", "", "".join(cell["source"]))
            assert not re.findall(r"(?<!\\)\$\d", text), f"unescaped $ amount in {path.name}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_a_chapter_glues_only_the_key_figures_its_prose_cites(path, figures):
    from analysis.present.book import cited_ids

    glued = {o["metadata"]["scrapbook"]["name"] for c in _cells(path) if c["cell_type"] == "code" for o in c["outputs"]
             if o.get("metadata", {}).get("scrapbook")}
    cited = set(cited_ids(path))
    assert {g for g in glued if g in figures} == {c for c in cited if c in figures}
    assert len(glued) < len(figures) / 2, f"{path.name} glues {len(glued)} of {len(figures)} key figures"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_code_cell_hides_its_code(path):
    # Readers see prose, tables and figures, never code: each code cell is removed (set-up, figures) or has its input
    # removed (tables).
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code":
            tags = set(cell.get("metadata", {}).get("tags", []))
            assert tags & {"remove-cell", "remove-input"}, f"{path.name}, cell {i}: no remove-cell or remove-input tag"
