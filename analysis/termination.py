"""Termination risk, three ways: fixed scenarios, a constant hazard of notice, and a market-driven Monte Carlo.

Conventions: months are 1-based payment months; notice may be served at the end of any month j ≥
``notice_earliest_month`` and ends the contract after ``notice_period_months`` more payments (never inside
the lock-in, never past the term). ``pv_by_month[m-1]`` is the present value of the first m payments, so a
contract whose last paid month is m is worth ``pv_by_month[m-1]``. Randomness only through an explicit
``numpy.random.Generator``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validate import InputError, require_finite, require_positive


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

    def end_month(self, notice_month: np.ndarray) -> np.ndarray:
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
# 2. Constant hazard of notice


def survival_by_month(monthly_hazard: float | np.ndarray, clause: Clause) -> np.ndarray:
    """Probability that each payment month 1..T is paid when notice comes with probability h at each opportunity.

    Payment m is paid unless notice was served at some j in [L, m − N − 1] (L earliest notice month,
    N notice months); months within the lock-in are always paid. h of shape (K,) gives (K, T).
    """
    h = require_finite("monthly_hazard", monthly_hazard, where="survival_by_month")
    if np.any((h < 0) | (h > 1)):
        raise InputError("survival_by_month", "monthly_hazard", h.tolist(), "probabilities in [0, 1]")
    m = np.arange(1, clause.term_months + 1)
    chances = np.maximum(0, m - clause.notice_period_months - clause.notice_earliest_month)
    survival = np.power(1.0 - h[..., np.newaxis], chances)
    return np.where(m <= clause.lock_in_months, 1.0, survival)


def expected_pv_hazard(pv_by_month: np.ndarray, monthly_hazard: float | np.ndarray, clause: Clause) -> np.ndarray:
    """Expected PV under a constant monthly hazard of notice (closed form): Σ_m PV(payment m) × P(m paid).

    ``pv_by_month`` may be one cumulative-PV table (T,) or one per discount rate (R, T); ``monthly_hazard``
    a scalar or (K,). The result has the table axes first: (), (K,), (R,) or (R, K).
    """
    table = require_finite("pv_by_month", pv_by_month, where="expected_pv_hazard")
    if table.shape[-1] != clause.term_months:
        raise InputError("expected_pv_hazard", "pv_by_month", table.shape, f"one cumulative PV per month of the term ({clause.term_months})")
    per_payment = np.diff(table, axis=-1, prepend=0.0)
    return np.tensordot(per_payment, survival_by_month(monthly_hazard, clause), axes=([-1], [-1]))


def expected_life_months(monthly_hazard: float | np.ndarray, clause: Clause) -> np.ndarray:
    """Expected number of paid months under a constant monthly hazard of notice."""
    return survival_by_month(monthly_hazard, clause).sum(axis=-1)


def hazard_for_expected_life(target_months: float | np.ndarray, clause: Clause) -> np.ndarray:
    """The constant monthly hazard whose expected life is ``target_months`` (bisection, vectorized).

    The target must lie between the committed months (hazard 1) and the term (hazard 0).
    """
    target = require_finite("target_months", target_months, where="hazard_for_expected_life")
    lo_life, hi_life = clause.committed_months, clause.term_months
    if np.any((target < lo_life) | (target > hi_life)):
        raise InputError("hazard_for_expected_life", "target_months", target.tolist(),
                         f"an expected life between {lo_life} and {hi_life} months")
    lo, hi = np.zeros_like(target), np.ones_like(target)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        longer = expected_life_months(mid, clause) > target
        lo, hi = np.where(longer, mid, lo), np.where(longer, hi, mid)
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------------
# 3. Market-driven Monte Carlo


@dataclass(frozen=True)
class MarketInputs:
    """The market model: a fixed contract price against a log-normal market price with drift and volatility."""

    contract_price_usd_per_gpu_hour: float
    market_price_usd_per_gpu_hour: float  # at the contract start
    annual_decline: float  # expected fall of the market price per year (decimal; drift of the log price)
    annual_volatility: float  # standard deviation of the annual log change
    buyer_switching_cost: float  # share of the contract price the buyer must save before it leaves
    seller_switching_cost: float  # share of the contract price the seller must gain before it leaves

    def __post_init__(self) -> None:
        require_positive("contract_price_usd_per_gpu_hour", self.contract_price_usd_per_gpu_hour, where="MarketInputs")
        require_positive("market_price_usd_per_gpu_hour", self.market_price_usd_per_gpu_hour, where="MarketInputs")
        if not -1 < self.annual_decline < 1:
            raise InputError("MarketInputs", "annual_decline", self.annual_decline, "a decimal in (-1, 1)")
        require_positive("annual_volatility", self.annual_volatility, where="MarketInputs", allow_zero=True)
        for name in ("buyer_switching_cost", "seller_switching_cost"):
            value = getattr(self, name)
            if not 0 <= value < 1:
                raise InputError("MarketInputs", name, value, "a share in [0, 1)")


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
    chunk_paths: int = 100_000,
) -> MarketOutcome:
    """Simulate market prices and the first notice either side serves; value every path.

    Monthly log price changes are normal with mean ln(1 − d)/12 and standard deviation σ/√12. At the end
    of each month j ≥ L the buyer serves notice if the market price is below the contract price by more
    than its switching cost, the seller if above by more than its own; the first trigger ends the
    contract after the notice period. Paths are drawn in chunks of ``chunk_paths`` to bound memory (about
    ``chunk_paths × term × 8`` bytes a chunk); results depend on the seed and the chunk size, not on
    anything else.
    """
    if isinstance(n_paths, bool) or not isinstance(n_paths, (int, np.integer)) or n_paths < 1:
        raise InputError("simulate_market_termination", "n_paths", n_paths, "a whole number >= 1")
    if not isinstance(rng, np.random.Generator):
        raise InputError("simulate_market_termination", "rng", type(rng).__name__, "a numpy.random.Generator")
    table = _pv_table(pv_by_month, clause)
    revenue = revenue_by_month(monthly_payment_usd, clause.term_months)
    T, L = clause.term_months, clause.notice_earliest_month
    drift = np.log1p(-market.annual_decline) / 12.0
    vol = market.annual_volatility / np.sqrt(12.0)
    k = market.contract_price_usd_per_gpu_hour
    low, high = np.log(k * (1 - market.buyer_switching_cost)), np.log(k * (1 + market.seller_switching_cost))
    # Decision months: ends of months L..T-1 (a notice at month T or later changes nothing); month 0 = the start.
    months = np.arange(max(L, 0), T)
    ends, pvs, who = [], [], []
    for start in range(0, n_paths, chunk_paths):
        n = min(chunk_paths, n_paths - start)
        steps = rng.standard_normal((n, T))
        steps *= vol
        steps += drift
        # log_price[:, j] is the log market price at the end of month j (j = 0 is the start).
        log_price = np.empty((n, T + 1))
        log_price[:, 0] = np.log(market.market_price_usd_per_gpu_hour)
        np.cumsum(steps, axis=1, out=log_price[:, 1:])
        log_price[:, 1:] += log_price[:, :1]
        at_decision = log_price[:, months]
        buyer = at_decision < low
        seller = at_decision > high
        trigger = buyer | seller
        any_trigger = trigger.any(axis=1)
        first = trigger.argmax(axis=1)
        notice_month = months[first]
        end = np.where(any_trigger, clause.end_month(notice_month), T)
        side = np.where(any_trigger, np.where(buyer[np.arange(n), first], 1, 2), 0)
        side = np.where(end == T, 0, side)  # a notice that ends the contract only at term changes nothing
        ends.append(end.astype(np.int16))
        pvs.append(table[end - 1])
        who.append(side.astype(np.int8))
    end_month = np.concatenate(ends).astype(int)
    return MarketOutcome(end_month=end_month, pv_usd=np.concatenate(pvs),
                         revenue_usd=revenue[end_month - 1], terminated_by=np.concatenate(who))


def end_month_distribution(end_month: np.ndarray, term_months: int) -> np.ndarray:
    """Probability that the last paid month is m, for m = 1..term_months (sums to one)."""
    ends = np.asarray(end_month)
    if ends.size == 0 or np.any((ends < 1) | (ends > term_months)):
        raise InputError("end_month_distribution", "end_month", "out of range", f"months in 1..{term_months}")
    return np.bincount(ends, minlength=term_months + 1)[1:] / ends.size


def expected_pv_by_rate(end_probabilities: np.ndarray, pv_tables: np.ndarray) -> np.ndarray:
    """Expected PV at each of K discount rates: Σ_m P(end = m) × PV of the first m payments at that rate.

    Termination decisions in the market model do not depend on the discount rate, so one simulation's
    end-month distribution values the contract at every rate. ``pv_tables`` has shape (K, T).
    """
    probs = require_finite("end_probabilities", end_probabilities, where="expected_pv_by_rate")
    if not np.isclose(probs.sum(), 1.0):
        raise InputError("expected_pv_by_rate", "end_probabilities", float(probs.sum()), "probabilities summing to 1")
    return require_finite("pv_tables", pv_tables, where="expected_pv_by_rate") @ probs
