"""The models assembled from the inputs: the market price model, the contract's cash flows, the seller's
capacity, and the seeded Monte Carlo and sensitivity runs the chapters and the key-figures registry share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import capex, contract, finance, pricing, termination
from .data import Inputs


MC_SEED: int = 20260701
"""Seed of the market-driven Monte Carlo (the contract's start date), so every build draws the same paths."""
MC_PATHS: int = 100_000
"""Paths in the book's Monte Carlo: the standard error of a probability is at most 0.16 percentage points."""


@dataclass(frozen=True)
class CashflowModel:
    """The contract's dated payments, their cumulative present values and the termination clause."""

    dates: list
    pv_by_month: np.ndarray
    clause: termination.Clause
    clause_alt: termination.Clause
    rate: float
    monthly_payment_usd: float
    amounts_usd: np.ndarray  # payment in each month of the term (a ramp lowers the first months)


def cashflow_model(inputs: Inputs, rate: float | None = None) -> CashflowModel:
    """Payment dates (by the timing assumption), cumulative XNPV by month at ``rate`` (default: base) and the clause."""
    rate = inputs.assumption("finance.discount_rate") if rate is None else rate
    start = inputs.term("start_date")
    months = contract.term_months(start, inputs.term("end_date"))
    dates = contract.payment_dates(start, months, inputs.assumption("deal.payment_timing_months"))
    monthly = inputs.term("monthly_payment_usd")
    amounts = contract.monthly_amounts(monthly, months, int(inputs.assumption("deal.ramp_months")),
                                       inputs.assumption("deal.ramp_fee_share"))
    factors = finance.dated_discount_factors(rate, dates, start)
    pv_by_month = np.cumsum(amounts * factors)
    notice = contract.notice_months(inputs.term("notice_days"))
    lock_in = inputs.term("lock_in_months")
    clause = termination.Clause(months, lock_in, notice, int(inputs.assumption("deal.notice_earliest_month")))
    clause_alt = termination.Clause(months, lock_in, notice, int(inputs.assumption("deal.notice_earliest_month", "low")))
    return CashflowModel(dates, pv_by_month, clause, clause_alt, rate, monthly, amounts)


def market_inputs(inputs: Inputs, model: MarketModel, **overrides: float) -> termination.MarketInputs:
    """The market-driven termination inputs at base values (keyword overrides for sensitivities)."""
    values = {
        "contract_price_usd_per_gpu_hour": inputs.assumption("pricing.contract_price_usd_per_gpu_hour"),
        "market_price_usd_per_gpu_hour": model.market_price_usd_per_gpu_hour,
        "annual_decline": inputs.assumption("pricing.annual_price_decline"),
        "annual_volatility": inputs.assumption("termination.market_volatility_annual"),
        "buyer_switching_cost": inputs.assumption("termination.buyer_switching_cost"),
        "seller_switching_cost": inputs.assumption("termination.seller_switching_cost"),
    }
    values.update(overrides)
    return termination.MarketInputs(**values)


def simulate(inputs: Inputs, model: MarketModel, cash: CashflowModel, n_paths: int = MC_PATHS,
             seed: int = MC_SEED, **overrides: float) -> termination.MarketOutcome:
    """The book's market-driven Monte Carlo with a fixed seed."""
    return termination.simulate_market_termination(
        np.random.default_rng(seed), n_paths, market_inputs(inputs, model, **overrides), cash.clause,
        cash.pv_by_month, cash.amounts_usd)


@dataclass(frozen=True)
class MarketModel:
    """The fitted price model and the market comparator the pricing figures rest on."""

    fit: pricing.DeclineFit
    observations: Any  # pandas DataFrame of the observations used in the fit
    proxy_gpu: str
    comparator_contract_type: str
    comparator_tier: str
    perf_ratio: float
    market_price_usd_per_gpu_hour: float


def market_model(inputs: Inputs) -> MarketModel:
    """Fit the decline model on the in-fit observations; price GB300 capacity at the contract start.

    No GB300 rental price is observable, so the comparator is the fitted one-year reserved neocloud
    price of HGX B300, scaled by the GB300/B300 ratio of dense BF16 throughput.
    """
    prices = inputs.gpu_prices
    usd = pricing.price_per_gpu_hour(prices["price_usd"].to_numpy(), prices["price_basis"].to_numpy(),
                                     prices["gpus_per_unit"].to_numpy())
    observations = prices.assign(usd_per_gpu_hour=usd)[prices["in_fit"] == "yes"]
    start = inputs.term("start_date")
    fit = pricing.fit_price_decline(observations, start, confidence=0.90)
    ratio = inputs.spec("GB300", "bf16_dense_tflops") / inputs.spec("B300", "bf16_dense_tflops")
    b300 = float(fit.predict_usd_per_gpu_hour("B300", "reserved_1y", "neocloud", np.array([0.0]))[0])
    return MarketModel(fit, observations, "B300", "reserved_1y", "neocloud", ratio, b300 * ratio)


@dataclass(frozen=True)
class SellerModel:
    """The capacity behind the contract and its costs, as the seller sees them."""

    gpus: float
    parts_per_gpu: dict
    capex_per_gpu_usd: float
    dedicated_capex_usd: float
    operating_monthly_usd: float
    relet_monthly_usd: np.ndarray
    residual_usd: float
    tco: dict
    it_kw_per_gpu: float


def seller_model(inputs: Inputs, model: MarketModel, cash: CashflowModel) -> SellerModel:
    """Capex for the GPUs the contract implies, monthly operating cost, re-lease revenue path and residual value."""
    a = inputs.assumption
    monthly = cash.monthly_payment_usd
    gpus = float(pricing.implied_gpus(monthly, a("pricing.contract_price_usd_per_gpu_hour"), a("pricing.billed_utilization")))
    per_rack = inputs.spec("GB300 NVL72", "gpus_per_rack")
    kw = a("pricing.rack_power_kw") / per_rack
    parts = {k: float(v) for k, v in capex.capex_per_gpu_usd(a("capex.rack_price_usd"), per_rack, a("capex.network_storage_share"),
                                                            a("capex.facility_usd_per_mw"), kw).items()}
    power_monthly = kw * a("capex.pue") * a("capex.electricity_usd_per_kwh") * pricing.HOURS_PER_MONTH
    other_monthly = a("capex.opex_share_per_year") * parts["total_usd"] / 12.0
    months = cash.clause.term_months
    path = pricing.market_price_path(model.market_price_usd_per_gpu_hour, a("pricing.annual_price_decline"), months)
    relet = capex.relet_revenue_usd(gpus, path, a("capex.relet_utilization"))
    term_years = months / 12.0
    it_cost = parts["it_usd"] + parts["network_storage_usd"]
    residual = gpus * (it_cost * a("capex.residual_value_share")
                       + float(capex.book_value_usd(parts["facility_usd"], a("capex.facility_life_years"), term_years)))
    tco = {k: float(v) for k, v in capex.tco_usd_per_gpu_hour(parts["total_usd"], a("capex.gpu_life_years"), a("capex.cost_of_capital"),
                                                               kw, a("capex.pue"), a("capex.electricity_usd_per_kwh"),
                                                               a("capex.opex_share_per_year"), a("pricing.billed_utilization")).items()}
    return SellerModel(gpus, parts, parts["total_usd"], gpus * parts["total_usd"], gpus * (power_monthly + other_monthly),
                       relet, residual, tco, kw)


def seller_flows(seller: SellerModel, cash: CashflowModel, end_months: np.ndarray) -> np.ndarray:
    """The seller's monthly cash flows (months 0..term) for contracts ending at each of ``end_months``."""
    return capex.seller_cash_flows(seller.dedicated_capex_usd, cash.amounts_usd, end_months, cash.clause.term_months,
                                   seller.relet_monthly_usd, seller.operating_monthly_usd, seller.residual_usd)


SENSITIVITY_SAMPLES: int = 250
"""Draws of the whole register in the global sensitivity analysis."""
SENSITIVITY_SEED: int = 20291231
"""Seed of those draws (the contract's last day)."""


@dataclass(frozen=True)
class SensitivityResults:
    """One-way swings, the bear/base/bull table and global importance shares."""

    one_way: Any  # DataFrame
    scenarios: Any  # DataFrame
    samples: Any  # DataFrame
    importance: Any  # DataFrame


def sensitivity_results(inputs: Inputs) -> SensitivityResults:
    """Run the one-way, scenario and global analyses (seeded) for the sensitivity chapter and its figures."""
    from . import sensitivity

    one = sensitivity.one_way(inputs)
    scenarios = sensitivity.scenario_table(inputs)
    samples, importance = sensitivity.global_importance(
        inputs, SENSITIVITY_SAMPLES, np.random.default_rng(SENSITIVITY_SEED),
        lambda x: sensitivity.headline_outputs(x, n_paths=5_000))
    return SensitivityResults(one, scenarios, samples, importance)


def switching_cost_sensitivity(inputs: Inputs, model: MarketModel, cash: CashflowModel, costs: np.ndarray,
                               volatilities: np.ndarray, n_paths: int = 20_000) -> dict[str, np.ndarray]:
    """Expected PV and probability of running to term when both sides' switching costs equal each of ``costs``.

    One simulation per (volatility, cost) pair, all with the book's seed; returns arrays of shape (V, C).
    """
    pv = np.empty((len(volatilities), len(costs)))
    full = np.empty_like(pv)
    for i, vol in enumerate(volatilities):
        for j, cost in enumerate(costs):
            out = simulate(inputs, model, cash, n_paths=n_paths, annual_volatility=float(vol),
                           buyer_switching_cost=float(cost), seller_switching_cost=float(cost))
            pv[i, j], full[i, j] = out.expected_pv_usd, out.prob_full_term
    return {"expected_pv_usd": pv, "prob_full_term": full}
