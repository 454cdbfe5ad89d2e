"""Price trends: the estimators recover known slopes, and the identification rule refuses what the data cannot say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analysis.conventions import DAYS_PER_YEAR
from analysis.core import trends

REF = dt.date(2026, 7, 1)
LAUNCHES = {"H100": dt.date(2022, 10, 1), "B200": dt.date(2024, 10, 1), "B300": dt.date(2025, 7, 1)}
PANEL = trends.IdentificationRule(confidence=0.90, min_groups=2, min_span_years=1.0, max_width=0.30)
REPEAT = trends.IdentificationRule(confidence=0.90, min_groups=3, min_span_years=0.5, max_width=0.30)


def _panel(slope: float, noise: float, seed: int = 7, per_gen: int = 12) -> pd.DataFrame:
    """Prices that follow log p = level(gpu) + kind effect + slope × years since launch (+ noise)."""
    rng = np.random.default_rng(seed)
    rows = []
    levels = {"H100": math.log(3.0), "B200": math.log(5.0), "B300": math.log(6.0)}
    for gpu, level in levels.items():
        for kind, effect, term in (("on_demand_list", 0.0, None), ("reserved", -0.4, 12)):
            first = max(LAUNCHES[gpu], dt.date(2023, 7, 1))
            for days in np.linspace(0, (REF - first).days, per_gen).round():
                date = pd.Timestamp(first) + pd.Timedelta(days=days)
                age = (date.date() - LAUNCHES[gpu]).days / DAYS_PER_YEAR
                price = math.exp(level + effect + slope * age + rng.normal(0, noise))
                rows.append({"date": date, "usd_per_gpu_hour": price, "gpu": gpu, "price_kind": kind, "term_months": term,
                             "provider_tier": "neocloud", "provider": f"p{int(days) % 3}",
                             "series_id": f"{gpu}_{kind}"})
    return pd.DataFrame(rows)


def test_years_between_counts_actual_365_years():
    assert trends.years_between(np.array(["2027-07-01"]), REF)[0] == pytest.approx(365 / 365)
    assert trends.years_between(np.array(["2026-01-01"]), REF)[0] == pytest.approx(-181 / 365)


def test_hedonic_recovers_a_known_slope_exactly_without_noise():
    fit = trends.hedonic_trend(_panel(math.log(0.8), 0.0), LAUNCHES, REF, PANEL)
    assert fit.trend.annual_decline == pytest.approx(0.20, abs=1e-9)
    # The reservation effect is recovered too: a one-year reservation costs e^-0.4 of on-demand.
    on_demand = fit.predict_usd_per_gpu_hour("B300", "on_demand_list", "neocloud", REF)
    reserved = fit.predict_usd_per_gpu_hour("B300", "reserved (12 months or less)", "neocloud", REF)
    assert reserved / on_demand == pytest.approx(math.exp(-0.4), rel=1e-9)
    age = (REF - LAUNCHES["B300"]).days / DAYS_PER_YEAR
    assert on_demand == pytest.approx(6.0 * 0.8**age, rel=1e-9)


def test_hedonic_interval_covers_the_truth_and_is_identified_with_enough_data():
    fit = trends.hedonic_trend(_panel(math.log(0.8), 0.05, per_gen=30), LAUNCHES, REF, dataclasses.replace(PANEL, confidence=0.99)).trend
    lo, hi = fit.decline_interval
    assert lo < 0.20 < hi and fit.identified, fit.reason


def test_repeat_prices_recover_a_known_slope_from_within_series_changes():
    data = _panel(math.log(0.9), 0.0)
    # Shift each series' level arbitrarily: only within-series changes may count.
    shift = {s: i * 0.3 for i, s in enumerate(sorted(data["series_id"].unique()))}
    data["usd_per_gpu_hour"] *= np.exp(data["series_id"].map(shift))
    fit = trends.repeat_price_trend(data, REF, REPEAT)
    assert fit.annual_decline == pytest.approx(0.10, abs=1e-9)


def test_noisy_thin_data_are_not_identified_and_say_why():
    data = _panel(math.log(0.8), 0.6, per_gen=3)
    fit = trends.repeat_price_trend(data, REF, REPEAT)
    assert not fit.identified
    assert "interval spans" in fit.reason or "moves the estimate" in fit.reason or "observed over" in fit.reason


def test_one_dominant_group_is_caught_by_leaving_it_out():
    # Flat prices everywhere except one series that falls steeply: the pooled slope is negative, but it rests on
    # that series alone, so the estimate is not identified.
    data = _panel(0.0, 0.0, per_gen=6)
    steep = data["series_id"] == "H100_on_demand_list"
    years = trends.years_between(data.loc[steep, "date"], REF)
    data.loc[steep, "usd_per_gpu_hour"] *= np.exp(2.0 * years)
    fit = trends.repeat_price_trend(data, REF, REPEAT)
    assert not fit.identified and "leaving one group out" in fit.reason


def test_term_kind_splits_reservations_by_term():
    kinds = trends.term_kind(np.array(["reserved", "reserved", "reserved", "spot"]), np.array([12, 60, np.nan, np.nan]))
    assert kinds.tolist() == ["reserved (12 months or less)", "reserved (over 12 months)", "reserved (term not stated)", "spot"]


def test_by_generation_publishes_intervals_only_where_identified():
    table = trends.trend_by_generation(_panel(math.log(0.8), 0.3, per_gen=4), LAUNCHES, REF, PANEL)
    unidentified = table[~table["identified"]]
    assert unidentified["ci_low"].isna().all() and unidentified["ci_high"].isna().all()
    assert (table["reason"] != "").all()


def test_bad_input_is_named():
    data = _panel(0.0, 0.0)
    with pytest.raises(ValueError, match="field 'observations'"):
        trends.hedonic_trend(data.drop(columns="gpu"), LAUNCHES, REF, PANEL)
    with pytest.raises(ValueError, match="field 'gpu'"):
        trends.hedonic_trend(data, {"H100": dt.date(2022, 10, 1)}, REF, PANEL)
    early = data.assign(date=pd.Timestamp("2020-01-01"))
    with pytest.raises(ValueError, match="field 'date'"):
        trends.hedonic_trend(early, LAUNCHES, REF, PANEL)
    with pytest.raises(ValueError, match="field 'observations'"):
        trends.repeat_price_trend(data.assign(series_id=None), REF, REPEAT)
    fit = trends.hedonic_trend(data, LAUNCHES, REF, PANEL)
    with pytest.raises(ValueError, match="field 'tier'"):
        fit.predict_usd_per_gpu_hour("B300", "on_demand_list", "hyperscaler", REF)
