"""The briefing pack and the exports: they agree with the command line, name the assumption set, are safe to
open, and never overwrite anything but a previous pack."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("agg")  # tests only: no display; chapters never set a backend
import matplotlib.pyplot as plt
import pytest
from PIL import Image

from analysis.environment import FIGURE_DIR_ENV
from analysis.inputs import load_inputs
from analysis.keyfigures import KeyFigure, KeyFigures
from analysis.present import briefing
from analysis.present.book import publish_figure

from .conftest import REPO


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=check, cwd=REPO)


def test_briefing_files_agree_with_key_figures_cli(tmp_path):
    figures_in = tmp_path / "exported"
    figures_in.mkdir()
    (figures_in / "fig-x.png").write_bytes(b"")
    (figures_in / "fig-x.json").write_text(json.dumps({"id": "fig-x", "source": f"Source: test. Assumption set: base, hash "
                                                       f"{load_inputs().assumption_hash}."}), encoding="utf-8")
    out = tmp_path / "pack"
    _cli("briefing", "--out", str(out), "--figures", str(figures_in), "--commit", "abc123")
    cli = json.loads(_cli("key-figures", "--format", "json").stdout)
    assert json.loads((out / "key_figures.json").read_text()) == cli
    assert cli["assumption_set"].startswith("base") and len(cli["assumption_hash"]) == 12
    csv_lines = (out / "key_figures.csv").read_text().splitlines()
    assert csv_lines[0] == ",".join(briefing.FIELDS) and len(csv_lines) == len(cli["figures"]) + 1
    md = (out / "key_figures.md").read_text()
    assert all(f"`{briefing.escape_markdown(r['id'])}`" in md for r in cli["figures"])
    readme = (out / "README.md").read_text()
    assert "`abc123`" in readme and "Assumption register hash" in readme and "`fig-x`" in readme
    assert (out / "figures" / "fig-x.png").exists() and (out / briefing.PACK_MARKER).exists()
    # A second run replaces the previous pack (and only it).
    _cli("briefing", "--out", str(out), "--commit", "def456")
    assert "`def456`" in (out / "README.md").read_text() and not (out / "figures").exists()


@pytest.mark.parametrize("target", ["", ".", "README.md", "analysis"])
def test_briefing_refuses_targets_that_are_not_a_pack(target):
    before = {p: p.stat().st_mtime_ns for p in REPO.iterdir() if p.is_file()}
    done = _cli("briefing", "--out", target, check=False)
    assert done.returncode == 2 and "field 'out'" in done.stderr and "Traceback" not in done.stderr
    assert {p: p.stat().st_mtime_ns for p in REPO.iterdir() if p.is_file()} == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_briefing_reports_a_read_only_target_with_exit_2(tmp_path):
    tmp_path.chmod(0o500)
    try:
        done = _cli("briefing", "--out", str(tmp_path / "pack"), check=False)
    finally:
        tmp_path.chmod(0o700)
    assert done.returncode == 2 and done.stderr.startswith("error: could not write") and "Traceback" not in done.stderr


def test_a_failed_write_leaves_no_partial_pack(tmp_path, monkeypatch, figures):
    inputs_stub = type("I", (), {"assumption_set": "base", "assumption_hash": "h"})()

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(briefing, "readme", full_disk)
    with pytest.raises(OSError):
        briefing.write_pack(tmp_path / "pack", figures, inputs_stub, "c", None)
    assert list(tmp_path.iterdir()) == []


def _hostile() -> KeyFigures:
    return KeyFigures([KeyFigure("x.formula", "=HYPERLINK(\"http://evil\")", "+1+2", "text", "@SUM(A1)", "-cmd|' /C calc'!A0"),
                       KeyFigure("x.number", "<script>alert(1)</script> | *bold*", -0.25, "ratio_percent", "a|b", "c")],
                      "what-if: <img src=x onerror=alert(1)>.csv", "abc")


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    rows = list(csv.DictReader(io.StringIO(briefing.render_csv(_hostile()))))
    assert rows[0]["label"].startswith("'=") and rows[0]["value"].startswith("'+") and rows[0]["derivation"].startswith("'@")
    assert rows[0]["chapter"].startswith("'-")
    assert rows[1]["value"] == "-0.25"  # a negative number is a number, not a formula


def test_markdown_exports_escape_what_they_print():
    md = briefing.render_markdown(_hostile())
    assert "<script>" not in md and "<img" not in md and "&lt;script&gt;" in md
    assert "\\|" in md and "\\*bold\\*" in md
    # Every table row keeps its five cells: no pipe in a value breaks the table.
    assert all(line.count("|") - line.count("\\|") == 6 for line in md.splitlines() if line.startswith("| "))


def test_markdown_exports_write_apostrophes_and_quotes_as_they_are(figures):
    assert briefing.escape_markdown('SpaceX\'s "deal" <b>') == 'SpaceX\'s "deal" &lt;b&gt;'
    md = briefing.render_markdown(figures)
    assert "&#x27;" not in md and "&\\#x27;" not in md and "&quot;" not in md
    assert "Reflection's" in md


def test_publish_figure_exports_png_at_200_dpi_and_svg(tmp_path, monkeypatch):
    monkeypatch.setenv(FIGURE_DIR_ENV, str(tmp_path))
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    publish_figure(fig, "fig-test")
    png, svg = tmp_path / "fig-test.png", tmp_path / "fig-test.svg"
    assert svg.read_text().lstrip().startswith("<?xml")
    dpi = Image.open(png).info["dpi"]
    assert dpi[0] == pytest.approx(200, abs=0.5)
    assert not plt.get_fignums(), "the figure must be closed after publishing"
    assert json.loads((tmp_path / "fig-test.json").read_text()) == {"id": "fig-test", "source": ""}


def test_publish_figure_exports_the_source_line_on_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv(FIGURE_DIR_ENV, str(tmp_path))
    fig, _ax = plt.subplots(figsize=(4, 3))
    publish_figure(fig, "fig-src", source="Source: a wrapped\nline. Assumption set: base, hash abc.")
    assert json.loads((tmp_path / "fig-src.json").read_text())["source"] == "Source: a wrapped line. Assumption set: base, hash abc."


def test_the_pack_carries_the_pdf_and_the_deck_and_refuses_a_missing_one(tmp_path, figures):
    inputs_stub = type("I", (), {"assumption_set": "base", "assumption_hash": "h"})()
    pdf, deck = tmp_path / "book.pdf", tmp_path / "briefing.pptx"
    pdf.write_bytes(b"%PDF-1.4 test")
    deck.write_bytes(b"PK test")
    briefing.write_pack(tmp_path / "pack", figures, inputs_stub, "c", None, extras=[pdf, deck])
    assert (tmp_path / "pack" / "book.pdf").read_bytes() == b"%PDF-1.4 test"
    assert (tmp_path / "pack" / "briefing.pptx").read_bytes() == b"PK test"
    assert "`book.pdf`" in (tmp_path / "pack" / "README.md").read_text()
    with pytest.raises(ValueError, match="field 'include' is .*missing.pdf.*which is not a file"):
        briefing.write_pack(tmp_path / "pack", figures, inputs_stub, "c", None, extras=[tmp_path / "missing.pdf"])
    assert (tmp_path / "pack" / "book.pdf").exists()  # the previous pack is left as it was


def _exported(folder, figure_hash: str):
    folder.mkdir()
    (folder / "fig-a.png").write_bytes(b"")
    (folder / "fig-a.json").write_text(json.dumps({"id": "fig-a", "source": f"Source: x. Assumption set: bear, hash {figure_hash}."}),
                                       encoding="utf-8")
    return folder


def test_a_pack_refuses_figures_drawn_under_other_assumptions(tmp_path, figures, inputs):
    foreign = _exported(tmp_path / "bear-figures", "b6f5e06cb70f")
    with pytest.raises(ValueError, match=r"figure 'fig-a' was drawn under register hash 'b6f5e06cb70f'; expected "
                                         f"'{figures.assumption_hash}'"):
        briefing.write_pack(tmp_path / "pack", figures, inputs, "c", foreign)
    assert not (tmp_path / "pack").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".pack")]


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_a_pack_refuses_a_missing_or_foreign_figures_folder(tmp_path, figures, inputs, kind):
    folder = tmp_path / "figs"
    if kind == "empty":
        folder.mkdir()
        (folder / "holiday.png").write_bytes(b"")
    with pytest.raises(ValueError, match="field 'figures' is .*expected the folder the book build exports figures to"):
        briefing.write_pack(tmp_path / "pack", figures, inputs, "c", folder)


def test_an_include_may_not_take_a_generated_name(tmp_path, figures, inputs):
    clash = tmp_path / "README.md"
    clash.write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="field 'include' is .*README.md.*the pack already uses"):
        briefing.write_pack(tmp_path / "pack", figures, inputs, "c", None, extras=[clash])


def test_a_symlinked_target_is_refused(tmp_path, figures, inputs):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(ValueError, match="a symbolic link"):
        briefing.write_pack(tmp_path / "link", figures, inputs, "c", None)


def test_a_pack_never_deletes_a_file_it_did_not_write(tmp_path, figures, inputs):
    out = tmp_path / "pack"
    briefing.write_pack(out, figures, inputs, "c1", None)
    listed = (out / briefing.PACK_MARKER).read_text(encoding="utf-8").splitlines()[1:]
    assert "README.md" in listed and "key_figures.json" in listed
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match=r"holding files it did not write \(my-notes.txt\)"):
        briefing.write_pack(out, figures, inputs, "c2", None)
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    (out / "my-notes.txt").unlink()
    briefing.write_pack(out, figures, inputs, "c2", None)  # its own files only: replaced
    assert "`c2`" in (out / "README.md").read_text(encoding="utf-8")
