"""The answer at the top of README.md, written from the key figures (a test keeps the README's copy current).

``python -m analysis readme`` rewrites the block between the two markers; ``answer_block`` is what it writes.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..inputs import REPOSITORY
from ..keyfigures import KeyFigures

START = "<!-- answer: written by `python -m analysis readme` from the key figures; do not edit by hand -->"
END = "<!-- end of answer -->"


def book_config() -> dict[str, str]:
    """The book's title and author as _config.yml gives them (the one place they are written)."""
    config = yaml.safe_load((REPOSITORY / "_config.yml").read_text(encoding="utf-8"))
    return {"title": str(config["title"]), "author": str(config["author"])}


def citation(figures: KeyFigures, figure_id: str = "cashflow.expected_pv_usd") -> str:
    """A ready-to-paste citation of one key figure: book, figure id, value and the assumption set and hash."""
    f, book = figures[figure_id], book_config()
    return (f"{book['author']}, *{book['title']}*, key figure `{f.id}` ({f.formatted}), assumption set {figures.assumption_set}, "
            f"register hash `{figures.assumption_hash}`.")


def answer_block(figures: KeyFigures) -> str:
    """The README's answer: headline, committed minimum, the valuation with its model, range and error, its drivers."""
    v = figures.__getitem__
    sim = v("cashflow.expected_pv_simulated_usd")
    lines = [
        START,
        "## The answer",
        "",
        f"- **Headline {v('deal.headline_value_usd').formatted}**: {v('deal.term_months').formatted} monthly payments of "
        f"{v('deal.monthly_payment_usd').formatted}, {v('deal.start_date').formatted} to {v('deal.end_date').formatted}.",
        f"- **Committed {v('deal.committed_minimum_usd').formatted}** ({v('deal.committed_minimum_alt_usd').formatted} on the other "
        f"reading of the clause): either side may leave after {v('deal.lock_in_months').formatted} months on "
        f"{v('deal.notice_days').formatted} days' notice.",
        f"- **Worth {v('cashflow.expected_pv_usd').formatted} to SpaceX** in expected present value, in the headline model "
        f"({v('cashflow.headline_model').formatted}; solved exactly, the simulated check gives {sim.formatted} ± "
        f"{sim.formatted_se}); {v('equilibrium.headline_low_usd').formatted} to {v('equilibrium.headline_high_usd').formatted} "
        f"over the unit prices at which both sides would sign; {v('cashflow.expected_pv_p10_usd').formatted} to "
        f"{v('cashflow.expected_pv_p90_usd').formatted} across paths (P10–P90).",
        f"- **What drives it**: {v('sensitivity.top_driver_expected_pv').formatted} moves it most; "
        f"{v('sensitivity.entries_outside_range').formatted} register entries move it outside that range within their own "
        f"ranges (listed in the summary).",
        "",
        f"Cite as: {citation(figures)}",
        END,
    ]
    return "\n".join(lines)


def with_answer(readme_text: str, block: str) -> str:
    """``readme_text`` with its answer block replaced by ``block`` (an error if the markers are missing)."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme_text):
        raise ValueError(f"README.md: no answer block; expected a line {START!r} and a line {END!r}")
    return pattern.sub(lambda _: block, readme_text, count=1)


def write_answer(path: Path, figures: KeyFigures) -> bool:
    """Rewrite the answer block of the README at ``path``; return whether it changed."""
    old = path.read_text(encoding="utf-8")
    new = with_answer(old, answer_block(figures))
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
