"""The models assembled from the inputs: typed deal terms and parameters, the payment schedule and its present
values, the market price model, the seller's capacity, and the seeded simulations.

This is the one place that reads register entries by id (``PARAMETER_IDS``) and deal terms, specifications and
company figures by name; models downstream take the typed :class:`Deal` and :class:`Parameters`.
``preconditions`` checks, before any notebook runs, that every model can be assembled from the inputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .core import capex, contract, finance, pricing, termination
from .inputs import CASES, Inputs, Problem, TableError
from .validate import InputError

MC_SEED: int = 20260701
"""Seed of the market-driven Monte Carlo (the contract's start date), so every build draws the same paths."""
MC_PATHS: int = 100_000
"""Paths in the book's Monte Carlo: the standard error of a probability is at most 0.16 percentage points."""
SELLER_SAMPLE_PATHS: int = 20_000
"""Monte Carlo paths whose seller cash flows are valued (the first of the book's paths)."""


# --------------------------------------------------------------------------------------------
# Typed inputs


@dataclass(frozen=True)
class Deal:
    """The reported deal terms the models read, typed."""

    seller: str
    buyer: str
    monthly_payment_usd: float
    start_date: dt.date
    end_date: dt.date
    headline_reported_usd: float
    headline_alt_reported_usd: float | None
    lock_in_months: int
    notice_days: int


def deal(inputs: Inputs) -> Deal:
    """The deal terms of ``inputs`` as a typed record."""
    alt = inputs.term("headline_value_alt_usd") if "headline_value_alt_usd" in inputs.terms else None
    return Deal(inputs.term("seller"), inputs.term("buyer"), float(inputs.term("monthly_payment_usd")), inputs.term("start_date"),
                inputs.term("end_date"), float(inputs.term("headline_value_usd")), None if alt is None else float(alt),
                int(inputs.term("lock_in_months")), int(inputs.term("notice_days")))


@dataclass(frozen=True)
class Parameters:
    """One case of the assumption register, typed (units in the names; rates annual effective decimals)."""

    discount_rate: float
    notice_earliest_month: int
    payment_timing_months: int
    ramp_months: int
    ramp_fee_share: float
    contract_price_usd_per_gpu_hour: float
    billed_utilization: float
    rack_power_kw: float
    annual_price_decline: float
    expected_life_months: float
    market_volatility_annual: float
    buyer_switching_cost: float
    seller_switching_cost: float
    rack_price_usd: float
    network_storage_share: float
    facility_usd_per_mw: float
    pue: float
    electricity_usd_per_kwh: float
    opex_share_per_year: float
    gpu_life_years: float
    facility_life_years: float
    residual_value_share: float
    cost_of_capital: float
    relet_utilization: float


PARAMETER_IDS: Mapping[str, str] = {
    "discount_rate": "finance.discount_rate",
    "notice_earliest_month": "deal.notice_earliest_month",
    "payment_timing_months": "deal.payment_timing_months",
    "ramp_months": "deal.ramp_months",
    "ramp_fee_share": "deal.ramp_fee_share",
    "contract_price_usd_per_gpu_hour": "pricing.contract_price_usd_per_gpu_hour",
    "billed_utilization": "pricing.billed_utilization",
    "rack_power_kw": "pricing.rack_power_kw",
    "annual_price_decline": "pricing.annual_price_decline",
    "expected_life_months": "termination.expected_life_months",
    "market_volatility_annual": "termination.market_volatility_annual",
    "buyer_switching_cost": "termination.buyer_switching_cost",
    "seller_switching_cost": "termination.seller_switching_cost",
    "rack_price_usd": "capex.rack_price_usd",
    "network_storage_share": "capex.network_storage_share",
    "facility_usd_per_mw": "capex.facility_usd_per_mw",
    "pue": "capex.pue",
    "electricity_usd_per_kwh": "capex.electricity_usd_per_kwh",
    "opex_share_per_year": "capex.opex_share_per_year",
    "gpu_life_years": "capex.gpu_life_years",
    "facility_life_years": "capex.facility_life_years",
    "residual_value_share": "capex.residual_value_share",
    "cost_of_capital": "capex.cost_of_capital",
    "relet_utilization": "capex.relet_utilization",
}
"""Each Parameters field and the register entry it reads."""

_WHOLE = {name for name, f in Parameters.__dataclass_fields__.items() if f.type == "int"}


def parameters(inputs: Inputs, case: str = "base") -> Parameters:
    """Every register entry the models read, at its ``case`` value ('low', 'base' or 'high')."""
    values: dict[str, float | int] = {}
    for name, rid in PARAMETER_IDS.items():
        value = inputs.assumption(rid, case)
        values[name] = int(value) if name in _WHOLE else float(value)
    return Parameters(**values)  # type: ignore[arg-type]


REQUIRED_SPECS: tuple[tuple[str, str], ...] = (("GB300", "bf16_dense_tflops"), ("B300", "bf16_dense_tflops"),
                                               ("GB300 NVL72", "gpus_per_rack"))
REQUIRED_COMPANY_FIGURES: tuple[str, ...] = (
    "spacex_ai_capex_2025_usd", "spacex_ai_revenue_2025_usd", "colossus2_target_gpus", "colossus2_power_mw",
    "reflection_raised_2025_usd", "reflection_valuation_2025_usd", "reflection_raise_talks_2026_usd",
    "reflection_valuation_talks_2026_usd")
SPACEX_TENANTS: tuple[str, ...] = ("spacex_anthropic", "spacex_google")
"""SpaceX's other disclosed compute tenants in data/comparable_deals.csv (the Colossus 1 sensitivity row excluded)."""
COMPARATOR = ("B300", "reserved_1y", "neocloud")
"""The fitted price that stands in for GB300 capacity: one-year reserved HGX B300 at a neocloud."""


# --------------------------------------------------------------------------------------------
# The contract: schedule, present values, clause


@dataclass(frozen=True)
class CashflowModel:
    """The payment schedule, its cumulative present values at the discount rate, and the termination clause."""

    schedule: contract.Schedule
    pv_by_month: np.ndarray
    clause: termination.Clause
    clause_alt: termination.Clause
    rate: float

    @property
    def amounts_usd(self) -> np.ndarray:
        """Payment in each month of the term."""
        return self.schedule.amounts_usd


def cashflow_model(terms: Deal, params: Parameters, rate: float | None = None, alt_notice_earliest_month: int | None = None) -> CashflowModel:
    """The schedule, cumulative XNPV by month at ``rate`` (default: the discount rate) and the clause under both readings.

    ``alt_notice_earliest_month`` is the other reading of the clause (default: notice from the start, month 0).
    """
    rate = params.discount_rate if rate is None else rate
    sched = contract.schedule(terms.monthly_payment_usd, terms.start_date, terms.end_date, params.payment_timing_months,
                              params.ramp_months, params.ramp_fee_share)
    factors = finance.dated_discount_factors(rate, list(sched.payment_dates), terms.start_date)
    notice = contract.notice_months(terms.notice_days)
    clause = termination.Clause(sched.months, terms.lock_in_months, notice, params.notice_earliest_month)
    alt = 0 if alt_notice_earliest_month is None else alt_notice_earliest_month
    clause_alt = termination.Clause(sched.months, terms.lock_in_months, notice, alt)
    return CashflowModel(sched, np.cumsum(sched.amounts_usd * factors), clause, clause_alt, float(rate))


def pv_tables(terms: Deal, params: Parameters, rates: np.ndarray) -> np.ndarray:
    """Cumulative present value by month at each of ``rates`` (shape (K, T))."""
    sched = contract.schedule(terms.monthly_payment_usd, terms.start_date, terms.end_date, params.payment_timing_months,
                              params.ramp_months, params.ramp_fee_share)
    return np.cumsum(sched.amounts_usd * finance.dated_discount_factors(rates, list(sched.payment_dates), terms.start_date), axis=-1)


# --------------------------------------------------------------------------------------------
# The market


@dataclass(frozen=True)
class MarketModel:
    """The fitted price model and the market comparator the pricing figures rest on."""

    fit: pricing.DeclineFit
    observations: pd.DataFrame
    proxy_gpu: str
    comparator_contract_type: str
    comparator_tier: str
    perf_ratio: float
    market_price_usd_per_gpu_hour: float


def price_observations(inputs: Inputs) -> pd.DataFrame:
    """Every price observation with its price per GPU-hour (``usd_per_gpu_hour``)."""
    prices = inputs.gpu_prices
    usd = pricing.price_per_gpu_hour(prices["price_usd"].to_numpy(), prices["price_basis"].to_numpy(),
                                     prices["gpus_per_unit"].to_numpy())
    return prices.assign(usd_per_gpu_hour=usd)


def market_model(inputs: Inputs, start_date: dt.date) -> MarketModel:
    """Fit the decline model on the in-fit observations; price GB300 capacity at ``start_date``.

    No GB300 rental price is observable, so the comparator is the fitted one-year reserved neocloud
    price of HGX B300, scaled by the GB300/B300 ratio of dense BF16 throughput.
    """
    observations = price_observations(inputs)
    observations = observations[observations["in_fit"] == "yes"]
    fit = pricing.fit_price_decline(observations, start_date, confidence=0.90)
    ratio = inputs.spec("GB300", "bf16_dense_tflops") / inputs.spec("B300", "bf16_dense_tflops")
    b300 = float(fit.predict_usd_per_gpu_hour(*COMPARATOR, np.array([0.0]))[0])
    return MarketModel(fit, observations, *COMPARATOR, ratio, b300 * ratio)


def market_inputs(params: Parameters, market: MarketModel, **overrides: float) -> termination.MarketInputs:
    """The market-driven termination inputs (keyword overrides for sensitivities)."""
    values = {
        "contract_price_usd_per_gpu_hour": params.contract_price_usd_per_gpu_hour,
        "market_price_usd_per_gpu_hour": market.market_price_usd_per_gpu_hour,
        "annual_decline": params.annual_price_decline,
        "annual_volatility": params.market_volatility_annual,
        "buyer_switching_cost": params.buyer_switching_cost,
        "seller_switching_cost": params.seller_switching_cost,
    }
    values.update(overrides)
    return termination.MarketInputs(**values)


def simulate(params: Parameters, market: MarketModel, cash: CashflowModel, n_paths: int = MC_PATHS,
             seed: int = MC_SEED, **overrides: float) -> termination.MarketOutcome:
    """The book's market-driven Monte Carlo with a fixed seed (keyword overrides of the market inputs)."""
    return termination.simulate_market_termination(
        np.random.default_rng(seed), n_paths, market_inputs(params, market, **overrides), cash.clause,
        cash.pv_by_month, cash.amounts_usd)


# --------------------------------------------------------------------------------------------
# The seller


@dataclass(frozen=True)
class SellerModel:
    """The capacity behind the contract and its costs, as the seller sees them."""

    gpus: float
    parts_per_gpu: dict[str, float]
    capex_per_gpu_usd: float
    dedicated_capex_usd: float
    operating_monthly_usd: float
    relet_monthly_usd: np.ndarray
    residual_usd: float
    tco: dict[str, float]
    it_kw_per_gpu: float
    gpus_per_rack: float


def seller_model(inputs: Inputs, params: Parameters, market: MarketModel, cash: CashflowModel) -> SellerModel:
    """Capex for the GPUs the contract implies, monthly operating cost, re-lease revenue path and residual value."""
    p = params
    monthly = float(cash.amounts_usd[-1])
    gpus = float(pricing.implied_gpus(monthly, p.contract_price_usd_per_gpu_hour, p.billed_utilization))
    per_rack = inputs.spec("GB300 NVL72", "gpus_per_rack")
    kw = p.rack_power_kw / per_rack
    parts = {k: float(v) for k, v in capex.capex_per_gpu_usd(p.rack_price_usd, per_rack, p.network_storage_share,
                                                            p.facility_usd_per_mw, kw).items()}
    power_monthly = kw * p.pue * p.electricity_usd_per_kwh * pricing.HOURS_PER_MONTH
    other_monthly = p.opex_share_per_year * parts["total_usd"] / 12.0
    months = cash.clause.term_months
    path = pricing.market_price_path(market.market_price_usd_per_gpu_hour, p.annual_price_decline, months)
    relet = capex.relet_revenue_usd(gpus, path, p.relet_utilization)
    it_cost = parts["it_usd"] + parts["network_storage_usd"]
    residual = gpus * (it_cost * p.residual_value_share
                       + float(capex.book_value_usd(parts["facility_usd"], p.facility_life_years, months / 12.0)))
    tco = {k: float(v) for k, v in capex.tco_usd_per_gpu_hour(parts["total_usd"], p.gpu_life_years, p.cost_of_capital, kw,
                                                               p.pue, p.electricity_usd_per_kwh, p.opex_share_per_year,
                                                               p.billed_utilization).items()}
    return SellerModel(gpus, parts, parts["total_usd"], gpus * parts["total_usd"], gpus * (power_monthly + other_monthly),
                       relet, residual, tco, kw, per_rack)


def seller_flows(seller: SellerModel, cash: CashflowModel, end_months: np.ndarray) -> np.ndarray:
    """The seller's monthly cash flows (months 0..term) for contracts ending at each of ``end_months``."""
    return capex.seller_cash_flows(seller.dedicated_capex_usd, cash.amounts_usd, end_months, cash.clause.term_months,
                                   seller.relet_monthly_usd, seller.operating_monthly_usd, seller.residual_usd)


# --------------------------------------------------------------------------------------------
# Preconditions: what `python -m analysis check` verifies beyond the tables


def preconditions(inputs: Inputs) -> list[Problem]:
    """Every reason the models could not be assembled from ``inputs``, as problems naming the file and field.

    Checks the register entries, specification rows, company figures and tenant deals the models read; that the
    notice period fits within the term; that the price model can be fitted and can price the comparator; and
    that the models assemble at the low, base and high case of every register entry.
    """
    problems = [Problem("data/assumptions.csv", None, rid, "id", "(missing)", f"an entry the models read (Parameters.{name})")
                for name, rid in PARAMETER_IDS.items() if rid not in inputs.assumptions]
    problems += [Problem("data/gpu_specs.csv", None, gpu, "metric", "(missing)", f"a row for {gpu} {metric}")
                 for gpu, metric in REQUIRED_SPECS
                 if inputs.gpu_specs[(inputs.gpu_specs["gpu"] == gpu) & (inputs.gpu_specs["metric"] == metric)].empty]
    known = set(inputs.company_figures["id"])
    problems += [Problem("data/company_figures.csv", None, fid, "id", "(missing)", "a figure the strategy chapter reads")
                 for fid in REQUIRED_COMPANY_FIGURES if fid not in known]
    deals = set(inputs.comparable_deals["deal_id"])
    problems += [Problem("data/comparable_deals.csv", None, d, "deal_id", "(missing)", "a row for SpaceX's other tenant")
                 for d in SPACEX_TENANTS if d not in deals]
    if problems:
        return problems
    terms = deal(inputs)
    months = contract.term_months(terms.start_date, terms.end_date)
    notice = contract.notice_months(terms.notice_days)
    if terms.lock_in_months >= months:
        problems.append(Problem("data/deal_terms.csv", None, "lock_in_months", "value", terms.lock_in_months,
                                f"an initial period shorter than the term ({months} months)"))
    if notice >= months:
        problems.append(Problem("data/deal_terms.csv", None, "notice_days", "value", terms.notice_days,
                                f"a notice period shorter than the term ({months} months, about {int(months * 30.4)} days)"))
    if problems:
        return problems
    try:
        market = market_model(inputs, terms.start_date)
    except InputError as exc:
        return [Problem("data/gpu_prices.csv", None, None, "in_fit", exc.value,
                        f"in-fit observations that identify the price model ({exc.expected}); the comparator needs "
                        f"{' / '.join(COMPARATOR)} observations")]
    for rid, entry in inputs.assumptions.items():
        for case in CASES:
            if rid not in PARAMETER_IDS.values() and case != "base":
                continue
            single = dataclasses.replace(parameters(inputs), **{n: parameters(inputs, case).__dict__[n]
                                                                for n, r in PARAMETER_IDS.items() if r == rid})
            try:
                cash = cashflow_model(terms, single)
                seller_model(inputs, single, market, cash)
                market_inputs(single, market)
            except InputError as exc:
                problems.append(Problem("data/assumptions.csv", None, rid, case, entry.value(case),
                                        f"a value the models accept ({exc})"))
    return problems


def check(inputs: Inputs) -> None:
    """Raise TableError listing every precondition that fails (see ``preconditions``)."""
    problems = preconditions(inputs)
    if problems:
        raise TableError(problems)
