"""Vocabularies and pandera schemas of the input tables (what each column may hold)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .text import is_iso_date
from .types import CONFIDENCE_LEVELS

TERM_UNITS: tuple[str, ...] = ("usd", "usd_per_month", "date", "days", "months", "text")
ASSUMPTION_UNITS: tuple[str, ...] = (
    "kw",
    "years",
    "usd_per_kwh",
    "rate_annual",  # annual effective rate, decimal (0.11 = 11 %)
    "months",
    "ratio",  # dimensionless decimal share
    "multiple",  # dimensionless multiplier (1.16 = 1.16 times)
    "usd",
    "usd_per_gpu_hour",
)


GPU_MODELS: tuple[str, ...] = ("A100", "H100", "H200", "B200", "GB200", "B300", "GB300")
NEXT_GENERATIONS: tuple[str, ...] = ("Rubin",)
ARCHITECTURES: tuple[str, ...] = ("Ampere", "Hopper", "Blackwell", "Rubin")
"""NVIDIA's data-centre architectures, oldest first: a generation's successor is the next architecture's first
available part (data/gpu_launches.csv names each generation's architecture)."""
PAIR_COMPARISONS: tuple[str, ...] = ("rack_scale", "term")
"""What a price pair measures (data/price_pairs.csv): a rack-scale NVL72 system against the 8-GPU board of its
generation at the same provider, kind and date; or a committed reservation against flexible capacity at the same
provider and date."""
"""Generations not yet rentable in the price data, whose arrival the model prices in (data/gpu_launches.csv)."""
PROVIDER_TIERS: tuple[str, ...] = ("hyperscaler", "neocloud", "marketplace", "market")
PRICE_KINDS: tuple[str, ...] = ("on_demand_list", "on_demand_median", "spot", "reserved", "capacity_block", "index", "transaction")
"""What a price is: a provider's posted on-demand price; a median or index of on-demand prices; a spot or
preemptible price (or spot index); a committed reservation (with its term); a prepaid short reservation (AWS
Capacity Blocks); a published index that blends several kinds of quote into one normalised level (Silicon Data's,
for instance, blends on-demand, spot and reserved quotes); a price implied by a disclosed contract."""
TERMED_KINDS: tuple[str, ...] = ("reserved",)
PRICE_BASES: tuple[str, ...] = ("gpu_hour", "instance_hour", "server_year")
SPEC_METRICS: tuple[str, ...] = ("bf16_dense_tflops", "fp8_dense_tflops", "tdp_w", "gpus_per_rack")
TREND_METRICS: tuple[str, ...] = ("doubling_time_years", "price_change", "annual_decline")
COMPANY_UNITS: tuple[str, ...] = ("usd", "count", "mw", "rate_annual", "ratio", "months")

_ID = r"^[a-z][a-z0-9_.]*$"
_SOURCE_LIST = r"^[a-z0-9_]+(;[a-z0-9_]+)*$"


def _finite(series: pd.Series) -> pd.Series:
    return pd.Series(np.isfinite(series.to_numpy(dtype=float)), index=series.index)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _sources() -> pa.Column:
    return pa.Column(
        str,
        checks=pa.Check.str_matches(_SOURCE_LIST, error="one or more bibliography keys separated by ';'"),
    )


def _confidence() -> pa.Column:
    return pa.Column(str, checks=pa.Check.isin(CONFIDENCE_LEVELS, error="one of " + ", ".join(CONFIDENCE_LEVELS)))


def _id(pattern: str = _ID) -> pa.Column:
    return pa.Column(str, unique=True, checks=pa.Check.str_matches(pattern, error="a lowercase id"))


def schema(columns: dict[str, pa.Column], **options: Any) -> pa.DataFrameSchema:
    """A table schema: exactly these columns (any order), values coerced to their types."""
    return pa.DataFrameSchema(columns, strict=True, coerce=True, ordered=False, **options)


def _number() -> pa.Column:
    return pa.Column(float, checks=pa.Check(_finite, error="a finite number"))


DEAL_TERMS_SCHEMA = schema(
    {
        "id": _id(),
        "label": _text(),
        "value": _text(),
        "unit": pa.Column(str, checks=pa.Check.isin(TERM_UNITS, error="one of " + ", ".join(TERM_UNITS))),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

ASSUMPTIONS_SCHEMA = schema(
    {
        "id": _id(),
        "description": _text(),
        "unit": pa.Column(
            str, checks=pa.Check.isin(ASSUMPTION_UNITS, error="one of " + ", ".join(ASSUMPTION_UNITS))
        ),
        "low": _number(),
        "base": _number(),
        "high": _number(),
        "supported_min": _number(),
        "supported_max": _number(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "rationale_low": _text(),
        "rationale_base": _text(),
        "rationale_high": _text(),
    },
)


def _iso_date(nullable: bool = False) -> pa.Column:
    return pa.Column(
        str,
        nullable=nullable,
        checks=pa.Check(lambda col: col.map(is_iso_date), element_wise=False, error="a date as YYYY-MM-DD"),
    )


def _positive(dtype: Any = float, nullable: bool = False) -> pa.Column:
    return pa.Column(
        dtype,
        nullable=nullable,
        checks=[pa.Check(_finite, error="a finite number"), pa.Check.gt(0, error="a number > 0")],
    )


def _one_of(values: Sequence[str]) -> pa.Column:
    return pa.Column(str, checks=pa.Check.isin(values, error="one of " + ", ".join(values)))


GPU_PRICES_SCHEMA = schema(
    {
        "obs_id": pa.Column(str, unique=True),
        "date": _iso_date(),
        "gpu": _one_of(GPU_MODELS),
        "provider": _text(),
        "provider_tier": _one_of(PROVIDER_TIERS),
        "price_kind": _one_of(PRICE_KINDS),
        "term_months": _positive(nullable=True),
        "price_usd": _positive(),
        "price_basis": _one_of(PRICE_BASES),
        "gpus_per_unit": _positive("int64"),
        "series_id": pa.Column(str, nullable=True, checks=pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lowercase series id")),
        "in_fit": _one_of(("yes", "no")),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

GPU_LAUNCHES_SCHEMA = schema(
    {
        "gpu": _one_of(GPU_MODELS + NEXT_GENERATIONS),
        "architecture": _one_of(ARCHITECTURES),
        "announced": _iso_date(),
        "first_available": _iso_date(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
    unique=["gpu"],
)

PRICE_BANDS_SCHEMA = schema(
    {
        "gpu": _one_of(GPU_MODELS),
        "price_kind": _one_of(PRICE_KINDS),
        "low_usd_per_gpu_hour": _positive(),
        "high_usd_per_gpu_hour": _positive(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
    unique=["gpu", "price_kind"],
)

ROUND_STATUSES: tuple[str, ...] = ("closed", "in_talks", "reported_valuation_only")
"""A funding round's status as reported at its date: money raised, talks only, or a valuation with no round."""

FUNDING_ROUNDS_SCHEMA = schema(
    {
        "round_id": _id(r"^[a-z0-9_]+$"),
        "company": _text(),
        "date": _iso_date(),
        "amount_usd": _positive(nullable=True),
        "pre_money_usd": _positive(nullable=True),
        "post_money_usd": _positive(nullable=True),
        "status": _one_of(ROUND_STATUSES),
        "nvidia_amount_usd": _positive(nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

FINANCING_SCHEMA = schema(
    {
        "facility_id": _id(r"^[a-z0-9_]+$"),
        "borrower": _text(),
        "date": _iso_date(),
        "instrument": _text(),
        "rate_kind": pa.Column(str, nullable=True, checks=pa.Check.isin(("fixed", "floating"), error="fixed or floating")),
        "base_rate": _text(nullable=True),
        "spread_bps": _positive(nullable=True),
        "all_in_rate": _positive(nullable=True),
        "term_years": _positive(nullable=True),
        "credit_of_contract": _text(nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

GPU_SPECS_SCHEMA = schema(
    {
        "gpu": pa.Column(str, checks=pa.Check.isin((*GPU_MODELS, "GB300 NVL72"), error="a known GPU or rack")),
        "metric": _one_of(SPEC_METRICS),
        "value": _positive(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
    unique=["gpu", "metric"],
)

COMPARABLE_DEALS_SCHEMA = schema(
    {
        "deal_id": _id(r"^[a-z0-9_]+$"),
        "buyer": _text(),
        "seller": _text(),
        "gpu": _text(),
        "total_value_usd": _positive(nullable=True),
        "term_months": _positive(nullable=True),
        "monthly_value_usd": _positive(nullable=True),
        "gpu_count": _positive(nullable=True),
        "start_date": _iso_date(nullable=True),
        "termination": _text(nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

DEAL_TRANCHES_SCHEMA = schema(
    {
        "deal_id": pa.Column(str, checks=pa.Check.str_matches(r"^[a-z0-9_]+$", error="a deal id of comparable_deals.csv")),
        "tranche": _text(),
        "start_date": _iso_date(),
        "gpu": _one_of(GPU_MODELS),
        "gpu_count": _positive(nullable=True),
        "it_mw": _positive(nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)
"""A comparable contract's delivery tranches: when each tranche's capacity starts being paid for, and how much."""

TENANT_FLEETS_SCHEMA = schema(
    {
        "deal_id": pa.Column(str, checks=pa.Check.str_matches(r"^[a-z0-9_]+$", error="a deal id of comparable_deals.csv")),
        "gpu": _one_of((*GPU_MODELS, "undisclosed")),
        "gpu_count": _positive(nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)
"""The GPU mix behind SpaceX's other tenants' contracts (a count per generation; 'undisclosed' where no source says)."""

PRICE_PAIRS_SCHEMA = schema(
    {
        "pair_id": _id(r"^[a-z0-9_]+$"),
        "label": _text(),
        "comparison": _one_of(PAIR_COMPARISONS),
        "numerator_obs": pa.Column(str, checks=pa.Check.str_matches(r"^[A-Z]\d+$", error="an obs_id of gpu_prices.csv")),
        "denominator_obs": pa.Column(str, checks=pa.Check.str_matches(r"^[A-Z]\d+$", error="an obs_id of gpu_prices.csv")),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)
"""Two observed prices whose ratio measures a premium or discount; the sources are the two observations' own."""

KNOWN_STATE_SCHEMA = schema(
    {
        "id": _id(r"^known_[a-z0-9_]+$"),
        "label": _text(),
        "value": _text(),
        "unit": _one_of(("date", "count", "text")),
        "as_of": _iso_date(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
    unique=["id"],
)
"""What is known about the contract at a dated moment: payments made, notice served or not, as reported (or assumed,
with what was searched)."""

COMPANY_FIGURES_SCHEMA = schema(
    {
        "id": _id(r"^[a-z0-9_]+$"),
        "label": _text(),
        "value": _positive(),
        "unit": _one_of(COMPANY_UNITS),
        "period": _text(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)

PUBLISHED_TRENDS_SCHEMA = schema(
    {
        "trend_id": pa.Column(str, unique=True),
        "description": _text(),
        "metric": _one_of(TREND_METRICS),
        "value": _number(),
        "period_months": _positive(nullable=True),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "source_id": _sources(),
        "confidence": _confidence(),
        "note": _text(nullable=True),
    },
)


PLAUSIBLE_SCHEMA = schema(
    {
        "id": _id(),
        "plausible_min": _number(),
        "plausible_max": _number(),
        "source_id": _sources(),
        "confidence": _confidence(),
        "slip_it_catches": _text(),
    },
)


OVERRIDES_SCHEMA = schema(
    {
        "id": pa.Column(str, unique=True),
        "unit": pa.Column(str),
        "low": _number(),
        "base": _number(),
        "high": _number(),
        "note": _text(nullable=True),
    },
)

