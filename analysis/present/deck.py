"""The briefing deck: six slides built from the key figures and the book's own figures (python-pptx).

Every number on a slide is a key figure's formatted value; every slide names what it shows (a figure id or the
key-figure ids), carries a source line and the assumption set and hash, and its speaker notes give each number's
derivation. ``deck_slides`` decides the content (pure); ``write_deck`` lays it out and writes the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from ..keyfigures import KeyFigures
from . import briefing

SLIDE_WIDTH_IN: float = 13.333
SLIDE_HEIGHT_IN: float = 7.5
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)


@dataclass(frozen=True)
class Slide:
    """One slide's content: title, what it shows, its source line and speaker notes.

    ``shows`` is the figure id (for a figure slide) or the key-figure ids it quotes. Exactly one of ``numbers``,
    ``figure``, ``table`` or ``bullets`` is the body; ``numbers`` are (value, caption) pairs.
    """

    title: str
    shows: tuple[str, ...]
    source: str
    notes: str
    numbers: tuple[tuple[str, str], ...] = ()
    figure: str | None = None
    table: pd.DataFrame | None = field(default=None, compare=False)
    bullets: tuple[str, ...] = ()
    takeaway: str = ""


def _derivations(figures: KeyFigures, ids: Sequence[str]) -> str:
    """Speaker notes: each quoted figure's id, value and derivation (or source), one paragraph each."""
    return "\n\n".join(f"{i} = {figures[i].formatted}: {figures[i].label}. Derivation: {figures[i].derivation}"
                       for i in ids)


FIVE_NUMBERS: tuple[str, ...] = ("deal.headline_value_usd", "deal.committed_minimum_usd", "cashflow.expected_pv_usd",
                                 "cashflow.expected_life_months", "capex.dedicated_capex_usd")
"""The answer in five numbers: the summary's, by id (a test reads the summary's table and compares)."""


def deck_slides(figures: KeyFigures, model_choices: pd.DataFrame, figure_sources: Mapping[str, str]) -> list[Slide]:
    """The six slides: the answer in five numbers, the value ladder, the model-choice table, pricing against
    comparables, SpaceX's economics, and risks and caveats. ``figure_sources`` maps figure ids to their source lines."""
    f = figures

    def v(key: str) -> str:
        return f[key].formatted

    def figure_source(fid: str) -> str:
        if fid not in figure_sources:
            raise ValueError(f"deck: figure {fid!r} has no exported source line; expected it in the figure folder "
                             "(build the book with `make book`, which exports every figure)")
        return figure_sources[fid]

    model = v("cashflow.headline_model")
    five = FIVE_NUMBERS
    answer = Slide(
        title="The answer in five numbers",
        shows=five,
        source=("Key figures of the deal book, the same five as its summary (deal terms as reported; models in the Cash "
                "flow, Equilibrium and Capex chapters)."),
        numbers=(
            (v("deal.headline_value_usd"), f"the headline: {v('deal.term_months')} monthly payments of {v('deal.monthly_payment_usd')}"),
            (v("deal.committed_minimum_usd"), f"what the contract commits: either side may leave after {v('deal.lock_in_months')} "
                                              f"months on {v('deal.notice_days')} days' notice"),
            (v("cashflow.expected_pv_usd"), f"worth to SpaceX in present value ({model}); {v('equilibrium.headline_low_usd')} to "
                                            f"{v('equilibrium.headline_high_usd')} over the prices at which both sides sign"),
            (f"{v('cashflow.expected_life_months')} months", "its expected life in that model"),
            (v("capex.dedicated_capex_usd"), f"the capex behind the capacity it implies (about {v('pricing.implied_gpus')} GB300 GPUs)"),
        ),
        takeaway=(f"The headline is a ceiling: the book expects {v('cashflow.expected_pv_usd')}, "
                  f"{v('cashflow.expected_pv_share_of_headline')} of it."),
        notes=_derivations(f, (*five, "equilibrium.headline_low_usd", "equilibrium.headline_high_usd",
                               "cashflow.expected_pv_share_of_headline")),
    )
    ladder_ids = ("deal.headline_value_usd", "cashflow.npv_full_term_usd", "cashflow.expected_pv_credit_only_usd",
                  "cashflow.expected_pv_usd", "cashflow.npv_committed_minimum_usd")
    ladder = Slide(
        title="From the headline to what the contract is worth",
        shows=("fig-summary-value-ladder",),
        source=figure_source("fig-summary-value-ladder"),
        figure="fig-summary-value-ladder",
        takeaway=(f"{v('deal.headline_value_usd')} headline; {v('cashflow.npv_full_term_usd')} discounted to term; "
                  f"{v('cashflow.expected_pv_usd')} expected once either side may leave."),
        notes=_derivations(f, ladder_ids),
    )
    choices = Slide(
        title="Model choices side by side",
        shows=("table: model choices (Cash flow chapter)", "cashflow.expected_pv_model_min_usd",
               "cashflow.expected_pv_model_max_usd"),
        source=("The book's exit game solved under each choice of who may exit, price process, exercise rule and "
                "default risk (Cash flow chapter, model-choice table)."),
        table=model_choices,
        takeaway=(f"Across the choices the expected value runs from {v('cashflow.expected_pv_model_min_usd')} to "
                  f"{v('cashflow.expected_pv_model_max_usd')}; the headline model: {model}."),
        notes=_derivations(f, ("cashflow.headline_model", "cashflow.expected_pv_usd", "cashflow.expected_pv_model_min_usd",
                               "cashflow.expected_pv_model_max_usd", "cashflow.mc_paths", "cashflow.fit_paths")),
    )
    pricing_ids = ("pricing.contract_price_usd_per_gpu_hour", "pricing.market_price_usd_per_gpu_hour",
                   "pricing.premium_at_start", "pricing.premium_vs_contracts_low", "pricing.premium_vs_contracts_high")
    pricing = Slide(
        title="Pricing against comparables",
        shows=("fig-pricing-index",),
        source=figure_source("fig-pricing-index"),
        figure="fig-pricing-index",
        takeaway=(f"{v('pricing.contract_price_usd_per_gpu_hour')} against flexible GB300 capacity at "
                  f"{v('pricing.market_price_usd_per_gpu_hour')}: {v('pricing.premium_at_start')}; against the GB300 contracts "
                  f"that disclose a price, {v('pricing.premium_vs_contracts_low')} to {v('pricing.premium_vs_contracts_high')}."),
        notes=_derivations(f, pricing_ids),
    )
    economics_ids = ("capex.dedicated_capex_usd", "capex.tco_usd_per_gpu_hour", "capex.margin_usd_per_gpu_hour",
                     "capex.seller_irr_full_term", "capex.seller_irr_median", "capex.prob_seller_npv_negative",
                     "capex.cost_of_capital")
    economics = Slide(
        title="SpaceX's economics",
        shows=("fig-capex-tco",),
        source=figure_source("fig-capex-tco"),
        figure="fig-capex-tco",
        takeaway=(f"{v('capex.dedicated_capex_usd')} of capacity costs {v('capex.tco_usd_per_gpu_hour')} to run; "
                  f"to term SpaceX earns {v('capex.seller_irr_full_term')} a year, but the median simulated exit gives "
                  f"{v('capex.seller_irr_median')} against a {v('capex.cost_of_capital')} cost of capital."),
        notes=_derivations(f, economics_ids),
    )
    risk_ids = ("cashflow.share_ended_by_buyer", "cashflow.share_ended_at_first_opportunity",
                "cashflow.prob_default_by_term", "deal.headline_value_alt_reported_usd", "deal.committed_minimum_alt_usd",
                "pricing.repeat_price_identified", "cashflow.expected_pv_model_min_usd", "cashflow.expected_pv_model_max_usd",
                "sensitivity.top_driver_expected_pv", "sensitivity.top_swing_expected_pv")
    risks = Slide(
        title="Risks and caveats",
        shows=risk_ids,
        source="Key figures of the deal book: Cash flow, Reflection as a counterparty and Pricing chapters.",
        bullets=(
            f"Reflection gives notice on {v('cashflow.share_ended_by_buyer')} of simulated paths, "
            f"{v('cashflow.share_ended_at_first_opportunity')} at the first date the clause allows.",
            f"Credit: {v('cashflow.prob_default_by_term')} chance Reflection defaults before the last month "
            "on the funding-runway model.",
            f"Terms are reported, not filed: another report gives {v('deal.headline_value_alt_reported_usd')}, and the "
            f"committed minimum may be {v('deal.committed_minimum_alt_usd')} on the other reading of the notice clause.",
            f"The price trend from repeat prices is {v('pricing.repeat_price_identified')} by the data; the decline "
            "is an assumption with low, base and high cases.",
            f"The largest one-way swing: {v('sensitivity.top_driver_expected_pv')} moves the expected value by "
            f"{v('sensitivity.top_swing_expected_pv')} across its range.",
            f"Model choice moves the expected value from {v('cashflow.expected_pv_model_min_usd')} to "
            f"{v('cashflow.expected_pv_model_max_usd')}: quote the model with the number.",
        ),
        notes=_derivations(f, risk_ids),
    )
    return [answer, ladder, choices, pricing, economics, risks]


def figure_sources(folder: Path) -> dict[str, str]:
    """The source line of every figure exported to ``folder``, by figure id, without its 'Source: ' prefix."""
    return {fid: source.removeprefix("Source: ") for fid, source in briefing.figure_records(folder, "deck").items()}


def _text(slide: object, left: float, top: float, width: float, height: float, text: str, size: float,
          bold: bool = False, color: RGBColor = INK) -> None:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))  # type: ignore[attr-defined]
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color


def _footer(slide: object, item: Slide, stamp: str) -> None:
    shows = ", ".join(item.shows)
    _text(slide, 0.5, 6.55, 12.3, 0.9, f"Shows: {shows}\nSource: {item.source}\n{stamp}", 8.5, color=MUTED)


def _numbers(slide: object, item: Slide) -> None:
    top = 1.45
    for value, caption in item.numbers:
        _text(slide, 0.6, top, 3.2, 0.8, value, 30, bold=True, color=ACCENT)
        _text(slide, 3.9, top + 0.12, 8.8, 0.8, caption, 15)
        top += 0.92


def _figure(slide: object, item: Slide, figure_dir: Path) -> None:
    assert item.figure is not None
    path = figure_dir / f"{item.figure}.png"
    if not path.is_file():
        raise ValueError(f"deck: figure {item.figure!r} is missing from {figure_dir}; expected {path.name} "
                         "(build the book with `make book`, which exports every figure)")
    picture = slide.shapes.add_picture(str(path), Inches(0.5), Inches(1.35), height=Inches(4.6))  # type: ignore[attr-defined]
    max_width = Inches(SLIDE_WIDTH_IN - 1.0)
    if picture.width > max_width:
        scale = max_width / picture.width
        picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
    picture.left = Emu(int((Inches(SLIDE_WIDTH_IN) - picture.width) / 2))


def _table(slide: object, item: Slide) -> None:
    assert item.table is not None
    frame = item.table.reset_index()
    rows, cols = frame.shape[0] + 1, frame.shape[1]
    shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(1.3), Inches(12.3), Inches(0.26 * rows))  # type: ignore[attr-defined]
    table = shape.table
    for j, name in enumerate(frame.columns):
        table.cell(0, j).text = str(name)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            table.cell(i, j).text = str(value)
    headline_rows = {0} | {i for i, row in enumerate(frame.itertuples(index=False), start=1)
                           if any("(headline)" in str(value) for value in row)}
    for i in range(rows):
        for j in range(cols):
            for paragraph in table.cell(i, j).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.font.bold = i in headline_rows


def _bullets(slide: object, item: Slide) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.45), Inches(12.1), Inches(4.9))  # type: ignore[attr-defined]
    frame = box.text_frame
    frame.word_wrap = True
    for index, bullet in enumerate(item.bullets):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {bullet}"
        run.font.size = Pt(17)
        paragraph.space_after = Pt(10)


def write_deck(slides: Sequence[Slide], path: Path, figure_dir: Path, title: str, stamp: str) -> None:
    """Write the deck to ``path`` (16:9): a title line and the body on each slide, a footer with what it shows, its
    source line and ``stamp`` (commit and assumption set), and the speaker notes. Written through a temporary file."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    blank = deck.slide_layouts[6]
    for item in slides:
        slide = deck.slides.add_slide(blank)
        _text(slide, 0.5, 0.3, 12.3, 0.7, item.title, 28, bold=True)
        if item.takeaway:
            _text(slide, 0.5, 0.9, 12.3, 0.5, item.takeaway, 14, color=MUTED)
        if item.numbers:
            _numbers(slide, item)
        elif item.figure:
            _figure(slide, item, figure_dir)
        elif item.table is not None:
            _table(slide, item)
        else:
            _bullets(slide, item)
        _footer(slide, item, stamp)
        slide.notes_slide.notes_text_frame.text = item.notes
    deck.core_properties.title = title
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    deck.save(str(tmp))
    tmp.replace(path)
