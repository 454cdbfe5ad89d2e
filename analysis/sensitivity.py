"""Sensitivity of the headline outputs to the assumption register: one-way (tornado), scenarios, and global.

Every evaluation re-runs the models with the same Monte Carlo seed (common random numbers), so a
difference between two evaluations comes from the inputs, not from sampling noise.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from . import assembly
from .core import capex, finance
from .inputs import WHOLE_NUMBER_ASSUMPTIONS, Inputs, apply_overrides
from .validate import InputError

SIGNIFICANCE: float = 0.01
"""Rank correlations with a p-value at or above this count as noise in the global analysis."""
SAMPLES: int = 250
"""Draws of the whole register in the global sensitivity analysis."""
SEED: int = 20291231
"""Seed of those draws (the contract's last day)."""
PATHS: int = 20_000
"""Monte Carlo paths per one-way or scenario evaluation."""
GLOBAL_PATHS: int = 5_000
"""Monte Carlo paths per evaluation of the global analysis."""

OUTPUTS: dict[str, str] = {
    "expected_pv_usd": "Expected present value to SpaceX (market-driven exits)",
    "seller_irr_full_term": "SpaceX's IRR on the capacity, run to term",
    "payback_months": "Payback month, run to term",
}

Evaluate = Callable[[Inputs], dict[str, float]]


def headline_outputs(inputs: Inputs, n_paths: int = PATHS) -> dict[str, float]:
    """The three outputs the sensitivity analysis tracks, plus the probability of running to term."""
    terms, params = assembly.deal(inputs), assembly.parameters(inputs)
    cash = assembly.cashflow_model(terms, params)
    outcome = assembly.simulate(params, cash, n_paths=n_paths)
    seller = assembly.seller_model(inputs, params, cash)
    full = assembly.seller_flows(seller, cash, np.array([cash.clause.term_months]))[0]
    return {
        "expected_pv_usd": outcome.expected_pv_usd,
        "prob_full_term": outcome.prob_full_term,
        "seller_irr_full_term": float(finance.monthly_to_annual(finance.irr(full))),
        "payback_months": float(capex.payback_month(full)),
    }


def with_values(inputs: Inputs, values: Mapping[str, float]) -> Inputs:
    """A copy of ``inputs`` whose register entries in ``values`` take those numbers as their base case."""
    register = dict(inputs.assumptions)
    for key, value in values.items():
        if key not in register:
            raise InputError("with_values", "id", key, "an id of the assumption register")
        entry = register[key]
        register[key] = replace(entry, base=float(value), low=min(entry.low, float(value)), high=max(entry.high, float(value)))
    return replace(inputs, assumptions=register)


ONE_WAY_COLUMNS = ["id", "description", "output", "low_value", "high_value", "base", "at_low", "at_high", "swing"]


def one_way(inputs: Inputs, evaluate: Evaluate = headline_outputs, ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Each register entry at its low and its high case, the others at base: the outputs and their swings.

    One row per (entry, output): base, output at low, output at high and the swing |high − low|. Entries whose
    low and high cases are equal are skipped; with none left the table is empty (with its columns).
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
    return pd.DataFrame(rows, columns=ONE_WAY_COLUMNS)


def global_importance(inputs: Inputs, n_samples: int, rng: np.random.Generator,
                      evaluate: Evaluate) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monte Carlo over the register: every continuous entry drawn from a triangular(low, base, high).

    Returns the samples with their outputs, and per output the share of rank variance each entry
    explains (squared Spearman correlation, normalised to sum to one). Whole-number entries (readings of
    the clause) stay at base; the one-way analysis covers them. An output that does not vary across the
    draws gets zero shares (no driver), not a warning.
    """
    if not isinstance(rng, np.random.Generator):
        raise InputError("global_importance", "rng", type(rng).__name__, "a numpy.random.Generator")
    ids = [k for k, a in inputs.assumptions.items() if a.low < a.high and k not in WHOLE_NUMBER_ASSUMPTIONS]
    draws = {}
    for key in ids:
        a = inputs.assumptions[key]
        mode = (a.base - a.low) / (a.high - a.low)
        draws[key] = stats.triang.rvs(mode, loc=a.low, scale=a.high - a.low, size=n_samples, random_state=rng)
    samples = pd.DataFrame(draws, columns=ids)
    results = [evaluate(with_values(inputs, dict(row))) for row in samples.to_dict("records")]
    outputs = pd.DataFrame(results if results else [], columns=[*list(OUTPUTS), "prob_full_term"])
    shares = {}
    for output in OUTPUTS:
        y = outputs[output].to_numpy(dtype=float) if len(outputs) else np.array([])
        if not ids or y.size < 3 or np.ptp(y) == 0:
            shares[output] = np.zeros(len(ids))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a constant input must not pass silently
            tests = [stats.spearmanr(samples[key], y) for key in ids]
        rho = np.array([t.statistic for t in tests])
        # Correlations indistinguishable from sampling noise (p >= SIGNIFICANCE) count as zero.
        keep = np.array([t.pvalue < SIGNIFICANCE for t in tests])
        rho = np.where(keep, rho, 0.0) ** 2
        shares[output] = rho / rho.sum() if rho.sum() > 0 else rho
    importance = pd.DataFrame(shares, index=pd.Index(ids, dtype=object), columns=list(OUTPUTS))
    return pd.concat([samples, outputs], axis=1), importance


def scenario_inputs(inputs: Inputs, files: Mapping[str, Path]) -> dict[str, Inputs]:
    """Bear, base and bull inputs: each scenario file applied on top of the register in use.

    Under a what-if run, entries the what-if overrode keep the what-if's values (the scenario moves only
    the others), so the scenarios describe the what-if world, not the base register's.
    """
    sets: dict[str, Inputs] = {}
    for name, path in files.items():
        applied = apply_overrides(path, inputs.assumptions)
        kept = {k: (inputs.assumptions[k] if inputs.assumptions[k].override_note else v) for k, v in applied.items()}
        sets[name] = replace(inputs, assumptions=kept)
    return {"Bear": sets["bear"], "Base": inputs, "Bull": sets["bull"]}


def scenario_table(inputs: Inputs, files: Mapping[str, Path], evaluate: Evaluate = headline_outputs) -> pd.DataFrame:
    """Outputs under the bear, base and bull assumption sets (see ``scenario_inputs``)."""
    return pd.DataFrame({name: evaluate(s) for name, s in scenario_inputs(inputs, files).items()})


@dataclass(frozen=True)
class SensitivityResults:
    """One-way swings, the bear/base/bull table and global importance shares."""

    one_way: pd.DataFrame
    scenarios: pd.DataFrame
    samples: pd.DataFrame
    importance: pd.DataFrame
    n_samples: int
    scenarios_on_what_if: bool


def run(inputs: Inputs, scenario_files: Mapping[str, Path]) -> SensitivityResults:
    """The one-way, scenario and global analyses (seeded), as the sensitivity chapter shows them."""
    one = one_way(inputs)
    scenarios = scenario_table(inputs, scenario_files)
    samples, importance = global_importance(inputs, SAMPLES, np.random.default_rng(SEED),
                                            lambda x: headline_outputs(x, n_paths=GLOBAL_PATHS))
    return SensitivityResults(one, scenarios, samples, importance, SAMPLES, inputs.is_what_if)
