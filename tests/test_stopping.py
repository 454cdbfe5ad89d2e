"""The optimal-stopping engine against published American-put values, and the contract's exit game against its
closed forms and limits: zero volatility, frictionless mutual exit, prohibitive frictions."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core import prices, stopping
from analysis.core.contract import Clause

# Longstaff and Schwartz (2001), section 1 / Table 1: the eight-path example, exercise at t = 1, 2, 3.
LS_PATHS = np.array([[1.00, 1.09, 1.08, 1.34], [1.00, 1.16, 1.26, 1.54], [1.00, 1.22, 1.07, 1.03], [1.00, 0.93, 0.97, 0.92],
                     [1.00, 1.11, 1.56, 1.52], [1.00, 0.76, 0.77, 0.90], [1.00, 0.92, 0.84, 1.01], [1.00, 0.88, 1.22, 1.34]])


def _american_put(paths: np.ndarray, strike: float, rate_per_step: float, degree: int) -> float:
    steps = paths.shape[1] - 1
    df = np.exp(-rate_per_step * np.arange(steps + 1))
    payoff = np.maximum(strike - paths, 0.0) * df  # present value at 0 of exercising at each date
    exercise = payoff[:, 1:steps].T  # dates 1..steps-1 (the last date is the hold-to-end value)
    value, _ = stopping.lsm_stop(exercise, payoff[:, steps], lambda j: stopping.basis(paths[:, j + 1], degree),
                                 in_the_money=exercise > 0)
    return float(value.mean())


def test_lsm_reproduces_the_eight_path_example():
    # The paper's worked example: strike 1.10, rate 6% a step, quadratic basis; value 0.1144.
    assert _american_put(LS_PATHS, 1.10, 0.06, degree=2) == pytest.approx(0.1144, abs=5e-5)


def test_lsm_matches_the_published_american_put_value():
    # Longstaff and Schwartz (2001) Table 1: S0 = 36, K = 40, r = 6%, sigma = 20%, T = 1 year, 50 exercise dates:
    # finite-difference value 4.478, their simulation 4.472 (s.e. 0.010). Regression policies are slightly
    # suboptimal, so the estimate sits a little below the exact value; we allow 0.04 (4 standard errors).
    rng = np.random.default_rng(2001)
    n, steps, s0, strike, r, sigma = 50_000, 50, 36.0, 40.0, 0.06, 0.20
    dt = 1.0 / steps
    z = rng.standard_normal((n // 2, steps))
    z = np.concatenate([z, -z])  # antithetic pairs
    log_paths = np.cumsum((r - 0.5 * sigma**2) * dt + sigma * np.sqrt(dt) * z, axis=1)
    paths = s0 * np.exp(np.column_stack([np.zeros(n), log_paths]))
    value = _american_put(paths / strike, 1.0, r * dt, degree=3) * strike
    assert value == pytest.approx(4.478, abs=0.04)
    assert value > 4.0  # worth more than the European put (3.844 in the same table)


CLAUSE = Clause(term_months=42, lock_in_months=3, notice_period_months=3, notice_earliest_month=3)
FEE = 150e6
DISCOUNT = (1.11) ** (-np.arange(42) / 12)
CONTRACT = stopping.Contract(np.full(42, FEE), DISCOUNT, CLAUSE, FEE)


def _ratio(process: prices.PriceProcess, contract_price: float, n: int, seed: int = 1) -> np.ndarray:
    y = process.simulate(np.random.default_rng(seed), n)
    return np.exp(process.log_level[:, np.newaxis] + y) / contract_price


def _enumerate(ratio: np.ndarray, frictions: stopping.Frictions, side: str) -> int:
    """Deterministic path: the exit month-end that is best for ``side`` (-1 = never), by brute force."""
    flows = stopping.Flows(CONTRACT, ratio, frictions, None)
    options = {-1: np.array([CLAUSE.term_months])}
    for j in CONTRACT.decision_months:
        options[int(j)] = np.array([int(CLAUSE.end_month(j))])
    if side == "buyer":
        return min(options, key=lambda j: (float(flows.buyer_total(options[j])[0]), j))
    return max(options, key=lambda j: (float(flows.seller_total(options[j])[0]), -j))


@pytest.mark.parametrize(("decline", "side"), [(0.30, "buyer"), (-0.30, "seller"), (0.05, "buyer")])
def test_zero_volatility_matches_brute_force(decline, side):
    process = prices.random_walk(5.0, decline, 0.0, 42)
    ratio = _ratio(process, 5.0, 64)
    frictions = stopping.Frictions(0.10, 0.10, 0.9, 2)
    best = _enumerate(ratio[:, :1], frictions, side)
    policy = stopping.fit_exit_policy(CONTRACT, ratio, frictions, who=side)
    out = stopping.apply_exit_policy(policy, CONTRACT, ratio, frictions)
    expected_end = CLAUSE.term_months if best < 0 else int(CLAUSE.end_month(best))
    assert set(out.end_month.tolist()) == {expected_end}


def test_frictionless_mutual_exit_gives_the_committed_minimum():
    process = prices.random_walk(5.0, 0.10, 0.30, 42)
    ratio = _ratio(process, 5.0, 4_000)
    free = stopping.Frictions(0.0, 0.0, 1.0, 0)
    policy = stopping.fit_exit_policy(CONTRACT, ratio, free, who="mutual")
    out = stopping.apply_exit_policy(policy, CONTRACT, _ratio(process, 5.0, 4_000, seed=2), free)
    committed = float(np.sum(FEE * DISCOUNT[: CLAUSE.committed_months]))
    assert out.expected_pv_usd == pytest.approx(committed, rel=1e-12)
    assert set(out.end_month.tolist()) == {CLAUSE.committed_months}


def test_prohibitive_frictions_give_the_full_term_value():
    process = prices.mean_reverting(5.0, 4.0, 0.20, 0.45, 12, 42)
    ratio = _ratio(process, 5.0, 4_000)
    stuck = stopping.Frictions(100.0, 1.0, 0.0, 0)
    for rule in ("myopic", "optimal"):
        if rule == "myopic":
            out = stopping.myopic_exit(CONTRACT, ratio, stuck)
        else:
            out = stopping.apply_exit_policy(stopping.fit_exit_policy(CONTRACT, ratio, stuck), CONTRACT, ratio, stuck)
        assert out.prob_full_term == 1.0
        assert out.expected_pv_usd == pytest.approx(float(np.sum(FEE * DISCOUNT)), rel=1e-12)


def test_the_game_with_one_player_is_the_textbook_engine():
    # Buyer-only exit fitted by the game equals lsm_stop run on the buyer's (negated) costs, path for path.
    process = prices.random_walk(5.0, 0.15, 0.30, 42)
    ratio = _ratio(process, 5.0, 3_000)
    frictions = stopping.Frictions(0.15, 0.1, 0.8, 2)
    flows = stopping.Flows(CONTRACT, ratio, frictions, None)
    months = CONTRACT.decision_months
    exercise = np.array([-flows.buyer_total(np.full(ratio.shape[1], CLAUSE.end_month(j))) for j in months])
    _, stop = stopping.lsm_stop(exercise, -flows.buyer_total(np.full(ratio.shape[1], 42)),
                                lambda i: stopping.basis(ratio[months[i]]), regress_exercise=True)
    policy = stopping.fit_exit_policy(CONTRACT, ratio, frictions, who="buyer")
    out = stopping.apply_exit_policy(policy, CONTRACT, ratio, frictions)
    engine_end = np.where(stop < len(months), CLAUSE.end_month(months[np.minimum(stop, len(months) - 1)]), 42)
    assert np.array_equal(out.end_month, engine_end)


def test_values_lie_between_the_committed_minimum_and_the_full_term():
    process = prices.mean_reverting(5.0, 4.5, 0.15, 0.30, 12, 42)
    ratio = _ratio(process, 5.0, 5_000)
    frictions = stopping.Frictions(0.15, 0.15, 0.8, 2)
    committed, full = float(np.sum(FEE * DISCOUNT[:6])), float(np.sum(FEE * DISCOUNT))
    for who in stopping.Who:
        for out in (stopping.myopic_exit(CONTRACT, ratio, frictions, who),
                    stopping.apply_exit_policy(stopping.fit_exit_policy(CONTRACT, ratio, frictions, who), CONTRACT, ratio, frictions)):
            assert committed <= out.expected_pv_usd <= full
            assert np.all((out.end_month >= 6) & (out.end_month <= 42))


def test_default_ends_payments_and_is_recorded():
    process = prices.random_walk(5.0, 0.0, 0.0, 42)
    ratio = _ratio(process, 5.0, 4)
    frictions = stopping.Frictions(0.2, 0.2, 0.8, 2)
    default = np.array([10, 43, 43, 2])
    out = stopping.myopic_exit(CONTRACT, ratio, frictions, default_month=default)
    assert out.end_month.tolist() == [9, 42, 42, 1] and out.ended_by.tolist() == [3, 0, 0, 3]
    assert out.pv_usd[0] == pytest.approx(float(np.sum(FEE * DISCOUNT[:9])))


@pytest.mark.parametrize(("kwargs", "field"), [({"buyer_cost": -0.1}, "buyer_cost"), ({"seller_discount": 1.5}, "seller_discount"),
                                               ({"relet_utilization": -1}, "relet_utilization"), ({"downtime_months": 1.5}, "downtime_months")])
def test_frictions_reject_bad_input(kwargs, field):
    base = {"buyer_cost": 0.1, "seller_discount": 0.1, "relet_utilization": 0.8, "downtime_months": 2}
    with pytest.raises(ValueError, match=f"field '{field}'"):
        stopping.Frictions(**{**base, **kwargs})


def test_exit_game_rejects_bad_who_and_shapes():
    ratio = np.ones((43, 10))
    free = stopping.Frictions(0.0, 0.0, 1.0, 0)
    with pytest.raises(ValueError, match="field 'who'"):
        stopping.myopic_exit(CONTRACT, ratio, free, who="both")
    with pytest.raises(ValueError, match="field 'ratio'"):
        stopping.myopic_exit(CONTRACT, np.ones((42, 10)), free)


def test_the_lean_myopic_rule_decides_as_the_full_one():
    # The global sensitivity analysis uses myopic_paid_months for speed: the same last paid month on every path.
    process = prices.mean_reverting(5.0, 4.5, 0.10, 0.30, 12, 42)
    ratio = _ratio(process, 5.0, 5_000)
    frictions = stopping.Frictions(0.1, 0.1, 0.9, 2)
    default = np.random.default_rng(2).integers(1, 60, 5_000)
    for who in stopping.Who:
        full = stopping.myopic_exit(CONTRACT, ratio, frictions, who, default).end_month
        assert np.array_equal(full, stopping.myopic_paid_months(CLAUSE, ratio, frictions, who, default))
