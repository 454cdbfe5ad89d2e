"""Discounting: conventions, closed forms, properties and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import finance


def test_monthly_rate_compounds_to_the_annual_rate():
    assert finance.monthly_rate(1.01**12 - 1) == pytest.approx(0.01, rel=1e-12)
    assert finance.monthly_rate(0.0) == 0.0


def test_single_payment_one_year_out():
    assert float(finance.present_value_usd(np.array([110.0]), np.array([12.0]), 0.10)) == pytest.approx(100.0)


def test_annuity_due_matches_closed_form():
    # 42 payments of 150 at the start of each month: PV = P (1 - v^n) / (1 - v), v = 1 / (1 + i).
    i = 1.11 ** (1 / 12) - 1
    v = 1 / (1 + i)
    closed = 150.0 * (1 - v**42) / (1 - v)
    pv = finance.present_value_usd(np.full(42, 150.0), np.arange(42.0), 0.11)
    assert float(pv) == pytest.approx(closed, rel=1e-12)


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=50))
def test_rate_zero_gives_the_sum(amounts):
    arr = np.array(amounts)
    assert float(finance.present_value_usd(arr, np.arange(len(arr), dtype=float), 0.0)) == pytest.approx(arr.sum(), abs=1e-3)


@given(st.floats(-0.5, 1.0), st.floats(0.001, 0.5))
def test_present_value_falls_as_the_rate_rises(rate, step):
    amounts = np.full(24, 100.0)
    months = np.arange(1.0, 25.0)
    assert finance.present_value_usd(amounts, months, rate + step) < finance.present_value_usd(amounts, months, rate)


def test_vectorized_rates_and_rows_equal_a_loop():
    rng = np.random.default_rng(20260701)
    amounts = rng.uniform(-100, 100, size=(5, 12))
    months = np.arange(12.0)
    rates = np.array([0.0, 0.05, 0.11, 0.3])
    vector = finance.present_value_usd(amounts, months, rates)
    assert vector.shape == (4, 5)
    loop = [[float(finance.present_value_usd(row, months, r)) for row in amounts] for r in rates]
    np.testing.assert_allclose(vector, loop, rtol=1e-12)


def test_discount_factor_shapes():
    assert finance.discount_factors(0.1, np.arange(3.0)).shape == (3,)
    assert finance.discount_factors(np.array([0.1, 0.2]), np.arange(3.0)).shape == (2, 3)


@pytest.mark.parametrize(
    ("amounts", "months", "rate", "field"),
    [
        ([1.0, np.nan], [0.0, 1.0], 0.1, "amounts_usd"),
        ([1.0, 2.0], [0.0], 0.1, "months"),
        ([1.0], [-1.0], 0.1, "months"),
        ([1.0], [0.0], -1.0, "annual_rate"),
        ([1.0], [0.0], np.inf, "annual_rate"),
        ([], [], 0.1, "amounts_usd"),
        (["a"], [0.0], 0.1, "amounts_usd"),
    ],
)
def test_bad_input_names_the_field(amounts, months, rate, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        finance.present_value_usd(np.array(amounts, dtype=object), np.array(months, dtype=object), rate)
