"""The key-figures registry: every number the book cites, with a stable id, its unit and its derivation.

Figures are read off one computed :class:`~analysis.results.Results`; nothing here runs a model. Notebooks
glue from here and nowhere else, so a number in the prose, the command line (``python -m analysis
key-figures``) and the briefing pack are one and the same. A derivation names the register entries, data
files, key figures (by id) and package functions (``module.function``) a number comes from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import assembly, sensitivity, valuation
from .conventions import HOURS_PER_MONTH, HOURS_PER_YEAR
from .core import capex, contract, finance, pricing, trends
from .formatting import format_value
from .inputs import Inputs
from .results import Results


@dataclass(frozen=True)
class KeyFigure:
    """One cited number: id, label, value in ``unit``, how it was derived and which chapter uses it."""

    id: str
    label: str
    value: float | int | str
    unit: str
    derivation: str
    chapter: str

    @property
    def formatted(self) -> str:
        """The value as the book writes it."""
        return format_value(self.value, self.unit)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON/CSV export."""
        return {"id": self.id, "label": self.label, "value": self.value, "unit": self.unit, "formatted": self.formatted,
                "derivation": self.derivation, "chapter": self.chapter}


class KeyFigures(Mapping[str, KeyFigure]):
    """An ordered, read-only collection of key figures indexed by id, with the assumption set they were computed under."""

    def __init__(self, figures: list[KeyFigure], assumption_set: str = "", assumption_hash: str = "") -> None:
        self._figures: dict[str, KeyFigure] = {}
        self.assumption_set = assumption_set
        self.assumption_hash = assumption_hash
        for figure in figures:
            if figure.id in self._figures:
                raise ValueError(f"key figures: id {figure.id!r} is defined twice")
            self._figures[figure.id] = figure

    def __getitem__(self, key: str) -> KeyFigure:
        if key not in self._figures:
            raise KeyError(f"no key figure with id {key!r}")
        return self._figures[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)

    def value(self, key: str) -> float | int | str:
        """The raw value of figure ``key``."""
        return self[key].value

    def number(self, key: str) -> float:
        """The value of figure ``key`` as a float (an error for a text figure)."""
        value = self[key].value
        if isinstance(value, str):
            raise TypeError(f"key figure {key!r} is text ({value!r}), not a number")
        return float(value)


def plain(value: Any) -> float | int | str:
    """Convert numpy scalars and dates to plain Python types (glue and JSON need them)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return float(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"key figure value {value!r} is not a plain number, date or text")


def _args(kwargs: Mapping[str, Any]) -> str:
    def short(v: Any) -> str:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, np.ndarray):
            return f"array(shape={v.shape})"
        if hasattr(v, "__dataclass_fields__"):
            return type(v).__name__
        return repr(plain(v)) if not isinstance(v, str) else repr(v)

    return ", ".join(f"{k}={short(v)}" for k, v in kwargs.items())


def derived(fn: Callable[..., Any], **kwargs: Any) -> tuple[Any, str]:
    """Call ``fn(**kwargs)`` and describe the call, e.g. 'contract.term_months(start_date=2026-07-01, ...)'."""
    return fn(**kwargs), f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}({_args(kwargs)})"


class _Chapter(list):
    """A chapter's key figures as they are defined: ``add`` converts the value to a plain type."""

    def __init__(self, chapter: str, inputs: Inputs) -> None:
        super().__init__()
        self.chapter = chapter
        self.inputs = inputs

    def add(self, fid: str, label: str, value: Any, unit: str, derivation: str) -> None:
        """Define figure ``fid`` of this chapter."""
        self.append(KeyFigure(fid, label, plain(value), unit, derivation, self.chapter))

    def register(self, rid: str, case: str = "base") -> str:
        """Where a register value comes from: the register, or the what-if file that overrode it."""
        entry = self.inputs.assumptions[rid]
        if entry.override_note:
            return f"{self.inputs.assumption_set} overrides data/assumptions.csv: {rid} ({case} case; {entry.override_note})"
        return f"data/assumptions.csv: {rid} ({case} case)"

    def term(self, term_id: str) -> str:
        """Where a deal term comes from: the file, the term and its sources."""
        return f"data/deal_terms.csv: {term_id} (sources: {', '.join(self.inputs.terms[term_id].source_ids)})"


# --------------------------------------------------------------------------------------------
# The deal


def deal_figures(r: Results) -> list[KeyFigure]:
    """Figures of the chapter 'The deal': the terms, the headline and the committed minimum under both readings."""
    f = _Chapter("deal", r.inputs)
    add = f.add
    d, sched = r.deal, r.cash.schedule
    add("deal.monthly_payment_usd", "Monthly payment", d.monthly_payment_usd, "usd_per_month", f.term("monthly_payment_usd"))
    add("deal.start_date", "First payment month", d.start_date, "date", f.term("start_date"))
    add("deal.end_date", "Contract end", d.end_date, "date", f.term("end_date"))
    months, how = derived(contract.term_months, start_date=d.start_date, end_date=d.end_date)
    add("deal.term_months", "Monthly payments if run to term", months, "months", how)
    add("deal.headline_value_usd", "Headline value: every payment to term", sched.headline_usd, "usd",
        "contract.Schedule.headline_usd (the sum of the payment schedule)")
    add("deal.headline_value_reported_usd", "Headline value as reported", d.headline_reported_usd, "usd", f.term("headline_value_usd"))
    if d.headline_alt_reported_usd is not None:
        alt = d.headline_alt_reported_usd
        add("deal.headline_value_alt_reported_usd", "Lower total in one report", alt, "usd", f.term("headline_value_alt_usd"))
        alt_months = alt / d.monthly_payment_usd
        add("deal.term_months_alt_implied", "Months the lower total implies", alt_months, "count",
            "deal.headline_value_alt_reported_usd ÷ deal.monthly_payment_usd")
        if alt_months == int(alt_months):
            last, how = derived(contract.last_payment_date, start_date=d.start_date, months=int(alt_months))
            add("deal.end_month_alt_implied", "Last payment month the lower total implies", last, "month", how)
    add("deal.lock_in_months", "Initial period before termination is allowed", d.lock_in_months, "months", f.term("lock_in_months"))
    add("deal.notice_days", "Notice period", d.notice_days, "days", f.term("notice_days"))
    notice, how = derived(contract.notice_months, notice_days=d.notice_days)
    add("deal.notice_months", "Notice period in billing months", notice, "months", how)
    readings = (("", r.cash.clause, "base", "model's reading: notice only after the initial period"),
                ("_alt", r.cash.clause_alt, "low", "other reading: notice may be served during the initial period"))
    for suffix, clause, case, words in readings:
        committed = clause.committed_months
        add(f"deal.committed_months{suffix}", f"Committed months ({words})", committed, "months",
            f"termination.Clause.committed_months; {f.register('deal.notice_earliest_month', case)}")
        add(f"deal.committed_minimum{suffix}_usd", f"Committed minimum ({words})", sched.paid_through_usd(committed), "usd",
            f"contract.Schedule.paid_through_usd(deal.committed_months{suffix})")
        add(f"deal.committed_share{suffix}", f"Committed minimum as a share of the headline ({words})",
            sched.paid_through_usd(committed) / sched.headline_usd, "ratio_percent",
            f"deal.committed_minimum{suffix}_usd ÷ deal.headline_value_usd")
        add(f"deal.headline_to_committed{suffix}_multiple", f"Headline ÷ committed minimum ({words})",
            sched.headline_usd / sched.paid_through_usd(committed), "multiple",
            f"deal.headline_value_usd ÷ deal.committed_minimum{suffix}_usd")
    return f


# --------------------------------------------------------------------------------------------
# Pricing


def pricing_figures(r: Results) -> list[KeyFigure]:
    """Figures of 'Compute pricing': implied capacity, the price trends and whether the data identify them, the GB300
    price evidence and range, the next generation's step, and where the contract price sits."""
    f = _Chapter("pricing", r.inputs)
    add = f.add
    inputs, p, model = r.inputs, r.params, r.market
    monthly = r.deal.monthly_payment_usd
    price = {case: inputs.assumption("pricing.contract_price_usd_per_gpu_hour", case) for case in ("low", "base", "high")}
    add("pricing.contract_price_usd_per_gpu_hour", "Assumed contract price per GB300 GPU-hour (base case)", price["base"],
        "usd_per_gpu_hour", f.register("pricing.contract_price_usd_per_gpu_hour"))
    add("pricing.contract_price_low_usd_per_gpu_hour", "Assumed contract price (low case)", price["low"], "usd_per_gpu_hour",
        f.register("pricing.contract_price_usd_per_gpu_hour", "low"))
    add("pricing.contract_price_high_usd_per_gpu_hour", "Assumed contract price (high case)", price["high"], "usd_per_gpu_hour",
        f.register("pricing.contract_price_usd_per_gpu_hour", "high"))
    gpus, how = derived(pricing.implied_gpus, monthly_payment_usd=monthly, price_usd_per_gpu_hour=price["base"],
                        billed_utilization=p.billed_utilization)
    add("pricing.implied_gpus", "GB300 GPUs the payment reserves at the base price", float(gpus), "count_round", how)
    for fid, case, words in (("pricing.implied_gpus_max", "low", "at the low price"), ("pricing.implied_gpus_min", "high", "at the high price")):
        value, how = derived(pricing.implied_gpus, monthly_payment_usd=monthly, price_usd_per_gpu_hour=price[case],
                             billed_utilization=p.billed_utilization)
        add(fid, f"GB300 GPUs the payment reserves {words}", float(value), "count_round", how)
    racks, how = derived(pricing.implied_racks, gpus=float(gpus), gpus_per_rack=r.seller.gpus_per_rack)
    add("pricing.implied_racks", "GB300 NVL72 racks at the base price", float(racks), "count_round", how)
    mw, how = derived(pricing.implied_it_mw, gpus=float(gpus), gpus_per_rack=r.seller.gpus_per_rack, rack_power_kw=p.rack_power_kw)
    add("pricing.implied_it_mw", "Megawatts of IT load at the base price", float(mw), "mw", how)
    add("pricing.billed_utilization", "Share of reserved GPU-hours billed (base case)", p.billed_utilization, "ratio_percent_whole",
        f.register("pricing.billed_utilization"))
    add("pricing.rack_power_kw", "IT power per GB300 NVL72 rack (base case)", p.rack_power_kw, "kw", f.register("pricing.rack_power_kw"))

    hedonic, repeat = model.hedonic.trend, model.repeat
    add("pricing.annual_price_decline", "Annual change in a generation's rental price as it ages, hedonic panel (negative = rising)",
        hedonic.annual_decline, "decline_words", f"trends.hedonic_trend({hedonic.n_obs} in-fit prices, {hedonic.n_groups} generations)")
    add("pricing.annual_price_decline_identified", "Whether the rental data identify the hedonic panel's trend",
        "identified" if hedonic.identified else "not identified", "text", f"trends.hedonic_trend: {hedonic.reason}")
    if hedonic.identified:
        lo, hi = hedonic.decline_interval
        add("pricing.annual_price_decline_ci_low", f"Hedonic panel's annual change, lower end of its {hedonic.confidence:.0%} interval", lo,
            "decline_words", "trends.TrendFit.decline_interval")
        add("pricing.annual_price_decline_ci_high", f"Hedonic panel's annual change, upper end of its {hedonic.confidence:.0%} interval", hi,
            "decline_words", "trends.TrendFit.decline_interval")
    add("pricing.repeat_price_decline", "Annual change within like-for-like price series (negative = rising)", repeat.annual_decline,
        "decline_words", f"trends.repeat_price_trend({repeat.n_obs} prices in {repeat.n_groups} series)")
    add("pricing.repeat_price_identified", "Whether the repeat prices identify a trend", "identified" if repeat.identified else "not identified",
        "text", f"trends.repeat_price_trend: {repeat.reason}")
    if repeat.identified:
        lo, hi = repeat.decline_interval
        add("pricing.repeat_price_decline_ci_low", "Repeat-price annual change, lower end of its interval", lo, "decline_words",
            "trends.TrendFit.decline_interval")
        add("pricing.repeat_price_decline_ci_high", "Repeat-price annual change, upper end of its interval", hi, "decline_words",
            "trends.TrendFit.decline_interval")
    add("pricing.repeat_n_series", "Like-for-like series observed at two or more dates", repeat.n_groups, "count",
        "trends.repeat_price_trend: series_id in data/gpu_prices.csv")
    add("pricing.fit_confidence", "Confidence level of the trend intervals", hedonic.confidence, "ratio_percent_whole",
        "trends.hedonic_trend(confidence=...)")
    add("pricing.fit_n_obs", "Price observations in the hedonic panel", hedonic.n_obs, "count",
        "rows of data/gpu_prices.csv with in_fit = yes (transactions excluded)")
    add("pricing.n_obs", "Price observations collected", len(inputs.gpu_prices), "count", "rows of data/gpu_prices.csv")
    add("pricing.obs_first_month", "Earliest price observation in the panel", model.in_fit["date"].min().date(), "month",
        "min(date) of the in-fit observations")
    add("pricing.obs_last_month", "Latest price observation in the panel", model.in_fit["date"].max().date(), "month",
        "max(date) of the in-fit observations")
    add("pricing.identification_max_width", "Widest interval (in annual change) a trend may have and still count as identified",
        trends.MAX_WIDTH, "ratio_percent_whole", "trends.MAX_WIDTH")
    add("pricing.generations_identified", "Generations whose own price trend the data identify",
        int(model.by_generation["identified"].sum()), "count", "trends.trend_by_generation")
    epoch = inputs.published_trends.set_index("trend_id").loc["epoch_ml_gpus"]
    value, how = derived(pricing.annual_decline_from_doubling, doubling_time_years=float(epoch["value"]))
    add("pricing.epoch_ml_gpu_decline", "Annual fall in price per FLOP implied by Epoch's ML-GPU trend", float(value),
        "decline_words", how)

    add("pricing.evidence_count", "Pieces of evidence on what GB300 capacity costs on a committed term", len(model.evidence), "count",
        "assembly.market_evidence")
    for suffix, case, words in (("_low", "low", "lowest"), ("", "base", "median"), ("_high", "high", "highest")):
        add(f"pricing.market_price{suffix}_usd_per_gpu_hour", f"Market price of GB300 capacity at the start ({words} of the evidence)",
            inputs.assumption("pricing.market_price_usd_per_gpu_hour", case), "usd_per_gpu_hour",
            f.register("pricing.market_price_usd_per_gpu_hour", case) + f" = the {words} of assembly.market_evidence")
    add("pricing.gb300_b300_perf_ratio", "GB300 ÷ B300 dense BF16 throughput", assembly.throughput_ratio(inputs, "B300"), "multiple_2",
        "data/gpu_specs.csv: GB300 ÷ B300 bf16_dense_tflops")
    add("pricing.gb300_h100_perf_ratio", "GB300 ÷ H100 dense BF16 throughput", assembly.throughput_ratio(inputs, "H100"), "multiple_2",
        "data/gpu_specs.csv: GB300 ÷ H100 bf16_dense_tflops")
    premium = float(pricing.contract_premium(price["base"], np.array([p.market_price_usd_per_gpu_hour]))[0])
    add("pricing.premium_at_start", "Contract price against the market price at the start", premium,
        "premium_words", "pricing.contract_premium(contract base price, market price at start)")
    contracts = model.evidence[model.evidence["kind"] == "contract"]["usd_per_gpu_hour"]
    gaps = price["base"] / contracts.to_numpy() - 1.0
    words = (f"{100 * gaps.min():.0f}% to {100 * gaps.max():.0f}% above" if gaps.min() > 0 else
             f"between {100 * gaps.min():+.0f}% and {100 * gaps.max():+.0f}% against")
    add("pricing.contract_premium_vs_comparables", "The base contract price against the GB300 contracts that disclose a price",
        f"{words} the {len(gaps)} GB300 contracts that disclose their price", "text",
        "pricing.contract_price_usd_per_gpu_hour ÷ assembly.market_evidence (contracts) − 1")
    add("pricing.contract_price_low_is_lowest_comparable", "The contract-price range reaches down to the lowest GB300 contract price",
        "yes" if abs(price["low"] - float(contracts.min())) < 0.01 else "no", "text",
        "pricing.contract_price_low_usd_per_gpu_hour against assembly.market_evidence")
    add("pricing.assumed_annual_decline", "Assumed annual fall in the median market price between generations (base case)",
        p.annual_price_decline, "decline_words", f.register("pricing.annual_price_decline"))
    add("pricing.rubin_step_share", "Fall in the market price of GB300 capacity when Rubin-class capacity arrives (base case)",
        p.rubin_step_share, "ratio_percent_whole", f.register("pricing.rubin_step_share"))
    for case in ("low", "high"):
        add(f"pricing.rubin_step_share_{case}", f"Fall in the market price when Rubin-class capacity arrives ({case} case)",
            inputs.assumption("pricing.rubin_step_share", case), "ratio_percent_whole", f.register("pricing.rubin_step_share", case))
    add("pricing.rubin_step_month", "Month from which Rubin-class capacity is assumed broadly rentable (base case)",
        contract.last_payment_date(r.deal.start_date, int(p.rubin_month)), "month",
        f.register("pricing.rubin_month") + " counted from deal.start_date")
    path = assembly.market_path(p, r.cash.schedule.months)
    add("pricing.market_price_end_usd_per_gpu_hour", "Median market price of GB300 capacity in the last month (base case)",
        float(path[-1]), "usd_per_gpu_hour", "assembly.market_path: decline and Rubin step from the market price at the start")
    add("pricing.premium_at_end", "Contract price against the median market price in the last month", float(
        pricing.contract_premium(price["base"], path[-1:])[0]), "premium_words", "pricing.contract_premium at the last month")
    deals = pricing.comparable_implied_prices(inputs.comparable_deals)
    for row in deals.itertuples(index=False):
        if np.isfinite(row.usd_per_gpu_hour):
            add(f"pricing.comparable.{row.deal_id}_usd_per_gpu_hour", f"Implied price per GPU-hour: {row.buyer}–{row.seller}",
                row.usd_per_gpu_hour, "usd_per_gpu_hour", f"pricing.comparable_implied_prices: {row.basis}")
    return f


# --------------------------------------------------------------------------------------------
# Cash flows


def cashflow_figures(r: Results) -> list[KeyFigure]:
    """Figures of 'Cash flows and termination risk': PVs, scenarios, default risk and the market Monte Carlo."""
    f = _Chapter("cashflow", r.inputs)
    add = f.add
    rate, clause, table = r.cash.rate, r.cash.clause, r.cash.pv_by_month
    headline = r.cash.schedule.headline_usd
    add("finance.discount_rate", "Discount rate (base case)", rate, "rate_annual", f.register("finance.discount_rate"))
    xnpv_how = (f"finance.dated_discount_factors(rate={rate:g}, contract.Schedule.payment_dates, valued at the start date; "
                "Actual/365)")
    add("cashflow.npv_full_term_usd", "Present value if run to term", table[-1], "usd", xnpv_how)
    add("cashflow.npv_committed_minimum_usd", "Present value of the committed minimum (model's reading)",
        table[clause.committed_months - 1], "usd", xnpv_how + f", first {clause.committed_months} payments")
    add("cashflow.npv_committed_minimum_alt_usd", "Present value of the committed minimum (other reading)",
        table[r.cash.clause_alt.committed_months - 1], "usd", xnpv_how + f", first {r.cash.clause_alt.committed_months} payments")
    add("cashflow.discount_share_full_term", "Share of the headline lost to discounting, run to term",
        1.0 - table[-1] / headline, "ratio_percent", "1 − cashflow.npv_full_term_usd ÷ deal.headline_value_usd")
    for months in (12, 24):
        add(f"cashflow.pv_{months}_months_usd", f"Present value if the contract ends after {months} months",
            table[months - 1], "usd", f"termination.scenario_values(end_months={months})")
    cred = r.credit
    add("cashflow.prob_default_by_term", "Probability that Reflection defaults before the contract's last month",
        cred.prob_default_by_term, "ratio_percent", "assembly.credit_model: 1 − survival in the last month (credit.survival)")
    add("cashflow.expected_pv_credit_only_usd", "Expected present value if only default can end the contract",
        r.expected_pv_credit_only_usd, "usd", "Σ payment PV × credit survival (assembly.credit_model); no market-driven exits")
    add("cashflow.expected_life_credit_only_months", "Expected paid months if only default can end the contract",
        r.expected_life_credit_only_months, "months_1", "Σ credit survival over the term")
    ex = r.exits
    out = ex.headline
    headline_model = valuation.HEADLINE.label
    mc = (f"valuation.run: {headline_model}; {ex.n_paths:,} paths, policy fitted on {ex.n_fit:,} others, "
          f"seed {valuation.MC_SEED}, {r.assumption_label}")
    add("cashflow.mc_paths", "Monte Carlo paths", ex.n_paths, "count", "valuation.PATHS")
    add("cashflow.fit_paths", "Paths the optimal exercise policy is fitted on", ex.n_fit, "count", "valuation.FIT_PATHS")
    add("cashflow.headline_model", "The model behind the headline expected value", headline_model, "text", "valuation.HEADLINE")
    add("cashflow.expected_pv_usd", f"Expected present value ({headline_model})", out.expected_pv_usd, "usd", mc)
    add("cashflow.prob_full_term", f"Probability the contract runs to term ({headline_model})", out.prob_full_term, "ratio_percent", mc)
    add("cashflow.expected_life_months", f"Expected paid months ({headline_model})", out.expected_life_months, "months_1", mc)
    add("cashflow.expected_pv_p10_usd", f"Present value, 10th percentile of paths ({headline_model})",
        float(np.percentile(out.pv_usd, 10)), "usd", mc)
    add("cashflow.expected_pv_p90_usd", f"Present value, 90th percentile of paths ({headline_model})",
        float(np.percentile(out.pv_usd, 90)), "usd", mc)
    add("cashflow.pv_p50_usd", f"Present value, median of paths ({headline_model})", float(np.percentile(out.pv_usd, 50)), "usd", mc)
    values = [row.expected_pv_usd for row in ex.table]
    add("cashflow.expected_pv_model_min_usd", "Lowest expected present value across the model choices", min(values), "usd",
        "valuation.TABLE: minimum of the 16 model choices' expected present values")
    add("cashflow.expected_pv_model_max_usd", "Highest expected present value across the model choices", max(values), "usd",
        "valuation.TABLE: maximum of the 16 model choices' expected present values")
    revenue = float(np.mean(r.cash.schedule.cumulative_usd[out.end_month - 1]))
    add("cashflow.expected_revenue_usd", f"Expected revenue, undiscounted ({headline_model})", revenue, "usd", mc)
    for code, key in ((1, "buyer"), (2, "seller"), (3, "default")):
        who = {"buyer": "Reflection gives notice", "seller": "SpaceX gives notice", "default": "Reflection defaults"}[key]
        add(f"cashflow.share_ended_by_{key}", f"Share of paths on which {who} ({headline_model})",
            float(np.mean(out.ended_by == code)), "ratio_percent", mc)
    add("cashflow.share_ended_at_first_opportunity", f"Share of paths ending at the earliest date the clause allows ({headline_model})",
        float(np.mean(out.end_month == r.cash.clause.committed_months)), "ratio_percent", mc)
    p = r.params
    add("cashflow.buyer_switching_cost", "Reflection's cost of switching, as a premium on the market price (base case)",
        p.buyer_switching_cost, "ratio_percent", f.register("termination.buyer_switching_cost"))
    add("cashflow.buyer_breakeven_market_price_usd_per_gpu_hour",
        "Market price below which leaving pays Reflection this month: contract price ÷ (1 + switching cost)",
        p.contract_price_usd_per_gpu_hour / (1.0 + p.buyer_switching_cost), "usd_per_gpu_hour",
        "pricing.contract_price_usd_per_gpu_hour ÷ (1 + cashflow.buyer_switching_cost)")
    add("cashflow.market_volatility_annual", "Annual volatility of the log market price (base case)", p.market_volatility_annual,
        "ratio_percent_whole", f.register("termination.market_volatility_annual"))
    add("cashflow.half_life_months", "Half-life of a gap between the market price and its long-run level (base case)",
        p.mean_reversion_half_life_months, "months", f.register("termination.mean_reversion_half_life_months"))
    add("cashflow.expected_pv_share_of_headline", "Expected present value as a share of the headline",
        out.expected_pv_usd / headline, "ratio_percent", "cashflow.expected_pv_usd ÷ deal.headline_value_usd")
    variants = (("cashflow.expected_pv_myopic_usd", dataclasses.replace(valuation.HEADLINE, rule="myopic", credit=False)),
                ("cashflow.expected_pv_optimal_usd", dataclasses.replace(valuation.HEADLINE, credit=False)),
                ("cashflow.expected_pv_buyer_only_usd", dataclasses.replace(valuation.HEADLINE, who="buyer")),
                ("cashflow.expected_pv_random_walk_usd", dataclasses.replace(valuation.HEADLINE, process="random_walk")))
    for fid, choice in variants:
        add(fid, f"Expected present value ({choice.label})", ex.summary(choice).expected_pv_usd, "usd",
            mc.replace(headline_model, choice.label))
    add("cashflow.expected_pv_seller_only_usd", f"Expected present value ({ex.seller_only.choice.label})",
        ex.seller_only.expected_pv_usd, "usd", mc.replace(headline_model, ex.seller_only.choice.label))
    add("cashflow.expected_pv_credit_only_sim_usd", "Expected present value, default the only way out (simulated, as a check)",
        ex.no_exit_credit.expected_pv_usd, "usd", "valuation.run: no market exits, default on the same paths")
    free = "valuation.run with switching costs, re-lease discount and downtime set to zero, re-lease utilization 100%"
    add("cashflow.expected_pv_frictionless_usd", "Expected present value with no frictions (default off)", r.frictionless.expected_pv_usd,
        "usd", free)
    add("cashflow.expected_life_frictionless_months", "Expected paid months with no frictions (default off)",
        r.frictionless.expected_life_months, "months_1", free)
    return f


# --------------------------------------------------------------------------------------------
# Capex


def capex_figures(r: Results) -> list[KeyFigure]:
    """Figures of the chapter 'Capex offset': capex per GPU, TCO, payback, offset ratios, seller IRR, Colossus view."""
    f = _Chapter("capex", r.inputs)
    add = f.add
    inputs, seller, p = r.inputs, r.seller, r.params
    for key, label in (("it_usd", "IT (rack share) per GPU"), ("network_storage_usd", "Networking and storage per GPU"),
                       ("facility_usd", "Facility per GPU")):
        add(f"capex.{key.removesuffix('_usd')}_per_gpu_usd", label, seller.parts_per_gpu[key], "usd",
            "capex.capex_per_gpu_usd(register base values)")
    add("capex.gpus_per_rack", "GPUs per GB300 NVL72 rack", seller.gpus_per_rack, "count", "data/gpu_specs.csv: GB300 NVL72 gpus_per_rack")
    add("capex.rack_price_usd", "Price of a GB300 NVL72 rack (base case)", p.rack_price_usd, "usd", f.register("capex.rack_price_usd"))
    add("capex.facility_usd_per_mw", "Facility capex per MW of IT load (base case)", p.facility_usd_per_mw, "usd",
        f.register("capex.facility_usd_per_mw"))
    add("capex.relet_utilization", "Share of freed capacity re-leased after an early exit (base case)", p.relet_utilization,
        "ratio_percent_whole", f.register("capex.relet_utilization"))
    add("capex.capex_per_gpu_usd", "All-in capex per GB300 GPU", seller.capex_per_gpu_usd, "usd", "capex.capex_per_gpu_usd(...)['total_usd']")
    add("capex.dedicated_capex_usd", "Capex behind the capacity the contract implies", seller.dedicated_capex_usd, "usd",
        "pricing.implied_gpus × capex.capex_per_gpu_usd")
    for key, label in (("capital", "capital"), ("power", "power"), ("other_opex", "other operating costs"), ("total", "total")):
        fid = "capex.tco_usd_per_gpu_hour" if key == "total" else f"capex.tco_{key}_usd_per_gpu_hour"
        add(fid, f"Cost per GPU-hour: {label}", seller.tco[key], "usd_per_gpu_hour",
            "capex.tco_usd_per_gpu_hour(capex per GPU, GPU life, cost of capital, kW, PUE, $/kWh, opex share, billed share)")
    price = p.contract_price_usd_per_gpu_hour
    add("capex.margin_usd_per_gpu_hour", "Contract price less cost per GPU-hour", price - seller.tco["total"], "usd_per_gpu_hour",
        "pricing.contract_price_usd_per_gpu_hour − capex.tco_usd_per_gpu_hour")
    add("capex.margin_share", "Margin as a share of the contract price", 1.0 - seller.tco["total"] / price, "ratio_percent",
        "capex.margin_usd_per_gpu_hour ÷ pricing.contract_price_usd_per_gpu_hour")
    low_price = inputs.assumption("pricing.contract_price_usd_per_gpu_hour", "low")
    add("capex.margin_share_low", "Margin as a share of the contract price, at the low case of the price",
        1.0 - seller.tco["total"] / low_price, "ratio_percent",
        "1 − capex.tco_usd_per_gpu_hour ÷ pricing.contract_price_low_usd_per_gpu_hour")
    add("capex.it_mw_facility", "Facility power of the capacity (IT load × PUE)", seller.gpus * seller.it_kw_per_gpu * p.pue / 1000,
        "mw", "pricing.implied_gpus × kW per GPU × PUE ÷ 1,000")
    add("capex.payback_months", "Payback month if the contract runs to term (−1 = not within the term)",
        int(capex.payback_month(r.full_term_flows)), "crossover_payback", "capex.payback_month(seller cash flows, full term)")
    add("capex.payback_months_committed", "Payback month if the contract ends at the earliest date (−1 = not within the term)",
        int(capex.payback_month(r.committed_flows)), "crossover_payback", "capex.payback_month(seller cash flows, earliest exit)")
    monthly_irr = float(finance.irr(r.full_term_flows))
    add("capex.seller_irr_full_term", "Seller's IRR on the capacity if the contract runs to term (annual)",
        float(finance.monthly_to_annual(monthly_irr)), "rate_annual", "finance.monthly_to_annual(finance.irr(seller cash flows, full term))")
    add("capex.cost_of_capital", "SpaceX's weighted cost of capital for the capacity (base case)", p.cost_of_capital, "rate_annual",
        "assembly.Parameters.cost_of_capital: finance.debt_share × finance.debt_rate + (1 − finance.debt_share) × "
        "finance.equity_hurdle_rate (base cases)")
    add("capex.seller_npv_full_term_usd", "Seller's NPV at its cost of capital, run to term",
        float(finance.npv(finance.annual_to_monthly(p.cost_of_capital), r.full_term_flows)), "usd",
        "finance.npv(monthly cost of capital, seller cash flows)")
    sample = f"the first {r.seller_paths.n_paths:,} Monte Carlo paths' seller cash flows"
    add("capex.seller_irr_median", "Seller's IRR, median across simulated exits (annual)", r.seller_paths.irr_median, "rate_annual",
        f"results.SellerPaths.irr_median over {sample}")
    add("capex.prob_seller_npv_negative", "Share of simulated paths on which the seller's NPV is negative",
        r.seller_paths.prob_npv_negative, "ratio_percent", f"results.SellerPaths.prob_npv_negative over {sample}")
    add("capex.seller_paths", "Paths of the seller's simulation", r.seller_paths.n_paths, "count", "assembly.SELLER_SAMPLE_PATHS")
    add("capex.idle_prob_seller_npv_negative", "Share of simulated paths with a negative seller NPV if freed capacity stays idle",
        r.seller_paths.idle_prob_npv_negative, "ratio_percent", f"results.SellerPaths.idle_prob_npv_negative over {sample}")
    add("capex.idle_seller_irr_median", "Seller's IRR, median across simulated exits, freed capacity idle (annual)",
        r.seller_paths.idle_irr_median, "rate_annual", f"results.SellerPaths.idle_irr_median over {sample}")
    add("capex.base_path_prob_seller_npv_negative",
        "Share of the same paths with a negative seller NPV if freed capacity re-leased at the median price path (the earlier method)",
        r.seller_paths.base_path_prob_npv_negative, "ratio_percent", f"results.SellerPaths.base_path_prob_npv_negative over {sample}")
    add("capex.relet_downtime_months", "Months freed capacity earns nothing before a new tenant pays (base case)",
        p.relet_downtime_months, "months", f.register("termination.relet_downtime_months"))
    dedicated, monthly = seller.dedicated_capex_usd, r.deal.monthly_payment_usd
    sched = r.cash.schedule
    add("capex.offset_share_committed", "Committed minimum revenue ÷ capex behind the capacity",
        sched.paid_through_usd(r.cash.clause.committed_months) / dedicated, "ratio_percent",
        "deal.committed_minimum_usd ÷ capex.dedicated_capex_usd")
    add("capex.offset_share_expected", "Expected contract revenue ÷ capex behind the capacity",
        float(np.mean(r.cash.schedule.cumulative_usd[r.exits.headline.end_month - 1])) / dedicated, "ratio_percent",
        "cashflow.expected_revenue_usd ÷ capex.dedicated_capex_usd")
    add("capex.offset_share_full_term", "Full-term revenue ÷ capex behind the capacity", sched.headline_usd / dedicated, "ratio_percent",
        "deal.headline_value_usd ÷ capex.dedicated_capex_usd")
    ai_capex = inputs.company("spacex_ai_capex_2025_usd")
    add("capex.spacex_ai_capex_2025_usd", "SpaceX AI-segment capex, 2025", ai_capex, "usd", "data/company_figures.csv: spacex_ai_capex_2025_usd")
    add("capex.headline_share_of_ai_capex", "Headline value ÷ SpaceX's 2025 AI-segment capex", sched.headline_usd / ai_capex, "ratio_percent",
        "deal.headline_value_usd ÷ capex.spacex_ai_capex_2025_usd")
    add("capex.annual_revenue_share_of_ai_capex", "A year of payments ÷ SpaceX's 2025 AI-segment capex", monthly * 12 / ai_capex,
        "ratio_percent", "12 × deal.monthly_payment_usd ÷ capex.spacex_ai_capex_2025_usd")
    add("capex.dedicated_share_of_ai_capex", "Capex behind the capacity ÷ SpaceX's 2025 AI-segment capex", dedicated / ai_capex,
        "ratio_percent", "capex.dedicated_capex_usd ÷ capex.spacex_ai_capex_2025_usd")
    target = inputs.company("colossus2_target_gpus")
    add("capex.colossus2_target_gpus", "Planned NVIDIA chips at Colossus 2", target, "count_round", "data/company_figures.csv: colossus2_target_gpus")
    add("capex.share_of_colossus2_target", "The contract's implied GPUs ÷ Colossus 2's planned chips", seller.gpus / target,
        "ratio_percent", "pricing.implied_gpus ÷ capex.colossus2_target_gpus")
    add("capex.colossus2_power_mw", "Power of Colossus 2 at go-live (Musk's post)", inputs.company("colossus2_power_mw"), "mw",
        "data/company_figures.csv: colossus2_power_mw")
    add("capex.share_of_colossus2_power", "The capacity's facility power ÷ Colossus 2's reported power",
        seller.gpus * seller.it_kw_per_gpu * p.pue / 1000 / inputs.company("colossus2_power_mw"), "ratio_percent",
        "capex.it_mw_facility ÷ capex.colossus2_power_mw")
    return f


# --------------------------------------------------------------------------------------------
# Strategy


def strategy_figures(r: Results) -> list[KeyFigure]:
    """Figures of 'Strategy': SpaceX's compute book, revenue concentration and Reflection as a counterparty."""
    f = _Chapter("strategy", r.inputs)
    add = f.add
    inputs = r.inputs
    monthly = r.deal.monthly_payment_usd
    deals = inputs.comparable_deals.set_index("deal_id")
    others = float(sum(deals.loc[d, "monthly_value_usd"] for d in assembly.SPACEX_TENANTS))
    total = others + monthly
    add("strategy.spacex_monthly_compute_usd", "SpaceX's disclosed monthly compute fees (Anthropic, Google, Reflection)", total, "usd",
        "sum of monthly_value_usd for " + ", ".join(assembly.SPACEX_TENANTS) + " in data/comparable_deals.csv + deal.monthly_payment_usd")
    add("strategy.reflection_share_of_compute", "Reflection's share of those fees", monthly / total, "ratio_percent",
        "deal.monthly_payment_usd ÷ strategy.spacex_monthly_compute_usd")
    anthropic = float(deals.loc["spacex_anthropic", "monthly_value_usd"])
    add("strategy.anthropic_share_of_compute", "Anthropic's share of those fees", anthropic / total,
        "ratio_percent", "Anthropic monthly fee ÷ strategy.spacex_monthly_compute_usd")
    add("strategy.anthropic_to_reflection_multiple", "Anthropic's monthly fee ÷ Reflection's", anthropic / monthly, "multiple",
        "Anthropic monthly fee ÷ deal.monthly_payment_usd")
    annual = 12 * monthly
    add("strategy.annual_payments_usd", "Reflection's payments in a full year", annual, "usd", "12 × deal.monthly_payment_usd")
    ai_revenue = inputs.company("spacex_ai_revenue_2025_usd")
    add("strategy.spacex_ai_revenue_2025_usd", "SpaceX AI-segment revenue, 2025", ai_revenue, "usd",
        "data/company_figures.csv: spacex_ai_revenue_2025_usd")
    add("strategy.annual_payments_share_of_ai_revenue", "A year of Reflection's payments ÷ SpaceX's 2025 AI revenue", annual / ai_revenue,
        "ratio_percent", "strategy.annual_payments_usd ÷ strategy.spacex_ai_revenue_2025_usd")
    raised = inputs.company("reflection_raised_2025_usd")
    talks = inputs.company("reflection_raise_talks_2026_usd")
    add("strategy.reflection_raised_usd", "Equity Reflection raised in October 2025", raised, "usd",
        "data/company_figures.csv: reflection_raised_2025_usd")
    add("strategy.reflection_valuation_usd", "Reflection's valuation at that round", inputs.company("reflection_valuation_2025_usd"), "usd",
        "data/company_figures.csv: reflection_valuation_2025_usd")
    add("strategy.reflection_talks_usd", "Equity Reflection was reported in talks to raise (2026)", talks, "usd",
        "data/company_figures.csv: reflection_raise_talks_2026_usd")
    add("strategy.reflection_talks_valuation_usd", "Pre-money valuation in those talks", inputs.company("reflection_valuation_talks_2026_usd"),
        "usd", "data/company_figures.csv: reflection_valuation_talks_2026_usd")
    add("strategy.months_covered_by_raised", "Months of payments the October 2025 round would cover", raised / monthly, "months_1",
        "strategy.reflection_raised_usd ÷ deal.monthly_payment_usd")
    add("strategy.months_covered_with_talks", "Months covered if the reported round also closes", (raised + talks) / monthly, "months_1",
        "(strategy.reflection_raised_usd + strategy.reflection_talks_usd) ÷ deal.monthly_payment_usd")
    cred = r.credit
    add("strategy.reflection_runway_months", "Months Reflection's cash lasts from the start without the round in talks",
        cred.without_talks.months, "months_1", "credit.runway: (closed rounds − burn since the last one) ÷ (burn + payment)")
    add("strategy.reflection_runway_with_talks_months", "Months its cash lasts if the round in talks closed",
        cred.with_talks.months, "months_1", "credit.runway with the data/funding_rounds.csv rows in talks added")
    add("strategy.prob_default_without_talks", "Probability of default before the last month if the round in talks did not close",
        float(1.0 - cred.survival_without_talks[-1]), "ratio_percent", "credit.survival with the closed rounds only")
    add("strategy.prob_default_with_talks", "Probability of default before the last month if it closed",
        float(1.0 - cred.survival_with_talks[-1]), "ratio_percent", "credit.survival with the round in talks added")
    add("strategy.talks_round_closes", "Probability that the round in talks closed (base case)", r.params.talks_round_closes,
        "ratio_percent_whole", f.register("credit.talks_round_closes"))
    add("strategy.raise_failure_probability", "Probability that a raise fails when the cash runs out (base case)",
        r.params.raise_failure_probability, "ratio_percent_whole", f.register("credit.raise_failure_probability"))
    add("strategy.months_per_raise", "Months of spending a successful raise covers (base case)", r.params.months_per_raise, "months",
        f.register("credit.months_per_raise"))
    add("strategy.background_annual_default", "Background annual shutdown rate (base case)", r.params.background_annual_default,
        "ratio_percent_whole", f.register("credit.background_annual_default"))
    march = cred.rounds[cred.rounds["status"] == "reported_valuation_only"].sort_values("date")
    if not march.empty:
        add("strategy.reflection_valuation_2025_03_usd", "Reflection's earliest reported valuation", float(march["post_money_usd"].iloc[0]),
            "usd", "data/funding_rounds.csv: the earliest valuation-only row")
    add("strategy.reflection_headcount", "Reflection's staff (October 2025)", inputs.company("reflection_headcount_2025"), "count",
        "data/company_figures.csv: reflection_headcount_2025")
    add("strategy.reflection_cash_at_start_usd", "Reflection's estimated cash at the contract start (closed rounds only)",
        cred.without_talks.cash_at_start_usd, "usd", "credit.runway: closed rounds − credit.monthly_burn_usd × months since the last round")
    add("strategy.months_since_last_round", "Months from Reflection's last closed round to the contract start",
        cred.months_since_last_round, "months_1", "data/funding_rounds.csv: latest closed round to deal.start_date")
    add("strategy.reflection_monthly_burn_usd", "Reflection's monthly spending other than the contract (base case)",
        r.params.monthly_burn_usd, "usd", f.register("credit.monthly_burn_usd"))
    funding = cred.raised_usd + cred.talks_usd
    add("strategy.contract_share_of_reflection_funding", "A year of payments ÷ Reflection's funding (closed round and the round in talks)",
        annual / funding, "ratio_percent", "strategy.annual_payments_usd ÷ (closed rounds + rounds in talks), data/funding_rounds.csv")
    add("strategy.contract_share_of_closed_funding", "A year of payments ÷ the money Reflection has confirmed raising",
        annual / cred.raised_usd, "ratio_percent", "strategy.annual_payments_usd ÷ closed rounds, data/funding_rounds.csv")
    nvidia = float(cred.rounds["nvidia_amount_usd"].sum())
    add("strategy.nvidia_investment_usd", "NVIDIA's reported investment in Reflection", nvidia, "usd",
        "data/funding_rounds.csv: nvidia_amount_usd")
    add("strategy.nvidia_share_of_round", "NVIDIA's share of Reflection's October 2025 round", nvidia / cred.raised_usd, "ratio_percent",
        "strategy.nvidia_investment_usd ÷ closed rounds")
    add("strategy.nvidia_investment_months_of_payments", "Months of payments NVIDIA's investment would cover", nvidia / monthly,
        "months_1", "strategy.nvidia_investment_usd ÷ deal.monthly_payment_usd")
    add("strategy.rpo_usd", "What SpaceX could report as remaining performance obligation for the contract (ASC 606 reading)",
        r.cash.schedule.paid_through_usd(r.cash.clause.committed_months), "usd",
        "deal.committed_minimum_usd: the non-cancellable months (the contract term under ASC 606-10-25-3)")
    add("strategy.rpo_share_of_headline", "That remaining performance obligation ÷ the headline", r.cash.schedule.paid_through_usd(
        r.cash.clause.committed_months) / r.cash.schedule.headline_usd, "ratio_percent", "strategy.rpo_usd ÷ deal.headline_value_usd")
    fin = r.financing
    add("strategy.debt_rate", "Rate on debt secured on GPU capacity (base case)", r.params.debt_rate, "rate_annual", f.register("finance.debt_rate"))
    add("strategy.equity_hurdle_rate", "Return equity investors in GPU capacity require (base case)", r.params.equity_hurdle_rate,
        "rate_annual", f.register("finance.equity_hurdle_rate"))
    add("strategy.debt_share", "Share of the capex financed with debt (base case)", r.params.debt_share, "ratio_percent",
        f.register("finance.debt_share"))
    add("strategy.debt_usd", "Debt behind the capacity at that share", fin.debt_usd, "usd", "strategy.debt_share × capex.dedicated_capex_usd")
    add("strategy.seller_npv_at_debt_rate_usd", "SpaceX's NPV on the capacity, run to term, at the debt rate", fin.npv_at_debt_rate_usd,
        "usd", "finance.npv(monthly debt rate, seller cash flows, full term)")
    add("strategy.seller_npv_at_equity_hurdle_usd", "SpaceX's NPV on the capacity, run to term, at the equity hurdle",
        fin.npv_at_equity_hurdle_usd, "usd", "finance.npv(monthly equity hurdle, seller cash flows, full term)")
    add("strategy.dscr_committed", "Committed contract cash (net of operating costs, at the debt rate) ÷ the debt", fin.coverage_committed,
        "multiple_2", "results.Financing.coverage_committed: loan-life coverage counting only the committed months")
    add("strategy.dscr_full_term", "The same coverage had the contract run to term", fin.coverage_full_term, "multiple_2",
        "results.Financing.coverage_full_term")
    add("strategy.committed_period_dscr", "Net contract cash ÷ debt service in each committed month", fin.committed_period_dscr,
        "multiple_2", "results.Financing.committed_period_dscr")
    shadow = r.params.market_price_usd_per_gpu_hour
    add("strategy.xai_shadow_value_usd_per_gpu_hour", "Value to xAI of a GB300 hour it gives up: what renting the same hour would cost it",
        shadow, "usd_per_gpu_hour", "pricing.market_price_usd_per_gpu_hour (the evidence median)")
    add("strategy.xai_h100_equivalents", "xAI's compute at the end of 2025, in H100-equivalents (a lower bound)",
        inputs.company("xai_h100_equivalents_end_2025"), "count_round", "data/company_figures.csv: xai_h100_equivalents_end_2025")
    burn = inputs.company("xai_cash_burn_monthly_2025_usd")
    fleet = inputs.company("xai_h100_equivalents_end_2025")
    spend = burn / (fleet * HOURS_PER_MONTH) * assembly.throughput_ratio(inputs, "H100")
    add("strategy.xai_spend_per_gb300_hour_usd", "xAI's 2025 cash spend per H100-equivalent hour, scaled to a GB300 hour",
        spend, "usd_per_gpu_hour",
        "data/company_figures.csv: xai_cash_burn_monthly_2025_usd ÷ (xai_h100_equivalents_end_2025 × 730 h) × pricing.gb300_h100_perf_ratio")
    premium_hour = r.params.contract_price_usd_per_gpu_hour - shadow
    add("strategy.rent_premium_usd_per_gpu_hour", "What renting an hour to Reflection earns over its value to xAI", premium_hour,
        "usd_per_gpu_hour", "pricing.contract_price_usd_per_gpu_hour − strategy.xai_shadow_value_usd_per_gpu_hour")
    add("strategy.rent_premium_annual_usd", "That premium over a year on the contract's capacity",
        premium_hour * r.seller.gpus * HOURS_PER_YEAR * r.params.billed_utilization, "usd",
        "strategy.rent_premium_usd_per_gpu_hour × pricing.implied_gpus × 8,760 h × billed share")
    loss = inputs.company("spacex_ai_operating_loss_2025_usd")
    add("strategy.spacex_ai_operating_loss_2025_usd", "SpaceX AI-segment operating loss, 2025", loss, "usd",
        "data/company_figures.csv: spacex_ai_operating_loss_2025_usd")
    add("strategy.annual_payments_share_of_ai_loss", "A year of Reflection's payments ÷ the AI segment's 2025 operating loss",
        annual / loss, "ratio_percent", "strategy.annual_payments_usd ÷ strategy.spacex_ai_operating_loss_2025_usd")
    margin = (r.params.contract_price_usd_per_gpu_hour - r.seller.tco["total"]) / r.params.contract_price_usd_per_gpu_hour
    add("strategy.annual_operating_result_usd", "What a year of the contract adds to the AI segment's operating result (at the capacity's full cost)",
        annual * margin, "usd", "strategy.annual_payments_usd × capex.margin_share")
    add("strategy.anthropic_annual_usd", "Anthropic's payments in a full year", 12 * anthropic, "usd", "12 × Anthropic's monthly fee")
    add("strategy.google_annual_usd", "Google's payments in a full year", 12 * float(deals.loc["spacex_google", "monthly_value_usd"]), "usd",
        "12 × Google's monthly fee")
    add("strategy.reflection_latest_valuation_usd", "Reflection's latest reported valuation (pre-money, in talks)",
        inputs.company("reflection_valuation_talks_2026_usd"), "usd", "data/company_figures.csv: reflection_valuation_talks_2026_usd")
    add("strategy.headline_share_of_latest_valuation", "The headline ÷ that valuation", r.cash.schedule.headline_usd /
        inputs.company("reflection_valuation_talks_2026_usd"), "ratio_percent", "deal.headline_value_usd ÷ strategy.reflection_latest_valuation_usd")
    add("strategy.headline_share_of_valuation", "The headline ÷ Reflection's October 2025 valuation",
        r.cash.schedule.headline_usd / inputs.company("reflection_valuation_2025_usd"),
        "ratio_percent", "deal.headline_value_usd ÷ strategy.reflection_valuation_usd")
    return f


# --------------------------------------------------------------------------------------------
# Sensitivity


def sensitivity_figures(r: Results) -> list[KeyFigure]:
    """Figures of 'Sensitivity and scenarios': bear and bull outcomes, the largest one-way and global drivers.

    When no entry moves an output (every swing or share is zero), the driver figure says so in words.
    """
    f = _Chapter("sensitivity", r.inputs)
    add = f.add
    results = r.sensitivity
    if results is None:
        return f
    units = {"expected_pv_usd": "usd", "prob_full_term": "ratio_percent", "seller_irr_full_term": "rate_annual",
             "payback_months": "crossover_payback"}
    words = {**sensitivity.OUTPUTS, "prob_full_term": "Probability the contract runs to term"}
    on = f" on top of {r.inputs.assumption_set}" if results.scenarios_on_what_if else ""
    for case in ("Bear", "Bull"):
        for output, unit in units.items():
            value = results.scenarios.loc[output, case]
            add(f"sensitivity.{case.lower()}_{output}", f"{words[output]}, {case.lower()} assumption set",
                int(value) if unit == "crossover_payback" else float(value), unit,
                f"sensitivity.scenario_table: scenarios/{case.lower()}.csv{on}")
    names = {"expected_pv_usd": "expected_pv", "seller_irr_full_term": "seller_irr", "payback_months": "payback"}
    for output, short in names.items():
        rows = results.one_way[results.one_way["output"] == output].sort_values("swing", ascending=False)
        unit = {"expected_pv_usd": "usd", "seller_irr_full_term": "rate_annual", "payback_months": "months"}[output]
        moved = not rows.empty and float(rows["swing"].iloc[0]) > 0
        add(f"sensitivity.top_driver_{short}", f"Input with the widest one-way range: {sensitivity.OUTPUTS[output]}",
            in_sentence(str(rows["description"].iloc[0])) if moved else "no input (every one-way range is zero)", "text",
            "sensitivity.one_way: largest maximum − minimum of the output over each entry's grid")
        add(f"sensitivity.top_swing_{short}", f"Range of the output over that input's grid: {sensitivity.OUTPUTS[output]}",
            float(rows["swing"].iloc[0]) if moved else 0.0, unit, "sensitivity.one_way")
        indices = results.sobol[results.sobol["output"] == output].sort_values("ST", ascending=False)
        found = not indices.empty and float(indices["ST"].iloc[0]) > 0
        add(f"sensitivity.global_top_driver_{short}", f"Input with the largest total Sobol' index: {sensitivity.OUTPUTS[output]}",
            in_sentence(r.inputs.assumptions[indices["id"].iloc[0]].description) if found else "no input (the output does not vary)", "text",
            "sensitivity.global_sobol (SALib, total-order index ST)")
        add(f"sensitivity.global_top_share_{short}", f"That input's total Sobol' index: {sensitivity.OUTPUTS[output]}",
            float(indices["ST"].iloc[0]) if found else 0.0, "ratio_percent", "sensitivity.global_sobol")
        add(f"sensitivity.global_top_conf_{short}", f"Half-width of that index's 95% confidence interval: {sensitivity.OUTPUTS[output]}",
            float(indices["ST_conf"].iloc[0]) if found else 0.0, "ratio_percent", "sensitivity.global_sobol (SALib bootstrap, ST_conf)")
    interior = results.one_way[(results.one_way["output"] == "expected_pv_usd") & results.one_way["interior_extreme"]]
    add("sensitivity.interior_extremes_expected_pv", "Inputs whose effect on the expected value peaks or bottoms inside their range",
        len(interior), "count", "sensitivity.one_way: interior_extreme")
    curve = results.price_curve
    if not curve.empty:
        best = curve.loc[curve["expected_pv_usd"].idxmax()]
        add("sensitivity.price_at_peak_value_usd_per_gpu_hour", "Contract unit price at which the expected value peaks",
            float(best["contract_price_usd_per_gpu_hour"]), "usd_per_gpu_hour", "sensitivity.value_against_price")
        add("sensitivity.peak_value_usd", "The expected value at that price", float(best["expected_pv_usd"]), "usd",
            "sensitivity.value_against_price")
        for label, price_id in (("lowest", "pricing.contract_price_low_usd_per_gpu_hour"), ("highest", "pricing.contract_price_high_usd_per_gpu_hour")):
            price = r.inputs.assumption("pricing.contract_price_usd_per_gpu_hour", "low" if label == "lowest" else "high")
            nearest = curve.iloc[(curve["contract_price_usd_per_gpu_hour"] - price).abs().argmin()]
            add(f"sensitivity.value_at_{'low' if label == 'lowest' else 'high'}_price_usd", f"Expected value at the {label} contract price in the range",
                float(nearest["expected_pv_usd"]), "usd", f"sensitivity.value_against_price at {price_id} (nearest grid price)")
    if not curve.empty:
        values = curve["expected_pv_usd"].to_numpy(dtype=float)
        first, last = curve.iloc[0], curve.iloc[-1]
        steps = np.diff(values)
        if np.all(steps <= 0):
            shape = "falls as the unit price rises (it never rises)"
        elif np.all(steps >= 0):
            shape = "rises with the unit price (it never falls)"
        else:
            at = float(curve["contract_price_usd_per_gpu_hour"].iloc[int(np.argmax(values))])
            shape = f"peaks inside the range, at {format_value(at, 'usd_per_gpu_hour')}"
        add("sensitivity.price_curve_shape", "How the expected value moves with the contract unit price", shape, "text",
            "sensitivity.value_against_price: signs of successive differences")
        for label, row in (("start", first), ("end", last)):
            add(f"sensitivity.curve_{label}_price_usd_per_gpu_hour", f"Unit price at the {label} of the value-against-price curve",
                float(row["contract_price_usd_per_gpu_hour"]), "usd_per_gpu_hour", "sensitivity.CONTRACT_PRICES")
            add(f"sensitivity.curve_{label}_value_usd", f"Expected value at the {label} of the value-against-price curve",
                float(row["expected_pv_usd"]), "usd", "sensitivity.value_against_price")
    payback = results.one_way[results.one_way["output"] == "payback_months"].sort_values("swing", ascending=False)
    if not payback.empty and float(payback["swing"].iloc[0]) > 0:
        driver = in_sentence(str(payback["description"].iloc[0]))
        sentence = (f"Its largest driver is {driver}, which moves it over "
                    f"{format_value(float(payback['swing'].iloc[0]), 'months')} months across that entry's range.")
    else:
        base = format_value(int(results.scenarios.loc['payback_months', 'Base']), "crossover_payback")
        sentence = f"No input moves it across its range: under these assumptions payback is {base} whatever the entry."
    add("sensitivity.payback_driver_words", "The largest one-way driver of payback, in a sentence", sentence, "text",
        "sensitivity.one_way: widest range of payback over an entry's grid (or none)")
    add("sensitivity.global_base_sample", "Sobol' base sample size N", results.n_base, "count", "sensitivity.SOBOL_BASE")
    add("sensitivity.global_evaluations", "Model evaluations in the global analysis", results.n_evaluations, "count",
        "sensitivity.global_sobol: N × (D + 2)")
    add("sensitivity.global_entries", "Register entries the global analysis varies (after screening)", len(results.global_ids), "count",
        "sensitivity.screened_entries")
    add("sensitivity.continuous_entries", "Continuous register entries with a range, before screening", results.n_continuous, "count",
        "sensitivity.global_entries")
    add("sensitivity.confidence_level", "Confidence level of the Sobol' indices' intervals", sensitivity.CONFIDENCE_LEVEL,
        "ratio_percent_whole", "sensitivity.CONFIDENCE_LEVEL (SALib bootstrap)")
    add("sensitivity.screen_share", "Screening threshold: share of the widest one-way range an entry must exceed", sensitivity.SCREEN_SHARE,
        "ratio_percent", "sensitivity.SCREEN_SHARE")
    add("sensitivity.global_paths", "Paths per evaluation of the global analysis (myopic rule)", sensitivity.SOBOL_PATHS, "count",
        "sensitivity.SOBOL_PATHS")
    add("sensitivity.one_way_paths", "Paths per one-way and scenario evaluation (headline model)", sensitivity.PATHS, "count",
        "sensitivity.PATHS")
    return f


PROPER_NOUNS: tuple[str, ...] = ("Reflection", "SpaceX", "NVIDIA", "GB300", "Rubin", "Colossus", "Microsoft", "Anthropic", "Google", "xAI")
"""Words that keep their capital letter inside a sentence."""


def in_sentence(description: str) -> str:
    """A register description as it reads inside a sentence: first letter lower-cased unless it starts a proper noun
    or an acronym, trailing full stop dropped ('What Reflection pays…' -> 'what Reflection pays…')."""
    text = description.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if not text or first.startswith(PROPER_NOUNS) or (len(first) > 1 and first[1].isupper()):
        return text
    return text[0].lower() + text[1:]


CHAPTERS: tuple[str, ...] = ("deal", "pricing", "cashflow", "capex", "strategy", "sensitivity")
"""Chapters whose figures the registry defines, in book order."""


def key_figures(results: Results) -> KeyFigures:
    """Every key figure the book cites, read off ``results``."""
    figures: list[KeyFigure] = []
    for build in (deal_figures, pricing_figures, cashflow_figures, capex_figures, strategy_figures, sensitivity_figures):
        figures += build(results)
    return KeyFigures(figures, results.inputs.assumption_set, results.inputs.assumption_hash)
