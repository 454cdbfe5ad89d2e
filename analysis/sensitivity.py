"""Sensitivity of the headline outputs to the assumption register: one way over a grid, the value against the unit
price, coherent scenarios, and a variance-based global analysis (Sobol' indices, computed with SALib).

Every evaluation re-runs the models with the same random numbers (common random numbers), so a difference between
two evaluations comes from the inputs, not from sampling noise. The one-way grid and the scenarios use the headline
model (both sides, mean-reverting prices, optimal exercise, default on) on fewer paths; the global analysis needs
thousands of evaluations, so it uses a cheaper one: the myopic rule on fewer paths (its headline output is the
expected value under that rule, stated as such).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from . import assembly, valuation
from .core import capex, credit, finance, stopping
from .inputs import WHOLE_NUMBER_ASSUMPTIONS, Inputs, apply_overrides
from .validate import InputError

PATHS: int = 5_000
"""Valuation paths per one-way, price-curve or scenario evaluation."""
FIT_PATHS: int = 2_000
"""Paths the optimal policy is fitted on in those evaluations."""
GRID_POINTS: int = 5
"""Points of each entry's one-way grid: low, halfway to base, base, halfway to high, high."""
SOBOL_BASE: int = 128
"""Sobol' base sample size N (a power of two): N × (D + 2) evaluations for D inputs."""
SOBOL_PATHS: int = 1_000
"""Paths per evaluation of the global analysis (the myopic rule)."""
SEED: int = 20291231
"""Seed of the global analysis's sample (the contract's last day)."""
CONTRACT_PRICES: np.ndarray = np.round(np.arange(2.5, 7.51, 0.25), 2)
"""Unit prices of the value-against-price curve, USD per GPU-hour."""

OUTPUTS: dict[str, str] = {
    "expected_pv_usd": "Expected present value to SpaceX (headline model)",
    "seller_irr_full_term": "SpaceX's IRR on the capacity, run to term",
    "payback_months": "Payback month, run to term",
}

Evaluate = Callable[[Inputs], dict[str, float]]


def seller_outputs(inputs: Inputs, params: assembly.Parameters, cash: assembly.CashflowModel) -> dict[str, float]:
    """SpaceX's IRR (annual) and payback month on the capacity if the contract runs to term."""
    seller = assembly.seller_model(inputs, params, cash)
    full = assembly.seller_flows(seller, cash, np.array([cash.clause.term_months]))[0]
    return {"seller_irr_full_term": float(finance.monthly_to_annual(finance.irr(full))),
            "payback_months": float(capex.payback_month(full))}


def headline_outputs(inputs: Inputs, n_paths: int = PATHS, n_fit: int = FIT_PATHS) -> dict[str, float]:
    """The outputs the sensitivity analysis tracks, under the headline model, on ``n_paths`` paths."""
    terms, params = assembly.deal(inputs), assembly.parameters(inputs)
    cash = assembly.cashflow_model(terms, params)
    survival = assembly.credit_model(inputs, params, terms, cash.schedule.months).survival
    row = valuation.run(params, cash, survival, n_paths, n_fit, choices=(valuation.HEADLINE,)).table[0]
    return {"expected_pv_usd": row.expected_pv_usd, "prob_full_term": row.prob_full_term, **seller_outputs(inputs, params, cash)}


@dataclass(frozen=True)
class QuickModel:
    """The cheaper evaluation the global analysis runs thousands of times: what does not depend on the register is
    read once (deal terms, funding, rack size, the standard normal shocks and uniform default draws)."""

    inputs: Inputs
    terms: assembly.Deal
    money: assembly.Funding
    gpus_per_rack: float
    base: assembly.Parameters
    n_paths: int

    def outputs(self, values: Mapping[str, float]) -> dict[str, float]:
        """The outputs with register entries (by id) set to ``values``, the others at base: the myopic rule (both
        sides, mean-reverting prices, default on) on ``n_paths`` paths, and the seller's IRR and payback to term."""
        params = assembly.parameters_with(self.base, values)
        cash = assembly.cashflow_model(self.terms, params)
        survival = assembly.credit_model(self.inputs, params, self.terms, cash.clause.term_months, self.money).survival
        process = valuation.price_process(params, valuation.HEADLINE.process, cash.clause.term_months)
        y = process.simulate(np.random.default_rng(valuation.MC_SEED), self.n_paths)
        ratio = np.exp(process.log_level[:, np.newaxis] + y) / params.contract_price_usd_per_gpu_hour
        default = credit.draw_default_months(np.random.default_rng(valuation.DEFAULT_SEED), survival, self.n_paths)
        out = stopping.myopic_exit(valuation.exit_contract(cash), ratio, valuation.frictions(params), "mutual", default)
        seller = assembly.seller_model(self.inputs, params, cash, self.gpus_per_rack)
        full = assembly.seller_flows(seller, cash, np.array([cash.clause.term_months]))[0]
        return {"expected_pv_usd": out.expected_pv_usd, "prob_full_term": out.prob_full_term,
                "seller_irr_full_term": float(finance.monthly_to_annual(finance.irr(full))),
                "payback_months": float(capex.payback_month(full))}


def quick_model(inputs: Inputs, n_paths: int = SOBOL_PATHS) -> QuickModel:
    """The cheaper evaluation prepared from ``inputs``."""
    terms = assembly.deal(inputs)
    return QuickModel(inputs, terms, assembly.funding(inputs, terms.start_date), inputs.spec("GB300 NVL72", "gpus_per_rack"),
                      assembly.parameters(inputs), n_paths)


def with_values(inputs: Inputs, values: Mapping[str, float]) -> Inputs:
    """A copy of ``inputs`` whose register entries in ``values`` take those numbers as their base case."""
    register = dict(inputs.assumptions)
    for key, value in values.items():
        if key not in register:
            raise InputError("with_values", "id", key, "an id of the assumption register")
        entry = register[key]
        register[key] = replace(entry, base=float(value), low=min(entry.low, float(value)), high=max(entry.high, float(value)))
    return replace(inputs, assumptions=register)


def grid(low: float, base: float, high: float, whole: bool, points: int = GRID_POINTS) -> np.ndarray:
    """An entry's one-way grid: evenly from low to base and from base to high (whole numbers rounded, repeats dropped)."""
    half = points // 2 + 1
    values = np.concatenate([np.linspace(low, base, half), np.linspace(base, high, half)[1:]])
    if whole:
        values = np.round(values)
    return np.unique(values)


ONE_WAY_COLUMNS = ["id", "description", "output", "low_value", "high_value", "base", "at_low", "at_high", "grid_min", "grid_max",
                   "argmin_value", "argmax_value", "swing", "interior_extreme"]


def one_way(inputs: Inputs, evaluate: Evaluate = headline_outputs, ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Each register entry over its grid from low to high, the others at base: the output's range over the grid.

    One row per (entry, output): the output at base, at the low and high cases, its minimum and maximum over the
    whole grid (and where they occur), the swing (maximum − minimum) and whether an extreme lies strictly beyond both
    ends (an interior peak or trough), which a low-versus-high comparison would miss. Entries whose low and high are equal are skipped.
    """
    base = evaluate(inputs)
    rows = []
    for key in ids or list(inputs.assumptions):
        entry = inputs.assumptions[key]
        if entry.low == entry.high:
            continue
        values = grid(entry.low, entry.base, entry.high, key in WHOLE_NUMBER_ASSUMPTIONS)
        runs = {float(v): (base if v == entry.base else evaluate(with_values(inputs, {key: float(v)}))) for v in values}
        for output in OUTPUTS:
            ys = np.array([runs[float(v)][output] for v in values])
            lo, hi = int(np.argmin(ys)), int(np.argmax(ys))
            ends = ys[[0, -1]]
            tol = 1e-9 * max(float(np.max(np.abs(ys))), 1.0)
            rows.append({"id": key, "description": entry.description, "output": output, "low_value": entry.low,
                         "high_value": entry.high, "base": base[output], "at_low": runs[float(values[0])][output],
                         "at_high": runs[float(values[-1])][output], "grid_min": float(ys[lo]), "grid_max": float(ys[hi]),
                         "argmin_value": float(values[lo]), "argmax_value": float(values[hi]), "swing": float(ys[hi] - ys[lo]),
                         "interior_extreme": bool(ys[hi] > ends.max() + tol or ys[lo] < ends.min() - tol)})
    return pd.DataFrame(rows, columns=ONE_WAY_COLUMNS)


def value_against_price(inputs: Inputs, prices_usd_per_gpu_hour: np.ndarray = CONTRACT_PRICES,
                        evaluate: Evaluate = headline_outputs) -> pd.DataFrame:
    """The outputs at each contract unit price (the other entries at base)."""
    rows = [{"contract_price_usd_per_gpu_hour": float(p),
             **evaluate(with_values(inputs, {"pricing.contract_price_usd_per_gpu_hour": float(p)}))} for p in prices_usd_per_gpu_hour]
    return pd.DataFrame(rows)


def global_entries(inputs: Inputs) -> list[str]:
    """Register entries the global analysis varies: every continuous entry with low < high."""
    return [k for k, a in inputs.assumptions.items() if a.low < a.high and k not in WHOLE_NUMBER_ASSUMPTIONS]


CONFIDENCE_LEVEL: float = 0.95
"""Confidence level of the Sobol' indices' bootstrap intervals (SALib's conf_level)."""
SCREEN_SHARE: float = 0.01
"""An entry enters the global analysis if, one way, it moves some output by more than this share of the widest
one-way range of that output (screening, as in Morris-then-Sobol' practice); the others stay at base."""


def screened_entries(inputs: Inputs, one_way_table: pd.DataFrame, share: float = SCREEN_SHARE) -> list[str]:
    """Continuous entries whose one-way range exceeds ``share`` of the widest range for at least one output."""
    keep: set[str] = set()
    for output in OUTPUTS:
        rows = one_way_table[one_way_table["output"] == output]
        widest = float(rows["swing"].max()) if not rows.empty else 0.0
        if widest > 0:
            keep |= set(rows.loc[rows["swing"] > share * widest, "id"])
    return [k for k in global_entries(inputs) if k in keep]


def sobol_problem(inputs: Inputs, ids: Sequence[str]) -> dict[str, object]:
    """SALib's problem: each entry triangular over low..high with its peak at base."""
    bounds, dists = [], []
    for key in ids:
        a = inputs.assumptions[key]
        peak = (a.base - a.low) / (a.high - a.low)
        bounds.append([a.low, a.high, min(max(peak, 0.0), 0.999)])
        dists.append("triang")
    return {"num_vars": len(ids), "names": list(ids), "bounds": bounds, "dists": dists}


def global_sobol(inputs: Inputs, n_base: int = SOBOL_BASE, seed: int = SEED,
                 model: Callable[[Mapping[str, float]], dict[str, float]] | None = None,
                 ids: Sequence[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First-order and total Sobol' indices of each output over register entries (SALib).

    ``ids`` defaults to every continuous entry. Saltelli's scheme without second-order terms: ``n_base`` × (D + 2)
    evaluations of ``model`` (by default the cheaper ``QuickModel``). Returns the index table (one row per entry and
    output: S1, ST and the half-widths of their ``CONFIDENCE_LEVEL`` intervals) and the sample with its outputs. An output that does not
    vary gets zero indices (no driver), not a division by zero.
    """
    ids = list(global_entries(inputs) if ids is None else ids)
    columns = ["id", "output", "S1", "S1_conf", "ST", "ST_conf"]
    if not ids:
        return pd.DataFrame(columns=columns), pd.DataFrame()
    problem = sobol_problem(inputs, ids)
    sample = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    evaluate = model or quick_model(inputs).outputs
    results = [evaluate(dict(zip(ids, row, strict=True))) for row in sample]
    outputs = pd.DataFrame(results)
    rows = []
    for output in OUTPUTS:
        y = outputs[output].to_numpy(dtype=float)
        if np.ptp(y) == 0:
            rows += [{"id": k, "output": output, "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0} for k in ids]
            continue
        indices = sobol_analyze.analyze(problem, y, calc_second_order=False, conf_level=CONFIDENCE_LEVEL, seed=seed)
        rows += [{"id": k, "output": output, "S1": float(indices["S1"][i]), "S1_conf": float(indices["S1_conf"][i]),
                  "ST": float(indices["ST"][i]), "ST_conf": float(indices["ST_conf"][i])} for i, k in enumerate(ids)]
    return pd.DataFrame(rows, columns=columns), pd.concat([pd.DataFrame(sample, columns=ids), outputs], axis=1)


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
    """One-way ranges, the value against the unit price, the bear/base/bull table and the Sobol' indices."""

    one_way: pd.DataFrame
    price_curve: pd.DataFrame
    scenarios: pd.DataFrame
    sobol: pd.DataFrame
    samples: pd.DataFrame
    n_base: int
    n_evaluations: int
    scenarios_on_what_if: bool
    global_ids: tuple[str, ...]  # entries the global analysis varies (after screening)
    n_continuous: int  # continuous entries before screening


def run(inputs: Inputs, scenario_files: Mapping[str, Path]) -> SensitivityResults:
    """The one-way grid, the price curve, the scenarios and the global analysis (seeded)."""
    table = one_way(inputs)
    screened = screened_entries(inputs, table)
    sobol, samples = global_sobol(inputs, ids=screened)
    return SensitivityResults(table, value_against_price(inputs), scenario_table(inputs, scenario_files), sobol, samples,
                              SOBOL_BASE, len(samples), inputs.is_what_if, tuple(screened), len(global_entries(inputs)))

