"""Termination: the clause, fixed scenarios, and the fast market-driven Monte Carlo under the myopic exit rule.

Conventions: months are 1-based payment months; notice may be served at the end of any month j ≥
``notice_earliest_month`` and ends the contract after ``notice_period_months`` more payments (never inside
the lock-in, never past the term). ``pv_by_month[m-1]`` is the present value of the first m payments, so a
contract whose last paid month is m is worth ``pv_by_month[m-1]``. Randomness only through an explicit
``numpy.random.Generator``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validate import InputError, require_finite, require_positive


@dataclass(frozen=True)
class Clause:
    """The termination clause in whole months."""

    term_months: int
    lock_in_months: int
    notice_period_months: int
    notice_earliest_month: int

    def __post_init__(self) -> None:
        for name in ("term_months", "lock_in_months", "notice_period_months", "notice_earliest_month"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
                raise InputError("Clause", name, value, "a whole number of months >= 0")
        if self.term_months < 1:
            raise InputError("Clause", "term_months", self.term_months, "at least one month")

    @property
    def committed_months(self) -> int:
        """Months paid even if notice is served at the first opportunity."""
        return int(min(max(self.lock_in_months, self.notice_earliest_month + self.notice_period_months), self.term_months))

    def end_month(self, notice_month: int | np.ndarray) -> np.ndarray:
        """Last paid month for notice served at the end of month ``notice_month``."""
        j = np.asarray(notice_month)
        return np.minimum(np.maximum(self.lock_in_months, j + self.notice_period_months), self.term_months)


def _pv_table(pv_by_month: np.ndarray, clause: Clause) -> np.ndarray:
    table = require_finite("pv_by_month", pv_by_month, where="termination")
    if table.ndim != 1 or table.size != clause.term_months:
        raise InputError("termination", "pv_by_month", table.shape, f"one cumulative PV per month of the term ({clause.term_months})")
    return table


# --------------------------------------------------------------------------------------------
# 1. Scenarios


def revenue_by_month(monthly_payment_usd: float | np.ndarray, term_months: int) -> np.ndarray:
    """Cumulative revenue after each month 1..T: a flat fee (scalar) or the month-by-month amounts (T,)."""
    amounts = require_finite("monthly_payment_usd", monthly_payment_usd, where="revenue_by_month")
    if amounts.ndim == 0:
        amounts = np.full(term_months, float(amounts))
    if amounts.shape != (term_months,):
        raise InputError("revenue_by_month", "monthly_payment_usd", amounts.shape, f"a scalar or one amount per month ({term_months})")
    return np.cumsum(amounts)


def scenario_values(pv_by_month: np.ndarray, monthly_payment_usd: float | np.ndarray, clause: Clause,
                    end_months: np.ndarray) -> dict[str, np.ndarray]:
    """Months paid, revenue and PV when the contract's last paid month is each of ``end_months`` (clipped to the clause).

    ``monthly_payment_usd`` is a flat fee or the month-by-month amounts (with a ramp).
    """
    table = _pv_table(pv_by_month, clause)
    months = np.clip(np.asarray(end_months, dtype=int), clause.committed_months, clause.term_months)
    revenue = revenue_by_month(monthly_payment_usd, clause.term_months)
    return {"months": months, "revenue_usd": revenue[months - 1], "pv_usd": table[months - 1]}


# --------------------------------------------------------------------------------------------
# 2. Market-driven Monte Carlo (the myopic rule, fast)


@dataclass(frozen=True)
class MarketInputs:
    """The myopic market model: a fixed contract price against a log-normal market price that drifts, fluctuates
    and steps down once when the next generation arrives; each side leaves when this month's price makes leaving pay.

    The buyer leaves when (1 + ``buyer_switching_cost``) × market < contract price (replacement capacity costs it
    that much more than the market price); the seller when ``relet_utilization`` × (1 − ``seller_switching_cost``)
    × market > contract price (what re-leasing earns it).
    """

    contract_price_usd_per_gpu_hour: float
    market_price_usd_per_gpu_hour: float  # at the contract start
    annual_decline: float  # fall of the median market price per year (decimal)
    annual_volatility: float  # standard deviation of the annual log change
    buyer_switching_cost: float  # extra cost of replacement capacity, share of the market price
    seller_switching_cost: float  # discount at which freed capacity re-leases, share of the market price
    relet_utilization: float = 1.0  # share of freed capacity re-leased
    step_share: float = 0.0  # one-off fall of the market price when the next generation is broadly rentable
    step_month: float = 0.0  # contract month from which that step applies

    def __post_init__(self) -> None:
        require_positive("contract_price_usd_per_gpu_hour", self.contract_price_usd_per_gpu_hour, where="MarketInputs")
        require_positive("market_price_usd_per_gpu_hour", self.market_price_usd_per_gpu_hour, where="MarketInputs")
        if not -1 < self.annual_decline < 1:
            raise InputError("MarketInputs", "annual_decline", self.annual_decline, "a decimal in (-1, 1)")
        require_positive("annual_volatility", self.annual_volatility, where="MarketInputs", allow_zero=True)
        require_positive("buyer_switching_cost", self.buyer_switching_cost, where="MarketInputs", allow_zero=True)
        for name in ("seller_switching_cost", "relet_utilization", "step_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise InputError("MarketInputs", name, value, "a share in [0, 1]")
        if self.step_month < 0 or self.step_month != int(self.step_month):
            raise InputError("MarketInputs", "step_month", self.step_month, "a whole month >= 0")

    @property
    def buyer_exit_below(self) -> float:
        """Market ÷ contract price below which the buyer leaves."""
        return 1.0 / (1.0 + self.buyer_switching_cost)

    @property
    def seller_exit_above(self) -> float:
        """Market ÷ contract price above which the seller leaves (infinite if re-leasing earns nothing)."""
        earn = self.relet_utilization * (1.0 - self.seller_switching_cost)
        return np.inf if earn <= 0 else 1.0 / earn


@dataclass(frozen=True)
class MarketOutcome:
    """Per-path results of the market-driven simulation (arrays of length n_paths)."""

    end_month: np.ndarray  # last paid month
    pv_usd: np.ndarray
    revenue_usd: np.ndarray
    terminated_by: np.ndarray  # 0 = ran to term, 1 = buyer gave notice, 2 = seller gave notice

    @property
    def prob_full_term(self) -> float:
        """Share of paths on which the contract runs to term."""
        return float(np.mean(self.terminated_by == 0))

    @property
    def expected_life_months(self) -> float:
        """Mean number of paid months."""
        return float(np.mean(self.end_month))

    @property
    def expected_pv_usd(self) -> float:
        """Mean present value across paths."""
        return float(np.mean(self.pv_usd))


def simulate_market_termination(
    rng: np.random.Generator,
    n_paths: int,
    market: MarketInputs,
    clause: Clause,
    pv_by_month: np.ndarray,
    monthly_payment_usd: float | np.ndarray,
    chunk_paths: int = 8_192,
) -> MarketOutcome:
    """Simulate market prices and the first notice either side serves; value every path.

    Monthly log price changes are normal with mean ln(1 − d)/12 and standard deviation σ/√12, and the price
    falls by the step share once, from the step month. At the end of each month j ≥ L the buyer serves notice
    if the market price is below its exit threshold, the seller if above its own (see MarketInputs); the
    first trigger ends the contract after the notice period.

    Method: the log price at month j is ln p0 + μj + (σ/√12)·S_j, with S_j the running sum of standard
    normals, so each side's threshold becomes a bound on S_j computed once per month and the paths need only
    the running sum, formed month by month over contiguous rows. Paths are drawn in chunks of ``chunk_paths`` (small enough to stay in
    the processor's cache); the draws are consumed in the same order whatever the chunk size, so results
    depend on the seed alone.
    """
    if isinstance(n_paths, bool) or not isinstance(n_paths, (int, np.integer)) or n_paths < 1:
        raise InputError("simulate_market_termination", "n_paths", n_paths, "a whole number >= 1")
    if not isinstance(rng, np.random.Generator):
        raise InputError("simulate_market_termination", "rng", type(rng).__name__, "a numpy.random.Generator")
    table = _pv_table(pv_by_month, clause)
    revenue = revenue_by_month(monthly_payment_usd, clause.term_months)
    T, L = clause.term_months, clause.notice_earliest_month
    drift = float(np.log1p(-market.annual_decline) / 12.0)
    vol = float(market.annual_volatility / np.sqrt(12.0))
    k = market.contract_price_usd_per_gpu_hour
    log_p0 = float(np.log(market.market_price_usd_per_gpu_hour))
    low, high = np.log(k * market.buyer_exit_below), np.log(k * market.seller_exit_above)
    end_month = np.empty(n_paths, dtype=int)
    side = np.empty(n_paths, dtype=np.int8)
    if L == 0 and not low <= log_p0 <= high:
        # Notice at the very start (month 0) on every path; the draws are still consumed, for common numbers.
        for start in range(0, n_paths, chunk_paths):
            rng.standard_normal((min(chunk_paths, n_paths - start), T))
        end_month[:] = clause.end_month(0)
        side[:] = 0 if end_month[0] == T else (1 if log_p0 < low else 2)
        return MarketOutcome(end_month, table[end_month - 1], revenue[end_month - 1], side)
    # Decision months: ends of months max(L, 1)..T-1 (a notice at month T or later changes nothing).
    months = np.arange(max(L, 1), T)
    never = len(months)
    level = log_p0 + drift * months + np.where(months >= market.step_month, np.log1p(-market.step_share), 0.0)
    if vol > 0:
        lower = ((low - level) / vol)[:, np.newaxis]  # buyer's notice: S_j below this
        upper = ((high - level) / vol)[:, np.newaxis]  # seller's notice: S_j above this
    else:  # no randomness: each side's notice month is fixed
        path = level
        lower = np.where(path < low, np.inf, -np.inf)[:, np.newaxis]
        upper = np.where(path > high, -np.inf, np.inf)[:, np.newaxis]
    size = min(chunk_paths, n_paths)
    drawn = np.empty((size, T))
    sums = np.empty((T, size))  # month-major: the running sum and the comparisons run over contiguous rows
    buyer = np.empty((never, size), dtype=bool)
    seller = np.empty((never, size), dtype=bool)
    for start in range(0, n_paths, chunk_paths):
        n = min(chunk_paths, n_paths - start)
        z, s_t = drawn[:n], sums[:, :n]
        rng.standard_normal(out=z)
        np.copyto(s_t, z.T)
        for j in range(1, T):
            np.add(s_t[j], s_t[j - 1], out=s_t[j])  # s_t[j - 1] = S_j
        at = s_t[months[0] - 1 : T - 1]  # S_j for the decision months (a view)
        b, sl = buyer[:, :n], seller[:, :n]
        np.less(at, lower, out=b)
        np.greater(at, upper, out=sl)
        np.logical_or(b, sl, out=sl)  # sl now marks either side's notice
        for j in range(1, never):  # sl[j] now: notice fired at or before decision month j
            np.logical_or(sl[j], sl[j - 1], out=sl[j])
        first = never - sl.sum(axis=0)  # the earliest decision month whose notice fires (never = none)
        hit = first < never
        rows = np.flatnonzero(hit)
        end = np.full(n, T)
        end[rows] = clause.end_month(months[first[rows]])
        who = np.zeros(n, dtype=np.int8)
        who[rows] = np.where(b[first[rows], rows], 1, 2)
        end_month[start:start + n] = end
        side[start:start + n] = np.where(end == T, 0, who)  # a notice that ends the contract only at term changes nothing
    return MarketOutcome(end_month=end_month, pv_usd=table[end_month - 1], revenue_usd=revenue[end_month - 1], terminated_by=side)


def end_month_distribution(end_month: np.ndarray, term_months: int) -> np.ndarray:
    """Probability that the last paid month is m, for m = 0..term_months (0: nothing paid, a default in month 1);
    sums to one."""
    ends = np.asarray(end_month)
    if ends.size == 0 or np.any((ends < 0) | (ends > term_months)):
        raise InputError("end_month_distribution", "end_month", "out of range", f"months in 0..{term_months}")
    return np.bincount(ends, minlength=term_months + 1) / ends.size


def expected_pv_by_rate(end_probabilities: np.ndarray, pv_tables: np.ndarray) -> np.ndarray:
    """Expected PV at each of K discount rates: Σ_m P(end = m) × PV of the first m payments at that rate.

    ``end_probabilities`` is over last paid months 0..T (``end_month_distribution``); ``pv_tables`` has shape (K, T).
    The end months are held fixed across rates: exact when decisions do not depend on the rate (the myopic rule,
    default), an approximation for the optimal rule, whose decisions were taken at the base rate.
    """
    probs = require_finite("end_probabilities", end_probabilities, where="expected_pv_by_rate")
    if not np.isclose(probs.sum(), 1.0):
        raise InputError("expected_pv_by_rate", "end_probabilities", float(probs.sum()), "probabilities summing to 1")
    tables = require_finite("pv_tables", pv_tables, where="expected_pv_by_rate")
    if probs.shape != (tables.shape[-1] + 1,):
        raise InputError("expected_pv_by_rate", "end_probabilities", probs.shape, f"one probability per last paid month 0..{tables.shape[-1]}")
    return tables @ probs[1:]
