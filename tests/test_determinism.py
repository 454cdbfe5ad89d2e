"""Two computations from the same inputs give identical key figures, Monte Carlo included (and the cache the build
wrote, which the session fixture reads under `make test`, holds what a fresh computation gives)."""

from __future__ import annotations

from analysis.inputs import load_inputs
from analysis.keyfigures import key_figures
from analysis.results import compute


def test_key_figures_are_identical_across_runs(figures):
    again = [f.as_dict() for f in key_figures(compute(load_inputs())).values()]
    assert [f.as_dict() for f in figures.values()] == again
