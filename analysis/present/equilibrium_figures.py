"""Charts of the chapter on why both sides signed: the value over unit price and market price at signing, with the
region where both sides sign. Each takes plain data and returns the Figure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from ..formatting import format_usd
from .plotting import COLORS, add_source, new_figure

MAP_LEVELS = 40
"""Colour bands of the value map."""


def signing_map(market_usd: np.ndarray, price_usd: np.ndarray, value_usd: np.ndarray, shares: tuple[float, float],
                box: tuple[float, float, float, float], base: tuple[float, float], marks: Sequence[tuple[str, float, str]],
                source: str) -> Figure:
    """Expected PV as a heatmap over (market price, unit price) at signing; the lines ``price = share × market`` that
    bound where both sides sign; the register's ranges as a box; the base case as a point; ``marks`` (label, unit
    price, role) as horizontal lines."""
    fig, ax = new_figure(height=5.4)
    # Filled contours, not a mesh of cells: smooth at any size and drawn as a few dozen vector shapes.
    mesh = ax.contourf(market_usd, price_usd, value_usd, levels=MAP_LEVELS, cmap="viridis")
    bar = fig.colorbar(mesh, ax=ax, pad=0.01)
    bar.set_label("Expected present value to SpaceX")
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: format_usd(float(x), compact=True)))
    seller, buyer = shares
    x = np.array([market_usd.min(), market_usd.max()])
    ax.plot(x, seller * x, color="white", lw=1.6, ls="--", label=f"SpaceX's walk-away: {seller:.0%} of the market")
    ax.plot(x, buyer * x, color="white", lw=1.6, ls=":", label=f"Reflection's walk-away: {buyer:.0%} of the market")
    m_lo, m_hi, k_lo, k_hi = box
    ax.add_patch(Rectangle((m_lo, k_lo), m_hi - m_lo, k_hi - k_lo, fill=False, ec=COLORS["alternative"], lw=1.8,
                           label="the register's ranges of market and unit price"))
    ax.plot([base[0]], [base[1]], "o", ms=9, mfc=COLORS["contract"], mec="white", mew=1.5, label="base case", zorder=5)
    for label, price, role in marks:
        ax.axhline(price, color=COLORS[role], lw=1.0, ls="-.", alpha=0.9)
        ax.annotate(label, (market_usd.max(), price), xytext=(-4, 3), textcoords="offset points", ha="right", fontsize=7.5,
                    color="white")
    ax.set_xlim(market_usd.min(), market_usd.max())
    ax.set_ylim(price_usd.min(), price_usd.max())
    ax.set_xlabel("Market price of flexible GB300 capacity at signing (USD per GPU-hour)")
    ax.set_ylabel("Contract's unit price (USD per GPU-hour)")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _p: f"${v:,.0f}"))
    ax.grid(False)
    legend = ax.legend(loc="upper left", fontsize=7.5, frameon=True, facecolor="white", edgecolor="#cccccc", framealpha=0.92)
    for handle in legend.get_lines():
        if handle.get_color() == "white":
            handle.set_color("#333333")  # the walk-away lines are white on the map, dark in the legend
    add_source(fig, source)
    return fig
