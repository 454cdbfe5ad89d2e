"""The contract valued with every way it can end early, under each modelling choice, side by side.

Four choices drive the value, and each has an alternative:

* **who may exit**: both sides (the contract), or Reflection only (or SpaceX only, for its reallocation right);
* **price process**: a random walk, or a mean-reverting log price around a declining long-run level;
* **exercise rule**: *myopic* (leave as soon as this month's price makes leaving pay) or *optimal* (least-squares
  Monte Carlo: leave when the expected value of leaving beats that of staying, counting the remaining term,
  the notice period and the value of waiting);
* **credit**: Reflection never defaults, or defaults on its funding-runway hazard.

The headline is the combined model: both sides, mean-reverting prices, the optimal rule, credit on. All choices
see the same random numbers (the same price shocks and the same default draws), so differences between them
come from the choice, not from sampling. The optimal rule's policy is fitted on separate paths.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from . import assembly
from .core import credit, prices, stopping
from .validate import InputError

MC_SEED: int = assembly.MC_SEED
"""Seed of the valuation paths (the contract's start date)."""
FIT_SEED: int = MC_SEED + 1
"""Seed of the separate paths on which the optimal rule's policy is fitted."""
DEFAULT_SEED: int = MC_SEED + 2
"""Seed of Reflection's default draws."""
PATHS: int = 100_000
"""Valuation paths: the standard error of a probability is at most 0.16 percentage points."""
FIT_PATHS: int = 20_000
"""Paths on which the optimal exercise policy is fitted."""
WHO: tuple[str, ...] = ("mutual", "buyer")
PROCESSES: tuple[str, ...] = prices.PROCESSES
RULES: tuple[str, ...] = stopping.RULES


@dataclass(frozen=True)
class ModelChoice:
    """One combination of the four choices."""

    who: str
    process: str
    rule: str
    credit: bool

    def __post_init__(self) -> None:
        if self.who not in stopping.EXITS:
            raise InputError("ModelChoice", "who", self.who, "one of " + ", ".join(stopping.EXITS))
        if self.process not in PROCESSES:
            raise InputError("ModelChoice", "process", self.process, "one of " + ", ".join(PROCESSES))
        if self.rule not in RULES:
            raise InputError("ModelChoice", "rule", self.rule, "one of " + ", ".join(RULES))

    @property
    def label(self) -> str:
        """The choice in words: 'both sides, mean-reverting prices, optimal exercise, default risk on'."""
        who = {"mutual": "both sides may exit", "buyer": "only Reflection may exit", "seller": "only SpaceX may exit"}[self.who]
        process = {"random_walk": "random-walk prices", "mean_reverting": "mean-reverting prices"}[self.process]
        return f"{who}, {process}, {self.rule} exercise, default risk {'on' if self.credit else 'off'}"


HEADLINE = ModelChoice("mutual", "mean_reverting", "optimal", True)
"""The book's headline model."""
TABLE: tuple[ModelChoice, ...] = tuple(ModelChoice(w, p, r, c) for w, p, r, c in itertools.product(WHO, PROCESSES, RULES, (True, False)))
"""Every combination the model-choice table shows (16)."""


def price_process(params: assembly.Parameters, kind: str, months: int) -> prices.PriceProcess:
    """The market price process of ``kind`` from the register: start price, decline, volatility, Rubin step.

    The mean-reverting process reverts to a level that starts at the market price (no initial gap) and falls
    with the decline and the step.
    """
    step = assembly.step_month(params)
    if kind == "random_walk":
        return prices.random_walk(params.market_price_usd_per_gpu_hour, params.annual_price_decline, params.market_volatility_annual,
                                  months, params.rubin_step_share, step)
    if kind == "mean_reverting":
        return prices.mean_reverting(params.market_price_usd_per_gpu_hour, params.market_price_usd_per_gpu_hour,
                                     params.annual_price_decline, params.market_volatility_annual,
                                     params.mean_reversion_half_life_months, months, params.rubin_step_share, step)
    raise InputError("price_process", "kind", kind, "one of " + ", ".join(PROCESSES))


def exit_contract(cash: assembly.CashflowModel) -> stopping.Contract:
    """The contract as the exit game sees it: payments, their discount factors, the clause and the full monthly fee."""
    amounts = cash.amounts_usd
    discount = np.diff(cash.pv_by_month, prepend=0.0) / amounts
    return stopping.Contract(amounts, discount, cash.clause, float(amounts[-1]))


def frictions(params: assembly.Parameters, relet_utilization: float | None = None) -> stopping.Frictions:
    """What leaving costs each side: the buyer's replacement premium, the seller's re-lease discount, utilization
    and downtime (register entries; ``relet_utilization`` overrides, e.g. 0 for idle capacity)."""
    util = params.relet_utilization if relet_utilization is None else relet_utilization
    return stopping.Frictions(params.buyer_switching_cost, params.seller_switching_cost, util, int(params.relet_downtime_months))


@dataclass(frozen=True)
class Paths:
    """Price ratios (market ÷ contract price, months 0..T, month-major) for both processes, on valuation and fitting
    paths, with Reflection's default month on each (T + 1 = none); the same shocks drive both processes."""

    ratio: dict[str, np.ndarray]
    fit_ratio: dict[str, np.ndarray]
    default_month: np.ndarray
    fit_default_month: np.ndarray


def simulate_paths(params: assembly.Parameters, cash: assembly.CashflowModel, survival: np.ndarray, n_paths: int = PATHS,
                   n_fit: int = FIT_PATHS, seed: int = MC_SEED, processes: tuple[str, ...] = PROCESSES) -> Paths:
    """Price paths under ``processes`` from common shocks, and default months from the survival curve (seeded)."""
    months = cash.clause.term_months
    k = params.contract_price_usd_per_gpu_hour
    ratio: dict[str, np.ndarray] = {}
    fit_ratio: dict[str, np.ndarray] = {}
    for kind in processes:
        process = price_process(params, kind, months)
        for target, n, s in ((ratio, n_paths, seed), (fit_ratio, n_fit, seed + 1)):
            y = process.simulate(np.random.default_rng(s), n)
            y += process.log_level[:, np.newaxis]
            np.exp(y, out=y)
            y /= k
            target[kind] = y
    default = credit.draw_default_months(np.random.default_rng(seed + 2), survival, n_paths)
    fit_default = credit.draw_default_months(np.random.default_rng(seed + 3), survival, n_fit)
    return Paths(ratio, fit_ratio, default, fit_default)


def value(choice: ModelChoice, contract: stopping.Contract, fr: stopping.Frictions, paths: Paths) -> stopping.ExitOutcome:
    """The contract under ``choice`` on the valuation paths (the optimal rule's policy fitted on the fitting paths)."""
    ratio, fit_ratio = paths.ratio[choice.process], paths.fit_ratio[choice.process]
    default = paths.default_month if choice.credit else None
    if choice.rule == "myopic":
        return stopping.myopic_exit(contract, ratio, fr, choice.who, default)
    policy = stopping.fit_exit_policy(contract, fit_ratio, fr, choice.who, paths.fit_default_month if choice.credit else None)
    return stopping.apply_exit_policy(policy, contract, ratio, fr, default)


@dataclass(frozen=True)
class Summary:
    """What the model-choice table shows for one choice."""

    choice: ModelChoice
    expected_pv_usd: float
    prob_full_term: float
    expected_life_months: float
    pv_p10_usd: float
    pv_p90_usd: float
    share_ended_by: dict[str, float]


def summarise(choice: ModelChoice, outcome: stopping.ExitOutcome) -> Summary:
    """Expected PV, chance of running to term, expected life, P10/P90 of PV and how the contracts end."""
    shares = {name: float(np.mean(outcome.ended_by == code)) for code, name in stopping.ENDED_BY.items()}
    return Summary(choice, outcome.expected_pv_usd, outcome.prob_full_term, outcome.expected_life_months,
                   float(np.percentile(outcome.pv_usd, 10)), float(np.percentile(outcome.pv_usd, 90)), shares)


@dataclass(frozen=True)
class Valuation:
    """The headline outcome path by path (for the seller's economics), and a summary of every model choice."""

    headline: stopping.ExitOutcome
    headline_ratio: np.ndarray  # the headline's price paths (market ÷ contract price), months 0..T
    headline_default: np.ndarray
    table: tuple[Summary, ...]
    seller_only: Summary
    no_exit_credit: Summary
    n_paths: int
    n_fit: int

    def summary(self, choice: ModelChoice) -> Summary:
        """The summary of ``choice`` (one of TABLE)."""
        for row in self.table:
            if row.choice == choice:
                return row
        raise InputError("Valuation.summary", "choice", choice.label, "a choice of the model-choice table")


def run(params: assembly.Parameters, cash: assembly.CashflowModel, survival: np.ndarray, n_paths: int = PATHS,
        n_fit: int = FIT_PATHS, seed: int = MC_SEED, choices: tuple[ModelChoice, ...] = TABLE) -> Valuation:
    """Value the contract under every choice in ``choices`` (and SpaceX-only exit), on common random numbers."""
    needed = tuple(k for k in PROCESSES if k == HEADLINE.process or any(c.process == k for c in choices))
    paths = simulate_paths(params, cash, survival, n_paths, n_fit, seed, needed)
    contract, fr = exit_contract(cash), frictions(params)
    table, headline = [], None
    for choice in choices:
        outcome = value(choice, contract, fr, paths)
        table.append(summarise(choice, outcome))
        if choice == HEADLINE:
            headline = outcome
    if headline is None:
        headline = value(HEADLINE, contract, fr, paths)
    seller_choice = ModelChoice("seller", HEADLINE.process, HEADLINE.rule, HEADLINE.credit)
    seller = summarise(seller_choice, value(seller_choice, contract, fr, paths))
    stuck = stopping.Frictions(fr.buyer_cost, fr.seller_discount, 0.0, fr.downtime_months)
    no_exit = ModelChoice("seller", HEADLINE.process, "myopic", True)
    none = summarise(no_exit, stopping.myopic_exit(contract, paths.ratio[HEADLINE.process], stuck, "seller", paths.default_month))
    return Valuation(headline, paths.ratio[HEADLINE.process], paths.default_month, tuple(table), seller, none, n_paths, n_fit)
