"""The README's answer is the key figures' answer: a stale README fails here, and `python -m analysis readme` fixes it."""

from __future__ import annotations

import pytest

from analysis.present import readme

from .conftest import REPO


def test_the_readme_answer_is_current(figures):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.with_answer(text, readme.answer_block(figures)) == text, (
        "README.md's answer is stale: run `python -m analysis readme` and commit README.md")


def test_the_answer_comes_right_after_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Two commands", "## The answer"]
    assert text.index(readme.START) < 40 * 80  # within the first screenful or two of text


def test_the_answer_names_the_model_the_range_and_the_error(figures):
    block = readme.answer_block(figures)
    for fid in ("deal.headline_value_usd", "deal.committed_minimum_usd", "cashflow.expected_pv_usd", "equilibrium.headline_low_usd",
                "equilibrium.headline_high_usd", "cashflow.headline_model"):
        assert figures[fid].formatted in block, fid
    assert "±" in block and figures.assumption_hash in block


def test_a_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="no answer block"):
        readme.with_answer("# A README\n", "block")
