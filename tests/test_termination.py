"""Termination: the clause, fixed scenarios and the fast market-driven Monte Carlo."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analysis.core import contract
from analysis.core import termination as tm

CLAUSE = tm.Clause(term_months=42, lock_in_months=3, notice_period_months=3, notice_earliest_month=3)
PV = np.cumsum(np.full(42, 150e6) * 1.11 ** (-np.arange(42) / 12))


def test_clause_committed_months_and_end_month():
    assert CLAUSE.committed_months == 6
    assert tm.Clause(42, 3, 3, 0).committed_months == 3
    assert CLAUSE.end_month(np.array([3, 10, 40])).tolist() == [6, 13, 42]
    assert contract.end_month_after_notice(np.array([0, 3, 40]), 3, 3, 42).tolist() == [3, 6, 42]


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3"])
def test_clause_rejects_bad_months(bad):
    with pytest.raises(ValueError, match="field 'lock_in_months'"):
        tm.Clause(42, bad, 3, 3)


def test_payment_dates_in_advance_and_in_arrears():
    advance = contract.payment_dates(dt.date(2026, 7, 1), 42)
    arrears = contract.payment_dates(dt.date(2026, 7, 1), 42, timing_months=1)
    assert advance[0] == dt.date(2026, 7, 1) and advance[-1] == dt.date(2029, 12, 1)
    assert arrears[0] == dt.date(2026, 8, 1) and arrears[-1] == dt.date(2030, 1, 1)
    with pytest.raises(ValueError, match="field 'timing_months'"):
        contract.payment_dates(dt.date(2026, 7, 1), 42, timing_months=0.5)


def test_scenarios_clip_to_the_clause():
    out = tm.scenario_values(PV, 150e6, CLAUSE, np.array([1, 6, 12, 24, 42, 99]))
    assert out["months"].tolist() == [6, 6, 12, 24, 42, 42]
    assert out["revenue_usd"][2] == 12 * 150e6
    assert out["pv_usd"][-1] == PV[-1]


def _market(**kw) -> tm.MarketInputs:
    base = dict(contract_price_usd_per_gpu_hour=5.0, market_price_usd_per_gpu_hour=5.0, annual_decline=0.0,
                annual_volatility=0.3, buyer_switching_cost=0.2, seller_switching_cost=0.2)
    base.update(kw)
    return tm.MarketInputs(**base)


def test_no_volatility_no_drift_runs_to_term():
    out = tm.simulate_market_termination(np.random.default_rng(1), 1000, _market(annual_volatility=0.0), CLAUSE, PV, 150e6)
    assert out.prob_full_term == 1.0 and out.expected_pv_usd == pytest.approx(PV[-1])


def test_frictionless_contract_ends_at_the_first_opportunity():
    # With no switching costs one side always gains by leaving: worth the committed minimum and no more.
    out = tm.simulate_market_termination(np.random.default_rng(2), 20_000, _market(buyer_switching_cost=0.0, seller_switching_cost=0.0),
                                         CLAUSE, PV, 150e6)
    assert out.expected_life_months == CLAUSE.committed_months
    assert out.expected_pv_usd == pytest.approx(PV[CLAUSE.committed_months - 1])


def test_a_falling_market_makes_the_buyer_leave():
    out = tm.simulate_market_termination(np.random.default_rng(3), 20_000, _market(annual_decline=0.5, annual_volatility=0.05),
                                         CLAUSE, PV, 150e6)
    assert np.mean(out.terminated_by == 1) > 0.99


def test_a_rising_market_makes_the_seller_leave():
    out = tm.simulate_market_termination(np.random.default_rng(4), 20_000, _market(annual_decline=-0.5, annual_volatility=0.05),
                                         CLAUSE, PV, 150e6)
    assert np.mean(out.terminated_by == 2) > 0.99


def test_monte_carlo_matches_the_analytic_exit_probability():
    # Only the buyer can leave (the seller's threshold is out of reach), with zero drift, and notice may
    # first be served at month 40 of 42 with one month's notice: a notice at month 40 ends the contract at
    # 41, one at month 41 only at the term. The buyer leaves when (1 + c) × market < contract price, so
    # P(buyer ends it) = P(log price at month 40 < ln(1 / (1 + c))) = Φ(−ln(1 + c) / (σ √(40/12))).
    from scipy import stats

    clause = tm.Clause(42, 0, 1, 40)
    c, sigma, n = 0.2, 0.3, 200_000
    out = tm.simulate_market_termination(np.random.default_rng(6), n,
                                         _market(annual_volatility=sigma, buyer_switching_cost=c, seller_switching_cost=0.99),
                                         clause, PV, 150e6)
    p = stats.norm.cdf(-np.log(1 + c) / (sigma * np.sqrt(40 / 12)))
    se = np.sqrt(p * (1 - p) / n)
    assert abs(np.mean(out.terminated_by == 1) - p) < 4 * se
    assert np.all(out.end_month[out.terminated_by == 1] == 41)


def test_simulation_is_reproducible_and_chunking_does_not_change_the_statistics():
    m = _market(annual_decline=0.15)
    a = tm.simulate_market_termination(np.random.default_rng(9), 50_000, m, CLAUSE, PV, 150e6)
    b = tm.simulate_market_termination(np.random.default_rng(9), 50_000, m, CLAUSE, PV, 150e6)
    np.testing.assert_array_equal(a.end_month, b.end_month)
    c = tm.simulate_market_termination(np.random.default_rng(10), 50_000, m, CLAUSE, PV, 150e6, chunk_paths=7_000)
    se = np.sqrt(a.prob_full_term * (1 - a.prob_full_term) / 50_000) + 1e-3
    assert abs(a.prob_full_term - c.prob_full_term) < 5 * se
    assert abs(a.expected_life_months - c.expected_life_months) < 0.3


def test_expected_pv_by_rate_uses_the_end_distribution():
    out = tm.simulate_market_termination(np.random.default_rng(11), 20_000, _market(annual_decline=0.15), CLAUSE, PV, 150e6)
    probs = tm.end_month_distribution(out.end_month, 42)
    assert probs.sum() == pytest.approx(1.0)
    assert float(tm.expected_pv_by_rate(probs, PV[np.newaxis, :])[0]) == pytest.approx(out.expected_pv_usd, rel=1e-12)


def test_a_path_with_nothing_paid_counts_as_zero():
    # Default in month 1 leaves no payment (last paid month 0): it weighs in the distribution at PV 0.
    ends = np.array([0, 6, 6, 42])
    probs = tm.end_month_distribution(ends, 42)
    assert probs[0] == 0.25 and probs[6] == 0.5 and probs[42] == 0.25
    assert float(tm.expected_pv_by_rate(probs, PV[np.newaxis, :])[0]) == pytest.approx((2 * PV[5] + PV[41]) / 4)
    with pytest.raises(ValueError, match="end_month"):
        tm.end_month_distribution(np.array([-1, 3]), 42)
    with pytest.raises(ValueError, match="end_probabilities"):
        tm.expected_pv_by_rate(probs[1:], PV[np.newaxis, :])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"annual_decline": 1.0}, "annual_decline"), ({"annual_volatility": -0.1}, "annual_volatility"),
     ({"buyer_switching_cost": -0.1}, "buyer_switching_cost"), ({"seller_switching_cost": 1.5}, "seller_switching_cost"),
     ({"step_share": 1.2}, "step_share"), ({"step_month": 2.5}, "step_month"),
     ({"contract_price_usd_per_gpu_hour": 0.0}, "contract_price_usd_per_gpu_hour")],
)
def test_market_inputs_reject_bad_values(kwargs, field):
    with pytest.raises(ValueError, match=f"field '{field}'"):
        _market(**kwargs)


def test_simulation_rejects_bad_arguments():
    with pytest.raises(ValueError, match="field 'rng'"):
        tm.simulate_market_termination(np.random.RandomState(0), 10, _market(), CLAUSE, PV, 150e6)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="field 'n_paths'"):
        tm.simulate_market_termination(np.random.default_rng(0), 0, _market(), CLAUSE, PV, 150e6)
    with pytest.raises(ValueError, match="field 'pv_by_month'"):
        tm.simulate_market_termination(np.random.default_rng(0), 10, _market(), CLAUSE, PV[:10], 150e6)


def test_a_ramp_lowers_revenue_and_value_consistently():
    amounts = contract.monthly_amounts(150e6, 42, ramp_months=3, ramp_fee_share=0.5)
    pv = np.cumsum(amounts * 1.11 ** (-np.arange(42) / 12))
    out = tm.scenario_values(pv, amounts, CLAUSE, np.array([6, 42]))
    assert out["revenue_usd"].tolist() == [6 * 150e6 - 3 * 75e6, 42 * 150e6 - 3 * 75e6]
    sim = tm.simulate_market_termination(np.random.default_rng(1), 5_000, _market(annual_decline=0.15), CLAUSE, pv, amounts)
    np.testing.assert_allclose(sim.revenue_usd, np.cumsum(amounts)[sim.end_month - 1])
    with pytest.raises(ValueError, match="field 'monthly_payment_usd'"):
        tm.revenue_by_month(np.ones(5), 42)
