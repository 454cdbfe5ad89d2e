"""Price by age: the profile recovers a known slope and step, and says "not identified" when the data cannot tell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analysis.conventions import DAYS_PER_YEAR
from analysis.core import age, trends
from analysis.validate import InputError

REF = dt.date(2026, 7, 1)
LAUNCHES = {"A100": dt.date(2020, 5, 14), "H100": dt.date(2022, 10, 1), "H200": dt.date(2024, 4, 1), "B200": dt.date(2024, 10, 1)}
ARCH = {"A100": "Ampere", "H100": "Hopper", "H200": "Hopper", "B200": "Blackwell"}
ORDER = ("Ampere", "Hopper", "Blackwell", "Rubin")
SUCCESSORS = {"A100": dt.date(2022, 10, 1), "H100": dt.date(2024, 10, 1), "H200": dt.date(2024, 10, 1)}
RULE = trends.IdentificationRule(confidence=0.90, min_groups=2, min_span_years=1.0, max_width=0.30)


def _prices(slope: float, step: float, noise: float, seed: int = 11, per_gen: int = 40) -> pd.DataFrame:
    """log p = level(gpu) + kind effect + slope × age + log(1 − step) once the successor is available (+ noise)."""
    rng = np.random.default_rng(seed)
    rows = []
    for gpu, level in (("A100", math.log(1.5)), ("H100", math.log(3.0)), ("H200", math.log(3.5))):
        for kind, effect in (("on_demand_list", 0.0), ("spot", -0.5)):
            first = max(LAUNCHES[gpu], dt.date(2021, 1, 1))
            for days in np.linspace(30, (REF - first).days, per_gen).round():
                date = pd.Timestamp(first) + pd.Timedelta(days=days)
                years = (date.date() - LAUNCHES[gpu]).days / DAYS_PER_YEAR
                after = date.date() >= SUCCESSORS[gpu]
                price = math.exp(level + effect + slope * years + (math.log1p(-step) if after else 0.0) + rng.normal(0, noise))
                rows.append({"date": date, "usd_per_gpu_hour": price, "gpu": gpu, "price_kind": kind, "term_months": None,
                             "provider_tier": "neocloud"})
    return pd.DataFrame(rows)


def test_successor_is_the_next_architectures_first_part():
    dates = age.successor_dates(ARCH, LAUNCHES, ORDER)
    assert dates == {"A100": dt.date(2022, 10, 1), "H100": dt.date(2024, 10, 1), "H200": dt.date(2024, 10, 1)}
    with pytest.raises(InputError, match="architecture"):
        age.successor_dates({**ARCH, "X1": "Volta"}, LAUNCHES, ORDER)


def test_profile_recovers_a_known_slope_and_step_without_noise():
    fit = age.age_profile(_prices(math.log(0.9), 0.25, 0.0), LAUNCHES, SUCCESSORS, REF, RULE)
    assert fit.trend.annual_decline == pytest.approx(0.10, abs=1e-9)
    assert fit.step.share == pytest.approx(0.25, abs=1e-9)
    assert fit.step.generations_spanning == 3
    # The fitted price of a generation is its level, kind effect, slope and step.
    on = dt.date(2025, 7, 1)
    years = (on - LAUNCHES["H100"]).days / DAYS_PER_YEAR
    assert fit.predict_usd_per_gpu_hour("H100", "spot", "neocloud", on) == pytest.approx(3.0 * math.exp(-0.5) * 0.9**years * 0.75)


def test_with_noise_the_intervals_cover_the_truth_and_a_real_fall_is_identified():
    fit = age.age_profile(_prices(math.log(0.8), 0.30, 0.03, per_gen=60), LAUNCHES, SUCCESSORS, REF,
                          dataclasses.replace(RULE, confidence=0.99))
    lo, hi = fit.trend.decline_interval
    slo, shi = fit.step.interval
    assert lo < 0.20 < hi and slo < 0.30 < shi
    assert fit.trend.identified and fit.step.identified


def test_a_flat_noisy_record_is_no_trend_identified():
    fit = age.age_profile(_prices(0.0, 0.0, 0.25), LAUNCHES, SUCCESSORS, REF, RULE)
    lo, hi = fit.trend.decline_interval
    assert lo < 0 < hi
    assert not fit.trend.identified and fit.trend.identification == "no trend identified"
    assert "includes no change" in fit.trend.reason
    assert not fit.step.identified and "includes no change" in fit.step.reason


def test_relative_prices_divide_out_everything_but_age_step_and_noise():
    data = _prices(math.log(0.9), 0.25, 0.0)
    fit = age.age_profile(data, LAUNCHES, SUCCESSORS, REF, RULE)
    points = age.relative_prices(fit, data)
    expected = np.exp(fit.trend.slope_per_year * points["age_years"] + np.where(points["after"], math.log(0.75), 0.0))
    assert np.allclose(points["relative_price"], expected)


def test_by_kind_fits_each_group_or_says_why_not():
    data = _prices(math.log(0.9), 0.25, 0.0)
    table = age.profile_by_kind(data, LAUNCHES, SUCCESSORS, REF, RULE,
                                (("On-demand", ("on_demand_list",)), ("Spot", ("spot",)), ("Reserved", ("reserved (12 months or less)",))),
                                min_obs=12)
    rows = table.set_index("kinds")
    assert rows.loc["On-demand", "annual_decline"] == pytest.approx(0.10, abs=1e-9)
    assert rows.loc["Spot", "step_share"] == pytest.approx(0.25, abs=1e-9)
    assert rows.loc["Reserved", "reason"] == "not fitted: 0 prices (fewer than 12)"


def test_bad_input_is_named():
    data = _prices(0.0, 0.0, 0.1)
    with pytest.raises(InputError, match="generations with a launch date"):
        age.age_profile(data, {"H100": LAUNCHES["H100"]}, SUCCESSORS, REF, RULE)
    early = data.assign(date=pd.Timestamp("2019-01-01"))
    with pytest.raises(InputError, match="on or after their generation's first availability"):
        age.age_profile(early, LAUNCHES, SUCCESSORS, REF, RULE)
    with pytest.raises(InputError, match="usd_per_gpu_hour"):
        age.age_profile(data.assign(usd_per_gpu_hour=-1.0), LAUNCHES, SUCCESSORS, REF, RULE)
    with pytest.raises(InputError, match="columns"):
        age.age_profile(data.drop(columns="provider_tier"), LAUNCHES, SUCCESSORS, REF, RULE)


def test_a_group_with_one_price_says_one_price():
    data = _prices(math.log(0.9), 0.25, 0.0)
    one = data[data["price_kind"] == "spot"].head(1).assign(price_kind="reserved (12 months or less)")
    table = age.profile_by_kind(pd.concat([data, one], ignore_index=True), LAUNCHES, SUCCESSORS, REF, RULE,
                                (("Reserved", ("reserved (12 months or less)",)),), min_obs=12)
    assert table.set_index("kinds").loc["Reserved", "reason"] == "not fitted: 1 price (fewer than 12)"
