"""Chart builders: each takes plain data, draws one idea in the house style and returns the Figure."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..formatting import describe_decline as describe_decline  # re-exported for chapters' labels
from ..formatting import describe_step as describe_step  # re-exported for chapters' labels
from ..formatting import format_percent, format_usd
from .plotting import COLORS, add_source, date_axis, new_figure, usd_axis
from .plotting import month_starts as month_starts  # re-exported for chapters' date axes


def usd_tick(x: float) -> str:
    """An axis tick in scaled US dollars with a minus sign: '−$2.5B', '$886M'."""
    return format_usd(float(x), compact=True)


def percent_tick(x: float) -> str:
    """An axis tick as a whole percentage: '12%'."""
    return format_percent(float(x), 0)


def month_tick(x: float) -> str:
    """An axis tick as a whole month number: '16'."""
    return f"{x:.0f}"


def cumulative_payments(
    schedule: pd.DataFrame,
    committed_months: int,
    committed_months_alt: int,
    lock_in_months: int,
    source: str,
) -> Figure:
    """Cumulative payments over the term, with the committed minimum under both readings of the clause marked."""
    fig, ax = new_figure()
    dates = schedule["date"]
    # A payment is due on the first of each month: draw the running total as a step that rises on that date.
    ax.step(dates, schedule["cumulative_usd"], where="post", color=COLORS["contract"], lw=2.2,
            label="Cumulative payments if run to term")
    headline = float(schedule["cumulative_usd"].iloc[-1])
    end = dates.iloc[-1] + pd.offsets.MonthBegin(1)
    ax.hlines(headline, dates.iloc[0], end, colors=COLORS["contract"], linestyles=":", lw=1)
    ax.annotate(f"Headline {format_usd(headline)}", (end, headline), xytext=(-4, 6), textcoords="offset points",
                ha="right", fontsize=9, color=COLORS["contract"])
    lock_in_end = dates.iloc[0] + pd.offsets.MonthBegin(lock_in_months)
    ax.axvspan(dates.iloc[0], lock_in_end, color=COLORS["neutral"], alpha=0.12, lw=0)
    ax.annotate("initial\nperiod", (dates.iloc[0], headline * 0.55), xytext=(3, 0), textcoords="offset points",
                fontsize=8, color=COLORS["neutral"])
    for months, color, words in ((committed_months, COLORS["committed"], "Committed minimum (model)"),
                                 (committed_months_alt, COLORS["alternative"], "Committed minimum (other reading)")):
        value = float(schedule["cumulative_usd"].iloc[months - 1])
        when = dates.iloc[months - 1]
        ax.plot([when], [value], "o", color=color, ms=7, zorder=5, label=f"{words}: {format_usd(value)}")
    ax.set_xlim(dates.iloc[0], end)
    ax.set_ylim(0, headline * 1.1)
    ax.set_ylabel("Cumulative payments to SpaceX (USD)")
    ax.set_xlabel("Payment month")
    usd_axis(ax)
    date_axis(ax)
    ax.legend(loc="upper left")
    add_source(fig, source)
    return fig


def value_bars(labels: Sequence[str], values_usd: Sequence[float], roles: Sequence[str], source: str) -> Figure:
    """Horizontal bars comparing dollar values (e.g. headline, present values, committed minimum), labelled."""
    fig, ax = new_figure(height=0.6 * len(labels) + 1.4)
    y = np.arange(len(labels))[::-1]
    colors = [COLORS[r] for r in roles]
    ax.barh(y, values_usd, color=colors, height=0.6)
    for yi, v in zip(y, values_usd, strict=True):
        ax.annotate(format_usd(float(v)), (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(values_usd) * 1.15)
    ax.set_xlabel("US dollars")
    ax.grid(axis="y", visible=False)
    usd_axis(ax, "x")
    add_source(fig, source)
    return fig


def pv_profile(rates: np.ndarray, lines: Sequence[tuple[str, np.ndarray, str]], base_rate: float, source: str) -> Figure:
    """Present value against the annual discount rate, one line per valuation (full term, expected, committed)."""
    fig, ax = new_figure()
    for label, values, role in lines:
        ax.plot(rates * 100, values, color=COLORS[role], lw=2.0, label=label)
    ax.axvline(base_rate * 100, color=COLORS["neutral"], lw=1, ls=":")
    ax.annotate("base rate", (base_rate * 100, ax.get_ylim()[1] * 0.97), xytext=(4, 0), textcoords="offset points",
                fontsize=8.5, color=COLORS["neutral"], va="top")
    ax.set_xlabel("Annual discount rate (%)")
    ax.set_ylabel("Present value at the start date (USD)")
    ax.set_ylim(0, None)
    usd_axis(ax)
    ax.legend(loc="center right", fontsize=8.5)
    add_source(fig, source)
    return fig


def pv_distribution(pv_usd: np.ndarray, marks: Sequence[tuple[str, float, str]], source: str) -> Figure:
    """Histogram of simulated present values with reference values marked."""
    fig, ax = new_figure()
    weights = np.full(len(pv_usd), 100.0 / len(pv_usd))
    ax.hist(pv_usd, bins=42, weights=weights, color=COLORS["contract"], alpha=0.8, edgecolor="white", linewidth=0.4)
    for label, value, role in marks:
        ax.axvline(value, color=COLORS[role], lw=1.6, ls="--", label=f"{label}: {format_usd(value)}")
    ax.legend(loc="upper right", fontsize=8.5, frameon=True, facecolor="white", edgecolor="none", framealpha=0.9)
    ax.set_xlabel("Present value of payments received (USD)")
    ax.set_ylabel("Share of simulated paths (%)")
    usd_axis(ax, "x")
    add_source(fig, source)
    return fig


def driver_lines(x: np.ndarray, lines: Sequence[tuple[str, np.ndarray, str]], xlabel: str, ylabel: str,
                 base_x: float, source: str, percent_y: bool = False) -> Figure:
    """One outcome against one driver, a line per value of a second driver; the base value marked."""
    fig, ax = new_figure()
    for label, values, role in lines:
        ax.plot(x * 100, values * (100 if percent_y else 1), color=COLORS[role], lw=2.0, marker="o", ms=3.5, label=label)
    ax.axvline(base_x * 100, color=COLORS["neutral"], lw=1, ls=":")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if not percent_y:
        usd_axis(ax)
    ax.set_ylim(0, None)
    ax.legend(loc="upper left", fontsize=8.5)
    add_source(fig, source)
    return fig


def waterfall(steps: Sequence[tuple[str, float, str]], total_label: str, source: str) -> Figure:
    """A build-up (waterfall) of US-dollar components ending in their total."""
    fig, ax = new_figure()
    running = 0.0
    labels = []
    for i, (label, value, role) in enumerate(steps):
        ax.bar(i, value, bottom=running, color=COLORS[role], width=0.6)
        ax.annotate(format_usd(value), (i, running + value), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=9)
        running += value
        labels.append(label)
    ax.bar(len(steps), running, color=COLORS["contract"], width=0.6)
    ax.annotate(format_usd(running), (len(steps), running), xytext=(0, 4), textcoords="offset points", ha="center",
                fontsize=9, fontweight="bold")
    ax.set_xticks(range(len(steps) + 1), [*labels, total_label])
    ax.set_ylabel("Capex per GPU (USD)")
    ax.set_ylim(0, running * 1.12)
    ax.grid(axis="x", visible=False)
    usd_axis(ax)
    add_source(fig, source)
    return fig


def cumulative_cash(dates: pd.DatetimeIndex, lines: Sequence[tuple[str, np.ndarray, str]], source: str) -> Figure:
    """Cumulative cash flow over time for several scenarios, with the zero line (payback) marked."""
    fig, ax = new_figure()
    for label, flows, role in lines:
        ax.plot(dates, np.cumsum(flows), color=COLORS[role], lw=2.0, label=label)
    ax.axhline(0, color=COLORS["neutral"], lw=1)
    ax.set_ylabel("Cumulative cash flow to SpaceX (USD)")
    ax.set_xlabel("Month")
    usd_axis(ax)
    date_axis(ax)
    ax.legend(loc="upper left", fontsize=8.5)
    add_source(fig, source)
    return fig


def cost_against_price(components: Sequence[tuple[str, float, str]], prices: Sequence[tuple[str, float, str]], source: str) -> Figure:
    """A stacked bar of cost per GPU-hour by component beside bars of prices per GPU-hour."""
    fig, ax = new_figure(height=4.2)
    bottom = 0.0
    for label, value, role in components:
        ax.barh(0, value, left=bottom, color=COLORS[role], height=0.55, label=label)
        bottom += value
    ax.annotate(f"${bottom:,.2f}", (bottom, 0), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    for i, (_label, value, role) in enumerate(prices, start=1):
        ax.barh(i, value, color=COLORS[role], height=0.55)
        ax.annotate(f"${value:,.2f}", (value, i), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(range(len(prices) + 1), ["Cost (TCO)"] + [label for label, _, _ in prices])
    ax.invert_yaxis()
    ax.set_xlabel("US dollars per GPU-hour")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.0f}"))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper right", fontsize=8.5)
    add_source(fig, source)
    return fig


def tornado(rows: pd.DataFrame, base: float, xlabel: str, value_format: Callable[[float], str], source: str, top: int = 10) -> Figure:
    """One-way sensitivity over a grid: for each input, a bar from the lowest to the highest output anywhere on its grid
    (not only at the ends), with the output at the low and high cases marked; the widest ranges on top, inputs that do
    not move the output left out."""
    rows = rows[rows["swing"] > 0].sort_values("swing", ascending=True).tail(top)
    fig, ax = new_figure(width=9.0, height=0.5 * len(rows) + 1.8)
    if rows.empty:
        ax.text(0.5, 0.5, "No input moves this output over its range.", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(xlabel)
        ax.set_yticks([])
        add_source(fig, source)
        return fig
    y = np.arange(len(rows))
    ax.barh(y, (rows["grid_max"] - rows["grid_min"]).to_numpy(), left=rows["grid_min"].to_numpy(), color=COLORS["contract"],
            alpha=0.35, height=0.62, label="range over the input's grid, low to high")
    ax.scatter(rows["at_low"], y, marker="o", s=36, color=COLORS["alternative"], zorder=3, label="input at its low case")
    ax.scatter(rows["at_high"], y, marker="D", s=32, color=COLORS["market"], zorder=3, label="input at its high case")
    interior = rows["interior_extreme"].to_numpy(dtype=bool)
    if interior.any():
        above = rows["grid_max"] > np.maximum(rows["at_low"], rows["at_high"])
        ax.scatter(np.where(above, rows["grid_max"], rows["grid_min"])[interior], y[interior], marker="|", s=220,
                   color=COLORS["committed"], zorder=3, label="extreme inside the range")
    ax.axvline(base, color=COLORS["neutral"], lw=1, ls="--", label="base")
    ax.set_yticks(y, [textwrap.fill(d.rstrip("."), 44) for d in rows["description"]], fontsize=8)
    ax.set_xlabel(xlabel)
    low = float(min(rows["grid_min"].min(), base))
    high = float(max(rows["grid_max"].max(), base))
    pad = 0.04 * (high - low) if high > low else 0.04 * max(abs(high), 1.0)
    ax.set_xlim(low - pad, high + pad)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: value_format(x)))
    ax.legend(loc="lower right", fontsize=8, frameon=True, facecolor="white", edgecolor="none", framealpha=0.9)
    ax.grid(axis="y", visible=False)
    add_source(fig, source)
    return fig


def value_against_price(prices_usd_per_gpu_hour: np.ndarray, values_usd: np.ndarray, base_price: float,
                        marks: Sequence[tuple[str, float]], source: str) -> Figure:
    """Expected present value against the contract's unit price, with the base price and comparable prices marked."""
    fig, ax = new_figure()
    ax.plot(prices_usd_per_gpu_hour, values_usd, color=COLORS["contract"], lw=2, marker="o", ms=3.5, label="expected present value")
    ax.axvline(base_price, color=COLORS["neutral"], lw=1, ls="--")
    top = float(np.max(values_usd))
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5}
    ax.annotate("base price", (base_price, top), xytext=(4, 0), textcoords="offset points", fontsize=8, color=COLORS["neutral"],
                va="top", bbox=box)
    for i, (label, price) in enumerate(sorted(marks, key=lambda m: m[1])):
        ax.axvline(price, color=COLORS["market"], lw=1, ls=":")
        ax.annotate(textwrap.fill(label, 22), (price, top * (0.04 + 0.08 * i)), xytext=(4, 0), textcoords="offset points",
                    fontsize=8, color=COLORS["market"], va="bottom", bbox=box)
    ax.set_xlabel("Contract unit price (USD per GB300 GPU-hour)")
    ax.set_ylabel("Expected present value to SpaceX")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.2f}"))
    usd_axis(ax)
    ax.set_ylim(bottom=0)
    add_source(fig, source)
    return fig


def price_bars(labels: Sequence[str], values: Sequence[float], roles: Sequence[str], xlabel: str, source: str) -> Figure:
    """Horizontal bars of prices per GPU-hour, labelled with their value."""
    fig, ax = new_figure(height=0.55 * len(labels) + 1.5)
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color=[COLORS[r] for r in roles], height=0.6)
    for yi, v in zip(y, values, strict=True):
        ax.annotate(f"${v:,.2f}", (v, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_xlim(0, max(values) * 1.18)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.0f}"))
    ax.grid(axis="y", visible=False)
    add_source(fig, source)
    return fig


def probability_lines(dates: pd.DatetimeIndex, lines: Sequence[tuple[str, np.ndarray, str]], ylabel: str, source: str) -> Figure:
    """Probabilities over the term, one step line per case, on a 0-100% axis."""
    fig, ax = new_figure()
    for label, values, role in lines:
        ax.step(dates, np.asarray(values) * 100, where="post", color=COLORS[role], lw=2.0, label=label)
    ax.set_ylim(0, 101)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("Payment month")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0f}%"))
    date_axis(ax)
    ax.legend(loc="lower left", fontsize=8.5)
    add_source(fig, source)
    return fig


def cash_runway(dates: pd.DatetimeIndex, lines: Sequence[tuple[str, np.ndarray, str]], source: str) -> Figure:
    """A company's cash over time under several funding cases, with the zero line where it must raise again."""
    fig, ax = new_figure()
    for label, values, role in lines:
        ax.plot(dates, values, color=COLORS[role], lw=2.0, label=label)
    ax.axhline(0, color=COLORS["neutral"], lw=1)
    ax.set_ylabel("Cash left (USD)")
    ax.set_xlabel("Month")
    usd_axis(ax)
    date_axis(ax)
    ax.legend(loc="upper right", fontsize=8.5)
    add_source(fig, source)
    return fig


def exercise_boundaries(dates: pd.DatetimeIndex, market_usd: np.ndarray, buyer_below_usd: np.ndarray, seller_above_usd: np.ndarray,
                        contract_price: float, source: str) -> Figure:
    """Each side's exercise boundary by decision month, in market price per GPU-hour: Reflection serves notice below its
    line, SpaceX above its own; with the contract price and the market's median path."""
    fig, ax = new_figure()
    buyer = np.where(buyer_below_usd > 0, buyer_below_usd, np.nan)
    seller = np.where(np.isfinite(seller_above_usd), seller_above_usd, np.nan)
    ax.fill_between(dates, 0, buyer, step="post", color=COLORS["committed"], alpha=0.18, lw=0)
    ax.step(dates, buyer, where="post", color=COLORS["committed"], lw=2.0, label="Reflection serves notice below this price")
    if np.isfinite(seller).any():
        ax.step(dates, seller, where="post", color=COLORS["alternative"], lw=2.0, label="SpaceX serves notice above this price")
    ax.plot(dates, market_usd, color=COLORS["market"], lw=1.6, ls="--", label="Market price, median path")
    ax.axhline(contract_price, color=COLORS["contract"], lw=1.6, label="Contract price (assumed)")
    top = float(np.nanmax([contract_price, *market_usd, *np.nan_to_num(seller, nan=0.0)])) * 1.15
    if np.isfinite(seller).any():
        ax.fill_between(dates, seller, top, step="post", color=COLORS["alternative"], alpha=0.12, lw=0)
    ax.set_ylim(0, top)
    ax.set_ylabel("Market price per GB300 GPU-hour (USD)")
    ax.set_xlabel("Month-end at which notice could be served")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"${x:,.2f}"))
    date_axis(ax)
    ax.legend(loc="upper right", fontsize=8.5, frameon=True, facecolor="white", edgecolor="none", framealpha=0.9)
    add_source(fig, source)
    return fig
