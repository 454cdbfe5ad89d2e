"""Market price processes for GPU capacity, month by month over the contract's term.

The log price is a deterministic level path plus a zero-mean deviation, ``x_j = m_j + y_j`` for months
j = 0..T (0 = the start):

* the **level** ``m_j`` falls at the annual decline d, ``m_j = m_0 + j ln(1 − d)/12``, and steps by ``ln(1 − s)``
  (down for s > 0, up for s < 0) from the month the next generation (Rubin-class capacity) is broadly rentable;
* the **deviation** follows ``y_j = φ y_{j−1} + σ_m ε_j`` with standard normal ε: a random walk (φ = 1,
  σ_m = σ/√12) or a mean-reverting Ornstein–Uhlenbeck process sampled monthly (Schwartz 1997's one-factor
  model), φ = e^(−κ/12), σ_m = σ √((1 − e^(−2κ/12)) / 2κ), with half-life ln 2/κ.

For the random walk the level is the median price path; the deviation starts at 0. For the mean-reverting
process the level is the long-run price the market reverts to, and the deviation starts at the log gap
between today's price and that level. σ is the annual volatility of the log price. Randomness only
through an explicit ``numpy.random.Generator``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..conventions import MONTHS_PER_YEAR
from ..validate import InputError, require_finite, require_positive, require_whole
from .choices import Choice


class Process(Choice):
    """The market price process: a random walk in the log, or mean-reverting around the long-run level."""

    RANDOM_WALK = "random_walk", "Random walk", "random-walk prices"
    MEAN_REVERTING = "mean_reverting", "Mean-reverting", "mean-reverting prices"

    def build(self, market: MarketAssumptions, months: int) -> PriceProcess:
        """This process for ``months`` months from the market assumptions (see ``builds``)."""
        if self not in BUILDERS:
            raise InputError("Process.build", "process", self.value, "a process with a builder (decorate one with @builds)")
        return BUILDERS[self](market, months)


@dataclass(frozen=True)
class MarketAssumptions:
    """What every price process is built from: the market price at the start, its median path's annual decline, the
    next generation's one-off step (share, and the month index from which it applies), the annual volatility of the
    log price and the half-life of a gap to the long-run level (mean reversion only)."""

    start_price_usd_per_gpu_hour: float
    annual_decline: float
    annual_volatility: float
    half_life_months: float
    step_share: float
    step_month: int


@dataclass(frozen=True)
class PriceProcess:
    """A monthly log-price process: level path ``log_level`` (months 0..T), persistence φ, shock SD and start gap."""

    kind: str
    log_level: np.ndarray
    phi: float
    shock_sd: float
    start_gap: float

    @property
    def months(self) -> int:
        """T, the number of months after the start."""
        return len(self.log_level) - 1

    def deviation_variance(self, k: np.ndarray) -> np.ndarray:
        """Variance of y_{j+k} given y_j: k σ_m² for a random walk, σ_m² (1 − φ^{2k}) / (1 − φ²) when mean-reverting."""
        steps = np.asarray(k, dtype=float)
        if self.phi == 1.0:
            return steps * self.shock_sd**2
        return self.shock_sd**2 * (1.0 - self.phi ** (2.0 * steps)) / (1.0 - self.phi**2)

    def expected_price(self, j: int, deviation: np.ndarray, months: np.ndarray) -> np.ndarray:
        """E[price at each of ``months`` | y_j = ``deviation``] (lognormal): shape (len(deviation), len(months)).

        Months before j are not allowed; month j returns the price itself.
        """
        t = np.asarray(months, dtype=int)
        if np.any(t < j) or np.any(t > self.months):
            raise InputError("PriceProcess.expected_price", "months", t.tolist(), f"months in {j}..{self.months}")
        k = (t - j).astype(float)
        y = np.asarray(deviation, dtype=float)[..., np.newaxis]
        return np.exp(self.log_level[t] + self.phi**k * y + 0.5 * self.deviation_variance(k))

    def median_path(self) -> np.ndarray:
        """Price path with no shocks: exp(m_j + φ^j y_0) for months 0..T."""
        j = np.arange(self.months + 1, dtype=float)
        return np.exp(self.log_level + self.phi**j * self.start_gap)

    def simulate(self, rng: np.random.Generator, n_paths: int) -> np.ndarray:
        """Deviations y_j for months 0..T on ``n_paths`` paths, month-major: shape (T + 1, n_paths).

        Draws are taken path by path (each path's T shocks together), so a path's shocks do not depend on
        how many paths are drawn.
        """
        if not isinstance(rng, np.random.Generator):
            raise InputError("PriceProcess.simulate", "rng", type(rng).__name__, "a numpy.random.Generator")
        n = require_whole("n_paths", n_paths, where="PriceProcess.simulate", minimum=1)
        return self.deviations(rng.standard_normal((n, self.months)))

    def deviations(self, shocks: np.ndarray) -> np.ndarray:
        """Deviations y_j for months 0..T from standard normal ``shocks`` of shape (n_paths, T), month-major (T + 1, n):
        the same shocks give every process its path, so processes can be compared path by path."""
        z = np.asarray(shocks, dtype=float)
        if z.ndim != 2 or z.shape[1] != self.months:
            raise InputError("PriceProcess.deviations", "shocks", z.shape, f"(paths, {self.months} months)")
        y = np.empty((self.months + 1, z.shape[0]))
        y[0] = self.start_gap
        shocks_t = z.T
        for j in range(1, self.months + 1):
            np.multiply(y[j - 1], self.phi, out=y[j])
            y[j] += self.shock_sd * shocks_t[j - 1]
        return y


def level_path(start_log_level: float, annual_decline: float, months: int, step_share: float = 0.0,
               step_month: int | None = None) -> np.ndarray:
    """Log level for months 0..``months``: falling at ``annual_decline`` a year, down ``step_share`` from ``step_month`` on
    (a negative share is a rise)."""
    d = float(require_finite("annual_decline", annual_decline, where="level_path"))
    if not -1 < d < 1:
        raise InputError("level_path", "annual_decline", d, "a decimal in (-1, 1)")
    s = float(require_finite("step_share", step_share, where="level_path"))
    if not -1 < s < 1:
        raise InputError("level_path", "step_share", s, "a share in (-1, 1)")
    n = require_whole("months", months, where="level_path", minimum=1)
    j = np.arange(n + 1, dtype=float)
    path = start_log_level + j * np.log1p(-d) / MONTHS_PER_YEAR
    if step_month is not None and s != 0:
        step = require_whole("step_month", step_month, where="level_path", minimum=0)
        path = path + np.where(j >= step, np.log1p(-s), 0.0)
    return path


def random_walk(start_price: float, annual_decline: float, annual_volatility: float, months: int,
                step_share: float = 0.0, step_month: int | None = None) -> PriceProcess:
    """A log random walk from ``start_price`` whose median falls at ``annual_decline`` (and steps down at ``step_month``)."""
    p0 = float(require_positive("start_price", start_price, where="random_walk"))
    vol = float(require_positive("annual_volatility", annual_volatility, where="random_walk", allow_zero=True))
    return PriceProcess("random_walk", level_path(np.log(p0), annual_decline, months, step_share, step_month), 1.0,
                        vol / np.sqrt(MONTHS_PER_YEAR), 0.0)


def mean_reverting(start_price: float, long_run_price: float, annual_decline: float, annual_volatility: float,
                   half_life_months: float, months: int, step_share: float = 0.0, step_month: int | None = None) -> PriceProcess:
    """A log Ornstein–Uhlenbeck process reverting to a long-run level that starts at ``long_run_price`` and falls at ``annual_decline``.

    ``half_life_months`` is the time for half of a gap to the level to close (ln 2 / κ, in months).
    """
    p0 = float(require_positive("start_price", start_price, where="mean_reverting"))
    level0 = float(require_positive("long_run_price", long_run_price, where="mean_reverting"))
    vol = float(require_positive("annual_volatility", annual_volatility, where="mean_reverting", allow_zero=True))
    half_life = float(require_positive("half_life_months", half_life_months, where="mean_reverting"))
    kappa = np.log(2.0) / (half_life / MONTHS_PER_YEAR)  # per year
    dt = 1.0 / MONTHS_PER_YEAR
    phi = float(np.exp(-kappa * dt))
    shock = vol * float(np.sqrt((1.0 - np.exp(-2.0 * kappa * dt)) / (2.0 * kappa)))
    return PriceProcess("mean_reverting", level_path(np.log(level0), annual_decline, months, step_share, step_month), phi,
                        shock, float(np.log(p0 / level0)))


BUILDERS: dict[Process, Callable[[MarketAssumptions, int], PriceProcess]] = {}
"""The function that builds each process (filled by ``builds``); a test checks every Process member has one."""


def builds(process: Process) -> Callable[[Callable[[MarketAssumptions, int], PriceProcess]],
                                          Callable[[MarketAssumptions, int], PriceProcess]]:
    """Register the decorated function as the builder of ``process``."""
    def register(fn: Callable[[MarketAssumptions, int], PriceProcess]) -> Callable[[MarketAssumptions, int], PriceProcess]:
        BUILDERS[process] = fn
        return fn
    return register


@builds(Process.RANDOM_WALK)
def random_walk_process(market: MarketAssumptions, months: int) -> PriceProcess:
    """A random walk whose median starts at the market price and follows the decline and the step."""
    m = market
    return random_walk(m.start_price_usd_per_gpu_hour, m.annual_decline, m.annual_volatility, months, m.step_share, m.step_month)


@builds(Process.MEAN_REVERTING)
def mean_reverting_process(market: MarketAssumptions, months: int) -> PriceProcess:
    """Mean reversion to a level that starts at the market price (no initial gap) and falls with the decline and the step."""
    m = market
    return mean_reverting(m.start_price_usd_per_gpu_hour, m.start_price_usd_per_gpu_hour, m.annual_decline, m.annual_volatility,
                          m.half_life_months, months, m.step_share, m.step_month)
