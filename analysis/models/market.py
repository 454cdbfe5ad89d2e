"""The market for GB300 capacity: the price record and its trends, the evidence on what GB300 capacity costs at the
start, comparable contracts, what the payment buys, and the projected median price path.

Every price here is US dollars per GPU-hour. Prices of other generations are put on GB300's scale by dense BF16
throughput. The price processes the valuation simulates are built from the same register entries
(``market_assumptions``), so the path drawn in the pricing chapter is the one the valuation uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import contract, prices, pricing, trends
from ..inputs import CASES, Inputs
from ..methods import Methods
from .terms import Deal, Parameters

TrendFit = trends.TrendFit
"""A fitted price trend (re-exported for the presentation layer, which does not import the core models)."""


def launches(inputs: Inputs) -> dict[str, dt.date]:
    """Each generation's first availability (data/gpu_launches.csv)."""
    return {str(g): d.date() for g, d in zip(inputs.gpu_launches["gpu"], inputs.gpu_launches["first_available"], strict=True)}


def throughput_ratio(inputs: Inputs, gpu: str) -> float:
    """GB300 ÷ ``gpu`` dense BF16 throughput: the factor that turns a price for ``gpu`` into a GB300-equivalent one."""
    return inputs.spec("GB300", "bf16_dense_tflops") / inputs.spec(gpu, "bf16_dense_tflops")


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


def market_evidence(inputs: Inputs, hedonic: trends.HedonicFit, comparables: pd.DataFrame, start_date: dt.date,
                    methods: Methods) -> pd.DataFrame:
    """What GB300 capacity on a committed multi-month term costs at the contract start, from every source we have.

    Contract prices implied by the GB300 deals that disclose value, term and GPUs; posted multi-year reservations
    of Blackwell capacity; and the panel's one-year reserved price of GB200 and B300 at the start. Prices for
    other generations are scaled to GB300 by dense BF16 throughput.
    """
    rows = []
    for deal in comparables[(comparables["gpu"] == "GB300") & comparables["usd_per_gpu_hour"].notna()].itertuples(index=False):
        rows.append({"evidence": f"{deal.buyer}–{deal.seller} contract", "kind": "contract", "term_months": float(deal.term_months),
                     "gpu": "GB300", "usd_per_gpu_hour_quoted": float(deal.usd_per_gpu_hour), "source": deal.source_id})
    observed = inputs.gpu_prices
    posted = observed[(observed["price_kind"] == "reserved")
                      & (observed["term_months"].astype(float) > methods.evidence_reservation_min_months)
                      & observed["gpu"].isin(("B300", "GB300", "GB200"))]
    for row in posted.itertuples(index=False):
        rows.append({"evidence": f"{row.provider}, {int(row.term_months)}-month reservation", "kind": "posted reservation",
                     "term_months": float(row.term_months), "gpu": row.gpu, "usd_per_gpu_hour_quoted": float(row.usd_per_gpu_hour),
                     "source": row.source_id})
    panel_term = float(methods.evidence_panel_term_months)
    for gpu in methods.evidence_panel_generations:
        rows.append({"evidence": f"Panel estimate: {gpu}, one-year reservation at a neocloud, at the start", "kind": "panel estimate",
                     "term_months": panel_term, "gpu": gpu,
                     "usd_per_gpu_hour_quoted": hedonic.predict_usd_per_gpu_hour(gpu, methods.evidence_panel_kind,
                                                                                 methods.evidence_panel_tier, start_date),
                     "source": "model"})
    frame = pd.DataFrame(rows)
    frame["throughput_ratio"] = [throughput_ratio(inputs, g) for g in frame["gpu"]]
    frame["usd_per_gpu_hour"] = frame["usd_per_gpu_hour_quoted"] * frame["throughput_ratio"]
    return frame


def trend_rows(hedonic: trends.TrendFit, repeat: trends.TrendFit, by_generation: pd.DataFrame, published: pd.DataFrame,
               register_declines: Mapping[str, float]) -> pd.DataFrame:
    """Every estimate of how fast rental prices change, side by side, as numbers: our fits (with an interval only where
    the data identify the trend), the published trends converted to an annual change, and the range the model assumes."""
    rows = []
    for label, fit, groups in (("Hedonic panel, all generations", hedonic, "generations"),
                               ("Repeat prices, like-for-like series", repeat, "series")):
        lo, hi = fit.decline_interval
        rows.append({"estimate": label, "annual_decline": fit.annual_decline, "ci_low": lo if fit.identified else np.nan,
                     "ci_high": hi if fit.identified else np.nan, "status": "yes" if fit.identified else "no", "reason": fit.reason,
                     "basis": f"{fit.n_obs} prices, {fit.n_groups} {groups}"})
    for row in by_generation.itertuples(index=False):
        rows.append({"estimate": f"Hedonic fit, {row.gpu} only", "annual_decline": float(row.annual_decline),
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
        rows.append({"estimate": f"Published: {row.trend_id.replace('_', ' ')}", "annual_decline": value, "ci_low": lo, "ci_high": hi,
                     "status": "as published", "reason": "", "basis": basis})
    rows.append({"estimate": "Assumed in the model (assumption register)", "annual_decline": register_declines["base"],
                 "ci_low": register_declines["low"], "ci_high": register_declines["high"], "status": "an assumption", "reason": "",
                 "basis": "pricing.annual_price_decline, with the next generation's step as a separate entry"})
    return pd.DataFrame(rows)


GENERATION_ORDER: tuple[str, ...] = ("A100", "H100", "H200", "B200", "GB200", "B300", "GB300")


def performance_rows(observations: pd.DataFrame, specs: pd.DataFrame, year: int, extra: list[tuple[str, float]]) -> pd.DataFrame:
    """Median observed price per generation in ``year`` beside dense BF16 throughput and the price per PFLOP-hour;
    ``extra`` adds GB300 prices (label, price)."""
    tflops = specs[specs["metric"] == "bf16_dense_tflops"].set_index("gpu")["value"]
    recent = observations[observations["date"].dt.year == year]
    rows = [(f"{gpu}: median of {len(group)} observed prices, {year}", gpu, float(group["usd_per_gpu_hour"].median()))
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
    """The price evidence, the comparables, what the payment buys and the projected median market path."""

    observations: pd.DataFrame  # every price, with usd_per_gpu_hour
    in_fit: pd.DataFrame  # the rows the panel uses
    launches: Mapping[str, dt.date]
    hedonic: trends.HedonicFit
    repeat: trends.TrendFit
    by_generation: pd.DataFrame
    comparables: pd.DataFrame  # data/comparable_deals.csv with monthly value, implied price and its basis
    evidence: pd.DataFrame  # GB300 committed-capacity price at the start: one row per piece of evidence
    trends_table: pd.DataFrame
    performance: pd.DataFrame
    capacity: Capacity
    median_path: np.ndarray  # months 0..T-1, base case
    paths_by_decline_case: Mapping[str, tuple[float, np.ndarray]]  # case -> (annual decline, path)
    rubin_step_date: dt.date
    premium_at_start: float
    premium_at_end: float
    contract_premiums: np.ndarray  # base contract price ÷ each GB300 contract's implied price − 1
    contract_low_is_lowest_comparable: str  # "yes" when the contract price's low case is the cheapest GB300 contract
    epoch_ml_gpu_decline: float

    @property
    def evidence_range(self) -> tuple[float, float, float]:
        """(lowest, median, highest) GB300-equivalent price across the evidence, USD per GPU-hour."""
        p = self.evidence["usd_per_gpu_hour"]
        return float(p.min()), float(p.median()), float(p.max())

    @property
    def end_price_usd_per_gpu_hour(self) -> float:
        """Median market price in the last month (base case)."""
        return float(self.median_path[-1])

    @property
    def n_observations(self) -> int:
        """Price observations collected (rows of data/gpu_prices.csv)."""
        return len(self.observations)

    @property
    def first_observation(self) -> dt.date:
        """Date of the earliest price in the panel."""
        return self.in_fit["date"].min().date()

    @property
    def last_observation(self) -> dt.date:
        """Date of the latest price in the panel."""
        return self.in_fit["date"].max().date()

    @property
    def generations_identified(self) -> int:
        """Generations whose own price trend the data identify."""
        return int(self.by_generation["identified"].sum())

    @property
    def evidence_count(self) -> int:
        """Pieces of evidence on what GB300 capacity costs on a committed term."""
        return len(self.evidence)

    @property
    def comparable_prices(self) -> dict[str, float]:
        """Implied USD per GPU-hour of each comparable deal that discloses enough to derive one, by deal id."""
        rows = self.comparables[self.comparables["usd_per_gpu_hour"].notna()]
        return {str(d): float(p) for d, p in zip(rows["deal_id"], rows["usd_per_gpu_hour"], strict=True)}

    @property
    def monthly_fee_usd(self) -> dict[str, float]:
        """Each comparable deal's monthly value (disclosed fee, else total ÷ term), by deal id, where known."""
        rows = self.comparables[self.comparables["monthly_usd"].notna()]
        return {str(d): float(v) for d, v in zip(rows["deal_id"], rows["monthly_usd"], strict=True)}

    @property
    def premium_vs_contracts_low(self) -> float:
        """The base contract price against the cheapest-to-dearest GB300 contract that discloses a price: the smallest premium."""
        return float(self.contract_premiums.min())

    @property
    def premium_vs_contracts_high(self) -> float:
        """The largest premium over those contracts."""
        return float(self.contract_premiums.max())

    @property
    def contracts_with_price(self) -> int:
        """GB300 contracts that disclose a price."""
        return len(self.contract_premiums)


def fitted_trends(inputs: Inputs, start_date: dt.date, methods: Methods) -> tuple[pd.DataFrame, trends.HedonicFit, trends.TrendFit, pd.DataFrame]:
    """The panel's rows, the hedonic and repeat-price trends and each generation's own fit."""
    observations = inputs.gpu_prices
    in_fit = observations[(observations["in_fit"] == "yes") & (observations["price_kind"] != "transaction")]
    first = launches(inputs)
    panel = trends.IdentificationRule(methods.trend_confidence, methods.panel_min_generations, methods.panel_min_span_years,
                                      methods.trend_max_width)
    repeat_rule = trends.IdentificationRule(methods.trend_confidence, methods.repeat_min_series, methods.repeat_min_span_years,
                                            methods.trend_max_width)
    hedonic = trends.hedonic_trend(in_fit, first, start_date, panel)
    repeat = trends.repeat_price_trend(observations, start_date, repeat_rule)
    generation = trends.IdentificationRule(methods.trend_confidence, methods.generation_min_providers, methods.panel_min_span_years,
                                           methods.trend_max_width)
    by_generation = trends.trend_by_generation(in_fit, first, start_date, generation)
    return in_fit, hedonic, repeat, by_generation


def market_model(inputs: Inputs, terms: Deal, params: Parameters, term_months: int, methods: Methods) -> MarketModel:
    """Fit the trends, assemble the GB300 evidence and the comparables, and project the median market path."""
    in_fit, hedonic, repeat, by_generation = fitted_trends(inputs, terms.start_date, methods)
    comparables = pricing.comparable_implied_prices(inputs.comparable_deals)
    evidence = market_evidence(inputs, hedonic, comparables, terms.start_date, methods)
    price = {case: inputs.assumption("pricing.contract_price_usd_per_gpu_hour", case) for case in CASES}
    declines = {case: inputs.assumption("pricing.annual_price_decline", case) for case in CASES}
    per_rack = inputs.spec("GB300 NVL72", "gpus_per_rack")
    gpus = {case: float(pricing.implied_gpus(terms.monthly_payment_usd, price[case], params.billed_utilization)) for case in CASES}
    low, high, points = methods.capacity_price_grid_usd_per_gpu_hour
    grid = np.linspace(low, high, points)
    capacity = Capacity(gpus, float(pricing.implied_racks(gpus["base"], per_rack)),
                        float(pricing.implied_it_mw(gpus["base"], per_rack, params.rack_power_kw)), per_rack, grid,
                        np.asarray(pricing.implied_gpus(terms.monthly_payment_usd, grid, params.billed_utilization)))
    path = market_path(params, term_months)
    by_case = {case: (declines[case], market_path(dataclasses.replace(params, annual_price_decline=declines[case]), term_months))
               for case in CASES}
    contracts = evidence[evidence["kind"] == "contract"]["usd_per_gpu_hour"].to_numpy()
    extra = [("GB300: market price at the start (base case)", params.market_price_usd_per_gpu_hour),
             ("GB300: contract price (base case)", params.contract_price_usd_per_gpu_hour)]
    epoch = inputs.published_trends.set_index("trend_id").loc["epoch_ml_gpus"]
    return MarketModel(
        observations=inputs.gpu_prices, in_fit=in_fit, launches=launches(inputs), hedonic=hedonic, repeat=repeat,
        by_generation=by_generation, comparables=comparables, evidence=evidence,
        trends_table=trend_rows(hedonic.trend, repeat, by_generation, inputs.published_trends, declines),
        performance=performance_rows(in_fit, inputs.gpu_specs, int(in_fit["date"].max().year), extra),
        capacity=capacity, median_path=path, paths_by_decline_case=by_case,
        rubin_step_date=contract.last_payment_date(terms.start_date, int(params.rubin_month)),
        premium_at_start=float(pricing.contract_premium(price["base"], np.array([params.market_price_usd_per_gpu_hour]))[0]),
        premium_at_end=float(pricing.contract_premium(price["base"], path[-1:])[0]),
        contract_premiums=price["base"] / contracts - 1.0,
        contract_low_is_lowest_comparable="yes" if abs(price["low"] - float(contracts.min())) < 0.01 else "no",
        epoch_ml_gpu_decline=float(pricing.annual_decline_from_doubling(float(epoch["value"]))),
    )
