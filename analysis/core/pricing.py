"""What a monthly payment buys in GPUs, racks and megawatts, and how the contract price compares with the market.

Conventions: a month has 730 hours (8,760 / 12); prices are US dollars per GPU-hour; capacity is
billed per reserved GPU-hour times the billed-utilization share; annual declines are decimals (0.20 =
prices fall 20% a year). Every function takes numpy arrays and broadcasts, so one call values many
scenarios. Price trends are estimated in ``trends``; price paths are simulated in ``prices``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..conventions import HOURS_PER_MONTH, KW_PER_MW, MONTHS_PER_YEAR, TFLOPS_PER_PFLOPS
from ..validate import InputError, require_finite, require_positive


def implied_gpus(
    monthly_payment_usd: float | np.ndarray,
    price_usd_per_gpu_hour: float | np.ndarray,
    billed_utilization: float | np.ndarray = 1.0,
) -> np.ndarray:
    """GPUs a monthly payment reserves: payment / (730 h × price × billed utilization)."""
    payment = require_positive("monthly_payment_usd", monthly_payment_usd, where="implied_gpus")
    price = require_positive("price_usd_per_gpu_hour", price_usd_per_gpu_hour, where="implied_gpus")
    util = _share("billed_utilization", billed_utilization, "implied_gpus")
    return payment / (HOURS_PER_MONTH * price * util)


def implied_price_usd_per_gpu_hour(
    monthly_payment_usd: float | np.ndarray,
    gpus: float | np.ndarray,
    billed_utilization: float | np.ndarray = 1.0,
) -> np.ndarray:
    """Price per GPU-hour that a monthly payment implies for ``gpus`` GPUs (the inverse of implied_gpus)."""
    payment = require_positive("monthly_payment_usd", monthly_payment_usd, where="implied_price_usd_per_gpu_hour")
    count = require_positive("gpus", gpus, where="implied_price_usd_per_gpu_hour")
    util = _share("billed_utilization", billed_utilization, "implied_price_usd_per_gpu_hour")
    return payment / (HOURS_PER_MONTH * count * util)


def implied_racks(gpus: float | np.ndarray, gpus_per_rack: float) -> np.ndarray:
    """Racks that ``gpus`` GPUs fill (fractional: a capacity measure, not a purchase order)."""
    count = require_positive("gpus", gpus, where="implied_racks", allow_zero=True)
    return count / require_positive("gpus_per_rack", gpus_per_rack, where="implied_racks")


def implied_it_mw(gpus: float | np.ndarray, gpus_per_rack: float, rack_power_kw: float | np.ndarray) -> np.ndarray:
    """Megawatts of IT load (before cooling overhead) that ``gpus`` GPUs draw in racks of ``rack_power_kw``."""
    power = require_positive("rack_power_kw", rack_power_kw, where="implied_it_mw")
    return implied_racks(gpus, gpus_per_rack) * power / KW_PER_MW


def annual_decline_from_doubling(doubling_time_years: float | np.ndarray) -> np.ndarray:
    """Annual fall in price per unit of performance when performance per dollar doubles every T years: 1 − 2^(−1/T)."""
    t = require_positive("doubling_time_years", doubling_time_years, where="annual_decline_from_doubling")
    return 1.0 - np.power(2.0, -1.0 / t)


def annualized_change(change: float | np.ndarray, period_months: float | np.ndarray) -> np.ndarray:
    """Annual rate equivalent to a ``change`` (decimal, e.g. −0.22) over ``period_months`` months."""
    c = require_finite("change", change, where="annualized_change")
    if np.any(c <= -1):
        raise InputError("annualized_change", "change", c.tolist(), "changes > -1")
    months = require_positive("period_months", period_months, where="annualized_change")
    return np.power(1.0 + c, MONTHS_PER_YEAR / months) - 1.0


# --------------------------------------------------------------------------------------------
# Contract against market


def contract_premium(contract_price_usd_per_gpu_hour: float | np.ndarray, market_path: np.ndarray) -> np.ndarray:
    """Contract price over market price minus one, month by month (positive = the buyer pays above market)."""
    k = require_positive("contract_price_usd_per_gpu_hour", contract_price_usd_per_gpu_hour, where="contract_premium")
    market = require_positive("market_path", market_path, where="contract_premium")
    return np.asarray(k)[..., np.newaxis] / market - 1.0 if np.ndim(k) else k / market - 1.0


def price_per_pflop_hour(price_usd_per_gpu_hour: float | np.ndarray, dense_tflops: float | np.ndarray) -> np.ndarray:
    """Performance-adjusted price: USD per dense PFLOP/s-hour (price ÷ dense TFLOP/s × 1,000)."""
    price = require_positive("price_usd_per_gpu_hour", price_usd_per_gpu_hour, where="price_per_pflop_hour")
    tflops = require_positive("dense_tflops", dense_tflops, where="price_per_pflop_hour")
    return price / tflops * TFLOPS_PER_PFLOPS


def comparable_implied_prices(deals: pd.DataFrame) -> pd.DataFrame:
    """Monthly value and implied USD per GPU-hour of each comparable deal, with the basis or what is missing.

    Monthly value is the disclosed monthly fee, else total ÷ term; the price needs a GPU count too.
    Deals lacking either carry NaN in ``usd_per_gpu_hour`` and say why in ``basis``.
    """
    monthly = deals["monthly_value_usd"].astype(float)
    from_total = deals["total_value_usd"].astype(float) / deals["term_months"].astype(float)
    monthly = monthly.where(monthly.notna(), from_total)
    gpus = deals["gpu_count"].astype(float)
    price = monthly / (HOURS_PER_MONTH * gpus)
    basis = np.where(
        monthly.isna(),
        "not derivable: term not disclosed",
        np.where(gpus.isna(), "not derivable: GPU count not disclosed",
                 np.where(deals["monthly_value_usd"].notna(), f"monthly fee ÷ ({HOURS_PER_MONTH:.0f} h × GPUs)",
                                  f"total ÷ term ÷ ({HOURS_PER_MONTH:.0f} h × GPUs)")),
    )
    return deals.assign(monthly_usd=monthly, usd_per_gpu_hour=price, basis=basis)


def _share(name: str, value: float | np.ndarray, where: str) -> np.ndarray:
    arr = require_positive(name, value, where=where)
    if np.any(arr > 1):
        raise InputError(where, name, arr.tolist(), "a share in (0, 1]")
    return arr
