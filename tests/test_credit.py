"""The funding-runway credit model: cash at the start, refinancing dates, survival, hazard and default draws,
checked against hand calculations and against the closed form they feed."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core import credit
from analysis.validate import InputError


def test_runway_is_cash_left_over_spend_per_month():
    # $2.0B raised, 6 months at $50M before the start: $1.7B left; spend $50M + $150M a month: 8.5 months.
    r = credit.runway(2.0e9, 6, 50e6, 150e6)
    assert r.cash_at_start_usd == pytest.approx(1.7e9)
    assert r.monthly_spend_usd == pytest.approx(200e6)
    assert r.months == pytest.approx(8.5)
    assert credit.runway(1e8, 12, 50e6, 150e6).months == 0.0  # spent before the start: no runway, not a negative one


def test_refinancing_dates_round_up_to_payment_months():
    # Cash runs out during month 6 (5.5 months), then every 12 months: months 6, 18, 30 and 42 of a 42-month term.
    assert credit.refinancing_months(5.5, 12, 42).tolist() == [6, 18, 30, 42]
    assert credit.refinancing_months(0.0, 12, 42).tolist() == [1, 12, 24, 36]  # out of cash at once: raise in month 1
    assert credit.refinancing_months(50.0, 12, 42).tolist() == []


def test_survival_without_risk_is_one_and_background_compounds_annually():
    months = np.arange(1, 43)
    assert np.array_equal(credit.survival(42, np.array([100.0]), np.array([1.0]), 12, 0.3, 0.0), np.ones(42))
    s = credit.survival(42, np.array([100.0]), np.array([1.0]), 12, 0.3, 0.10)
    assert s[11] == pytest.approx(0.90)  # a 10% annual rate leaves 90% after twelve months
    assert s == pytest.approx(0.9 ** (months / 12))


def test_each_refinancing_can_fail_and_the_cases_mix_by_weight():
    # Runway 10 months, then every 12: a failed raise stops the payment of month 10, then of months 22 and 34.
    s = credit.survival(42, np.array([10.0]), np.array([1.0]), 12, 0.25, 0.0)
    assert np.all(s[:9] == 1.0)
    assert s[9] == pytest.approx(0.75) and s[21] == pytest.approx(0.75**2) and s[33] == pytest.approx(0.75**3)
    # Two cases (10 months, 30 months), weighted 40/60: in month 10 only the first case has had to raise.
    mixed = credit.survival(42, np.array([10.0, 30.0]), np.array([0.4, 0.6]), 12, 0.25, 0.0)
    assert mixed[9] == pytest.approx(0.4 * 0.75 + 0.6)
    assert mixed[29] == pytest.approx(0.4 * 0.75**2 + 0.6 * 0.75)  # case one has raised twice (10, 22), case two once


def test_hazard_recovers_a_constant_monthly_rate():
    s = 0.98 ** np.arange(1, 43)
    assert credit.monthly_hazard(s) == pytest.approx(np.full(42, 0.02))
    assert credit.monthly_hazard(np.array([1.0, 0.0, 0.0])).tolist() == [0.0, 1.0, 1.0]  # no division by zero


def test_default_draws_follow_the_survival_curve():
    s = credit.survival(42, np.array([8.0, 20.0]), np.array([0.5, 0.5]), 12, 0.4, 0.05)
    n = 200_000
    months = credit.draw_default_months(np.random.default_rng(7), s, n)
    assert months.min() >= 1 and months.max() <= 43
    empirical = np.array([np.mean(months > m) for m in range(1, 43)])  # still paying in month m
    se = np.sqrt(s * (1 - s) / n)
    assert np.all(np.abs(empirical - s) <= 5 * se + 1e-12)
    again = credit.draw_default_months(np.random.default_rng(7), s, n)
    assert np.array_equal(months, again)


def test_simulated_pv_matches_the_closed_form():
    # E[PV] = sum_m PV_m S_m: the closed form the cash-flow chapter quotes, against its simulation.
    s = credit.survival(42, np.array([9.0, 21.0]), np.array([0.4, 0.6]), 12, 0.3, 0.08)
    pv_by_payment = 150e6 * 1.08 ** (-np.arange(42) / 12)
    months = credit.draw_default_months(np.random.default_rng(11), s, 100_000)
    paid = np.concatenate([[0.0], np.cumsum(pv_by_payment)])[months - 1]  # payments 1..default-1
    closed = float(pv_by_payment @ s)
    assert abs(paid.mean() - closed) <= 4 * paid.std() / np.sqrt(len(paid))


@pytest.mark.parametrize(("call", "field"), [
    (lambda: credit.runway(-1.0, 0, 1, 1), "raised_usd"),
    (lambda: credit.runway(1.0, 0, 1, 0), "monthly_payment_usd"),
    (lambda: credit.refinancing_months(1.0, 0.0, 42), "months_per_raise"),
    (lambda: credit.survival(42, np.array([1.0, 2.0]), np.array([0.5, 0.6]), 12, 0.2, 0.0), "weights"),
    (lambda: credit.survival(42, np.array([1.0]), np.array([1.0]), 12, 1.2, 0.0), "raise_failure"),
    (lambda: credit.survival(42, np.array([1.0]), np.array([1.0]), 12, 0.2, float("nan")), "background_annual"),
    (lambda: credit.draw_default_months(np.random.default_rng(1), np.array([0.9, 0.95]), 10), "survival_by_month"),
    (lambda: credit.draw_default_months(np.random.default_rng(1), np.array([0.9, 0.8]), 0), "n_paths"),
    (lambda: credit.draw_default_months(1, np.array([0.9, 0.8]), 10), "rng"),
])
def test_bad_input_names_the_field(call, field):
    with pytest.raises(InputError, match=field):
        call()
