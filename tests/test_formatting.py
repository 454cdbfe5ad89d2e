"""The book's number formats."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.formatting import format_date, format_multiple, format_percent, format_usd, format_value


@pytest.mark.parametrize(
    ("value", "text"),
    [(6.3e9, "$6.30B"), (150e6, "$150M"), (881.4e6, "$881M"), (12.5e6, "$12.5M"), (45e6, "$45M"),
     (25_000, "$25.0k"), (9_250, "$9,250"), (4.1, "$4.10"), (-2.5e9, "-$2.50B"), (0, "$0.00")],
)
def test_format_usd(value, text):
    assert format_usd(value) == text


def test_compact_usd_for_axis_ticks():
    assert [format_usd(x, compact=True) for x in (6e9, 1.5e9, 150e6)] == ["$6B", "$1.5B", "$150M"]


def test_other_formats():
    assert format_percent(0.11) == "11.0%"
    assert format_multiple(7.0) == "7.0×"
    assert format_date(dt.date(2026, 7, 1)) == "1 July 2026"
    assert format_value("2029-06-01", "month") == "June 2029"
    assert format_value(36.0, "count") == "36"
    assert format_value(36.5, "count") == "36.5"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "150", None])
def test_bad_values_are_rejected(bad):
    with pytest.raises(ValueError, match="expected a finite number"):
        format_usd(bad)


def test_unknown_unit_is_rejected():
    with pytest.raises(ValueError, match="unit is 'furlongs'"):
        format_value(1.0, "furlongs")
