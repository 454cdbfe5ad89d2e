"""The book's number formats."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from analysis.formatting import format_date, format_multiple, format_percent, format_usd, format_value


@pytest.mark.parametrize(
    ("value", "text"),
    [(6.3e9, "$6.30B"), (8e9, "$8.00B"), (25e9, "$25.0B"), (5.544e9, "$5.54B"), (12.73e9, "$12.7B"), (150e6, "$150M"),
     (881.4e6, "$881M"), (12.5e6, "$12.5M"), (45e6, "$45.0M"), (999.7e6, "$1.00B"), (25_000, "$25.0k"), (9_250, "$9.25k"),
     (51_400, "$51.4k"), (999.9, "$999.90"), (4.1, "$4.10"), (-2.5e9, "minus $2.50B"), (0, "$0.00")],
)
def test_format_usd(value, text):
    assert format_usd(value) == text


def test_compact_usd_for_axis_ticks():
    assert [format_usd(x, compact=True) for x in (6e9, 1.5e9, 150e6)] == ["$6B", "$1.5B", "$150M"]


def test_other_formats():
    assert format_percent(0.11) == "11.0%"
    assert format_percent(0.0) == "0%" and format_percent(0.0004) == "under 0.1%" and format_percent(0.0006) == "0.1%"
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


def test_bibliography_text_reads_as_characters_not_latex() -> None:
    from analysis.inputs.text import plain_text, plain_url

    assert plain_text("{Yields to 12.5\\% in \\$5B raise: Costs \\& Architecture (Meta--CoreWeave)}") == \
        "Yields to 12.5% in $5B raise: Costs & Architecture (Meta–CoreWeave)"
    assert plain_text("gpu\\_index\\_daily.csv --- a\n  note") == "gpu_index_daily.csv — a note"
    # URLs keep their double hyphens and braces-free text; only the escapes go.
    assert plain_url("https://x.net/a--b/Nebius\\%27-soars-60\\%25") == "https://x.net/a--b/Nebius%27-soars-60%25"


def test_units_are_written_out_where_a_table_would_leave_them_unsaid() -> None:
    from analysis.formatting import format_with_unit

    assert format_with_unit(3, "months") == "3 months"
    assert format_with_unit(1, "months") == "1 month"
    assert format_with_unit(90, "days") == "90 days"
    assert format_with_unit(6.61, "months_1") == "6.6 months"
    assert format_with_unit(5e9, "usd") == "$5.00B"  # money already says its unit


@pytest.mark.parametrize(("value", "unit", "se", "expected"), [
    (969.3e6, "usd", 3e6, "$969M"),  # 2 s.e. = $6M: the units of millions are supported
    (969.3e6, "usd", 1e7, "about $0.97B"),  # 2 s.e. = $20M: two figures, written so no third is implied
    (969.3e6, "usd", 6e7, "about $1B"),
    (2.558e9, "usd", 2.05e7, "$2.56B"),
    (96.9e6, "usd", 2e6, "about $97M"),
    (0.5626, "ratio_percent", 0.0016, "56.3%"),
    (0.5626, "ratio_percent", 0.006, "about 56%"),
    (0.538, "ratio_percent", 0.112, "about 50%"),  # ± 22 points: not even the units
    (0.053, "rate_annual", 0.004, "5.3%"),
    (6.99, "months_1", 0.02, "7.0"),
    (16.4, "months_1", 3.0, "about 16"),
    (969.3e6, "usd", None, "$969M"),  # an exact figure keeps the book's three figures
    (969.3e6, "usd", 0.0, "$969M"),
])
def test_a_simulated_figure_is_printed_to_the_digits_its_error_supports(value, unit, se, expected):
    assert format_value(value, unit, se) == expected


def test_the_precision_rule_never_prints_a_digit_finer_than_twice_the_error():
    from analysis.formatting import PRECISION_SE_MULTIPLE, supported_figures

    for value in (1.234e6, 9.87e8, 4.2e9):
        for se in (1e3, 3e5, 2e6, 8e7, 4e8):
            figures = supported_figures(value, se)
            place = 10 ** (int(np.floor(np.log10(value))) - figures + 1)  # the last printed digit's place
            assert place >= 10 ** np.floor(np.log10(PRECISION_SE_MULTIPLE * se)) or figures == 1


def test_every_amount_shows_three_significant_figures():
    # Issue 22: '$1.4B' beside '$1.16B' (and '$1B') in one table. One rule: every amount from $1k up is written with
    # exactly three significant figures, trailing zeros included, so figures side by side show the same precision.
    rng = np.random.default_rng(22)
    for value in np.concatenate([10 ** rng.uniform(3, 11, 2000), [1e3, 6.3e9, 8e9, 1.4e9, 999.96e6, 100e6, 10e9]]):
        text = format_usd(float(value))
        digits = re.sub(r"[^0-9]", "", text)
        assert len(digits.lstrip("0")) == 3, (value, text)
        assert float(re.sub(r"[^0-9.]", "", text)) * {"k": 1e3, "M": 1e6, "B": 1e9}[text[-1]] == pytest.approx(value, rel=0.006)
