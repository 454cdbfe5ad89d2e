"""The exact solver (analysis.core.grid) against published values, an independent dynamic programme, hand-computed
optima and its own limits; and the least-squares engine as a cross-check.

* Longstaff and Schwartz (2001), Table 1: American puts priced as Bermudans with 50 exercise dates a year.
* A Cox–Ross–Rubinstein binomial tree for a Bermudan put.
* An independent dynamic programme for the lease: a recombining trinomial lattice (Hull–White branching, monthly
  steps split into substeps) that computes every expectation, market values included, on its own nodes; every model
  choice agrees with the grid solver within 0.5%.
* Zero volatility against the optimum found by enumerating every notice month by hand.
* Frictionless and prohibitive limits; the grid value against the simulation on the lease; convergence.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from analysis.core import contract, grid, prices, stopping
from analysis.core.choices import Rule, Who
from analysis.methods import METHODS
from analysis.models import cashflow, credit, market, terms, valuation

# Longstaff and Schwartz (2001) Table 1 (as transcribed in ptamarov/lsmc_py data.csv): S0, sigma, T, finite-difference
# American value, closed-form European, their simulated American (with its standard error).
TABLE_1 = [(36, 0.2, 1, 4.478, 3.844, 4.472), (38, 0.2, 1, 3.250, 2.852, 3.244), (40, 0.2, 1, 2.314, 2.066, 2.313),
           (42, 0.2, 1, 1.617, 1.465, 1.617), (44, 0.2, 1, 1.110, 1.017, 1.118), (36, 0.2, 2, 4.840, 3.763, 4.821),
           (38, 0.2, 2, 3.745, 2.991, 3.735), (40, 0.2, 2, 2.885, 2.356, 2.879), (42, 0.2, 2, 2.212, 1.841, 2.206),
           (44, 0.2, 2, 1.690, 1.429, 1.675), (36, 0.4, 1, 7.101, 6.711, 7.091), (38, 0.4, 1, 6.148, 5.834, 6.139),
           (40, 0.4, 1, 5.312, 5.060, 5.308), (42, 0.4, 1, 4.582, 4.379, 4.588), (44, 0.4, 1, 3.948, 3.783, 3.957),
           (36, 0.4, 2, 8.508, 7.700, 8.488), (38, 0.4, 2, 7.670, 6.979, 7.669), (40, 0.4, 2, 6.920, 6.326, 6.921),
           (42, 0.4, 2, 6.248, 5.736, 6.243), (44, 0.4, 2, 5.647, 5.202, 5.622)]
STRIKE, RATE = 40.0, 0.06


def _gbm(s0: float, sigma: float, steps: int, dt: float) -> prices.PriceProcess:
    level = np.log(s0) + (RATE - 0.5 * sigma**2) * dt * np.arange(steps + 1)
    return prices.PriceProcess("random_walk", level, 1.0, sigma * math.sqrt(dt), 0.0)


def _grid_put(s0: float, sigma: float, years: float, per_year: int, points: int = 1601, european: bool = False) -> float:
    steps, dt = round(per_year * years), 1.0 / per_year
    lattice = grid.lattice(_gbm(s0, sigma, steps, dt), STRIKE, grid.GridSpec(points, 7.0))
    dates = {steps} if european else set(range(1, steps + 1))
    return grid.stop(lattice, lambda j, ratio: STRIKE * np.maximum(1.0 - ratio, 0.0), math.exp(-RATE * dt), dates)


@pytest.mark.parametrize(("s0", "sigma", "years", "american", "european", "simulated"), TABLE_1)
def test_the_grid_prices_longstaff_schwartz_table_1(s0, sigma, years, american, european, simulated):
    # 50 exercise dates a year, as in their simulation: the Bermudan value lies within 0.01 of the finite-difference
    # American value (a Bermudan is worth at most the American; the grid's error is below 0.002 at this spacing).
    value = _grid_put(s0, sigma, years, 50)
    assert value == pytest.approx(american, abs=0.01)
    assert value == pytest.approx(simulated, abs=0.03)
    # Exercising only at expiry is the European put, which has a closed form: the grid reproduces it.
    assert _grid_put(s0, sigma, years, 50, european=True) == pytest.approx(european, abs=0.005)


def _crr_bermudan_put(s0: float, sigma: float, years: float, exercise_per_year: int, steps_per_exercise: int) -> float:
    """A Cox–Ross–Rubinstein binomial tree, exercise allowed only every ``steps_per_exercise`` steps."""
    n = round(exercise_per_year * years) * steps_per_exercise
    dt = years / n
    up = math.exp(sigma * math.sqrt(dt))
    p = (math.exp(RATE * dt) - 1 / up) / (up - 1 / up)
    disc = math.exp(-RATE * dt)
    spot = s0 * up ** (np.arange(n, -n - 1, -2))
    value = np.maximum(STRIKE - spot, 0.0)
    for step in range(n - 1, -1, -1):
        spot = s0 * up ** (np.arange(step, -step - 1, -2))
        value = disc * (p * value[:-1] + (1 - p) * value[1:])
        if step > 0 and step % steps_per_exercise == 0:
            value = np.maximum(value, STRIKE - spot)
    return float(value[0])


@pytest.mark.parametrize(("s0", "sigma"), [(36, 0.2), (40, 0.3), (44, 0.4)])
def test_the_grid_agrees_with_a_binomial_bermudan_put(s0, sigma):
    # Twelve exercise dates a year for a year; the tree takes 200 steps between exercise dates.
    tree = _crr_bermudan_put(s0, sigma, 1.0, 12, 200)
    assert _grid_put(s0, sigma, 1.0, 12) == pytest.approx(tree, abs=3e-3)


# --------------------------------------------------------------------------------------------
# The lease


@pytest.fixture(scope="module")
def lease(inputs):
    deal, params = terms.deal(inputs), terms.parameters(inputs)
    cash = cashflow.cashflow_model(deal, params)
    survival = credit.credit_model(inputs, params, deal, cash.schedule.months, cash.pv_by_month).survival
    return params, cash, survival


def _trinomial_value(ctr: stopping.Contract, fr: stopping.Frictions, process: prices.PriceProcess, contract_price: float,
                     survival: np.ndarray | None, who: Who, substeps: int = 128) -> float:
    """The lease game under the optimal rule on a recombining trinomial lattice (Hull–White branching over ``substeps``
    per month), every expectation taken on the lattice itself: an independent dynamic programme for the expected PV."""
    T, clause = ctr.clause.term_months, ctr.clause
    phi_sub = process.phi ** (1.0 / substeps)
    var_month = process.shock_sd**2
    var_sub = var_month / substeps if process.phi == 1.0 else var_month * (1 - phi_sub**2) / (1 - process.phi**2)
    dy = math.sqrt(3.0 * var_sub)
    width = math.ceil(7.0 * math.sqrt(float(np.max(process.deviation_variance(np.arange(T + 1))))) / dy) + 2
    k = np.arange(-width, width + 1)
    centre = np.clip(np.rint(phi_sub * k).astype(int), -width + 1, width - 1)
    eta = phi_sub * k - centre
    up, mid, down = 1 / 6 + (eta**2 + eta) / 2, 2 / 3 - eta**2, 1 / 6 + (eta**2 - eta) / 2
    i = centre + width

    def month(v: np.ndarray) -> np.ndarray:
        for _ in range(substeps):
            v = up * v[i + 1] + mid * v[i] + down * v[i - 1]
        return v

    y = k * dy
    ratio = np.exp(process.log_level[:, np.newaxis] - np.log(contract_price) + y[np.newaxis, :])  # (T + 1, nodes)
    fee = ctr.full_fee_usd * ctr.discount
    # after[p][j]: E[PV at the market of months p+1..T | node at month-end j], by backward induction on the lattice.
    tail = [np.zeros(len(k)) for _ in range(T + 1)]
    for m in range(T - 1, -1, -1):
        tail[m] = fee[m] * ratio[m] + month(tail[m + 1])
    after = {}
    for p in range(T + 1):
        values = {p: tail[p]}
        for j in range(p - 1, -1, -1):
            values[j] = month(values[j + 1])
        after[p] = values
    S = np.concatenate([[1.0], survival]) if survival is not None else np.ones(T + 1)
    pay = ctr.amounts_usd * ctr.discount
    keep = fr.relet_utilization * (1 - fr.seller_discount)
    decisions = set(int(j) for j in ctr.decision_months)

    def market(p: int, j: int) -> np.ndarray:
        return after[min(p, T)][j] if p < T else np.zeros(len(k))

    seller, paid, buyer = np.zeros(len(k)), np.zeros(len(k)), np.zeros(len(k))
    for j in range(T - 1, -1, -1):
        s = S[j + 1] / S[j]
        hold_s = s * (pay[j] + month(seller)) + (1 - s) * keep * market(j + fr.downtime_months, j)
        hold_p = s * (pay[j] + month(paid))
        hold_b = pay[j] + month(buyer)
        if j not in decisions:
            seller, paid, buyer = hold_s, hold_p, hold_b
            continue
        end = int(clause.end_month(j))
        leave_p = sum(pay[t - 1] * S[t] / S[j] for t in range(j + 1, end + 1))
        leave_s = leave_p + keep * (S[end] / S[j] * market(end + fr.downtime_months, j)
                                    + sum((S[q] - S[q + 1]) / S[j] * market(q + fr.downtime_months, j) for q in range(j, end)))
        leave_b = float(pay[j:end].sum()) + (1 + fr.buyer_cost) * market(end, j)
        b_out, s_out = leave_b < hold_b, leave_s > hold_s
        go = (who.buyer_may_exit & b_out) | (who.seller_may_exit & s_out)
        seller, paid, buyer = np.where(go, leave_s, hold_s), np.where(go, leave_p, hold_p), np.where(go, leave_b, hold_b)
    start = int(np.argmin(np.abs(y - process.start_gap)))
    return float(paid[start])


@pytest.mark.parametrize("choice", [*valuation.TABLE, dataclasses.replace(valuation.HEADLINE, who=Who.SELLER)], ids=lambda c: c.id)
def test_every_model_choice_agrees_with_an_independent_dynamic_programme(lease, choice):
    params, cash, survival = lease
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    lattices = valuation.lattices_for(params, cash, (choice.process,), METHODS.grid_points, METHODS.grid_width_sd)
    exact = valuation.solve(choice, ctr, fr, lattices, survival).expected_pv_usd
    if choice.rule is Rule.MYOPIC:
        # A threshold rule near where the price starts makes a lattice oscillate as it is refined (nodes jump across the
        # boundary), so the independent check is the rule applied to simulated paths, month by month, with no grid.
        shocks, defaults = np.random.SeedSequence(1995).spawn(2)
        paths = valuation.simulate_paths(params, cash, survival, 200_000, shocks, defaults, (choice.process,))
        end = stopping.myopic_paid_months(cash.clause, paths.ratio[choice.process], fr, choice.who,
                                          paths.default_month if choice.credit.defaults else None)
        pv = np.concatenate([[0.0], np.cumsum(ctr.amounts_usd * ctr.discount)])[end]
        assert abs(exact - pv.mean()) < 4 * pv.std() / math.sqrt(len(pv))
        return
    process = market.price_process(params, choice.process, cash.clause.term_months)
    independent = _trinomial_value(ctr, fr, process, params.contract_price_usd_per_gpu_hour,
                                   survival if choice.credit.defaults else None, choice.who)
    assert exact == pytest.approx(independent, rel=0.005)


def test_the_grid_value_settles_as_the_grid_is_refined(lease):
    params, cash, survival = lease
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    for process in valuation.Process:
        values = []
        spec = grid.GridSpec(201, METHODS.grid_width_sd)
        for _ in range(4):  # 201, 401, 801, 1601 points
            lat = grid.lattice(market.price_process(params, process, 42), params.contract_price_usd_per_gpu_hour, spec)
            values.append(grid.solve(ctr, fr, lat, survival, Who.MUTUAL, Rule.OPTIMAL).expected_pv_usd)
            spec = spec.refined()
        steps = np.abs(np.diff(values))
        assert steps[-1] < steps[0] and steps[-1] < 2e-4 * values[-1], (process, values)
    # The book's grid is within 0.05% of one twice as fine.
    lat = grid.lattice(market.price_process(params, valuation.HEADLINE.process, 42), params.contract_price_usd_per_gpu_hour,
                       grid.GridSpec(METHODS.grid_points, METHODS.grid_width_sd))
    fine = grid.lattice(market.price_process(params, valuation.HEADLINE.process, 42), params.contract_price_usd_per_gpu_hour,
                        grid.GridSpec(METHODS.grid_points, METHODS.grid_width_sd).refined())
    book = grid.solve(ctr, fr, lat, survival, Who.MUTUAL, Rule.OPTIMAL).expected_pv_usd
    assert book == pytest.approx(grid.solve(ctr, fr, fine, survival, Who.MUTUAL, Rule.OPTIMAL).expected_pv_usd, rel=5e-4)


def test_the_grid_value_matches_the_simulation_under_its_boundaries(lease):
    # The solved boundaries applied to 200,000 fresh paths give the grid's expected value within 4 standard errors.
    params, cash, survival = lease
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    for choice in (valuation.HEADLINE, dataclasses.replace(valuation.HEADLINE, process=valuation.Process.RANDOM_WALK)):
        lattices = valuation.lattices_for(params, cash, (choice.process,), METHODS.grid_points, METHODS.grid_width_sd)
        solution = valuation.solve(choice, ctr, fr, lattices, survival)
        shocks, defaults = np.random.SeedSequence(2019).spawn(2)
        paths = valuation.simulate_paths(params, cash, survival, 200_000, shocks, defaults, (choice.process,))
        out = grid.apply_boundaries(solution, ctr, paths.ratio[choice.process], fr, paths.default_month)
        se = out.pv_usd.std() / math.sqrt(len(out.pv_usd))
        assert abs(out.expected_pv_usd - solution.expected_pv_usd) < 4 * se
        assert abs(out.expected_life_months - solution.expected_life_months) < 4 * out.end_month.std() / math.sqrt(len(out.end_month))


CLAUSE = contract.Clause(term_months=42, lock_in_months=3, notice_period_months=3, notice_earliest_month=3)
FEE = 150e6
DISCOUNT = 1.11 ** (-np.arange(42) / 12)
CONTRACT = stopping.Contract(np.full(42, FEE), DISCOUNT, CLAUSE, FEE)


def _hand_optimum(price_ratio: np.ndarray, fr: stopping.Frictions, side: str) -> tuple[int, float]:
    """With no volatility the path is known: each possible notice month's totals, summed by hand; the best for ``side``
    and the PV of the payments it leaves (month t priced at the ratio of index t − 1)."""
    best = None
    for notice in [None, *[int(j) for j in CONTRACT.decision_months]]:
        end = 42 if notice is None else int(CLAUSE.end_month(notice))
        payments = sum(FEE * DISCOUNT[t - 1] for t in range(1, end + 1))
        market = sum(FEE * DISCOUNT[t - 1] * price_ratio[t - 1] for t in range(end + 1, 43))
        relet = sum(FEE * DISCOUNT[t - 1] * price_ratio[t - 1] for t in range(end + fr.downtime_months + 1, 43))
        buyer = payments + (1 + fr.buyer_cost) * market
        seller = payments + fr.relet_utilization * (1 - fr.seller_discount) * relet
        score = -buyer if side == "buyer" else seller
        if best is None or score > best[0] + 1e-6:
            best = (score, payments)
    assert best is not None
    return 0, best[1]


@pytest.mark.parametrize(("decline", "side"), [(0.30, "buyer"), (-0.30, "seller"), (0.05, "buyer"), (0.12, "buyer")])
def test_zero_volatility_gives_the_hand_computed_optimum(decline, side):
    process = prices.random_walk(5.0, decline, 0.0, 42, step_share=0.1, step_month=15)
    fr = stopping.Frictions(0.10, 0.10, 0.9, 2)
    lat = grid.lattice(process, 5.0, grid.GridSpec(201, 6.0))
    who = Who.BUYER if side == "buyer" else Who.SELLER
    solution = grid.solve(CONTRACT, fr, lat, None, who, Rule.OPTIMAL)
    ratio = np.exp(process.log_level) / 5.0
    _, payments = _hand_optimum(ratio, fr, side)
    assert solution.expected_pv_usd == pytest.approx(payments, rel=1e-9)


def test_frictionless_and_prohibitive_limits():
    process = prices.mean_reverting(5.0, 4.5, 0.15, 0.30, 12, 42)
    lat = grid.lattice(process, 5.0, grid.GridSpec(401, 6.0))
    committed, full = float(np.sum(FEE * DISCOUNT[:6])), float(np.sum(FEE * DISCOUNT))
    # With nothing to lose by leaving, one side always gains: the contract ends at the first opportunity.
    free = grid.solve(CONTRACT, stopping.Frictions(0.0, 0.0, 1.0, 0), lat, None, Who.MUTUAL, Rule.OPTIMAL)
    assert free.expected_pv_usd == pytest.approx(committed, rel=1e-9) and free.expected_life_months == pytest.approx(6)
    # Leaving is ruinous for both: the contract runs to term.
    stuck = grid.solve(CONTRACT, stopping.Frictions(100.0, 1.0, 0.0, 0), lat, None, Who.MUTUAL, Rule.OPTIMAL)
    assert stuck.expected_pv_usd == pytest.approx(full, rel=1e-9) and stuck.prob_full_term == pytest.approx(1.0)
    # Every value lies between the two, and the shares of how it ends sum to one.
    middle = grid.solve(CONTRACT, stopping.Frictions(0.15, 0.15, 0.8, 2), lat, None, Who.MUTUAL, Rule.OPTIMAL)
    assert committed <= middle.expected_pv_usd <= full
    assert sum(middle.share_ended_by.values()) == pytest.approx(1.0)


def test_the_boundaries_are_one_interval_and_ordered(lease):
    params, cash, survival = lease
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    for process in valuation.Process:
        lat = valuation.lattices_for(params, cash, (process,), METHODS.grid_points, METHODS.grid_width_sd)[process]
        solution = grid.solve(ctr, fr, lat, survival, Who.MUTUAL, Rule.OPTIMAL)
        assert solution.monotone
        assert np.all(solution.buyer_below < solution.seller_above)


def test_the_solver_rejects_a_process_over_another_term():
    lat = grid.lattice(prices.random_walk(5.0, 0.1, 0.3, 12), 5.0, grid.GridSpec(101, 6.0))
    with pytest.raises(ValueError, match="field 'process'"):
        grid.solve(CONTRACT, stopping.Frictions(0.1, 0.1, 0.9, 2), lat, None, Who.MUTUAL, Rule.OPTIMAL)
    with pytest.raises(ValueError, match="field 'points'"):
        grid.GridSpec(5, 6.0)
