"""The model-choice table: every choice's value within its bounds, path for path where the paths are shared, and
the choices compared on common random numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.methods import METHODS
from analysis.models import cashflow, credit, terms, valuation
from analysis.models.valuation import Credit, Process, Rule, Who
from analysis.validate import InputError

DEGREE = METHODS.lsm_basis_degree


@pytest.fixture(scope="module")
def small(inputs):
    """The base contract on 4,000 valuation paths (2,000 fitting paths)."""
    deal, params = terms.deal(inputs), terms.parameters(inputs)
    cash = cashflow.cashflow_model(deal, params)
    survival = credit.credit_model(inputs, params, deal, cash.schedule.months, cash.pv_by_month).survival
    paths = valuation.simulate_paths(params, cash, survival, 4_000, 2_000, METHODS.valuation_seed)
    return params, cash, paths


def _committed_and_full(cash):
    per_payment = np.diff(cash.pv_by_month, prepend=0.0)
    return per_payment, float(per_payment[: cash.clause.committed_months].sum()), float(per_payment.sum())


@pytest.mark.parametrize("choice", valuation.TABLE, ids=lambda c: c.id)
def test_every_choice_is_bounded_path_by_path(small, choice):
    params, cash, paths = small
    per_payment, committed, full = _committed_and_full(cash)
    out = valuation.value(choice, valuation.exit_contract(cash), valuation.frictions(params), paths, DEGREE)
    cumulative = np.concatenate([[0.0], np.cumsum(per_payment)])
    assert np.all(out.pv_usd <= full * (1 + 1e-12))
    if not choice.credit.defaults:
        # Without default the earliest end is the committed minimum: every path lies between it and the full term.
        assert np.all(out.pv_usd >= committed * (1 - 1e-12))
        assert committed <= out.expected_pv_usd <= full
    else:
        # With default, a path pays at most what default alone lets it pay, and at least the committed months
        # that come before the default.
        until_default = cumulative[paths.default_month - 1]
        floor = cumulative[np.minimum(paths.default_month - 1, cash.clause.committed_months)]
        assert np.all(out.pv_usd <= until_default * (1 + 1e-12))
        assert np.all(out.pv_usd >= floor * (1 - 1e-12))


def test_mutual_exit_ends_no_later_than_reflection_alone(small):
    # Under the myopic rule the buyer's decisions are the same in both games; the seller's right can only add exits.
    params, cash, paths = small
    contract, fr = valuation.exit_contract(cash), valuation.frictions(params)
    for process in Process:
        mutual = valuation.value(valuation.ModelChoice(Who.MUTUAL, process, Rule.MYOPIC, Credit.NONE), contract, fr, paths, DEGREE)
        buyer = valuation.value(valuation.ModelChoice(Who.BUYER, process, Rule.MYOPIC, Credit.NONE), contract, fr, paths, DEGREE)
        assert np.all(mutual.end_month <= buyer.end_month)


def test_credit_only_shortens_the_same_paths(small):
    params, cash, paths = small
    contract, fr = valuation.exit_contract(cash), valuation.frictions(params)
    on = valuation.value(dataclasses.replace(valuation.HEADLINE, rule=Rule.MYOPIC), contract, fr, paths, DEGREE)
    off = valuation.value(dataclasses.replace(valuation.HEADLINE, rule=Rule.MYOPIC, credit=Credit.NONE), contract, fr, paths, DEGREE)
    assert np.all(on.end_month <= off.end_month)
    assert np.all(on.end_month == np.minimum(off.end_month, paths.default_month - 1))


def test_the_book_table_respects_its_bounds(results, figures):
    committed = figures.value("cashflow.npv_committed_minimum_usd")
    full = figures.value("cashflow.npv_full_term_usd")
    credit_only = results.valuation.no_exit_credit.expected_pv_usd
    # The table is every combination of the enumerations (who may exit in the table, process, rule, credit).
    assert len(results.valuation.table) == len(valuation.TABLE_WHO) * len(Process) * len(Rule) * len(Credit)
    assert len({row.choice.id for row in results.valuation.table}) == len(results.valuation.table)
    for row in results.valuation.table:
        if row.choice.credit.defaults:
            assert row.expected_pv_usd <= credit_only
        else:
            assert committed <= row.expected_pv_usd <= full
        assert row.pv_p10_usd <= row.expected_pv_usd <= row.pv_p90_usd or row.pv_p10_usd == row.pv_p90_usd
    assert results.valuation.summary(valuation.HEADLINE).expected_pv_usd == figures.value("cashflow.expected_pv_usd")


def test_the_simulated_credit_only_value_matches_the_closed_form(results):
    # Same default draws as every credit-on row: payments up to the month before default.
    per_payment = np.diff(results.cash.pv_by_month, prepend=0.0)
    paid = np.concatenate([[0.0], np.cumsum(per_payment)])[results.valuation.headline.default_month - 1]
    se = paid.std() / np.sqrt(len(paid))
    assert paid.mean() == pytest.approx(results.valuation.no_exit_credit.expected_pv_usd, rel=1e-9)
    assert abs(paid.mean() - results.credit.expected_pv_credit_only_usd) <= 4 * se


@pytest.mark.parametrize(("field", "value"), [("who", "nobody"), ("process", "jump"), ("rule", "psychic"), ("credit", True)])
def test_a_bad_model_choice_names_the_field(field, value):
    kwargs = {"who": "mutual", "process": "random_walk", "rule": "myopic", "credit": "runway", field: value}
    with pytest.raises(InputError, match=field):
        valuation.ModelChoice(**kwargs)
