"""The briefing pack: key figures as CSV, JSON and Markdown, and a README stating what produced them."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from .data import Inputs
from .keyfigures import KeyFigures

FIELDS = ("id", "label", "value", "unit", "formatted", "derivation", "chapter")


def write_key_figures(figures: KeyFigures, out_dir: Path) -> list[Path]:
    """Write key_figures.csv, .json and .md into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = [f.as_dict() for f in figures.values()]
    paths = [out_dir / "key_figures.csv", out_dir / "key_figures.json", out_dir / "key_figures.md"]
    with paths[0].open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    paths[1].write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["| id | label | value | derivation | chapter |", "|---|---|---|---|---|"]
    lines += [f"| `{r['id']}` | {r['label']} | {r['formatted']} | {r['derivation'].replace('|', '/')} | {r['chapter']} |" for r in rows]
    paths[2].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def write_readme(out_dir: Path, inputs: Inputs, commit: str, figure_ids: list[str], built: dt.datetime | None = None) -> Path:
    """The pack's README: commit, build time (UTC), assumption set and hash, and what each file is."""
    built = built or dt.datetime.now(dt.timezone.utc)
    lines = [
        "# Briefing pack: SpaceX's compute deal with Reflection AI",
        "",
        f"- Commit: `{commit}`",
        f"- Built: {built:%Y-%m-%d %H:%M} UTC",
        f"- Assumption set: {inputs.assumption_set}",
        f"- Assumption register hash: `{inputs.assumption_hash}`",
        "",
        "Every number is defined once in the book's key-figures registry; `key_figures.csv`, `.json` and `.md`",
        "list each with its id, label, value, unit, formatted value, derivation (or source) and chapter.",
        "Figures are in `figures/`, named by their figure id, as PNG (200 dpi) and SVG:",
        "",
    ]
    lines += [f"- `{fid}`" for fid in figure_ids]
    lines += ["", "Cite the book, the figure id and the assumption hash above when lifting a number or figure."]
    path = out_dir / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
