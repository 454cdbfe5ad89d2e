"""One timing convention, an event at a time (analysis.core.contract's docstring states it):

* month t = 1..T is paid on its first day;
* the market price of month t's capacity is the price when it starts, price index t − 1 (index j is month-end j);
* notice is served at a month-end j, with index j's price known, and the last paid month is max(lock-in, j + notice);
* the next generation's step applies from the first day of the register's month;
* a default in month m means payment m is not made (m − 1 is the last paid).

Each is checked in the simulation engine (core.stopping), the exact solver (core.grid) or the models that use it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analysis.core import contract, grid, prices, stopping
from analysis.core.choices import Rule, Who
from analysis.models import market, terms

CLAUSE = contract.Clause(term_months=12, lock_in_months=3, notice_period_months=3, notice_earliest_month=3)
FEE = 100.0
DISCOUNT = 0.99 ** np.arange(1, 13)
CONTRACT = stopping.Contract(np.full(12, FEE), DISCOUNT, CLAUSE, FEE)
FRICTIONS = stopping.Frictions(0.25, 0.0, 1.0, 0)


def test_month_t_is_paid_on_its_first_day():
    sched = contract.schedule(FEE, dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert sched.payment_dates[0] == dt.date(2026, 7, 1) and sched.payment_dates[4] == dt.date(2026, 11, 1)
    assert sched.service_months == sched.payment_dates


def test_month_t_is_priced_at_index_t_minus_1():
    # A price spike at index 7 only: replacement capacity for month 8 costs double; month 7's does not.
    ratio = np.ones((13, 1))
    ratio[7] = 2.0
    flows = stopping.Flows(CONTRACT, ratio, FRICTIONS, None)
    end7, end8 = flows.buyer_total(np.array([7]))[0], flows.buyer_total(np.array([8]))[0]
    # Ending after month 7 leaves month 8 to buy at the spiked price; ending after 8 pays it under the contract.
    assert end7 - end8 == pytest.approx(1.25 * FEE * DISCOUNT[7] * 2.0 - FEE * DISCOUNT[7])
    end6 = flows.buyer_total(np.array([6]))[0]
    assert end6 - end7 == pytest.approx(1.25 * FEE * DISCOUNT[6] * 1.0 - FEE * DISCOUNT[6])


def test_notice_at_month_end_j_sees_index_j_and_ends_after_the_notice():
    # The market falls below Reflection's threshold only at index 5: the myopic notice is served at month-end 5 and
    # the contract's last paid month is 5 + 3 = 8.
    ratio = np.ones((13, 1))
    ratio[5] = 0.5
    out = stopping.myopic_exit(CONTRACT, ratio, FRICTIONS, Who.BUYER)
    assert out.end_month[0] == 8 == int(CLAUSE.end_month(5))
    assert CLAUSE.end_month(3) == 6 and contract.Clause(12, 3, 3, 0).end_month(0) == 3


def test_the_next_generations_step_applies_from_the_registers_month(inputs):
    params = terms.parameters(inputs)
    path = market.market_path(params, 42)  # index t - 1 prices month t
    month = params.rubin_month
    drop = path[month - 1] / path[month - 2]
    monthly = (1 - params.annual_price_decline) ** (1 / 12)
    assert drop == pytest.approx(monthly * (1 - params.rubin_step_share))  # month `rubin_month` is the first stepped one
    assert path[month - 2] / path[month - 3] == pytest.approx(monthly)  # the month before is not
    assert market.step_month(params) == month - 1
    # The book's date for the step is the first day of that month.
    assert contract.last_payment_date(dt.date(2026, 7, 1), month) == dt.date(2026 + (6 + month - 1) // 12, (6 + month - 1) % 12 + 1, 1)


def test_a_default_in_month_m_stops_payment_m():
    ratio = np.ones((13, 1))
    flows = stopping.Flows(CONTRACT, ratio, FRICTIONS, np.array([5]))
    assert flows.paid(np.array([12]))[0] == pytest.approx(FEE * DISCOUNT[:4].sum())
    # The exact solver on the same convention: surviving to pay months 1..4 for certain, never month 5.
    survival = np.where(np.arange(1, 13) < 5, 1.0, 0.0)
    lat = grid.lattice(prices.random_walk(1.0, 0.0, 0.0, 12), 1.0, grid.GridSpec(21, 6.0))
    solution = grid.solve(CONTRACT, FRICTIONS, lat, survival, Who.BUYER, Rule.MYOPIC)
    assert solution.expected_pv_usd == pytest.approx(FEE * DISCOUNT[:4].sum())
    assert solution.expected_life_months == pytest.approx(4.0) and solution.share_ended_by[stopping.EndedBy.DEFAULT] == pytest.approx(1.0)


def test_the_solver_and_the_simulation_price_the_same_month_alike():
    # A deterministic fall: the grid's value equals the simulation engine's on the one path, so both read prices alike.
    process = prices.random_walk(1.0, 0.40, 0.0, 12, step_share=0.3, step_month=6)
    lat = grid.lattice(process, 1.0, grid.GridSpec(21, 6.0))
    for who, rule in ((Who.BUYER, Rule.MYOPIC), (Who.BUYER, Rule.OPTIMAL), (Who.MUTUAL, Rule.OPTIMAL)):
        solution = grid.solve(CONTRACT, FRICTIONS, lat, None, who, rule)
        ratio = np.exp(process.log_level)[:, np.newaxis]
        out = grid.apply_boundaries(solution, CONTRACT, ratio, FRICTIONS)
        assert out.expected_pv_usd == pytest.approx(solution.expected_pv_usd, rel=1e-12)
