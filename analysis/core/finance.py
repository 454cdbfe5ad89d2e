"""Discounting: XNPV/XIRR with Excel's rules, periodic NPV and IRR over scenario arrays. Rates are annual
effective decimals unless a name says monthly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pyxirr

from ..conventions import DAYS_PER_YEAR, MONTHS_PER_YEAR
from ..validate import InputError, require_finite

# --------------------------------------------------------------------------------------------
# Excel-style XNPV / XIRR (wrapping pyxirr, with Excel's rules enforced)



def _dated_flows(values: object, dates: Iterable[object], where: str) -> tuple[np.ndarray, list]:
    flows = require_finite("values", values, where=where)
    if flows.ndim != 1:
        raise InputError(where, "values", flows.shape, "a 1-D series of cash flows")
    try:
        days = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]) for d in dates]
    except (TypeError, ValueError):
        raise InputError(where, "dates", dates, "dates (datetime.date or YYYY-MM-DD)") from None
    days = [d.date() if isinstance(d, dt.datetime) else d for d in days]
    if len(days) != len(flows):
        raise InputError(where, "dates", len(days), f"as many dates as values ({len(flows)})")
    first = days[0]
    early = [d.isoformat() for d in days[1:] if d < first]
    if early:
        raise InputError(where, "dates", early, f"dates on or after the first date ({first.isoformat()}), as Excel requires")
    return flows, days


def dated_discount_factors(rate: float | np.ndarray, dates: Iterable[object], valuation_date: object) -> np.ndarray:
    """XNPV discount factors (1 + rate) ** (−days / 365) of ``dates`` from ``valuation_date`` (Actual/365 fixed).

    ``rate`` of shape (K,) gives (K, N). Dates before the valuation date are an error.
    """
    r = require_finite("rate", rate, where="dated_discount_factors")
    if np.any(r <= -1):
        raise InputError("dated_discount_factors", "rate", r.tolist(), "annual rates > -1")
    listed = [valuation_date, *dates]
    _, days = _dated_flows(np.zeros(len(listed)), listed, "dated_discount_factors")
    t = np.array([(d - days[0]).days for d in days[1:]], dtype=float) / DAYS_PER_YEAR
    assert isinstance(days[0], dt.date)
    return np.power(1.0 + r[..., np.newaxis], -t) if r.ndim else np.power(1.0 + r, -t)


def xnpv(rate: float, values: object, dates: Iterable[object]) -> float:
    """Net present value of dated cash flows with Excel's XNPV semantics.

    Σ P_i / (1 + rate) ** ((d_i − d_1) / 365): ``rate`` is an annual effective rate, the day count is
    Actual/365 fixed, the *first* date in the list is t0 (not the earliest), and a date before it is an
    error (#NUM! in Excel). Unlike the OOXML text, a one-signed series (all receipts) is allowed.
    """
    r = float(require_finite("rate", rate, where="xnpv"))
    if r <= -1:
        raise InputError("xnpv", "rate", r, "an annual rate > -1")
    flows, days = _dated_flows(values, dates, "xnpv")
    value = pyxirr.xnpv(r, days, flows.tolist())
    if value is None:
        raise InputError("xnpv", "values", flows.tolist(), "cash flows pyxirr can value")
    return float(value)


def xirr(values: object, dates: Iterable[object], guess: float = 0.1) -> float:
    """Annual effective rate at which XNPV is zero, with Excel's XIRR rules (first date is t0; Actual/365).

    Needs at least one positive and one negative value; raises ValueError where no rate is found.
    """
    flows, days = _dated_flows(values, dates, "xirr")
    if not (np.any(flows > 0) and np.any(flows < 0)):
        raise InputError("xirr", "values", flows.tolist(), "at least one positive and one negative cash flow")
    g = float(require_finite("guess", guess, where="xirr"))
    result = pyxirr.xirr(days, flows.tolist(), guess=g, silent=True)
    if result is None or not np.isfinite(result):
        raise InputError("xirr", "values", flows.tolist(), "cash flows for which an internal rate exists")
    return float(result)


# --------------------------------------------------------------------------------------------
# Periodic NPV and IRR over scenario arrays


def annual_to_monthly(annual_rate: float | np.ndarray) -> np.ndarray:
    """Monthly effective rate from an annual effective rate: (1 + r) ** (1/12) − 1."""
    rate = require_finite("annual_rate", annual_rate, where="annual_to_monthly")
    if np.any(rate <= -1):
        raise InputError("annual_to_monthly", "annual_rate", rate.tolist(), "rates > -1")
    return np.power(1.0 + rate, 1.0 / MONTHS_PER_YEAR) - 1.0


def monthly_to_annual(monthly: float | np.ndarray) -> np.ndarray:
    """Annual effective rate from a monthly effective rate: (1 + m) ** 12 − 1."""
    m = require_finite("monthly", monthly, where="monthly_to_annual")
    if np.any(m <= -1):
        raise InputError("monthly_to_annual", "monthly", m.tolist(), "rates > -1")
    return np.power(1.0 + m, float(MONTHS_PER_YEAR)) - 1.0


def npv(rate: float | np.ndarray, cash_flows: np.ndarray, timing: str = "advance") -> np.ndarray:
    """NPV of periodic cash flows at a per-period ``rate``, vectorized over rates and rows.

    ``timing="advance"``: the first flow is at t = 0 (numpy-financial's and pyxirr's default);
    ``timing="arrears"``: the first flow is one period out (Excel's NPV). ``rate`` (K,) and
    ``cash_flows`` (P, N) give (K, P); a scalar rate drops the K axis; 1-D flows drop the P axis.
    """
    if timing not in ("advance", "arrears"):
        raise InputError("npv", "timing", timing, "'advance' or 'arrears'")
    r = require_finite("rate", rate, where="npv")
    if np.any(r <= -1):
        raise InputError("npv", "rate", r.tolist(), "rates > -1")
    flows = require_finite("cash_flows", cash_flows, where="npv")
    t = np.arange(flows.shape[-1], dtype=float) + (1.0 if timing == "arrears" else 0.0)
    factors = np.power(1.0 + r[..., np.newaxis], -t)  # (K, N) or (N,)
    return np.tensordot(factors, flows, axes=([-1], [-1])) if factors.ndim == 2 else flows @ factors


def irr(cash_flows: np.ndarray, guess: float = 0.1, grid_size: int = 400, tol: float = 1e-12) -> np.ndarray:
    """Per-period internal rate of return of each row of ``cash_flows`` (flows at t = 0, 1, …), vectorized.

    Method: Newton's method from ``guess`` on all rows at once (Excel's approach); rows where it fails
    to converge fall back to a scan of NPV over a grid of rates in (−0.99, 10] and bisection on the
    sign change nearest ``guess``. A row has NaN only where no root exists in that range: all flows of
    one sign, or an NPV that never crosses zero. Where several roots exist (non-conventional flows), the
    one Newton reaches from ``guess`` (else the one nearest it) is returned.
    """
    flows = require_finite("cash_flows", cash_flows, where="irr")
    one_row = flows.ndim == 1
    flows = np.atleast_2d(flows)
    if flows.shape[-1] < 2:
        raise InputError("irr", "cash_flows", flows.shape, "at least two cash flows per row")
    g = float(require_finite("guess", guess, where="irr"))
    result = _irr_newton(flows, g, tol)
    todo = np.isnan(result)
    if np.any(todo):
        result[todo] = _irr_bisect(flows[todo], g, grid_size, tol)
    return result[0] if one_row else result


def _irr_newton(flows: np.ndarray, guess: float, tol: float, iterations: int = 60) -> np.ndarray:
    t = np.arange(flows.shape[1], dtype=float)
    rate = np.full(flows.shape[0], guess)
    done = np.zeros(flows.shape[0], dtype=bool)
    scale = np.abs(flows).sum(axis=1)
    for _ in range(iterations):
        with np.errstate(all="ignore"):
            v = np.power(1.0 + rate[:, np.newaxis], -t)
            f = np.einsum("pn,pn->p", flows, v)
            df = np.einsum("pn,pn->p", flows, -t * v) / (1.0 + rate)
            step = np.where(done, 0.0, f / df)
            rate = rate - step
        bad = ~np.isfinite(rate) | (rate <= -1.0)
        rate = np.where(bad, np.nan, rate)
        done = done | (np.abs(step) < tol) | bad
        if np.all(done):
            break
    with np.errstate(all="ignore"):
        residual = np.abs(np.einsum("pn,pn->p", flows, np.power(1.0 + rate[:, np.newaxis], -t))) / scale
    return np.where(done & (residual < 1e-9), rate, np.nan)


def _irr_bisect(flows: np.ndarray, guess: float, grid_size: int, tol: float) -> np.ndarray:
    grid = np.concatenate([np.linspace(-0.99, 0.0, grid_size // 2, endpoint=False), np.geomspace(1e-6, 10.0, grid_size // 2)])
    grid = np.unique(np.append(grid, 0.0))
    values = npv(grid, flows)  # (G, P)
    sign_change = np.signbit(values[:-1]) != np.signbit(values[1:])
    exact = values == 0.0
    mid = 0.5 * (grid[:-1] + grid[1:])
    distance = np.where(sign_change, np.abs(mid - guess)[:, np.newaxis], np.inf)
    pick = distance.argmin(axis=0)
    found = np.isfinite(distance.min(axis=0))
    rows = np.arange(flows.shape[0])
    lo, hi = grid[pick].copy(), grid[pick + 1].copy()
    f_lo = values[pick, rows]
    t = np.arange(flows.shape[1], dtype=float)
    for _ in range(200):
        m = 0.5 * (lo + hi)
        f_m = np.einsum("pn,pn->p", flows, np.power(1.0 + m[:, np.newaxis], -t))
        left = np.signbit(f_m) == np.signbit(f_lo)
        lo, f_lo = np.where(left, m, lo), np.where(left, f_m, f_lo)
        hi = np.where(left, hi, m)
        if np.all(np.abs(hi - lo) < tol):
            break
    result = np.where(found, 0.5 * (lo + hi), np.nan)
    exact_rows = exact.any(axis=0) & ~found
    if np.any(exact_rows):
        result[exact_rows] = grid[exact[:, exact_rows].argmax(axis=0)]
    return result


def level_payment(principal_usd: float | np.ndarray, monthly_rate: float | np.ndarray, months: int) -> np.ndarray:
    """Monthly payment that repays ``principal_usd`` over ``months`` months at ``monthly_rate`` (in arrears); principal ÷ n at 0."""
    p = require_finite("principal_usd", principal_usd, where="level_payment")
    r = require_finite("monthly_rate", monthly_rate, where="level_payment")
    if np.any(r <= -1):
        raise InputError("level_payment", "monthly_rate", r.tolist(), "rates > -1")
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 1:
        raise InputError("level_payment", "months", months, "a whole number >= 1")
    with np.errstate(divide="ignore", invalid="ignore"):
        payment = p * r / (1.0 - np.power(1.0 + r, -months))
    return np.where(np.abs(r) < 1e-12, p / months, payment)
