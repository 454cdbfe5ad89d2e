"""The valuation in equilibrium: walk-away prices, the signing map, repricing, the counterfactuals, credit support and
the known state, each against a hand computation, an independent solve or a bound that must hold."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.core import repricing, stopping
from analysis.core.choices import Credit
from analysis.core.contract import Clause
from analysis.inputs import TableError, load_inputs
from analysis.models import equilibrium, valuation
from analysis.validate import InputError

from .conftest import assert_refused, replace_in

CLAUSE = Clause(term_months=6, lock_in_months=1, notice_period_months=1, notice_earliest_month=1)
FEE = 100.0
CONTRACT = stopping.Contract(np.full(6, FEE), np.ones(6), CLAUSE, FEE)


# ---- walk-away prices and the bargaining split ------------------------------------------------------------------------

def test_walk_away_shares_come_from_the_register(inputs, results):
    walk = results.equilibrium.walk
    relet = inputs.assumption("capex.relet_utilization", "base")
    seller_cost = inputs.assumption("termination.seller_switching_cost", "base")
    buyer_cost = inputs.assumption("termination.buyer_switching_cost", "base")
    assert walk.seller_share == pytest.approx(relet * (1 - seller_cost))
    assert walk.buyer_share == pytest.approx(1 + buyer_cost)


def test_both_sign_only_between_the_walk_away_prices():
    walk = equilibrium.WalkAway(0.7, 1.2)
    market = np.array([10.0, 10.0, 10.0, 10.0])
    assert walk.signs(market, np.array([6.9, 7.0, 12.0, 12.1])).tolist() == [False, True, True, False]


def test_repriced_share_splits_the_surplus():
    assert repricing.repriced_share(0.7, 1.2, 0.0) == pytest.approx(0.7)
    assert repricing.repriced_share(0.7, 1.2, 1.0) == pytest.approx(1.2)
    assert repricing.repriced_share(0.7, 1.2, 0.5) == pytest.approx(0.95)


@pytest.mark.parametrize(("seller", "buyer", "theta", "field"), [(0.7, 1.2, 1.5, "theta"), (0.7, 1.2, -0.1, "theta"),
                                                                (1.3, 1.2, 0.5, "seller_share")])
def test_repriced_share_rejects_impossible_inputs(seller, buyer, theta, field):
    with pytest.raises(InputError, match=f"field '{field}'"):
        repricing.repriced_share(seller, buyer, theta)


def test_repriced_payments_by_hand():
    # Three paths, ratio (market ÷ contract price) 2.0 in every month. Path 0: no threat, no default; path 1: a threat at
    # month-end 2, so months 3..6 pay fee × share × ratio = 100 × 0.5 × 2 = 100... at share 0.6: 120; path 2: a threat at
    # month-end 1 and a default in month 5, so months 2..4 pay 120 and months 5..6 nothing.
    ratio = np.full((7, 3), 2.0)
    pay = repricing.repriced_payments(CONTRACT, ratio, np.array([-1, 2, 1]), np.array([7, 7, 5]), 0.6)
    assert pay[:, 0].tolist() == [100.0] * 6
    assert pay[:, 1].tolist() == [100.0, 100.0, 120.0, 120.0, 120.0, 120.0]
    assert pay[:, 2].tolist() == [100.0, 120.0, 120.0, 120.0, 0.0, 0.0]


def test_repriced_payments_use_the_price_at_the_start_of_each_month():
    ratio = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0]])  # index t = start of month t + 1
    pay = repricing.repriced_payments(CONTRACT, ratio, np.array([0]), None, 1.0)
    assert pay[:, 0].tolist() == [100.0, 200.0, 300.0, 400.0, 500.0, 600.0]


def test_repriced_payments_reject_a_ratio_of_the_wrong_shape():
    with pytest.raises(InputError, match=r"field 'ratio'.*\(months 0..T = 7, paths\)"):
        repricing.repriced_payments(CONTRACT, np.ones((6, 2)), np.array([-1, -1]), None, 0.9)


# ---- the signing map ----------------------------------------------------------------------------------------------

def test_value_depends_only_on_the_price_to_market_ratio(results):
    # Doubling the market (and with it the unit price at each ratio) leaves every decision and every dollar unchanged.
    p, ratios = results.params, np.array([0.75, 1.0, 1.2])
    doubled = dataclasses.replace(p, market_price_usd_per_gpu_hour=2 * p.market_price_usd_per_gpu_hour)
    base, _ = equilibrium.value_by_ratio(p, results.cash, results.credit.survival, results.methods, ratios)
    scaled, _ = equilibrium.value_by_ratio(doubled, results.cash, results.credit.survival, results.methods, ratios)
    np.testing.assert_allclose(scaled, base, rtol=1e-9)


def test_the_map_at_an_off_grid_point_matches_a_direct_solve(results):
    s = results.equilibrium.signing
    market, price = 6.1, 5.3  # a cell between grid points
    direct, _ = equilibrium.value_by_ratio(results.params, results.cash, results.credit.survival, results.methods,
                                           np.array([price / market]))
    assert s.value_at(market, price) == pytest.approx(direct[0], rel=0.005)


def test_the_map_at_the_base_case_is_the_headline(results):
    s = results.equilibrium.signing
    # The map is solved on the sensitivity grid, the headline on the finer book grid: they agree to well under 1%.
    assert s.central_usd == pytest.approx(results.valuation.headline_summary.solution.expected_pv_usd, rel=0.005)
    assert s.low_usd <= s.central_usd <= s.high_usd


def test_the_signing_region_lies_inside_both_walk_away_prices_and_the_evidence_box(results):
    s = results.equilibrium.signing
    lo, hi = s.range_ratio
    assert s.walk.seller_share <= lo < hi <= s.walk.buyer_share
    assert lo >= s.box["price_low"] / s.box["market_high"] - 1e-12
    assert hi <= s.box["price_high"] / s.box["market_low"] + 1e-12
    inside = s.both_sign
    assert inside.any() and not inside.all()


def test_an_empty_signing_region_is_an_error(results):
    # A seller who needs twice the market and a buyer who pays at most the market: nobody signs.
    p = dataclasses.replace(results.params, relet_utilization=1.0, seller_switching_cost=-1.0)
    register = {"market": {"low": 5.0, "high": 8.0}, "price": {"low": 4.0, "high": 6.0}}
    with pytest.raises(InputError, match="field 'ratio'"):
        equilibrium.signing_map(p, register, results.cash, results.credit.survival, results.methods)


# ---- bounds every expected value must respect ------------------------------------------------------------------------

def _committed_months(results) -> int:
    """Months paid if notice is served at the first month-end it may be: the committed minimum."""
    clause = valuation.exit_contract(results.cash).clause
    return int(clause.end_month(np.array([clause.notice_earliest_month]))[0])


def test_every_table_row_lies_between_the_committed_minimum_and_no_exit(results):
    contract = valuation.exit_contract(results.cash)
    pv = contract.amounts_usd * contract.discount
    survival = results.credit.survival
    committed = _committed_months(results)
    assert committed == 6  # three months' lock-in, then 90 days' notice
    bounds = {Credit.NONE: (pv[:committed].sum(), pv.sum()),
              Credit.RUNWAY: ((pv * survival)[:committed].sum(), (pv * survival).sum())}
    for row in results.valuation.table:
        lo, hi = bounds[row.choice.credit]
        assert lo * (1 - 1e-9) <= row.expected_pv_usd <= hi * (1 + 1e-9), row.choice


def test_repricing_lies_between_its_own_bounds_and_above_termination(results):
    e, val = results.equilibrium, results.valuation
    contract = valuation.exit_contract(results.cash)
    ratio, default = val.headline.ratio, val.headline.default_month
    months = np.arange(1, contract.clause.term_months + 1)[:, np.newaxis]
    alive = months < default[np.newaxis, :]
    fee, d = contract.full_fee_usd, contract.discount[:, np.newaxis]
    low = (np.minimum(fee, fee * e.walk.seller_share * ratio[:-1]) * alive * d).sum(axis=0).mean()
    high = (np.maximum(fee, fee * e.walk.buyer_share * ratio[:-1]) * alive * d).sum(axis=0).mean()
    termination = e.outcomes[0]
    for row in e.outcomes[1:]:
        assert low <= row.expected_pv.value <= high, row.label
        assert row.expected_pv.value >= termination.expected_pv.value, row.label
        assert row.seller_total.value >= termination.seller_total.value, row.label
        assert row.expected_life.value >= termination.expected_life.value, row.label
    # A larger seller share never lowers the repriced price.
    shares = [row.share_of_market for row in e.outcomes[1:]]
    thetas = [row.theta for row in e.outcomes[1:]]
    assert [s for _, s in sorted(zip(thetas, shares, strict=True))] == sorted(shares)


def test_termination_row_is_the_headline(results):
    e, val = results.equilibrium, results.valuation
    assert e.outcomes[0].expected_pv.value == pytest.approx(val.headline.outcome.pv_usd.mean())


def test_credit_support_only_adds_value(results):
    rows = results.equilibrium.support
    contract = valuation.exit_contract(results.cash)
    full = float((contract.amounts_usd * contract.discount).sum())
    base = rows[0].expected_pv.value
    for row in rows[1:]:
        assert base < row.expected_pv.value <= full, row.label
    assert rows[2].prob_default_by_term < rows[0].prob_default_by_term


# ---- SpaceX's gain against its alternatives ----------------------------------------------------------------------

def test_own_use_break_even_is_consistent_with_the_gain(results):
    for row in results.equilibrium.counterfactuals:
        if row.breakeven_share is None:
            continue
        # The gain at own use valued at the full market is negative exactly when the break-even share is below 1.
        assert (row.gain.value < 0) == (row.breakeven_share.value < 1), row.label
        assert 0 < row.breakeven_share.value < results.equilibrium.walk.buyer_share
        assert row.breakeven_share.se < 0.01


def test_break_even_of_a_contract_at_the_market_is_one(results):
    # Paid at exactly the market price each month, the contract earns what own use at the market would: v* = 1.
    num = np.array([2.0, 3.0, 5.0, 7.0])
    assert equilibrium.ratio_estimate(num, num, 2).value == pytest.approx(1.0)
    assert equilibrium.ratio_estimate(num, 2 * num, 2).value == pytest.approx(0.5)
    with pytest.raises(ValueError, match="denominator"):
        equilibrium.ratio_estimate(num, np.zeros(4), 2)


def test_gain_against_re_letting_adds_up(results):
    # Against re-letting from the start, the repriced contract gains more than the terminated one (it is kept alive at a
    # price at least SpaceX's walk-away).
    rows = {r.label.split(",")[0] + ("/xai" if "xAI" in r.label else ""): r for r in results.equilibrium.counterfactuals}
    assert rows["Repricing (base share)"].gain.value > rows["Termination"].gain.value
    for row in results.equilibrium.counterfactuals:
        assert row.p10.value <= row.p50.value <= row.p90.value
        assert 0 <= row.prob_negative.value <= 1


# ---- the known state ------------------------------------------------------------------------------------------------

def test_the_known_state_conditions_on_what_has_happened(inputs, results):
    known = results.equilibrium.known
    made = int(inputs.known_state.set_index("id").loc["known_payments_made", "value"])
    assert known.payments_made == made
    assert known.received_usd == pytest.approx(made * inputs.term("monthly_payment_usd"))
    # Months already paid are no longer at risk: the value at that date exceeds what was received, the remaining life
    # cannot exceed the months left, and surviving the first months makes running to term more likely.
    T = valuation.exit_contract(results.cash).clause.term_months
    assert known.value_as_of_usd.value > known.received_usd
    assert 0 < known.expected_remaining_months.value <= T - made
    assert known.prob_full_term.value >= results.valuation.headline_summary.solution.prob_full_term - 0.01
    assert 0 < known.paths_used <= results.valuation.n_paths


def test_a_served_notice_is_refused_rather_than_ignored(data_copy, results):
    replace_in(data_copy / "known_state.csv", "Notices of termination served by either side by the as-of date,0,",
               "Notices of termination served by either side by the as-of date,1,")
    inputs = load_inputs(data_copy)
    with pytest.raises(InputError, match="field 'known_notice_served' is 1"):
        equilibrium.known_state(inputs, results.deal, results.cash, results.params, results.valuation)


def test_a_bad_known_state_date_names_the_field(data_copy):
    assert_refused(data_copy, "known_state.csv", "known_as_of,Date the sources behind this file were read,2026-12-02,",
                   "known_as_of,Date the sources behind this file were read,2 Dec 2026,",
                   r"known_state.csv, line 2 \(id 'known_as_of'\): field 'value' is '2 Dec 2026'; expected a date")


def test_a_missing_known_state_row_is_named(data_copy):
    path = data_copy / "known_state.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("known_payments_made,")), encoding="utf-8")
    with pytest.raises(TableError, match="known_payments_made"):
        load_inputs(data_copy)
