"""Capex build-up, depreciation, TCO and the seller's cash flows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import capex, finance


def test_capex_components_add_up():
    parts = capex.capex_per_gpu_usd(3.6e6, 72, 0.15, 10e6, 136 / 72)
    assert float(parts["it_usd"]) == pytest.approx(50_000)
    assert float(parts["network_storage_usd"]) == pytest.approx(7_500)
    assert float(parts["facility_usd"]) == pytest.approx(10e6 * (136 / 72) / 1000)  # $/MW × MW per GPU
    assert float(parts["total_usd"]) == pytest.approx(sum(float(parts[k]) for k in ("it_usd", "network_storage_usd", "facility_usd")))


def test_capex_is_vectorized():
    racks = np.array([3.0e6, 3.7e6, 5.0e6])
    vector = capex.capex_per_gpu_usd(racks, 72, 0.15, 8e6, 1.9)["total_usd"]
    loop = [float(capex.capex_per_gpu_usd(r, 72, 0.15, 8e6, 1.9)["total_usd"]) for r in racks]
    assert vector.tolist() == pytest.approx(loop)


@settings(max_examples=40)
@given(st.floats(1e3, 1e9), st.floats(0.5, 8.0), st.floats(0.0, 0.9))
def test_depreciation_sums_to_capex_less_residual(cost, life, residual_share):
    schedule = capex.straight_line_depreciation(cost, life, cost * residual_share, months=int(np.ceil(life * 12)) + 6)
    assert schedule.sum() == pytest.approx(cost * (1 - residual_share), rel=1e-9)
    assert np.all(schedule >= 0)


def test_depreciation_stops_at_the_end_of_life():
    schedule = capex.straight_line_depreciation(1200.0, 1.0, 0.0, months=24)
    assert schedule[:12].tolist() == pytest.approx([100.0] * 12) and not schedule[12:].any()


def test_book_value():
    assert float(capex.book_value_usd(100.0, 5.0, 2.5)) == pytest.approx(50.0)
    assert float(capex.book_value_usd(100.0, 5.0, 7.0)) == 0.0


def test_capital_recovery_factor():
    # A 1,000 loan over 3 years at 10 % is repaid by 402.11 a year (annuity formula).
    assert float(capex.capital_recovery_factor(0.10, 3)) * 1000 == pytest.approx(402.1148, abs=1e-4)
    assert float(capex.capital_recovery_factor(0.0, 4)) == pytest.approx(0.25)
    # The annuity repays the loan: PV of the payments at the rate equals 1.
    crf = float(capex.capital_recovery_factor(0.08, 5))
    assert float(finance.npv(0.08, np.full(5, crf), timing="arrears")) == pytest.approx(1.0)


def _tco(**kw):
    base = dict(it_capex_usd=55_000.0, facility_capex_usd=15_000.0, gpu_life_years=5.0, facility_life_years=15.0,
                cost_of_capital=0.10, it_kw_per_gpu=1.9, pue=1.15, electricity_usd_per_kwh=0.07, opex_share_per_year=0.03,
                utilization=0.9)
    base.update(kw)
    return capex.tco_usd_per_gpu_hour(**base)


def test_tco_components():
    out = _tco(utilization=1.0)
    assert float(out["power"]) == pytest.approx(1.9 * 1.15 * 0.07)
    assert float(out["other_opex"]) == pytest.approx(70_000 * 0.03 / 8760)
    # The IT is recovered over the GPUs' life and the building over its own, as in the seller's cash flows.
    annual = 55_000 * float(capex.capital_recovery_factor(0.10, 5)) + 15_000 * float(capex.capital_recovery_factor(0.10, 15))
    assert float(out["capital"]) == pytest.approx(annual / 8760)
    assert float(out["capital"]) < 70_000 * float(capex.capital_recovery_factor(0.10, 5)) / 8760


def test_tco_rises_with_cost_of_capital_and_falls_with_utilization():
    rates = np.linspace(0.0, 0.2, 9)
    assert np.all(np.diff(_tco(cost_of_capital=rates)["total"]) > 0)
    utils = np.linspace(0.3, 1.0, 8)
    assert np.all(np.diff(_tco(utilization=utils)["total"]) < 0)


@pytest.mark.parametrize(("kw", "field"), [({"pue": 0.9}, "pue"), ({"utilization": 1.2}, "utilization"),
                                          ({"it_capex_usd": -1.0}, "it_capex_usd"), ({"cost_of_capital": -1.0}, "rate")])
def test_tco_rejects_bad_input(kw, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        _tco(**kw)


def test_seller_cash_flows_and_payback_agree():
    relet = np.full(42, 50.0)
    flows = capex.seller_cash_flows(1000.0, 150.0, np.array([6, 42]), 42, relet, 20.0, 100.0)
    assert flows.shape == (2, 43)
    assert flows[0, 0] == -1000.0 and flows[0, 6] == 130.0 and flows[0, 7] == 30.0
    assert flows[1, -1] == 130.0 + 100.0
    pay = capex.payback_month(flows)
    cumulative = np.cumsum(flows, axis=1)
    for row, month in zip(cumulative, pay, strict=True):
        if month == capex.NEVER:
            assert np.all(row < 0)
        else:
            assert row[month] >= 0 and np.all(row[:month] < 0)
    assert pay[1] == 8  # -1000 + 8 × 130 = 40 >= 0 at month 8, -90 at month 7


def test_seller_cash_flows_reject_bad_input():
    with pytest.raises(ValueError, match="field 'end_month'"):
        capex.seller_cash_flows(1000.0, 150.0, 50, 42, np.zeros(42), 20.0, 0.0)
    with pytest.raises(ValueError, match="field 'relet_monthly_usd'"):
        capex.seller_cash_flows(1000.0, 150.0, 6, 42, np.zeros(10), 20.0, 0.0)


def test_relet_revenue():
    assert float(capex.relet_revenue_usd(1000, np.array([2.0]), 0.5)[0]) == pytest.approx(1000 * 2.0 * 730 * 0.5)
