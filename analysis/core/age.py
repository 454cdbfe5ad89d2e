"""A generation's rental price by age, and the step when the next architecture arrives.

Aircraft lessors model a lease rate against the aircraft's age and the arrival of newer types; the same question
for a GB300 rented from 2026 to 2029 is how the rental price of earlier generations moved over their own lives as
newer ones arrived. ``age_profile`` fits log price on years since the generation's first availability, with a
one-off step once the next architecture is available, and generation, price-kind and provider-tier effects (OLS).

What the data can identify: with a level for each generation, age and calendar time move together within a
generation, so the slope is how a generation's price moved as it aged in the market it lived through (its cycles
included). The step is told apart from the slope only by the different dates at which each generation's successor
arrived. Each is reported as identified only under the rule of ``trends.IdentificationRule`` (an interval narrow
enough that excludes no change and survives leaving out any one generation); otherwise it is "not identified" and
the model does not rest on it. Declines and steps are decimals: 0.20 = the price falls 20%; negative = it rises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..validate import InputError, require_positive
from .trends import IdentificationRule, Ols, TrendFit, fit_effects, identify, t_quantile, term_kind, years_between

STEP = "successor=after"
"""Name of the step's coefficient in the fit."""


def successor_dates(architecture: Mapping[str, str], launches: Mapping[str, dt.date],
                    architectures: Sequence[str]) -> dict[str, dt.date]:
    """Each generation's successor date: the first availability of any generation of the next architecture in
    ``architectures`` (oldest first). Generations of the newest architecture with a launch date get none."""
    unknown = sorted(set(architecture.values()) - set(architectures))
    if unknown:
        raise InputError("successor_dates", "architecture", unknown, f"one of {', '.join(architectures)}")
    first: dict[str, dt.date] = {}
    for gpu, arch in architecture.items():
        if gpu in launches:
            first[arch] = min(first.get(arch, launches[gpu]), launches[gpu])
    out = {}
    for gpu, arch in architecture.items():
        later = [first[a] for a in architectures[architectures.index(arch) + 1:] if a in first]
        if later:
            out[gpu] = later[0]
    return out


@dataclass(frozen=True)
class StepFit:
    """The one-off change in a generation's rental price once the next architecture is available: the share by which
    the price falls (negative = rises), its interval, and whether the data identify it."""

    coefficient: float  # on the log price
    se: float
    dof: int
    confidence: float
    n_before: int  # observations of generations whose successor was not yet available
    n_after: int
    generations_spanning: int  # generations observed both before and after their successor arrived
    leave_one_out: tuple[float, ...]
    identified: bool
    reason: str

    @property
    def share(self) -> float:
        """Fall in the price when the successor arrives (decimal; negative = a rise)."""
        return float(1.0 - np.exp(self.coefficient))

    @property
    def interval(self) -> tuple[float, float]:
        """(low, high) ``confidence`` interval of the fall."""
        q = t_quantile(self.confidence, self.dof)
        return float(1.0 - np.exp(self.coefficient + q * self.se)), float(1.0 - np.exp(self.coefficient - q * self.se))

    @property
    def identification(self) -> str:
        """'identified' or 'not identified'."""
        return "identified" if self.identified else "not identified"


@dataclass(frozen=True)
class AgeProfile:
    """The price-by-age fit: the age slope (``trend``), the successor's step (``step``), and the fitted effects."""

    trend: TrendFit
    step: StepFit
    launches: Mapping[str, dt.date]
    successor_available: Mapping[str, dt.date]
    levels: Mapping[str, tuple[str, ...]]  # levels of each effect seen in the fit, baselines included

    def predict_usd_per_gpu_hour(self, gpu: str, kind: str, tier: str, on: dt.date) -> float:
        """Fitted (geometric-mean) price of ``gpu`` for price kind ``kind`` (as ``term_kind`` names it) and tier on
        ``on``, with the step once its successor is available."""
        ols = self.trend.ols
        if gpu not in self.launches:
            raise InputError("AgeProfile.predict", "gpu", gpu, "a generation with a launch date")
        after = gpu in self.successor_available and on >= self.successor_available[gpu]
        value = ols.coefficient("intercept") + ols.coefficient("slope") * float(years_between(np.array([on]), self.launches[gpu])[0])
        for group, level in (("gpu", gpu), ("kind", kind), ("tier", tier), ("successor", "after" if after else "before")):
            name = f"{group}={level}"
            if name in ols.names:
                value += ols.coefficient(name)
            elif level not in self.levels[group]:
                raise InputError("AgeProfile.predict", group, level, "a level seen in the fitted data")
        return float(np.exp(value))


def relative_prices(profile: AgeProfile, observations: pd.DataFrame) -> pd.DataFrame:
    """Each observation's price relative to its generation's fitted price at launch, for its kind and tier: the
    generation, kind and tier effects divided out, so what is left is the age slope, the step and the residual.
    Columns gpu, age_years, after (successor available), relative_price."""
    ols = profile.trend.ols
    gpus = observations["gpu"].astype(str).to_numpy()
    dates = pd.to_datetime(observations["date"])
    ages = np.array([float(years_between(np.array([d]), profile.launches[g])[0]) for d, g in zip(dates, gpus, strict=True)])
    kinds = term_kind(observations["price_kind"].to_numpy(), observations["term_months"].to_numpy())
    tiers = observations["provider_tier"].astype(str).to_numpy()
    after = np.array([g in profile.successor_available and d.date() >= profile.successor_available[g]
                      for d, g in zip(dates, gpus, strict=True)])
    effects = np.array([sum(ols.coefficient(n) for n in (f"gpu={g}", f"kind={k}", f"tier={t}") if n in ols.names)
                        for g, k, t in zip(gpus, kinds, tiers, strict=True)])
    log_relative = np.log(observations["usd_per_gpu_hour"].to_numpy(dtype=float)) - ols.coefficient("intercept") - effects
    return pd.DataFrame({"gpu": gpus, "age_years": ages, "after": after, "relative_price": np.exp(log_relative)})


def age_profile(observations: pd.DataFrame, launches: Mapping[str, dt.date], successor_available: Mapping[str, dt.date],
                reference_date: dt.date, rule: IdentificationRule) -> AgeProfile:
    """Fit the price-by-age profile (see the module). ``observations`` needs columns date, usd_per_gpu_hour, gpu,
    price_kind, term_months and provider_tier; an observation on or after its generation's successor date carries
    the step. An observation dated before its generation's first availability is an error."""
    needed = {"date", "usd_per_gpu_hour", "gpu", "price_kind", "term_months", "provider_tier"}
    missing_columns = needed - set(observations.columns)
    if missing_columns:
        raise InputError("age_profile", "columns", sorted(missing_columns), "the price table's columns")
    if observations.empty:
        raise InputError("age_profile", "observations", 0, "at least one price")
    missing = sorted(set(observations["gpu"]) - set(launches))
    if missing:
        raise InputError("age_profile", "gpu", missing, "generations with a launch date")
    price = require_positive("usd_per_gpu_hour", observations["usd_per_gpu_hour"].to_numpy(), where="age_profile")
    gpus = observations["gpu"].astype(str).to_numpy()
    dates = pd.to_datetime(observations["date"])
    age = np.array([float(years_between(np.array([d]), launches[g])[0]) for d, g in zip(dates, gpus, strict=True)])
    if np.any(age < 0):
        raise InputError("age_profile", "date", observations.loc[age < 0, "gpu"].tolist(),
                         "observations dated on or after their generation's first availability")
    after = np.array([g in successor_available and d.date() >= successor_available[g] for d, g in zip(dates, gpus, strict=True)])
    effects = {"gpu": gpus, "kind": term_kind(observations["price_kind"].to_numpy(), observations["term_months"].to_numpy()),
               "tier": observations["provider_tier"].astype(str).to_numpy(), "successor": np.where(after, "after", "before")}
    preferred = {"gpu": "H100", "kind": "on_demand_list", "tier": "neocloud", "successor": "before"}

    def refit(keep: np.ndarray) -> Ols:
        kept = {k: v[keep] for k, v in effects.items()}
        baselines = {k: b for k, b in preferred.items() if b in set(kept[k])}
        return fit_effects(np.log(price[keep]), age[keep], kept, baselines, where="age_profile")

    fit = refit(np.ones(len(observations), dtype=bool))
    spread, _, drops, ok, reason = identify(fit, gpus, age, refit, rule)
    calendar = years_between(dates, reference_date)
    trend = TrendFit("price by age", reference_date, fit.coefficient("slope"), fit.se("slope"), fit.dof, fit.n_obs,
                     len(np.unique(gpus)), spread, float(np.ptp(calendar)), rule.confidence, drops, ok, reason, fit)
    levels = {k: tuple(np.unique(v)) for k, v in effects.items()}
    return AgeProfile(trend, _step(fit, gpus, after, refit, rule), dict(launches), dict(successor_available), levels)


def _step(fit: Ols, gpus: np.ndarray, after: np.ndarray, refit: Callable[[np.ndarray], Ols], rule: IdentificationRule) -> StepFit:
    spanning = int(sum(after[gpus == g].any() and (~after[gpus == g]).any() for g in np.unique(gpus)))
    if STEP not in fit.names:
        return StepFit(0.0, float("inf"), fit.dof, rule.confidence, int((~after).sum()), int(after.sum()), spanning, (), False,
                       "no observation on one side of a successor's arrival: the step cannot be estimated")
    coef, se = fit.coefficient(STEP), fit.se(STEP)
    q = t_quantile(rule.confidence, fit.dof)
    lo, hi = 1.0 - np.exp(coef + q * se), 1.0 - np.exp(coef - q * se)
    drops = []
    for g in np.unique(gpus):
        try:
            other = refit(gpus != g)
        except InputError:
            continue  # too little left to fit
        if STEP in other.names:
            drops.append(float(1.0 - np.exp(other.coefficient(STEP))))
    failures = []
    if spanning < 1:
        failures.append("no generation is observed both before and after its successor arrived")
    if hi - lo > rule.max_width:
        failures.append(f"the {rule.confidence:.0%} interval spans {100 * (hi - lo):.0f} percentage points "
                        f"(more than {100 * rule.max_width:.0f})")
    if lo <= 0.0 <= hi:
        failures.append(f"the {rule.confidence:.0%} interval includes no change")
    outside = [d for d in drops if not lo <= d <= hi]
    if outside:
        failures.append(f"leaving one generation out moves the estimate outside its interval ({len(outside)} of {len(drops)})")
    reason = "; ".join(failures) if failures else f"{spanning} generation(s) observed on both sides of their successor's arrival"
    return StepFit(coef, se, fit.dof, rule.confidence, int((~after).sum()), int(after.sum()), spanning, tuple(drops),
                   not failures, reason)


def profile_by_kind(observations: pd.DataFrame, launches: Mapping[str, dt.date], successor_available: Mapping[str, dt.date],
                    reference_date: dt.date, rule: IdentificationRule,
                    kinds: Sequence[tuple[str, tuple[str, ...]]], min_obs: int) -> pd.DataFrame:
    """The profile fitted on each group of price kinds (label, kinds as ``term_kind`` names them): one row per group
    with the slope, the step, their intervals and identification, or why it is not fitted (fewer than ``min_obs``
    prices, or too little variation)."""
    named = term_kind(observations["price_kind"].to_numpy(), observations["term_months"].to_numpy())
    rows = []
    for label, members in kinds:
        subset = observations[np.isin(named, members)]
        row: dict[str, object] = {"kinds": label, "n_obs": len(subset), "generations": int(subset["gpu"].nunique())}
        if len(subset) < min_obs:
            n = len(subset)
            rows.append(row | {"reason": f"not fitted: {n} {'price' if n == 1 else 'prices'} (fewer than {min_obs})"})
            continue
        try:
            fit = age_profile(subset, launches, successor_available, reference_date, rule)
        except InputError as error:
            rows.append(row | {"reason": f"not fitted: {error.expected}"})
            continue
        lo, hi = fit.trend.decline_interval
        slo, shi = fit.step.interval
        rows.append(row | {"annual_decline": fit.trend.annual_decline, "ci_low": lo, "ci_high": hi,
                           "identified": fit.trend.identification, "step_share": fit.step.share, "step_low": slo,
                           "step_high": shi, "step_identified": fit.step.identification,
                           "reason": f"slope: {fit.trend.reason}; step: {fit.step.reason}"})
    return pd.DataFrame(rows)
