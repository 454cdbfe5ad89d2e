"""Renegotiation instead of termination: when one side's exit threat is credible, the contract is repriced between the
two sides' walk-away prices rather than ended.

Walk-away prices, as shares of the market price of the same capacity: SpaceX would rather re-let than accept less than
``seller_share`` (the share of the capacity it re-lets, net of its re-letting discount); Reflection would rather leave
than pay more than ``buyer_share`` (the market plus its switching cost). With SpaceX's bargaining share θ of the surplus
between them (Nash bargaining over the disagreement points), the repriced contract pays
``seller_share + θ (buyer_share − seller_share)`` times the market price each month from the month after the threat
(month-end ``j``) to the end of the term: a price indexed to the market inside both walk-away prices, so neither side
gains by leaving later. Default still ends the payments. Payments are in the contract's units: a month paid at the
contract price pays its scheduled amount; a repriced month t pays the full fee × share × (market ÷ contract price at
index t − 1), the price when the month starts.
"""

from __future__ import annotations

import numpy as np

from ..validate import InputError
from .stopping import Contract


def repriced_share(seller_share: float, buyer_share: float, theta: float) -> float:
    """The repriced contract's price as a share of the market: seller_share + θ (buyer_share − seller_share)."""
    if not 0 <= theta <= 1:
        raise InputError("repriced_share", "theta", theta, "a bargaining share in [0, 1]")
    if not 0 <= seller_share <= buyer_share:
        raise InputError("repriced_share", "seller_share", seller_share, f"a walk-away share in [0, buyer_share = {buyer_share}]")
    return float(seller_share + theta * (buyer_share - seller_share))


def repriced_payments(contract: Contract, ratio: np.ndarray, notice: np.ndarray, default_month: np.ndarray | None,
                      share: float) -> np.ndarray:
    """Each path's payment in months 1..T, shape (T, n): the scheduled amount until the month-end of its threat
    (``notice``, −1: none) and ``full fee × share × ratio`` after it; nothing from the default month on."""
    r = np.asarray(ratio, dtype=float)
    T = contract.clause.term_months
    if r.ndim != 2 or r.shape[0] != T + 1:
        raise InputError("repriced_payments", "ratio", r.shape, f"(months 0..T = {T + 1}, paths)")
    n = r.shape[1]
    months = np.arange(1, T + 1)[:, np.newaxis]
    threat = np.asarray(notice)[np.newaxis, :]
    repriced = (threat >= 0) & (months > threat)
    pay = np.where(repriced, contract.full_fee_usd * share * r[:-1], contract.amounts_usd[:, np.newaxis])
    default = np.full(n, T + 1) if default_month is None else np.asarray(default_month)
    return np.where(months < default[np.newaxis, :], pay, 0.0)
