"""The sensitivity machinery on models whose answers are known: a one-way grid that sees an interior peak, the
price curve, and SALib's Sobol' indices against the analytic variance shares of an additive model."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.methods import METHODS
from analysis.models import sensitivity
from analysis.validate import InputError

PRICE = "pricing.contract_price_usd_per_gpu_hour"
MARKET = "pricing.market_price_usd_per_gpu_hour"
COST = "termination.buyer_switching_cost"


def _flat(value: float) -> dict[str, float]:
    return {name: value for name in sensitivity.OUTPUTS}


def test_grid_runs_low_to_base_to_high():
    assert sensitivity.grid(1.0, 2.0, 5.0, whole=False).tolist() == [1.0, 1.5, 2.0, 3.5, 5.0]
    assert sensitivity.grid(0.0, 2.0, 6.0, whole=True).tolist() == [0.0, 1.0, 2.0, 4.0, 6.0]
    assert sensitivity.grid(1.0, 1.0, 1.0, whole=False).tolist() == [1.0]


def test_one_way_finds_a_peak_that_the_ends_miss(inputs):
    entry = inputs.assumptions[PRICE]
    assert entry.low < entry.base < entry.high

    def evaluate(x):
        p = x.assumptions[PRICE].base
        return {**_flat(1.0), "expected_pv_usd": -((p - entry.base) ** 2)}

    table = sensitivity.one_way(inputs, evaluate, ids=[PRICE])
    row = table[table["output"] == "expected_pv_usd"].iloc[0]
    assert row["grid_max"] == 0.0 and row["argmax_value"] == entry.base and bool(row["interior_extreme"])
    assert row["grid_min"] == min(row["at_low"], row["at_high"]) < 0
    assert row["swing"] == pytest.approx(max((entry.base - entry.low) ** 2, (entry.high - entry.base) ** 2))
    flat = table[table["output"] == "payback_months"].iloc[0]
    assert flat["swing"] == 0.0 and not bool(flat["interior_extreme"])


def test_value_against_price_sets_the_price(inputs):
    curve = sensitivity.value_against_price(inputs, np.array([2.5, 5.0, 7.5]),
                                            lambda x: {**_flat(0.0), "expected_pv_usd": 2 * x.assumptions[PRICE].base})
    assert curve["contract_price_usd_per_gpu_hour"].tolist() == [2.5, 5.0, 7.5]
    assert curve["expected_pv_usd"].tolist() == [5.0, 10.0, 15.0]
    assert METHODS.contract_price_grid_usd_per_gpu_hour[0] == 2.5 and METHODS.contract_price_grid_usd_per_gpu_hour[-1] == 7.5


def _triangular_variance(low: float, mode: float, high: float) -> float:
    return (low**2 + high**2 + mode**2 - low * high - low * mode - high * mode) / 18


def test_sobol_indices_match_the_variance_shares_of_an_additive_model(inputs):
    # y = 3 A + B over triangular inputs: S1 = ST = each term's share of the variance; every other entry 0.
    a, b = inputs.assumptions[MARKET], inputs.assumptions[COST]
    var_a = 9 * _triangular_variance(a.low, a.base, a.high)
    var_b = _triangular_variance(b.low, b.base, b.high)

    def model(values):
        return {**_flat(1.0), "expected_pv_usd": 3 * values[MARKET] + values[COST]}

    indices, sample = sensitivity.global_sobol(inputs, n_base=1024, model=model)
    pv = indices[indices["output"] == "expected_pv_usd"].set_index("id")
    share_a = var_a / (var_a + var_b)
    assert pv.loc[MARKET, "ST"] == pytest.approx(share_a, abs=0.05)
    assert pv.loc[MARKET, "S1"] == pytest.approx(share_a, abs=0.05)
    assert pv.loc[COST, "ST"] == pytest.approx(1 - share_a, abs=0.05)
    others = pv.drop(index=[MARKET, COST])
    assert np.all(others["ST"].abs() < 1e-9)
    # An output that never moves has no driver: zero indices, not a division by zero.
    flat = indices[indices["output"] == "payback_months"]
    assert np.all(flat["ST"] == 0.0)
    # The sample stays inside each entry's range and has N × (D + 2) rows.
    d = len(sensitivity.global_entries(inputs))
    assert len(sample) == 1024 * (d + 2)
    for key in (MARKET, COST):
        entry = inputs.assumptions[key]
        assert sample[key].between(entry.low, entry.high).all()


def test_with_values_rejects_an_unknown_entry(inputs):
    with pytest.raises(InputError, match="pricing.nope"):
        sensitivity.with_values(inputs, {"pricing.nope": 1.0})


def test_the_book_one_way_table_is_consistent(results):
    table = results.sensitivity.one_way
    assert np.all(table["grid_min"] <= table[["at_low", "at_high", "base"]].min(axis=1) + 1e-9)
    assert np.all(table["grid_max"] >= table[["at_low", "at_high", "base"]].max(axis=1) - 1e-9)
    curve = results.sensitivity.price_curve
    assert curve["contract_price_usd_per_gpu_hour"].tolist() == list(METHODS.contract_price_grid_usd_per_gpu_hour)


def test_screening_keeps_entries_that_move_some_output(inputs):
    import pandas as pd

    rows = [{"id": MARKET, "output": "expected_pv_usd", "swing": 100.0}, {"id": COST, "output": "expected_pv_usd", "swing": 0.5},
            {"id": COST, "output": "seller_irr_full_term", "swing": 0.2}, {"id": PRICE, "output": "seller_irr_full_term", "swing": 0.3},
            {"id": "capex.rack_price_usd", "output": "payback_months", "swing": 0.0}]
    kept = sensitivity.screened_entries(inputs, pd.DataFrame(rows), share=0.01)
    # The switching cost moves the value by 0.5% of the widest range, but SpaceX's IRR by two thirds of its widest.
    assert set(kept) == {MARKET, COST, PRICE}
    assert sensitivity.screened_entries(inputs, pd.DataFrame(rows[:2]), share=0.01) == [MARKET]
