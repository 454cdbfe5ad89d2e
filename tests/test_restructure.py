"""The restructuring into a models layer and per-chapter key figures (issue 18) changed no number: every key figure
of de25c22 is still published with the same value and unit, except the three that were sentences, which the chapters
now write themselves from figures that replace them."""

from __future__ import annotations

import json
import math

from .conftest import REPO

BEFORE = json.loads((REPO / "tests" / "fixtures" / "key_figures_de25c22.json").read_text(encoding="utf-8"))
SENTENCES = {"pricing.contract_premium_vs_comparables": ("pricing.premium_vs_contracts_low", "pricing.premium_vs_contracts_high"),
             "sensitivity.price_curve_shape": ("sensitivity.price_curve_direction",),
             "sensitivity.payback_driver_words": ("sensitivity.top_driver_payback", "sensitivity.top_swing_payback")}


def test_every_figure_before_the_restructure_is_unchanged(figures):
    moved = []
    for row in BEFORE["figures"]:
        if row["id"] in SENTENCES:
            assert row["id"] not in figures and all(i in figures for i in SENTENCES[row["id"]])
            continue
        now = figures[row["id"]]
        same = (now.value == row["value"] if isinstance(row["value"], str) or isinstance(now.value, str)
                else math.isclose(float(now.value), float(row["value"]), rel_tol=1e-12, abs_tol=1e-12))
        if not same or now.unit != row["unit"]:
            moved.append(f"{row['id']}: {row['value']!r} {row['unit']} -> {now.value!r} {now.unit}")
    assert not moved, "\n".join(moved)
    assert len(BEFORE["figures"]) == 242
