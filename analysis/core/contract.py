"""The contract's payment schedule and what its termination clause commits.

Conventions: one payment a calendar month, on the first day of the month, month 1 being the month of
the start date. A notice period in days is turned into whole billing months by rounding up (a partial
month of notice is billed as a full month), with a month of 365/12 days.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..conventions import DAYS_PER_MONTH
from ..validate import InputError, require_positive, require_whole


def term_months(start_date: dt.date, end_date: dt.date) -> int:
    """Number of monthly payments from ``start_date``'s month through ``end_date``'s month, inclusive."""
    if not isinstance(start_date, dt.date) or not isinstance(end_date, dt.date):
        raise InputError("term_months", "start_date/end_date", (start_date, end_date), "two datetime.date values")
    if end_date < start_date:
        raise InputError("term_months", "end_date", end_date.isoformat(), f"a date on or after {start_date.isoformat()}")
    return (end_date.year - start_date.year) * 12 + end_date.month - start_date.month + 1


def last_payment_date(start_date: dt.date, months: int) -> dt.date:
    """First day of the month of the last of ``months`` monthly payments starting in ``start_date``'s month."""
    n = require_whole("months", months, where="last_payment_date", minimum=1)
    index = start_date.year * 12 + start_date.month - 1 + n - 1
    return dt.date(index // 12, index % 12 + 1, 1)


def notice_months(notice_days: int) -> int:
    """Whole billing months a notice of ``notice_days`` days keeps the contract running (rounded up)."""
    days = require_whole("notice_days", notice_days, where="notice_months", minimum=0)
    # Round before ceil so that 91.25 days (three average months) is three months, not four.
    return math.ceil(round(days / DAYS_PER_MONTH, 9))


def committed_months(
    lock_in_months: int | np.ndarray,
    notice_period_months: int | np.ndarray,
    notice_earliest_month: int | np.ndarray,
    term_months: int | np.ndarray,
) -> np.ndarray:
    """Months of payments neither side can avoid: the earliest effective end under the termination clause.

    Notice may first be served at the end of month ``notice_earliest_month`` (0 = from day one, i.e.
    during the lock-in; ``lock_in_months`` = only once the lock-in has passed). The contract then ends
    ``notice_period_months`` later, but never before the lock-in ends nor after the term. Vectorized:
    arrays broadcast against each other.
    """
    lock_in = np.asarray(lock_in_months)
    notice = np.asarray(notice_period_months)
    earliest = np.asarray(notice_earliest_month)
    term = np.asarray(term_months)
    for name, arr in (("lock_in_months", lock_in), ("notice_period_months", notice),
                      ("notice_earliest_month", earliest), ("term_months", term)):
        require_positive(name, arr, where="committed_months", allow_zero=True)
        if np.any(arr != np.round(arr)):
            raise InputError("committed_months", name, arr.tolist(), "whole numbers of months")
    return np.minimum(np.maximum(lock_in, earliest + notice), term).astype(int)


def end_month_after_notice(
    notice_month: int | np.ndarray, lock_in_months: int, notice_period_months: int, term_months: int
) -> np.ndarray:
    """Last paid month when notice is served at the end of month ``notice_month`` (1-based months).

    The contract runs ``notice_period_months`` past the notice, never ends inside the lock-in and never
    runs past the term. Vectorized over ``notice_month``.
    """
    j = np.asarray(notice_month)
    if np.any(j < 0) or np.any(j != np.round(j)):
        raise InputError("end_month_after_notice", "notice_month", j.tolist(), "whole months >= 0")
    return np.minimum(np.maximum(lock_in_months, j + notice_period_months), term_months).astype(int)


def payment_dates(start_date: dt.date, months: int, timing_months: float = 0.0) -> list[dt.date]:
    """Dates of ``months`` monthly payments: the first of each month, or of the next month when paid in arrears.

    ``timing_months`` is 0 (in advance: paid on the first day of the month served) or 1 (in arrears).
    """
    n = require_whole("months", months, where="payment_dates", minimum=1)
    if timing_months not in (0, 1, 0.0, 1.0):
        raise InputError("payment_dates", "timing_months", timing_months, "0 (in advance) or 1 (in arrears)")
    first = start_date.year * 12 + start_date.month - 1 + int(timing_months)
    return [dt.date((first + k) // 12, (first + k) % 12 + 1, 1) for k in range(n)]


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
