"""The contract valued with every way it can end early, under each modelling choice, side by side.

Four choices drive the value, and each has an alternative (see ``core.choices`` and ``core.prices.Process``):

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

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from ..core import credit, stopping
from ..core.choices import Credit, EndedBy, Rule, Who
from ..core.prices import Process
from ..methods import Methods
from ..validate import InputError
from .cashflow import CashflowModel
from .market import price_process
from .terms import Parameters

__all__ = ["HEADLINE", "TABLE", "TABLE_WHO", "Credit", "EndedBy", "Headline", "ModelChoice", "Paths", "Process", "Rule", "Summary",
           "Valuation", "Who", "exit_contract", "frictionless", "frictions", "run", "simulate_paths", "summarise", "value"]


@dataclass(frozen=True)
class ModelChoice:
    """One combination of the four choices."""

    who: Who
    process: Process
    rule: Rule
    credit: Credit

    def __post_init__(self) -> None:
        for name, kind in (("who", Who), ("process", Process), ("rule", Rule), ("credit", Credit)):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, kind.parse(value))
            except ValueError:
                raise InputError("ModelChoice", name, value, "one of " + ", ".join(m.value for m in kind)) from None

    @property
    def label(self) -> str:
        """The choice in words: 'both sides may exit, mean-reverting prices, optimal exercise, default risk on'."""
        return ", ".join(c.words for c in (self.who, self.process, self.rule, self.credit))

    @property
    def id(self) -> str:
        """A stable id: 'mutual-mean_reverting-optimal-runway'."""
        return "-".join(c.value for c in (self.who, self.process, self.rule, self.credit))


HEADLINE = ModelChoice(Who.MUTUAL, Process.MEAN_REVERTING, Rule.OPTIMAL, Credit.RUNWAY)
"""The book's headline model."""
TABLE_WHO: tuple[Who, ...] = (Who.MUTUAL, Who.BUYER)
"""Who may exit in the model-choice table; SpaceX-only exit is valued once, beside it, as a bound on its own right."""
TABLE: tuple[ModelChoice, ...] = tuple(ModelChoice(*c) for c in itertools.product(TABLE_WHO, Process, Rule, Credit))
"""Every combination the model-choice table shows."""


def exit_contract(cash: CashflowModel) -> stopping.Contract:
    """The contract as the exit game sees it: payments, their discount factors, the clause and the full monthly fee."""
    amounts = cash.amounts_usd
    discount = np.diff(cash.pv_by_month, prepend=0.0) / amounts
    return stopping.Contract(amounts, discount, cash.clause, float(amounts[-1]))


def frictions(params: Parameters, relet_utilization: float | None = None) -> stopping.Frictions:
    """What leaving costs each side: the buyer's replacement premium, the seller's re-lease discount, utilization
    and downtime (register entries; ``relet_utilization`` overrides, e.g. 0 for idle capacity)."""
    util = params.relet_utilization if relet_utilization is None else relet_utilization
    return stopping.Frictions(params.buyer_switching_cost, params.seller_switching_cost, util, int(params.relet_downtime_months))


@dataclass(frozen=True)
class Paths:
    """Price ratios (market ÷ contract price, months 0..T, month-major) for each process, on valuation and fitting
    paths, with Reflection's default month on each (T + 1 = none); the same shocks drive every process."""

    ratio: dict[Process, np.ndarray]
    fit_ratio: dict[Process, np.ndarray]
    default_month: np.ndarray
    fit_default_month: np.ndarray


def simulate_paths(params: Parameters, cash: CashflowModel, survival: np.ndarray, n_paths: int, n_fit: int, seed: int,
                   processes: tuple[Process, ...] = tuple(Process)) -> Paths:
    """Price paths under ``processes`` from common shocks, and default months from the survival curve (seeded)."""
    months = cash.clause.term_months
    k = params.contract_price_usd_per_gpu_hour
    ratio: dict[Process, np.ndarray] = {}
    fit_ratio: dict[Process, np.ndarray] = {}
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


def value(choice: ModelChoice, contract: stopping.Contract, fr: stopping.Frictions, paths: Paths, degree: int) -> stopping.ExitOutcome:
    """The contract under ``choice`` on the valuation paths (the optimal rule's policy fitted on the fitting paths)."""
    ratio, fit_ratio = paths.ratio[choice.process], paths.fit_ratio[choice.process]
    default = paths.default_month if choice.credit.defaults else None
    if choice.rule is Rule.MYOPIC:
        return stopping.myopic_exit(contract, ratio, fr, choice.who, default)
    policy = stopping.fit_exit_policy(contract, fit_ratio, fr, choice.who, paths.fit_default_month if choice.credit.defaults else None,
                                      degree)
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
    share_ended_by: dict[EndedBy, float]


def summarise(choice: ModelChoice, outcome: stopping.ExitOutcome) -> Summary:
    """Expected PV, chance of running to term, expected life, P10/P90 of PV and how the contracts end."""
    shares = {code: float(np.mean(outcome.ended_by == code)) for code in EndedBy}
    return Summary(choice, outcome.expected_pv_usd, outcome.prob_full_term, outcome.expected_life_months,
                   float(np.percentile(outcome.pv_usd, 10)), float(np.percentile(outcome.pv_usd, 90)), shares)


@dataclass(frozen=True)
class Headline:
    """The headline model path by path, and what the book reads off it."""

    outcome: stopping.ExitOutcome
    ratio: np.ndarray  # the price paths (market ÷ contract price), months 0..T
    default_month: np.ndarray
    pv_p50_usd: float
    share_ended_at_first_opportunity: float
    expected_revenue_usd: float  # undiscounted


@dataclass(frozen=True)
class Valuation:
    """The headline outcome path by path (for the seller's economics), and a summary of every model choice."""

    headline: Headline
    table: tuple[Summary, ...]
    seller_only: Summary
    no_exit_credit: Summary
    n_paths: int
    n_fit: int
    seed: int

    def summary(self, choice: ModelChoice) -> Summary:
        """The summary of ``choice`` (one of TABLE)."""
        for row in self.table:
            if row.choice == choice:
                return row
        raise InputError("Valuation.summary", "choice", choice.label, "a choice of the model-choice table")

    @property
    def headline_summary(self) -> Summary:
        """The headline model's row of the table."""
        return self.summary(HEADLINE)

    @property
    def expected_pv_min_usd(self) -> float:
        """Lowest expected present value across the table's model choices."""
        return min(row.expected_pv_usd for row in self.table)

    @property
    def expected_pv_max_usd(self) -> float:
        """Highest expected present value across the table's model choices."""
        return max(row.expected_pv_usd for row in self.table)

    @property
    def choices(self) -> int:
        """Model choices in the table."""
        return len(self.table)

    @property
    def by_choice(self) -> dict[str, Summary]:
        """Every row of the table by its choice's id (``ModelChoice.id``)."""
        return {row.choice.id: row for row in self.table}


def run(params: Parameters, cash: CashflowModel, survival: np.ndarray, methods: Methods, n_paths: int | None = None,
        n_fit: int | None = None, choices: tuple[ModelChoice, ...] = TABLE) -> Valuation:
    """Value the contract under every choice in ``choices`` (and SpaceX-only exit), on common random numbers.

    Paths and fitting paths default to the method register's."""
    n_paths = methods.valuation_paths if n_paths is None else n_paths
    n_fit = methods.fit_paths if n_fit is None else n_fit
    needed = tuple(k for k in Process if k == HEADLINE.process or any(c.process == k for c in choices))
    paths = simulate_paths(params, cash, survival, n_paths, n_fit, methods.valuation_seed, needed)
    contract, fr = exit_contract(cash), frictions(params)
    degree = methods.lsm_basis_degree
    table, headline = [], None
    for choice in choices:
        outcome = value(choice, contract, fr, paths, degree)
        table.append(summarise(choice, outcome))
        if choice == HEADLINE:
            headline = outcome
    if headline is None:
        headline = value(HEADLINE, contract, fr, paths, degree)
    seller_choice = dataclasses.replace(HEADLINE, who=Who.SELLER)
    seller = summarise(seller_choice, value(seller_choice, contract, fr, paths, degree))
    stuck = stopping.Frictions(fr.buyer_cost, fr.seller_discount, 0.0, fr.downtime_months)
    no_exit = ModelChoice(Who.SELLER, HEADLINE.process, Rule.MYOPIC, Credit.RUNWAY)
    none = summarise(no_exit, stopping.myopic_exit(contract, paths.ratio[HEADLINE.process], stuck, Who.SELLER, paths.default_month))
    stats = Headline(headline, paths.ratio[HEADLINE.process], paths.default_month, float(np.percentile(headline.pv_usd, 50)),
                     float(np.mean(headline.end_month == cash.clause.committed_months)),
                     float(np.mean(cash.schedule.cumulative_usd[headline.end_month - 1])))
    return Valuation(stats, tuple(table), seller, none, n_paths, n_fit, methods.valuation_seed)


def frictionless(params: Parameters, cash: CashflowModel, survival: np.ndarray, methods: Methods) -> Summary:
    """The headline model without default and with every friction set to zero (a check with a known answer: the
    committed minimum)."""
    free = dataclasses.replace(params, buyer_switching_cost=0.0, seller_switching_cost=0.0, relet_utilization=1.0, relet_downtime_months=0)
    return run(free, cash, survival, methods, methods.frictionless_paths, methods.frictionless_fit_paths,
               choices=(dataclasses.replace(HEADLINE, credit=Credit.NONE),)).table[0]
