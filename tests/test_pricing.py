"""Implied capacity, price normalisation, the decline fit and the contract-against-market path."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.core import pricing

REF = dt.date(2026, 7, 1)


def test_hours_in_a_month():
    assert pricing.HOURS_PER_MONTH == 730.0  # 8,760 hours a year / 12


def test_implied_gpus_matches_the_identity():
    # GPUs = 150e6 / (730 × price) at full billing.
    assert float(pricing.implied_gpus(150e6, 5.0)) == pytest.approx(150e6 / (730 * 5.0))
    assert float(pricing.implied_gpus(150e6, 5.0, 0.5)) == pytest.approx(2 * 150e6 / (730 * 5.0))


@given(st.floats(1e6, 1e10), st.floats(0.5, 50.0), st.floats(0.05, 1.0))
def test_implied_price_inverts_implied_gpus(payment, price, util):
    gpus = pricing.implied_gpus(payment, price, util)
    assert float(pricing.implied_price_usd_per_gpu_hour(payment, gpus, util)) == pytest.approx(price, rel=1e-12)


def test_racks_and_megawatts_units():
    assert float(pricing.implied_racks(720, 72)) == 10.0
    # One 72-GPU rack at 136 kW is 0.136 MW, not 136.
    assert float(pricing.implied_it_mw(72, 72, 136.0)) == pytest.approx(0.136)


def test_implied_gpus_is_vectorized():
    prices = np.array([3.0, 5.0, 7.25])
    vector = pricing.implied_gpus(150e6, prices)
    assert vector.tolist() == pytest.approx([float(pricing.implied_gpus(150e6, p)) for p in prices])


@pytest.mark.parametrize(
    ("args", "field"),
    [((150e6, 0.0), "price_usd_per_gpu_hour"), ((150e6, -5.0), "price_usd_per_gpu_hour"), ((np.nan, 5.0), "monthly_payment_usd"),
     ((150e6, 5.0, 1.2), "billed_utilization"), ((150e6, 5.0, 0.0), "billed_utilization"), ((150e6, "five"), "price_usd_per_gpu_hour")],
)
def test_implied_gpus_rejects_bad_input(args, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        pricing.implied_gpus(*args)


def test_published_trend_conversions():
    assert float(pricing.annual_decline_from_doubling(1.0)) == pytest.approx(0.5)
    assert float(pricing.annual_decline_from_doubling(2.07)) == pytest.approx(1 - 2 ** (-1 / 2.07))
    assert float(pricing.annualized_change(-0.22, 9)) == pytest.approx(0.78 ** (12 / 9) - 1)
    assert float(pricing.annualized_change(0.10, 12)) == pytest.approx(0.10)


def test_contract_premium_sign():
    assert float(pricing.contract_premium(5.0, np.array([4.0]))[0]) == pytest.approx(0.25)
    assert float(pricing.contract_premium(4.0, np.array([5.0]))[0]) == pytest.approx(-0.2)


def test_performance_adjustment():
    assert float(pricing.price_per_pflop_hour(5.0, 2500.0)) == pytest.approx(2.0)


def test_comparable_prices_are_derived_or_explained():
    deals = pd.DataFrame({
        "deal_id": ["a", "b", "c"], "monthly_value_usd": [np.nan, 1.25e9, np.nan],
        "total_value_usd": [17.4e9, np.nan, 9.7e9], "term_months": [60.0, 37.0, 60.0], "gpu_count": [100_000.0, 325_000.0, np.nan],
    })
    out = pricing.comparable_implied_prices(deals).set_index("deal_id")
    assert out.loc["a", "usd_per_gpu_hour"] == pytest.approx(17.4e9 / 60 / (730 * 100_000))
    assert out.loc["b", "usd_per_gpu_hour"] == pytest.approx(1.25e9 / (730 * 325_000))
    assert np.isnan(out.loc["c", "usd_per_gpu_hour"]) and "GPU count not disclosed" in out.loc["c", "basis"]


def test_a_reading_dated_to_the_year_only_is_shown_without_a_day(results):
    # Issue 22: Ornn's undated 2026 page appeared in the index table as '01 Jul 2026', a date no source gives.
    from analysis.present.pricing_tables import index_table, reading_date

    assert reading_date(pd.Timestamp("2026-07-01"), "weakly dated: year only ('in 2026'), set to 07-01") == "2026 (year only)"
    assert reading_date(pd.Timestamp("2026-05-13"), "CCIR reference rate") == "13 May 2026"
    table = index_table(results.market.index_readings)
    readings = results.market.index_readings.set_index("provider")
    for provider, date in table["Date"].items():
        notes = readings.loc[[provider], "note"].astype(str).str.lower()
        assert ("year only" in date) == notes.str.contains("year only").any(), (provider, date)
    assert table["Date"].str.contains("year only").any()  # the Ornn readings that set the level
