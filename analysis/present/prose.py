"""Sentences the chapters write from key figures: the words around the numbers, kept out of the key figures.

Each function takes the key figures and returns text; the chapter glues it with ``page.glue_text``.
"""

from __future__ import annotations

from ..formatting import format_percent, format_value
from ..keyfigures import KeyFigures


def premium_against_contracts(figures: KeyFigures) -> str:
    """'26% to 84% above the 2 GB300 contracts that disclose their price' (or 'between … against' if any is below)."""
    low, high = figures.number("pricing.premium_vs_contracts_low"), figures.number("pricing.premium_vs_contracts_high")
    count = int(figures.number("pricing.contracts_with_price"))
    if low > 0:
        span = f"{format_percent(low, 0)} to {format_percent(high, 0)} above"
    else:
        span = f"between {format_value(low, 'premium_words')} and {format_value(high, 'premium_words')} against"
    return f"{span} the {count} GB300 contracts that disclose their price"


def price_curve_shape(figures: KeyFigures) -> str:
    """How the expected value moves with the unit price, in words."""
    direction = figures.value("sensitivity.price_curve_direction")
    if direction == "falling":
        return "falls as the unit price rises (it never rises)"
    if direction == "rising":
        return "rises with the unit price (it never falls)"
    return f"peaks inside the range, at {figures['sensitivity.price_at_peak_value_usd_per_gpu_hour'].formatted}"


def payback_driver(figures: KeyFigures) -> str:
    """The largest one-way driver of payback, in a sentence (or that no input moves it)."""
    if figures.number("sensitivity.top_swing_payback") > 0:
        return (f"Its largest driver is {figures.value('sensitivity.top_driver_payback')}, which moves it over "
                f"{figures['sensitivity.top_swing_payback'].formatted} months across that entry's range.")
    return (f"No input moves it across its range: under these assumptions payback is {figures['capex.payback_months'].formatted} "
            "whatever the entry.")
