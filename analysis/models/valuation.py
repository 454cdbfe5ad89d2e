"""The contract valued with every way it can end early, under each modelling choice, side by side.

Four choices drive the value, and each has an alternative (the enumerations ``Who``, ``Process``, ``Rule``,
``Credit``): who may exit (both sides, or Reflection only; SpaceX only is valued beside the table); the price process
(a random walk, or mean-reverting around the long-run level); the exercise rule (*myopic*: leave as soon as this
month's price makes leaving pay; *optimal*: leave when leaving is worth more than holding on, counting the rest of
the term, the notice period and the value of waiting); credit (Reflection never defaults, or defaults on its
funding-runway hazard).

Every choice is solved exactly by backward induction on a price grid (``core.grid``): expected present value, life,
revenue and how the contract ends are expectations, not averages over paths. The solved exercise boundaries are then
applied to simulated paths, on common random numbers (the same shocks for both processes, the same default draws
for every choice), for what an expectation cannot give: percentiles, the share of paths that end at the first
opportunity, and the seller's economics path by path. Every simulated statistic carries a standard error from
independent batches of paths. Least-squares Monte Carlo (``core.stopping``) is kept as a cross-check of the optimal
rule, with its bias against the grid measured per choice.

Random streams: one root seed, split with ``numpy.random.SeedSequence.spawn`` into independent streams for price
shocks, default draws and each replication of the cross-check.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from ..core import credit, grid, stopping
from ..core.choices import Credit, EndedBy, Rule, Who
from ..core.prices import Process
from ..methods import Methods
from ..validate import InputError
from .cashflow import CashflowModel
from .market import price_process
from .terms import Parameters

__all__ = ["HEADLINE", "TABLE", "TABLE_WHO", "Credit", "CrossCheck", "EndedBy", "Estimate", "Headline", "ModelChoice",
           "Paths", "Process", "Rule", "Summary", "Valuation", "Who", "cross_check", "exit_contract", "frictionless",
           "frictions", "run", "simulate_paths", "solve", "streams"]


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


def streams(seed: int) -> dict[str, np.random.SeedSequence]:
    """Independent random streams from one root seed: price shocks, default draws, and the cross-check's fitting and
    valuation streams (each spawned again per replication)."""
    names = ("shocks", "defaults", "lsm_fit", "lsm_value")
    return dict(zip(names, np.random.SeedSequence(seed).spawn(len(names)), strict=True))


@dataclass(frozen=True)
class Paths:
    """Price ratios (market ÷ contract price, months 0..T, month-major) for each process from the same shocks, and
    Reflection's default month on each path (T + 1 = none)."""

    ratio: dict[Process, np.ndarray]
    default_month: np.ndarray


def simulate_paths(params: Parameters, cash: CashflowModel, survival: np.ndarray, n_paths: int,
                   shocks: np.random.SeedSequence, defaults: np.random.SeedSequence,
                   processes: tuple[Process, ...] = tuple(Process)) -> Paths:
    """Price paths under ``processes`` from common shocks, and default months from the survival curve."""
    months = cash.clause.term_months
    k = params.contract_price_usd_per_gpu_hour
    ratio: dict[Process, np.ndarray] = {}
    for kind in processes:
        process = price_process(params, kind, months)
        y = process.simulate(np.random.default_rng(shocks), n_paths)
        y += process.log_level[:, np.newaxis]
        np.exp(y, out=y)
        y /= k
        ratio[kind] = y
    return Paths(ratio, credit.draw_default_months(np.random.default_rng(defaults), survival, n_paths))


@dataclass(frozen=True)
class Estimate:
    """A simulated statistic and its standard error (from independent batches of paths)."""

    value: float
    se: float


def batch_estimate(values: np.ndarray, statistic: str, batches: int) -> Estimate:
    """``statistic`` ('mean', 'p10', 'p50', 'p90') of ``values`` over all paths, with its standard error: the spread of
    the statistic across ``batches`` equal batches, ÷ √batches (the mean's error is the textbook σ/√n)."""
    x = np.asarray(values, dtype=float)

    def stat(v: np.ndarray) -> float:
        return float(np.mean(v)) if statistic == "mean" else float(np.percentile(v, int(statistic[1:])))

    if statistic == "mean":
        return Estimate(stat(x), float(np.std(x, ddof=1) / np.sqrt(len(x))))
    parts = np.array_split(x, batches)
    return Estimate(stat(x), float(np.std([stat(p) for p in parts], ddof=1) / np.sqrt(batches)))


@dataclass(frozen=True)
class Summary:
    """What the model-choice table shows for one choice: the exact expectations of the grid solver, and the
    simulated percentiles with their standard errors."""

    choice: ModelChoice
    solution: grid.Solution
    pv_p10: Estimate
    pv_p90: Estimate
    simulated_pv: Estimate  # the mean over the simulated paths: a check on the exact value

    @property
    def expected_pv_usd(self) -> float:
        """Expected present value of the payments received (exact)."""
        return self.solution.expected_pv_usd

    @property
    def prob_full_term(self) -> float:
        """Probability the contract runs to term (exact)."""
        return self.solution.prob_full_term

    @property
    def expected_life_months(self) -> float:
        """Expected paid months (exact)."""
        return self.solution.expected_life_months

    @property
    def share_ended_by(self) -> dict[EndedBy, float]:
        """Probability the contract ends by each cause (exact)."""
        return self.solution.share_ended_by

    @property
    def pv_p10_usd(self) -> float:
        """10th percentile of the present value across simulated paths."""
        return self.pv_p10.value

    @property
    def pv_p90_usd(self) -> float:
        """90th percentile of the present value across simulated paths."""
        return self.pv_p90.value


def solve(choice: ModelChoice, contract: stopping.Contract, fr: stopping.Frictions, lattices: dict[Process, grid.Lattice],
          survival: np.ndarray | None) -> grid.Solution:
    """The exact solution of ``choice`` on its process's lattice."""
    return grid.solve(contract, fr, lattices[choice.process], survival if choice.credit.defaults else None, choice.who, choice.rule)


def summarise(choice: ModelChoice, solution: grid.Solution, contract: stopping.Contract, fr: stopping.Frictions, paths: Paths,
              batches: int) -> tuple[Summary, stopping.ExitOutcome]:
    """The choice's exact solution with its simulated percentiles (the boundaries applied to the common paths)."""
    default = paths.default_month if choice.credit.defaults else None
    outcome = grid.apply_boundaries(solution, contract, paths.ratio[choice.process], fr, default)
    pv = outcome.pv_usd
    return (Summary(choice, solution, batch_estimate(pv, "p10", batches), batch_estimate(pv, "p90", batches),
                    batch_estimate(pv, "mean", batches)), outcome)


@dataclass(frozen=True)
class Headline:
    """The headline model path by path (for the seller's economics), and what the book reads off the paths."""

    outcome: stopping.ExitOutcome
    ratio: np.ndarray  # the price paths (market ÷ contract price), months 0..T
    default_month: np.ndarray
    pv_p50: Estimate
    ended_at_first_opportunity: Estimate

    @property
    def pv_p50_usd(self) -> float:
        """Median present value across the simulated paths."""
        return self.pv_p50.value

    @property
    def share_ended_at_first_opportunity(self) -> float:
        """Share of paths ending at the earliest date the clause allows."""
        return self.ended_at_first_opportunity.value


@dataclass(frozen=True)
class CrossCheck:
    """The optimal rule by least-squares Monte Carlo against the exact solver, for one choice: the estimate and its
    standard error (spread of independent replications, fitting noise included) with the textbook cubic basis and
    with the grid's boundary added as a knot."""

    choice: ModelChoice
    exact_usd: float
    cubic: Estimate
    with_knot: Estimate

    @property
    def cubic_bias(self) -> float:
        """(Cubic-basis estimate − exact) ÷ exact."""
        return self.cubic.value / self.exact_usd - 1.0

    @property
    def knot_bias(self) -> float:
        """(Estimate with the boundary knot − exact) ÷ exact."""
        return self.with_knot.value / self.exact_usd - 1.0


@dataclass(frozen=True)
class Valuation:
    """Every model choice solved and summarised, the headline path by path, and the cross-check."""

    headline: Headline
    table: tuple[Summary, ...]
    seller_only: Summary
    no_exit_credit: Estimate  # default the only way out, on the simulated default draws (a check on the closed form)
    cross_checks: tuple[CrossCheck, ...]
    n_paths: int
    batches: int
    grid_points: int
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

    @property
    def largest_cubic_bias(self) -> float:
        """The cross-check's largest absolute bias with the cubic basis (a share of the exact value)."""
        return max(abs(c.cubic_bias) for c in self.cross_checks) if self.cross_checks else 0.0


def lattices_for(params: Parameters, cash: CashflowModel, processes: tuple[Process, ...], points: int, width_sd: float) -> dict[Process, grid.Lattice]:
    """Each process on the price grid."""
    spec = grid.GridSpec(points, width_sd)
    return {p: grid.lattice(price_process(params, p, cash.clause.term_months), params.contract_price_usd_per_gpu_hour, spec)
            for p in processes}


def cross_check(choice: ModelChoice, solution: grid.Solution, params: Parameters, cash: CashflowModel, survival: np.ndarray,
                methods: Methods, fit: np.random.SeedSequence, valuation: np.random.SeedSequence) -> CrossCheck:
    """Least-squares Monte Carlo of ``choice`` (optimal rule) in independent replications, with the cubic basis and with
    the grid's boundary as a knot, against the exact value."""
    contract, fr = exit_contract(cash), frictions(params)
    default_on = choice.credit.defaults
    knots = np.where(choice.who.buyer_may_exit, solution.buyer_below, solution.seller_above)
    results: dict[str, list[float]] = {"cubic": [], "knot": []}
    for fit_seed, value_seed in zip(fit.spawn(methods.lsm_replications), valuation.spawn(methods.lsm_replications), strict=True):
        fit_shocks, fit_defaults = fit_seed.spawn(2)
        value_shocks, value_defaults = value_seed.spawn(2)
        fit_paths = simulate_paths(params, cash, survival, methods.fit_paths, fit_shocks, fit_defaults, (choice.process,))
        value_paths = simulate_paths(params, cash, survival, methods.lsm_paths, value_shocks, value_defaults, (choice.process,))
        for name, knot in (("cubic", None), ("knot", knots)):
            policy = stopping.fit_exit_policy(contract, fit_paths.ratio[choice.process], fr, choice.who,
                                              fit_paths.default_month if default_on else None, methods.lsm_basis_degree, knot)
            out = stopping.apply_exit_policy(policy, contract, value_paths.ratio[choice.process], fr,
                                             value_paths.default_month if default_on else None)
            results[name].append(out.expected_pv_usd)

    def estimate(values: list[float]) -> Estimate:
        return Estimate(float(np.mean(values)), float(np.std(values, ddof=1) / np.sqrt(len(values))))

    return CrossCheck(choice, solution.expected_pv_usd, estimate(results["cubic"]), estimate(results["knot"]))


def run(params: Parameters, cash: CashflowModel, survival: np.ndarray, methods: Methods,
        choices: tuple[ModelChoice, ...] = TABLE, with_paths: bool = True, with_cross_check: bool = True) -> Valuation:
    """Solve every choice in ``choices`` (and SpaceX-only exit) exactly; apply the boundaries to common simulated
    paths (``with_paths``); and cross-check the optimal rule by least squares (``with_cross_check``)."""
    needed = tuple(k for k in Process if k == HEADLINE.process or any(c.process == k for c in choices))
    lattices = lattices_for(params, cash, needed, methods.grid_points, methods.grid_width_sd)
    contract, fr = exit_contract(cash), frictions(params)
    seeds = streams(methods.valuation_seed)
    n = methods.valuation_paths if with_paths else methods.error_batches * 2
    paths = simulate_paths(params, cash, survival, n, seeds["shocks"], seeds["defaults"], needed)
    batches = methods.error_batches
    solutions = {c: solve(c, contract, fr, lattices, survival) for c in choices}
    if HEADLINE not in solutions:
        solutions[HEADLINE] = solve(HEADLINE, contract, fr, lattices, survival)
    table, outcomes = [], {}
    for choice in choices:
        row, outcomes[choice] = summarise(choice, solutions[choice], contract, fr, paths, batches)
        table.append(row)
    if HEADLINE not in outcomes:
        outcomes[HEADLINE] = summarise(HEADLINE, solutions[HEADLINE], contract, fr, paths, batches)[1]
    seller_choice = dataclasses.replace(HEADLINE, who=Who.SELLER)
    seller, _ = summarise(seller_choice, solve(seller_choice, contract, fr, lattices, survival), contract, fr, paths, batches)
    out = outcomes[HEADLINE]
    per_payment = contract.amounts_usd * contract.discount
    credit_only = np.concatenate([[0.0], np.cumsum(per_payment)])[paths.default_month - 1]
    first = (out.end_month == cash.clause.committed_months).astype(float)
    headline = Headline(out, paths.ratio[HEADLINE.process], paths.default_month, batch_estimate(out.pv_usd, "p50", batches),
                        batch_estimate(first, "mean", batches))
    fit_streams, value_streams = seeds["lsm_fit"].spawn(len(choices)), seeds["lsm_value"].spawn(len(choices))
    checks = tuple(cross_check(c, solutions[c], params, cash, survival, methods, fit_streams[i], value_streams[i])
                   for i, c in enumerate(choices) if with_cross_check and c.rule is Rule.OPTIMAL)
    return Valuation(headline, tuple(table), seller, batch_estimate(credit_only, "mean", batches), checks, n, batches,
                     methods.grid_points, methods.valuation_seed)


def frictionless(params: Parameters, cash: CashflowModel, methods: Methods) -> grid.Solution:
    """The headline model without default and with every friction set to zero: a check with a known answer (the
    committed minimum)."""
    free = dataclasses.replace(params, buyer_switching_cost=0.0, seller_switching_cost=0.0, relet_utilization=1.0, relet_downtime_months=0)
    lattices = lattices_for(free, cash, (HEADLINE.process,), methods.grid_points, methods.grid_width_sd)
    return solve(dataclasses.replace(HEADLINE, credit=Credit.NONE), exit_contract(cash), frictions(free), lattices, None)
