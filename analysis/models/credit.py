"""Reflection's credit: its funding before the start, its cash runway with and without the round in talks, and the
survival curve (probability it still pays in each month) that the valuation draws default months from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..conventions import MONTHS_PER_YEAR
from ..core import credit
from ..inputs import Inputs
from .terms import Deal, Parameters, years_between_dates

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
    months = 0.0 if pd.isna(last) else float(years_between_dates(last.date(), start_date) * MONTHS_PER_YEAR)
    return Funding(rounds, float(closed["amount_usd"].sum()), float(before[before["status"] == "in_talks"]["amount_usd"].sum()), months)


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
    expected_pv_credit_only_usd: float  # Σ payment PV × survival: default the only way out
    expected_life_credit_only_months: float  # Σ survival

    @property
    def prob_default_by_term(self) -> float:
        """Probability the buyer defaults before the last payment month."""
        return float(1.0 - self.survival[-1])

    @property
    def prob_default_without_talks(self) -> float:
        """The same if the round in talks did not close."""
        return float(1.0 - self.survival_without_talks[-1])

    @property
    def prob_default_with_talks(self) -> float:
        """The same if it closed."""
        return float(1.0 - self.survival_with_talks[-1])

    @property
    def nvidia_usd(self) -> float:
        """NVIDIA's reported investment across Reflection's rounds."""
        return float(self.rounds["nvidia_amount_usd"].sum())

    @property
    def earliest_valuation_usd(self) -> float | None:
        """Reflection's earliest reported valuation (a valuation-only row), if any."""
        rows = self.rounds[self.rounds["status"] == "reported_valuation_only"].sort_values("date")
        return None if rows.empty else float(rows["post_money_usd"].iloc[0])

    def cash_paths(self, months: int) -> dict[str, np.ndarray]:
        """Cash left at each month-end 0..``months`` before any new raise, by funding case."""
        spend = self.without_talks.monthly_spend_usd * np.arange(months + 1)
        return {"without_talks": self.without_talks.cash_at_start_usd - spend, "with_talks": self.with_talks.cash_at_start_usd - spend}


def survival_curve(inputs: Inputs, params: Parameters, terms: Deal, term_months: int, money: Funding | None = None) -> np.ndarray:
    """The probability Reflection still pays in months 1..T (the mixture over the two funding cases), alone: what the
    global sensitivity analysis needs at each of its evaluations (``credit_model`` gives the rest)."""
    money = funding(inputs, terms.start_date) if money is None else money
    without = credit.runway(money.raised_usd, money.months_since_last_round, params.monthly_burn_usd, terms.monthly_payment_usd)
    with_talks = credit.runway(money.raised_usd + money.talks_usd, money.months_since_last_round, params.monthly_burn_usd,
                               terms.monthly_payment_usd)
    q = params.talks_round_closes if money.talks_usd > 0 else 0.0
    return credit.survival(term_months, np.array([without.months, with_talks.months]), np.array([1.0 - q, q]), params.months_per_raise,
                           params.raise_failure_probability, params.background_annual_default)


def credit_model(inputs: Inputs, params: Parameters, terms: Deal, term_months: int, pv_by_month: np.ndarray,
                 money: Funding | None = None) -> CreditModel:
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
    per_payment = np.diff(pv_by_month, prepend=0.0)
    return CreditModel(money.rounds, money.raised_usd, money.talks_usd, money.months_since_last_round, without, with_talks, survival,
                       credit.monthly_hazard(survival), curve(np.array([without.months]), np.array([1.0])),
                       curve(np.array([with_talks.months]), np.array([1.0])), float(per_payment @ survival), float(survival.sum()))
