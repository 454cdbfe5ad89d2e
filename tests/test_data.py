"""Loading and validation of data/: the real inputs load, and every kind of bad input is named precisely."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.inputs import CONFIDENCE_LEVELS, TableError, load_inputs
from analysis.inputs.bibliography import load_bibliography

from .conftest import REPO, assert_refused, replace_in


def test_real_inputs_load_and_every_source_resolves(inputs):
    cited = {k for t in inputs.terms.values() for k in t.source_ids}
    cited |= {k for a in inputs.assumptions.values() for k in a.source_ids}
    assert cited <= set(inputs.sources)
    assert {t.confidence for t in inputs.terms.values()} <= set(CONFIDENCE_LEVELS)


def _cited(inputs) -> set[str]:
    """Keys cited by a data row or by a chapter's {cite:p}/{cite:t} role."""
    cited = {k for t in inputs.terms.values() for k in t.source_ids}
    cited |= {k for a in inputs.assumptions.values() for k in a.source_ids}
    for table in (inputs.gpu_prices, inputs.gpu_specs, inputs.gpu_launches, inputs.price_bands, inputs.comparable_deals,
                  inputs.published_trends, inputs.company_figures, inputs.funding_rounds, inputs.financing,
                  inputs.deal_tranches, inputs.tenant_fleets, inputs.price_pairs, inputs.known_state):
        cited |= {k for value in table["source_id"] for k in value.split(";")}
    for chapter in (REPO / "chapters").glob("*.*"):
        if chapter.suffix in (".ipynb", ".md"):
            for keys in re.findall(r"\{cite:[pt]\}`([^`]+)`", chapter.read_text(encoding="utf-8")):
                cited |= {k.strip() for k in keys.split(",")}
    return cited


def test_every_bibliography_entry_is_cited_somewhere(inputs):
    assert set(inputs.sources) - _cited(inputs) == set(), "uncited entries in references.bib"


def test_market_tables_have_enough_sourced_rows(inputs):
    assert len(inputs.gpu_prices) >= 25
    assert set(inputs.gpu_prices["gpu"]) >= {"H100", "H200", "B200", "GB200", "B300"}
    assert (inputs.gpu_prices["in_fit"] == "yes").sum() >= 25
    assert not inputs.gpu_specs.duplicated(["gpu", "metric"]).any()


def test_terms_are_typed_by_unit(inputs):
    assert isinstance(inputs.term("start_date"), dt.date)
    assert isinstance(inputs.term("notice_days"), int)
    assert isinstance(inputs.term("monthly_payment_usd"), float)


def test_assumptions_are_ordered_low_base_high(inputs):
    for a in inputs.assumptions.values():
        assert a.low <= a.base <= a.high, a.id
        assert a.rationale_low and a.rationale_base and a.rationale_high


def _error(data_dir: Path) -> str:
    with pytest.raises(ValueError) as info:
        load_inputs(data_dir)
    assert isinstance(info.value, TableError)
    return str(info.value)


def test_missing_source_is_named_with_file_line_and_row(data_copy):
    path = data_copy / "assumptions.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["id"] == "finance.discount_rate", "source_id"] = ""
    table.to_csv(path, index=False)
    message = _error(data_copy)
    assert "assumptions.csv, line 2 (id 'finance.discount_rate')" in message
    assert "field 'source_id' is empty (or not a number); expected a value" in message


def test_unknown_source_key_is_named(data_copy):
    replace_in(data_copy / "deal_terms.csv", "usd_per_month,outpost2026spacex;", "usd_per_month,nosuchsource2026;")
    message = _error(data_copy)
    assert "deal_terms.csv, line 4 (id 'monthly_payment_usd')" in message
    assert "'nosuchsource2026'" in message and "references.bib" in message


def test_low_above_base_is_named(data_copy):
    replace_in(data_copy / "assumptions.csv", ",0.059,0.08,0.11,", ",0.12,0.08,0.11,")
    message = _error(data_copy)
    assert "id 'finance.discount_rate'" in message and "field 'low' is 0.12" in message
    assert "<= base (0.08)" in message


def test_base_above_high_is_named(data_copy):
    replace_in(data_copy / "assumptions.csv", ",0.059,0.08,0.11,", ",0.059,0.16,0.11,")
    assert "field 'high' is 0.11; expected a value >= base (0.16)" in _error(data_copy)


def test_wrong_type_is_named(data_copy):
    replace_in(data_copy / "assumptions.csv", ",0.059,0.08,0.11,", ",0.059,eleven,0.11,")
    message = _error(data_copy)
    assert "field 'base' is 'eleven'; expected a number" in message


def test_nan_is_rejected(data_copy):
    replace_in(data_copy / "assumptions.csv", ",0.059,0.08,0.11,", ",0.059,nan,0.11,")
    assert "field 'base'" in _error(data_copy)


def test_infinite_value_is_rejected(data_copy):
    replace_in(data_copy / "assumptions.csv", ",0.059,0.08,0.11,", ",0.059,0.08,inf,")
    assert "field 'high' is inf; expected a finite number" in _error(data_copy)


def test_duplicated_id_is_named(data_copy):
    path = data_copy / "deal_terms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[3]]) + "\n", encoding="utf-8")
    message = _error(data_copy)
    assert "field 'id'" in message and "duplicated" in message and "monthly_payment_usd" in message


def test_dates_out_of_order_are_named(data_copy):
    replace_in(data_copy / "deal_terms.csv", "2029-12-31,date", "2026-06-30,date")
    message = _error(data_copy)
    assert "id 'end_date'" in message and "'2026-06-30'" in message and "after start_date (2026-07-01)" in message


def test_malformed_date_is_named(data_copy):
    replace_in(data_copy / "deal_terms.csv", "2026-07-01,date", "1 July 2026,date")
    assert "field 'value' is '1 July 2026'; expected a date as YYYY-MM-DD" in _error(data_copy)


def test_negative_payment_is_rejected(data_copy):
    replace_in(data_copy / "deal_terms.csv", ",150000000,", ",-150000000,")
    assert "expected a positive, finite number of US dollars" in _error(data_copy)


def test_unknown_confidence_is_rejected(data_copy):
    replace_in(data_copy / "deal_terms.csv", "usd_per_month,outpost2026spacex;letsdatascience2026spacex;dcintel2026spacex,reported",
               "usd_per_month,outpost2026spacex;letsdatascience2026spacex;dcintel2026spacex,rumour")
    message = _error(data_copy)
    assert "field 'confidence' is 'rumour'" in message and "analyst_estimate" in message


def test_unknown_term_and_wrong_unit_are_rejected(data_copy):
    replace_in(data_copy / "deal_terms.csv", "notice_days,Notice period,90,days", "notice_days,Notice period,90,months")
    assert "field 'unit' is 'months'; expected 'days' for this term" in _error(data_copy)


def test_missing_required_term_is_named(data_copy):
    path = data_copy / "deal_terms.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("notice_days,")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "id 'notice_days'" in _error(data_copy)


def test_unknown_column_is_named(data_copy):
    path = data_copy / "assumptions.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.assign(extra="x").to_csv(path, index=False)
    message = _error(data_copy)
    assert "field 'extra' is '(unknown column)'" in message and "rationale_high" in message


def test_missing_column_is_named(data_copy):
    path = data_copy / "assumptions.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="rationale_high").to_csv(path, index=False)
    assert "field 'rationale_high' is '(missing)'" in _error(data_copy)


def test_non_utf8_file_is_rejected(data_copy):
    path = data_copy / "deal_terms.csv"
    path.write_bytes(path.read_bytes().replace(b"Reflection AI", "Reflection \xe9AI".encode("latin-1"), 1))
    message = _error(data_copy)
    assert "deal_terms.csv" in message and "UTF-8" in message


def test_truncated_file_is_rejected(data_copy):
    path = data_copy / "assumptions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("Compute-contract debt") + 20], encoding="utf-8")
    message = _error(data_copy)
    assert "assumptions.csv" in message


def test_empty_and_header_only_files_are_rejected(data_copy):
    path = data_copy / "assumptions.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text("", encoding="utf-8")
    assert "a header line and at least one row" in _error(data_copy)
    path.write_text(header + "\n", encoding="utf-8")
    assert "at least one data row" in _error(data_copy)


def test_missing_file_is_named(data_copy):
    (data_copy / "assumptions.csv").unlink()
    assert "assumptions.csv" in _error(data_copy) and "an existing file" in _error(data_copy)


def test_bibliography_entry_without_url_is_rejected(data_copy):
    path = data_copy / "references.bib"
    replace_in(path, "  url          = {https://shiporskip.io/news/spacex-reflection-ai-compute-deal-150m-month},\n", "")
    with pytest.raises(ValueError, match=r"id 'shiporskip2026spacex'\): field 'url' is empty"):
        load_bibliography(path)


def test_malformed_bibliography_is_rejected(data_copy):
    path = data_copy / "references.bib"
    path.write_text(path.read_text(encoding="utf-8") + "\n@online{broken,\n  title = {unterminated\n", encoding="utf-8")
    with pytest.raises(ValueError, match="valid BibTeX"):
        load_bibliography(path)


def test_assumption_lookup_errors_name_the_id(inputs):
    with pytest.raises(ValueError, match="no entry with id 'finance.nope'"):
        inputs.assumption("finance.nope")
    with pytest.raises(ValueError, match="expected 'low', 'base' or 'high'"):
        inputs.assumption("finance.discount_rate", "bear")


def _edit_csv(path: Path, row_key: tuple[str, str], column: str, value: str) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = table[row_key[0]] == row_key[1]
    assert mask.any(), row_key
    table.loc[mask, column] = value
    table.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [("price_usd", "-3", "expected a number > 0"), ("price_usd", "abc", "expected a number"),
     ("date", "2026/09/20", "expected a date as YYYY-MM-DD"), ("gpu", "TPUv7", "expected one of A100, H100"), ("price_kind", "futures", "expected one of on_demand_list"),
     ("price_basis", "per_week", "expected one of gpu_hour"), ("gpus_per_unit", "0", "expected a number > 0"),
     ("date", "2027-01-01", "on or before 2026-11-28")],
)
def test_bad_price_rows_are_named(data_copy, column, value, expected):
    _edit_csv(data_copy / "gpu_prices.csv", ("obs_id", "A19"), column, value)
    message = _error(data_copy)
    assert "gpu_prices.csv" in message and "(id 'A19')" in message and f"field '{column}'" in message
    assert expected in message


def test_duplicate_spec_is_rejected(data_copy):
    path = data_copy / "gpu_specs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    assert "gpu_specs.csv" in _error(data_copy)


def test_fractional_term_is_rejected(data_copy):
    _edit_csv(data_copy / "comparable_deals.csv", ("deal_id", "nebius_microsoft"), "term_months", "60.5")
    assert "field 'term_months' is 60.5; expected a whole number of months" in _error(data_copy)


def test_trend_outside_its_interval_is_rejected(data_copy):
    _edit_csv(data_copy / "published_trends.csv", ("trend_id", "epoch_ml_gpus"), "value", "4.0")
    assert "expected a value within [1.54, 3.13]" in _error(data_copy)


def test_bibliography_entry_that_cannot_be_typeset_is_rejected(data_copy):
    # An unescaped % starts a LaTeX comment and unbalances the braces: the book build would crash.
    path = data_copy / "references.bib"
    replace_in(path, "title        = {{Trends in GPU price-performance}},", "title        = {{Trends in GPU price-performance: 28% a year}},")
    with pytest.raises(ValueError, match=r"id 'epoch2022gpupriceperformance'\): field '\(entry\)'.*escape %"):
        load_bibliography(path)


# --------------------------------------------------------------------------------------------
# Plausibility: what `python -m analysis check` catches beyond each table's schema


def _check_error(data_dir) -> str:
    from analysis.models.checks import check

    with pytest.raises(TableError) as info:
        check(load_inputs(data_dir))
    return str(info.value)


def test_a_price_outside_its_generations_band_is_rejected(data_copy):
    # A per-instance price entered as per GPU-hour: $49.24 for one H100 GPU-hour, far above any quoted band.
    replace_in(data_copy / "gpu_prices.csv", 'neocloud,on_demand_list,,49.24,instance_hour,8,coreweave_hgx_h100_od,y',
               'neocloud,on_demand_list,,49.24,gpu_hour,1,coreweave_hgx_h100_od,y')
    with pytest.raises(TableError, match=r"gpu_prices.csv, line \d+ \(id 'A09'\): field 'price_usd' is 49.24; expected a price of "):
        load_inputs(data_copy)


def test_a_per_gpu_hour_price_must_have_one_gpu_per_unit(data_copy):
    replace_in(data_copy / "gpu_prices.csv", ",2.95,gpu_hour,1,", ",2.95,gpu_hour,8,")
    with pytest.raises(TableError, match=r"field 'gpus_per_unit' is 8; expected 1 for a price per GPU-hour"):
        load_inputs(data_copy)


def test_a_price_dated_before_its_generations_launch_is_rejected(data_copy):
    replace_in(data_copy / "gpu_prices.csv", "E04,2026-", "E04,2024-")
    with pytest.raises(TableError, match=r"\(id 'E04'\): field 'date' is '2024-.*'; expected a date on or after B300's first availability"):
        load_inputs(data_copy)


def test_a_reported_headline_that_disagrees_with_payment_times_term_needs_a_note(data_copy):
    path = data_copy / "deal_terms.csv"
    text = path.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("headline_value_usd,"))
    path.write_text(text.replace(line, line.replace("6300000000", "6000000000", 1)), encoding="utf-8")
    assert "field 'value' is 6000000000.0; expected the monthly payment × 42 months" in _check_error(data_copy)
    # Recording the disagreement in the row's note is accepted.
    recorded = line.replace("6300000000", "6000000000", 1).replace('"""up to""', '"Reports disagree with 42 x $150M: ""up to""', 1)
    path.write_text(text.replace(line, recorded), encoding="utf-8")
    from analysis.models.checks import check

    check(load_inputs(data_copy))


def test_an_embedded_line_break_in_a_field_is_rejected(data_copy):
    replace_in(data_copy / "comparable_deals.csv", "Five-year, $11.9B agreement (March 2025)", "Five-year, $11.9B\nagreement (March 2025)")
    with pytest.raises(TableError, match=r"comparable_deals.csv, line \d+ \(id 'coreweave_openai'\): field 'note' is .*; expected text on one line"):
        load_inputs(data_copy)


def test_a_tranche_of_an_unknown_deal_is_named(data_copy):
    _edit_csv(data_copy / "deal_tranches.csv", ("deal_id", "nscale_aker_narvik"), "deal_id", "nscale_narvik")
    message = _error(data_copy)
    assert "data/deal_tranches.csv" in message and "'nscale_narvik'" in message and "a deal_id of data/comparable_deals.csv" in message


def test_a_price_pair_must_cite_its_observations_sources(data_copy):
    _edit_csv(data_copy / "price_pairs.csv", ("pair_id", "aws_p5_3yr_reserved_vs_on_demand"), "source_id", "hn2024p5reserved")
    message = _error(data_copy)
    assert "price_pairs.csv" in message and "field 'source_id'" in message and "the two observations' sources" in message


def test_a_rack_pair_must_compare_a_rack_with_its_own_board(data_copy):
    _edit_csv(data_copy / "price_pairs.csv", ("pair_id", "coreweave_gb200_nvl72_vs_hgx_b200_2026_02"), "denominator_obs", "E04")
    message = _error(data_copy)
    assert "field 'denominator_obs' is 'E04'" in message and "the 8-GPU board of GB200 (B200)" in message


def test_a_term_pair_needs_a_reservation_with_its_term(data_copy):
    _edit_csv(data_copy / "price_pairs.csv", ("pair_id", "aws_p5_3yr_reserved_vs_on_demand"), "numerator_obs", "A35")
    assert "a reservation with its term, over a price that is not a reservation" in _error(data_copy)


def test_an_unknown_architecture_is_named(data_copy):
    _edit_csv(data_copy / "gpu_launches.csv", ("gpu", "H100"), "architecture", "Volta")
    message = _error(data_copy)
    assert "gpu_launches.csv" in message and "field 'architecture' is 'Volta'" in message


def test_a_price_band_far_from_the_prices_it_bounds_is_refused(data_copy):
    assert_refused(data_copy, "price_bands.csv", "GB300,index,12.32,12.32,", "GB300,index,0.40,40,",
                   r"price_bands.csv, line 18 \(id 'GB300 index'\): field 'low_usd_per_gpu_hour' is "
                   r"'?0.4'?; expected a bound within 3x of the \d+ GB300 index prices it bounds")


def test_a_comparable_deal_whose_implied_price_leaves_the_bands_is_refused(data_copy):
    assert_refused(data_copy, "comparable_deals.csv", "nebius_microsoft,Microsoft,Nebius,GB300,17400000000,",
                   "nebius_microsoft,Microsoft,Nebius,GB300,174000000000,",
                   r"comparable_deals.csv, line \d+ \(id 'nebius_microsoft'\): field 'total_value_usd' .*it implies \$39.73\)")


@pytest.mark.parametrize(("old", "new", "expected"), [("GB300 NVL72,gpus_per_rack,72,", "GB300 NVL72,gpus_per_rack,36,", "72, as an NVL72"),
                                                      ("GB300,bf16_dense_tflops,2500,", "GB300,bf16_dense_tflops,2.5,", "dense TFLOPS")])
def test_specification_slips_are_refused(data_copy, old, new, expected):
    assert_refused(data_copy, "gpu_specs.csv", old, new, f"gpu_specs.csv, line .*expected {expected}")
