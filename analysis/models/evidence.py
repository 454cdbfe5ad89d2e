"""The evidence on what GB300 capacity rents for: the price record's fits (price by age with the successor's step,
repeat prices, each generation alone), the level of flexible capacity from published indices carried to a GB300
NVL72 GPU-hour, premiums and discounts measured from pairs of quotes, comparable contracts like for like, SpaceX's
other tenants with their fleet mix, and Colossus 2's capacity against its tenants.

Every price is US dollars per GPU-hour unless a name says per PFLOP-hour (per dense BF16 PFLOP/s-hour). Prices of
other generations are carried to GB300 by dense BF16 throughput and, for an 8-GPU board, by the rack-scale premium
per PFLOP that pairs of quotes measure, so a price per GPU-hour and its price per PFLOP-hour always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..conventions import DAYS_PER_YEAR
from ..core import age, levels, pricing, trends
from ..inputs import Inputs
from ..methods import Methods
from ..validate import InputError

RACK_SCALE: tuple[str, ...] = ("GB200", "GB300")
"""Generations sold as rack-scale NVL72 systems: their prices need no rack-scale premium."""


def launches(inputs: Inputs) -> dict[str, dt.date]:
    """Each generation's first availability (data/gpu_launches.csv)."""
    return {str(g): d.date() for g, d in zip(inputs.gpu_launches["gpu"], inputs.gpu_launches["first_available"], strict=True)}


def successors(inputs: Inputs, methods: Methods) -> dict[str, dt.date]:
    """Each generation's successor date: the first availability of the next architecture (data/gpu_launches.csv)."""
    architecture = dict(zip(inputs.gpu_launches["gpu"], inputs.gpu_launches["architecture"], strict=True))
    return age.successor_dates(architecture, launches(inputs), methods.architectures)


def tflops(inputs: Inputs) -> dict[str, float]:
    """Dense BF16 TFLOP/s of every generation with a spec (data/gpu_specs.csv)."""
    rows = inputs.gpu_specs[inputs.gpu_specs["metric"] == "bf16_dense_tflops"]
    return {str(g): float(v) for g, v in zip(rows["gpu"], rows["value"], strict=True)}


@dataclass(frozen=True)
class PriceFits:
    """The fits of the price record: the age profile the market path comes from, the same fitted on every generation,
    each group of price kinds alone, repeat prices, and each generation's own trend."""

    in_fit: pd.DataFrame
    profile: age.AgeProfile  # on methods.profile_generations
    profile_all: age.AgeProfile  # on every in-fit generation
    by_kind: pd.DataFrame
    repeat: trends.TrendFit
    by_generation: pd.DataFrame
    points: pd.DataFrame  # the profile's prices relative to their generation's fitted level at launch

    @property
    def successor_age_years(self) -> dict[str, float]:
        """Age (years since first availability) at which each fitted generation's successor arrived."""
        p = self.profile
        return {g: (p.successor_available[g] - p.launches[g]).days / DAYS_PER_YEAR
                for g in sorted(set(self.points["gpu"])) if g in p.successor_available}


def price_fits(inputs: Inputs, start_date: dt.date, methods: Methods) -> PriceFits:
    """Fit the price record (rows with in_fit = yes; transactions excluded)."""
    observations = inputs.gpu_prices
    in_fit = observations[(observations["in_fit"] == "yes") & (observations["price_kind"] != "transaction")]
    first, after = launches(inputs), successors(inputs, methods)
    profile_rule = trends.IdentificationRule(methods.trend_confidence, methods.panel_min_generations, methods.panel_min_span_years,
                                             methods.trend_max_width)
    own = in_fit[in_fit["gpu"].isin(methods.profile_generations)]
    profile = age.age_profile(own, first, after, start_date, profile_rule)
    profile_all = age.age_profile(in_fit, first, after, start_date, profile_rule)
    by_kind = age.profile_by_kind(own, first, after, start_date, profile_rule, methods.profile_kinds, methods.profile_min_obs)
    repeat_rule = trends.IdentificationRule(methods.trend_confidence, methods.repeat_min_series, methods.repeat_min_span_years,
                                            methods.trend_max_width)
    generation_rule = trends.IdentificationRule(methods.trend_confidence, methods.generation_min_providers,
                                                methods.panel_min_span_years, methods.trend_max_width)
    return PriceFits(in_fit, profile, profile_all, by_kind, trends.repeat_price_trend(observations, start_date, repeat_rule),
                     trends.trend_by_generation(in_fit, first, start_date, generation_rule), age.relative_prices(profile, own))


def path_cases(fit: trends.TrendFit | age.StepFit) -> dict[str, float]:
    """The low, base and high cases a fit gives the market path: its estimate if identified, else no change, and the
    ends of its interval (low = the rising end)."""
    if isinstance(fit, age.StepFit):
        estimate, (lo, hi) = fit.share, fit.interval
    else:
        estimate, (lo, hi) = fit.annual_decline, fit.decline_interval
    return {"low": lo, "base": estimate if fit.identified else 0.0, "high": hi}


def pairs(inputs: Inputs) -> pd.DataFrame:
    """Every pair of quotes in data/price_pairs.csv with its ratio per GPU-hour and per PFLOP."""
    return levels.pair_ratios(inputs.price_pairs, inputs.gpu_prices.set_index("obs_id", drop=False), tflops(inputs))


def rack_premium_per_pflop(pair_table: pd.DataFrame) -> float:
    """The rack-scale premium per PFLOP: the median ratio of the rack_scale pairs."""
    rack = pair_table[pair_table["comparison"] == "rack_scale"]
    if rack.empty:
        raise InputError("rack_premium_per_pflop", "comparison", "no rack_scale pair", "a rack_scale pair in data/price_pairs.csv")
    return float(rack["ratio_per_pflop"].median())


def index_levels(inputs: Inputs, start_date: dt.date, methods: Methods, rack_premium: float) -> pd.DataFrame:
    """Readings of the published indices for Blackwell within the window, carried to a GB300 NVL72 GPU-hour.

    ``sets_level`` marks the readings that set the level: market-wide indices (not those built from hyperscaler list
    prices), each series' reading nearest the start."""
    obs = inputs.gpu_prices
    start = pd.Timestamp(start_date)
    rows = obs[obs["price_kind"].isin(methods.index_kinds) & obs["gpu"].isin(methods.index_generations)
               & ((obs["date"] - start).abs() <= pd.Timedelta(days=methods.index_window_days))].copy()
    if rows.empty:
        raise InputError("index_levels", "gpu_prices", "no index reading", f"index readings within {methods.index_window_days} "
                         f"days of {start_date} for {', '.join(methods.index_generations)}")
    specs = tflops(inputs)
    rows["series"] = rows["series_id"].where(rows["series_id"].notna() & (rows["series_id"].astype(str) != ""), rows["obs_id"])
    rows["days_from_start"] = (rows["date"] - start).abs().dt.days
    nearest = rows.sort_values(["days_from_start", "date"]).groupby("series").head(1).index
    rows["throughput_ratio"] = [specs["GB300"] / specs[g] for g in rows["gpu"]]
    rows["rack_premium"] = [1.0 if g in RACK_SCALE else rack_premium for g in rows["gpu"]]
    rows["gb300_usd_per_gpu_hour"] = levels.gb300_equivalent_usd_per_gpu_hour(rows["usd_per_gpu_hour"].to_numpy(),
                                                                               rows["throughput_ratio"].to_numpy(),
                                                                               rows["rack_premium"].to_numpy())
    rows["gb300_usd_per_pflop_hour"] = pricing.price_per_pflop_hour(rows["gb300_usd_per_gpu_hour"].to_numpy(), specs["GB300"])
    rows["sets_level"] = np.where(rows.index.isin(nearest) & (rows["provider_tier"] == methods.index_tier), "yes", "no")
    return rows.sort_values(["sets_level", "gb300_usd_per_gpu_hour"], ascending=[False, True]).reset_index(drop=True)


def flexible_level(readings: pd.DataFrame) -> dict[str, float]:
    """The level of flexible GB300 NVL72 capacity: low, base and high = lowest, median and highest reading that sets it."""
    setting = readings.loc[readings["sets_level"] == "yes", "gb300_usd_per_gpu_hour"]
    if setting.empty:
        raise InputError("flexible_level", "sets_level", "no reading", "at least one market-wide index reading")
    return {"low": float(setting.min()), "base": float(setting.median()), "high": float(setting.max())}


def comparable_contracts(inputs: Inputs) -> pd.DataFrame:
    """Each comparable deal's implied price two ways where it can be derived: total ÷ (term × final GPUs), and with
    its delivery ramp (each tranche billed from its own start to a common end), per GPU-hour and per PFLOP-hour."""
    deals = pricing.comparable_implied_prices(inputs.comparable_deals)
    specs, tranches = tflops(inputs), inputs.deal_tranches
    ramp, ramp_basis = [], []
    for deal in deals.itertuples(index=False):
        own = tranches[tranches["deal_id"] == deal.deal_id]
        if pd.isna(deal.total_value_usd) or pd.isna(deal.term_months):
            ramp.append(np.nan)
            ramp_basis.append("not derivable: value or term not disclosed")
        elif own.empty or own["gpu_count"].isna().any():
            ramp.append(np.nan)
            ramp_basis.append("no ramp to apply: tranche sizes not disclosed" if not own.empty else "no tranches recorded")
        else:
            ramp.append(levels.ramp_adjusted_usd_per_gpu_hour(float(deal.total_value_usd), own, float(deal.term_months)))
            ramp_basis.append(f"{len(own)} tranche(s) from {own['start_date'].min():%b %Y}, each billed to the common end")
    per_gpu = specs.get("GB300", np.nan)
    gb300 = deals["gpu"] == "GB300"
    return deals.assign(ramp_usd_per_gpu_hour=ramp, ramp_basis=ramp_basis,
                        usd_per_pflop_hour=np.where(gb300, deals["usd_per_gpu_hour"] / per_gpu * 1000.0, np.nan),
                        ramp_usd_per_pflop_hour=np.where(gb300, np.asarray(ramp, dtype=float) / per_gpu * 1000.0, np.nan))


def tenant_fleets(inputs: Inputs, deals: pd.DataFrame) -> pd.DataFrame:
    """SpaceX's other tenants: fee, GPUs, fleet mix and the throughput-weighted price per PFLOP-hour and its GB300
    equivalent. The mix shares come from data/tenant_fleets.csv; a row without a count takes the deal's GPUs not
    counted elsewhere; a fleet of undisclosed GPUs has no price per PFLOP."""
    specs, rows = tflops(inputs), []
    for deal_id, fleet in inputs.tenant_fleets.groupby("deal_id", sort=False):
        deal = deals[deals["deal_id"] == deal_id].iloc[0]
        counts = fleet["gpu_count"].astype(float).to_numpy()
        if np.isnan(counts).sum() == 1 and pd.notna(deal.gpu_count):
            counts = np.where(np.isnan(counts), float(deal.gpu_count) - np.nansum(counts), counts)
        known = ~np.isnan(counts) & fleet["gpu"].isin(list(specs)).to_numpy()
        mix = "; ".join(f"{g} {c:,.0f}" if not np.isnan(c) else f"{g} (count not stated)" for g, c in zip(fleet["gpu"], counts, strict=True))
        tflops_each = float(np.sum(counts[known] * np.array([specs[g] for g in fleet["gpu"][known]])) / counts[known].sum()) \
            if known.all() and counts.sum() > 0 else np.nan
        per_pflop = float(deal.usd_per_gpu_hour) / tflops_each * 1000.0 if not np.isnan(tflops_each) else np.nan
        rows.append({"deal_id": deal_id, "tenant": deal.buyer, "monthly_usd": float(deal.monthly_usd), "gpus": float(deal.gpu_count),
                     "fleet": mix, "usd_per_gpu_hour": float(deal.usd_per_gpu_hour), "mean_tflops": tflops_each,
                     "usd_per_pflop_hour": per_pflop, "gb300_usd_per_gpu_hour": per_pflop * specs["GB300"] / 1000.0,
                     "source": ";".join(sorted(set(";".join(fleet["source_id"]).split(";"))))})
    return pd.DataFrame(rows)


def capacity_rows(inputs: Inputs, tenants: pd.DataFrame, reflection_gpus: Mapping[str, float], rack_power_kw: float,
                  pue: float) -> pd.DataFrame:
    """Colossus 2's planned GPUs and stated power against each tenant's GPUs there, in IT MW (GPUs × rack power ÷ GPUs
    a rack) and facility MW (× PUE), every NVL72 rack taken at GB300's power; the sources state power without saying
    whether it is IT or facility power (``stated_mw``)."""
    per_rack = inputs.spec("GB300 NVL72", "gpus_per_rack")

    def mw(gpus: float) -> tuple[float, float]:
        it = float(pricing.implied_it_mw(gpus, per_rack, rack_power_kw))
        return it, it * pue

    fleet = inputs.tenant_fleets
    counted = fleet[(fleet["deal_id"] == "spacex_anthropic") & fleet["gpu_count"].isna()]
    anthropic = tenants.set_index("deal_id").loc["spacex_anthropic"] if "spacex_anthropic" in set(tenants["deal_id"]) else None
    rows = []
    if anthropic is not None and not counted.empty:
        known = float(fleet.loc[(fleet["deal_id"] == "spacex_anthropic") & fleet["gpu_count"].notna(), "gpu_count"].sum())
        gpus = float(anthropic["gpus"]) - known
        rows.append(("Anthropic: GB200 at Colossus 2 (the contract's GPUs less those counted at Colossus 1)", gpus, *mw(gpus),
                     np.nan, "derived", ";".join(split(counted["source_id"]))))
    for case, label in (("base", "base price"), ("low", "low price, most GPUs"), ("high", "high price, fewest GPUs")):
        rows.append((f"Reflection: GB300 the payment reserves ({label})", reflection_gpus[case], *mw(reflection_gpus[case]),
                     np.nan, "model", "the capacity identity"))
    google = inputs.comparable_deals.set_index("deal_id").loc["spacex_google"]
    rows.append(("Google: GPUs of undisclosed type and site (if GB-class NVL72 at Colossus 2)", float(google["gpu_count"]),
                 *mw(float(google["gpu_count"])), np.nan, "reported; site and type not disclosed", str(google["source_id"])))
    figures = inputs.company_figures.set_index("id")
    for fid in ("colossus2_target_gpus", "colossus2_gb200_first_phase_gpus"):
        row = figures.loc[fid]
        rows.append((str(row["label"]), float(row["value"]), *mw(float(row["value"])),
                     np.nan, str(row["confidence"]).replace("_", " "), str(row["source_id"])))
    for fid in ("colossus2_first_phase_power_need_mw", "colossus2_cooling_mw_2025_09", "colossus2_cooling_mw_2026_01", "colossus2_power_mw"):
        row = figures.loc[fid]
        rows.append((str(row["label"]), np.nan, np.nan, np.nan, float(row["value"]),
                     f"{str(row['confidence']).replace('_', ' ')}; IT or facility not stated", str(row["source_id"])))
    return pd.DataFrame(rows, columns=["item", "gpus", "it_mw", "facility_mw", "stated_mw", "basis", "source"])


def split(values: pd.Series) -> list[str]:
    """Distinct source keys of a column of semicolon-separated keys, sorted."""
    return sorted({k for v in values for k in str(v).split(";") if k})
