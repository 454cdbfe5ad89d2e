"""Sensitivity of the headline outputs to the assumption register: one way over a grid, the value against the unit
price, coherent scenarios, and a variance-based global analysis (Sobol' indices, computed with SALib).

The one-way grid, the price curve and the scenarios solve the headline model (both sides, mean-reverting prices,
optimal exercise, default on) exactly on the price grid at each point, so a difference between two evaluations
comes from the inputs alone. The global analysis needs thousands of evaluations, so it uses a cheaper one: the
myopic rule simulated on fewer paths with the same random numbers at every point (its output is the expected value
under that rule, stated as such).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from scipy import special

from ..core import capex, credit, finance, stopping
from ..core.choices import Who
from ..formatting import in_sentence
from ..inputs import WHOLE_NUMBER_ASSUMPTIONS, Inputs, apply_overrides
from ..methods import METHODS, Methods
from ..validate import InputError
from . import valuation
from .cashflow import CashflowModel, cashflow_model
from .credit import Funding, credit_model, funding, survival_curve
from .market import price_process
from .seller import seller_flows, seller_model
from .terms import Deal, Parameters, deal, parameters, parameters_with

OUTPUTS: dict[str, str] = {
    "expected_pv_usd": "Expected present value to SpaceX (headline model)",
    "seller_irr_full_term": "SpaceX's IRR on the capacity, run to term",
    "payback_months": "Payback month, run to term",
}

Evaluate = Callable[[Inputs], dict[str, float]]


def seller_outputs(inputs: Inputs, params: Parameters, cash: CashflowModel) -> dict[str, float]:
    """SpaceX's IRR (annual) and payback month on the capacity if the contract runs to term."""
    seller = seller_model(inputs, params, cash)
    full = seller_flows(seller, cash, np.array([cash.clause.term_months]))[0]
    return {"seller_irr_full_term": float(finance.monthly_to_annual(finance.irr(full))),
            "payback_months": float(capex.payback_month(full))}


def headline_outputs(inputs: Inputs, methods: Methods = METHODS) -> dict[str, float]:
    """The outputs the sensitivity analysis tracks, under the headline model solved exactly on the method register's
    sensitivity grid."""
    terms, params = deal(inputs), parameters(inputs)
    cash = cashflow_model(terms, params)
    survival = credit_model(inputs, params, terms, cash.schedule.months, cash.pv_by_month).survival
    choice = valuation.HEADLINE
    lattices = valuation.lattices_for(params, cash, (choice.process,), methods.sensitivity_grid_points, methods.grid_width_sd)
    solution = valuation.solve(choice, valuation.exit_contract(cash), valuation.frictions(params), lattices, survival)
    return {"expected_pv_usd": solution.expected_pv_usd, "prob_full_term": solution.prob_full_term,
            **seller_outputs(inputs, params, cash)}


@dataclass(frozen=True)
class QuickModel:
    """The cheaper evaluation the global analysis runs thousands of times: what does not depend on the register is
    read once (deal terms, funding, rack size, the standard normal shocks and uniform default draws)."""

    inputs: Inputs
    terms: Deal
    money: Funding
    gpus_per_rack: float
    base: Parameters
    shocks: np.ndarray  # (paths, months): standard normal price shocks, the same at every evaluation
    uniforms: np.ndarray  # (paths,): the uniform draws that set each path's default month

    def outputs(self, values: Mapping[str, float]) -> dict[str, float]:
        """The outputs with register entries (by id) set to ``values``, the others at base: the myopic rule (both
        sides, mean-reverting prices, default on) on ``n_paths`` paths, and the seller's IRR and payback to term."""
        params = parameters_with(self.base, values)
        cash = cashflow_model(self.terms, params)
        survival = survival_curve(self.inputs, params, self.terms, cash.clause.term_months, self.money)
        process = price_process(params, valuation.HEADLINE.process, cash.clause.term_months)
        ratio = np.exp(process.log_level[:, np.newaxis] + process.deviations(self.shocks)) / params.contract_price_usd_per_gpu_hour
        default = credit.default_months(survival, self.uniforms)
        paid = stopping.myopic_paid_months(cash.clause, ratio, valuation.frictions(params), Who.MUTUAL, default)
        pv = np.concatenate([[0.0], cash.pv_by_month])[paid]
        seller = seller_model(self.inputs, params, cash, self.gpus_per_rack)
        full = seller_flows(seller, cash, np.array([cash.clause.term_months]))[0]
        return {"expected_pv_usd": float(pv.mean()), "prob_full_term": float(np.mean(paid == cash.clause.term_months)),
                "seller_irr_full_term": float(finance.monthly_to_annual(finance.irr(full))),
                "payback_months": float(capex.payback_month(full))}


def quick_model(inputs: Inputs, methods: Methods = METHODS) -> QuickModel:
    """The cheaper evaluation prepared from ``inputs`` (the method register's global-analysis paths and seed)."""
    terms = deal(inputs)
    seeds = valuation.streams(methods.valuation_seed)
    months = cashflow_model(terms, parameters(inputs)).clause.term_months
    return QuickModel(inputs, terms, funding(inputs, terms.start_date), inputs.spec("GB300 NVL72", "gpus_per_rack"),
                      parameters(inputs), np.random.default_rng(seeds["shocks"]).standard_normal((methods.sobol_paths, months)),
                      np.random.default_rng(seeds["defaults"]).random(methods.sobol_paths))


def with_values(inputs: Inputs, values: Mapping[str, float]) -> Inputs:
    """A copy of ``inputs`` whose register entries in ``values`` take those numbers as their base case."""
    register = dict(inputs.assumptions)
    for key, value in values.items():
        if key not in register:
            raise InputError("with_values", "id", key, "an id of the assumption register")
        entry = register[key]
        register[key] = replace(entry, base=float(value), low=min(entry.low, float(value)), high=max(entry.high, float(value)))
    return replace(inputs, assumptions=register)


def grid(low: float, base: float, high: float, whole: bool, points: int = METHODS.one_way_points) -> np.ndarray:
    """An entry's one-way grid: evenly from low to base and from base to high (whole numbers rounded, repeats dropped)."""
    half = points // 2 + 1
    values = np.concatenate([np.linspace(low, base, half), np.linspace(base, high, half)[1:]])
    if whole:
        values = np.round(values)
    return np.unique(values)


ONE_WAY_COLUMNS = ["id", "description", "output", "low_value", "high_value", "base", "at_low", "at_high", "grid_min", "grid_max",
                   "argmin_value", "argmax_value", "swing", "interior_extreme"]


def one_way(inputs: Inputs, evaluate: Evaluate = headline_outputs, ids: Sequence[str] | None = None,
            points: int = METHODS.one_way_points) -> pd.DataFrame:
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
        values = grid(entry.low, entry.base, entry.high, key in WHOLE_NUMBER_ASSUMPTIONS, points)
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


def value_against_price(inputs: Inputs, prices_usd_per_gpu_hour: Sequence[float] = METHODS.contract_price_grid_usd_per_gpu_hour,
                        evaluate: Evaluate = headline_outputs) -> pd.DataFrame:
    """The outputs at each contract unit price (the other entries at base)."""
    rows = [{"contract_price_usd_per_gpu_hour": float(p),
             **evaluate(with_values(inputs, {"pricing.contract_price_usd_per_gpu_hour": float(p)}))} for p in prices_usd_per_gpu_hour]
    return pd.DataFrame(rows)


def entries_outside(one_way_table: pd.DataFrame, low: float, high: float, output: str = "expected_pv_usd") -> pd.DataFrame:
    """Register entries whose one-way grid moves ``output`` outside [low, high], widest first (id, description, min, max)."""
    rows = one_way_table[(one_way_table["output"] == output)
                         & ((one_way_table["grid_min"] < low - 1e-6 * abs(low)) | (one_way_table["grid_max"] > high + 1e-6 * abs(high)))]
    return rows.sort_values("swing", ascending=False)[["id", "description", "grid_min", "grid_max"]].reset_index(drop=True)


def global_entries(inputs: Inputs) -> list[str]:
    """Register entries the global analysis varies: every continuous entry with low < high."""
    return [k for k, a in inputs.assumptions.items() if a.low < a.high and k not in WHOLE_NUMBER_ASSUMPTIONS]


def screened_entries(inputs: Inputs, one_way_table: pd.DataFrame, share: float = METHODS.screen_share) -> list[str]:
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


def global_sobol(inputs: Inputs, n_base: int = METHODS.sobol_base_sample, seed: int = METHODS.sobol_seed,
                 model: Callable[[Mapping[str, float]], dict[str, float]] | None = None,
                 ids: Sequence[str] | None = None, confidence: float = METHODS.sobol_confidence) -> tuple[pd.DataFrame, pd.DataFrame]:
    """First-order and total Sobol' indices of each output over register entries (SALib).

    ``ids`` defaults to every continuous entry. Saltelli's scheme without second-order terms: ``n_base`` × (D + 2)
    evaluations of ``model`` (by default the cheaper ``QuickModel``). Returns the index table (one row per entry and
    output: S1, ST and the half-widths of their ``confidence`` intervals) and the sample with its outputs. An output that does not
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
        indices = sobol_analyze.analyze(problem, y, calc_second_order=False, conf_level=confidence, seed=seed)
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
class Driver:
    """The register entry that moves an output most: its id, its description as it reads in a sentence, and how much
    (the one-way range of the output, or the total Sobol' index with its confidence half-width)."""

    id: str
    words: str
    amount: float
    conf: float = 0.0  # half-width of the index's confidence interval
    se: float = 0.0  # the standard error that half-width implies


@dataclass(frozen=True)
class Summary:
    """What the sensitivity chapter quotes: scenario outputs, the largest one-way and global drivers of each output
    (None when no entry moves it), interior extremes, and the value-against-price curve's landmarks."""

    scenario_outputs: dict[str, dict[str, float | int]]  # case ('Bear', 'Base', 'Bull') -> output -> value (payback in whole months)
    top_one_way: dict[str, Driver | None]
    top_global: dict[str, Driver | None]
    interior_extremes_expected_pv: int
    peak_price_usd_per_gpu_hour: float
    peak_value_usd: float
    value_at_low_price_usd: float
    value_at_high_price_usd: float
    curve_start_price_usd_per_gpu_hour: float
    curve_start_value_usd: float
    curve_end_price_usd_per_gpu_hour: float
    curve_end_value_usd: float
    curve_direction: str  # 'falling', 'rising' or 'peaking'


def summarise(inputs: Inputs, one_way_table: pd.DataFrame, sobol: pd.DataFrame, curve: pd.DataFrame,
              scenarios: pd.DataFrame, confidence: float) -> Summary:
    """The landmarks of the sensitivity tables (see ``Summary``)."""
    top: dict[str, Driver | None] = {}
    top_global: dict[str, Driver | None] = {}
    for output in OUTPUTS:
        rows = one_way_table[one_way_table["output"] == output].sort_values("swing", ascending=False)
        moved = not rows.empty and float(rows["swing"].iloc[0]) > 0
        top[output] = (Driver(str(rows["id"].iloc[0]), in_sentence(str(rows["description"].iloc[0])), float(rows["swing"].iloc[0]))
                       if moved else None)
        indices = sobol[sobol["output"] == output].sort_values("ST", ascending=False)
        found = not indices.empty and float(indices["ST"].iloc[0]) > 0
        conf = float(indices["ST_conf"].iloc[0]) if found else 0.0
        top_global[output] = (Driver(str(indices["id"].iloc[0]), in_sentence(inputs.assumptions[indices["id"].iloc[0]].description),
                                     float(indices["ST"].iloc[0]), conf, conf / float(special.ndtri(0.5 + confidence / 2)))
                              if found else None)
    interior = one_way_table[(one_way_table["output"] == "expected_pv_usd") & one_way_table["interior_extreme"]]
    prices_ = curve["contract_price_usd_per_gpu_hour"]
    values = curve["expected_pv_usd"].to_numpy(dtype=float)
    best = curve.loc[curve["expected_pv_usd"].idxmax()]

    def nearest(case: str) -> float:
        price = inputs.assumption("pricing.contract_price_usd_per_gpu_hour", case)
        return float(curve.iloc[(prices_ - price).abs().argmin()]["expected_pv_usd"])

    steps = np.diff(values)
    direction = "falling" if np.all(steps <= 0) else "rising" if np.all(steps >= 0) else "peaking"
    outputs = {str(c): {str(o): int(v) if o == "payback_months" else float(v) for o, v in scenarios[c].items()} for c in scenarios.columns}
    return Summary(outputs, top, top_global,
                   len(interior), float(best["contract_price_usd_per_gpu_hour"]), float(best["expected_pv_usd"]), nearest("low"),
                   nearest("high"), float(prices_.iloc[0]), float(values[0]), float(prices_.iloc[-1]), float(values[-1]), direction)


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
    methods: Methods
    summary: Summary

    @property
    def n_screened(self) -> int:
        """Entries the global analysis varies (after screening)."""
        return len(self.global_ids)


def run(inputs: Inputs, scenario_files: Mapping[str, Path], methods: Methods = METHODS) -> SensitivityResults:
    """The one-way grid, the price curve, the scenarios and the global analysis (seeded)."""
    evaluate = partial(headline_outputs, methods=methods)
    table = one_way(inputs, evaluate, points=methods.one_way_points)
    screened = screened_entries(inputs, table, methods.screen_share)
    sobol, samples = global_sobol(inputs, methods.sobol_base_sample, methods.sobol_seed, quick_model(inputs, methods).outputs,
                                  screened, methods.sobol_confidence)
    curve = value_against_price(inputs, methods.contract_price_grid_usd_per_gpu_hour, evaluate)
    scenarios = scenario_table(inputs, scenario_files, evaluate)
    return SensitivityResults(table, curve, scenarios, sobol, samples, methods.sobol_base_sample, len(samples), inputs.is_what_if,
                              tuple(screened), len(global_entries(inputs)), methods, summarise(inputs, table, sobol, curve, scenarios,
                                                                                             methods.sobol_confidence))

