"""The level of GB300 capacity from published indices, the ratios that carry one price to another, and contract
prices with their delivery ramps.

Conventions: prices are US dollars per GPU-hour; a month has 730 hours; throughput is dense BF16 TFLOP/s. A ratio
is numerator ÷ denominator of two prices; "per PFLOP" divides out the two generations' throughput, so a rack-scale
premium per PFLOP is the part of the premium per GPU-hour that throughput does not explain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..conventions import DAYS_PER_YEAR, HOURS_PER_MONTH, MONTHS_PER_YEAR
from ..validate import InputError, require_positive


def pair_ratios(pairs: pd.DataFrame, prices: pd.DataFrame, tflops: Mapping[str, float]) -> pd.DataFrame:
    """Each pair's ratio of two observed prices (``prices`` indexed by obs_id with gpu and usd_per_gpu_hour), per
    GPU-hour and per PFLOP; ``pairs`` names numerator_obs and denominator_obs."""
    missing = sorted((set(pairs["numerator_obs"]) | set(pairs["denominator_obs"])) - set(prices.index))
    if missing:
        raise InputError("pair_ratios", "obs_id", missing, "observations of data/gpu_prices.csv")
    top, bottom = prices.loc[pairs["numerator_obs"]], prices.loc[pairs["denominator_obs"]]
    per_gpu = top["usd_per_gpu_hour"].to_numpy() / bottom["usd_per_gpu_hour"].to_numpy()
    throughput = np.array([tflops[a] / tflops[b] for a, b in zip(top["gpu"], bottom["gpu"], strict=True)])
    return pairs.assign(numerator_gpu=top["gpu"].to_numpy(), denominator_gpu=bottom["gpu"].to_numpy(),
                        numerator_usd_per_gpu_hour=top["usd_per_gpu_hour"].to_numpy(),
                        numerator_term_months=pd.to_numeric(top["term_months"], errors="coerce").to_numpy(),
                        denominator_usd_per_gpu_hour=bottom["usd_per_gpu_hour"].to_numpy(),
                        ratio_per_gpu_hour=per_gpu, throughput_ratio=throughput, ratio_per_pflop=per_gpu / throughput)


def gb300_equivalent_usd_per_gpu_hour(price_usd_per_gpu_hour: float | np.ndarray, throughput_ratio: float | np.ndarray,
                                      rack_premium_per_pflop: float | np.ndarray) -> np.ndarray:
    """A price for another generation carried to a GB300 NVL72 GPU-hour: × GB300's throughput ratio to it × the
    rack-scale premium per PFLOP (1 for a price that is already rack-scale)."""
    price = require_positive("price_usd_per_gpu_hour", price_usd_per_gpu_hour, where="gb300_equivalent")
    ratio = require_positive("throughput_ratio", throughput_ratio, where="gb300_equivalent")
    return price * ratio * require_positive("rack_premium_per_pflop", rack_premium_per_pflop, where="gb300_equivalent")


def billed_gpu_hours(tranches: pd.DataFrame, contract_start: dt.date, term_months: float) -> float:
    """GPU-hours billed over a term that runs ``term_months`` from ``contract_start`` when each tranche (start_date,
    gpu_count) is billed from its own start to the common end: the delivery ramp shortens the later tranches."""
    count = require_positive("gpu_count", tranches["gpu_count"].to_numpy(dtype=float), where="billed_gpu_hours")
    term = float(require_positive("term_months", term_months, where="billed_gpu_hours"))
    starts = pd.to_datetime(tranches["start_date"]).to_numpy(dtype="datetime64[D]")
    delay_months = (starts - np.datetime64(contract_start, "D")).astype(float) / DAYS_PER_YEAR * MONTHS_PER_YEAR
    if np.any(delay_months < 0) or np.any(delay_months >= term):
        raise InputError("billed_gpu_hours", "start_date", tranches["start_date"].astype(str).tolist(),
                         f"tranche starts within the {term:g}-month term from {contract_start}")
    return float(np.sum(count * (term - delay_months)) * HOURS_PER_MONTH)


def ramp_adjusted_usd_per_gpu_hour(total_value_usd: float, tranches: pd.DataFrame, term_months: float) -> float:
    """Price per GPU-hour of a contract worth ``total_value_usd`` whose term runs from its first tranche, each tranche
    billed from its own start (``billed_gpu_hours``)."""
    total = float(require_positive("total_value_usd", total_value_usd, where="ramp_adjusted_usd_per_gpu_hour"))
    first = pd.to_datetime(tranches["start_date"]).min().date()
    return total / billed_gpu_hours(tranches, first, term_months)
