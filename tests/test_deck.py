"""The briefing deck (`make slides`), read back with python-pptx: six slides in order, each naming what it shows,
its source and the assumption hash; every number on a slide is a key figure's formatted value; the speaker notes
give the derivation of each key figure a slide quotes. Skipped where the deck was not built (BOOK_DECK unset)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from pptx import Presentation

from analysis.present import deck

DECK = Path(os.environ["BOOK_DECK"]) if os.environ.get("BOOK_DECK") else None
TITLES = ["The answer in five numbers", "From the headline to what the contract is worth", "Model choices side by side",
          "Pricing against comparables", "SpaceX's economics", "Risks and caveats"]
NUMBER = re.compile(r"(?:minus )?\$[\d.,]+[kMB]?(?:/GPU-hour)?|\d[\d.,]*%|\d[\d.,]*×")

built = pytest.mark.skipif(DECK is None or not DECK.is_file(), reason="BOOK_DECK not set or missing: run `make test`")


def _slide_texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


@built
def test_six_slides_in_the_briefing_order(figures) -> None:
    presentation = Presentation(str(DECK))
    titles = [_slide_texts(s)[0] for s in presentation.slides]
    assert titles == TITLES


@built
def test_every_slide_names_what_it_shows_its_source_and_the_assumption_hash(figures) -> None:
    presentation = Presentation(str(DECK))
    for slide in presentation.slides:
        footer = _slide_texts(slide)[-1]
        assert footer.startswith("Shows: "), footer
        assert "\nSource: " in footer and figures.assumption_hash in footer, footer


@built
def test_every_number_on_a_slide_is_a_key_figure(figures) -> None:
    """No hand-typed numbers: each amount, percentage or multiple on a slide occurs in some key figure's value, or in
    the model-choice table (whose cells the Cash flow chapter prints from the same results)."""
    quoted = " | ".join(f.formatted for f in figures.values())
    presentation = Presentation(str(DECK))
    strays = []
    for number, slide in enumerate(presentation.slides, start=1):
        for shape in slide.shapes:
            if shape.has_table or not shape.has_text_frame:
                continue
            text = shape.text_frame.text.split("\nSource: ")[0]
            strays += [f"slide {number}: {n}" for n in NUMBER.findall(text) if n not in quoted]
    assert not strays, strays


@built
def test_figure_slides_hold_their_figure_and_the_table_slide_every_model_choice(figures) -> None:
    presentation = Presentation(str(DECK))
    slides = list(presentation.slides)
    for index in (1, 3, 4):
        assert any(shape.shape_type == 13 for shape in slides[index].shapes), f"slide {index + 1} has no picture"
    tables = [shape.table for shape in slides[2].shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:4] == ["Who may exit", "Price process", "Exercise rule", "Default risk"]
    headline = [row for row in cells[1:] if any("(headline)" in c for c in row)]
    assert len(headline) == 1 and figures["cashflow.expected_pv_usd"].formatted in " ".join(headline[0])
    assert len(cells) - 1 == 16


@built
def test_speaker_notes_give_the_derivation_of_each_quoted_figure(figures) -> None:
    presentation = Presentation(str(DECK))
    for number, slide in enumerate(presentation.slides, start=1):
        notes = slide.notes_slide.notes_text_frame.text
        footer = _slide_texts(slide)[-1]
        shown = [i.strip() for i in footer.split("\n")[0].removeprefix("Shows: ").split(",")]
        for figure_id in (i for i in shown if i in figures):
            assert f"{figure_id} = {figures[figure_id].formatted}" in notes, f"slide {number}: {figure_id}"
            assert f"Derivation: {figures[figure_id].derivation}" in notes
        assert notes.count("Derivation: ") >= 3, f"slide {number} notes: {notes[:200]}"


def test_a_figure_without_an_exported_source_line_is_refused(figures, tmp_path: Path) -> None:
    import pandas as pd

    with pytest.raises(ValueError, match="figure 'fig-summary-value-ladder' has no exported source line"):
        deck.deck_slides(figures, pd.DataFrame(), {})


def test_a_missing_figure_file_is_refused(figures, tmp_path: Path) -> None:
    slide = deck.Slide(title="t", shows=("fig-x",), source="s", notes="n", figure="fig-x")
    with pytest.raises(ValueError, match="figure 'fig-x' is missing"):
        deck.write_deck([slide], tmp_path / "d.pptx", tmp_path, "t", "stamp")
    assert not (tmp_path / "d.pptx").exists()


def test_figure_sources_refuse_a_record_without_a_source(tmp_path: Path) -> None:
    (tmp_path / "fig-a.json").write_text(json.dumps({"id": "fig-a", "source": "Source: x. Assumption set: base."}))
    assert deck.figure_sources(tmp_path) == {"fig-a": "x. Assumption set: base."}
    (tmp_path / "fig-b.json").write_text(json.dumps({"id": "fig-b"}))
    with pytest.raises(ValueError, match="fig-b.json has no 'source'"):
        deck.figure_sources(tmp_path)


def test_the_decks_five_numbers_are_the_summarys(figures) -> None:
    import json
    import re

    from .conftest import REPO
    summary = json.loads((REPO / "chapters" / "summary.ipynb").read_text(encoding="utf-8"))
    text = next("".join(c["source"]) for c in summary["cells"] if "The answer in five numbers" in "".join(c["source"]))
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    ids = tuple(re.search(r"\{glue:text\}`([^`]+)`", row).group(1) for row in rows)
    assert ids == deck.FIVE_NUMBERS


class _AnySource(dict):
    """Every figure has a source line (the deck's slides are built without exported figures)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> str:
        return "test source"


def test_the_risk_slide_names_the_largest_swing(figures, results) -> None:
    from analysis.present import tables
    slides = deck.deck_slides(figures, tables.model_choice_table(results.valuation.table), _AnySource())
    risks = slides[-1]
    assert "sensitivity.top_driver_expected_pv" in risks.shows
    assert any(figures["sensitivity.top_swing_expected_pv"].formatted in b for b in risks.bullets)
    answer = slides[0]
    assert answer.shows == deck.FIVE_NUMBERS
    assert [n for n, _ in answer.numbers][:3] == [figures[i].formatted for i in deck.FIVE_NUMBERS[:3]]
