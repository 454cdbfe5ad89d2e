"""Price trends estimated from rental prices, and whether the data identify them.

Two estimators of how fast the price of the same capacity changes, both log-linear with fixed effects and
fitted by ordinary least squares:

* **Repeat prices** (``repeat_price_trend``): the same provider, product and price kind observed at two or
  more dates; log price on years with one fixed effect per series, so only changes within a series count.
* **Hedonic panel** (``hedonic_trend``): every comparable observation; log price on years since the
  generation's first availability, with generation, price-kind and provider-tier effects. With a fixed
  effect per generation, age and calendar time move together, so the slope is the change in a generation's
  price as it ages *and* as time passes: the quantity an ageing GB300 fleet faces, but not a split of the two.

A slope is reported as **identified** only when (1) at least ``min_groups`` groups (series, or generations)
have observations spread over at least ``min_span_years``, (2) its confidence interval is narrower than
``max_width`` (in annual decline), (3) that interval excludes no change, and (4) dropping any one group keeps the
estimate inside it. Otherwise it is reported as "no trend identified": the point estimate and its interval are still
computed and shown, with the reason. Annual declines are decimals: 0.20 = prices fall 20% a year; negative = rising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from ..conventions import DAYS_PER_YEAR, MONTHS_PER_YEAR
from ..validate import InputError, require_positive


@dataclass(frozen=True)
class IdentificationRule:
    """When a fitted slope counts as identified: at least ``min_groups`` groups observed over ``min_span_years`` or
    more, a ``confidence`` interval no wider than ``max_width`` in annual decline, and no group that, left out, moves the
    estimate outside that interval (the settings come from the method register)."""

    confidence: float
    min_groups: int
    min_span_years: float
    max_width: float


def years_between(dates: pd.Series | np.ndarray, reference_date: dt.date) -> np.ndarray:
    """Years (of 365 days, Actual/365) from ``reference_date`` to each date; negative before it."""
    values = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[D]")
    return (values - np.datetime64(reference_date, "D")).astype(float) / DAYS_PER_YEAR


def t_quantile(confidence: float, dof: int) -> float:
    """Two-sided Student-t quantile for ``confidence`` with ``dof`` degrees of freedom."""
    return float(special.stdtrit(dof, 0.5 + confidence / 2.0))


@dataclass(frozen=True)
class Ols:
    """An ordinary-least-squares fit: coefficients by name, their covariance, residual SD and degrees of freedom."""

    names: tuple[str, ...]
    beta: np.ndarray
    covariance: np.ndarray
    residual_sd: float
    dof: int
    n_obs: int

    def coefficient(self, name: str) -> float:
        """The coefficient called ``name``."""
        return float(self.beta[self.names.index(name)])

    def se(self, name: str) -> float:
        """Standard error of the coefficient called ``name``."""
        i = self.names.index(name)
        return float(np.sqrt(self.covariance[i, i]))


def fit_effects(log_price: np.ndarray, slope_variable: np.ndarray, effects: Mapping[str, np.ndarray],
                baselines: Mapping[str, str] | None = None, where: str = "fit_effects") -> Ols:
    """OLS of ``log_price`` on an intercept, one slope and a dummy for every level of each effect but its baseline.

    The baseline of an effect is the level given in ``baselines`` or, by default, its most frequent level
    (ties broken alphabetically). Raises InputError when there are no more observations than parameters or
    the effects are collinear.
    """
    y = np.asarray(log_price, dtype=float)
    columns, names = [np.ones(y.size), np.asarray(slope_variable, dtype=float)], ["intercept", "slope"]
    for group, labels in effects.items():
        values = np.asarray(labels).astype(str)
        levels, counts = np.unique(values, return_counts=True)
        default = sorted(zip(-counts, levels, strict=True))[0][1]
        base = (baselines or {}).get(group, default)
        for level in levels:
            if level != base:
                columns.append((values == level).astype(float))
                names.append(f"{group}={level}")
    design = np.column_stack(columns)
    n, k = design.shape
    if n <= k:
        raise InputError(where, "observations", n, f"more observations than the {k} parameters")
    beta, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    if rank < k:
        raise InputError(where, "observations", "collinear effects", "enough variation to identify every effect")
    residuals = y - design @ beta
    sigma2 = float(residuals @ residuals) / (n - k)
    return Ols(tuple(names), beta, sigma2 * np.linalg.inv(design.T @ design), float(np.sqrt(sigma2)), n - k, n)


@dataclass(frozen=True)
class TrendFit:
    """A fitted log-linear price trend, its interval and whether the data identify it."""

    method: str
    reference_date: dt.date
    slope_per_year: float
    slope_se: float
    dof: int
    n_obs: int
    n_groups: int
    n_groups_spread: int
    span_years: float
    confidence: float
    leave_one_out: tuple[float, ...]  # annual decline with each group left out
    identified: bool
    reason: str
    ols: Ols

    @property
    def annual_decline(self) -> float:
        """Fitted annual price decline (decimal; negative = rising)."""
        return float(1.0 - np.exp(self.slope_per_year))

    @property
    def identification(self) -> str:
        """'identified' or 'no trend identified' (see the module's rule)."""
        return "identified" if self.identified else "no trend identified"

    @property
    def slope_interval(self) -> tuple[float, float]:
        """(low, high) ``confidence`` interval of the log-price slope per year."""
        q = t_quantile(self.confidence, self.dof)
        return float(self.slope_per_year - q * self.slope_se), float(self.slope_per_year + q * self.slope_se)

    @property
    def decline_interval(self) -> tuple[float, float]:
        """(low, high) ``confidence`` interval of the annual decline (computed whether or not it is identified)."""
        q = t_quantile(self.confidence, self.dof)
        return float(1.0 - np.exp(self.slope_per_year + q * self.slope_se)), float(1.0 - np.exp(self.slope_per_year - q * self.slope_se))


def identify(fit: Ols, groups: np.ndarray, years: np.ndarray, refit: Callable[[np.ndarray], Ols],
              rule: IdentificationRule) -> tuple[int, float, tuple[float, ...], bool, str]:
    """Judge a fitted slope by ``rule`` over ``groups``: (groups spread over the minimum span, span of ``years``,
    annual decline with each group left out, identified, reason)."""
    confidence, min_groups, min_span_years, max_width = rule.confidence, rule.min_groups, rule.min_span_years, rule.max_width
    spans = pd.Series(years).groupby(groups).agg(lambda s: float(s.max() - s.min()))
    spread = int((spans >= min_span_years).sum())
    q = t_quantile(confidence, fit.dof)
    slope, se = fit.coefficient("slope"), fit.se("slope")
    lo, hi = 1.0 - np.exp(slope + q * se), 1.0 - np.exp(slope - q * se)
    drops = []
    for group in np.unique(groups):
        keep = groups != group
        try:
            drops.append(float(1.0 - np.exp(refit(keep).coefficient("slope"))))
        except InputError:
            continue  # leaving this group out leaves too little to fit
    failures = []
    if spread < min_groups:
        failures.append(f"only {spread} {'group' if spread == 1 else 'groups'} observed over {min_span_years:g} {'year' if min_span_years == 1 else 'years'} or more "
                        f"(needs {min_groups})")
    if hi - lo > max_width:
        failures.append(f"the {confidence:.0%} interval spans {100 * (hi - lo):.0f} percentage points (more than {100 * max_width:.0f})")
    if lo <= 0.0 <= hi:
        failures.append(f"the {confidence:.0%} interval includes no change")
    outside = [d for d in drops if not lo <= d <= hi]
    if outside:
        failures.append(f"leaving one group out moves the estimate outside its interval ({len(outside)} of {len(drops)} groups)")
    reason = "; ".join(failures) if failures else (f"{spread} groups observed over {min_span_years:g}+ years; the interval "
                                                    "excludes no change and no single group moves the estimate outside it")
    span = float(years.max() - years.min()) if years.size else 0.0
    return spread, span, tuple(drops), not failures, reason


def repeat_price_trend(observations: pd.DataFrame, reference_date: dt.date, rule: IdentificationRule) -> TrendFit:
    """Annual change within like-for-like series: log price on years with a fixed effect per ``series_id``.

    ``observations`` needs columns date, usd_per_gpu_hour and series_id; rows without a series id, and series
    observed on a single date, carry no information about change and are dropped.
    """
    _require(observations, {"date", "usd_per_gpu_hour", "series_id"}, "repeat_price_trend")
    rows = observations[observations["series_id"].notna() & (observations["series_id"].astype(str) != "")]
    dates = rows.groupby("series_id")["date"].transform("nunique")
    rows = rows[dates >= 2]
    if rows.empty:
        raise InputError("repeat_price_trend", "observations", "no series observed at two or more dates",
                         "like-for-like series (series_id) observed at two or more dates")
    price = require_positive("usd_per_gpu_hour", rows["usd_per_gpu_hour"].to_numpy(), where="repeat_price_trend")
    years = years_between(rows["date"], reference_date)
    series = rows["series_id"].astype(str).to_numpy()

    def refit(keep: np.ndarray) -> Ols:
        return fit_effects(np.log(price[keep]), years[keep], {"series": series[keep]}, where="repeat_price_trend")

    fit = refit(np.ones(len(rows), dtype=bool))
    spread, span, drops, ok, reason = identify(fit, series, years, refit, rule)
    return TrendFit("repeat prices", reference_date, fit.coefficient("slope"), fit.se("slope"), fit.dof, fit.n_obs,
                    len(np.unique(series)), spread, span, rule.confidence, drops, ok, reason, fit)


def term_kind(price_kind: Sequence[str] | np.ndarray, term_months: Sequence[float] | np.ndarray) -> np.ndarray:
    """Price kind with reserved prices split by term: '… (12 months or less)', '… (over 12 months)', '… (term not stated)'."""
    kinds = np.asarray(price_kind).astype(object)
    terms = pd.to_numeric(pd.Series(np.asarray(term_months, dtype=object)), errors="coerce").to_numpy()
    reserved = kinds == "reserved"
    year = MONTHS_PER_YEAR
    kinds = np.where(reserved & (terms > year), f"reserved (over {year} months)", kinds)
    kinds = np.where(reserved & (terms <= year), f"reserved ({year} months or less)", kinds)
    return np.where(reserved & np.isnan(terms), "reserved (term not stated)", kinds).astype(str)


@dataclass(frozen=True)
class HedonicFit:
    """The hedonic panel: the age slope with its identification, and the fitted effects for prediction."""

    trend: TrendFit
    launches: Mapping[str, dt.date]
    levels: Mapping[str, tuple[str, ...]]  # the levels of each effect seen in the fit, baselines included

    def predict_usd_per_gpu_hour(self, gpu: str, kind: str, tier: str, on: dt.date) -> float:
        """Fitted (geometric-mean) price of ``gpu`` for price kind ``kind`` (as ``term_kind`` names it) and tier on ``on``."""
        ols = self.trend.ols
        if gpu not in self.launches:
            raise InputError("HedonicFit.predict", "gpu", gpu, "a generation with a launch date")
        age = float(years_between(np.array([on]), self.launches[gpu])[0])
        value = ols.coefficient("intercept") + ols.coefficient("slope") * age
        for group, level in (("gpu", gpu), ("kind", kind), ("tier", tier)):
            name = f"{group}={level}"
            if name in ols.names:
                value += ols.coefficient(name)
            elif level not in self.levels[group]:
                raise InputError("HedonicFit.predict", group, level, "a level seen in the fitted data")
        return float(np.exp(value))


def hedonic_trend(observations: pd.DataFrame, launches: Mapping[str, dt.date], reference_date: dt.date,
                  rule: IdentificationRule, groups: str = "gpu") -> HedonicFit:
    """Log price on years since first availability, with generation, price-kind and provider-tier effects.

    ``observations`` needs columns date, usd_per_gpu_hour, gpu, price_kind, term_months and provider_tier;
    ``launches`` maps each generation to its first availability. An observation dated before its
    generation's launch is an error (it cannot be a rental price). Identification is judged over the
    ``groups`` column: generations for the pooled panel, providers for one generation's own fit.
    """
    _require(observations, {"date", "usd_per_gpu_hour", "gpu", "price_kind", "term_months", "provider_tier", groups}, "hedonic_trend")
    missing = sorted(set(observations["gpu"]) - set(launches))
    if missing:
        raise InputError("hedonic_trend", "gpu", missing, "generations with a launch date")
    price = require_positive("usd_per_gpu_hour", observations["usd_per_gpu_hour"].to_numpy(), where="hedonic_trend")
    gpus = observations["gpu"].astype(str).to_numpy()
    dates = pd.to_datetime(observations["date"])
    age = np.array([float(years_between(np.array([d]), launches[g])[0]) for d, g in zip(dates, gpus, strict=True)])
    if np.any(age < 0):
        bad = observations.loc[age < 0, "gpu"].tolist()
        raise InputError("hedonic_trend", "date", bad, "observations dated on or after their generation's first availability")
    kinds = term_kind(observations["price_kind"].to_numpy(), observations["term_months"].to_numpy())
    tiers = observations["provider_tier"].astype(str).to_numpy()
    baselines = {"gpu": "H100", "kind": "on_demand_list", "tier": "neocloud"}

    def refit(keep: np.ndarray) -> Ols:
        return fit_effects(np.log(price[keep]), age[keep], {"gpu": gpus[keep], "kind": kinds[keep], "tier": tiers[keep]},
                           baselines, where="hedonic_trend")

    fit = refit(np.ones(len(observations), dtype=bool))
    labels = observations[groups].astype(str).to_numpy()
    spread, _, drops, ok, reason = identify(fit, labels, age, refit, rule)
    calendar = years_between(dates, reference_date)
    trend = TrendFit("hedonic panel", reference_date, fit.coefficient("slope"), fit.se("slope"), fit.dof, fit.n_obs,
                     len(np.unique(labels)), spread, float(np.ptp(calendar)), rule.confidence, drops, ok, reason, fit)
    levels = {"gpu": tuple(np.unique(gpus)), "kind": tuple(np.unique(kinds)), "tier": tuple(np.unique(tiers))}
    return HedonicFit(trend, dict(launches), levels)


def _require(frame: pd.DataFrame, columns: set[str], where: str) -> None:
    missing = columns - set(frame.columns)
    if missing:
        raise InputError(where, "observations", sorted(missing), "columns " + ", ".join(sorted(columns)))


def trend_by_generation(observations: pd.DataFrame, launches: Mapping[str, dt.date], reference_date: dt.date,
                        rule: IdentificationRule) -> pd.DataFrame:
    """Each generation's own hedonic fit (price-kind and tier effects), identified over its providers.

    One row per generation: observations, providers, span in years, annual decline, and the interval only
    where the fit is identified (else NaN, with the reason).
    """
    rows = []
    for gpu, group in observations.groupby("gpu", sort=True):
        row: dict[str, object] = {"gpu": gpu, "n_obs": len(group), "n_providers": group["provider"].nunique(),
                                  "span_years": float(np.ptp(years_between(group["date"], reference_date)))}
        try:
            trend = hedonic_trend(group, launches, reference_date, rule, groups="provider").trend
        except InputError as exc:
            row.update(annual_decline=np.nan, ci_low=np.nan, ci_high=np.nan, identified=False,
                       reason=f"not fitted: {exc.expected}")
        else:
            lo, hi = trend.decline_interval
            row.update(annual_decline=trend.annual_decline, ci_low=lo if trend.identified else np.nan,
                       ci_high=hi if trend.identified else np.nan, identified=trend.identified, reason=trend.reason)
        rows.append(row)
    return pd.DataFrame(rows)
