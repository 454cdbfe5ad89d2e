"""Tables of the chapter on why both sides signed, as DataFrames of formatted text: the prices at signing and whether
both sides sign, what an exit threat leads to, SpaceX's gain against its alternative, and credit support."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..formatting import format_percent, format_usd, format_value
from ..models.equilibrium import Counterfactual, CreditSupport, ExitOutcomeRow, SigningMap


def _usd_se(value: float, se: float) -> str:
    return format_value(value, "usd", se)


def basis_table(signing: SigningMap, bases: Sequence[tuple[str, float, float]]) -> pd.DataFrame:
    """The headline model's expected value and whether both sides sign for each (label, market, unit price) basis."""
    rows = []
    for label, market, price in bases:
        rows.append({"Basis": label, "Market price at signing": format_value(market, "usd_per_gpu_hour"),
                     "Unit price": format_value(price, "usd_per_gpu_hour"), "Unit price ÷ market": format_percent(price / market, 0),
                     "Both sign?": signing.signs_at(market, price), "Expected PV": format_usd(signing.value_at(market, price))})
    return pd.DataFrame(rows).set_index("Basis")


def outcomes_table(rows: Sequence[ExitOutcomeRow]) -> pd.DataFrame:
    """Termination against repricing: value, revenue, life, how often a threat arises, and the price paid."""
    out = []
    for r in rows:
        p10, p50, p90 = r.last_price_usd_per_gpu_hour
        out.append({"An exit threat leads to": r.label,
                    "Repriced at, share of the market": "—" if r.share_of_market is None else format_percent(r.share_of_market, 1),
                    "Expected PV": _usd_se(r.expected_pv.value, r.expected_pv.se),
                    "Expected revenue": _usd_se(r.expected_revenue.value, r.expected_revenue.se),
                    "Expected life (months)": format_value(r.expected_life.value, "months_1", r.expected_life.se),
                    "Paths with a threat": format_value(r.repriced_share.value, "ratio_percent", r.repriced_share.se),
                    "Mean unit price paid": format_value(r.mean_price_usd_per_gpu_hour.value, "usd_per_gpu_hour"),
                    "Last month's price, P10–P50–P90": " – ".join(format_value(v, "usd_per_gpu_hour").replace("/GPU-hour", "")
                                                                  for v in (p10, p50, p90)),
                    "SpaceX's total (payments, then re-letting)": _usd_se(r.seller_total.value, r.seller_total.se)})
    return pd.DataFrame(out).set_index("An exit threat leads to")


def counterfactual_table(rows: Sequence[Counterfactual]) -> pd.DataFrame:
    """SpaceX's gain from the contract against each alternative: mean, P10, median, P90 and the share negative."""
    return pd.DataFrame([{"The contract against": r.label, "Expected gain": _usd_se(r.gain.value, r.gain.se),
                          "P10": _usd_se(r.p10.value, r.p10.se), "Median": _usd_se(r.p50.value, r.p50.se),
                          "P90": _usd_se(r.p90.value, r.p90.se),
                          "Paths with a loss": format_value(r.prob_negative.value, "ratio_percent", r.prob_negative.se),
                          "Break-even value of own use": "—" if r.breakeven_share is None else
                          format_value(r.breakeven_share.value, "ratio_percent", r.breakeven_share.se) + " of the market"}
                         for r in rows]).set_index("The contract against")


def support_table(rows: Sequence[CreditSupport]) -> pd.DataFrame:
    """The headline value with each form of credit support."""
    return pd.DataFrame([{"Credit support": r.label, "Expected PV": _usd_se(r.expected_pv.value, r.expected_pv.se),
                          "Default before the term ends": format_percent(r.prob_default_by_term)} for r in rows]).set_index("Credit support")
