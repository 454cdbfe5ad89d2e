"""The house plotting style: one theme, one colour-blind-safe palette, money and date axes, source lines."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter

from ..formatting import format_usd

PALETTE: tuple[str, ...] = tuple(sns.color_palette("colorblind").as_hex())
"""Seaborn's colour-blind-safe palette; figures take colours from here by role, below."""

COLORS: dict[str, str] = {
    "contract": PALETTE[0],  # the Reflection contract (blue)
    "committed": PALETTE[1],  # the committed minimum, model's reading (orange)
    "alternative": PALETTE[2],  # the other reading / alternative case (green)
    "market": PALETTE[3],  # market prices (red)
    "neutral": "#7f7f7f",
}


def apply_house_style() -> None:
    """Set the book's matplotlib/seaborn theme (call once at the top of a chapter)."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=list(PALETTE),
        rc={
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 110,
            "savefig.dpi": 200,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            "svg.hashsalt": "colossus-reflection",
        },
    )


def usd_axis(ax: Axes, axis: str = "y") -> None:
    """Label the ``axis`` ticks of ``ax`` as scaled US dollars ($1.5B, $150M)."""
    formatter = FuncFormatter(lambda x, _pos: "$0" if x == 0 else format_usd(float(x), compact=True))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def date_axis(ax: Axes, axis: str = "x") -> None:
    """Concise year/month ticks on a date ``axis``."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    locator = mdates.AutoDateLocator()
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))


def add_source(fig: Figure, text: str) -> None:
    """Write a 'Source: …' line in small grey type under the figure."""
    wrapped = textwrap.fill(f"Source: {text}", width=int(fig.get_figwidth() * 17))
    fig.text(0.01, 0.005, wrapped, ha="left", va="top", fontsize=7.5, color=COLORS["neutral"],
             transform=fig.transFigure)


def new_figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, Axes]:
    """A figure and axes in the house style, with room at the bottom for the source line."""
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(h_pad=0.12)
    return fig, ax
