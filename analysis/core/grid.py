"""Backward induction on a price grid: the exact solver of the contract's exit game.

What drives an exit is one state, the market price, plus time and an independent default hazard. With the log
price written ``x_j = m_j + y_j`` (``core.prices``: a deterministic level and an AR(1) deviation, Gaussian on a
monthly step for both the random walk and the mean-reverting process), each side's value is a function of
``(j, y_j)`` alone, found by backward induction from the last month:

* at a month-end ``j`` at which notice can still shorten the contract, each side compares the value of serving
  notice now (the remaining notice months, then replacement or re-letting at the market, in closed form from the
  lognormal expectation of future prices) with the value of holding on (the next month's payment and the
  expectation of next month-end's value); the contract ends at the first notice either side serves;
* between decision months, and after the last, the contract simply runs.

Expectations over one month's shock treat each value function as linear between the points of a uniform grid of
``y`` (flat beyond its ends) and integrate that exactly against the normal density, written once as a
transition matrix; the error falls with the square of the grid spacing. Default is exact: a payment is made with the probability the
survival curve gives, conditional on the payments before it; after a default the seller re-lets after the downtime.
The buyer decides as if it will pay (its own default costs it nothing it would plan for), as in ``core.stopping``.

Timing (one convention everywhere, ``core.contract``): month t = 1..T is paid at its start; price index j = 0..T
is the price at month-end j (0 = the start), so service month t is priced at index t − 1 and a decision at
month-end j sees index j; a notice at month-end j makes ``clause.end_month(j)`` the last paid month; default in
month m means payment m is not made.

``solve`` returns exact expected values (up to a grid error that refining the grid shows shrinking) and each side's
exercise boundary by month as a price ratio; ``apply_boundaries`` values simulated paths under those boundaries,
for the statistics an expectation cannot give (percentiles).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from ..validate import InputError, require_whole
from .choices import EndedBy, Rule, Who
from .prices import PriceProcess
from .stopping import Contract, ExitOutcome, Flows, Frictions, outcome

VALUES: tuple[str, ...] = ("seller", "paid", "buyer", "life", "revenue", "term", "by_buyer", "by_seller", "by_default")
"""The value functions carried backwards: the seller's total (payments, then re-letting), payments received, the
buyer's cost (payments, then replacement), paid months, revenue, and the probabilities of running to term and of
ending by each cause."""


@dataclass(frozen=True)
class GridSpec:
    """How fine the grid is: points of ``y``, and its half-width in standard deviations of the widest month's deviation."""

    points: int
    width_sd: float

    def __post_init__(self) -> None:
        require_whole("points", self.points, where="GridSpec", minimum=11)
        if not self.width_sd > 0:
            raise InputError("GridSpec", "width_sd", self.width_sd, "a positive number of standard deviations")

    def refined(self) -> GridSpec:
        """The same grid with its spacing halved (for convergence checks)."""
        return GridSpec(2 * self.points - 1, self.width_sd)


@dataclass(frozen=True)
class Lattice:
    """A price process on a grid: the ``y`` axis, the one-month transition (rows sum to one), the log price
    ratio level by month, and E[ratio at index k | y_j] for every j ≤ k (``expected[j]`` has rows k = j..T)."""

    process: PriceProcess
    y: np.ndarray
    transition: np.ndarray
    log_ratio_level: np.ndarray
    expected: tuple[np.ndarray, ...]


def hat_transition(y: np.ndarray, phi: float, shock_sd: float, tolerance: float = 1e-13) -> np.ndarray:
    """The one-month transition on the grid ``y``: row i gives the weights w_ik with E[f(φ y_i + σ Z)] = Σ_k w_ik f_k for
    every f linear between grid points (and flat beyond the ends), by integrating each hat function exactly against
    the normal density. Rows sum to one; weights below ``tolerance`` are dropped (and the row renormalised). Dense: at
    the grid sizes used, a dense product (BLAS) is faster than a sparse one."""
    mean = phi * y[:, np.newaxis]
    if shock_sd == 0:
        position = np.clip((phi * y - y[0]) / (y[1] - y[0]), 0.0, len(y) - 1.0)
        left = np.minimum(np.floor(position).astype(int), len(y) - 2)
        right = position - left
        rows = np.repeat(np.arange(len(y)), 2)
        cols = np.stack([left, left + 1], axis=-1).ravel()
        vals = np.stack([1.0 - right, right], axis=-1).ravel()
        dense = np.zeros((len(y), len(y)))
        np.add.at(dense, (rows, cols), vals)
        return dense
    z = (y[np.newaxis, :] - mean) / shock_sd  # standardised grid points, (N, N)
    cdf, pdf = special.ndtr(z), np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    width = np.diff(y)  # interval k runs from y_k to y_{k+1}
    mass = np.diff(cdf, axis=1)  # P(y_k < X < y_{k+1})
    first_moment = (mean - y[np.newaxis, :-1]) * mass - shock_sd * np.diff(pdf, axis=1)  # E[(X − y_k) 1{...}]
    to_right = first_moment / width[np.newaxis, :]
    weights = np.zeros((len(y), len(y)))
    weights[:, :-1] += mass - to_right
    weights[:, 1:] += to_right
    weights[:, 0] += cdf[:, 0]  # below the grid: flat at the first point
    weights[:, -1] += 1.0 - cdf[:, -1]  # above it: flat at the last
    weights[weights < tolerance] = 0.0
    weights /= weights.sum(axis=1, keepdims=True)
    return weights


def lattice(process: PriceProcess, contract_price: float, spec: GridSpec) -> Lattice:
    """Put ``process`` on a grid for a contract at ``contract_price`` (the ratio is market ÷ contract price)."""
    T = process.months
    sd_max = float(np.sqrt(np.max(process.deviation_variance(np.arange(T + 1)))))
    half = max(spec.width_sd * sd_max, 1.5 * abs(process.start_gap), 1e-6)
    y = np.linspace(-half, half, spec.points)
    level = process.log_level - np.log(contract_price)
    expected = []
    for j in range(T + 1):
        k = np.arange(0, T - j + 1, dtype=float)
        expected.append(np.exp(level[j:, np.newaxis] + (process.phi ** k)[:, np.newaxis] * y[np.newaxis, :]
                               + 0.5 * process.deviation_variance(k)[:, np.newaxis]))
    return Lattice(process, y, hat_transition(y, process.phi, process.shock_sd), level, tuple(expected))


@dataclass(frozen=True)
class Solution:
    """The game solved: expected values at the start and each side's exercise boundary by decision month.

    Reflection serves notice at decision month ``months[i]`` when the price ratio (market ÷ contract) is below
    ``buyer_below[i]`` (0: never); SpaceX when it is above ``seller_above[i]`` (inf: never). ``monotone`` says whether
    each side's exercise region was one interval at every month (so the boundaries describe the policy exactly).
    """

    months: np.ndarray
    buyer_below: np.ndarray
    seller_above: np.ndarray
    monotone: bool
    expected_pv_usd: float  # payments received
    seller_total_usd: float  # payments, then re-letting at the market
    buyer_cost_usd: float  # payments, then replacement at the market (default-free)
    expected_life_months: float
    expected_revenue_usd: float
    prob_full_term: float
    share_ended_by: dict[EndedBy, float]


def _survival(survival: np.ndarray | None, T: int) -> np.ndarray:
    """S_0..S_T: probability payment t is made (S_0 = 1)."""
    if survival is None:
        return np.ones(T + 1)
    s = np.asarray(survival, dtype=float)
    if s.shape != (T,):
        raise InputError("grid.solve", "survival", s.shape, f"one probability per month of the term ({T})")
    return np.concatenate([[1.0], s])


def _crossing(y: np.ndarray, gap: np.ndarray, wants: np.ndarray, below: bool) -> tuple[int | None, float, bool]:
    """Where a side's exercise region ends: the grid cell holding the boundary (None if the region is empty or the
    whole grid), the boundary's ``y`` (the zero of ``gap``, negative where the side wants out, interpolated in the
    cell; -inf/inf when it never exercises) and whether the region is one interval at that end of the grid."""
    if not wants.any():
        return None, (-np.inf if below else np.inf), True
    if wants.all():
        return None, (np.inf if below else -np.inf), True
    inside = np.flatnonzero(wants)
    if below:
        last = int(inside.max())
        one_interval = bool(wants[: last + 1].all())
        a = last
    else:
        first = int(inside.min())
        one_interval = bool(wants[first:].all())
        a = first - 1
    share = gap[a] / (gap[a] - gap[a + 1]) if gap[a] != gap[a + 1] else 0.5
    return a, float(y[a] + share * (y[a + 1] - y[a])), one_interval


@dataclass(frozen=True)
class Jump:
    """Policy boundaries inside the grid cell from ``cell`` to ``cell + 1``: the cell splits at ``breaks`` (one or two
    values of ``y``) into pieces, on each of which one branch of the value functions holds; ``branches[i]`` gives that
    branch (rows of VALUES) at the cell's two grid points, so each piece is a straight line of its own."""

    cell: int
    breaks: tuple[float, ...]
    branches: tuple[np.ndarray, ...]  # each (len(VALUES), 2)


def _piece(mean: np.ndarray, sd: float, origin: float, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """P(low < X < high) and E[(X − origin) 1{low < X < high}] for X ~ N(mean, sd²), per row."""
    a, b = (low - mean) / sd, (high - mean) / sd
    mass = special.ndtr(b) - special.ndtr(a)
    density = (np.exp(-0.5 * b**2) - np.exp(-0.5 * a**2)) / np.sqrt(2.0 * np.pi)
    return mass, (mean - origin) * mass - sd * density


def _jump_correction(y: np.ndarray, phi: float, sd: float, jump: Jump) -> np.ndarray:
    """What the expectation of value functions that jump inside a cell adds to that of their straight line between the
    cell's two grid points: the exact integral of each branch over its piece, less the integral of the line joining
    the values at the two points; shape (len(VALUES), len(y))."""
    if sd == 0:
        return np.zeros((jump.branches[0].shape[0], len(y)))
    lo, hi = y[jump.cell], y[jump.cell + 1]
    width = hi - lo
    mean = phi * y
    edges = (lo, *jump.breaks, hi)
    exact = np.zeros((jump.branches[0].shape[0], len(y)))
    for branch, low, high in zip(jump.branches, edges[:-1], edges[1:], strict=True):
        mass, moment = _piece(mean, sd, lo, low, high)
        exact += branch[:, :1] * mass + ((branch[:, 1] - branch[:, 0]) / width)[:, np.newaxis] * moment
    mass, moment = _piece(mean, sd, lo, lo, hi)
    start, end = jump.branches[0][:, 0], jump.branches[-1][:, 1]
    line = start[:, np.newaxis] * mass + ((end - start) / width)[:, np.newaxis] * moment
    return exact - line


def _jumps(buyer: tuple[int | None, float], seller: tuple[int | None, float], by_buyer: np.ndarray, hold: np.ndarray,
           by_seller: np.ndarray) -> list[Jump]:
    """The cells where the value functions jump: at Reflection's boundary (its notice left, holding right), at SpaceX's
    (holding left, its notice right), or both in one cell (three pieces)."""
    (b_cell, b_at), (s_cell, s_at) = buyer, seller
    found = []
    if b_cell is not None and b_cell == s_cell and b_at <= s_at:
        cells = [b_cell, b_cell + 1]
        return [Jump(b_cell, (b_at, s_at), (by_buyer[:, cells], hold[:, cells], by_seller[:, cells]))]
    if b_cell is not None:
        cells = [b_cell, b_cell + 1]
        found.append(Jump(b_cell, (b_at,), (by_buyer[:, cells], hold[:, cells])))
    if s_cell is not None:
        cells = [s_cell, s_cell + 1]
        found.append(Jump(s_cell, (s_at,), (hold[:, cells], by_seller[:, cells])))
    return found


def solve(contract: Contract, frictions: Frictions, grid: Lattice, survival: np.ndarray | None, who: Who, rule: Rule) -> Solution:
    """Backward induction on the lattice: expected values and both sides' exercise boundaries (see the module)."""
    clause, fr = contract.clause, frictions
    T = clause.term_months
    if grid.process.months != T:
        raise InputError("grid.solve", "process", grid.process.months, f"a price process over the term ({T} months)")
    who, rule = Who.parse(who), Rule.parse(rule)
    y, n = grid.y, len(grid.y)
    S = _survival(survival, T)
    pay = contract.amounts_usd * contract.discount  # PV of month t's payment, index t - 1
    fee = contract.full_fee_usd * contract.discount  # PV of a month of the capacity at the contract price
    relet_share = fr.relet_utilization * (1.0 - fr.seller_discount)
    months = np.asarray(contract.decision_months, dtype=int)
    position = {int(j): i for i, j in enumerate(months)}
    buyer_below, seller_above = np.zeros(len(months)), np.full(len(months), np.inf)
    monotone = True
    V = np.zeros((len(VALUES), n))
    V[VALUES.index("term")] = 1.0  # having made payment T, the contract ran to term
    row = {name: i for i, name in enumerate(VALUES)}
    phi, sd = grid.process.phi, grid.process.shock_sd
    jumps: list[Jump] = []  # the boundaries of the month-end after this one, where the value functions jump
    for j in range(T - 1, -1, -1):
        # market[r]: PV at the market of months j + r + 1..T (month t priced at index t - 1), r = 0..T - j.
        monthly = fee[j:, np.newaxis] * grid.expected[j][:-1]
        market = np.zeros((T - j + 1, n))
        market[:-1] = np.cumsum(monthly[::-1], axis=0)[::-1]

        def after(p: int, market: np.ndarray = market, j: int = j) -> np.ndarray:
            return market[min(p, T) - j]

        survive = S[j + 1] / S[j] if S[j] > 0 else 0.0
        nxt = (grid.transition @ V.T).T
        for jump in jumps:
            nxt = nxt + _jump_correction(y, phi, sd, jump)
        jumps = []
        hold = np.empty_like(V)
        hold[row["seller"]] = survive * (pay[j] + nxt[row["seller"]]) + (1 - survive) * relet_share * after(j + fr.downtime_months)
        hold[row["paid"]] = survive * (pay[j] + nxt[row["paid"]])
        hold[row["buyer"]] = pay[j] + nxt[row["buyer"]]
        hold[row["life"]] = survive * (1.0 + nxt[row["life"]])
        hold[row["revenue"]] = survive * (contract.amounts_usd[j] + nxt[row["revenue"]])
        hold[row["term"]] = survive * nxt[row["term"]]
        hold[row["by_buyer"]], hold[row["by_seller"]] = survive * nxt[row["by_buyer"]], survive * nxt[row["by_seller"]]
        hold[row["by_default"]] = (1 - survive) + survive * nxt[row["by_default"]]
        if j not in position:
            V = hold
            continue
        end = int(clause.end_month(j))
        alive = S[j + 1:end + 1] / S[j] if S[j] > 0 else np.zeros(end - j)  # P(payment t made | payment j made)
        reaches = S[end] / S[j] if S[j] > 0 else 0.0
        relet = reaches * after(end + fr.downtime_months)
        for q in range(j, end):  # default in month q + 1: paid through q
            relet = relet + ((S[q] - S[q + 1]) / S[j] if S[j] > 0 else 0.0) * after(q + fr.downtime_months)
        leave = np.empty_like(V)
        leave[row["seller"]] = float(pay[j:end] @ alive) + relet_share * relet
        leave[row["paid"]] = float(pay[j:end] @ alive)
        leave[row["buyer"]] = float(pay[j:end].sum()) + (1.0 + fr.buyer_cost) * after(end)
        leave[row["life"]] = float(alive.sum())
        leave[row["revenue"]] = float(contract.amounts_usd[j:end] @ alive)
        leave[row["term"]] = 0.0
        leave[row["by_default"]] = 1.0 - reaches
        ratio = np.exp(grid.log_ratio_level[j] + y)
        if rule is Rule.MYOPIC:
            buyer_gap, seller_gap = (1.0 + fr.buyer_cost) * ratio - 1.0, 1.0 - relet_share * ratio
        else:
            buyer_gap, seller_gap = leave[row["buyer"]] - hold[row["buyer"]], hold[row["seller"]] - leave[row["seller"]]
        buyer_wants = who.buyer_may_exit & (buyer_gap < 0)
        seller_wants = who.seller_may_exit & (seller_gap < 0)
        by_buyer, by_seller = leave.copy(), leave.copy()  # the exit branch as each side's notice
        by_buyer[row["by_buyer"]], by_buyer[row["by_seller"]] = reaches, 0.0
        by_seller[row["by_buyer"]], by_seller[row["by_seller"]] = 0.0, reaches
        V = np.where(buyer_wants, by_buyer, np.where(seller_wants, by_seller, hold))
        i = position[j]
        buyer_cell, buyer_y, one_b = _crossing(y, buyer_gap, buyer_wants, below=True)
        seller_cell, seller_y, one_s = _crossing(y, seller_gap, seller_wants, below=False)
        buyer_below[i] = float(np.exp(grid.log_ratio_level[j] + buyer_y))
        seller_above[i] = float(np.exp(grid.log_ratio_level[j] + seller_y))
        monotone = monotone and one_b and one_s
        jumps = _jumps((buyer_cell, buyer_y), (seller_cell, seller_y), by_buyer, hold, by_seller)
    start = {name: float(np.interp(grid.process.start_gap, y, V[row[name]])) for name in VALUES}
    shares = {EndedBy.TERM: start["term"], EndedBy.BUYER: start["by_buyer"], EndedBy.SELLER: start["by_seller"],
              EndedBy.DEFAULT: start["by_default"]}
    return Solution(months, buyer_below, seller_above, monotone, start["paid"], start["seller"], start["buyer"], start["life"],
                    start["revenue"], start["term"], shares)


def first_notice(solution: Solution, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """On each path (price ratios at months 0..T), the first decision month-end at which the ratio is below
    Reflection's boundary or above SpaceX's (−1: none), and who serves it (``EndedBy`` codes)."""
    r = np.asarray(ratio, dtype=float)
    n = r.shape[1]
    notice, by = np.full(n, -1), np.zeros(n, dtype=np.int8)
    for i in range(len(solution.months) - 1, -1, -1):
        j = solution.months[i]
        buyer, seller = r[j] < solution.buyer_below[i], r[j] > solution.seller_above[i]
        hit = buyer | seller
        notice = np.where(hit, j, notice)
        by = np.where(hit, np.where(buyer, EndedBy.BUYER, EndedBy.SELLER), by).astype(np.int8)
    return notice, by


def apply_boundaries(solution: Solution, contract: Contract, ratio: np.ndarray, frictions: Frictions,
                     default_month: np.ndarray | None = None) -> ExitOutcome:
    """Value simulated paths (price ratios at months 0..T) under the solved boundaries: the first decision month-end
    at which the ratio is below Reflection's boundary or above SpaceX's."""
    r = np.asarray(ratio, dtype=float)
    if r.ndim != 2 or r.shape[0] != contract.clause.term_months + 1:
        raise InputError("apply_boundaries", "ratio", r.shape, f"(months 0..T = {contract.clause.term_months + 1}, paths)")
    notice, by = first_notice(solution, r)
    return outcome(contract, Flows(contract, r, frictions, default_month), notice, by)


def stop(grid: Lattice, payoff: Callable[[int, np.ndarray], np.ndarray], step_discount: float, dates: set[int]) -> float:
    """The value at the start of the best stopping rule for one holder who may stop at the month-ends (steps) in
    ``dates`` and receive ``payoff(j, ratio)``: backward induction V_j = max(payoff, discount × E[V_{j+1}]) on the
    lattice (the textbook Bermudan option; the contract's two-sided game is ``solve``)."""
    T = grid.process.months
    y = grid.y
    V = payoff(T, np.exp(grid.log_ratio_level[T] + y)) if T in dates else np.zeros(len(y))
    for j in range(T - 1, -1, -1):
        hold = step_discount * (grid.transition @ V)
        V = np.maximum(hold, payoff(j, np.exp(grid.log_ratio_level[j] + y))) if j in dates else hold
    return float(np.interp(grid.process.start_gap, y, V))
