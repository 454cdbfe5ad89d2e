"""What-if runs: override files are validated entry by entry, and a run changes the numbers consistently."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.inputs import TableError, load_inputs
from analysis.keyfigures import key_figures as _key_figures
from analysis.results import compute

from .conftest import REPO


def key_figures(inputs):
    return _key_figures(compute(inputs, with_sensitivity=False))


HEADER = "id,unit,low,base,high,note\n"


def _override(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "whatif.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("finance.nope,rate_annual,0.1,0.1,0.1,", "field 'id' is 'finance.nope'; expected an id of data/assumptions.csv"),
        ("finance.discount_rate,ratio,0.1,0.1,0.1,", "field 'unit' is 'ratio'; expected 'rate_annual'"),
        ("finance.discount_rate,rate_annual,0.2,0.1,0.3,", "field 'low' is 0.2; expected a value <= base (0.1)"),
        ("finance.discount_rate,rate_annual,0.1,0.2,0.15,", "field 'high' is 0.15; expected a value >= base (0.2)"),
        ("finance.discount_rate,rate_annual,0.1,0.9,0.95,", "field 'base' is 0.9; expected a value the model supports, between 0 and 0.5"),
        ("finance.discount_rate,rate_annual,0.1,abc,0.15,", "field 'base' is 'abc'; expected a number"),
        ("deal.notice_earliest_month,months,0,1.5,3,", "field 'base' is 1.5; expected a whole number of months"),
        ("pricing.annual_price_decline,ratio,0.1,1.0,1.0,", "expected a value the model supports, between -0.9 and 0.9"),
    ],
)
def test_bad_override_names_the_entry(tmp_path, row, expected):
    path = _override(tmp_path, row + "\n")
    with pytest.raises(TableError) as info:
        load_inputs(overrides=path)
    assert "whatif.csv, line 2" in str(info.value) and expected in str(info.value)


def test_cli_rejects_a_bad_override_before_anything_runs(tmp_path):
    path = _override(tmp_path, "finance.nope,rate_annual,0.1,0.1,0.1,\n")
    result = subprocess.run([sys.executable, "-m", "analysis", "--assumptions", str(path), "check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "finance.nope" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_make_check_inputs_honours_assumptions(tmp_path):
    path = _override(tmp_path, "finance.nope,rate_annual,0.1,0.1,0.1,\n")
    result = subprocess.run(["make", "--no-print-directory", "check-inputs", f"ASSUMPTIONS={path}"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "finance.nope" in result.stderr


def test_shipped_scenarios_load_and_move_the_numbers_consistently(figures):
    base = figures
    scenario = {}
    for name in ("bear", "bull"):
        inputs = load_inputs(overrides=REPO / "scenarios" / f"{name}.csv")
        assert inputs.assumption_set == f"what-if: {name}.csv"
        figures = key_figures(inputs)
        assert set(figures) == {f for f in base if not f.startswith("sensitivity.")}
        # Reported deal terms do not move; modelled values do.
        for fid in ("deal.headline_value_usd", "deal.committed_minimum_usd", "deal.monthly_payment_usd"):
            assert figures.value(fid) == base.value(fid)
        assert figures.value("cashflow.expected_pv_usd") != base.value("cashflow.expected_pv_usd")
        # Internal consistency holds in every assumption set: without default the value lies between the committed
        # minimum and the full term; default can cut even the committed months, so with it the bound is what
        # default alone leaves (same draws, so this holds path by path).
        assert figures.value("cashflow.npv_committed_minimum_usd") <= figures.value("cashflow.expected_pv_optimal_usd") <= figures.value(
            "cashflow.npv_full_term_usd")
        assert figures.value("cashflow.expected_pv_usd") <= figures.value("cashflow.expected_pv_credit_only_usd") <= figures.value(
            "cashflow.npv_full_term_usd")
        scenario[name] = figures
    bear, bull = scenario["bear"], scenario["bull"]
    assert bear.value("cashflow.expected_pv_usd") < base.value("cashflow.expected_pv_usd") < bull.value("cashflow.expected_pv_usd")


def test_register_hash_names_the_assumption_set():
    base = load_inputs()
    bear = load_inputs(overrides=REPO / "scenarios" / "bear.csv")
    assert len(base.assumption_hash) == 12 and base.assumption_hash != bear.assumption_hash
    assert load_inputs().assumption_hash == base.assumption_hash
