"""Editions: recording, reading, comparing, and the rule that no figure moves without a reason on record."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.formatting import format_change
from analysis.present import editions

from .conftest import REPO


def _fig(fid: str, value, unit: str = "usd", formatted: str | None = None) -> dict:
    return {"id": fid, "label": fid.title(), "value": value, "unit": unit, "formatted": formatted or str(value),
            "derivation": "test", "chapter": "test"}


def _write(folder: Path, number: int, date: str, figures: list[dict]) -> Path:
    text = editions.edition_document(number, dt.date.fromisoformat(date), "abc", "base (data/assumptions.csv)", "h",
                                     "i", figures)
    path = folder / f"edition-{number:03d}_{date}.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_compare_finds_moved_new_and_withdrawn_and_ignores_rounding_noise():
    before = editions.figures_by_id([_fig("a", 100.0), _fig("b", 5.0), _fig("gone", 1.0), _fig("t", "x", "text")])
    after = editions.figures_by_id([_fig("a", 100.0 * (1 + 1e-12)), _fig("b", 6.0), _fig("fresh", 2.0),
                                    _fig("t", "y", "text")])
    reasons = [editions.Reason(1, "b", "model", "new model"), editions.Reason(1, "fresh", "new", "added"),
               editions.Reason(2, "*", "data", "belongs to a later edition")]
    changes = {c.id: c for c in editions.compare(before, after, reasons, since_edition=1)}
    assert set(changes) == {"b", "fresh", "gone", "t"}
    assert changes["b"].status == "moved" and [r.reason for r in changes["b"].reasons] == ["new model"]
    assert changes["fresh"].status == "new" and changes["gone"].status == "withdrawn"
    assert changes["gone"].reasons == () and changes["t"].change == "changed"


def test_a_unit_change_counts_as_a_move():
    before = editions.figures_by_id([_fig("a", 1.0, "months"), _fig("b", 2.0, "usd")])
    after = editions.figures_by_id([_fig("a", 1.0, "months_1"), _fig("b", 2.0, "months")])
    changes = {c.id: c for c in editions.compare(before, after, [], 1)}
    # Same quantity written another way: compared as numbers, the old value written the new way.
    assert changes["a"].status == "moved" and changes["a"].change == "unchanged" and changes["a"].before == "1.0"
    # A different quantity: said in words, not as unit ids.
    assert changes["b"].change == "now measured in a different unit"


def test_a_share_once_signed_and_now_in_words_compares_as_a_number():
    before = editions.figures_by_id([_fig("d", -0.108, "signed_percent", "-10.8%")])
    after = editions.figures_by_id([_fig("d", -0.005, "decline_words", "rising 0.5% a year")])
    [change] = editions.compare(before, after, [], 1)
    assert change.before == "rising 10.8% a year" and change.change == "10.3 percentage points more decline a year"


@pytest.mark.parametrize(("old", "new", "unit", "expected"), [
    (1.93e9, 2.40e9, "usd", "up $470M (24.4%)"),
    (5.00, 4.50, "usd_per_gpu_hour", "down $0.50/GPU-hour (10.0%)"),
    (0.014, 0.170, "ratio_percent", "up 15.6 percentage points"),
    (13.9, 17.0, "months_1", "up 3.1 months"),
    (24, 26, "crossover_payback", "up 2 months"),
    (24, -1, "crossover_payback", "changed"),
    (41096.0, 45000.0, "count_round", "up 3,904"),
    (7.0, 6.5, "multiple", "down 0.50×"),
])
def test_format_change_states_direction_and_size_in_words(old, new, unit, expected):
    assert format_change(old, new, unit, unit) == expected


def test_page_compares_the_build_with_the_last_edition_then_falls_back_to_the_one_before(tmp_path):
    first = [_fig("a", 1.0), _fig("b", 2.0)]
    second = [_fig("a", 1.5), _fig("b", 2.0)]
    _write(tmp_path, 1, "2026-11-29", first)
    _write(tmp_path, 2, "2026-12-15", second)
    recorded = editions.load_editions(tmp_path)
    reasons = [editions.Reason(1, "a", "model", "why a moved"), editions.Reason(2, "b", "data", "why b moved")]
    # The build equals edition 2: the page shows what edition 2 changed against edition 1.
    same = editions.changes_for_page(recorded, reasons, editions.figures_by_id(second))
    assert same.current_is_recorded and same.before.number == 1 and [c.id for c in same.changes] == ["a"]
    # The build moved b since edition 2: the page shows that, with edition 2's reasons.
    moved = editions.changes_for_page(recorded, reasons, editions.figures_by_id([_fig("a", 1.5), _fig("b", 3.0)]))
    assert not moved.current_is_recorded and moved.before.number == 2
    assert [(c.id, c.reasons[0].reason) for c in moved.changes] == [("b", "why b moved")]
    assert "1 figure moved" in editions.summary_sentence(moved, "base (data/assumptions.csv)")


def test_bad_edition_files_are_named(tmp_path):
    path = _write(tmp_path, 1, "2026-11-29", [_fig("a", 1.0)])
    data = json.loads(path.read_text())
    del data["inputs_hash"]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"edition-001_2026-11-29.json: field 'inputs_hash' is missing"):
        editions.load_editions(tmp_path)
    path.unlink()
    _write(tmp_path, 2, "2026-11-29", [_fig("a", 1.0)])
    with pytest.raises(ValueError, match=r"field 'edition' is 2; expected 1 \(no gaps\)"):
        editions.load_editions(tmp_path)
    (tmp_path / "edition-2_2026.json").write_text("{}")
    with pytest.raises(ValueError, match="name is not edition-NNN_YYYY-MM-DD.json"):
        editions.read_edition(tmp_path / "edition-2_2026.json")


def test_bad_reason_rows_are_named(tmp_path):
    (tmp_path / "reasons.csv").write_text("since_edition,ids,kind,reason\n1,a*,because,text\n")
    with pytest.raises(ValueError, match=r"line 2: field 'kind' is 'because'"):
        editions.load_reasons(tmp_path)
    (tmp_path / "reasons.csv").write_text("since_edition,ids,kind,reason\nlast,a*,model,text\n")
    with pytest.raises(ValueError, match=r"line 2: field 'since_edition' is 'last'"):
        editions.load_reasons(tmp_path)


def test_the_committed_editions_are_valid_and_the_first_is_dated():
    recorded = editions.load_editions(REPO / "editions")
    assert recorded, "the first edition must be recorded"
    assert recorded[0].assumption_set.startswith("base")
    assert len(recorded[0].figures) > 100
    editions.load_reasons(REPO / "editions")


def test_every_figure_that_moved_since_the_last_edition_has_a_reason(figures):
    current = editions.figures_by_id(f.as_dict() for f in figures.values())
    recorded = editions.load_editions(REPO / "editions")
    changes = editions.compare(recorded[-1].figures, current, editions.load_reasons(REPO / "editions"), recorded[-1].number)
    unexplained = [f"{c.status} {c.id}: {c.before} -> {c.after}" for c in changes if not c.reasons]
    assert not unexplained, "add a row to editions/reasons.csv for:\n" + "\n".join(unexplained)


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env)


def test_edition_command_numbers_files_and_refuses_a_what_if(tmp_path):
    folder = tmp_path / "ed"
    done = _cli("edition", "--folder", str(folder), "--commit", "c0ffee", "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    [written] = editions.load_editions(folder)
    assert written.number == 1 and written.commit == "c0ffee" and written.date == "2026-12-01"
    bear = REPO / "scenarios" / "bear.csv"
    refused = _cli("--assumptions", str(bear), "edition", "--folder", str(folder), "--date", "2026-12-02")
    assert refused.returncode == 2 and "expected the base register" in refused.stderr
    assert len(editions.load_editions(folder)) == 1


def test_recorded_values_are_shown_by_todays_formatting_rules():
    # A value recorded as '-10.8%' and '$5.3B' (an older edition's rules) is shown by today's: both sides of the
    # comparison follow one set of rules, so the old value reads 'minus 10.8%' and '$5.30B'.
    old = {"a": _fig("a", -0.108, "rate_annual", "-10.8%"), "b": _fig("b", 5.3e9, "usd", "$5.3B"),
           "c": _fig("c", 1.0, "a_unit_since_retired", "1 thing")}
    new = {"a": _fig("a", -0.2, "rate_annual", "minus 20%")}
    changes = {c.id: c for c in editions.compare(old, new, [], 1)}
    assert changes["a"].before == "minus 10.8%"
    assert changes["b"].before == "$5.30B" and changes["b"].status == "withdrawn"
    assert changes["c"].before == "1 thing"


def test_the_page_lists_each_reason_once_and_each_figure_cites_it_by_number():
    from analysis.present import tables

    model = editions.Reason(1, "cashflow.*", "model", "The exit model changed.")
    data = editions.Reason(1, "cashflow.a", "data", "A corrected price.")
    old = {"cashflow.a": _fig("cashflow.a", 1.0), "cashflow.b": _fig("cashflow.b", 2.0), "x.c": _fig("x.c", 3.0)}
    new = {"cashflow.a": _fig("cashflow.a", 1.5), "cashflow.b": _fig("cashflow.b", 2.5), "x.c": _fig("x.c", 4.0)}
    changes = editions.compare(old, new, [model, data], 1)
    table = tables.changes_table(changes)
    assert table.loc["cashflow.a", "Why"] == "R1, R2" and table.loc["cashflow.b", "Why"] == "R1"
    assert table.loc["x.c", "Why"] == "no reason on record"
    reasons = tables.reasons_table(changes)
    assert list(reasons.index) == ["R1", "R2"]
    assert reasons.loc["R1", "Figures"] == 2 and reasons.loc["R2", "Kind"] == "New or corrected data"
    assert reasons.loc["R1", "What changed and why"] == "The exit model changed."
