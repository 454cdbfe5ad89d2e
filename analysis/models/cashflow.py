"""The contract's cash flows: the payment schedule, its present values by month and by discount rate, the clause
under both readings, and the value of fixed end dates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import contract, finance
from ..methods import Methods
from .terms import Deal, Parameters


@dataclass(frozen=True)
class CashflowModel:
    """The payment schedule, its cumulative present values at the discount rate, and the termination clause under the
    model's reading (``clause``) and the other reading (``clause_alt``)."""

    schedule: contract.Schedule
    pv_by_month: np.ndarray
    clause: contract.Clause
    clause_alt: contract.Clause
    rate: float

    @property
    def amounts_usd(self) -> np.ndarray:
        """Payment in each month of the term."""
        return self.schedule.amounts_usd

    @property
    def npv_full_term_usd(self) -> float:
        """Present value of every payment to term."""
        return float(self.pv_by_month[-1])

    @property
    def npv_committed_usd(self) -> float:
        """Present value of the committed months (model's reading of the clause)."""
        return float(self.pv_by_month[self.clause.committed_months - 1])

    @property
    def npv_committed_alt_usd(self) -> float:
        """Present value of the committed months (other reading)."""
        return float(self.pv_by_month[self.clause_alt.committed_months - 1])

    @property
    def committed_usd(self) -> float:
        """Payments in the committed months, undiscounted (model's reading)."""
        return self.schedule.paid_through_usd(self.clause.committed_months)

    @property
    def committed_alt_usd(self) -> float:
        """Payments in the committed months, undiscounted (other reading)."""
        return self.schedule.paid_through_usd(self.clause_alt.committed_months)


def cashflow_model(terms: Deal, params: Parameters, rate: float | None = None, alt_notice_earliest_month: int | None = None) -> CashflowModel:
    """The schedule, cumulative XNPV by month at ``rate`` (default: the discount rate) and the clause under both readings.

    ``alt_notice_earliest_month`` is the other reading of the clause (default: notice from the start, month 0).
    """
    rate = params.discount_rate if rate is None else rate
    sched = contract.schedule(terms.monthly_payment_usd, terms.start_date, terms.end_date, params.payment_timing_months,
                              params.ramp_months, params.ramp_fee_share)
    factors = finance.dated_discount_factors(rate, list(sched.payment_dates), terms.start_date)
    notice = contract.notice_months(terms.notice_days)
    clause = contract.Clause(sched.months, terms.lock_in_months, notice, params.notice_earliest_month)
    alt = 0 if alt_notice_earliest_month is None else alt_notice_earliest_month
    clause_alt = contract.Clause(sched.months, terms.lock_in_months, notice, alt)
    return CashflowModel(sched, np.cumsum(sched.amounts_usd * factors), clause, clause_alt, float(rate))


def pv_tables(terms: Deal, params: Parameters, rates: np.ndarray) -> np.ndarray:
    """Cumulative present value by month at each of ``rates`` (shape (K, T))."""
    sched = contract.schedule(terms.monthly_payment_usd, terms.start_date, terms.end_date, params.payment_timing_months,
                              params.ramp_months, params.ramp_fee_share)
    return np.cumsum(sched.amounts_usd * finance.dated_discount_factors(rates, list(sched.payment_dates), terms.start_date), axis=-1)


@dataclass(frozen=True)
class FixedEnds:
    """The contract ended at fixed months: the earliest date the clause allows, the method register's fixed months,
    and the full term. ``frame`` has one row each: label, months paid, revenue and present value."""

    frame: pd.DataFrame

    @property
    def pv_usd_by_month(self) -> dict[int, float]:
        """Present value by last paid month, for each fixed end."""
        return {int(m): float(v) for m, v in zip(self.frame["months"], self.frame["pv_usd"], strict=True)}


def fixed_ends(cash: CashflowModel, methods: Methods) -> FixedEnds:
    """Months paid, revenue and present value at the earliest end, after each fixed month and at term."""
    labels = ["Ended at the earliest date"] + [f"Ended after {m} months" for m in methods.fixed_end_months] + ["Run to term"]
    months = [cash.clause.committed_months, *methods.fixed_end_months, cash.clause.term_months]
    values = contract.scenario_values(cash.pv_by_month, cash.amounts_usd, cash.clause, np.array(months))
    return FixedEnds(pd.DataFrame({"label": labels, "months": values["months"], "revenue_usd": values["revenue_usd"],
                                   "pv_usd": values["pv_usd"]}))


@dataclass(frozen=True)
class PvProfile:
    """Present value against the annual discount rate: run to term, expected with default the only way out, expected
    under the headline model (its end months held at those of the base rate) and the committed minimum."""

    rates: np.ndarray
    run_to_term_usd: np.ndarray
    credit_only_usd: np.ndarray
    headline_usd: np.ndarray
    committed_usd: np.ndarray


def pv_profile(terms: Deal, params: Parameters, cash: CashflowModel, headline_end_months: np.ndarray, survival: np.ndarray,
               methods: Methods) -> PvProfile:
    """The present-value profile over the method register's rates."""
    low, high, points = methods.pv_profile_rates
    rates = np.linspace(low, high, points)
    tables = pv_tables(terms, params, rates)
    probs = contract.end_month_distribution(headline_end_months, cash.clause.term_months)
    return PvProfile(rates, tables[:, -1], np.diff(tables, axis=1, prepend=0.0) @ survival,
                     contract.expected_pv_by_rate(probs, tables), tables[:, cash.clause.committed_months - 1])
