"""The contract in equilibrium: the unit prices at which both sides would sign, the value over them, repricing instead
of termination, SpaceX's gain against its real alternative, the effect of credit support, and the value as of the
known state.

*Signing.* At signing each side must do at least as well as its outside option. SpaceX's is re-letting the capacity:
``seller_share`` of the market price (the share it re-lets, net of its re-letting discount). Reflection's is capacity of
the same kind elsewhere: tens of thousands of GB300-class GPUs, available now, on short notice, which costs the market
price plus the premium the register's switching cost puts on replacement capacity at scale (``buyer_share``). Both sign
when ``seller_share × M ≤ K ≤ buyer_share × M`` for unit price K and market price M. The exit game depends on K and M
only through M ÷ K (payments, re-letting and replacement all scale with the fee), so the value is solved exactly along
that ratio and the (M, K) map drawn from it.

*Repricing.* ``core.repricing``: at the month-end of the first credible threat (the termination game's boundary), the
contract is repriced between the walk-away prices with SpaceX's bargaining share θ, instead of ending.

*SpaceX's gain.* The capacity exists: the contract's value to SpaceX is measured against re-letting the capacity at
the market from the start (after the downtime) or xAI using it (at the market price), path by path.

Money is US dollars, present values at the contract start at the register's discount rate; simulated figures carry a
standard error from batches of paths.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..conventions import DAYS_PER_YEAR
from ..core import grid, repricing
from ..core.choices import EndedBy
from ..core.stopping import Contract, Frictions
from ..inputs import CASES, Inputs
from ..methods import Methods
from ..validate import InputError
from . import valuation
from .cashflow import CashflowModel
from .credit import credit_model
from .terms import Deal, Parameters


@dataclass(frozen=True)
class WalkAway:
    """Each side's walk-away price as a share of the market price of the same capacity."""

    seller_share: float  # SpaceX: re-let share × (1 − re-letting discount)
    buyer_share: float  # Reflection: 1 + its premium for replacement capacity at scale

    def signs(self, market_usd: float | np.ndarray, price_usd: float | np.ndarray) -> np.ndarray:
        """Whether both sides sign at unit price ``price_usd`` when the market is ``market_usd`` (broadcast)."""
        m, k = np.asarray(market_usd, dtype=float), np.asarray(price_usd, dtype=float)
        return (k >= self.seller_share * m) & (k <= self.buyer_share * m)


def walk_away(params: Parameters) -> WalkAway:
    """The walk-away shares from the register's frictions."""
    return WalkAway(params.relet_utilization * (1.0 - params.seller_switching_cost), 1.0 + params.buyer_switching_cost)


def _at_ratio(params: Parameters, price_over_market: float) -> Parameters:
    """``params`` with the unit price set to ``price_over_market`` × the register's market price."""
    return dataclasses.replace(params, contract_price_usd_per_gpu_hour=price_over_market * params.market_price_usd_per_gpu_hour)


def value_by_ratio(params: Parameters, cash: CashflowModel, survival: np.ndarray, methods: Methods,
                   ratios: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected PV and life of the headline model at each unit-price-to-market ratio (exact, on the sensitivity grid)."""
    contract, pv, life = valuation.exit_contract(cash), [], []
    for rho in np.asarray(ratios, dtype=float):
        p = _at_ratio(params, float(rho))
        lattices = valuation.lattices_for(p, cash, (valuation.HEADLINE.process,), methods.sensitivity_grid_points, methods.grid_width_sd)
        solution = valuation.solve(valuation.HEADLINE, contract, valuation.frictions(p), lattices, survival)
        pv.append(solution.expected_pv_usd)
        life.append(solution.expected_life_months)
    return np.array(pv), np.array(life)


@dataclass(frozen=True)
class SigningMap:
    """The headline model's expected value over unit price and market price at signing, where both sides sign, and
    the headline's central case and range over that region within the evidence's ranges."""

    walk: WalkAway
    market_usd: np.ndarray  # columns
    price_usd: np.ndarray  # rows
    expected_pv_usd: np.ndarray  # (rows, columns)
    expected_life_months: np.ndarray
    ratio_grid: np.ndarray  # unit price ÷ market price, where the value was solved
    ratio_pv_usd: np.ndarray
    box: Mapping[str, float]  # market_low, market_high, price_low, price_high: the register's ranges
    base_market_usd: float
    base_price_usd: float
    central_usd: float
    range_ratio: tuple[float, float]  # the region within the box, as unit price ÷ market price
    low_usd: float
    high_usd: float

    @property
    def both_sign(self) -> np.ndarray:
        """Whether both sides sign, cell by cell."""
        return self.walk.signs(self.market_usd[np.newaxis, :], self.price_usd[:, np.newaxis])

    @property
    def base_signs(self) -> str:
        """'yes' when the register's base unit and market prices lie where both sides sign."""
        return "yes" if bool(self.walk.signs(self.base_market_usd, self.base_price_usd)) else "no"

    @property
    def price_range_at_base_market(self) -> tuple[float, float]:
        """Unit prices at which both sides sign when the market is at its base level."""
        return self.walk.seller_share * self.base_market_usd, self.walk.buyer_share * self.base_market_usd

    def value_at(self, market_usd: float, price_usd: float) -> float:
        """Expected PV (headline model) at a market and a unit price at signing, from the exact solves along the ratio."""
        return float(np.interp(price_usd / market_usd, self.ratio_grid, self.ratio_pv_usd))

    def signs_at(self, market_usd: float, price_usd: float) -> str:
        """'yes' when both sides would sign at this market and unit price, else 'no'."""
        return "yes" if bool(self.walk.signs(market_usd, price_usd)) else "no"

    @property
    def ratio_at_low(self) -> float:
        """Unit price ÷ market price where the value over the region is lowest."""
        inside = (self.ratio_grid >= self.range_ratio[0] - 1e-12) & (self.ratio_grid <= self.range_ratio[1] + 1e-12)
        return float(self.ratio_grid[inside][np.argmin(self.ratio_pv_usd[inside])])


def signing_map(params: Parameters, register: Mapping[str, Mapping[str, float]], cash: CashflowModel, survival: np.ndarray,
                methods: Methods) -> SigningMap:
    """Solve the headline model along the unit-price-to-market ratio and map it over (market, unit price).

    ``register`` gives the low and high cases of the market and contract prices (the evidence box)."""
    walk = walk_away(params)
    box = {"market_low": register["market"]["low"], "market_high": register["market"]["high"],
           "price_low": register["price"]["low"], "price_high": register["price"]["high"]}
    lo_r, hi_r = max(walk.seller_share, box["price_low"] / box["market_high"]), min(walk.buyer_share, box["price_high"] / box["market_low"])
    if lo_r > hi_r:
        raise InputError("signing_map", "ratio", (lo_r, hi_r), "unit prices inside the register's range at which both sides sign")
    m_lo, m_hi, m_n = methods.map_market_usd_per_gpu_hour
    k_lo, k_hi, k_n = methods.map_price_usd_per_gpu_hour
    markets, prices = np.linspace(m_lo, m_hi, m_n), np.linspace(k_lo, k_hi, k_n)
    base = params.contract_price_usd_per_gpu_hour / params.market_price_usd_per_gpu_hour
    ratios = np.unique(np.concatenate([np.linspace(prices.min() / markets.max(), prices.max() / markets.min(), methods.map_ratio_points),
                                       np.linspace(lo_r, hi_r, methods.map_ratio_points), [base, lo_r, hi_r]]))
    pv, life = value_by_ratio(params, cash, survival, methods, ratios)
    cell = prices[:, np.newaxis] / markets[np.newaxis, :]
    inside = (ratios >= lo_r - 1e-12) & (ratios <= hi_r + 1e-12)
    central = float(np.interp(base, ratios, pv))
    return SigningMap(walk, markets, prices, np.interp(cell, ratios, pv), np.interp(cell, ratios, life), ratios, pv, box,
                      params.market_price_usd_per_gpu_hour, params.contract_price_usd_per_gpu_hour, central, (float(lo_r), float(hi_r)),
                      float(pv[inside].min()), float(pv[inside].max()))


@dataclass(frozen=True)
class ExitOutcomeRow:
    """What an exit threat leads to (termination, or repricing at a bargaining share), path by path."""

    label: str
    theta: float | None  # None: termination
    share_of_market: float | None  # the repriced price ÷ the market price
    expected_pv: valuation.Estimate
    expected_revenue: valuation.Estimate  # undiscounted
    expected_life: valuation.Estimate  # paid months
    repriced_share: valuation.Estimate  # share of paths repriced (or ended by a notice, for termination)
    mean_price_usd_per_gpu_hour: valuation.Estimate  # revenue ÷ GPU-hours paid, at the contract's capacity
    last_price_usd_per_gpu_hour: tuple[float, float, float]  # P10, P50, P90 of the price paid in the last month (paths paying)
    seller_total: valuation.Estimate  # SpaceX's PV: payments, then re-letting after a default or notice


def _row(label: str, theta: float | None, share: float | None, payments: np.ndarray, seller: np.ndarray, affected: np.ndarray,
         contract_price: float, full_fee: float, discount: np.ndarray, batches: int) -> ExitOutcomeRow:
    pv = (payments * discount[:, np.newaxis]).sum(axis=0)
    revenue = payments.sum(axis=0)
    paid = (payments > 0).sum(axis=0)
    price = payments / full_fee * contract_price  # $/GPU-hour paid each month (0 when unpaid)
    mean_price = np.where(paid > 0, price.sum(axis=0) / np.maximum(paid, 1), np.nan)
    last = price[-1][payments[-1] > 0]
    p10, p50, p90 = (float(np.percentile(last, q)) if last.size else float("nan") for q in (10, 50, 90))
    return ExitOutcomeRow(label, theta, share, valuation.batch_estimate(pv, "mean", batches),
                          valuation.batch_estimate(revenue, "mean", batches), valuation.batch_estimate(paid, "mean", batches),
                          valuation.batch_estimate(affected.astype(float), "mean", batches),
                          valuation.batch_estimate(mean_price[~np.isnan(mean_price)], "mean", batches), (p10, p50, p90),
                          valuation.batch_estimate(seller, "mean", batches))


@dataclass(frozen=True)
class HeadlinePaths:
    """The headline model's simulated paths as the equilibrium analyses read them: the contract, each path's price
    ratio, default month and first notice under the solved boundaries, and each month's value at the market."""

    params: Parameters
    contract: Contract
    frictions: Frictions
    walk: WalkAway
    ratio: np.ndarray  # (T + 1, n) market ÷ contract price at each month-end
    default: np.ndarray  # (n,) default month (T + 1: none)
    notice: np.ndarray  # (n,) month-end of the first notice (−1: none)
    months: np.ndarray  # (T, 1) months 1..T
    market_pv_usd: np.ndarray  # (T, n) present value of each month of the capacity at the market price

    @property
    def cumulative_pv_usd(self) -> np.ndarray:
        """Present value of the scheduled payments up to each month, months 0..T."""
        return np.concatenate([[0.0], np.cumsum(self.contract.amounts_usd * self.contract.discount)])

    def repriced(self, share: float) -> tuple[np.ndarray, np.ndarray]:
        """Each path's payments (T, n) when a threat reprices the contract at ``share`` of the market, and SpaceX's total
        present value (n,): those payments, then re-letting after a default and the idle months."""
        payments = repricing.repriced_payments(self.contract, self.ratio, self.notice, self.default, share)
        after_default = self.months >= self.default[np.newaxis, :] + self.frictions.downtime_months
        seller = ((payments * self.contract.discount[:, np.newaxis]).sum(axis=0)
                  + self.walk.seller_share * (self.market_pv_usd * after_default).sum(axis=0))
        return payments, seller


def headline_paths(params: Parameters, cash: CashflowModel, val: valuation.Valuation) -> HeadlinePaths:
    """The headline model's paths, with each path's first notice under the solved boundaries."""
    contract, ratio = valuation.exit_contract(cash), val.headline.ratio
    notice, _ = grid.first_notice(val.headline_summary.solution, ratio)
    return HeadlinePaths(params, contract, valuation.frictions(params), walk_away(params), ratio, val.headline.default_month, notice,
                         np.arange(1, contract.clause.term_months + 1)[:, np.newaxis],
                         contract.full_fee_usd * ratio[:-1] * contract.discount[:, np.newaxis])


def exit_outcomes(paths: HeadlinePaths, val: valuation.Valuation, thetas: Mapping[str, float]) -> tuple[ExitOutcomeRow, ...]:
    """The headline model with an exit threat ending the contract, and repriced at each bargaining share instead."""
    contract, price, out = paths.contract, paths.params.contract_price_usd_per_gpu_hour, val.headline.outcome
    terminated = np.where(paths.months <= out.end_month[np.newaxis, :], contract.amounts_usd[:, np.newaxis], 0.0)
    rows = [_row("Termination: the threatening side serves notice", None, None, terminated, out.seller_total_usd,
                 (out.ended_by == EndedBy.BUYER) | (out.ended_by == EndedBy.SELLER), price, contract.full_fee_usd,
                 contract.discount, val.batches)]
    for case, theta in thetas.items():
        share = repricing.repriced_share(paths.walk.seller_share, paths.walk.buyer_share, theta)
        payments, seller = paths.repriced(share)
        rows.append(_row(f"Repricing, SpaceX's bargaining share {theta:.0%} ({case} case)", theta, share, payments, seller,
                         (paths.notice >= 0) & (paths.notice < paths.default), price, contract.full_fee_usd, contract.discount,
                         val.batches))
    return tuple(rows)


@dataclass(frozen=True)
class Counterfactual:
    """SpaceX's gain from the contract against an alternative use of the capacity, path by path (present value)."""

    label: str
    gain: valuation.Estimate
    p10: valuation.Estimate
    p50: valuation.Estimate
    p90: valuation.Estimate
    prob_negative: valuation.Estimate
    breakeven_share: valuation.Estimate | None = None  # own-use value (share of the market) at which the gain is zero


def counterfactuals(paths: HeadlinePaths, val: valuation.Valuation, thetas: Mapping[str, float]) -> tuple[Counterfactual, ...]:
    """The contract (termination, and repricing at the base share) against re-letting from the start and against
    xAI's own use at the market price."""
    contract, market, months = paths.contract, paths.market_pv_usd, paths.months
    relet_from_start = paths.walk.seller_share * market[paths.frictions.downtime_months:].sum(axis=0)
    out = val.headline.outcome
    paid_mask = months <= out.end_month[np.newaxis, :]
    pay = contract.amounts_usd[:, np.newaxis] * contract.discount[:, np.newaxis]
    terminated_vs_xai = ((pay - market) * paid_mask).sum(axis=0)
    payments, repriced_seller = paths.repriced(repricing.repriced_share(paths.walk.seller_share, paths.walk.buyer_share, thetas["base"]))
    repriced = payments * contract.discount[:, np.newaxis]
    alive = months < paths.default[np.newaxis, :]
    repriced_vs_xai = ((repriced - market) * alive).sum(axis=0)
    b = val.batches
    # Own use is worth v × the market in the months the contract is paid; the gain is zero at v = paid ÷ market value.
    breakeven_terminated = ratio_estimate((pay * paid_mask).sum(axis=0), (market * paid_mask).sum(axis=0), b)
    breakeven_repriced = ratio_estimate((repriced * alive).sum(axis=0), (market * alive).sum(axis=0), b)
    cases = (("Termination, against re-letting from the start", out.seller_total_usd - relet_from_start, None),
             ("Termination, against xAI's own use at the market price", terminated_vs_xai, breakeven_terminated),
             ("Repricing (base share), against re-letting from the start", repriced_seller - relet_from_start, None),
             ("Repricing (base share), against xAI's own use at the market price", repriced_vs_xai, breakeven_repriced))
    return tuple(Counterfactual(label, valuation.batch_estimate(g, "mean", b), valuation.batch_estimate(g, "p10", b),
                                valuation.batch_estimate(g, "p50", b), valuation.batch_estimate(g, "p90", b),
                                valuation.batch_estimate((g < 0).astype(float), "mean", b), even) for label, g, even in cases)


def ratio_estimate(numerator: np.ndarray, denominator: np.ndarray, batches: int) -> valuation.Estimate:
    """Σ numerator ÷ Σ denominator over all paths, with its standard error from the spread across ``batches`` batches."""
    num, den = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    if den.sum() <= 0:
        raise ValueError(f"ratio_estimate: denominator sums to {den.sum()}, expected a positive total")
    parts = [n.sum() / d.sum() for n, d in zip(np.array_split(num, batches), np.array_split(den, batches), strict=True)]
    return valuation.Estimate(float(num.sum() / den.sum()), float(np.std(parts, ddof=1) / np.sqrt(batches)))


@dataclass(frozen=True)
class CreditSupport:
    """The headline value with a form of credit support the contract could have carried."""

    label: str
    expected_pv: valuation.Estimate
    prob_default_by_term: float


def credit_support(inputs: Inputs, paths: HeadlinePaths, deal: Deal, cash: CashflowModel, val: valuation.Valuation,
                   methods: Methods) -> tuple[CreditSupport, ...]:
    """No support (the register's base); a deposit of the register's high case of months, kept on a default; and
    investor support that makes a failed raise as rare as the register's low case."""
    b, params = val.batches, paths.params
    out, contract = val.headline.outcome, paths.contract
    base_survival = credit_model(inputs, params, deal, cash.schedule.months, cash.pv_by_month).survival
    rows = [CreditSupport("No credit support (the contract as reported)", valuation.batch_estimate(out.pv_usd, "mean", b),
                          float(1.0 - base_survival[-1]))]
    months = int(inputs.assumption("credit.deposit_months", "high"))
    cum = paths.cumulative_pv_usd
    defaulted = out.ended_by == EndedBy.DEFAULT
    end = out.end_month  # the last month paid before the default
    kept = np.where(defaulted, cum[np.minimum(end + months, contract.clause.term_months)] - cum[end], 0.0)
    rows.append(CreditSupport(f"A deposit of {months} months' payments, kept if Reflection defaults",
                              valuation.batch_estimate(out.pv_usd + kept, "mean", b), float(1.0 - base_survival[-1])))
    backed = dataclasses.replace(params, raise_failure_probability=inputs.assumption("credit.raise_failure_probability", "low"))
    survival = credit_model(inputs, backed, deal, cash.schedule.months, cash.pv_by_month).survival
    lattices = valuation.lattices_for(params, cash, (valuation.HEADLINE.process,), methods.grid_points, methods.grid_width_sd)
    solution = valuation.solve(valuation.HEADLINE, contract, valuation.frictions(params), lattices, survival)
    rows.append(CreditSupport("Investor support: a failed raise as rare as the register's low case",
                              valuation.Estimate(solution.expected_pv_usd, 0.0), float(1.0 - survival[-1])))
    return tuple(rows)


@dataclass(frozen=True)
class KnownState:
    """The contract as of the known-state date: payments made, notice served or not, and the value from then on."""

    as_of: dt.date
    payments_made: int
    notice_served: int
    received_usd: float  # undiscounted payments made
    remaining_pv_usd: valuation.Estimate  # expected PV at the as-of date of the payments still to come (headline model)
    value_as_of_usd: valuation.Estimate  # received + remaining (at the as-of date)
    prob_full_term: valuation.Estimate  # from the as-of date
    expected_remaining_months: valuation.Estimate
    paths_used: int


def known_state(inputs: Inputs, deal: Deal, cash: CashflowModel, params: Parameters, val: valuation.Valuation,
                paths: HeadlinePaths | None = None) -> KnownState:
    """Condition the headline model's paths on what is known at the as-of date (no notice served at the month-ends
    already past, and the payments made) and value the rest at that date."""
    paths = paths or headline_paths(params, cash, val)
    known = inputs.known_state.set_index("id")
    as_of = dt.date.fromisoformat(str(known.loc["known_as_of", "value"]))
    made = int(float(known.loc["known_payments_made", "value"]))
    served = int(float(known.loc["known_notice_served", "value"]))
    contract = paths.contract
    T = contract.clause.term_months
    if not 0 <= made <= T:
        raise InputError("known_state", "known_payments_made", made, f"a number of payments from 0 to {T}")
    if served:
        raise InputError("known_state", "known_notice_served", served, "0 (a served notice is not modelled yet)")
    default, notice = paths.default, paths.notice
    # By the start of month `made` its payment is in and the month-ends before it have passed with no notice.
    alive = (default > made) & ((notice < 0) | (notice >= made))
    if not alive.any():
        raise InputError("known_state", "paths", 0, "simulated paths consistent with the known state")
    out, cum = val.headline.outcome, paths.cumulative_pv_usd
    years = (as_of - deal.start_date).days / DAYS_PER_YEAR
    to_as_of = (1.0 + params.discount_rate) ** years
    remaining = (cum[out.end_month[alive]] - cum[made]) * to_as_of
    b = val.batches
    received = float(contract.amounts_usd[:made].sum())
    rem = valuation.batch_estimate(remaining, "mean", b)
    return KnownState(as_of, made, served, received, rem, valuation.Estimate(received + rem.value, rem.se),
                      valuation.batch_estimate((out.ended_by[alive] == EndedBy.TERM).astype(float), "mean", b),
                      valuation.batch_estimate((out.end_month[alive] - made).astype(float), "mean", b), int(alive.sum()))


@dataclass(frozen=True)
class Equilibrium:
    """Everything the equilibrium chapter reads."""

    walk: WalkAway
    signing: SigningMap
    thetas: Mapping[str, float]
    outcomes: tuple[ExitOutcomeRow, ...]
    counterfactuals: tuple[Counterfactual, ...]
    support: tuple[CreditSupport, ...]
    known: KnownState
    anthropic_usd_per_gpu_hour: float | None  # what Anthropic pays SpaceX per unit of compute, as a GB300 GPU-hour
    last_report: str  # the latest dated public report on the contract (ISO date), or ''

    @property
    def value_as_anthropic_usd(self) -> float:
        """Expected PV if Reflection paid Anthropic's GB300-equivalent price, at the base market."""
        if self.anthropic_usd_per_gpu_hour is None:
            raise InputError("Equilibrium", "anthropic_usd_per_gpu_hour", None, "Anthropic's GB300-equivalent price")
        return self.signing.value_at(self.signing.base_market_usd, self.anthropic_usd_per_gpu_hour)

    @property
    def anthropic_signs(self) -> str:
        """'yes' when both sides would sign at Anthropic's GB300-equivalent price and the base market."""
        if self.anthropic_usd_per_gpu_hour is None:
            return "no"
        return self.signing.signs_at(self.signing.base_market_usd, self.anthropic_usd_per_gpu_hour)

    @property
    def known_last_report(self) -> str:
        """The latest dated public report found."""
        return self.last_report


def equilibrium_model(inputs: Inputs, deal: Deal, params: Parameters, cash: CashflowModel, survival: np.ndarray,
                      val: valuation.Valuation, methods: Methods, anthropic_usd_per_gpu_hour: float | None = None) -> Equilibrium:
    """Assemble the signing map, exit outcomes, counterfactuals, credit support and the known state."""
    register = {"market": {c: inputs.assumption("pricing.market_price_usd_per_gpu_hour", c) for c in CASES},
                "price": {c: inputs.assumption("pricing.contract_price_usd_per_gpu_hour", c) for c in CASES}}
    thetas = {c: inputs.assumption("termination.bargaining_share_seller", c) for c in CASES}
    paths = headline_paths(params, cash, val)
    known = inputs.known_state.set_index("id")
    last = str(known.loc["known_last_public_report", "value"]) if "known_last_public_report" in known.index else ""
    return Equilibrium(paths.walk, signing_map(params, register, cash, survival, methods), thetas, exit_outcomes(paths, val, thetas),
                       counterfactuals(paths, val, thetas), credit_support(inputs, paths, deal, cash, val, methods),
                       known_state(inputs, deal, cash, params, val, paths), anthropic_usd_per_gpu_hour, last)
