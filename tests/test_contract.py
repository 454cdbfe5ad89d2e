"""The payment schedule and the termination clause's committed minimum."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analysis import contract


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


def test_committed_months_under_both_readings():
    # Notice only after the 3-month lock-in, 3 months' notice: the earliest end is month 6.
    assert contract.committed_months(3, 3, 3, 42) == 6
    # Notice served on day one runs out with the lock-in: month 3.
    assert contract.committed_months(3, 3, 0, 42) == 3
    # A notice longer than the lock-in binds even when served on day one.
    assert contract.committed_months(3, 6, 0, 42) == 6
    # Never beyond the term.
    assert contract.committed_months(3, 3, 3, 4) == 4


def test_committed_months_is_vectorized():
    lock = np.array([0, 3, 3, 6])
    notice = np.array([3, 3, 3, 1])
    earliest = np.array([0, 3, 0, 0])
    vector = contract.committed_months(lock, notice, earliest, 42)
    loop = [int(contract.committed_months(a, b, c, 42)) for a, b, c in zip(lock, notice, earliest, strict=True)]
    assert vector.tolist() == loop == [3, 6, 3, 6]


@pytest.mark.parametrize("bad", [-1, 1.5, np.nan])
def test_committed_months_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="committed_months"):
        contract.committed_months(bad, 3, 3, 42)


def test_payment_schedule_dates_and_totals():
    schedule = contract.payment_schedule(150e6, dt.date(2026, 7, 1), 42)
    assert len(schedule) == 42
    assert schedule["date"].iloc[0] == np.datetime64("2026-07-01")
    assert schedule["date"].iloc[-1] == np.datetime64("2029-12-01")
    assert (schedule["date"].dt.day == 1).all()
    assert schedule["cumulative_usd"].iloc[-1] == pytest.approx(42 * 150e6)
    assert np.all(np.diff(schedule["cumulative_usd"]) == 150e6)


@pytest.mark.parametrize(("payment", "months"), [(-1.0, 42), (np.nan, 42), (150e6, 0), (150e6, 1.5)])
def test_payment_schedule_rejects_bad_input(payment, months):
    with pytest.raises(ValueError, match="payment_schedule"):
        contract.payment_schedule(payment, dt.date(2026, 7, 1), months)


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
