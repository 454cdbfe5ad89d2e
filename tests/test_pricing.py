"""Implied capacity, price normalisation, the decline fit and the contract-against-market path."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.conventions import DAYS_PER_YEAR
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


def test_price_normalisation():
    out = pricing.price_per_gpu_hour(np.array([4.0, 49.24, 210240.0]), np.array(["gpu_hour", "instance_hour", "server_year"]),
                                     np.array([1, 8, 8]))
    assert out.tolist() == pytest.approx([4.0, 49.24 / 8, 210240 / (8 * 8760)])
    with pytest.raises(ValueError, match="field 'price_basis'"):
        pricing.price_per_gpu_hour(np.array([1.0]), np.array(["per_week"]), np.array([1]))


def _synthetic(slope: float, noise: float, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    levels = {"H100": np.log(3.0), "B200": np.log(5.0), "B300": np.log(6.0)}
    for gpu, level in levels.items():
        for kind, effect in (("on_demand", 0.0), ("reserved_1y", -0.4)):
            for days in np.linspace(-1096, 0, 12).round():
                years = days / DAYS_PER_YEAR  # the fit counts Actual/365 years between whole dates
                price = np.exp(level + effect + slope * years + rng.normal(0, noise))
                rows.append({"date": pd.Timestamp(REF) + pd.Timedelta(days=days), "usd_per_gpu_hour": price,
                             "gpu": gpu, "contract_type": kind, "provider_tier": "neocloud"})
    return pd.DataFrame(rows)


def test_fit_recovers_a_known_decline_exactly_without_noise():
    slope = math.log(1 - 0.20)  # prices fall 20 % a year
    fit = pricing.fit_price_decline(_synthetic(slope, noise=0.0), REF)
    assert fit.annual_decline == pytest.approx(0.20, abs=1e-6)
    assert float(fit.predict_usd_per_gpu_hour("B300", "reserved_1y", "neocloud", np.array([0.0]))[0]) == pytest.approx(6.0 * math.exp(-0.4), rel=1e-4)


def test_fit_interval_covers_the_truth_with_noise():
    slope = math.log(1 - 0.20)
    fit = pricing.fit_price_decline(_synthetic(slope, noise=0.10), REF, confidence=0.99)
    lo, hi = fit.decline_interval
    assert lo < 0.20 < hi
    assert hi - lo < 0.15  # 72 points over three years pin the slope down


def test_fit_is_deterministic():
    data = _synthetic(math.log(0.85), 0.1)
    a, b = pricing.fit_price_decline(data, REF), pricing.fit_price_decline(data.sample(frac=1.0, random_state=1), REF)
    assert a.annual_decline == pytest.approx(b.annual_decline, abs=1e-12)
    assert a.decline_interval == pytest.approx(b.decline_interval, abs=1e-12)


def test_fit_rejects_bad_input():
    data = _synthetic(math.log(0.85), 0.1)
    with pytest.raises(ValueError, match="field 'observations'"):
        pricing.fit_price_decline(data.drop(columns="gpu"), REF)
    with pytest.raises(ValueError, match="more observations than"):
        pricing.fit_price_decline(data.head(2), REF)
    with pytest.raises(ValueError, match="field 'usd_per_gpu_hour'"):
        pricing.fit_price_decline(data.assign(usd_per_gpu_hour=-1.0), REF)
    with pytest.raises(ValueError, match="field 'gpu'"):
        pricing.fit_price_decline(data, REF).predict_usd_per_gpu_hour("TPU", "on_demand", "neocloud", np.array([0.0]))


def test_decline_by_generation_skips_thin_generations():
    data = _synthetic(math.log(0.8), 0.0)
    thin = data[data["gpu"] == "B300"].tail(2)
    table = pricing.decline_by_generation(pd.concat([data[data["gpu"] != "B300"], thin]), REF)
    row = table.set_index("gpu").loc["B300"]
    assert np.isnan(row["annual_decline"]) and row["note"].startswith("not fitted")
    assert table.set_index("gpu").loc["H100", "annual_decline"] == pytest.approx(0.20, abs=1e-6)


def test_published_trend_conversions():
    assert float(pricing.annual_decline_from_doubling(1.0)) == pytest.approx(0.5)
    assert float(pricing.annual_decline_from_doubling(2.07)) == pytest.approx(1 - 2 ** (-1 / 2.07))
    assert float(pricing.annualized_change(-0.22, 9)) == pytest.approx(0.78 ** (12 / 9) - 1)
    assert float(pricing.annualized_change(0.10, 12)) == pytest.approx(0.10)


def test_market_path_values_and_shapes():
    path = pricing.market_price_path(10.0, 0.5, 25)
    assert path.shape == (25,)
    assert path[0] == 10.0 and path[12] == pytest.approx(5.0) and path[24] == pytest.approx(2.5)
    assert pricing.market_price_path(np.array([10.0, 8.0]), np.array([0.1, 0.2]), 5).shape == (2, 5)
    with pytest.raises(ValueError, match="field 'annual_decline'"):
        pricing.market_price_path(10.0, 1.0, 5)
    with pytest.raises(ValueError, match="field 'months'"):
        pricing.market_price_path(10.0, 0.1, 0)


def test_crossover_month_matches_the_closed_form():
    p0, d, k = 5.74, 0.15, 5.0
    # First whole month m with p0 (1-d)^(m/12) < k: m > 12 ln(k/p0) / ln(1-d).
    expected = math.floor(12 * math.log(k / p0) / math.log(1 - d)) + 1
    path = pricing.market_price_path(p0, d, 42)
    assert int(pricing.crossover_month(k, path)) == expected
    assert int(pricing.crossover_month(k, pricing.market_price_path(p0, -0.1, 42))) == pricing.NEVER
    assert int(pricing.crossover_month(6.0, path)) == 0  # already below at the start


def test_crossover_is_vectorized():
    declines = np.array([-0.1, 0.1, 0.2, 0.3])
    paths = pricing.market_price_path(np.full(4, 5.74), declines, 42)
    vector = pricing.crossover_month(5.0, paths)
    loop = [int(pricing.crossover_month(5.0, paths[i])) for i in range(4)]
    assert vector.tolist() == loop
    assert loop[0] == pricing.NEVER and loop[1] > loop[2] > loop[3] >= 0


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
