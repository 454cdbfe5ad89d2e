"""What-if files as people really write them: spreadsheets' empty rows and columns, notes with commas or pasted control
characters, a hundred mistakes at once, -0 typed for 0."""

from __future__ import annotations

import pytest

from analysis.inputs import TableError, load_inputs
from analysis.inputs.types import MAX_PROBLEMS_SHOWN

HEADER = "id,unit,low,base,high,note\n"


def _write(tmp_path, text: str):
    path = tmp_path / "what-if.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unquoted_comma_in_a_note_names_the_line_and_the_fix(tmp_path):
    path = _write(tmp_path, HEADER + "credit.monthly_burn_usd,usd,5000000,30000000,100000000,staff, compute and data\n")
    with pytest.raises(TableError, match=r"what-if.csv, line 2 \(id 'credit.monthly_burn_usd'\): .* is '7 fields'; expected 6 "
                                         r"fields, as in the header \(put a note that holds a comma in double quotes\)"):
        load_inputs(overrides=path)


def test_a_spreadsheets_empty_trailing_rows_and_columns_are_ignored(tmp_path):
    path = _write(tmp_path, "id,unit,low,base,high,note,,\n"
                            "credit.monthly_burn_usd,usd,5000000,30000000,100000000,\"staff, compute\",,\n,,,,,,,\n,,,,,,,\n")
    inputs = load_inputs(overrides=path)
    assert inputs.assumptions["credit.monthly_burn_usd"].base == 30_000_000


def test_control_characters_are_removed_from_notes(tmp_path):
    path = _write(tmp_path, HEADER + "credit.monthly_burn_usd,usd,5000000,30000000,100000000,staff\x07 only\x1b[31m\n")
    note = load_inputs(overrides=path).assumptions["credit.monthly_burn_usd"].override_note
    assert note == "what-if.csv: staff only[31m"


def test_a_hundred_mistakes_print_fifty_lines_and_count_the_rest(tmp_path):
    rows = "".join(f"no.such_entry_{i},usd,1,2,3,\n" for i in range(120))
    with pytest.raises(TableError) as info:
        load_inputs(overrides=_write(tmp_path, HEADER + rows))
    message = str(info.value)
    assert len(info.value.problems) == 120
    assert sum("no.such_entry_" in line for line in message.splitlines()) == MAX_PROBLEMS_SHOWN and "... and 70 more" in message
    assert len(message.splitlines()) == MAX_PROBLEMS_SHOWN + 2


def test_minus_zero_and_zero_name_the_same_assumption_set(tmp_path, inputs):
    entry = inputs.assumptions["credit.deposit_months"]
    assert entry.low == 0
    plain = load_inputs(overrides=_write(tmp_path, HEADER + f"credit.deposit_months,months,0,0,{entry.high:g},\n"))
    minus = load_inputs(overrides=_write(tmp_path, HEADER + f"credit.deposit_months,months,-0,-0.0,{entry.high:g},\n"))
    assert minus.assumption_hash == plain.assumption_hash == inputs.assumption_hash


def test_an_all_equity_case_is_refused_by_check_not_by_a_crash(tmp_path):
    # A zero debt share used to pass check and then divide by zero in the financing model.
    path = _write(tmp_path, HEADER + "finance.debt_share,ratio,0,0,0,all equity\n")
    with pytest.raises(TableError, match=r"id 'finance.debt_share'\): field 'base' is 0.0; expected a value the model supports"):
        load_inputs(overrides=path)


def test_financing_names_a_zero_debt_share(results):
    import dataclasses

    from analysis.models import seller
    from analysis.validate import InputError
    params = dataclasses.replace(results.params, debt_share=0.0)
    with pytest.raises(InputError, match="finance.debt_share"):
        seller.financing(params, results.cash, results.seller, results.returns.full_term_flows)


@pytest.mark.parametrize(("row", "field"), [
    ("pricing.contract_price_usd_per_gpu_hour,usd_per_gpu_hour,3,32,40,a node's price", "base"),  # per 8-GPU node
    ("credit.monthly_burn_usd,usd,5000000,240000000,300000000,a year's spending", "base"),  # annual as monthly
    ("termination.mean_reversion_half_life_months,months,6,1.5,24,in years", "base"),  # years for months
    ("capex.facility_usd_per_mw,usd,2700000,10000,13000000,per kW", "base"),  # per kW as per MW
    ("pricing.annual_price_decline,ratio,-0.4,-0.285,0.03,sign flipped", "low"),  # a fall typed as negative
    ("termination.buyer_switching_cost,ratio,0.1,0.25,5,500%", "high"),  # 500% typed as 5
])
def test_magnitude_slips_are_refused_with_the_slip_named(tmp_path, row, field):
    path = _write(tmp_path, HEADER + row + "\n")
    with pytest.raises(TableError, match=rf"field '{field}' is .*; expected a plausible value, between .* widen its row in "
                                         r"data/plausible_ranges.csv"):
        load_inputs(overrides=path)


def test_every_register_entry_has_a_plausible_range_around_its_cases(inputs):
    for a in inputs.assumptions.values():
        assert a.supported_min <= a.plausible_min <= a.low <= a.high <= a.plausible_max <= a.supported_max, a.id
        assert a.plausible_note, a.id


def test_a_plausible_range_narrower_than_the_register_is_refused(data_copy):
    from .conftest import assert_refused
    assert_refused(data_copy, "plausible_ranges.csv", "pricing.contract_price_usd_per_gpu_hour,1,15,",
                   "pricing.contract_price_usd_per_gpu_hour,3,15,",
                   r"plausible_ranges.csv, line \d+ \(id 'pricing.contract_price_usd_per_gpu_hour'\): "
                   r"field 'plausible_min' is 3.0; expected a value from supported_min")
