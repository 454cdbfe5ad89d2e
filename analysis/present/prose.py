"""Sentences the chapters write from key figures: the words around the numbers, kept out of the key figures.

Each function takes the key figures and returns text; the chapter glues it with ``page.glue_text``.
"""

from __future__ import annotations

from ..formatting import format_percent, format_value, word_list
from ..inputs import Inputs
from ..keyfigures import KeyFigures


def quoted_figures(inputs: Inputs) -> dict[str, str]:
    """Numbers the chapters report from their sources, written from the data rows that record them (so none is typed
    into the prose): glue name -> text. Each row cites the source the sentence cites."""
    price = inputs.gpu_prices.set_index("obs_id")["usd_per_gpu_hour"]
    trend = inputs.published_trends.set_index("trend_id")["value"]
    return {
        "quote.h100_peak_2023": format_value(float(price["A02"]), "usd_per_gpu_hour"),  # ChainCatcher: 'as high as $8'
        "quote.h100_resale_2024": format_value(float(price["A06"]), "usd_per_gpu_hour"),  # ChainCatcher: 'below $2'
        "quote.ornn_b300_low": format_value(float(price["E01"]), "usd_per_gpu_hour"),
        "quote.ornn_b300_high": format_value(float(price["E02"]), "usd_per_gpu_hour"),
        "quote.aws_p5_cut": format_percent(1.0 - float(price["A67"]) / float(price["A35"])),  # p5.48xlarge list, before and after the June 2025 cut
        "quote.epoch_fixed_performance": format_percent(float(trend["epoch_hub_fixed_performance"]), 0),
        "quote.carta_seed_fail_low": format_percent(inputs.company("carta_seed_fail_7y_share_low"), 0),
        "quote.carta_seed_fail_high": format_percent(inputs.company("carta_seed_fail_7y_share_high"), 0),
    }


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


def start_against_thresholds(figures: KeyFigures) -> str:
    """Where the market starts against each side's exercise boundary at the first notice date, in words."""
    market = figures.number("pricing.market_price_usd_per_gpu_hour")
    buyer = figures.number("cashflow.buyer_threshold_first_usd_per_gpu_hour")
    seller = figures.number("cashflow.seller_threshold_first_usd_per_gpu_hour")
    b = figures["cashflow.buyer_threshold_first_usd_per_gpu_hour"].formatted
    s = figures["cashflow.seller_threshold_first_usd_per_gpu_hour"].formatted
    if market <= buyer:
        return f"at or below the price under which Reflection's optimal rule leaves at the first opportunity ({b}), so it leaves at once"
    if 0 <= seller <= market:
        return f"at or above the price over which SpaceX's optimal rule leaves at the first opportunity ({s}), so it leaves at once"
    buyer_words = f"below {b} for Reflection" if buyer >= 0 else "never, for Reflection"
    seller_words = f"above {s} for SpaceX" if seller >= 0 else "never, for SpaceX"
    return (f"between the prices at which each side's optimal rule leaves at the first opportunity ({buyer_words}, "
            f"{seller_words}), so neither leaves at once")


def how_it_ends(figures: KeyFigures) -> str:
    """How the headline model's paths end, largest share first: '… default ends 47.5% of paths, …'."""
    parts = [("Reflection defaults on", "cashflow.share_ended_by_default"), ("SpaceX gives notice on", "cashflow.share_ended_by_seller"),
             ("Reflection gives notice on", "cashflow.share_ended_by_buyer"), ("the contract runs to term on", "cashflow.prob_full_term")]
    ordered = sorted(parts, key=lambda p: -figures.number(p[1]))
    text = [f"{words} {figures[fid].formatted}" for words, fid in ordered]
    return word_list(text) + " of paths"


def rent_against_value(figures: KeyFigures) -> str:
    """What renting an hour to Reflection earns against the price the hour would fetch as flexible capacity:
    'earns $1.33 less than …'."""
    premium, annual = figures.number("strategy.rent_premium_usd_per_gpu_hour"), figures.number("strategy.rent_premium_annual_usd")
    more = "more" if premium > 0 else "less"
    return (f"earns {format_value(abs(premium), 'usd_per_gpu_hour').replace('/GPU-hour', '')} {more} than the hour would fetch as "
            f"flexible capacity ({figures['strategy.xai_shadow_value_usd_per_gpu_hour'].formatted}), "
            f"about {format_value(abs(annual), 'usd')} a year on the contract's capacity")


def seller_return_against_cost(figures: KeyFigures) -> str:
    """SpaceX's median IRR across the paths against its cost of capital: 'above SpaceX's 14.4% cost of capital'."""
    above = figures.number("capex.seller_irr_median") > figures.number("capex.cost_of_capital")
    return f"{'above' if above else 'below'} SpaceX's {figures['capex.cost_of_capital'].formatted} cost of capital"


def price_curve_reason(figures: KeyFigures) -> str:
    """Why the expected value moves with the unit price as it does, in words."""
    return {"falling": "because a dearer contract gives Reflection more reason to leave",
            "rising": "because a cheaper contract gives SpaceX more reason to leave"}.get(
        str(figures.value("sensitivity.price_curve_direction")),
        "because a cheap contract gives SpaceX reason to leave and a dear one gives Reflection reason to")


def price_curve_ends(figures: KeyFigures) -> str:
    """What happens at the two ends of the value-against-price curve, in words."""
    start, end = figures["sensitivity.curve_start_value_usd"].formatted, figures["sensitivity.curve_end_value_usd"].formatted
    lo, hi = (figures[f"sensitivity.curve_{e}_price_usd_per_gpu_hour"].formatted for e in ("start", "end"))
    direction = figures.value("sensitivity.price_curve_direction")
    if direction == "falling":
        return (f"At {lo} Reflection has little reason to leave and the value is {start}; at {hi} it leaves early and "
                f"the value falls to {end}.")
    if direction == "rising":
        return f"At {lo} SpaceX leaves early and the value is {start}; at {hi} it has little reason to and the value is {end}."
    return (f"At {lo} SpaceX leaves early and the value is {start}; it peaks at {figures['sensitivity.peak_value_usd'].formatted} "
            f"at {figures['sensitivity.price_at_peak_value_usd_per_gpu_hour'].formatted}, and at {hi}, where Reflection's "
            f"reason to leave has grown, it is {end}.")


def global_leader(figures: KeyFigures) -> str:
    """Which input leads the global analysis of the expected value, against the one-way leader, in words."""
    one, glob = str(figures.value("sensitivity.top_driver_expected_pv")), str(figures.value("sensitivity.global_top_driver_expected_pv"))
    share = figures["sensitivity.global_top_share_expected_pv"].formatted
    conf = figures["sensitivity.global_top_conf_expected_pv"].formatted
    # Glued text is not parsed as Markdown: the name goes in plain words (issue 22: '*share of ...*' showed its asterisks).
    who = "the same input" if one == glob else glob if glob.startswith(("what ", "how ")) else f"the {glob}"
    return f"{who} explains the largest share of the value's variance (a total Sobol' index of {share}, plus or minus {conf})"


def gain_words(figures: KeyFigures, fid: str) -> str:
    """A signed amount of money as a gain or a loss: 'a gain of $434M', 'a loss of $967M'."""
    value = figures.number(fid)
    amount = format_value(abs(value), "usd", figures[fid].se)
    return f"a {'gain' if value >= 0 else 'loss'} of {amount}"
