"""The termination clause, fixed end dates and the value of an end-month distribution (analysis.core.contract), and the
myopic exit rule against the analytic probability of a notice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from analysis.core import contract, prices, stopping

CLAUSE = contract.Clause(term_months=42, lock_in_months=3, notice_period_months=3, notice_earliest_month=3)
PV = np.cumsum(np.full(42, 150e6) * 1.11 ** (-np.arange(42) / 12))


def test_clause_committed_months_and_end_month():
    assert CLAUSE.committed_months == 6
    assert contract.Clause(42, 3, 3, 0).committed_months == 3
    assert contract.Clause(42, 3, 6, 0).committed_months == 6
    assert contract.Clause(4, 3, 3, 3).committed_months == 4
    assert CLAUSE.end_month(np.array([3, 10, 40])).tolist() == [6, 13, 42]
    assert contract.Clause(42, 3, 3, 0).end_month(np.array([0, 3, 40])).tolist() == [3, 6, 42]


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3"])
def test_clause_rejects_bad_months(bad):
    with pytest.raises(ValueError, match="field 'lock_in_months'"):
        contract.Clause(42, bad, 3, 3)


def test_payment_dates_in_advance_and_in_arrears():
    advance = contract.payment_dates(dt.date(2026, 7, 1), 42)
    arrears = contract.payment_dates(dt.date(2026, 7, 1), 42, timing_months=1)
    assert advance[0] == dt.date(2026, 7, 1) and advance[-1] == dt.date(2029, 12, 1)
    assert arrears[0] == dt.date(2026, 8, 1) and arrears[-1] == dt.date(2030, 1, 1)
    with pytest.raises(ValueError, match="field 'timing_months'"):
        contract.payment_dates(dt.date(2026, 7, 1), 42, timing_months=0.5)


def test_scenarios_clip_to_the_clause():
    out = contract.scenario_values(PV, 150e6, CLAUSE, np.array([1, 6, 12, 24, 42, 99]))
    assert out["months"].tolist() == [6, 6, 12, 24, 42, 42]
    assert out["revenue_usd"][2] == 12 * 150e6
    assert out["pv_usd"][-1] == PV[-1]
    with pytest.raises(ValueError, match="field 'pv_by_month'"):
        contract.scenario_values(PV[:10], 150e6, CLAUSE, np.array([6]))


def test_expected_pv_by_rate_weights_each_end_month():
    # Default in month 1 leaves no payment (last paid month 0): it weighs in the distribution at PV 0.
    ends = np.array([0, 6, 6, 42])
    probs = contract.end_month_distribution(ends, 42)
    assert probs.sum() == pytest.approx(1.0)
    assert probs[0] == 0.25 and probs[6] == 0.5 and probs[42] == 0.25
    assert float(contract.expected_pv_by_rate(probs, PV[np.newaxis, :])[0]) == pytest.approx((2 * PV[5] + PV[41]) / 4)
    with pytest.raises(ValueError, match="end_month"):
        contract.end_month_distribution(np.array([-1, 3]), 42)
    with pytest.raises(ValueError, match="end_probabilities"):
        contract.expected_pv_by_rate(probs[1:], PV[np.newaxis, :])


def test_a_ramp_lowers_revenue_and_value_consistently():
    amounts = contract.monthly_amounts(150e6, 42, ramp_months=3, ramp_fee_share=0.5)
    pv = np.cumsum(amounts * 1.11 ** (-np.arange(42) / 12))
    out = contract.scenario_values(pv, amounts, CLAUSE, np.array([6, 42]))
    assert out["revenue_usd"].tolist() == [6 * 150e6 - 3 * 75e6, 42 * 150e6 - 3 * 75e6]
    with pytest.raises(ValueError, match="field 'monthly_payment_usd'"):
        contract.revenue_by_month(np.ones(5), 42)


def test_the_myopic_rule_matches_the_analytic_exit_probability():
    # Only the buyer can leave (the seller re-lets nothing), with zero drift, and notice may first be served at month
    # 40 of 42 with one month's notice: a notice at month 40 ends the contract at 41, one at month 41 only at the term.
    # The buyer leaves when (1 + c) × market < contract price, so P(buyer ends it) = P(log price at month 40 <
    # ln(1 / (1 + c))) = Φ(−ln(1 + c) / (σ √(40/12))), the market starting at the contract price.
    clause = contract.Clause(42, 0, 1, 40)
    c, sigma, n = 0.2, 0.3, 200_000
    process = prices.random_walk(1.0, 0.0, sigma, 42)
    ratio = np.exp(process.log_level[:, np.newaxis] + process.simulate(np.random.default_rng(6), n))
    discount = 1.11 ** (-np.arange(42) / 12)
    out = stopping.myopic_exit(stopping.Contract(np.full(42, 150e6), discount, clause, 150e6), ratio,
                               stopping.Frictions(c, 0.0, 0.0, 0), stopping.Who.MUTUAL)
    p = stats.norm.cdf(-np.log(1 + c) / (sigma * np.sqrt(40 / 12)))
    se = np.sqrt(p * (1 - p) / n)
    assert abs(np.mean(out.ended_by == stopping.EndedBy.BUYER) - p) < 4 * se
    assert np.all(out.end_month[out.ended_by == stopping.EndedBy.BUYER] == 41)
