"""The contract's payment schedule, its termination clause and what each end date is worth.

Conventions: one payment a calendar month, on the first day of the month, month 1 being the month of
the start date. A notice period in days is turned into whole billing months by rounding up (a partial
month of notice is billed as a full month), with a month of 365/12 days. Notice may be served at the end
of any month j >= ``notice_earliest_month`` and ends the contract after ``notice_period_months`` more
payments (never inside the lock-in, never past the term). ``pv_by_month[m-1]`` is the present value of
the first m payments, so a contract whose last paid month is m is worth ``pv_by_month[m-1]``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..conventions import DAYS_PER_MONTH, MONTHS_PER_YEAR
from ..validate import InputError, require_finite, require_positive, require_whole


def term_months(start_date: dt.date, end_date: dt.date) -> int:
    """Number of monthly payments from ``start_date``'s month through ``end_date``'s month, inclusive."""
    if not isinstance(start_date, dt.date) or not isinstance(end_date, dt.date):
        raise InputError("term_months", "start_date/end_date", (start_date, end_date), "two datetime.date values")
    if end_date < start_date:
        raise InputError("term_months", "end_date", end_date.isoformat(), f"a date on or after {start_date.isoformat()}")
    return (end_date.year - start_date.year) * MONTHS_PER_YEAR + end_date.month - start_date.month + 1


def last_payment_date(start_date: dt.date, months: int) -> dt.date:
    """First day of the month of the last of ``months`` monthly payments starting in ``start_date``'s month."""
    n = require_whole("months", months, where="last_payment_date", minimum=1)
    index = start_date.year * MONTHS_PER_YEAR + start_date.month - 1 + n - 1
    return dt.date(index // MONTHS_PER_YEAR, index % MONTHS_PER_YEAR + 1, 1)


def notice_months(notice_days: int) -> int:
    """Whole billing months a notice of ``notice_days`` days keeps the contract running (rounded up)."""
    days = require_whole("notice_days", notice_days, where="notice_months", minimum=0)
    # Round before ceil so that 91.25 days (three average months) is three months, not four.
    return math.ceil(round(days / DAYS_PER_MONTH, 9))


def payment_dates(start_date: dt.date, months: int, timing_months: float = 0.0) -> list[dt.date]:
    """Dates of ``months`` monthly payments: the first of each month, or of the next month when paid in arrears.

    ``timing_months`` is 0 (in advance: paid on the first day of the month served) or 1 (in arrears).
    """
    n = require_whole("months", months, where="payment_dates", minimum=1)
    if timing_months not in (0, 1, 0.0, 1.0):
        raise InputError("payment_dates", "timing_months", timing_months, "0 (in advance) or 1 (in arrears)")
    first = start_date.year * MONTHS_PER_YEAR + start_date.month - 1 + int(timing_months)
    return [dt.date((first + k) // MONTHS_PER_YEAR, (first + k) % MONTHS_PER_YEAR + 1, 1) for k in range(n)]


def monthly_amounts(monthly_payment_usd: float, months: int, ramp_months: int = 0, ramp_fee_share: float = 1.0) -> np.ndarray:
    """Payment in each month of the term: ``ramp_fee_share`` of the fee in the first ``ramp_months``, the full fee after.

    With no ramp (the default) every month pays the full fee.
    """
    amount = float(require_positive("monthly_payment_usd", monthly_payment_usd, where="monthly_amounts"))
    n = require_whole("months", months, where="monthly_amounts", minimum=1)
    ramp = require_whole("ramp_months", ramp_months, where="monthly_amounts", minimum=0)
    if ramp > n:
        raise InputError("monthly_amounts", "ramp_months", ramp, f"at most the term ({n} months)")
    share = float(require_positive("ramp_fee_share", ramp_fee_share, where="monthly_amounts", allow_zero=True))
    if share > 1:
        raise InputError("monthly_amounts", "ramp_fee_share", share, "a share in [0, 1]")
    amounts = np.full(n, amount)
    amounts[:ramp] *= share
    return amounts


@dataclass(frozen=True)
class Schedule:
    """The contract's payments, one per month of the term: the month served, the payment date and the amount (USD).

    The single source of the payment schedule: the headline, the committed minimum, the present-value
    tables and every chapter derive from it.
    """

    service_months: tuple[dt.date, ...]  # first day of each month served
    payment_dates: tuple[dt.date, ...]
    amounts_usd: np.ndarray

    @property
    def months(self) -> int:
        """Number of monthly payments if the contract runs to term."""
        return len(self.amounts_usd)

    @property
    def cumulative_usd(self) -> np.ndarray:
        """Cumulative payments after each month 1..T (undiscounted)."""
        return np.cumsum(self.amounts_usd)

    @property
    def headline_usd(self) -> float:
        """Every payment to term, undiscounted (the contract's headline value)."""
        return float(self.amounts_usd.sum())

    def paid_through_usd(self, month: int) -> float:
        """Payments in months 1..``month`` (undiscounted); 0 for month 0."""
        m = require_whole("month", month, where="Schedule.paid_through_usd", minimum=0)
        if m > self.months:
            raise InputError("Schedule.paid_through_usd", "month", m, f"a month in 0..{self.months}")
        return float(self.amounts_usd[:m].sum())

    def frame(self) -> pd.DataFrame:
        """One row a month: number (1-based), month served, payment date, payment and cumulative total in USD."""
        return pd.DataFrame({
            "month": np.arange(1, self.months + 1),
            "date": pd.to_datetime(list(self.service_months)),
            "payment_date": pd.to_datetime(list(self.payment_dates)),
            "payment_usd": self.amounts_usd,
            "cumulative_usd": self.cumulative_usd,
        })


def schedule(monthly_payment_usd: float, start_date: dt.date, end_date: dt.date, timing_months: float = 0.0,
             ramp_months: int = 0, ramp_fee_share: float = 1.0) -> Schedule:
    """The payment schedule from ``start_date``'s month through ``end_date``'s month.

    Payments fall on the first of the month served (``timing_months`` = 0, in advance) or of the next month
    (1, in arrears); the first ``ramp_months`` pay ``ramp_fee_share`` of the fee.
    """
    months = term_months(start_date, end_date)
    served = payment_dates(start_date, months, 0)
    return Schedule(tuple(served), tuple(payment_dates(start_date, months, timing_months)),
                    monthly_amounts(monthly_payment_usd, months, ramp_months, ramp_fee_share))


@dataclass(frozen=True)
class Clause:
    """The termination clause in whole months."""

    term_months: int
    lock_in_months: int
    notice_period_months: int
    notice_earliest_month: int

    def __post_init__(self) -> None:
        for name in ("term_months", "lock_in_months", "notice_period_months", "notice_earliest_month"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise InputError("Clause", name, value, "a whole number of months >= 0")
        if self.term_months < 1:
            raise InputError("Clause", "term_months", self.term_months, "at least one month")

    @property
    def committed_months(self) -> int:
        """Months paid even if notice is served at the first opportunity."""
        return int(min(max(self.lock_in_months, self.notice_earliest_month + self.notice_period_months), self.term_months))

    def end_month(self, notice_month: int | np.ndarray) -> np.ndarray:
        """Last paid month for notice served at the end of month ``notice_month``."""
        j = np.asarray(notice_month)
        return np.minimum(np.maximum(self.lock_in_months, j + self.notice_period_months), self.term_months)


def _pv_table(pv_by_month: np.ndarray, clause: Clause) -> np.ndarray:
    table = require_finite("pv_by_month", pv_by_month, where="contract")
    if table.ndim != 1 or table.size != clause.term_months:
        raise InputError("contract", "pv_by_month", table.shape, f"one cumulative PV per month of the term ({clause.term_months})")
    return table


def revenue_by_month(monthly_payment_usd: float | np.ndarray, term_months: int) -> np.ndarray:
    """Cumulative revenue after each month 1..T: a flat fee (scalar) or the month-by-month amounts (T,)."""
    amounts = require_finite("monthly_payment_usd", monthly_payment_usd, where="revenue_by_month")
    if amounts.ndim == 0:
        amounts = np.full(term_months, float(amounts))
    if amounts.shape != (term_months,):
        raise InputError("revenue_by_month", "monthly_payment_usd", amounts.shape, f"a scalar or one amount per month ({term_months})")
    return np.cumsum(amounts)


def scenario_values(pv_by_month: np.ndarray, monthly_payment_usd: float | np.ndarray, clause: Clause,
                    end_months: np.ndarray) -> dict[str, np.ndarray]:
    """Months paid, revenue and PV when the contract's last paid month is each of ``end_months`` (clipped to the clause).

    ``monthly_payment_usd`` is a flat fee or the month-by-month amounts (with a ramp).
    """
    table = _pv_table(pv_by_month, clause)
    months = np.clip(np.asarray(end_months, dtype=int), clause.committed_months, clause.term_months)
    revenue = revenue_by_month(monthly_payment_usd, clause.term_months)
    return {"months": months, "revenue_usd": revenue[months - 1], "pv_usd": table[months - 1]}


def end_month_distribution(end_month: np.ndarray, term_months: int) -> np.ndarray:
    """Probability that the last paid month is m, for m = 0..term_months (0: nothing paid, a default in month 1);
    sums to one."""
    ends = np.asarray(end_month)
    if ends.size == 0 or np.any((ends < 0) | (ends > term_months)):
        raise InputError("end_month_distribution", "end_month", "out of range", f"months in 0..{term_months}")
    return np.bincount(ends, minlength=term_months + 1) / ends.size


def expected_pv_by_rate(end_probabilities: np.ndarray, pv_tables: np.ndarray) -> np.ndarray:
    """Expected PV at each of K discount rates: Σ_m P(end = m) × PV of the first m payments at that rate.

    ``end_probabilities`` is over last paid months 0..T (``end_month_distribution``); ``pv_tables`` has shape (K, T).
    The end months are held fixed across rates: exact when decisions do not depend on the rate (the myopic rule,
    default), an approximation for the optimal rule, whose decisions were taken at the base rate.
    """
    probs = require_finite("end_probabilities", end_probabilities, where="expected_pv_by_rate")
    if not np.isclose(probs.sum(), 1.0):
        raise InputError("expected_pv_by_rate", "end_probabilities", float(probs.sum()), "probabilities summing to 1")
    tables = require_finite("pv_tables", pv_tables, where="expected_pv_by_rate")
    if probs.shape != (tables.shape[-1] + 1,):
        raise InputError("expected_pv_by_rate", "end_probabilities", probs.shape, f"one probability per last paid month 0..{tables.shape[-1]}")
    return tables @ probs[1:]
