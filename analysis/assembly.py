"""The models assembled from the inputs: typed deal terms and parameters, the payment schedule and its present
values, the market price model, the seller's capacity, and the seeded simulations.

This is the one place that reads register entries by id (``PARAMETER_IDS``) and deal terms, specifications and
company figures by name; models downstream take the typed :class:`Deal` and :class:`Parameters`.
``preconditions`` checks, before any notebook runs, that every model can be assembled from the inputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .conventions import DAYS_PER_YEAR, HOURS_PER_MONTH
from .core import capex, contract, credit, finance, prices, pricing, termination, trends
from .inputs import CASES, REPOSITORY, Inputs, Problem, TableError, apply_overrides
from .validate import InputError

MC_SEED: int = 20260701
"""Seed of the market-driven Monte Carlo (the contract's start date), so every build draws the same paths."""
MC_PATHS: int = 100_000
"""Paths in the book's Monte Carlo: the standard error of a probability is at most 0.16 percentage points."""
SELLER_SAMPLE_PATHS: int = 20_000
"""Monte Carlo paths whose seller cash flows are valued (the first of the book's paths)."""


# --------------------------------------------------------------------------------------------
# Typed inputs


@dataclass(frozen=True)
class Deal:
    """The reported deal terms the models read, typed."""

    seller: str
    buyer: str
    monthly_payment_usd: float
    start_date: dt.date
    end_date: dt.date
    headline_reported_usd: float
    headline_alt_reported_usd: float | None
    lock_in_months: int
    notice_days: int


def deal(inputs: Inputs) -> Deal:
    """The deal terms of ``inputs`` as a typed record."""
    alt = inputs.term("headline_value_alt_usd") if "headline_value_alt_usd" in inputs.terms else None
    return Deal(inputs.term("seller"), inputs.term("buyer"), float(inputs.term("monthly_payment_usd")), inputs.term("start_date"),
                inputs.term("end_date"), float(inputs.term("headline_value_usd")), None if alt is None else float(alt),
                int(inputs.term("lock_in_months")), int(inputs.term("notice_days")))


@dataclass(frozen=True)
class Parameters:
    """One case of the assumption register, typed (units in the names; rates annual effective decimals)."""

    discount_rate: float
    notice_earliest_month: int
    payment_timing_months: int
    ramp_months: int
    ramp_fee_share: float
    contract_price_usd_per_gpu_hour: float
    billed_utilization: float
    rack_power_kw: float
    market_price_usd_per_gpu_hour: float
    annual_price_decline: float
    rubin_step_share: float
    rubin_month: int
    market_volatility_annual: float
    mean_reversion_half_life_months: float
    buyer_switching_cost: float
    seller_switching_cost: float
    rack_price_usd: float
    network_storage_share: float
    facility_usd_per_mw: float
    pue: float
    electricity_usd_per_kwh: float
    opex_share_per_year: float
    gpu_life_years: float
    facility_life_years: float
    relet_utilization: float
    relet_downtime_months: int
    debt_rate: float
    equity_hurdle_rate: float
    debt_share: float
    monthly_burn_usd: float
    talks_round_closes: float
    raise_failure_probability: float
    months_per_raise: float
    background_annual_default: float

    @property
    def cost_of_capital(self) -> float:
        """SpaceX's weighted cost of capital for the capacity: debt share × debt rate + equity share × equity hurdle."""
        return self.debt_share * self.debt_rate + (1.0 - self.debt_share) * self.equity_hurdle_rate


PARAMETER_IDS: Mapping[str, str] = {
    "discount_rate": "finance.discount_rate",
    "notice_earliest_month": "deal.notice_earliest_month",
    "payment_timing_months": "deal.payment_timing_months",
    "ramp_months": "deal.ramp_months",
    "ramp_fee_share": "deal.ramp_fee_share",
    "contract_price_usd_per_gpu_hour": "pricing.contract_price_usd_per_gpu_hour",
    "billed_utilization": "pricing.billed_utilization",
    "rack_power_kw": "pricing.rack_power_kw",
    "market_price_usd_per_gpu_hour": "pricing.market_price_usd_per_gpu_hour",
    "annual_price_decline": "pricing.annual_price_decline",
    "rubin_step_share": "pricing.rubin_step_share",
    "rubin_month": "pricing.rubin_month",
    "market_volatility_annual": "termination.market_volatility_annual",
    "mean_reversion_half_life_months": "termination.mean_reversion_half_life_months",
    "buyer_switching_cost": "termination.buyer_switching_cost",
    "seller_switching_cost": "termination.seller_switching_cost",
    "rack_price_usd": "capex.rack_price_usd",
    "network_storage_share": "capex.network_storage_share",
    "facility_usd_per_mw": "capex.facility_usd_per_mw",
    "pue": "capex.pue",
    "electricity_usd_per_kwh": "capex.electricity_usd_per_kwh",
    "opex_share_per_year": "capex.opex_share_per_year",
    "gpu_life_years": "capex.gpu_life_years",
    "facility_life_years": "capex.facility_life_years",
    "relet_utilization": "capex.relet_utilization",
    "relet_downtime_months": "termination.relet_downtime_months",
    "debt_rate": "finance.debt_rate",
    "equity_hurdle_rate": "finance.equity_hurdle_rate",
    "debt_share": "finance.debt_share",
    "monthly_burn_usd": "credit.monthly_burn_usd",
    "talks_round_closes": "credit.talks_round_closes",
    "raise_failure_probability": "credit.raise_failure_probability",
    "months_per_raise": "credit.months_per_raise",
    "background_annual_default": "credit.background_annual_default",
}
"""Each Parameters field and the register entry it reads."""

_WHOLE = {name for name, f in Parameters.__dataclass_fields__.items() if f.type == "int"}


def parameters(inputs: Inputs, case: str = "base") -> Parameters:
    """Every register entry the models read, at its ``case`` value ('low', 'base' or 'high')."""
    values: dict[str, float | int] = {}
    for name, rid in PARAMETER_IDS.items():
        value = inputs.assumption(rid, case)
        values[name] = int(value) if name in _WHOLE else float(value)
    return Parameters(**values)  # type: ignore[arg-type]


REQUIRED_SPECS: tuple[tuple[str, str], ...] = (("GB300", "bf16_dense_tflops"), ("B300", "bf16_dense_tflops"),
                                               ("GB200", "bf16_dense_tflops"), ("H100", "bf16_dense_tflops"),
                                               ("GB300 NVL72", "gpus_per_rack"))
REQUIRED_COMPANY_FIGURES: tuple[str, ...] = (
    "spacex_ai_capex_2025_usd", "spacex_ai_revenue_2025_usd", "colossus2_target_gpus", "colossus2_power_mw",
    "reflection_raised_2025_usd", "reflection_valuation_2025_usd", "reflection_raise_talks_2026_usd",
    "reflection_valuation_talks_2026_usd")
SCENARIO_DIR: Path = REPOSITORY / "scenarios"
"""The shipped coherent scenarios (bear and bull what-if files) the sensitivity chapter runs."""
SPACEX_TENANTS: tuple[str, ...] = ("spacex_anthropic", "spacex_google")
"""SpaceX's other disclosed compute tenants in data/comparable_deals.csv (the Colossus 1 sensitivity row excluded)."""


# --------------------------------------------------------------------------------------------
# The contract: schedule, present values, clause


@dataclass(frozen=True)
class CashflowModel:
    """The payment schedule, its cumulative present values at the discount rate, and the termination clause."""

    schedule: contract.Schedule
    pv_by_month: np.ndarray
    clause: termination.Clause
    clause_alt: termination.Clause
    rate: float

    @property
    def amounts_usd(self) -> np.ndarray:
        """Payment in each month of the term."""
        return self.schedule.amounts_usd


def cashflow_model(terms: Deal, params: Parameters, rate: float | None = None, alt_notice_earliest_month: int | None = None) -> CashflowModel:
    """The schedule, cumulative XNPV by month at ``rate`` (default: the discount rate) and the clause under both readings.

    ``alt_notice_earliest_month`` is the other reading of the clause (default: notice from the start, month 0).
    """
    rate = params.discount_rate if rate is None else rate
    sched = contract.schedule(terms.monthly_payment_usd, terms.start_date, terms.end_date, params.payment_timing_months,
                              params.ramp_months, params.ramp_fee_share)
    factors = finance.dated_discount_factors(rate, list(sched.payment_dates), terms.start_date)
    notice = contract.notice_months(terms.notice_days)
    clause = termination.Clause(sched.months, terms.lock_in_months, notice, params.notice_earliest_month)
    alt = 0 if alt_notice_earliest_month is None else alt_notice_earliest_month
    clause_alt = termination.Clause(sched.months, terms.lock_in_months, notice, alt)
    return CashflowModel(sched, np.cumsum(sched.amounts_usd * factors), clause, clause_alt, float(rate))


def pv_tables(terms: Deal, params: Parameters, rates: np.ndarray) -> np.ndarray:
    """Cumulative present value by month at each of ``rates`` (shape (K, T))."""
    sched = contract.schedule(terms.monthly_payment_usd, terms.start_date, terms.end_date, params.payment_timing_months,
                              params.ramp_months, params.ramp_fee_share)
    return np.cumsum(sched.amounts_usd * finance.dated_discount_factors(rates, list(sched.payment_dates), terms.start_date), axis=-1)


# --------------------------------------------------------------------------------------------
# The market


@dataclass(frozen=True)
class MarketModel:
    """The price evidence: observations, the two trend estimates, per-generation fits and the GB300 price range."""

    observations: pd.DataFrame  # every price, with usd_per_gpu_hour
    in_fit: pd.DataFrame  # the rows the panel uses
    launches: Mapping[str, dt.date]
    hedonic: trends.HedonicFit
    repeat: trends.TrendFit
    by_generation: pd.DataFrame
    evidence: pd.DataFrame  # GB300 committed-capacity price at the start: one row per piece of evidence

    @property
    def evidence_range(self) -> tuple[float, float, float]:
        """(lowest, median, highest) GB300-equivalent price across the evidence, USD per GPU-hour."""
        prices = self.evidence["usd_per_gpu_hour"]
        return float(prices.min()), float(prices.median()), float(prices.max())


EVIDENCE_KIND: str = "reserved (12 months or less)"
"""The panel's estimate that enters the GB300 evidence: a one-year reservation at a neocloud, at the start."""
EVIDENCE_GENERATIONS: tuple[str, ...] = ("GB200", "B300")
"""Generations whose panel estimate, scaled to GB300's throughput, stands in for GB300 (no GB300 rental is posted)."""


def launches(inputs: Inputs) -> dict[str, dt.date]:
    """Each generation's first availability (data/gpu_launches.csv)."""
    return {str(g): d.date() for g, d in zip(inputs.gpu_launches["gpu"], inputs.gpu_launches["first_available"], strict=True)}


def throughput_ratio(inputs: Inputs, gpu: str) -> float:
    """GB300 ÷ ``gpu`` dense BF16 throughput: the factor that turns a price for ``gpu`` into a GB300-equivalent one."""
    return inputs.spec("GB300", "bf16_dense_tflops") / inputs.spec(gpu, "bf16_dense_tflops")


def market_evidence(inputs: Inputs, hedonic: trends.HedonicFit, start_date: dt.date) -> pd.DataFrame:
    """What GB300 capacity on a committed multi-month term costs at the contract start, from every source we have.

    Contract prices implied by the GB300 deals that disclose value, term and GPUs; posted multi-year reservations
    of Blackwell capacity; and the panel's one-year reserved price of GB200 and B300 at the start. Prices for
    other generations are scaled to GB300 by dense BF16 throughput.
    """
    rows = []
    deals = pricing.comparable_implied_prices(inputs.comparable_deals)
    for deal in deals[(deals["gpu"] == "GB300") & deals["usd_per_gpu_hour"].notna()].itertuples(index=False):
        rows.append({"evidence": f"{deal.buyer}–{deal.seller} contract", "kind": "contract", "term_months": float(deal.term_months),
                     "gpu": "GB300", "usd_per_gpu_hour_quoted": float(deal.usd_per_gpu_hour), "source": deal.source_id})
    prices = inputs.gpu_prices
    posted = prices[(prices["price_kind"] == "reserved") & (prices["term_months"].astype(float) > 12)
                    & prices["gpu"].isin(("B300", "GB300", "GB200"))]
    for row in posted.itertuples(index=False):
        rows.append({"evidence": f"{row.provider}, {int(row.term_months)}-month reservation", "kind": "posted reservation",
                     "term_months": float(row.term_months), "gpu": row.gpu, "usd_per_gpu_hour_quoted": float(row.usd_per_gpu_hour),
                     "source": row.source_id})
    for gpu in EVIDENCE_GENERATIONS:
        rows.append({"evidence": f"Panel estimate: {gpu}, one-year reservation at a neocloud, at the start", "kind": "panel estimate",
                     "term_months": 12.0, "gpu": gpu,
                     "usd_per_gpu_hour_quoted": hedonic.predict_usd_per_gpu_hour(gpu, EVIDENCE_KIND, "neocloud", start_date),
                     "source": "model"})
    frame = pd.DataFrame(rows)
    frame["throughput_ratio"] = [throughput_ratio(inputs, g) for g in frame["gpu"]]
    frame["usd_per_gpu_hour"] = frame["usd_per_gpu_hour_quoted"] * frame["throughput_ratio"]
    return frame


def market_model(inputs: Inputs, start_date: dt.date) -> MarketModel:
    """Fit the repeat-price and hedonic trends, each generation's own trend, and assemble the GB300 price evidence."""
    observations = inputs.gpu_prices
    in_fit = observations[(observations["in_fit"] == "yes") & (observations["price_kind"] != "transaction")]
    first = launches(inputs)
    hedonic = trends.hedonic_trend(in_fit, first, start_date)
    repeat = trends.repeat_price_trend(observations, start_date)
    by_generation = trends.trend_by_generation(in_fit, first, start_date)
    return MarketModel(observations, in_fit, first, hedonic, repeat, by_generation, market_evidence(inputs, hedonic, start_date))


def step_month(params: Parameters) -> int:
    """Index j (month-end, 0 = the start) from which the price level is stepped down: the start of contract month
    ``rubin_month``, so that month's price and every later one reflect the next generation."""
    return max(int(params.rubin_month) - 1, 0)


def market_path(params: Parameters, months: int) -> np.ndarray:
    """The market's median price for GB300 capacity, months 0..``months`` − 1: decline and the next-generation step."""
    process = prices.random_walk(params.market_price_usd_per_gpu_hour, params.annual_price_decline, 0.0, months,
                                 params.rubin_step_share, step_month(params))
    return process.median_path()[:months]


def market_inputs(params: Parameters, **overrides: float) -> termination.MarketInputs:
    """The myopic market-driven termination inputs (keyword overrides for sensitivities).

    A side leaves when this month's price makes leaving pay: the buyer when replacement capacity, at
    (1 + its friction) × market, is cheaper than the contract; the seller when re-leasing, at re-let utilization ×
    (1 − its discount) × market, earns more.
    """
    values = {
        "contract_price_usd_per_gpu_hour": params.contract_price_usd_per_gpu_hour,
        "market_price_usd_per_gpu_hour": params.market_price_usd_per_gpu_hour,
        "annual_decline": params.annual_price_decline,
        "annual_volatility": params.market_volatility_annual,
        "buyer_switching_cost": params.buyer_switching_cost,
        "seller_switching_cost": params.seller_switching_cost,
        "relet_utilization": params.relet_utilization,
        "step_share": params.rubin_step_share,
        "step_month": float(step_month(params)),
    }
    values.update(overrides)
    return termination.MarketInputs(**values)


def simulate(params: Parameters, cash: CashflowModel, n_paths: int = MC_PATHS, seed: int = MC_SEED,
             **overrides: float) -> termination.MarketOutcome:
    """The myopic market-driven Monte Carlo with a fixed seed (keyword overrides of the market inputs)."""
    return termination.simulate_market_termination(
        np.random.default_rng(seed), n_paths, market_inputs(params, **overrides), cash.clause, cash.pv_by_month, cash.amounts_usd)


# --------------------------------------------------------------------------------------------
# The seller


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
    it_kw_per_gpu: float
    gpus_per_rack: float


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
    other_monthly = p.opex_share_per_year * parts["total_usd"] / 12.0
    months = cash.clause.term_months
    life_months = max(round(12 * p.gpu_life_years) - months, 0)
    path = market_path(p, months + life_months)
    relet = capex.relet_revenue_usd(gpus, path[:months], p.relet_utilization)
    it_residual = capex.residual_value_usd(gpus, path[months:], p.relet_utilization, power_monthly + other_monthly,
                                           float(finance.annual_to_monthly(p.cost_of_capital)))
    residual = it_residual + gpus * float(capex.book_value_usd(parts["facility_usd"], p.facility_life_years, months / 12.0))
    tco = {k: float(v) for k, v in capex.tco_usd_per_gpu_hour(parts["total_usd"], p.gpu_life_years, p.cost_of_capital, kw,
                                                               p.pue, p.electricity_usd_per_kwh, p.opex_share_per_year,
                                                               p.billed_utilization).items()}
    return SellerModel(gpus, parts, parts["total_usd"], gpus * parts["total_usd"], gpus * (power_monthly + other_monthly),
                       relet, residual, it_residual, tco, kw, per_rack)


def seller_flows(seller: SellerModel, cash: CashflowModel, end_months: np.ndarray) -> np.ndarray:
    """The seller's monthly cash flows (months 0..term) for contracts ending at each of ``end_months``."""
    return capex.seller_cash_flows(seller.dedicated_capex_usd, cash.amounts_usd, end_months, cash.clause.term_months,
                                   seller.relet_monthly_usd, seller.operating_monthly_usd, seller.residual_usd)


# --------------------------------------------------------------------------------------------
# The buyer's credit


@dataclass(frozen=True)
class CreditModel:
    """Reflection's funding, runway and the default hazard they imply over the term."""

    rounds: pd.DataFrame  # Reflection's rows of data/funding_rounds.csv
    raised_usd: float  # closed rounds
    talks_usd: float  # rounds reported in talks before the start
    months_since_last_round: float
    without_talks: credit.Runway
    with_talks: credit.Runway
    survival: np.ndarray  # probability the buyer still pays in months 1..T (the mixture over the two funding cases)
    hazard: np.ndarray
    survival_without_talks: np.ndarray
    survival_with_talks: np.ndarray

    @property
    def prob_default_by_term(self) -> float:
        """Probability the buyer defaults before the last payment month."""
        return float(1.0 - self.survival[-1])


BUYER: str = "Reflection AI"
"""The company whose rounds in data/funding_rounds.csv fund the contract."""


@dataclass(frozen=True)
class Funding:
    """Reflection's rounds before the contract start: closed, in talks, and months since the last closed one."""

    rounds: pd.DataFrame
    raised_usd: float
    talks_usd: float
    months_since_last_round: float


def funding(inputs: Inputs, start_date: dt.date) -> Funding:
    """The buyer's funding before ``start_date`` from data/funding_rounds.csv."""
    rounds = inputs.funding_rounds[inputs.funding_rounds["company"] == BUYER]
    before = rounds[rounds["date"] <= pd.Timestamp(start_date)]
    closed = before[before["status"] == "closed"]
    last = closed["date"].max()
    months = 0.0 if pd.isna(last) else float(years_between_dates(last.date(), start_date) * 12)
    return Funding(rounds, float(closed["amount_usd"].sum()), float(before[before["status"] == "in_talks"]["amount_usd"].sum()), months)


def credit_model(inputs: Inputs, params: Parameters, terms: Deal, term_months: int, money: Funding | None = None) -> CreditModel:
    """Reflection's cash at the start, its runway with and without the round in talks, and the survival curve.

    Cash at the start is what its closed rounds raised less its non-contract burn since the latest of them
    (earlier money is taken as spent by then); from the start it also pays the contract. ``money`` passes the
    funding already read (for repeated evaluations).
    """
    money = funding(inputs, terms.start_date) if money is None else money
    without = credit.runway(money.raised_usd, money.months_since_last_round, params.monthly_burn_usd, terms.monthly_payment_usd)
    with_talks = credit.runway(money.raised_usd + money.talks_usd, money.months_since_last_round, params.monthly_burn_usd,
                               terms.monthly_payment_usd)
    q = params.talks_round_closes if money.talks_usd > 0 else 0.0

    def curve(runways: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return credit.survival(term_months, runways, weights, params.months_per_raise, params.raise_failure_probability,
                               params.background_annual_default)

    survival = curve(np.array([without.months, with_talks.months]), np.array([1.0 - q, q]))
    return CreditModel(money.rounds, money.raised_usd, money.talks_usd, money.months_since_last_round, without, with_talks, survival,
                       credit.monthly_hazard(survival), curve(np.array([without.months]), np.array([1.0])),
                       curve(np.array([with_talks.months]), np.array([1.0])))


def years_between_dates(start: dt.date, end: dt.date) -> float:
    """Years (Actual/365) from ``start`` to ``end``."""
    return (end - start).days / DAYS_PER_YEAR


# --------------------------------------------------------------------------------------------
# Preconditions: what `python -m analysis check` verifies beyond the tables


def preconditions(inputs: Inputs) -> list[Problem]:
    """Every reason the models could not be assembled from ``inputs``, as problems naming the file and field.

    Checks the register entries, specification rows, company figures and tenant deals the models read; that the
    notice period fits within the term; that the price model can be fitted and can price the comparator; and
    that the models assemble at the low, base and high case of every register entry.
    """
    problems = [Problem("data/assumptions.csv", None, rid, "id", "(missing)", f"an entry the models read (Parameters.{name})")
                for name, rid in PARAMETER_IDS.items() if rid not in inputs.assumptions]
    problems += [Problem("data/gpu_specs.csv", None, gpu, "metric", "(missing)", f"a row for {gpu} {metric}")
                 for gpu, metric in REQUIRED_SPECS
                 if inputs.gpu_specs[(inputs.gpu_specs["gpu"] == gpu) & (inputs.gpu_specs["metric"] == metric)].empty]
    known = set(inputs.company_figures["id"])
    problems += [Problem("data/company_figures.csv", None, fid, "id", "(missing)", "a figure the strategy chapter reads")
                 for fid in REQUIRED_COMPANY_FIGURES if fid not in known]
    deals = set(inputs.comparable_deals["deal_id"])
    problems += [Problem("data/comparable_deals.csv", None, d, "deal_id", "(missing)", "a row for SpaceX's other tenant")
                 for d in SPACEX_TENANTS if d not in deals]
    if problems:
        return problems
    terms = deal(inputs)
    months = contract.term_months(terms.start_date, terms.end_date)
    notice = contract.notice_months(terms.notice_days)
    if terms.lock_in_months >= months:
        problems.append(Problem("data/deal_terms.csv", None, "lock_in_months", "value", terms.lock_in_months,
                                f"an initial period shorter than the term ({months} months)"))
    if notice >= months:
        problems.append(Problem("data/deal_terms.csv", None, "notice_days", "value", terms.notice_days,
                                f"a notice period shorter than the term ({months} months, about {int(months * 30.4)} days)"))
    implied = terms.monthly_payment_usd * months
    note = inputs.terms["headline_value_usd"].note.lower()
    if abs(terms.headline_reported_usd - implied) > 0.005 * implied and not ("disagree" in note or "differs" in note):
        problems.append(Problem("data/deal_terms.csv", None, "headline_value_usd", "value", terms.headline_reported_usd,
                                f"the monthly payment × {months} months = {implied:,.0f}, or a note recording the disagreement "
                                "(with the word 'disagree' or 'differs')"))
    if problems:
        return problems
    try:
        market_model(inputs, terms.start_date)
    except InputError as exc:
        return [Problem("data/gpu_prices.csv", None, None, "in_fit", exc.value,
                        f"in-fit observations that fit the price panel and price GB300 ({exc.expected}); the evidence needs "
                        f"in-fit {' and '.join(EVIDENCE_GENERATIONS)} prices including a reservation")]
    for name in ("bear", "bull"):
        path = SCENARIO_DIR / f"{name}.csv"
        try:
            apply_overrides(path, inputs.assumptions)
        except TableError as exc:
            problems.extend(exc.problems)
    for rid, entry in inputs.assumptions.items():
        for case in CASES:
            if rid not in PARAMETER_IDS.values() and case != "base":
                continue
            single = dataclasses.replace(parameters(inputs), **{n: parameters(inputs, case).__dict__[n]
                                                                for n, r in PARAMETER_IDS.items() if r == rid})
            try:
                cash = cashflow_model(terms, single)
                seller_model(inputs, single, cash)
                market_inputs(single)
            except InputError as exc:
                problems.append(Problem("data/assumptions.csv", None, rid, case, entry.value(case),
                                        f"a value the models accept ({exc})"))
    return problems


def check(inputs: Inputs) -> None:
    """Raise TableError listing every precondition that fails (see ``preconditions``)."""
    problems = preconditions(inputs)
    if problems:
        raise TableError(problems)


def parameters_with(params: Parameters, values: Mapping[str, float]) -> Parameters:
    """A copy of ``params`` with register entries (by id) set to ``values`` (whole-month fields rounded)."""
    fields = {rid: name for name, rid in PARAMETER_IDS.items()}
    updates: dict[str, float | int] = {}
    for rid, value in values.items():
        if rid not in fields:
            raise InputError("parameters_with", "id", rid, "a register entry the models read")
        name = fields[rid]
        updates[name] = round(value) if name in _WHOLE else float(value)
    return dataclasses.replace(params, **updates)  # type: ignore[arg-type]
