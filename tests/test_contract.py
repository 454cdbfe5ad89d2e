"""The payment schedule and the termination clause's committed minimum."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analysis.core import contract


def test_term_months_counts_calendar_months_inclusive():
    # July-December 2026 is 6 months, then three full years: 6 + 36 = 42.
    assert contract.term_months(dt.date(2026, 7, 1), dt.date(2029, 12, 31)) == 42
    assert contract.term_months(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 12
    assert contract.term_months(dt.date(2026, 7, 1), dt.date(2026, 7, 31)) == 1


def test_term_months_rejects_end_before_start():
    with pytest.raises(ValueError, match="field 'end_date'"):
        contract.term_months(dt.date(2026, 7, 1), dt.date(2026, 6, 30))
    with pytest.raises(ValueError, match="datetime.date"):
        contract.term_months("2026-07-01", dt.date(2026, 6, 30))


@pytest.mark.parametrize(("days", "months"), [(0, 0), (1, 1), (30, 1), (31, 2), (90, 3), (91, 3), (92, 4), (365, 12)])
def test_notice_months_rounds_partial_months_up(days, months):
    # An average month is 365/12 = 30.42 days: 31 days is just over one month, 91 just under three, 92 just over.
    assert contract.notice_months(days) == months


@pytest.mark.parametrize("bad", [-1, 2.5, float("nan"), "90", True])
def test_notice_months_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="field 'notice_days'"):
        contract.notice_months(bad)


def test_schedule_dates_amounts_and_totals():
    sched = contract.schedule(150e6, dt.date(2026, 7, 1), dt.date(2029, 12, 31))
    frame = sched.frame()
    assert sched.months == len(frame) == 42
    assert frame["date"].iloc[0] == np.datetime64("2026-07-01") and frame["date"].iloc[-1] == np.datetime64("2029-12-01")
    assert (frame["date"].dt.day == 1).all() and (frame["payment_date"] == frame["date"]).all()
    assert sched.headline_usd == pytest.approx(42 * 150e6) and sched.paid_through_usd(6) == pytest.approx(6 * 150e6)
    assert np.all(np.diff(sched.cumulative_usd) == 150e6) and sched.paid_through_usd(0) == 0.0
    arrears = contract.schedule(150e6, dt.date(2026, 7, 1), dt.date(2029, 12, 31), timing_months=1)
    assert arrears.payment_dates[0] == dt.date(2026, 8, 1) and arrears.service_months[0] == dt.date(2026, 7, 1)


def test_schedule_with_a_ramp_pays_less_in_the_first_months():
    sched = contract.schedule(150e6, dt.date(2026, 7, 1), dt.date(2029, 12, 31), ramp_months=3, ramp_fee_share=0.5)
    assert sched.amounts_usd[:3].tolist() == [75e6] * 3 and sched.amounts_usd[3:].tolist() == [150e6] * 39
    assert sched.headline_usd == pytest.approx(42 * 150e6 - 3 * 75e6)
    assert sched.paid_through_usd(6) == pytest.approx(3 * 75e6 + 3 * 150e6)


@pytest.mark.parametrize(("payment", "end", "field"), [(-1.0, dt.date(2029, 12, 31), "monthly_payment_usd"),
                                                       (np.nan, dt.date(2029, 12, 31), "monthly_payment_usd"),
                                                       (150e6, dt.date(2026, 6, 1), "end_date")])
def test_schedule_rejects_bad_input(payment, end, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        contract.schedule(payment, dt.date(2026, 7, 1), end)
    with pytest.raises(ValueError, match="field 'month'"):
        contract.schedule(150e6, dt.date(2026, 7, 1), dt.date(2029, 12, 31)).paid_through_usd(43)


def test_last_payment_date():
    assert contract.last_payment_date(dt.date(2026, 7, 1), 36) == dt.date(2029, 6, 1)
    assert contract.last_payment_date(dt.date(2026, 7, 1), 42) == dt.date(2029, 12, 1)
    assert contract.last_payment_date(dt.date(2026, 12, 1), 1) == dt.date(2026, 12, 1)


def test_monthly_amounts_with_and_without_a_ramp():
    assert contract.monthly_amounts(150e6, 42).tolist() == [150e6] * 42
    ramped = contract.monthly_amounts(150e6, 42, ramp_months=2, ramp_fee_share=0.5)
    assert ramped[:2].tolist() == [75e6, 75e6] and ramped[2:].tolist() == [150e6] * 40
    assert ramped.sum() == pytest.approx(42 * 150e6 - 150e6)


@pytest.mark.parametrize(("kwargs", "field"), [({"ramp_months": 43}, "ramp_months"), ({"ramp_months": -1}, "ramp_months"),
                                               ({"ramp_fee_share": 1.5}, "ramp_fee_share"), ({"ramp_months": 1.5}, "ramp_months")])
def test_monthly_amounts_rejects_bad_input(kwargs, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        contract.monthly_amounts(150e6, 42, **kwargs)


def test_deal_figures_agree_with_the_cash_flow_model_under_a_ramp(tmp_path):
    # One payment schedule: with a three-month ramp at half the fee, the headline and the committed minimum the
    # deal chapter quotes are the sums the cash-flow model discounts (not 42 x the full fee).
    from analysis.inputs import load_inputs
    from analysis.keyfigures import key_figures
    from analysis.results import compute

    whatif = tmp_path / "ramp.csv"
    whatif.write_text("id,unit,low,base,high,note\ndeal.ramp_months,months,0,3,3,test ramp\n"
                      "deal.ramp_fee_share,ratio,0.5,0.5,0.5,half fee\n", encoding="utf-8")
    results = compute(load_inputs(overrides=whatif), with_sensitivity=False)
    figures = key_figures(results)
    amounts = results.cash.amounts_usd
    assert figures.number("deal.headline_value_usd") == pytest.approx(amounts.sum()) == pytest.approx(39 * 150e6 + 3 * 75e6)
    committed = figures.number("deal.committed_months")
    assert figures.number("deal.committed_minimum_usd") == pytest.approx(amounts[: int(committed)].sum())
    # The present value to term discounts exactly those amounts.
    factors = np.diff(results.cash.pv_by_month, prepend=0.0) / amounts
    assert np.all(np.diff(factors) < 0)
    assert figures.number("cashflow.npv_full_term_usd") == pytest.approx(float(np.sum(amounts * factors)))
    assert figures.number("deal.headline_value_usd") < figures.number("deal.headline_value_reported_usd")
