"""The key-figures registry and its command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from analysis.cli import main

REQUIRED = [
    "deal.monthly_payment_usd",
    "deal.term_months",
    "deal.headline_value_usd",
    "deal.start_date",
    "deal.end_date",
    "deal.committed_minimum_usd",
    "deal.committed_minimum_alt_usd",
    "pricing.implied_gpus", "pricing.implied_racks", "pricing.implied_it_mw", "pricing.market_price_usd_per_gpu_hour",
    "pricing.annual_price_decline", "pricing.market_price_low_usd_per_gpu_hour", "pricing.market_price_high_usd_per_gpu_hour",
    "cashflow.npv_full_term_usd", "cashflow.npv_committed_minimum_usd", "cashflow.expected_pv_usd",
    "cashflow.prob_full_term", "cashflow.expected_life_months",
    "capex.capex_per_gpu_usd", "capex.dedicated_capex_usd", "capex.tco_usd_per_gpu_hour", "capex.payback_months",
    "capex.offset_share_committed", "capex.offset_share_full_term", "capex.seller_irr_full_term",
]


def test_required_ids_are_present(figures):
    assert set(REQUIRED) <= set(figures)


def test_headline_agrees_with_the_reported_total(figures, inputs):
    # 42 monthly payments from July 2026 must reproduce the reported $6.3B headline.
    assert figures.value("deal.term_months") == 42
    assert figures.value("deal.headline_value_usd") == pytest.approx(inputs.term("headline_value_usd"))
    assert figures.value("deal.start_date") == "2026-07-01"


def test_committed_minimum_follows_the_clause(figures, inputs):
    monthly = inputs.term("monthly_payment_usd")
    # Model's reading: 3 months' lock-in, then 90 days (3 billing months) of notice.
    assert figures.value("deal.committed_minimum_usd") == pytest.approx(6 * monthly)
    # Other reading: notice served on day one runs out with the lock-in.
    assert figures.value("deal.committed_minimum_alt_usd") == pytest.approx(3 * monthly)
    assert figures.value("deal.headline_to_committed_multiple") == pytest.approx(7.0)


def test_present_values_match_an_independent_xnpv(figures, inputs):
    # Recomputed here from first principles: payments on the 1st of each month from July 2026,
    # discounted on Actual/365 days from the start date (Excel's XNPV convention).
    import datetime as dt

    rate = inputs.assumption("finance.discount_rate")
    monthly = inputs.term("monthly_payment_usd")
    assert inputs.assumption("deal.payment_timing_months") == 0  # in advance: the dates below assume it
    start = dt.date(2026, 7, 1)
    dates = [dt.date(2026 + (6 + k) // 12, (6 + k) % 12 + 1, 1) for k in range(42)]
    pv = [monthly / (1 + rate) ** ((d - start).days / 365) for d in dates]
    assert figures.value("cashflow.npv_full_term_usd") == pytest.approx(sum(pv), rel=1e-12)
    assert figures.value("cashflow.npv_committed_minimum_usd") == pytest.approx(sum(pv[:6]), rel=1e-12)
    assert figures.value("cashflow.npv_committed_minimum_alt_usd") == pytest.approx(sum(pv[:3]), rel=1e-12)


def test_values_are_plain_python_types(figures):
    # myst-nb cannot format numpy scalars under -W; every value must be float, int or str.
    for figure in figures.values():
        assert type(figure.value) in (float, int, str), figure.id
        assert not isinstance(figure.value, np.generic)
        assert figure.formatted and figure.derivation and figure.label


def test_formatted_values(figures):
    assert figures["deal.monthly_payment_usd"].formatted == "$150M"
    assert figures["deal.headline_value_usd"].formatted == "$6.30B"  # 42 payments of $150M, three significant figures
    assert figures["deal.start_date"].formatted == "1 July 2026"


def test_unknown_id_is_a_clear_error(figures):
    with pytest.raises(KeyError, match="no key figure with id 'deal.nope'"):
        figures["deal.nope"]


def test_cli_json_lists_every_figure(capsys, figures):
    assert main(["key-figures", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    rows = document["figures"]
    assert document["assumption_hash"] == figures.assumption_hash
    assert [r["id"] for r in rows] == list(figures)
    assert {"id", "label", "value", "unit"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert by_id["deal.headline_value_usd"]["value"] == pytest.approx(6.3e9)


def test_cli_csv_and_table(capsys, figures):
    assert main(["key-figures", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(figures) and rows[0]["id"] == "deal.monthly_payment_usd"
    assert main(["key-figures"]) == 0
    table = capsys.readouterr().out
    assert "deal.committed_minimum_alt_usd" in table and "$450M" in table


def test_cli_bad_data_exits_2_with_one_line_and_no_traceback(data_copy):
    (data_copy / "assumptions.csv").write_text("id,description\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "--data-dir", str(data_copy), "key-figures"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and "assumptions.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_check_reports_counts(capsys):
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("inputs OK: ")


def test_every_simulated_figure_carries_its_error_and_the_digits_it_supports(figures):
    import math

    from analysis.formatting import PRECISION_SE_MULTIPLE

    simulated = [f for f in figures.values() if "simulated paths" in f.derivation or "simulated default" in f.derivation
                 or "batches" in f.derivation]
    assert len(simulated) >= 8
    for figure in simulated:
        assert figure.se is not None and figure.se >= 0, figure.id
        if not figure.se or figure.unit not in ("usd", "ratio_percent", "rate_annual"):
            continue
        # The last printed digit is no finer than the place of twice the standard error.
        text = figure.formatted.removeprefix("about ").removeprefix("minus ")
        digits = text.strip("$%BMk").replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        scale = {"B": 1e9, "M": 1e6, "k": 1e3}.get(text[-1], 1.0) if figure.unit == "usd" else 0.01
        place = scale * 10 ** (-decimals)
        assert place >= 10 ** math.floor(math.log10(PRECISION_SE_MULTIPLE * figure.se)) * (1 - 1e-9), (figure.id, figure.formatted, figure.se)
