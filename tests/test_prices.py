"""Price processes: the level path, the random walk and the mean-reverting process against their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.core import prices


def test_level_path_declines_and_steps():
    path = prices.level_path(math.log(5.0), 0.20, 24, step_share=0.25, step_month=12)
    assert math.exp(path[0]) == pytest.approx(5.0)
    assert math.exp(path[11]) == pytest.approx(5.0 * 0.8 ** (11 / 12))
    assert math.exp(path[12]) == pytest.approx(5.0 * 0.8 * 0.75)
    assert math.exp(path[24]) == pytest.approx(5.0 * 0.64 * 0.75)


@pytest.mark.parametrize(("kwargs", "field"), [({"annual_decline": 1.0}, "annual_decline"), ({"step_share": 1.0}, "step_share"),
                                               ({"months": 0}, "months"), ({"step_share": 0.1, "step_month": -1}, "step_month")])
def test_level_path_rejects_bad_input(kwargs, field):
    base = {"start_log_level": 0.0, "annual_decline": 0.1, "months": 12}
    with pytest.raises(ValueError, match=f"field '{field}'"):
        prices.level_path(**{**base, **kwargs})


def test_random_walk_moments_match_the_lognormal_closed_form():
    process = prices.random_walk(5.0, 0.15, 0.30, 24)
    y = process.simulate(np.random.default_rng(11), 200_000)
    price = np.exp(process.log_level[:, np.newaxis] + y)
    expected = process.expected_price(0, np.array([0.0]), np.array([12, 24]))[0]
    se = price[[12, 24]].std(axis=1) / np.sqrt(y.shape[1])
    assert np.all(np.abs(price[[12, 24]].mean(axis=1) - expected) < 4 * se)
    # The log price at one year has the annual volatility.
    assert np.std(y[12]) == pytest.approx(0.30, rel=0.01)


def test_mean_reversion_halves_a_gap_in_its_half_life_and_has_the_stationary_variance():
    process = prices.mean_reverting(6.0, 4.0, 0.0, 0.30, half_life_months=6, months=120)
    assert process.phi**6 == pytest.approx(0.5, rel=1e-12)
    assert process.median_path()[6] / 4.0 == pytest.approx((6.0 / 4.0) ** 0.5, rel=1e-12)
    kappa = math.log(2) / 0.5
    stationary = 0.30**2 / (2 * kappa)
    assert process.deviation_variance(np.array([10_000]))[0] == pytest.approx(stationary, rel=1e-9)
    y = process.simulate(np.random.default_rng(3), 100_000)
    assert np.var(y[-1]) == pytest.approx(stationary, rel=0.03)


def test_expected_price_conditions_on_the_deviation():
    process = prices.mean_reverting(5.0, 5.0, 0.10, 0.30, 12, 42)
    now = process.expected_price(10, np.array([0.2]), np.array([10]))[0, 0]
    assert now == pytest.approx(math.exp(process.log_level[10] + 0.2))
    later = process.expected_price(10, np.array([0.2]), np.array([22]))[0, 0]
    assert later == pytest.approx(math.exp(process.log_level[22] + 0.5 * 0.2 + 0.5 * process.deviation_variance(np.array([12]))[0]))
    with pytest.raises(ValueError, match="field 'months'"):
        process.expected_price(10, np.array([0.0]), np.array([5]))


def test_simulated_paths_do_not_depend_on_how_many_are_drawn():
    process = prices.random_walk(5.0, 0.1, 0.3, 12)
    few = process.simulate(np.random.default_rng(5), 10)
    many = process.simulate(np.random.default_rng(5), 1_000)
    assert np.array_equal(few, many[:, :10])
