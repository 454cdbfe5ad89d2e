"""The level of GB300 capacity: ratios of paired quotes, carrying prices to GB300 NVL72, delivery ramps, and the
evidence tables built from the shipped data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analysis.core import levels
from analysis.methods import METHODS
from analysis.models import evidence
from analysis.validate import InputError

TFLOPS = {"B200": 2250.0, "GB200": 2500.0, "H100": 989.0}


def test_pair_ratios_per_gpu_hour_and_per_pflop():
    prices = pd.DataFrame({"gpu": ["GB200", "B200", "H100", "H100"], "usd_per_gpu_hour": [10.5, 8.6, 5.4, 12.3],
                           "term_months": [None, None, 36, None]}, index=["D1", "C1", "A1", "A2"])
    pairs = pd.DataFrame({"pair_id": ["rack", "term"], "numerator_obs": ["D1", "A1"], "denominator_obs": ["C1", "A2"]})
    out = levels.pair_ratios(pairs, prices, TFLOPS).set_index("pair_id")
    assert out.loc["rack", "ratio_per_gpu_hour"] == pytest.approx(10.5 / 8.6)
    assert out.loc["rack", "ratio_per_pflop"] == pytest.approx(10.5 / 8.6 / (2500 / 2250))
    assert out.loc["term", "ratio_per_pflop"] == pytest.approx(5.4 / 12.3) and out.loc["term", "numerator_term_months"] == 36
    with pytest.raises(InputError, match="obs_id"):
        levels.pair_ratios(pairs.assign(denominator_obs=["C9", "A2"]), prices, TFLOPS)


def test_gb300_equivalent_multiplies_throughput_and_rack_premium():
    assert levels.gb300_equivalent_usd_per_gpu_hour(5.0, 2500 / 2250, 1.08) == pytest.approx(5.0 * 2500 / 2250 * 1.08)
    with pytest.raises(InputError, match="throughput_ratio"):
        levels.gb300_equivalent_usd_per_gpu_hour(5.0, 0.0, 1.0)


def test_billed_gpu_hours_shorten_later_tranches():
    # 1,000 GPUs for the full 12 months and 2,000 from month 6 (1 July of a year starting 1 January): 12 000 + 12 000
    # GPU-months, by the Actual/365 month count of the delay (181 days = 5.951 months).
    tranches = pd.DataFrame({"start_date": pd.to_datetime(["2026-01-01", "2026-07-01"]), "gpu_count": [1000, 2000]})
    delay = 181 / 365 * 12
    expected = (1000 * 12 + 2000 * (12 - delay)) * 730
    assert levels.billed_gpu_hours(tranches, dt.date(2026, 1, 1), 12) == pytest.approx(expected)
    price = levels.ramp_adjusted_usd_per_gpu_hour(1e8, tranches, 12)
    assert price == pytest.approx(1e8 / expected)
    assert price > 1e8 / (3000 * 12 * 730)  # dividing by the final GPU count understates the price
    with pytest.raises(InputError, match="start_date"):
        levels.billed_gpu_hours(tranches, dt.date(2026, 1, 1), 3)


def test_index_levels_take_one_market_wide_reading_per_series(inputs):
    readings = evidence.index_levels(inputs, dt.date(2026, 7, 1), METHODS, 1.1)
    setting = readings[readings["sets_level"] == "yes"]
    assert setting["series"].is_unique and (setting["provider_tier"] == "market").all()
    # Every series that has a market-wide reading sets the level with the reading nearest the start.
    for series, group in readings[readings["provider_tier"] == "market"].groupby("series"):
        chosen = group[group["sets_level"] == "yes"]
        assert len(chosen) == 1 and chosen["days_from_start"].iloc[0] == group["days_from_start"].min(), series
    # An 8-GPU board carries the rack premium; a rack-scale part does not.
    board = readings[readings["gpu"] == "B200"].iloc[0]
    assert board["gb300_usd_per_gpu_hour"] == pytest.approx(board["usd_per_gpu_hour"] * 2500 / 2250 * 1.1)
    rack = readings[readings["gpu"].isin(["GB200", "GB300"])]
    assert np.allclose(rack["gb300_usd_per_gpu_hour"], rack["usd_per_gpu_hour"])
    level = evidence.flexible_level(readings)
    assert level["base"] == pytest.approx(float(setting["gb300_usd_per_gpu_hour"].median()))
    assert level["low"] <= level["base"] <= level["high"]


def test_rack_premium_is_the_median_of_the_rack_pairs(inputs):
    pairs = evidence.pairs(inputs)
    rack = pairs[pairs["comparison"] == "rack_scale"]
    assert evidence.rack_premium_per_pflop(pairs) == pytest.approx(float(rack["ratio_per_pflop"].median()))
    with pytest.raises(InputError, match="rack_scale"):
        evidence.rack_premium_per_pflop(pairs[pairs["comparison"] == "term"])


def test_comparables_with_a_single_tranche_keep_their_price(inputs):
    deals = evidence.comparable_contracts(inputs).set_index("deal_id")
    narvik = deals.loc["nscale_aker_narvik"]
    assert narvik["ramp_usd_per_gpu_hour"] == pytest.approx(narvik["usd_per_gpu_hour"])
    assert narvik["usd_per_pflop_hour"] == pytest.approx(narvik["usd_per_gpu_hour"] / 2.5)
    assert "tranche sizes not disclosed" in deals.loc["nebius_microsoft", "ramp_basis"]


def test_tenant_fleet_weights_gpus_by_throughput(inputs):
    deals = evidence.comparable_contracts(inputs)
    tenants = evidence.tenant_fleets(inputs, deals).set_index("deal_id")
    anthropic = tenants.loc["spacex_anthropic"]
    fleet = inputs.tenant_fleets[inputs.tenant_fleets["deal_id"] == "spacex_anthropic"]
    counts = fleet["gpu_count"].fillna(anthropic["gpus"] - fleet["gpu_count"].sum()).to_numpy()
    spec = {g: inputs.spec(g, "bf16_dense_tflops") for g in fleet["gpu"]}
    mean = float(np.sum(counts * np.array([spec[g] for g in fleet["gpu"]])) / counts.sum())
    assert anthropic["mean_tflops"] == pytest.approx(mean)
    assert anthropic["gb300_usd_per_gpu_hour"] == pytest.approx(anthropic["usd_per_gpu_hour"] / mean * 2500)
    assert np.isnan(tenants.loc["spacex_google", "usd_per_pflop_hour"])
