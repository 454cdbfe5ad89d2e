"""Discounting. Rates are annual effective decimals; time is counted in months from the valuation date."""

from __future__ import annotations

import numpy as np

from .validate import InputError, require_finite


def monthly_rate(annual_rate: float | np.ndarray) -> np.ndarray:
    """Monthly effective rate equivalent to an annual effective rate: (1 + r) ** (1/12) - 1."""
    rate = require_finite("annual_rate", annual_rate, where="monthly_rate")
    if np.any(rate <= -1):
        raise InputError("monthly_rate", "annual_rate", rate.tolist(), "rates > -1")
    return np.power(1.0 + rate, 1.0 / 12.0) - 1.0


def discount_factors(annual_rate: float | np.ndarray, months: np.ndarray) -> np.ndarray:
    """Discount factors (1 + r) ** (-t / 12) for cash flows ``months`` months after the valuation date.

    ``annual_rate`` of shape (K,) and ``months`` of shape (N,) give shape (K, N); a scalar rate gives (N,).
    """
    rate = require_finite("annual_rate", annual_rate, where="discount_factors")
    if np.any(rate <= -1):
        raise InputError("discount_factors", "annual_rate", rate.tolist(), "rates > -1")
    t = require_finite("months", months, where="discount_factors")
    if np.any(t < 0):
        raise InputError("discount_factors", "months", t.tolist(), "months >= 0 (no cash flow before the valuation date)")
    return np.power(1.0 + rate[..., np.newaxis], -t / 12.0) if rate.ndim else np.power(1.0 + rate, -t / 12.0)


def present_value_usd(amounts_usd: np.ndarray, months: np.ndarray, annual_rate: float | np.ndarray) -> np.ndarray:
    """Present value in USD of ``amounts_usd`` paid ``months`` months after the valuation date.

    Shapes: amounts (N,) or (P, N); months (N,); a rate of shape (K,) adds a leading axis.
    A scalar rate and 1-D amounts give a 0-d array (use ``float()`` on it).
    """
    amounts = require_finite("amounts_usd", amounts_usd, where="present_value_usd")
    t = require_finite("months", months, where="present_value_usd")
    if amounts.shape[-1] != t.shape[-1]:
        raise InputError("present_value_usd", "months", t.shape, f"as many months as amounts ({amounts.shape[-1]})")
    factors = discount_factors(annual_rate, t)
    if factors.ndim == 1:
        return amounts @ factors
    return np.einsum("...n,kn->k...", amounts, factors)
