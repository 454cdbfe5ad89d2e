"""The capital behind the capacity, its cost per GPU-hour, and the seller's cash flows.

Conventions: capex in US dollars per GPU unless the name says otherwise; power in kW per GPU of IT load
(before cooling), facility power = IT power × PUE; electricity in USD per kWh; lives in years; rates are
annual effective decimals; monthly cash flows are indexed 0..T (month 0 = delivery, when capex is
spent; month m = the m-th month of service, paid at its start). Every function broadcasts over arrays.
"""

from __future__ import annotations

import numpy as np

from ..conventions import HOURS_PER_MONTH, HOURS_PER_YEAR, KW_PER_MW, MONTHS_PER_YEAR, NEVER
from ..validate import InputError, require_finite, require_positive


def capex_per_gpu_usd(
    rack_price_usd: float | np.ndarray,
    gpus_per_rack: float,
    network_storage_share: float | np.ndarray,
    facility_usd_per_mw: float | np.ndarray,
    it_kw_per_gpu: float | np.ndarray,
) -> dict[str, np.ndarray]:
    """Capex per GPU by component: the rack's share, networking and storage on top, and the facility.

    Returns arrays under 'it_usd' (rack price ÷ GPUs per rack), 'network_storage_usd' (a share of the IT
    cost), 'facility_usd' (facility $/MW × IT kW per GPU ÷ 1,000) and 'total_usd'.
    """
    rack = require_positive("rack_price_usd", rack_price_usd, where="capex_per_gpu_usd")
    per_rack = require_positive("gpus_per_rack", gpus_per_rack, where="capex_per_gpu_usd")
    share = require_positive("network_storage_share", network_storage_share, where="capex_per_gpu_usd", allow_zero=True)
    facility = require_positive("facility_usd_per_mw", facility_usd_per_mw, where="capex_per_gpu_usd", allow_zero=True)
    kw = require_positive("it_kw_per_gpu", it_kw_per_gpu, where="capex_per_gpu_usd")
    it = rack / per_rack
    network = it * share
    building = facility * kw / KW_PER_MW
    return {"it_usd": it, "network_storage_usd": network, "facility_usd": building, "total_usd": it + network + building}


def straight_line_depreciation(capex_usd: float | np.ndarray, life_years: float | np.ndarray, residual_usd: float | np.ndarray,
                               months: int) -> np.ndarray:
    """Monthly straight-line depreciation for ``months`` months: (capex − residual) ÷ (12 × life) until fully depreciated.

    Sums to capex − residual when ``months`` covers the life (a part month at the end if 12 × life is fractional).
    """
    capex = require_positive("capex_usd", capex_usd, where="straight_line_depreciation", allow_zero=True)
    life = require_positive("life_years", life_years, where="straight_line_depreciation")
    residual = require_positive("residual_usd", residual_usd, where="straight_line_depreciation", allow_zero=True)
    if np.any(residual > capex):
        raise InputError("straight_line_depreciation", "residual_usd", residual.tolist(), "a residual no larger than capex")
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 1:
        raise InputError("straight_line_depreciation", "months", months, "a whole number >= 1")
    life_months = life[..., np.newaxis] * MONTHS_PER_YEAR
    m = np.arange(1, months + 1)
    covered = np.clip(life_months - (m - 1), 0.0, 1.0)  # share of month m within the life
    return ((capex - residual) / (life * MONTHS_PER_YEAR))[..., np.newaxis] * covered


def book_value_usd(capex_usd: float | np.ndarray, life_years: float | np.ndarray, age_years: float | np.ndarray) -> np.ndarray:
    """Straight-line book value (to zero) of ``capex_usd`` after ``age_years`` of a ``life_years`` life."""
    capex = require_positive("capex_usd", capex_usd, where="book_value_usd", allow_zero=True)
    life = require_positive("life_years", life_years, where="book_value_usd")
    age = require_positive("age_years", age_years, where="book_value_usd", allow_zero=True)
    return capex * np.clip(1.0 - age / life, 0.0, 1.0)


def capital_recovery_factor(rate: float | np.ndarray, life_years: float | np.ndarray) -> np.ndarray:
    """Annual payment that repays 1 over ``life_years`` at ``rate``: r / (1 − (1 + r) ** −n); 1/n at r = 0."""
    r = require_finite("rate", rate, where="capital_recovery_factor")
    if np.any(r <= -1):
        raise InputError("capital_recovery_factor", "rate", r.tolist(), "rates > -1")
    n = require_positive("life_years", life_years, where="capital_recovery_factor")
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = r / (1.0 - np.power(1.0 + r, -n))
    return np.where(np.abs(r) < 1e-12, 1.0 / n, crf)


def tco_usd_per_gpu_hour(
    it_capex_usd: float | np.ndarray,
    facility_capex_usd: float | np.ndarray,
    gpu_life_years: float | np.ndarray,
    facility_life_years: float | np.ndarray,
    cost_of_capital: float | np.ndarray,
    it_kw_per_gpu: float | np.ndarray,
    pue: float | np.ndarray,
    electricity_usd_per_kwh: float | np.ndarray,
    opex_share_per_year: float | np.ndarray,
    utilization: float | np.ndarray,
) -> dict[str, np.ndarray]:
    """Total cost of ownership per *sold* GPU-hour, by component.

    Capital: the IT capex (racks, networking, storage) × CRF(cost of capital, GPU life) plus the facility's capex ×
    CRF(cost of capital, facility life), ÷ 8,760 h (the same two lives the seller's cash flows use); power: IT kW × PUE
    × $/kWh (drawn every hour); other opex: a yearly share of all capex ÷ 8,760 h. Each is divided by ``utilization``
    (the share of hours sold), so TCO rises with the cost of capital and falls with utilization.
    """
    it = require_positive("it_capex_usd", it_capex_usd, where="tco_usd_per_gpu_hour")
    facility = require_positive("facility_capex_usd", facility_capex_usd, where="tco_usd_per_gpu_hour", allow_zero=True)
    kw = require_positive("it_kw_per_gpu", it_kw_per_gpu, where="tco_usd_per_gpu_hour")
    p = require_positive("pue", pue, where="tco_usd_per_gpu_hour")
    if np.any(p < 1):
        raise InputError("tco_usd_per_gpu_hour", "pue", p.tolist(), "a PUE >= 1")
    price = require_positive("electricity_usd_per_kwh", electricity_usd_per_kwh, where="tco_usd_per_gpu_hour", allow_zero=True)
    opex = require_positive("opex_share_per_year", opex_share_per_year, where="tco_usd_per_gpu_hour", allow_zero=True)
    util = require_positive("utilization", utilization, where="tco_usd_per_gpu_hour")
    if np.any(util > 1):
        raise InputError("tco_usd_per_gpu_hour", "utilization", util.tolist(), "a share in (0, 1]")
    annual = it * capital_recovery_factor(cost_of_capital, gpu_life_years) + facility * capital_recovery_factor(cost_of_capital, facility_life_years)
    capital = annual / HOURS_PER_YEAR / util
    power = kw * p * price / util
    other = (it + facility) * opex / HOURS_PER_YEAR / util
    return {"capital": capital, "power": power, "other_opex": other, "total": capital + power + other}


def seller_cash_flows(
    capex_usd: float,
    contract_monthly_usd: float | np.ndarray,
    end_month: int | np.ndarray,
    horizon_months: int,
    relet_monthly_usd: np.ndarray,
    operating_monthly_usd: float,
    residual_usd: float,
) -> np.ndarray:
    """Monthly seller cash flows, months 0..horizon: −capex at 0; then contract payments through
    ``end_month``, re-lease revenue (``relet_monthly_usd[m-1]``) after it, less operating costs every month,
    plus the residual value in the last month. ``end_month`` of shape (P,) gives (P, horizon + 1).
    """
    ends = np.asarray(end_month)
    if np.any(ends < 0) or np.any(ends > horizon_months):
        raise InputError("seller_cash_flows", "end_month", ends.tolist() if ends.size < 20 else "out of range",
                         f"months in 0..{horizon_months}")
    relet = require_positive("relet_monthly_usd", relet_monthly_usd, where="seller_cash_flows", allow_zero=True)
    if relet.shape[-1] != horizon_months:
        raise InputError("seller_cash_flows", "relet_monthly_usd", relet.shape, f"one value per month ({horizon_months})")
    capex = float(require_positive("capex_usd", capex_usd, where="seller_cash_flows"))
    m = np.arange(1, horizon_months + 1)
    contract = np.broadcast_to(require_finite("contract_monthly_usd", contract_monthly_usd, where="seller_cash_flows"),
                               (horizon_months,))
    revenue = np.where(m <= ends[..., np.newaxis], contract, relet)
    flows = revenue - float(operating_monthly_usd)
    flows[..., -1] += float(residual_usd)
    start = np.full((*flows.shape[:-1], 1), -capex)
    return np.concatenate([start, flows], axis=-1)


def payback_month(cash_flows: np.ndarray) -> np.ndarray:
    """First month at which cumulative cash flow is >= 0 (NEVER = −1 if it never is); rows are scenarios."""
    flows = require_finite("cash_flows", cash_flows, where="payback_month")
    cumulative = np.cumsum(flows, axis=-1)
    positive = cumulative >= 0
    return np.where(positive.any(axis=-1), positive.argmax(axis=-1), NEVER)


def relet_revenue_usd(gpus: float, market_path_usd_per_gpu_hour: np.ndarray, relet_utilization: float) -> np.ndarray:
    """Monthly revenue from re-leasing ``gpus`` GPUs at the market price for a share of hours."""
    count = require_positive("gpus", gpus, where="relet_revenue_usd")
    path = require_positive("market_path_usd_per_gpu_hour", market_path_usd_per_gpu_hour, where="relet_revenue_usd")
    util = require_positive("relet_utilization", relet_utilization, where="relet_revenue_usd", allow_zero=True)
    return count * path * HOURS_PER_MONTH * util


def residual_value_usd(gpus: float, price_after_end_usd_per_gpu_hour: np.ndarray, utilization: float,
                       operating_monthly_usd_per_gpu: float, monthly_rate: float) -> float:
    """What the IT fleet is worth when the contract ends: the present value, at the end, of the rental income it can
    still earn over its remaining life, month by month at the given market prices, net of its operating cost.

    ``price_after_end_usd_per_gpu_hour`` has one price per remaining month of life (empty if the life is over);
    a month that would not cover its operating cost is not run (worth zero, not negative).
    """
    count = float(require_positive("gpus", gpus, where="residual_value_usd", allow_zero=True))
    prices = np.atleast_1d(np.asarray(price_after_end_usd_per_gpu_hour, dtype=float))
    if prices.size == 0:
        return 0.0
    prices = require_positive("price_after_end_usd_per_gpu_hour", prices, where="residual_value_usd", allow_zero=True)
    util = float(require_positive("utilization", utilization, where="residual_value_usd", allow_zero=True))
    opex = float(require_positive("operating_monthly_usd_per_gpu", operating_monthly_usd_per_gpu, where="residual_value_usd",
                                  allow_zero=True))
    rate = float(require_finite("monthly_rate", monthly_rate, where="residual_value_usd"))
    if rate <= -1:
        raise InputError("residual_value_usd", "monthly_rate", rate, "a rate > -1")
    net = np.maximum(prices * HOURS_PER_MONTH * util - opex, 0.0)
    discount = (1.0 + rate) ** -np.arange(1, prices.size + 1)
    return float(count * np.sum(net * discount))


def seller_path_flows(capex_usd: float, contract_monthly_usd: np.ndarray, paid_end: np.ndarray, relet_start: np.ndarray,
                      relet_monthly_usd: np.ndarray, operating_monthly_usd: float, residual_usd: np.ndarray) -> np.ndarray:
    """The seller's monthly cash flows on each simulated path, months 0..T (shape (P, T + 1)).

    Month 0: −capex. Month m: the contract payment while m ≤ ``paid_end`` (the last month paid, after an exit or a
    default), nothing until ``relet_start``, then that path's re-lease revenue ``relet_monthly_usd[m-1, p]``;
    operating costs every month; the path's residual value in the last month.
    """
    capex = float(require_positive("capex_usd", capex_usd, where="seller_path_flows"))
    contract = require_finite("contract_monthly_usd", contract_monthly_usd, where="seller_path_flows")
    relet = require_positive("relet_monthly_usd", relet_monthly_usd, where="seller_path_flows", allow_zero=True)
    months = contract.shape[-1]
    if relet.ndim != 2 or relet.shape[0] != months:
        raise InputError("seller_path_flows", "relet_monthly_usd", relet.shape, f"(months = {months}, paths)")
    paid, start = np.asarray(paid_end), np.asarray(relet_start)
    residual = require_finite("residual_usd", residual_usd, where="seller_path_flows")
    m = np.arange(1, months + 1)[:, np.newaxis]
    revenue = np.where(m <= paid, contract[:, np.newaxis], np.where(m >= start, relet, 0.0))  # (T, P)
    flows = np.empty((revenue.shape[1], months + 1))
    flows[:, 0] = -capex
    flows[:, 1:] = revenue.T - float(operating_monthly_usd)
    flows[:, -1] += residual
    return flows
