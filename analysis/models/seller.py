"""The seller's side: the capacity behind the contract and its cost, SpaceX's cash flows, return and payback, the
capacity's financing, and its economics path by path when the contract ends early.

Monthly cash flows are indexed 0..T: month 0 is delivery, when the capex is spent; month m is the m-th month of
service. Rates are annual effective decimals, turned monthly with ``finance.annual_to_monthly``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..conventions import HOURS_PER_MONTH, KW_PER_MW, MONTHS_PER_YEAR
from ..core import capex, finance, pricing
from ..inputs import Inputs
from ..methods import Methods
from ..validate import InputError
from .cashflow import CashflowModel
from .market import market_path
from .terms import Parameters
from .valuation import Estimate


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
    it_residual_usd: float
    tco: dict[str, float]
    annual_depreciation_usd: float  # straight-line, first year: the IT over the GPUs' life, the facility over its own
    it_kw_per_gpu: float
    gpus_per_rack: float
    pue: float

    @property
    def facility_mw(self) -> float:
        """Facility power of the capacity: IT load × PUE, in MW."""
        return self.gpus * self.it_kw_per_gpu * self.pue / KW_PER_MW


def life_months(params: Parameters) -> int:
    """The GPUs' useful life in whole months."""
    return round(MONTHS_PER_YEAR * params.gpu_life_years)


def seller_model(inputs: Inputs, params: Parameters, cash: CashflowModel, gpus_per_rack: float | None = None) -> SellerModel:
    """Capex for the GPUs the contract implies, monthly operating cost, re-lease revenue path and residual value.

    The residual value is what the IT can still earn after the term: rental at the market's median price path
    (continued past the term) for the rest of its life, net of operating costs, at the cost of capital; plus the
    facility's book value. A shorter GPU life or a lower price path lowers it. ``gpus_per_rack`` passes the rack
    size already read (for repeated evaluations).
    """
    p = params
    gpus = float(pricing.implied_gpus(cash.schedule.amounts_usd[-1], p.contract_price_usd_per_gpu_hour, p.billed_utilization))
    per_rack = inputs.spec("GB300 NVL72", "gpus_per_rack") if gpus_per_rack is None else gpus_per_rack
    kw = p.rack_power_kw / per_rack
    parts = {k: float(v) for k, v in capex.capex_per_gpu_usd(p.rack_price_usd, per_rack, p.network_storage_share,
                                                            p.facility_usd_per_mw, kw).items()}
    power_monthly = kw * p.pue * p.electricity_usd_per_kwh * HOURS_PER_MONTH
    other_monthly = p.opex_share_per_year * parts["total_usd"] / MONTHS_PER_YEAR
    months = cash.clause.term_months
    after = max(life_months(p) - months, 0)
    path = market_path(p, months + after)
    relet = capex.relet_revenue_usd(gpus, path[:months], p.relet_utilization)
    it_residual = capex.residual_value_usd(gpus, path[months:], p.relet_utilization, power_monthly + other_monthly,
                                           float(finance.annual_to_monthly(p.cost_of_capital)))
    residual = it_residual + gpus * float(capex.book_value_usd(parts["facility_usd"], p.facility_life_years, months / MONTHS_PER_YEAR))
    tco = {k: float(v) for k, v in capex.tco_usd_per_gpu_hour(parts["it_usd"] + parts["network_storage_usd"], parts["facility_usd"],
                                                               p.gpu_life_years, p.facility_life_years, p.cost_of_capital, kw,
                                                               p.pue, p.electricity_usd_per_kwh, p.opex_share_per_year,
                                                               p.billed_utilization).items()}
    year = [float(capex.straight_line_depreciation(gpus * cost, life, 0.0, MONTHS_PER_YEAR).sum())
            for cost, life in ((parts["it_usd"] + parts["network_storage_usd"], p.gpu_life_years),
                               (parts["facility_usd"], p.facility_life_years))]
    return SellerModel(gpus, parts, parts["total_usd"], gpus * parts["total_usd"], gpus * (power_monthly + other_monthly),
                       relet, residual, it_residual, tco, sum(year), kw, per_rack, p.pue)


def seller_flows(seller: SellerModel, cash: CashflowModel, end_months: np.ndarray) -> np.ndarray:
    """The seller's monthly cash flows (months 0..term) for contracts ending at each of ``end_months``."""
    return capex.seller_cash_flows(seller.dedicated_capex_usd, cash.amounts_usd, end_months, cash.clause.term_months,
                                   seller.relet_monthly_usd, seller.operating_monthly_usd, seller.residual_usd)


@dataclass(frozen=True)
class SellerReturns:
    """SpaceX's cash flows on the capacity with the contract run to term and ended at the earliest date, the return
    and value to term, the payback months, and the flows of the capex chapter's scenarios (label -> flows)."""

    full_term_flows: np.ndarray
    committed_flows: np.ndarray
    irr_full_term_annual: float
    npv_full_term_usd: float
    payback_full_term_month: int
    payback_committed_month: int
    scenarios: dict[str, np.ndarray]


def seller_returns(params: Parameters, seller: SellerModel, cash: CashflowModel, methods: Methods) -> SellerReturns:
    """Cash flows, IRR, NPV at the cost of capital and payback, to term and at the earliest end."""
    clause = cash.clause
    ends = np.array([clause.term_months, clause.committed_months])
    full, committed = seller_flows(seller, cash, ends)
    year = methods.fixed_end_months[0]
    labels = {"Ended at the earliest date": clause.committed_months, f"Ended after {year} months": year, "Run to term": clause.term_months}
    flows = seller_flows(seller, cash, np.array(list(labels.values())))
    return SellerReturns(full, committed, float(finance.monthly_to_annual(finance.irr(full))),
                         float(finance.npv(finance.annual_to_monthly(params.cost_of_capital), full)),
                         int(capex.payback_month(full)), int(capex.payback_month(committed)),
                         {label: flows[i] for i, label in enumerate(labels)})


@dataclass(frozen=True)
class Financing:
    """The capacity's financing: debt and equity, the seller's NPV at each rate, and how far contracted cash covers the debt."""

    debt_usd: float
    loan_months: int
    monthly_debt_service_usd: float
    npv_at_debt_rate_usd: float
    npv_at_equity_hurdle_usd: float
    npv_at_wacc_usd: float
    coverage_committed: float  # PV of committed net contract cash ÷ the debt (loan-life coverage, committed cash only)
    coverage_full_term: float  # the same, had the contract run to term
    committed_period_dscr: float  # net contract cash ÷ debt service in each committed month


def financing(params: Parameters, cash: CashflowModel, seller: SellerModel, full_term_flows: np.ndarray) -> Financing:
    """Debt of ``debt_share`` × capex, repaid in level monthly instalments over the GPU life at the debt rate.

    Coverage counts only contract cash net of operating costs, discounted at the debt rate: the committed
    minimum (what a lender can count on) and the full term (what it could count on without the exit clause).
    """
    debt = params.debt_share * seller.dedicated_capex_usd
    if not debt > 0:
        raise InputError("financing", "finance.debt_share", params.debt_share, "a share above 0 (coverage is counted per dollar of debt)")
    months = max(life_months(params), 1)
    rate = float(finance.annual_to_monthly(params.debt_rate))
    service = float(finance.level_payment(debt, rate, months))
    net = cash.amounts_usd - seller.operating_monthly_usd
    discount = (1.0 + rate) ** -np.arange(1, len(net) + 1)
    committed = cash.clause.committed_months
    return Financing(
        debt_usd=debt, loan_months=months, monthly_debt_service_usd=service,
        npv_at_debt_rate_usd=float(finance.npv(rate, full_term_flows)),
        npv_at_equity_hurdle_usd=float(finance.npv(finance.annual_to_monthly(params.equity_hurdle_rate), full_term_flows)),
        npv_at_wacc_usd=float(finance.npv(finance.annual_to_monthly(params.cost_of_capital), full_term_flows)),
        coverage_committed=float(net[:committed] @ discount[:committed]) / debt,
        coverage_full_term=float(net @ discount) / debt,
        committed_period_dscr=float(net[:committed].mean()) / service,
    )


@dataclass(frozen=True)
class SellerPaths:
    """The seller's economics along the first simulated paths of the headline model: annual IRR and NPV at the cost
    of capital, with freed capacity re-leased at each path's own market price after the downtime, and (``idle_*``)
    with freed capacity left idle."""

    n_paths: int
    irr_annual: np.ndarray
    npv_usd: np.ndarray
    idle_irr_annual: np.ndarray
    idle_npv_usd: np.ndarray
    base_path_npv_usd: np.ndarray  # the same paths with re-leasing at the median price path (the earlier method)
    batches: int

    def _batch_median(self, values: np.ndarray) -> Estimate:
        parts = [float(np.nanmedian(p)) for p in np.array_split(values, self.batches)]
        return Estimate(float(np.nanmedian(values)), float(np.std(parts, ddof=1) / np.sqrt(self.batches)))

    @staticmethod
    def _share(flags: np.ndarray) -> Estimate:
        p = float(np.mean(flags))
        return Estimate(p, float(np.sqrt(p * (1 - p) / len(flags))))

    @property
    def irr_median(self) -> Estimate:
        """Median annual IRR across the paths (NaN rows, with no IRR, excluded), with its standard error."""
        return self._batch_median(self.irr_annual)

    @property
    def prob_npv_negative(self) -> Estimate:
        """Share of paths on which the seller's NPV at its cost of capital is negative."""
        return self._share(self.npv_usd < 0)

    @property
    def idle_prob_npv_negative(self) -> Estimate:
        """The same share if freed capacity stays idle."""
        return self._share(self.idle_npv_usd < 0)

    @property
    def idle_irr_median(self) -> Estimate:
        """Median annual IRR if freed capacity stays idle (paths with no IRR count as the lowest)."""
        return self._batch_median(np.where(np.isnan(self.idle_irr_annual), -1.0, self.idle_irr_annual))

    @property
    def base_path_prob_npv_negative(self) -> Estimate:
        """The share with a negative NPV if freed capacity re-leased along the median price path."""
        return self._share(self.base_path_npv_usd < 0)


def seller_paths(params: Parameters, cash: CashflowModel, seller: SellerModel, end_month: np.ndarray, ratio: np.ndarray,
                 n_paths: int, batches: int) -> SellerPaths:
    """The seller's cash flows on the headline's first ``n_paths`` paths, path-consistently: after an exit or a default,
    the capacity earns nothing for the downtime, then re-leases at that path's simulated market price; its residual
    value moves with that path's price at the end of the term. Also with freed capacity left idle.

    ``end_month`` is each path's last paid month and ``ratio`` its price path (market ÷ contract price, months 0..T)."""
    n = min(n_paths, len(end_month))
    paid = end_month[:n]
    start = paid + int(params.relet_downtime_months) + 1
    path_ratio = ratio[:, :n]
    fee = float(cash.amounts_usd[-1])
    relet = params.relet_utilization * (1.0 - params.seller_switching_cost) * fee * path_ratio[:-1]  # month t at index t - 1
    median_end = float(market_path(params, cash.clause.term_months + 1)[-1]) / params.contract_price_usd_per_gpu_hour
    residual = seller.it_residual_usd * path_ratio[-1] / median_end + (seller.residual_usd - seller.it_residual_usd)
    rate = finance.annual_to_monthly(params.cost_of_capital)
    flows = capex.seller_path_flows(seller.dedicated_capex_usd, cash.amounts_usd, paid, start, relet, seller.operating_monthly_usd, residual)
    idle = capex.seller_path_flows(seller.dedicated_capex_usd, cash.amounts_usd, paid, start, np.zeros_like(relet),
                                   seller.operating_monthly_usd, residual)
    base_path = seller_flows(seller, cash, paid)
    return SellerPaths(n, finance.monthly_to_annual(finance.irr(flows)), finance.npv(rate, flows),
                       finance.monthly_to_annual(finance.irr(idle)), finance.npv(rate, idle), finance.npv(rate, base_path), batches)
