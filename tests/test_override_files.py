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
