"""The buyer's credit: how long its cash lasts, and the monthly hazard of default that follows.

Model (a funding-runway model, stated here because no published one fits a pre-revenue AI lab): at the
contract start the buyer holds the cash it has raised less what it has spent since; from then on it spends its
operating burn plus the contract payment each month. When the cash runs out it must raise again; each such
raise fails with probability ``raise_failure``, and a successful one funds ``months_per_raise`` more months, after
which it must raise again. Independently, a small background hazard (the rate at which funded start-ups shut
down) applies every month. A round that is only *in talks* at the start closes with probability
``talks_close``; the survival curve is the mixture of the two cases. Months are payment months 1..T; default in
month m means the payment of month m and later are not made.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..conventions import MONTHS_PER_YEAR
from ..validate import InputError, require_finite, require_positive, require_whole


@dataclass(frozen=True)
class Runway:
    """The buyer's cash position at the contract start and how long it lasts (months, at burn plus payment)."""

    cash_at_start_usd: float
    monthly_spend_usd: float  # operating burn plus the contract payment

    @property
    def months(self) -> float:
        """Months the cash covers from the contract start (0 if none)."""
        return max(self.cash_at_start_usd, 0.0) / self.monthly_spend_usd


def runway(raised_usd: float, months_spent_before_start: float, monthly_burn_usd: float, monthly_payment_usd: float) -> Runway:
    """Cash at the start (raised less burn since the raise) and the spend rate once the contract pays."""
    raised = float(require_positive("raised_usd", raised_usd, where="runway", allow_zero=True))
    before = float(require_positive("months_spent_before_start", months_spent_before_start, where="runway", allow_zero=True))
    burn = float(require_positive("monthly_burn_usd", monthly_burn_usd, where="runway", allow_zero=True))
    payment = float(require_positive("monthly_payment_usd", monthly_payment_usd, where="runway"))
    return Runway(raised - burn * before, burn + payment)


def refinancing_months(first_months: float, months_per_raise: float, term_months: int) -> np.ndarray:
    """Months (1-based, rounded up) at which the buyer must raise again within the term: first, first + gap, …"""
    first = float(require_positive("first_months", first_months, where="refinancing_months", allow_zero=True))
    gap = float(require_positive("months_per_raise", months_per_raise, where="refinancing_months"))
    term = require_whole("term_months", term_months, where="refinancing_months", minimum=1)
    events = np.arange(first, term + 1e-9, gap)
    return np.maximum(np.ceil(events - 1e-9), 1).astype(int)


def survival(term_months: int, runways_months: np.ndarray, weights: np.ndarray, months_per_raise: float,
             raise_failure: float, background_annual: float) -> np.ndarray:
    """Probability the buyer is still paying in each month 1..T: the mixture over cash cases of background
    survival times the chance every refinancing due by that month succeeded."""
    term = require_whole("term_months", term_months, where="survival", minimum=1)
    runs = require_positive("runways_months", runways_months, where="survival", allow_zero=True)
    w = require_positive("weights", weights, where="survival", allow_zero=True)
    if runs.shape != w.shape or not np.isclose(w.sum(), 1.0):
        raise InputError("survival", "weights", w.tolist(), "one weight per runway case, summing to 1")
    f = float(require_finite("raise_failure", raise_failure, where="survival"))
    b = float(require_finite("background_annual", background_annual, where="survival"))
    for name, value in (("raise_failure", f), ("background_annual", b)):
        if not 0 <= value <= 1:
            raise InputError("survival", name, value, "a probability in [0, 1]")
    months = np.arange(1, term + 1)
    monthly_background = 1.0 - (1.0 - b) ** (1.0 / MONTHS_PER_YEAR)
    background = (1.0 - monthly_background) ** months
    mixed = np.zeros(term)
    for run, weight in zip(runs, w, strict=True):
        events = refinancing_months(float(run), months_per_raise, term)
        due = np.searchsorted(events, months, side="right")  # refinancings due by month m (a failure stops month m's payment)
        mixed += weight * (1.0 - f) ** due
    return background * mixed


def monthly_hazard(survival_by_month: np.ndarray) -> np.ndarray:
    """Hazard of default in each month given survival to the month before: 1 − S_m / S_{m−1} (S_0 = 1)."""
    s = require_finite("survival_by_month", survival_by_month, where="monthly_hazard")
    previous = np.concatenate([[1.0], s[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(previous > 0, 1.0 - s / previous, 1.0)
    return np.clip(h, 0.0, 1.0)


def draw_default_months(rng: np.random.Generator, survival_by_month: np.ndarray, n_paths: int) -> np.ndarray:
    """Default month on each path (T + 1 = no default within the term), drawn from the survival curve by inversion."""
    if not isinstance(rng, np.random.Generator):
        raise InputError("draw_default_months", "rng", type(rng).__name__, "a numpy.random.Generator")
    s = require_finite("survival_by_month", survival_by_month, where="draw_default_months")
    if np.any(np.diff(s) > 1e-12) or np.any((s < 0) | (s > 1)):
        raise InputError("draw_default_months", "survival_by_month", "not a survival curve", "non-increasing probabilities in [0, 1]")
    n = require_whole("n_paths", n_paths, where="draw_default_months", minimum=1)
    return default_months(s, rng.random(n))


def default_months(survival_by_month: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Default month for each uniform draw u (T + 1 = no default within the term), by inversion of the survival curve:
    default in month m when S_m < u <= S_{m-1}, the first month whose survival falls below u."""
    s = np.asarray(survival_by_month, dtype=float)
    return (np.searchsorted(-s, -np.asarray(uniforms, dtype=float), side="left") + 1).astype(int)
