"""The model-choice table: every choice's value within its bounds, exactly and path for path where the paths are
shared; the choices compared on common random numbers; the random streams independent; the simulated figures with
their standard errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.core import grid
from analysis.methods import METHODS
from analysis.models import cashflow, credit, terms, valuation
from analysis.models.valuation import Credit, Process, Rule, Who
from analysis.validate import InputError


@pytest.fixture(scope="module")
def small(inputs):
    """The base contract, its lattices, and 4,000 simulated paths of both processes."""
    deal, params = terms.deal(inputs), terms.parameters(inputs)
    cash = cashflow.cashflow_model(deal, params)
    survival = credit.credit_model(inputs, params, deal, cash.schedule.months, cash.pv_by_month).survival
    seeds = valuation.streams(METHODS.valuation_seed)
    paths = valuation.simulate_paths(params, cash, survival, 4_000, seeds["shocks"], seeds["defaults"])
    lattices = valuation.lattices_for(params, cash, tuple(Process), 401, METHODS.grid_width_sd)
    return params, cash, survival, paths, lattices


def _committed_and_full(cash):
    per_payment = np.diff(cash.pv_by_month, prepend=0.0)
    return per_payment, float(per_payment[: cash.clause.committed_months].sum()), float(per_payment.sum())


@pytest.mark.parametrize("choice", valuation.TABLE, ids=lambda c: c.id)
def test_every_choice_is_bounded_exactly_and_path_by_path(small, choice):
    params, cash, survival, paths, lattices = small
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    per_payment, committed, full = _committed_and_full(cash)
    solution = valuation.solve(choice, ctr, fr, lattices, survival)
    out = grid.apply_boundaries(solution, ctr, paths.ratio[choice.process], fr, paths.default_month if choice.credit.defaults else None)
    cumulative = np.concatenate([[0.0], np.cumsum(per_payment)])
    assert np.all(out.pv_usd <= full * (1 + 1e-12))
    assert solution.expected_pv_usd <= full * (1 + 1e-12)
    if not choice.credit.defaults:
        # Without default the earliest end is the committed minimum: every path lies between it and the full term.
        assert np.all(out.pv_usd >= committed * (1 - 1e-12))
        assert committed * (1 - 1e-9) <= solution.expected_pv_usd
    else:
        # With default, a path pays at most what default alone lets it pay, and at least the committed months
        # that come before the default.
        until_default = cumulative[paths.default_month - 1]
        floor = cumulative[np.minimum(paths.default_month - 1, cash.clause.committed_months)]
        assert np.all(out.pv_usd <= until_default * (1 + 1e-12))
        assert np.all(out.pv_usd >= floor * (1 - 1e-12))
    assert sum(solution.share_ended_by.values()) == pytest.approx(1.0)


def test_mutual_exit_ends_no_later_than_reflection_alone(small):
    # Under the myopic rule the buyer's decisions are the same in both games; the seller's right can only add exits.
    params, cash, _, paths, lattices = small
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    for process in Process:
        ends = {}
        for who in (Who.MUTUAL, Who.BUYER):
            choice = valuation.ModelChoice(who, process, Rule.MYOPIC, Credit.NONE)
            solution = valuation.solve(choice, ctr, fr, lattices, None)
            ends[who] = grid.apply_boundaries(solution, ctr, paths.ratio[process], fr).end_month
        assert np.all(ends[Who.MUTUAL] <= ends[Who.BUYER])


def test_credit_only_shortens_the_same_paths(small):
    params, cash, survival, paths, lattices = small
    ctr, fr = valuation.exit_contract(cash), valuation.frictions(params)
    choice = dataclasses.replace(valuation.HEADLINE, rule=Rule.MYOPIC)
    solution = valuation.solve(choice, ctr, fr, lattices, survival)
    on = grid.apply_boundaries(solution, ctr, paths.ratio[choice.process], fr, paths.default_month)
    off = grid.apply_boundaries(solution, ctr, paths.ratio[choice.process], fr)
    assert np.all(on.end_month == np.minimum(off.end_month, paths.default_month - 1))


def test_the_book_table_respects_its_bounds(results, figures):
    committed = figures.value("cashflow.npv_committed_minimum_usd")
    full = figures.value("cashflow.npv_full_term_usd")
    credit_only = results.credit.expected_pv_credit_only_usd
    # The table is every combination of the enumerations (who may exit in the table, process, rule, credit).
    assert len(results.valuation.table) == len(valuation.TABLE_WHO) * len(Process) * len(Rule) * len(Credit)
    assert len({row.choice.id for row in results.valuation.table}) == len(results.valuation.table)
    for row in results.valuation.table:
        if row.choice.credit.defaults:
            assert row.expected_pv_usd <= credit_only * (1 + 1e-9)
        else:
            assert committed * (1 - 1e-9) <= row.expected_pv_usd <= full
        assert row.pv_p10_usd <= row.expected_pv_usd <= row.pv_p90_usd or row.pv_p10_usd == row.pv_p90_usd
        # The exact value and the average over the simulated paths agree within 4 standard errors.
        assert abs(row.simulated_pv.value - row.expected_pv_usd) < 4 * row.simulated_pv.se + 1e-9 * row.expected_pv_usd
    assert results.valuation.summary(valuation.HEADLINE).expected_pv_usd == figures.value("cashflow.expected_pv_usd")


def test_the_simulated_credit_only_value_matches_the_closed_form(results):
    # Same default draws as every credit-on row: payments up to the month before default.
    per_payment = np.diff(results.cash.pv_by_month, prepend=0.0)
    paid = np.concatenate([[0.0], np.cumsum(per_payment)])[results.valuation.headline.default_month - 1]
    se = paid.std() / np.sqrt(len(paid))
    assert paid.mean() == pytest.approx(results.valuation.no_exit_credit.value, rel=1e-9)
    assert abs(paid.mean() - results.credit.expected_pv_credit_only_usd) <= 4 * se
    assert results.valuation.no_exit_credit.se == pytest.approx(se, rel=1e-3)


def test_the_random_streams_are_independent():
    # One root seed spawns every stream: two roots share no stream, and the streams of one root differ.
    a, b = valuation.streams(20260701), valuation.streams(20260702)
    draws = {name: np.random.default_rng(s).random(4) for name, s in a.items()}
    assert len({tuple(v) for v in draws.values()}) == len(draws)
    for name in a:
        assert not np.array_equal(np.random.default_rng(a[name]).random(4), np.random.default_rng(b[name]).random(4))
    # The old scheme (seed + 1, seed + 2, ...) made seed s's default stream seed s + 1's fitting stream; spawned streams
    # of neighbouring roots never coincide.
    assert not any(np.array_equal(np.random.default_rng(a[x]).random(4), np.random.default_rng(b[y]).random(4))
                   for x in a for y in b)


def test_batch_errors_measure_the_spread_of_a_statistic():
    rng = np.random.default_rng(5)
    values = rng.normal(10.0, 2.0, 100_000)
    mean = valuation.batch_estimate(values, "mean", 10)
    assert mean.se == pytest.approx(2.0 / np.sqrt(100_000), rel=0.02)
    # The median of a normal has standard error about 1.2533 σ / √n; ten batches estimate it within a factor of two.
    median = valuation.batch_estimate(values, "p50", 10)
    assert 0.5 < median.se / (1.2533 * 2.0 / np.sqrt(100_000)) < 2.0


@pytest.mark.parametrize(("field", "value"), [("who", "nobody"), ("process", "jump"), ("rule", "psychic"), ("credit", True)])
def test_a_bad_model_choice_names_the_field(field, value):
    kwargs = {"who": "mutual", "process": "random_walk", "rule": "myopic", "credit": "runway", field: value}
    with pytest.raises(InputError, match=field):
        valuation.ModelChoice(**kwargs)
