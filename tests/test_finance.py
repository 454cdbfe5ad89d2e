"""Finance primitives: published worked examples, properties, agreement with reference libraries, bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy_financial as npf
import pytest
import pyxirr
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import finance

# Excel's XNPV/XIRR help example: -10,000 on 1 Jan 2008, then 2,750, 4,250, 3,250, 2,750.
EXCEL_DATES = [dt.date(2008, 1, 1), dt.date(2008, 3, 1), dt.date(2008, 10, 30), dt.date(2009, 2, 15), dt.date(2009, 4, 1)]
EXCEL_VALUES = [-10000.0, 2750.0, 4250.0, 3250.0, 2750.0]


def test_xnpv_excel_example():
    # Microsoft's WorksheetFunction.Xnpv page: discounted at 9 %, "2086.6476 or 2086.65".
    assert finance.xnpv(0.09, EXCEL_VALUES, EXCEL_DATES) == pytest.approx(2086.6476, abs=5e-5)


def test_xirr_excel_example():
    # Excel's XIRR help: =XIRR(values, dates, 0.1) returns 0.373362535 (37.34 %); Excel iterates only to
    # "within 0.000001 percent", so agreement is to 1e-8.
    assert finance.xirr(EXCEL_VALUES, EXCEL_DATES) == pytest.approx(0.373362535, abs=1e-8)


def test_xnpv_uses_actual_365_from_the_first_date():
    dates = [dt.date(2024, 1, 1), dt.date(2025, 1, 1)]  # 366 days: a leap year still counts as 366/365 years
    assert finance.xnpv(0.10, [0.0, 110.0], dates) == pytest.approx(110.0 / 1.10 ** (366 / 365))


def test_xnpv_rejects_a_date_before_the_first():
    # pyxirr would silently take the earliest date as t0; Excel returns #NUM!.
    with pytest.raises(ValueError, match="field 'dates'.*on or after the first date"):
        finance.xnpv(0.09, EXCEL_VALUES[::-1], EXCEL_DATES[::-1])


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: finance.xnpv(0.1, [1.0, np.nan], EXCEL_DATES[:2]), "values"),
        (lambda: finance.xnpv(0.1, [1.0, 2.0], EXCEL_DATES[:3]), "dates"),
        (lambda: finance.xnpv(-1.0, [1.0, 2.0], EXCEL_DATES[:2]), "rate"),
        (lambda: finance.xnpv(0.1, [1.0, 2.0], ["2020-01-01", "not a date"]), "dates"),
        (lambda: finance.xirr([1.0, 2.0, 3.0], EXCEL_DATES[:3]), "values"),
        (lambda: finance.xirr([-1.0, 2.0], [dt.date(2020, 1, 1)]), "dates"),
    ],
)
def test_dated_bad_input(call, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        call()


def test_dated_discount_factors_agree_with_xnpv():
    dates = EXCEL_DATES[1:]
    factors = finance.dated_discount_factors(0.09, dates, EXCEL_DATES[0])
    assert float(factors @ np.array(EXCEL_VALUES[1:])) + EXCEL_VALUES[0] == pytest.approx(finance.xnpv(0.09, EXCEL_VALUES, EXCEL_DATES))
    assert finance.dated_discount_factors(np.array([0.0, 0.1]), dates, EXCEL_DATES[0]).shape == (2, 4)


def test_npv_numpy_financial_and_excel_conventions():
    flows = np.array([-40000.0, 5000, 8000, 12000, 30000])
    # numpy-financial docstring: npv(0.08, ...) = 3065.22267 (first flow at t = 0).
    assert float(finance.npv(0.08, flows, timing="advance")) == pytest.approx(3065.22267, abs=1e-5)
    # pyxirr's Excel mode (start_from_zero=False): 2838.1691372.
    assert float(finance.npv(0.08, flows, timing="arrears")) == pytest.approx(2838.1691372, abs=1e-7)


def test_npv_two_dimensional_example():
    # numpy-financial (development docstring): rates [0, .05, .10] over two rows.
    out = finance.npv(np.array([0.0, 0.05, 0.10]), np.array([[-4000.0, 500, 800], [-5000, 600, 900]]))
    np.testing.assert_allclose(out, [[-2700, -3500], [-2798.19, -3612.24], [-2884.30, -3710.74]], atol=5e-3)


@settings(max_examples=50)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40))
def test_npv_at_rate_zero_is_the_sum(flows):
    arr = np.array(flows)
    assert float(finance.npv(0.0, arr)) == pytest.approx(arr.sum(), abs=1e-6)


@settings(max_examples=50)
@given(st.floats(-0.5, 1.0), st.floats(0.001, 0.5))
def test_npv_of_receipts_falls_as_the_rate_rises(rate, step):
    flows = np.full(24, 100.0)
    assert finance.npv(rate + step, flows, "arrears") < finance.npv(rate, flows, "arrears")


def test_vectorized_npv_equals_a_loop():
    rng = np.random.default_rng(42)
    flows, rates = rng.uniform(-100, 100, (6, 12)), np.array([0.0, 0.01, 0.05, 0.2])
    vector = finance.npv(rates, flows)
    np.testing.assert_allclose(vector, [[float(finance.npv(r, row)) for row in flows] for r in rates], rtol=1e-12)


def test_rate_conversions_round_trip():
    assert float(finance.annual_to_monthly(1.01**12 - 1)) == pytest.approx(0.01, rel=1e-12)
    assert float(finance.monthly_to_annual(finance.annual_to_monthly(0.11))) == pytest.approx(0.11, rel=1e-12)
    with pytest.raises(ValueError, match="field 'monthly'"):
        finance.monthly_to_annual(-1.0)


@pytest.mark.parametrize(
    ("flows", "guess", "expected", "tol"),
    [
        ([-70000, 12000, 15000, 18000, 21000, 26000], 0.1, 0.0866309480365, 1e-10),  # Excel IRR help: 8.7 %
        ([-70000, 12000, 15000, 18000, 21000], 0.1, -0.0212448483, 1e-9),  # Excel IRR help: -2.1 %
        ([-70000, 12000, 15000], -0.1, -0.4435069413, 1e-9),  # Excel IRR help, guess -10 %: -44.4 %
        ([-100, 39, 59, 55, 20], 0.1, 0.28095, 1e-5),  # numpy-financial docstring
        ([-250000, 100000, 150000, 200000, 250000, 300000], 0.1, 0.5672303344358536, 1e-10),  # numpy-financial README
    ],
)
def test_irr_published_examples(flows, guess, expected, tol):
    assert float(finance.irr(np.array(flows, dtype=float), guess=guess)) == pytest.approx(expected, abs=tol)


def test_irr_is_nan_only_where_no_root_exists():
    out = finance.irr(np.array([[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0], [-100.0, 110.0, 0.0]]))
    assert np.isnan(out[0]) and np.isnan(out[1])
    assert out[2] == pytest.approx(0.10, abs=1e-10)


def test_vectorized_irr_matches_reference_libraries():
    rng = np.random.default_rng(7)
    flows = np.column_stack([-rng.uniform(500, 1500, 200), rng.uniform(20, 60, (200, 42))])
    vector = finance.irr(flows)
    np.testing.assert_allclose(vector, [npf.irr(row) for row in flows], atol=1e-10)
    np.testing.assert_allclose(vector, [pyxirr.irr(row.tolist()) for row in flows], atol=1e-10)
    # Property: NPV at the IRR is zero.
    np.testing.assert_allclose([float(finance.npv(r, row)) for r, row in zip(vector, flows, strict=True)], 0.0, atol=1e-6)


@pytest.mark.parametrize(
    ("flows", "field"),
    [(np.array([[1.0, np.nan]]), "cash_flows"), (np.array([[1.0]]), "cash_flows"), (np.array([]), "cash_flows")],
)
def test_irr_bad_input(flows, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        finance.irr(flows)


@pytest.mark.parametrize(("rate", "timing", "field"), [(-1.0, "advance", "rate"), (0.1, "sometime", "timing"), (np.nan, "advance", "rate")])
def test_npv_bad_input(rate, timing, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        finance.npv(rate, np.ones(3), timing=timing)


def test_bisection_fallback_agrees_with_newton():
    # The grid-and-bisection path (used where Newton fails) must find the same roots.
    rng = np.random.default_rng(3)
    flows = np.column_stack([-rng.uniform(500, 1500, 50), rng.uniform(20, 60, (50, 42))])
    np.testing.assert_allclose(finance._irr_bisect(flows, 0.1, 400, 1e-12), finance.irr(flows), atol=1e-10)


def test_newton_failure_falls_back():
    # From a guess of 5 (500 % a period) Newton overshoots below -100 % on this row; the fallback finds 10 %.
    flows = np.array([-100.0, 0, 0, 0, 0, 0, 0, 0, 0, 100 * 1.1**9])
    assert float(finance.irr(flows, guess=5.0)) == pytest.approx(0.10, abs=1e-10)
