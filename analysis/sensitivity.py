"""Sensitivity of the headline outputs to the assumption register: one-way (tornado), scenarios, and global.

Every evaluation re-runs the models with the same Monte Carlo seed (common random numbers), so a
difference between two evaluations comes from the inputs, not from sampling noise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from . import capex, finance
from .data import WHOLE_NUMBER_ASSUMPTIONS, Inputs
from .models import cashflow_model, market_model, seller_flows, seller_model, simulate
from .validate import InputError

SIGNIFICANCE: float = 0.01
"""Rank correlations with a p-value at or above this count as noise in the global analysis."""

OUTPUTS: dict[str, str] = {
    "expected_pv_usd": "Expected present value to SpaceX (market-driven exits)",
    "seller_irr_full_term": "SpaceX's IRR on the capacity, run to term",
    "payback_months": "Payback month, run to term",
}


def headline_outputs(inputs: Inputs, n_paths: int = 20_000) -> dict[str, float]:
    """The three outputs the sensitivity analysis tracks, plus the probability of running to term."""
    model = market_model(inputs)
    cash = cashflow_model(inputs)
    outcome = simulate(inputs, model, cash, n_paths=n_paths)
    seller = seller_model(inputs, model, cash)
    full = seller_flows(seller, cash, np.array([cash.clause.term_months]))[0]
    return {
        "expected_pv_usd": outcome.expected_pv_usd,
        "prob_full_term": outcome.prob_full_term,
        "seller_irr_full_term": float(finance.monthly_to_annual(finance.irr(full))),
        "payback_months": float(capex.payback_month(full)),
    }


def with_values(inputs: Inputs, values: dict[str, float]) -> Inputs:
    """A copy of ``inputs`` whose register entries in ``values`` take those numbers as their base case."""
    register = dict(inputs.assumptions)
    for key, value in values.items():
        if key not in register:
            raise InputError("with_values", "id", key, "an id of the assumption register")
        entry = register[key]
        register[key] = replace(entry, base=float(value), low=min(entry.low, float(value)), high=max(entry.high, float(value)))
    return replace(inputs, assumptions=register)


def one_way(inputs: Inputs, evaluate: Callable[[Inputs], dict[str, float]] = headline_outputs,
            ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Each register entry at its low and its high case, the others at base: the outputs and their swings.

    One row per (entry, output): base, output at low, output at high and the swing |high − low|.
    """
    base = evaluate(inputs)
    rows = []
    for key in ids or list(inputs.assumptions):
        entry = inputs.assumptions[key]
        if entry.low == entry.high:
            continue
        at_low = evaluate(with_values(inputs, {key: entry.low}))
        at_high = evaluate(with_values(inputs, {key: entry.high}))
        for output in OUTPUTS:
            rows.append({"id": key, "description": entry.description, "output": output, "low_value": entry.low,
                         "high_value": entry.high, "base": base[output], "at_low": at_low[output],
                         "at_high": at_high[output], "swing": abs(at_high[output] - at_low[output])})
    return pd.DataFrame(rows)


def global_importance(inputs: Inputs, n_samples: int, rng: np.random.Generator,
                      evaluate: Callable[[Inputs], dict[str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monte Carlo over the register: every continuous entry drawn from a triangular(low, base, high).

    Returns the samples with their outputs, and per output the share of rank variance each entry
    explains (squared Spearman correlation, normalised to sum to one). Whole-number entries (readings of
    the clause) stay at base; the one-way analysis covers them.
    """
    if not isinstance(rng, np.random.Generator):
        raise InputError("global_importance", "rng", type(rng).__name__, "a numpy.random.Generator")
    ids = [k for k, a in inputs.assumptions.items() if a.low < a.high and k not in WHOLE_NUMBER_ASSUMPTIONS]
    draws = {}
    for key in ids:
        a = inputs.assumptions[key]
        mode = (a.base - a.low) / (a.high - a.low)
        draws[key] = stats.triang.rvs(mode, loc=a.low, scale=a.high - a.low, size=n_samples, random_state=rng)
    samples = pd.DataFrame(draws)
    results = [evaluate(with_values(inputs, dict(row))) for row in samples.to_dict("records")]
    outputs = pd.DataFrame(results)
    shares = {}
    for output in OUTPUTS:
        tests = [stats.spearmanr(samples[key], outputs[output]) for key in ids]
        rho = np.array([t.statistic for t in tests])
        # Correlations indistinguishable from sampling noise (p >= SIGNIFICANCE) count as zero.
        keep = np.array([t.pvalue < SIGNIFICANCE for t in tests])
        rho = np.where(keep, np.nan_to_num(rho), 0.0) ** 2
        shares[output] = rho / rho.sum() if rho.sum() > 0 else rho
    importance = pd.DataFrame(shares, index=ids)
    return pd.concat([samples, outputs], axis=1), importance


def scenario_files() -> dict[str, Path]:
    """The shipped coherent scenarios (what-if files in scenarios/): bear and bull."""
    from .data import default_data_dir

    folder: Path = default_data_dir().parent / "scenarios"
    return {name: folder / f"{name}.csv" for name in ("bear", "bull")}


def scenario_table(inputs: Inputs, evaluate: Callable[[Inputs], dict[str, float]] = headline_outputs) -> pd.DataFrame:
    """Outputs under the bear, base and bull assumption sets (bear and bull override the base register)."""
    from .data import apply_overrides

    sets = {"Bear": None, "Base": inputs, "Bull": None}
    files = scenario_files()
    for name, key in (("Bear", "bear"), ("Bull", "bull")):
        sets[name] = replace(inputs, assumptions=apply_overrides(files[key], inputs.assumptions))
    return pd.DataFrame({name: evaluate(s) for name, s in sets.items()})
