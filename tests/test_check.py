"""`check` means the book will build: each model precondition is caught before any notebook runs, with the file,
the entry and what was expected; and inputs that are legitimate but degenerate still produce honest pages."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import warnings

import pytest

from analysis.inputs import load_inputs
from analysis.keyfigures import key_figures
from analysis.results import compute

from .conftest import REPO, replace_in


def _check(data_dir) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "--data-dir", str(data_dir), "check"],
                          capture_output=True, text=True, check=False, cwd=REPO)


def _fails_with(data_dir, *words: str) -> None:
    done = _check(data_dir)
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr and done.stderr.startswith("error: ")
    for word in words:
        assert word in done.stderr, (word, done.stderr)


def test_check_passes_on_the_shipped_inputs(data_copy):
    done = _check(data_copy)
    assert done.returncode == 0 and "every model assembles" in done.stdout


def _edit_prices(data_dir, edit) -> int:
    """Apply ``edit`` (a function of a row dict, returning True when it changed the row) to data/gpu_prices.csv."""
    import csv
    path = data_dir / "gpu_prices.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changed = sum(bool(edit(row)) for row in rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return changed


def test_no_in_fit_rows_for_the_profile_generations(data_copy):
    def drop(row):
        if row["gpu"] in ("A100", "H100", "H200") and row["in_fit"] == "yes":
            row["in_fit"] = "no"
            return True
        return False

    assert _edit_prices(data_copy, drop) > 0
    _fails_with(data_copy, "gpu_prices.csv", "in_fit", "A100, H100, H200", "price-by-age profile")


def test_no_market_wide_index_reading_near_the_start(data_copy):
    def hyperscaler(row):
        if row["gpu"] in ("B200", "B300", "GB200", "GB300") and row["provider_tier"] == "market":
            row["provider_tier"] = "hyperscaler"
            return True
        return False

    assert _edit_prices(data_copy, hyperscaler) > 0
    _fails_with(data_copy, "gpu_prices.csv", "sets_level", "market-wide index reading", "GB300's level")


def test_a_deleted_register_entry(data_copy):
    path = data_copy / "assumptions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("capex.pue,")) + "\n", encoding="utf-8")
    # Its plausible range is now an orphan row, named as such.
    _fails_with(data_copy, "plausible_ranges.csv", "capex.pue", "an id of data/assumptions.csv")
    path = data_copy / "plausible_ranges.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("capex.pue,")) + "\n", encoding="utf-8")
    _fails_with(data_copy, "assumptions.csv", "capex.pue", "an entry the models read")


def test_a_deleted_spec_row(data_copy):
    path = data_copy / "gpu_specs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("GB300 NVL72,gpus_per_rack")) + "\n", encoding="utf-8")
    _fails_with(data_copy, "gpu_specs.csv", "GB300 NVL72", "gpus_per_rack")


def test_a_notice_period_longer_than_the_term_is_blamed_on_the_notice(data_copy):
    replace_in(data_copy / "deal_terms.csv", "notice_days,Notice period,90,", "notice_days,Notice period,1400,")
    _fails_with(data_copy, "deal_terms.csv", "notice_days", "1400", "shorter than the term")


def test_every_entry_pinned_still_builds_and_says_no_driver(tmp_path):
    # A what-if that pins every entry (low = base = high) is legitimate: there is nothing to vary, and the
    # sensitivity figures must say so instead of naming an arbitrary first entry.
    inputs = load_inputs()
    rows = "".join(f"{a.id},{a.unit},{a.base!r},{a.base!r},{a.base!r},pinned\n" for a in inputs.assumptions.values())
    whatif = tmp_path / "pinned.csv"
    whatif.write_text("id,unit,low,base,high,note\n" + rows, encoding="utf-8")
    figures = key_figures(compute(load_inputs(overrides=whatif)))
    for short in ("expected_pv", "seller_irr", "payback"):
        assert figures.value(f"sensitivity.top_driver_{short}").startswith("no input")
        assert figures.value(f"sensitivity.global_top_driver_{short}").startswith("no input")
        assert figures.value(f"sensitivity.top_swing_{short}") == 0.0


def test_the_banner_escapes_the_assumption_set_name(tmp_path, monkeypatch):
    hostile = tmp_path / "<img src=x onerror=alert(1)>.csv"
    hostile.write_text("id,unit,low,base,high,note\nfinance.discount_rate,rate_annual,0.08,0.12,0.15,\n", encoding="utf-8")
    monkeypatch.setenv("DEAL_BOOK_ASSUMPTIONS", str(hostile))
    spec = importlib.util.spec_from_file_location("book_fixes", REPO / "_ext" / "book_fixes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = type("Config", (), {"html_theme_options": {}, "html_context": {}})()
    module._assumption_banner(None, config)
    banner = config.html_theme_options["announcement"]
    assert "<img" not in banner and "&lt;img src=x onerror=alert(1)&gt;" in banner and "What-if run" in banner


def test_chapter_setup_turns_warnings_into_errors():
    # A warning in a hidden (remove-cell) cell would never be seen; the chapter setup makes it fail the build.
    from analysis.present import book

    with warnings.catch_warnings():
        page = book.chapter("summary")
        assert page.figures.assumption_hash == page.inputs.assumption_hash
        with pytest.raises(UserWarning):
            warnings.warn("a warning in a hidden cell", UserWarning, stacklevel=1)
        with pytest.raises(RuntimeWarning):
            warnings.warn("invalid value", RuntimeWarning, stacklevel=1)


def test_make_accepts_an_assumptions_path_with_spaces(tmp_path):
    folder = tmp_path / "my scenarios"
    folder.mkdir()
    good = folder / "my scenario.csv"
    good.write_text("id,unit,low,base,high,note\nfinance.discount_rate,rate_annual,0.08,0.12,0.15,\n", encoding="utf-8")
    done = subprocess.run(["make", "--no-print-directory", "check-inputs", f"ASSUMPTIONS={good}"], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "what-if: my scenario.csv" in done.stdout
