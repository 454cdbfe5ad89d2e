"""The deal terms and the assumption register, typed: the one place that reads register entries by id.

Models downstream take the typed :class:`Deal` and :class:`Parameters`, with units in the field names and rates as
annual effective decimals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..conventions import DAYS_PER_YEAR
from ..core import contract
from ..inputs import Inputs
from ..validate import InputError


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

    @property
    def headline_alt_months(self) -> float | None:
        """Monthly payments the lower reported total implies."""
        return None if self.headline_alt_reported_usd is None else self.headline_alt_reported_usd / self.monthly_payment_usd

    @property
    def headline_alt_end_month(self) -> dt.date | None:
        """Last payment month the lower total implies, when it is a whole number of payments."""
        months = self.headline_alt_months
        if months is None or months != int(months):
            return None
        return contract.last_payment_date(self.start_date, int(months))


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
    bargaining_share_seller: float
    deposit_months: int

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
    "bargaining_share_seller": "termination.bargaining_share_seller",
    "deposit_months": "credit.deposit_months",
}
"""Each Parameters field and the register entry it reads."""

WHOLE_FIELDS: frozenset[str] = frozenset(name for name, f in Parameters.__dataclass_fields__.items() if f.type == "int")


def parameters(inputs: Inputs, case: str = "base") -> Parameters:
    """Every register entry the models read, at its ``case`` value ('low', 'base' or 'high')."""
    values: dict[str, float | int] = {}
    for name, rid in PARAMETER_IDS.items():
        value = inputs.assumption(rid, case)
        values[name] = int(value) if name in WHOLE_FIELDS else float(value)
    return Parameters(**values)  # type: ignore[arg-type]


def parameters_with(params: Parameters, values: Mapping[str, float]) -> Parameters:
    """A copy of ``params`` with register entries (by id) set to ``values`` (whole-month fields rounded)."""
    fields = {rid: name for name, rid in PARAMETER_IDS.items()}
    updates: dict[str, float | int] = {}
    for rid, value in values.items():
        if rid not in fields:
            raise InputError("parameters_with", "id", rid, "a register entry the models read")
        name = fields[rid]
        updates[name] = round(value) if name in WHOLE_FIELDS else float(value)
    return dataclasses.replace(params, **updates)  # type: ignore[arg-type]


def years_between_dates(start: dt.date, end: dt.date) -> float:
    """Years (Actual/365) from ``start`` to ``end``."""
    return (end - start).days / DAYS_PER_YEAR
