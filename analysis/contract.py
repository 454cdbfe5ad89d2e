"""The contract's payment schedule and what its termination clause commits.

Conventions: one payment a calendar month, on the first day of the month, month 1 being the month of
the start date. A notice period in days is turned into whole billing months by rounding up (a partial
month of notice is billed as a full month), with a month of 365/12 days.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from .validate import InputError, require_positive, require_whole

DAYS_PER_MONTH: float = 365.0 / 12.0
"""Average days in a month on an Actual/365 year."""


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


def payment_schedule(monthly_payment_usd: float, start_date: dt.date, months: int) -> pd.DataFrame:
    """Monthly payments: one row a month with its number (1-based), date, payment and cumulative total in USD."""
    amount = float(require_positive("monthly_payment_usd", monthly_payment_usd, where="payment_schedule"))
    n = require_whole("months", months, where="payment_schedule", minimum=1)
    if not isinstance(start_date, dt.date):
        raise InputError("payment_schedule", "start_date", start_date, "a datetime.date")
    first = dt.date(start_date.year, start_date.month, 1)
    dates = pd.date_range(first, periods=n, freq="MS")
    payments = np.full(n, amount)
    return pd.DataFrame(
        {
            "month": np.arange(1, n + 1),
            "date": dates,
            "payment_usd": payments,
            "cumulative_usd": np.cumsum(payments),
        }
    )


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
