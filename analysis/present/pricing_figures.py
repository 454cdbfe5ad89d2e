"""Charts of the Compute pricing chapter: what the payment buys, the price record, price by age, the index level of
flexible GB300 capacity and the market path the valuation uses. Each takes plain data and returns the Figure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from .plotting import COLORS, PALETTE, add_source, date_axis, new_figure


def implied_capacity(
    prices_usd_per_gpu_hour: np.ndarray,
    gpus: np.ndarray,
    gpus_per_rack: float,
    marks: Sequence[tuple[str, float, str]],
    source: str,
) -> Figure:
    """GPUs (left axis) and NVL72 racks (right axis) a fixed monthly payment reserves across a range of prices."""
    fig, ax = new_figure()
    ax.plot(prices_usd_per_gpu_hour, gpus, color=COLORS["contract"], lw=2.2)
    for i, (label, price, role) in enumerate(marks):
        y = float(np.interp(price, prices_usd_per_gpu_hour, gpus))
        ax.plot([price], [y], "o", color=COLORS[role], ms=7, zorder=5)
        offset = (7, 5) if i % 2 == 0 else (-7, -14)
        ax.annotate(label, (price, y), xytext=offset, textcoords="offset points", fontsize=8.5, color=COLORS[role],
                    ha="left" if i % 2 == 0 else "right")
    ax.set_xlabel("Price per GPU-hour (USD)")
    ax.set_ylabel("GB300 GPUs reserved")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x / 1000:,.0f}k"))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.0f}"))
    per_rack = float(gpus_per_rack)

    def to_racks(g: np.ndarray) -> np.ndarray:
        return np.asarray(g, dtype=float) / per_rack

    def to_gpus(racks: np.ndarray) -> np.ndarray:
        return np.asarray(racks, dtype=float) * per_rack

    right = ax.secondary_yaxis("right", functions=(to_racks, to_gpus))  # type: ignore[arg-type]
    right.set_ylabel("NVL72 racks")
    ax.set_ylim(0, float(np.max(gpus)) * 1.05)
    add_source(fig, source)
    return fig


GENERATION_ORDER: tuple[str, ...] = ("A100", "H100", "H200", "B200", "GB200", "B300", "GB300")
KIND_MARKERS: dict[str, str] = {"on_demand_list": "o", "on_demand_median": "P", "spot": "v", "reserved": "s", "index": "X",
                                "capacity_block": "D", "transaction": "*"}


def price_observations(observations: pd.DataFrame, source: str) -> Figure:
    """Rental prices per GPU-hour over time (log scale): colour by generation, marker by price kind, hollow when
    outside the panel, and like-for-like series joined by thin lines."""
    fig, ax = new_figure(height=5.2)
    generations = [g for g in GENERATION_ORDER if g in set(observations["gpu"])]
    palette = dict(zip(generations, PALETTE, strict=False))
    for _series_id, series in observations[observations["series_id"].notna()].groupby("series_id"):
        series = series.sort_values("date")
        if series["date"].nunique() > 1:
            ax.plot(series["date"], series["usd_per_gpu_hour"], color=palette[series["gpu"].iloc[0]], lw=0.8, alpha=0.6)
    for gpu in generations:
        obs = observations[observations["gpu"] == gpu]
        for kind, marker in KIND_MARKERS.items():
            part = obs[obs["price_kind"] == kind]
            inside, outside = part[part["in_fit"] == "yes"], part[part["in_fit"] != "yes"]
            ax.scatter(inside["date"], inside["usd_per_gpu_hour"], marker=marker, s=30, color=palette[gpu], edgecolor="white",
                       linewidth=0.5, zorder=3)
            ax.scatter(outside["date"], outside["usd_per_gpu_hour"], marker=marker, s=30, facecolor="none",
                       edgecolor=palette[gpu], linewidth=0.9, zorder=3)
        ax.scatter([], [], marker="o", s=30, color=palette[gpu], label=gpu)
    for kind, marker in KIND_MARKERS.items():
        if kind in set(observations["price_kind"]):
            ax.scatter([], [], marker=marker, s=30, color=COLORS["neutral"], label=kind.replace("_", " "))
    ax.scatter([], [], marker="o", s=30, facecolor="none", edgecolor=COLORS["neutral"], label="outside the panel")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(FixedLocator([1, 1.5, 2, 3, 4, 6, 8, 12, 18]))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.2f}".rstrip("0").rstrip(".")))
    ax.set_ylabel("Rental price per GPU-hour (USD, log scale)")
    ax.set_xlabel("Date of observation")
    date_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, ncol=1)
    add_source(fig, source)
    return fig


def contract_vs_market(dates: pd.DatetimeIndex, contract_price: float, market_paths: Sequence[tuple[str, np.ndarray, str]],
                       step_date: object | None, source: str) -> Figure:
    """The contract's price per GPU-hour against projected median market prices over the term, the next generation's
    arrival marked."""
    fig, ax = new_figure()
    ax.plot(dates, np.full(len(dates), contract_price), color=COLORS["contract"], lw=2.4, label="Contract (assumed, flat)")
    for label, path, role in market_paths:
        ax.plot(dates, path, color=COLORS[role], lw=1.8, ls="-" if role == "market" else "--", label=label, drawstyle="steps-post")
    if step_date is not None:
        step = pd.Timestamp(step_date)
        ax.axvline(step, color=COLORS["neutral"], lw=1, ls=":")
        ax.annotate("Rubin-class capacity\nbroadly rentable (base)", (step, contract_price), xytext=(6, 14),
                    textcoords="offset points", fontsize=8.5, color=COLORS["neutral"])
    ax.set_ylabel("Price per GB300 GPU-hour (USD)")
    ax.set_xlabel("Month of the contract")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.2f}"))
    ax.set_ylim(0, None)
    date_axis(ax)
    ax.legend(loc="lower left", fontsize=8.5)
    add_source(fig, source)
    return fig


def price_by_age(points: pd.DataFrame, slope_per_year: float, step_log: float, slope_band: tuple[float, float],
                 successor_age_years: dict[str, float], source: str) -> Figure:
    """Prices relative to their generation's fitted level at launch (kind and tier divided out) against years since
    launch, hollow once the successor is available, with the fitted slope (and its interval) before and after the step."""
    fig, ax = new_figure(height=4.8)
    generations = [g for g in GENERATION_ORDER if g in set(points["gpu"])]
    palette = dict(zip(generations, PALETTE, strict=False))
    for gpu in generations:
        own = points[points["gpu"] == gpu]
        before, after = own[~own["after"]], own[own["after"]]
        ax.scatter(before["age_years"], before["relative_price"], s=28, color=palette[gpu], edgecolor="white", linewidth=0.5,
                   zorder=3, label=gpu)
        ax.scatter(after["age_years"], after["relative_price"], s=28, facecolor="none", edgecolor=palette[gpu], linewidth=1.0, zorder=3)
        if gpu in successor_age_years:
            ax.axvline(successor_age_years[gpu], color=palette[gpu], lw=0.8, ls=":", zorder=1)
    ages = np.linspace(0.0, float(points["age_years"].max()) * 1.02, 50)
    low, high = slope_band
    ax.fill_between(ages, np.exp(low * ages), np.exp(high * ages), color=COLORS["neutral"], alpha=0.12, lw=0,
                    label="slope's interval")
    ax.plot(ages, np.exp(slope_per_year * ages), color=COLORS["market"], lw=2.0, label="fitted slope, before the successor")
    ax.plot(ages, np.exp(slope_per_year * ages + step_log), color=COLORS["market"], lw=1.5, ls="--",
            label="fitted slope, after the successor's step")
    ax.scatter([], [], s=28, facecolor="none", edgecolor=COLORS["neutral"], label="after the successor arrived")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(FixedLocator([0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4]))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:g}×"))
    ax.set_xlabel("Years since the generation was first available (dotted: its successor arrives)")
    ax.set_ylabel("Price ÷ the generation's fitted level at launch (log scale)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    add_source(fig, source)
    return fig


def index_levels(labels: Sequence[str], prices_usd_per_gpu_hour: Sequence[float], sets_level: Sequence[bool],
                 level: tuple[float, float, float], contract_price: float, source: str) -> Figure:
    """Index readings carried to a GB300 NVL72 GPU-hour as dots on one axis: the ones that set the level filled, the
    hyperscaler-based ones hollow, with the level's range, its median and the contract's assumed price."""
    fig, ax = new_figure(height=0.32 * len(labels) + 1.8)
    order = np.argsort(prices_usd_per_gpu_hour)
    y = np.arange(len(labels))
    low, base, high = level
    ax.axvspan(low, high, color=COLORS["market"], alpha=0.10, lw=0, label="level of flexible capacity (low to high)")
    ax.axvline(base, color=COLORS["market"], lw=1.2, ls=":", label=f"level, base case: ${base:,.2f}")
    ax.axvline(contract_price, color=COLORS["contract"], lw=2.0, label=f"contract price, base case: ${contract_price:,.2f}")
    for yi, i in zip(y, order, strict=True):
        filled = bool(sets_level[i])
        ax.plot([prices_usd_per_gpu_hour[i]], [yi], "o", ms=7, zorder=4, color=COLORS["market" if filled else "neutral"],
                markerfacecolor=COLORS["market"] if filled else "none")
    ax.plot([], [], "o", color=COLORS["market"], label="market-wide index (sets the level)")
    ax.plot([], [], "o", color=COLORS["neutral"], markerfacecolor="none", label="built from hyperscaler prices, or not nearest the start")
    ax.set_yticks(y, [labels[i] for i in order], fontsize=8)
    ax.set_xlabel("Price per GB300 NVL72 GPU-hour, like for like (USD)")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.0f}"))
    ax.set_xlim(0, max(*prices_usd_per_gpu_hour, contract_price) * 1.1)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8)
    add_source(fig, source)
    return fig
