"""The briefing pack agrees with the command line, and figures are exported at print resolution."""

from __future__ import annotations

import json
import subprocess
import sys

import matplotlib

matplotlib.use("agg")  # tests only: no display; chapters never set a backend
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from analysis.book import FIGURE_DIR_ENV, publish_figure  # noqa: E402


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=True)


def test_briefing_files_agree_with_key_figures_cli(tmp_path):
    out = tmp_path / "pack"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "fig-x.png").write_bytes(b"")
    _cli("briefing", "--out", str(out), "--commit", "abc123")
    cli_rows = json.loads(_cli("key-figures", "--format", "json").stdout)
    assert json.loads((out / "key_figures.json").read_text()) == cli_rows
    csv_lines = (out / "key_figures.csv").read_text().splitlines()
    assert csv_lines[0] == "id,label,value,unit,formatted,derivation,chapter" and len(csv_lines) == len(cli_rows) + 1
    md = (out / "key_figures.md").read_text()
    assert all(f"`{r['id']}`" in md for r in cli_rows)
    readme = (out / "README.md").read_text()
    assert "`abc123`" in readme and "Assumption register hash" in readme and "`fig-x`" in readme


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
