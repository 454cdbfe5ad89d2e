"""One way to write numbers in the book: money, rates, multiples, months and dates."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence


def _three_figures(number: float, drop_zeros: bool = False) -> str:
    """A number in [1, 1000) to three significant figures: 6.3 -> '6.30', 886.2 -> '886'; with ``drop_zeros`` (axis
    ticks only) trailing zeros dropped: '6.3'."""
    digits = 2 if number < 9.995 else 1 if number < 99.95 else 0
    text = f"{number:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if drop_zeros and "." in text else text


PRECISION_SE_MULTIPLE: float = 2.0
"""The precision rule: a simulated figure's last printed digit is no finer than the place of twice its standard error
(its 95% half-width), so no digit is printed that the simulation does not support."""


def supported_figures(value: float, se: float, most: int = 3) -> int:
    """Significant figures of ``value`` that a standard error ``se`` supports (1 to ``most``)."""
    if not se > 0 or value == 0:
        return most
    leading = math.floor(math.log10(abs(value)))
    place = math.floor(math.log10(PRECISION_SE_MULTIPLE * se))
    return max(1, min(most, leading - place + 1))


def supported_decimals(value_percent: float, se_percent: float, most: int) -> int:
    """Decimals of a percentage (or of months) that a standard error supports, at most ``most``; negative when not even
    the units are supported (-1: round to tens)."""
    if not se_percent > 0:
        return most
    return min(most, -math.floor(math.log10(PRECISION_SE_MULTIPLE * se_percent)))


def format_usd_figures(value: float, figures: int) -> str:
    """US dollars to ``figures`` significant figures, in the scale that shows exactly those digits:
    969e6 at 2 figures -> '$0.97B' (not '$970M', which would claim a third)."""
    sign = "minus " if value < 0 else ""
    x = abs(float(value))
    if x == 0:
        return "$0"
    rounded = float(f"{x:.{figures - 1}e}")
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k"), (1.0, "")):
        number = rounded / scale
        if number >= 1 or scale == 1.0:
            whole = len(str(int(number)))
            if whole > figures and scale < 1e9:  # trailing zeros would look significant: one scale up
                number /= 1000
                suffix = {"M": "B", "k": "M", "": "k"}[suffix]
                whole = 0
            decimals = max(figures - whole, 0)
            text = f"{number:,.{decimals}f}"
            return f"{sign}${text}{suffix}"
    raise AssertionError("unreachable")


def format_usd(value: float, compact: bool = False) -> str:
    """US dollars: amounts of $1,000 and more scaled to three significant figures, trailing zeros kept so that every
    amount shows the same precision ($6.30B, $886M, $9.25k, $8.00B), smaller amounts to the cent ($4.10); a negative
    value's sign in words ('minus $2.50B').

    ``compact`` is for axis ticks: trailing zeros dropped ($6.3B, $8B) and a minus sign (−$2.5B).
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"format_usd: value is {value!r}; expected a finite number")
    sign = ("−" if compact else "minus ") if value < 0 else ""
    x = abs(float(value))
    scales = ((1e3, "k"), (1e6, "M"), (1e9, "B"))
    for i, (scale, suffix) in enumerate(scales):
        if x >= scale and (i == len(scales) - 1 or x < scales[i + 1][0]):
            number = _three_figures(x / scale, drop_zeros=compact)
            if number.replace(",", "") == "1000" and i < len(scales) - 1:  # $999.7M rounds up to $1.00B
                return f"{sign}$1{'' if compact else '.00'}{scales[i + 1][1]}"
            return f"{sign}${number}{suffix}"
    if compact:
        return f"{sign}${x:,.2f}".rstrip("0").rstrip(".")
    return f"{sign}${x:,.2f}"


def format_count(value: float) -> str:
    """A large count rounded for prose: 41,096 -> '41,100'; below 1,000 to the unit."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"format_count: value is {value!r}; expected a finite number")
    if abs(value) >= 10_000:
        return f"{round(value, -2):,.0f}"
    return f"{value:,.0f}"


def format_percent(value: float, digits: int = 1) -> str:
    """A decimal share or rate as a percentage: 0.11 -> '11.0%'; zero -> '0%'; a share too small to show at ``digits``
    -> 'under 0.1%' (never a misleading '0.0%'); a negative value's sign in words: 'minus 10.2%'."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"format_percent: value is {value!r}; expected a finite number")
    if value == 0:
        return "0%"
    sign = "minus " if value < 0 else ""
    smallest = 10.0 ** -digits
    if abs(value) * 100 < smallest / 2:
        return f"{sign}under {smallest:.{digits}f}%"
    return f"{sign}{abs(value) * 100:.{digits}f}%"


def format_multiple(value: float) -> str:
    """A ratio as a multiple: 7.0 -> '7.0×'."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"format_multiple: value is {value!r}; expected a finite number")
    return f"{value:.1f}×"


def format_date(value: dt.date | str) -> str:
    """A date in words: '1 July 2026'."""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{date.day} {date:%B %Y}"


TEXT_UNITS: tuple[str, ...] = ("text", "date", "month")
"""Units whose values are text (a date is an ISO string)."""


def format_value(value: float | int | str, unit: str, se: float | None = None) -> str:
    """Format ``value`` by its ``unit`` as the book writes it; with a standard error ``se`` (a simulated figure), to no
    more digits than the error supports, with 'about' when that is fewer than the unit's usual digits."""
    if se is not None and se > 0 and not isinstance(value, str):
        rounded = _format_with_error(float(value), unit, float(se))
        if rounded is not None:
            return rounded
    return _format_value(value, unit)


def _format_with_error(x: float, unit: str, se: float) -> str | None:
    """``x`` in ``unit`` to the digits ``se`` supports, or None for a unit the rule does not apply to."""
    if unit in ("usd", "usd_per_month"):
        figures = supported_figures(x, se)
        return format_usd(x) if figures == 3 else "about " + format_usd_figures(x, figures)
    if unit in ("rate_annual", "ratio_percent"):
        decimals = supported_decimals(x * 100, se * 100, 1)
        if decimals >= 0:
            text = format_percent(x, digits=decimals)
            return text if decimals == 1 else "about " + text
        return "about " + format_percent(round(x * 100, decimals) / 100, digits=0)
    if unit == "months_1":
        decimals = supported_decimals(x, se, 1)
        if decimals == 1:
            return f"{x:,.1f}"
        return f"about {round(x, min(decimals, 0)):,.0f}"
    return None


def _format_value(value: float | int | str, unit: str) -> str:
    """Format ``value`` by its ``unit`` as the book writes it."""
    if unit in TEXT_UNITS:
        text = str(value)
        if unit == "date":
            return format_date(text)
        if unit == "month":
            return f"{dt.date.fromisoformat(text):%B %Y}"
        return text
    if isinstance(value, str) or isinstance(value, bool):
        raise ValueError(f"format_value: value is {value!r}; expected a number for unit {unit!r}")
    x = float(value)
    if unit in ("usd", "usd_per_month"):
        return format_usd(x)
    if unit in ("rate_annual", "ratio_percent"):
        return format_percent(x)
    if unit == "ratio_percent_whole":
        return format_percent(x, digits=0)
    if unit == "signed_percent":
        text = format_percent(x)
        return "plus " + text if x > 0 else text
    if unit == "months_1":
        return f"{x:,.1f}"
    if unit == "decline_words":
        return describe_decline(x)
    if unit == "premium_words":
        if x == 0:
            return "at par"
        amount = format_percent(abs(x))
        return f"{indefinite_article(amount)} {amount} {'premium' if x > 0 else 'discount'}"
    if unit == "step_words":
        return describe_step(x)
    if unit == "usd_per_gpu_hour":
        return format_usd(x) + "/GPU-hour"
    if unit == "threshold_usd_per_gpu_hour":
        return "never (leaving does not pay at any price)" if x < 0 else format_usd(x) + "/GPU-hour"
    if unit == "usd_per_pflop_hour":
        return format_usd(x) + "/PFLOP-hour"
    if unit == "count_round":
        return format_count(x)
    if unit == "mw":
        return f"{x:,.0f} MW"
    if unit == "kw":
        return f"{x:,.0f} kW"
    if unit == "decimal":
        return f"{x:.2f}"
    if unit == "multiple_2":
        return f"{x:.2f}×"
    if unit == "crossover_payback":
        return "not within the term" if int(x) < 0 else f"month {int(x)}"
    if unit == "crossover":
        return "never within the term" if int(x) < 0 else f"month {int(x)}"
    if unit == "multiple":
        return format_multiple(x)
    if unit in ("months", "days", "count"):
        return f"{int(x):,d}" if x == int(x) else f"{x:,.1f}"
    raise ValueError(f"format_value: unit is {unit!r}; expected a unit the book formats")


UNIT_WORDS: dict[str, tuple[str, str]] = {"months": ("month", "months"), "days": ("day", "days"), "years": ("year", "years")}
"""Units written out after a number in tables (singular, plural)."""


def format_with_unit(value: float | int | str, unit: str) -> str:
    """``format_value`` with the unit written out where the number alone would leave it unsaid: '3 months', '90 days'."""
    if unit in UNIT_WORDS and not isinstance(value, str):
        one, many = UNIT_WORDS[unit]
        text = format_value(value, "months" if unit == "years" else unit)
        return f"{text} {one if float(value) == 1 else many}"
    if unit == "months_1" and not isinstance(value, str):
        return f"{format_value(value, unit)} months"
    return format_value(value, unit)


def indefinite_article(number_text: str) -> str:
    """'a' or 'an' before a number as it is read aloud: 'an 8.2%', 'an 11%', 'an 18.5%', 'an 84%', but 'a 25%'."""
    whole = number_text.replace(",", "").split(".")[0].lstrip("$")
    digits = "".join(ch for ch in whole if ch.isdigit())
    if not digits:
        return "a"
    spoken_eight = digits.startswith("8")
    eleven_or_eighteen = len(digits) % 3 == 2 and digits[:2] in ("11", "18")
    return "an" if spoken_eight or eleven_or_eighteen else "a"


def describe_decline(annual_decline: float) -> str:
    """An annual decline in words: 0.15 -> 'falling 15% a year'; -0.10 -> 'rising 10% a year'."""
    if not isinstance(annual_decline, (int, float)) or not math.isfinite(annual_decline):
        raise ValueError(f"describe_decline: value is {annual_decline!r}; expected a finite number")
    if annual_decline == 0:
        return "flat"
    verb = "falling" if annual_decline > 0 else "rising"
    digits = 0 if round(abs(annual_decline) * 100, 6) == round(abs(annual_decline) * 100) else 1
    return f"{verb} {format_percent(abs(annual_decline), digits=digits)} a year"


def describe_step(fall: float) -> str:
    """A one-off change in price in words: 0.13 -> 'a fall of 13%'; -0.092 -> 'a rise of 9.2%'; 0 -> 'no change'."""
    if not isinstance(fall, (int, float)) or not math.isfinite(fall):
        raise ValueError(f"describe_step: value is {fall!r}; expected a finite number")
    if fall == 0:
        return "no change"
    digits = 0 if round(abs(fall) * 100, 6) == round(abs(fall) * 100) else 1
    return f"a {'fall' if fall > 0 else 'rise'} of {format_percent(abs(fall), digits=digits)}"


_PERCENT_UNITS = ("rate_annual", "ratio_percent", "ratio_percent_whole", "signed_percent", "decline_words", "premium_words",
                  "step_words")
_USD_UNITS = ("usd", "usd_per_month", "usd_per_gpu_hour", "usd_per_pflop_hour")
"""Units whose changes are told in dollars (a threshold of −1, 'never', is compared as text)."""
_NUMBER_UNITS = {"months": "months", "months_1": "months", "days": "days", "count": "", "count_round": "", "mw": "MW",
                 "kw": "kW", "decimal": "", "multiple": "×", "multiple_2": "×", "crossover_payback": "months",
                 "crossover": "months"}


UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset(_PERCENT_UNITS), frozenset({"usd", "usd_per_month"}), frozenset({"months", "months_1"}),
    frozenset({"count", "count_round"}), frozenset({"multiple", "multiple_2"}))
"""Units that measure the same quantity on the same scale and differ only in how the book writes it."""


def same_scale(old_unit: str, new_unit: str) -> bool:
    """Whether values in ``old_unit`` and ``new_unit`` can be compared as numbers (same unit, or one family)."""
    return old_unit == new_unit or any(old_unit in f and new_unit in f for f in UNIT_FAMILIES)


def format_change(old: float | int | str, new: float | int | str, old_unit: str, new_unit: str) -> str:
    """How far a key figure moved, in words: 'up $0.47B (24.4%)', 'down 1.2 percentage points', 'up 3.1 months'.

    Units of one family (a share written as a percentage or in words) compare as numbers; a change to a different
    quantity, of text or of a date is described as such; signs are words, never '+' or '-'.
    """
    if not same_scale(old_unit, new_unit):
        return "now measured in a different unit"
    old_unit = new_unit
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    if not numeric or old_unit in ("text", "date", "month"):
        return "changed"
    a, b = float(old), float(new)
    if old_unit in ("crossover_payback", "crossover") and (a < 0 or b < 0):
        return "changed"
    delta = b - a
    if delta == 0:
        return "unchanged"
    direction = "up" if delta > 0 else "down"
    if old_unit in _USD_UNITS:
        amount = format_usd(abs(delta)) + {"usd_per_gpu_hour": "/GPU-hour", "usd_per_pflop_hour": "/PFLOP-hour"}.get(old_unit, "")
        relative = f" ({abs(delta / a) * 100:.1f}%)" if a != 0 else ""
        return f"{direction} {amount}{relative}"
    if old_unit in _PERCENT_UNITS:
        points = abs(delta) * 100
        amount = ("less than 0.01" if points < 0.01 else f"{points:.1f}" if points >= 0.1 else f"{points:.2f}")
        if old_unit == "decline_words":  # the value is a rate of decline: say which way the decline moved
            return f"{amount} percentage points {'more' if delta > 0 else 'less'} decline a year"
        return f"{direction} {amount} percentage points"
    suffix = _NUMBER_UNITS.get(old_unit, "")
    magnitude = f"{abs(delta):,.0f}" if abs(delta) >= 100 or abs(delta) == round(abs(delta)) else f"{abs(delta):,.2f}".rstrip("0").rstrip(".")
    if suffix == "×":
        return f"{direction} {abs(delta):.2f}×"
    return f"{direction} {magnitude}{' ' + suffix if suffix else ''}"


PROPER_NOUNS: tuple[str, ...] = ("Reflection", "SpaceX", "NVIDIA", "GB300", "Rubin", "Colossus", "Microsoft", "Anthropic", "Google", "xAI")
"""Words that keep their capital letter inside a sentence."""


def word_list(items: Sequence[str], separator: str = ", ", last: str = " and ") -> str:
    """Items as a sentence lists them: 'a, b and c' (or with ``separator='; '`` and ``last='; and '``)."""
    items = list(items)
    return items[0] if len(items) == 1 else separator.join(items[:-1]) + last + items[-1]


def in_sentence(description: str) -> str:
    """A register description as it reads inside a sentence: first letter lower-cased unless it starts a proper noun
    or an acronym, trailing full stop dropped ('What Reflection pays…' -> 'what Reflection pays…')."""
    text = description.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if not text or first.startswith(PROPER_NOUNS) or (len(first) > 1 and first[1].isupper()):
        return text
    return text[0].lower() + text[1:]
