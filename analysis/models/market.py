"""The market for GB300 capacity as the model uses it: the level of flexible capacity at the start and the path's
cases (both from the evidence in ``evidence``, and held equal to the register by tests), the trend and term tables,
what the payment buys, and the projected median price path.

Every price here is US dollars per GPU-hour. The price processes the valuation simulates are built from the same
register entries (``market_assumptions``), so the path drawn in the pricing chapter is the one the valuation uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import age, contract, prices, pricing, trends
from ..inputs import CASES, Inputs
from ..methods import Methods
from . import evidence
from .terms import Deal, Parameters

TrendFit = trends.TrendFit
"""A fitted price trend (re-exported for the presentation layer, which does not import the core models)."""


def step_month(params: Parameters) -> int:
    """Index j (month-end, 0 = the start) from which the price level is stepped down: the start of contract month
    ``rubin_month``, so that month's price and every later one reflect the next generation."""
    return max(int(params.rubin_month) - 1, 0)


def market_assumptions(params: Parameters) -> prices.MarketAssumptions:
    """The register entries every price process is built from."""
    return prices.MarketAssumptions(params.market_price_usd_per_gpu_hour, params.annual_price_decline, params.market_volatility_annual,
                                    params.mean_reversion_half_life_months, params.rubin_step_share, step_month(params))


def price_process(params: Parameters, process: prices.Process, months: int) -> prices.PriceProcess:
    """The market price process ``process`` over ``months`` months, from the register."""
    return process.build(market_assumptions(params), months)


def market_path(params: Parameters, months: int) -> np.ndarray:
    """The market's median price for GB300 capacity, months 0..``months`` − 1: decline and the next-generation step."""
    zero_volatility = dataclasses.replace(market_assumptions(params), annual_volatility=0.0)
    return prices.Process.RANDOM_WALK.build(zero_volatility, months).median_path()[:months]


def trend_rows(fits: evidence.PriceFits, published: pd.DataFrame, register_declines: Mapping[str, float]) -> pd.DataFrame:
    """Every estimate of how fast rental prices change, side by side, as numbers: our fits (each with its interval and
    whether the data identify it), the published trends converted to an annual change, and the cases the model uses."""
    rows = []
    profile, everyone = fits.profile.trend, fits.profile_all.trend
    for label, fit, basis in (
            ("Price by age, A100, H100 and H200 (the model's source)", profile, f"{profile.n_obs} prices, {profile.n_groups} generations"),
            ("Price by age, every generation", everyone, f"{everyone.n_obs} prices, {everyone.n_groups} generations"),
            ("Repeat prices, like-for-like series", fits.repeat, f"{fits.repeat.n_obs} prices, {fits.repeat.n_groups} series")):
        lo, hi = fit.decline_interval
        rows.append({"estimate": label, "annual_decline": fit.annual_decline, "ci_low": lo, "ci_high": hi,
                     "status": "yes" if fit.identified else "no", "reason": fit.reason, "basis": basis})
    for row in fits.by_generation[fits.by_generation["annual_decline"].notna()].itertuples(index=False):
        rows.append({"estimate": f"Price by age, {row.gpu} only", "annual_decline": float(row.annual_decline),
                     "ci_low": float(row.ci_low), "ci_high": float(row.ci_high), "status": "yes" if row.identified else "no",
                     "reason": str(row.reason),
                     "basis": f"{row.n_obs} prices from {row.n_providers} providers over {row.span_years:.1f} years"})
    for row in published.itertuples(index=False):
        lo = hi = np.nan
        if row.metric == "doubling_time_years":
            value = float(pricing.annual_decline_from_doubling(row.value))
            if pd.notna(row.ci_low):
                lo, hi = (float(pricing.annual_decline_from_doubling(row.ci_high)),
                          float(pricing.annual_decline_from_doubling(row.ci_low)))
            basis = f"{row.description}; price per FLOP, purchase prices"
        elif row.metric == "annual_decline":
            value, basis = float(row.value), row.description
        else:
            value = -float(pricing.annualized_change(row.value, row.period_months))
            basis = f"{row.description}; annualised from {int(row.period_months)} months"
        rows.append({"estimate": f"Published: {row.description.split(';')[0]}", "annual_decline": value, "ci_low": lo, "ci_high": hi,
                     "status": "as published", "reason": "", "basis": basis})
    rows.append({"estimate": "Used in the model (register, from the price-by-age profile)", "annual_decline": register_declines["base"],
                 "ci_low": register_declines["low"], "ci_high": register_declines["high"], "status": "the model's cases", "reason": "",
                 "basis": "pricing.annual_price_decline: no change unless the profile identifies one; its interval as the range"})
    return pd.DataFrame(rows)


def term_rows(pair_table: pd.DataFrame, comparables: pd.DataFrame, level_usd_per_gpu_hour: float,
              contract_price_usd_per_gpu_hour: float) -> pd.DataFrame:
    """Committed prices as a share of flexible ones: reservations against the same provider's on-demand price (pairs
    of quotes), each GB300 contract against the flexible GB300 level, and the contract's assumed price against it."""
    rows = [{"comparison": row.label, "term_months": float(row.numerator_term_months), "ratio": float(row.ratio_per_gpu_hour),
             "basis": "same provider and product, reserved ÷ on-demand", "source": row.source_id}
            for row in pair_table[pair_table["comparison"] == "term"].itertuples(index=False)]
    for deal in comparables[(comparables["gpu"] == "GB300") & comparables["usd_per_gpu_hour"].notna()].itertuples(index=False):
        rows.append({"comparison": f"{deal.buyer}–{deal.seller} contract", "term_months": float(deal.term_months),
                     "ratio": float(deal.usd_per_gpu_hour) / level_usd_per_gpu_hour,
                     "basis": "implied price ÷ the flexible GB300 level", "source": deal.source_id})
    rows.append({"comparison": "This contract at the assumed base price", "term_months": np.nan,
                 "ratio": contract_price_usd_per_gpu_hour / level_usd_per_gpu_hour,
                 "basis": "assumed price ÷ the flexible GB300 level; either side may leave on 90 days' notice", "source": "model"})
    return pd.DataFrame(rows)


GENERATION_ORDER: tuple[str, ...] = ("A100", "H100", "H200", "B200", "GB200", "B300", "GB300")


def performance_rows(observations: pd.DataFrame, specs: pd.DataFrame, year: int, extra: list[tuple[str, float]]) -> pd.DataFrame:
    """Median observed price per generation in ``year`` beside dense BF16 throughput and the price per PFLOP-hour;
    ``extra`` adds GB300 prices (label, price)."""
    tflops = specs[specs["metric"] == "bf16_dense_tflops"].set_index("gpu")["value"]
    recent = observations[observations["date"].dt.year == year]
    rows = [(f"{gpu}: median of {len(group)} observed price{'s' if len(group) > 1 else ''}, {year}", gpu,
             float(group["usd_per_gpu_hour"].median()))
            for gpu, group in recent.groupby("gpu", sort=False)]
    rows += [(label, "GB300", price) for label, price in extra]
    rows.sort(key=lambda r: GENERATION_ORDER.index(r[1]))
    return pd.DataFrame([{"label": label, "gpu": gpu, "usd_per_gpu_hour": p, "dense_tflops": float(tflops[gpu]),
                          "usd_per_pflop_hour": float(pricing.price_per_pflop_hour(p, tflops[gpu]))} for label, gpu, p in rows])


@dataclass(frozen=True)
class Capacity:
    """What the monthly payment buys: GB300 GPUs at the contract price's low, base and high cases, racks and IT load at
    the base price, and the curve of GPUs against price."""

    gpus: Mapping[str, float]  # by case of the contract price
    racks: float
    it_mw: float
    gpus_per_rack: float
    curve_usd_per_gpu_hour: np.ndarray
    curve_gpus: np.ndarray


@dataclass(frozen=True)
class MarketModel:
    """The price evidence and what the model takes from it: the level of flexible GB300 capacity, the path's cases from
    the price-by-age profile, the comparables like for like, what the payment buys and the projected median path."""

    observations: pd.DataFrame  # every price, with usd_per_gpu_hour
    fits: evidence.PriceFits
    launches: Mapping[str, dt.date]
    successor_dates: Mapping[str, dt.date]
    decline_cases: Mapping[str, float]  # the annual decline the profile gives each case
    step_cases: Mapping[str, float]  # the successor's step the profile gives each case
    pairs: pd.DataFrame  # data/price_pairs.csv with ratios
    rack_premium_per_pflop: float
    index_readings: pd.DataFrame
    level: Mapping[str, float]  # flexible GB300 NVL72 level: low, base, high
    terms_table: pd.DataFrame  # committed against flexible prices
    comparables: pd.DataFrame  # data/comparable_deals.csv with implied prices, naive and ramp-adjusted
    tenants: pd.DataFrame  # SpaceX's other tenants with their fleet mix
    capacity: Capacity
    capacity_table: pd.DataFrame  # Colossus 2 against its tenants
    trends_table: pd.DataFrame
    performance: pd.DataFrame
    median_path: np.ndarray  # months 0..T-1, base case
    paths_by_case: Mapping[str, tuple[float, float, np.ndarray]]  # case -> (annual decline, step, path)
    rubin_step_date: dt.date
    premium_at_start: float
    premium_at_end: float
    contract_premiums: np.ndarray  # base contract price ÷ each GB300 contract's implied price − 1
    contract_low_is_lowest_comparable: str  # "yes" when the contract price's low case is the cheapest GB300 contract
    epoch_ml_gpu_decline: float

    @property
    def profile(self) -> trends.TrendFit:
        """The price-by-age slope the path comes from."""
        return self.fits.profile.trend

    @property
    def step(self) -> age.StepFit:
        """The successor's step the path comes from."""
        return self.fits.profile.step

    @property
    def end_price_usd_per_gpu_hour(self) -> float:
        """Median market price in the last month (base case)."""
        return float(self.median_path[-1])

    @property
    def lowest_path_usd_per_gpu_hour(self) -> float:
        """The lowest median market price in any case's path."""
        return float(min(path.min() for _, _, path in self.paths_by_case.values()))

    @property
    def n_observations(self) -> int:
        """Price observations collected (rows of data/gpu_prices.csv)."""
        return len(self.observations)

    @property
    def first_observation(self) -> dt.date:
        """Date of the earliest price in the fits."""
        return self.fits.in_fit["date"].min().date()

    @property
    def last_observation(self) -> dt.date:
        """Date of the latest price in the fits."""
        return self.fits.in_fit["date"].max().date()

    @property
    def generations_identified(self) -> int:
        """Generations whose own price trend the data identify."""
        return int(self.fits.by_generation["identified"].sum())

    @property
    def index_count(self) -> int:
        """Index readings that set the flexible level."""
        return int((self.index_readings["sets_level"] == "yes").sum())

    @property
    def rack_premium(self) -> float:
        """The rack-scale premium per PFLOP as a share (ratio − 1)."""
        return self.rack_premium_per_pflop - 1.0

    @property
    def rack_pairs(self) -> int:
        """Pairs of quotes measuring the rack-scale premium."""
        return int((self.pairs["comparison"] == "rack_scale").sum())

    @property
    def comparable_prices(self) -> dict[str, float]:
        """Implied USD per GPU-hour of each comparable deal that discloses enough to derive one, by deal id."""
        rows = self.comparables[self.comparables["usd_per_gpu_hour"].notna()]
        return {str(d): float(p) for d, p in zip(rows["deal_id"], rows["usd_per_gpu_hour"], strict=True)}

    @property
    def ramp_prices(self) -> dict[str, float]:
        """Ramp-adjusted USD per GPU-hour of each comparable deal whose tranches allow it, by deal id."""
        rows = self.comparables[self.comparables["ramp_usd_per_gpu_hour"].notna()]
        return {str(d): float(p) for d, p in zip(rows["deal_id"], rows["ramp_usd_per_gpu_hour"], strict=True)}

    @property
    def tenant_gb300_equivalent(self) -> dict[str, float]:
        """GB300-equivalent USD per GPU-hour of each SpaceX tenant whose fleet mix is known, by deal id."""
        rows = self.tenants[self.tenants["gb300_usd_per_gpu_hour"].notna()]
        return {str(d): float(p) for d, p in zip(rows["deal_id"], rows["gb300_usd_per_gpu_hour"], strict=True)}

    @property
    def gpu_counts(self) -> dict[str, float]:
        """Each comparable deal's disclosed GPU count, by deal id, where known."""
        rows = self.comparables[self.comparables["gpu_count"].notna()]
        return {str(d): float(v) for d, v in zip(rows["deal_id"], rows["gpu_count"], strict=True)}

    @property
    def monthly_fee_usd(self) -> dict[str, float]:
        """Each comparable deal's monthly value (disclosed fee, else total ÷ term), by deal id, where known."""
        rows = self.comparables[self.comparables["monthly_usd"].notna()]
        return {str(d): float(v) for d, v in zip(rows["deal_id"], rows["monthly_usd"], strict=True)}

    @property
    def premium_vs_contracts_low(self) -> float:
        """The base contract price against the GB300 contracts that disclose a price: the smallest premium."""
        return float(self.contract_premiums.min())

    @property
    def premium_vs_contracts_high(self) -> float:
        """The largest premium over those contracts."""
        return float(self.contract_premiums.max())

    @property
    def contracts_with_price(self) -> int:
        """GB300 contracts that disclose a price."""
        return len(self.contract_premiums)

    @property
    def anthropic_colossus2_gpus(self) -> float:
        """Anthropic's GPUs at Colossus 2 as the capacity table derives them (NaN if it cannot)."""
        return self.capacity_row("Anthropic", "gpus")

    @property
    def longest_term_share(self) -> float:
        """The ratio of the longest-term reservation pair (reserved ÷ on-demand at one provider)."""
        pairs = self.terms_table[self.terms_table["basis"].str.startswith("same provider")]
        return float(pairs.sort_values("term_months")["ratio"].iloc[-1])

    def capacity_row(self, starts: str, column: str) -> float:
        """``column`` of the capacity table's first row whose item starts with ``starts`` (NaN if none)."""
        rows = self.capacity_table[self.capacity_table["item"].str.startswith(starts)]
        return float(rows[column].iloc[0]) if not rows.empty else float("nan")

    @property
    def colossus2_tenants_facility_mw(self) -> float:
        """Facility MW of Anthropic's Colossus 2 GPUs and Reflection's capacity at the base price."""
        return self.capacity_row("Anthropic", "facility_mw") + self.capacity_row("Reflection: GB300 the payment reserves (base", "facility_mw")

    @property
    def google_facility_mw(self) -> float:
        """Facility MW of Google's GPUs if they are GB-class NVL72 racks."""
        return self.capacity_row("Google", "facility_mw")

    @property
    def committed_share(self) -> tuple[float, float]:
        """(lowest, highest) GB300 contract price as a share of the flexible level (base)."""
        rows = self.terms_table[self.terms_table["basis"].str.startswith("implied price")]
        return float(rows["ratio"].min()), float(rows["ratio"].max())


def market_model(inputs: Inputs, terms: Deal, params: Parameters, term_months: int, methods: Methods) -> MarketModel:
    """Fit the price record, set the flexible level from the indices, assemble the comparables like for like, and
    project the median market path."""
    fits = evidence.price_fits(inputs, terms.start_date, methods)
    pair_table = evidence.pairs(inputs)
    rack = evidence.rack_premium_per_pflop(pair_table)
    readings = evidence.index_levels(inputs, terms.start_date, methods, rack)
    level = evidence.flexible_level(readings)
    comparables = evidence.comparable_contracts(inputs)
    price = {case: inputs.assumption("pricing.contract_price_usd_per_gpu_hour", case) for case in CASES}
    register_declines = {case: inputs.assumption("pricing.annual_price_decline", case) for case in CASES}
    steps = {case: inputs.assumption("pricing.rubin_step_share", case) for case in CASES}
    per_rack = inputs.spec("GB300 NVL72", "gpus_per_rack")
    gpus = {case: float(pricing.implied_gpus(terms.monthly_payment_usd, price[case], params.billed_utilization)) for case in CASES}
    low, high, points = methods.capacity_price_grid_usd_per_gpu_hour
    grid = np.linspace(low, high, points)
    capacity = Capacity(gpus, float(pricing.implied_racks(gpus["base"], per_rack)),
                        float(pricing.implied_it_mw(gpus["base"], per_rack, params.rack_power_kw)), per_rack, grid,
                        np.asarray(pricing.implied_gpus(terms.monthly_payment_usd, grid, params.billed_utilization)))
    tenants = evidence.tenant_fleets(inputs, comparables)
    path = market_path(params, term_months)
    by_case = {case: (register_declines[case], steps[case],
                      market_path(dataclasses.replace(params, annual_price_decline=register_declines[case],
                                                      rubin_step_share=steps[case]), term_months)) for case in CASES}
    gb300 = comparables[(comparables["gpu"] == "GB300") & comparables["usd_per_gpu_hour"].notna()]
    contracts = gb300["usd_per_gpu_hour"].to_numpy()
    extra = [("GB300 NVL72: flexible level at the start (the indices, base case)", params.market_price_usd_per_gpu_hour),
             ("GB300: contract price (base case)", params.contract_price_usd_per_gpu_hour)]
    epoch = inputs.published_trends.set_index("trend_id").loc["epoch_ml_gpus"]
    return MarketModel(
        observations=inputs.gpu_prices, fits=fits, launches=evidence.launches(inputs), successor_dates=evidence.successors(inputs, methods),
        decline_cases=evidence.path_cases(fits.profile.trend), step_cases=evidence.path_cases(fits.profile.step),
        pairs=pair_table, rack_premium_per_pflop=rack, index_readings=readings, level=level,
        terms_table=term_rows(pair_table, comparables, params.market_price_usd_per_gpu_hour, price["base"]),
        comparables=comparables, tenants=tenants, capacity=capacity,
        capacity_table=evidence.capacity_rows(inputs, tenants, gpus, params.rack_power_kw, params.pue),
        trends_table=trend_rows(fits, inputs.published_trends, register_declines),
        performance=performance_rows(fits.in_fit, inputs.gpu_specs, int(fits.in_fit["date"].max().year), extra),
        median_path=path, paths_by_case=by_case,
        rubin_step_date=contract.last_payment_date(terms.start_date, int(params.rubin_month)),
        premium_at_start=float(pricing.contract_premium(price["base"], np.array([params.market_price_usd_per_gpu_hour]))[0]),
        premium_at_end=float(pricing.contract_premium(price["base"], path[-1:])[0]),
        contract_premiums=price["base"] / contracts - 1.0,
        contract_low_is_lowest_comparable="yes" if abs(price["low"] - float(contracts.min())) < 0.01 else "no",
        epoch_ml_gpu_decline=float(pricing.annual_decline_from_doubling(float(epoch["value"]))),
    )
