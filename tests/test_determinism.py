"""Two computations from the same inputs give identical key figures, Monte Carlo included."""

from __future__ import annotations

from analysis import key_figures, load_inputs


def test_key_figures_are_identical_across_runs():
    first = [f.as_dict() for f in key_figures(load_inputs()).values()]
    second = [f.as_dict() for f in key_figures(load_inputs()).values()]
    assert first == second
