"""The method register: every numerical setting of the models (seeds, path counts, grids, fit sizes, evidence
cut-offs), each with the reason for its value.

Economic assumptions live in ``data/assumptions.csv`` with low, base and high cases and sources; these are choices
of *method*, which change how precisely or on what evidence a number is computed, not what the world is assumed to
be. The models take a :class:`Methods` argument (default :data:`METHODS`), so a test or a benchmark can run them
with fewer paths without touching the code. The methodology appendix lists every setting with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


def setting(value: Any, reason: str) -> Any:
    """A method setting: its default value and the one-line reason for it (kept as the field's metadata)."""
    return field(default=value, metadata={"reason": reason})


@dataclass(frozen=True)
class Methods:
    """Numerical settings of the models. Units are in the names; grids are tuples (the models turn them into arrays)."""

    valuation_seed: int = setting(20260701, "The contract's start date: the root of every random stream (numpy "
                                            "SeedSequence.spawn gives each purpose its own), so every build draws the same paths.")
    grid_points: int = setting(801, "Points of the exact solver's price grid: halving the spacing moves the expected values "
                                    "by less than 0.02% (the convergence test holds it).")
    grid_width_sd: float = setting(6.0, "Half-width of the price grid in standard deviations of the widest month's log "
                                        "price: beyond it the probability is below one in a billion.")
    valuation_paths: int = setting(100_000, "Simulated paths the solved boundaries are applied to, for percentiles and the "
                                            "seller's economics: the standard error of a probability is at most 0.16 points.")
    error_batches: int = setting(10, "Independent batches the paths are split into; the spread of a statistic across them "
                                     "gives its standard error (batch means).")
    fit_paths: int = setting(10_000, "Paths on which the least-squares cross-check fits its policy, separate from those it "
                                     "values, so the value is not biased up by foresight.")
    lsm_paths: int = setting(10_000, "Paths the least-squares cross-check values each fitted policy on.")
    lsm_replications: int = setting(3, "Independent fits of the least-squares cross-check: their spread is its standard "
                                       "error, fitting noise included.")
    lsm_basis_degree: int = setting(3, "Cubic polynomial in the price ratio, the basis Longstaff and Schwartz use for "
                                       "their American put.")
    seller_paths: int = setting(20_000, "Paths whose seller cash flows are valued (the first of the valuation paths): "
                                        "enough for percentiles of the IRR, at a fifth of the cost.")
    sensitivity_grid_points: int = setting(201, "Price-grid points of each one-way, price-curve or scenario evaluation "
                                                "(the exact solver; hundreds of evaluations): the headline model within "
                                                "0.05% of the fine grid.")
    one_way_points: int = setting(5, "Each entry's one-way grid: low, halfway to base, base, halfway to high, high.")
    sobol_seed: int = setting(20291231, "The contract's last day: the global analysis's sample is reproducible.")
    sobol_base_sample: int = setting(128, "Saltelli's base sample N (a power of two); N × (D + 2) evaluations for D inputs.")
    sobol_paths: int = setting(1_000, "Paths per evaluation of the global analysis (the myopic rule), so thousands of "
                                      "evaluations fit in the build.")
    sobol_confidence: float = setting(0.95, "Confidence level of the Sobol' indices' bootstrap intervals (SALib's default).")
    screen_share: float = setting(0.01, "An entry enters the global analysis only if, one way, it moves some output by "
                                        "more than this share of the widest one-way range (screening before Sobol').")
    contract_price_grid_usd_per_gpu_hour: tuple[float, ...] = setting(
        tuple(round(2.5 + 0.25 * i, 2) for i in range(21)),
        "Unit prices of the value-against-price curve: $2.50 to $7.50 in 25-cent steps, spanning every comparable.")
    capacity_price_grid_usd_per_gpu_hour: tuple[float, float, int] = setting(
        (2.5, 12.0, 200), "Prices (from, to, points) of the implied-capacity curve: from below the cheapest comparable "
                          "to above SpaceX's Google contract.")
    pv_profile_rates: tuple[float, float, int] = setting(
        (0.0, 0.20, 41), "Annual discount rates (from, to, points) of the present-value profile: 0% to 20% in half-point steps.")
    fixed_end_months: tuple[int, ...] = setting((12, 24), "Fixed end dates shown beside the earliest end and the full "
                                                          "term: after one and after two years.")
    trend_confidence: float = setting(0.90, "Confidence level of the price-trend intervals.")
    trend_max_width: float = setting(0.30, "The widest interval (in annual change) a trend may have and still count as "
                                           "identified: wider says nothing a reader can use.")
    repeat_min_series: int = setting(3, "Like-for-like series that must be observed over the minimum span for the "
                                        "repeat-price trend to count as identified.")
    repeat_min_span_years: float = setting(0.5, "Minimum span of a like-for-like series that counts towards identification.")
    panel_min_generations: int = setting(2, "Generations that must be observed over the minimum span for the price-by-age "
                                            "trend to count as identified.")
    panel_min_span_years: float = setting(1.0, "Minimum span of a generation's observations that counts towards "
                                               "identification of the price-by-age trend.")
    generation_min_providers: int = setting(2, "Providers that must be observed over the minimum span for one generation's "
                                               "own trend to count as identified.")
    profile_generations: tuple[str, ...] = setting(("A100", "H100", "H200"), "Generations whose price by age the profile "
                                                                           "is fitted on: the ones the record follows from "
                                                                           "early in their lives past their successor's arrival.")
    profile_kinds: tuple[tuple[str, tuple[str, ...]], ...] = setting(
        (("On-demand (posted prices and medians)", ("on_demand_list", "on_demand_median")), ("Spot", ("spot",)),
         ("Reserved, a year or less", ("reserved (12 months or less)",)), ("Reserved, over a year", ("reserved (over 12 months)",)),
         ("Published indices", ("index",))),
        "The groups of price kinds the profile is also fitted on one by one (a reservation's term splits it).")
    profile_min_obs: int = setting(12, "Fewest prices a group of price kinds needs before its own profile is fitted: "
                                       "below it the interval says nothing.")
    architectures: tuple[str, ...] = setting(("Ampere", "Hopper", "Blackwell", "Rubin"), "NVIDIA's architectures, oldest "
                                                                                          "first: a generation's successor "
                                                                                          "is the next one's first part.")
    index_generations: tuple[str, ...] = setting(("B200", "B300", "GB200", "GB300"), "Generations whose index readings "
                                                                                     "set GB300's level: Blackwell, "
                                                                                     "carried to GB300 NVL72 like for like.")
    index_kinds: tuple[str, ...] = setting(("index", "on_demand_median"), "Price kinds that are published indices or "
                                                                          "benchmarks of flexible capacity.")
    index_tier: str = setting("market", "Provider tier of the indices that set the level: market-wide ones (indices built "
                                        "from hyperscaler list prices are shown but do not set it).")
    map_market_usd_per_gpu_hour: tuple[float, float, int] = setting(
        (3.0, 11.0, 81), "Market prices at signing (from, to, points) of the value map: from below the cheapest index "
                         "reading to above the hyperscaler-based ones.")
    map_price_usd_per_gpu_hour: tuple[float, float, int] = setting(
        (2.0, 10.0, 81), "Unit prices (from, to, points) of the value map: from below the cheapest GB300 contract to above "
                         "SpaceX's Anthropic contract, as a GB300-equivalent price.")
    map_ratio_points: int = setting(41, "Unit-price-to-market ratios solved exactly for the map and for the headline's "
                                        "range over the signing region (the value depends on the two prices only through "
                                        "their ratio).")
    index_window_days: int = setting(183, "Readings within this many days of the contract start count; each index series "
                                          "contributes its reading nearest the start.")


METHODS: Methods = Methods()
"""The settings the book is built with."""


def method_rows(methods: Methods = METHODS) -> list[tuple[str, Any, str]]:
    """Every setting as (name, value, reason), in the order defined."""
    return [(f.name, getattr(methods, f.name), str(f.metadata["reason"])) for f in fields(methods)]
