"""What a monthly payment buys in GPUs, racks and megawatts, and how the contract price compares with the market.

Conventions: a month has 730 hours (8,760 / 12); prices are US dollars per GPU-hour; capacity is
billed per reserved GPU-hour times the billed-utilization share; time in the price model is measured
in years from a reference date, and annual declines are decimals (0.20 = prices fall 20 % a year).
Every function takes numpy arrays and broadcasts, so one call values many scenarios.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..conventions import DAYS_PER_YEAR, HOURS_PER_MONTH, HOURS_PER_YEAR
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
    return implied_racks(gpus, gpus_per_rack) * power / 1000.0


def price_per_gpu_hour(price_usd: np.ndarray, price_basis: np.ndarray, gpus_per_unit: np.ndarray) -> np.ndarray:
    """Normalise list prices to USD per GPU-hour: per GPU-hour as is, per instance-hour ÷ GPUs, per server-year ÷ (GPUs × 8,760)."""
    price = require_positive("price_usd", price_usd, where="price_per_gpu_hour")
    basis = np.asarray(price_basis, dtype=object)
    gpus = require_positive("gpus_per_unit", gpus_per_unit, where="price_per_gpu_hour")
    hours = np.select([basis == "gpu_hour", basis == "instance_hour", basis == "server_year"], [1.0, 1.0, HOURS_PER_YEAR], np.nan)
    if np.any(np.isnan(hours)):
        bad = sorted(set(basis[np.isnan(hours)].tolist()))
        raise InputError("price_per_gpu_hour", "price_basis", bad, "gpu_hour, instance_hour or server_year")
    per = np.where(basis == "gpu_hour", 1.0, gpus)
    return price / (per * hours)


def years_between(dates: pd.Series | np.ndarray, reference_date: dt.date) -> np.ndarray:
    """Years (of 365 days, Actual/365) from ``reference_date`` to each date; negative before it."""
    values = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[D]")
    return (values - np.datetime64(reference_date, "D")).astype(float) / DAYS_PER_YEAR


# --------------------------------------------------------------------------------------------
# The price-decline model


@dataclass(frozen=True)
class DeclineFit:
    """A log-linear fit of GPU rental prices on time with fixed effects; the slope is shared across groups.

    log(price) = a + Σ effects(gpu, contract type, provider tier) + slope × years from ``reference_date``.
    ``annual_decline`` = 1 − exp(slope); the interval is the two-sided ``confidence`` t-interval on the slope.
    """

    reference_date: dt.date
    coefficients: dict[str, float]
    slope_per_year: float
    slope_se: float
    confidence: float
    n_obs: int
    dof: int
    residual_sd: float
    groups: tuple[str, ...]
    names: tuple[str, ...]
    covariance: tuple[tuple[float, ...], ...]

    @property
    def annual_decline(self) -> float:
        """Fitted annual price decline (decimal)."""
        return float(1.0 - np.exp(self.slope_per_year))

    @property
    def decline_interval(self) -> tuple[float, float]:
        """(low, high) confidence interval of the annual decline."""
        q = stats.t.ppf(0.5 + self.confidence / 2.0, self.dof)
        lo, hi = self.slope_per_year - q * self.slope_se, self.slope_per_year + q * self.slope_se
        return float(1.0 - np.exp(hi)), float(1.0 - np.exp(lo))

    def _design(self, gpu: str, contract_type: str, provider_tier: str, years: np.ndarray) -> np.ndarray:
        t = np.atleast_1d(np.asarray(years, dtype=float))
        rows = np.zeros((t.size, len(self.names)))
        rows[:, 0], rows[:, 1] = 1.0, t
        for group, value in (("gpu", gpu), ("contract_type", contract_type), ("provider_tier", provider_tier)):
            key = f"{group}={value}"
            if key not in self.names and value not in self.groups:
                raise InputError("DeclineFit.predict", group, value, "a level seen in the fitted data")
            if key in self.names:
                rows[:, self.names.index(key)] = 1.0
        return rows

    def predict_usd_per_gpu_hour(self, gpu: str, contract_type: str, provider_tier: str, years: np.ndarray) -> np.ndarray:
        """Fitted price (geometric mean) for one group at ``years`` from the reference date."""
        beta = np.array([self.coefficients[n] for n in self.names])
        return np.exp(self._design(gpu, contract_type, provider_tier, years) @ beta)

    def predict_interval(
        self, gpu: str, contract_type: str, provider_tier: str, years: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(low, high) ``confidence`` interval of the fitted price (of the mean, not of one observation)."""
        x = self._design(gpu, contract_type, provider_tier, years)
        beta = np.array([self.coefficients[n] for n in self.names])
        se = np.sqrt(np.einsum("ij,jk,ik->i", x, np.array(self.covariance), x))
        q = stats.t.ppf(0.5 + self.confidence / 2.0, self.dof)
        return np.exp(x @ beta - q * se), np.exp(x @ beta + q * se)


_FIT_GROUPS = ("gpu", "contract_type", "provider_tier")


def fit_price_decline(
    observations: pd.DataFrame,
    reference_date: dt.date,
    confidence: float = 0.90,
    baseline: tuple[str, str, str] = ("H100", "on_demand", "neocloud"),
) -> DeclineFit:
    """Fit log price on time with gpu, contract-type and provider-tier effects by ordinary least squares.

    ``observations`` needs columns date, usd_per_gpu_hour, gpu, contract_type, provider_tier. The
    ``baseline`` levels carry no dummy. Raises ValueError if there are too few observations to fit.
    """
    required = {"date", "usd_per_gpu_hour", *_FIT_GROUPS}
    missing = required - set(observations.columns)
    if missing:
        raise InputError("fit_price_decline", "observations", sorted(missing), "columns " + ", ".join(sorted(required)))
    if not 0 < confidence < 1:
        raise InputError("fit_price_decline", "confidence", confidence, "a share between 0 and 1")
    price = require_positive("usd_per_gpu_hour", observations["usd_per_gpu_hour"].to_numpy(), where="fit_price_decline")
    years = years_between(observations["date"], reference_date)
    columns, names = [np.ones(len(observations)), years], ["intercept", "slope"]
    levels: list[str] = []
    for group, base in zip(_FIT_GROUPS, baseline, strict=True):
        values = observations[group].astype(str).to_numpy()
        levels.append(base)
        for level in sorted(set(values) - {base}):
            columns.append((values == level).astype(float))
            names.append(f"{group}={level}")
            levels.append(level)
    design = np.column_stack(columns)
    n, k = design.shape
    if n <= k:
        raise InputError("fit_price_decline", "observations", n, f"more observations than the {k} parameters")
    beta, _, rank, _ = np.linalg.lstsq(design, np.log(price), rcond=None)
    if rank < k:
        raise InputError("fit_price_decline", "observations", "collinear groups", "enough variation to identify every effect")
    residuals = np.log(price) - design @ beta
    sigma2 = float(residuals @ residuals) / (n - k)
    cov = sigma2 * np.linalg.inv(design.T @ design)
    coefficients = dict(zip(names, map(float, beta), strict=True))
    return DeclineFit(
        reference_date=reference_date,
        coefficients=coefficients,
        slope_per_year=coefficients["slope"],
        slope_se=float(np.sqrt(cov[1, 1])),
        confidence=confidence,
        n_obs=n,
        dof=n - k,
        residual_sd=float(np.sqrt(sigma2)),
        groups=tuple(sorted(set(levels))),
        names=tuple(names),
        covariance=tuple(tuple(map(float, row)) for row in cov),
    )


def fitted_lines(fit: DeclineFit, observations: pd.DataFrame, contract_type: str = "on_demand",
                 provider_tier: str = "neocloud", points: int = 40) -> pd.DataFrame:
    """Each generation's fitted price and interval over the dates it was observed, for plotting."""
    frames = []
    for gpu, group in observations.groupby("gpu", sort=True):
        dates = pd.date_range(group["date"].min(), group["date"].max(), periods=points)
        years = years_between(dates, fit.reference_date)
        low, high = fit.predict_interval(str(gpu), contract_type, provider_tier, years)
        frames.append(pd.DataFrame({"gpu": gpu, "date": dates, "usd_per_gpu_hour":
                                    fit.predict_usd_per_gpu_hour(str(gpu), contract_type, provider_tier, years),
                                    "low": low, "high": high}))
    return pd.concat(frames, ignore_index=True)


def decline_by_generation(
    observations: pd.DataFrame, reference_date: dt.date, confidence: float = 0.90, min_obs: int = 8, min_span_years: float = 1.0
) -> pd.DataFrame:
    """Per-generation fits (contract-type and tier effects kept) where a generation has enough dated observations.

    Returns one row per GPU: observations, span in years, annual decline and its interval; generations
    with fewer than ``min_obs`` observations or a span under ``min_span_years`` are listed with the reason.
    """
    rows = []
    for gpu, group in observations.groupby("gpu", sort=True):
        years = years_between(group["date"], reference_date)
        span = float(years.max() - years.min())
        row = {"gpu": gpu, "n_obs": len(group), "span_years": span}
        if len(group) < min_obs or span < min_span_years:
            row.update(annual_decline=np.nan, ci_low=np.nan, ci_high=np.nan,
                       note=f"not fitted: needs {min_obs}+ observations over {min_span_years:g}+ years")
        else:
            base = (str(gpu), "on_demand" if "on_demand" in set(group["contract_type"]) else group["contract_type"].iloc[0],
                    "neocloud" if "neocloud" in set(group["provider_tier"]) else group["provider_tier"].iloc[0])
            fit = fit_price_decline(group, reference_date, confidence, baseline=base)
            lo, hi = fit.decline_interval
            row.update(annual_decline=fit.annual_decline, ci_low=lo, ci_high=hi, note="")
        rows.append(row)
    return pd.DataFrame(rows)


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
    return np.power(1.0 + c, 12.0 / months) - 1.0


# --------------------------------------------------------------------------------------------
# Contract against market


def market_price_path(
    start_price_usd_per_gpu_hour: float | np.ndarray, annual_decline: float | np.ndarray, months: int
) -> np.ndarray:
    """Market price at the start of each month 0..months−1: p0 × (1 − d) ** (m / 12).

    Scalars give shape (months,); arrays of shape (K,) give (K, months).
    """
    p0 = require_positive("start_price_usd_per_gpu_hour", start_price_usd_per_gpu_hour, where="market_price_path")
    d = require_finite("annual_decline", annual_decline, where="market_price_path")
    if np.any(d >= 1):
        raise InputError("market_price_path", "annual_decline", d.tolist(), "declines < 1 (a price cannot fall 100 % or more)")
    if not isinstance(months, (int, np.integer)) or months < 1:
        raise InputError("market_price_path", "months", months, "a whole number >= 1")
    m = np.arange(months, dtype=float)
    p0, d = np.broadcast_arrays(p0, d)
    return p0[..., np.newaxis] * np.power(1.0 - d[..., np.newaxis], m / 12.0)


def contract_premium(contract_price_usd_per_gpu_hour: float | np.ndarray, market_path: np.ndarray) -> np.ndarray:
    """Contract price over market price minus one, month by month (positive = the buyer pays above market)."""
    k = require_positive("contract_price_usd_per_gpu_hour", contract_price_usd_per_gpu_hour, where="contract_premium")
    market = require_positive("market_path", market_path, where="contract_premium")
    return np.asarray(k)[..., np.newaxis] / market - 1.0 if np.ndim(k) else k / market - 1.0


NEVER: int = -1
"""Value of ``crossover_month`` when the market stays at or above the contract price for the whole path."""


def crossover_month(contract_price_usd_per_gpu_hour: float | np.ndarray, market_path: np.ndarray) -> np.ndarray:
    """First month (0-based) in which the market price is below the contract price; NEVER (−1) if none."""
    below = contract_premium(contract_price_usd_per_gpu_hour, market_path) > 0
    return np.where(below.any(axis=-1), below.argmax(axis=-1), NEVER)


def price_per_pflop_hour(price_usd_per_gpu_hour: float | np.ndarray, dense_tflops: float | np.ndarray) -> np.ndarray:
    """Performance-adjusted price: USD per dense PFLOP/s-hour (price ÷ dense TFLOP/s × 1,000)."""
    price = require_positive("price_usd_per_gpu_hour", price_usd_per_gpu_hour, where="price_per_pflop_hour")
    tflops = require_positive("dense_tflops", dense_tflops, where="price_per_pflop_hour")
    return price / tflops * 1000.0


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
                 np.where(deals["monthly_value_usd"].notna(), "monthly fee ÷ (730 h × GPUs)", "total ÷ term ÷ (730 h × GPUs)")),
    )
    return deals.assign(monthly_usd=monthly, usd_per_gpu_hour=price, basis=basis)


def _share(name: str, value: float | np.ndarray, where: str) -> np.ndarray:
    arr = require_positive(name, value, where=where)
    if np.any(arr > 1):
        raise InputError(where, name, arr.tolist(), "a share in (0, 1]")
    return arr
