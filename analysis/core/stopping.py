"""Optimal stopping by least-squares Monte Carlo (Longstaff and Schwartz 2001), and the contract's exit game.

``lsm_stop`` is the textbook single-player engine: walking back from the last exercise date, it regresses
the realized value of holding on basis functions of the state at each date and stops where the immediate
exercise value beats the fitted continuation. It is checked against published American-put values.

``exit_game`` applies the same backward induction to the contract, where exercising is serving notice: the
contract then ends after the notice period and each side replaces it at the market (the buyer buys capacity,
the seller re-leases after some downtime). Both the value of exiting and of holding on depend on future
prices, so both are estimated by regression on the price at the decision date. Exit rights may belong to
the buyer, the seller or both (a stopping game: the contract ends at the first notice either side serves;
Kifer 2000's game options are the zero-sum case, ours is not, because of the frictions). The exercise policy is
fitted on one set of paths and applied to another, so the value is not biased up by fitting noise.

Conventions (``core.contract``): months 1..T are payment months, each paid at its start; ``discount[t-1]``
discounts month t's payment to the start; prices enter as the ratio r = market price ÷ contract price at month-ends
0..T on each path (month-major arrays, shape (T + 1, n)), so service month t is valued at index t − 1 (the price
when it starts) and a decision at month-end j sees index j; a notice served at the end of month j makes
``clause.end_month(j)`` the last paid month; default in month m means payment m is not made.

This engine is the book's cross-check: the exact solver is ``core.grid`` (backward induction on a price grid). The
basis can carry a knot per decision month (a hinge max(r − knot, 0) and its square), for instance at the grid
solver's exercise boundary, which lets the regression bend where the decision is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..validate import InputError, require_finite, require_positive
from .choices import EndedBy, Who
from .contract import Clause

CHECKED_PATHS: int = 1_000
"""Paths whose price ratios are checked to be positive (all of them would cost as much as the valuation)."""


def basis(ratio: np.ndarray, degree: int = 3, knot: float | None = None) -> np.ndarray:
    """Polynomial basis 1, r, r², … of the price ratio r (n,) as an (n, degree + 1) matrix; with a ``knot``, two more
    columns: the hinge max(r − knot, 0) and its square."""
    r = np.asarray(ratio, dtype=float)
    x = np.vander(r, degree + 1, increasing=True)
    if knot is None:
        return x
    hinge = np.maximum(r - knot, 0.0)
    return np.column_stack([x, hinge, hinge**2])


def regress(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares coefficients of y (n,) or of each column of y (n, m) on the basis x (n, k), by the normal
    equations on columns scaled to unit norm (fast for the tall, narrow bases here); a rank-deficient basis (a
    constant state) falls back to the minimum-norm solution."""
    scale = np.linalg.norm(x, axis=0)
    scale[scale == 0] = 1.0
    z = x / scale
    gram = z.T @ z
    if np.linalg.cond(gram) > 1e12:
        coef, *_ = np.linalg.lstsq(x, y, rcond=None)
        return coef
    solved = np.linalg.solve(gram, z.T @ y)
    return solved / (scale if solved.ndim == 1 else scale[:, np.newaxis])


# --------------------------------------------------------------------------------------------
# The textbook engine


def lsm_stop(exercise: np.ndarray, hold_to_end: np.ndarray, basis_at: Callable[[int], np.ndarray],
             in_the_money: np.ndarray | None = None, regress_exercise: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares Monte Carlo: the value of the best stopping rule on each path, and the date it stops.

    ``exercise[j]`` (J, n) is the present value of stopping at decision date j (realized on the path);
    ``hold_to_end`` (n,) the present value of never stopping; ``basis_at(j)`` the (n, k) regressors at date j.
    Only paths flagged in ``in_the_money[j]`` (default: all) enter the regressions and may stop.
    ``regress_exercise`` estimates the exercise value by regression too, for payoffs that depend on the
    future. Returns (value per path under the fitted rule, stopping date index with J = never).
    """
    ex = require_finite("exercise", exercise, where="lsm_stop")
    value = require_finite("hold_to_end", hold_to_end, where="lsm_stop").copy()
    dates, n = ex.shape
    if value.shape != (n,):
        raise InputError("lsm_stop", "hold_to_end", value.shape, f"one value per path ({n})")
    stop = np.full(n, dates)
    for j in range(dates - 1, -1, -1):
        mask = np.ones(n, dtype=bool) if in_the_money is None else np.asarray(in_the_money[j], dtype=bool)
        if not mask.any():
            continue
        x = basis_at(j)[mask]
        continuation = x @ regress(x, value[mask])
        now = x @ regress(x, ex[j, mask]) if regress_exercise else ex[j, mask]
        go = np.zeros(n, dtype=bool)
        go[mask] = now > continuation
        value[go] = ex[j, go]
        stop[go] = j
    return value, stop


# --------------------------------------------------------------------------------------------
# The contract


@dataclass(frozen=True)
class Frictions:
    """What leaving costs each side, per month after the contract ends, as shares of the market price.

    The buyer pays ``1 + buyer_cost`` times the market price for replacement capacity; the seller re-leases
    ``relet_utilization`` of the capacity at ``1 − seller_discount`` times the market price, after
    ``downtime_months`` months with no tenant.
    """

    buyer_cost: float
    seller_discount: float
    relet_utilization: float
    downtime_months: int

    def __post_init__(self) -> None:
        require_positive("buyer_cost", self.buyer_cost, where="Frictions", allow_zero=True)
        for name in ("seller_discount", "relet_utilization"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise InputError("Frictions", name, value, "a share in [0, 1]")
        if isinstance(self.downtime_months, bool) or not isinstance(self.downtime_months, (int, np.integer)) or self.downtime_months < 0:
            raise InputError("Frictions", "downtime_months", self.downtime_months, "a whole number of months >= 0")


@dataclass(frozen=True)
class Contract:
    """The contract as the exit game sees it: payments, discount factors, the clause and the full monthly fee."""

    amounts_usd: np.ndarray  # payment in months 1..T
    discount: np.ndarray  # discount factor of month t's payment, t = 1..T
    clause: Clause
    full_fee_usd: float  # the monthly fee after any ramp: what the capacity is worth at the contract price

    def __post_init__(self) -> None:
        amounts = require_positive("amounts_usd", self.amounts_usd, where="Contract", allow_zero=True)
        discount = require_positive("discount", self.discount, where="Contract")
        if amounts.shape != (self.clause.term_months,) or discount.shape != amounts.shape:
            raise InputError("Contract", "amounts_usd/discount", (amounts.shape, discount.shape),
                             f"one value per month of the term ({self.clause.term_months})")
        require_positive("full_fee_usd", self.full_fee_usd, where="Contract")

    @property
    def decision_months(self) -> np.ndarray:
        """Month-ends at which a notice can still shorten the contract."""
        first = max(self.clause.notice_earliest_month, 1)
        months = np.arange(first, self.clause.term_months)
        return months[self.clause.end_month(months) < self.clause.term_months]


@dataclass(frozen=True)
class ExitOutcome:
    """Per-path results of a contract valued under an exit rule (arrays of length n)."""

    end_month: np.ndarray  # last paid month
    ended_by: np.ndarray  # EndedBy codes: 0 ran to term, 1 buyer's notice, 2 seller's notice, 3 default
    pv_usd: np.ndarray  # present value of the payments received
    seller_total_usd: np.ndarray  # payments plus re-lease revenue after the end (present value)
    buyer_total_usd: np.ndarray  # payments plus replacement cost after the end (present value, default-free)

    @property
    def expected_pv_usd(self) -> float:
        """Mean present value of the payments received."""
        return float(np.mean(self.pv_usd))

    @property
    def prob_full_term(self) -> float:
        """Share of paths on which the contract runs to term."""
        return float(np.mean(self.ended_by == 0))

    @property
    def expected_life_months(self) -> float:
        """Mean number of paid months."""
        return float(np.mean(self.end_month))


class Flows:
    """Discounted flow tables on a set of paths, for totals under an exit at any month (vectorized)."""

    def __init__(self, contract: Contract, ratio: np.ndarray, frictions: Frictions, default_month: np.ndarray | None) -> None:
        T = contract.clause.term_months
        n = ratio.shape[1]
        self.T, self.n = T, n
        self.ratio = ratio
        pay = contract.amounts_usd * contract.discount
        self.cum_pay = np.concatenate([[0.0], np.cumsum(pay)])  # PV of months 1..m, m = 0..T
        market = contract.full_fee_usd * ratio[:-1] * contract.discount[:, np.newaxis]  # (T, n): month t at index t - 1
        rev = np.zeros((T + 2, n))
        rev[:T] = np.cumsum(market[::-1], axis=0)[::-1]
        self.market_from = rev  # market_from[t-1] = Σ_{s>=t} market_s, t = 1..T+1 (rows 0..T)
        self.frictions = frictions
        self.default = (np.full(n, T + 1) if default_month is None else np.asarray(default_month, dtype=int))
        self.rows = np.arange(n)

    def _market_after(self, month: np.ndarray) -> np.ndarray:
        """Σ of market-valued months after ``month`` (> month), per path."""
        index = np.clip(month, 0, self.T)  # months month+1..T start at row `month`
        return self.market_from[index, self.rows]

    def seller_total(self, end: np.ndarray) -> np.ndarray:
        """Seller's PV if the contract's last paid month is ``end`` (before any default): payments, then re-lease."""
        paid = np.minimum(end, self.default - 1)
        f = self.frictions
        relet = f.relet_utilization * (1.0 - f.seller_discount) * self._market_after(paid + f.downtime_months)
        return self.cum_pay[paid] + relet

    def buyer_total(self, end: np.ndarray) -> np.ndarray:
        """Buyer's PV of costs if the last paid month is ``end``: payments, then replacement at market (default-free)."""
        return self.cum_pay[end] + (1.0 + self.frictions.buyer_cost) * self._market_after(end)

    def paid(self, end: np.ndarray) -> np.ndarray:
        """PV of the payments actually received (default stops them)."""
        return self.cum_pay[np.minimum(end, self.default - 1)]


def outcome(contract: Contract, flows: Flows, notice: np.ndarray, by: np.ndarray) -> ExitOutcome:
    """The outcome on every path from the month-end each path's notice was served (−1: none) and by whom."""
    T = contract.clause.term_months
    end = np.where(notice >= 0, contract.clause.end_month(np.maximum(notice, 0)), T).astype(int)
    defaulted = flows.default - 1 < end
    last = np.minimum(end, flows.default - 1)
    ended_by = np.where(defaulted, EndedBy.DEFAULT, np.where(end < T, by, EndedBy.TERM))
    return ExitOutcome(last, ended_by.astype(np.int8), flows.paid(end), flows.seller_total(end), flows.buyer_total(end))


def myopic_exit(contract: Contract, ratio: np.ndarray, frictions: Frictions, who: Who = Who.MUTUAL,
                default_month: np.ndarray | None = None) -> ExitOutcome:
    """The first month-end at which leaving pays this month: the buyer if (1 + buyer_cost) r < 1, the seller if
    relet_utilization (1 − seller_discount) r > 1. Ignores the remaining term, the notice period, downtime and
    the value of waiting. ``ratio`` is (T + 1, n): market ÷ contract price at months 0..T.
    """
    who = _check(contract, ratio, who)
    flows = Flows(contract, ratio, frictions, default_month)
    months = contract.decision_months
    n = ratio.shape[1]
    notice, by = np.full(n, -1), np.zeros(n, dtype=np.int8)
    f = frictions
    for j in months[::-1]:  # walking back leaves the first trigger in place
        buyer = who.buyer_may_exit & ((1.0 + f.buyer_cost) * ratio[j] < 1.0)
        seller = who.seller_may_exit & (f.relet_utilization * (1.0 - f.seller_discount) * ratio[j] > 1.0)
        hit = buyer | seller
        notice = np.where(hit, j, notice)
        by = np.where(hit, np.where(buyer, EndedBy.BUYER, EndedBy.SELLER), by).astype(np.int8)
    return outcome(contract, flows, notice, by)


def myopic_paid_months(clause: Clause, ratio: np.ndarray, frictions: Frictions, who: Who = Who.MUTUAL,
                       default_month: np.ndarray | None = None) -> np.ndarray:
    """The last paid month on each path under the myopic rule (what ``myopic_exit`` decides), without the flow tables:
    for evaluations that need only the payments received."""
    side = Who.parse(who)
    f = frictions
    first = max(clause.notice_earliest_month, 1)
    months = np.arange(first, clause.term_months)
    months = months[clause.end_month(months) < clause.term_months]
    n = ratio.shape[1]
    end = np.full(n, clause.term_months)
    if len(months):
        r = ratio[months]
        hit = (side.buyer_may_exit & ((1.0 + f.buyer_cost) * r < 1.0)) | (side.seller_may_exit & (f.relet_utilization * (1.0 - f.seller_discount) * r > 1.0))
        fired = hit.any(axis=0)
        end = np.where(fired, clause.end_month(months[np.argmax(hit, axis=0)]), end)
    return end if default_month is None else np.minimum(end, np.asarray(default_month) - 1)


@dataclass(frozen=True)
class ExitPolicy:
    """Fitted regression coefficients per decision month: each side's value of exiting and of holding on."""

    months: np.ndarray
    seller_exit: np.ndarray  # (J, k)
    seller_hold: np.ndarray
    buyer_exit: np.ndarray
    buyer_hold: np.ndarray
    who: Who
    degree: int
    knots: np.ndarray | None = None  # a knot per decision month (see ``basis``), or none

    def wants(self, j_index: int, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(buyer wants to leave, seller wants to leave) at decision month index ``j_index``, per path."""
        x = basis(ratio, self.degree, None if self.knots is None else float(self.knots[j_index]))
        buyer = self.who.buyer_may_exit & (x @ self.buyer_exit[j_index] < x @ self.buyer_hold[j_index])
        seller = self.who.seller_may_exit & (x @ self.seller_exit[j_index] > x @ self.seller_hold[j_index])
        return buyer, seller


def fit_exit_policy(contract: Contract, ratio: np.ndarray, frictions: Frictions, who: Who = Who.MUTUAL,
                    default_month: np.ndarray | None = None, degree: int = 3, knots: np.ndarray | None = None) -> ExitPolicy:
    """Backward induction by least squares: at each decision month, fit each side's value of exiting now and of
    holding on (under the policy already fitted for later months) on the price ratio, and let a side leave where
    exiting beats holding (the buyer minimises its cost, the seller maximises its receipts)."""
    who = _check(contract, ratio, who)
    flows = Flows(contract, ratio, frictions, default_month)
    T, n = contract.clause.term_months, ratio.shape[1]
    months = contract.decision_months
    full = np.full(n, T)
    seller_value, buyer_value = flows.seller_total(full), flows.buyer_total(full)
    if knots is not None and len(knots) != len(months):
        raise InputError("fit_exit_policy", "knots", len(knots), f"one knot per decision month ({len(months)})")
    k = degree + 1 + (0 if knots is None else 2)
    coefs = {name: np.zeros((len(months), k)) for name in ("se", "sh", "be", "bh")}
    for i in range(len(months) - 1, -1, -1):
        j = months[i]
        end = np.full(n, contract.clause.end_month(j))
        s_exit, b_exit = flows.seller_total(end), flows.buyer_total(end)
        x = basis(ratio[j], degree, None if knots is None else float(knots[i]))
        fitted = regress(x, np.column_stack([s_exit, seller_value, b_exit, buyer_value]))
        coefs["se"][i], coefs["sh"][i], coefs["be"][i], coefs["bh"][i] = fitted.T
        buyer = who.buyer_may_exit & (x @ coefs["be"][i] < x @ coefs["bh"][i])
        seller = who.seller_may_exit & (x @ coefs["se"][i] > x @ coefs["sh"][i])
        go = buyer | seller
        seller_value = np.where(go, s_exit, seller_value)
        buyer_value = np.where(go, b_exit, buyer_value)
    return ExitPolicy(months, coefs["se"], coefs["sh"], coefs["be"], coefs["bh"], who, degree, knots)


def apply_exit_policy(policy: ExitPolicy, contract: Contract, ratio: np.ndarray, frictions: Frictions,
                      default_month: np.ndarray | None = None) -> ExitOutcome:
    """Value the contract on (fresh) paths under a fitted policy: the first month-end at which a side wants out."""
    _check(contract, ratio, policy.who)
    flows = Flows(contract, ratio, frictions, default_month)
    n = ratio.shape[1]
    notice, by = np.full(n, -1), np.zeros(n, dtype=np.int8)
    for i in range(len(policy.months) - 1, -1, -1):
        buyer, seller = policy.wants(i, ratio[policy.months[i]])
        hit = buyer | seller
        notice = np.where(hit, policy.months[i], notice)
        by = np.where(hit, np.where(buyer, EndedBy.BUYER, EndedBy.SELLER), by).astype(np.int8)
    return outcome(contract, flows, notice, by)


def _check(contract: Contract, ratio: np.ndarray, who: Who | str) -> Who:
    try:
        side = Who.parse(who)
    except ValueError:
        raise InputError("exit_game", "who", who, "one of " + ", ".join(w.value for w in Who)) from None
    r = np.asarray(ratio)
    if r.ndim != 2 or r.shape[0] != contract.clause.term_months + 1:
        raise InputError("exit_game", "ratio", r.shape, f"(months 0..T = {contract.clause.term_months + 1}, paths)")
    require_positive("ratio", r[:, : min(r.shape[1], CHECKED_PATHS)], where="exit_game")
    return side
