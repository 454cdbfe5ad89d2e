"""The house plotting style: one theme, one colour-blind-safe palette, money and date axes, source lines."""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.colors import to_rgba_array
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

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


def month_starts(start: Any, count: int, months_before: int = 0) -> pd.DatetimeIndex:
    """``count`` consecutive month starts from ``start``'s month (``months_before`` months earlier), for a date axis."""
    first = pd.Timestamp(start) - pd.offsets.MonthBegin(months_before) if months_before else pd.Timestamp(start)
    return pd.date_range(first, periods=count, freq="MS")


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
    """Write a 'Source: …' line in small grey type under the figure, as plain text (a ``$`` or a backslash in it, say in
    a what-if file's name, is printed as it stands, never read as mathematics)."""
    wrapped = textwrap.fill(f"Source: {text}", width=int(fig.get_figwidth() * 17))
    wrapped = wrapped.replace("$", "\\$")  # with every dollar escaped there is no mathematics, and a backslash is literal
    fig.text(0.01, 0.005, wrapped, ha="left", va="top", fontsize=7.5, color=COLORS["neutral"],
             transform=fig.transFigure)


def new_figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, Axes]:
    """A figure and axes in the house style, with room at the bottom for the source line."""
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(h_pad=0.12)
    return fig, ax


MIN_LEGEND_COLOUR_DISTANCE: float = 0.15
"""Legend entries of one shape must differ in colour by at least this distance (face and edge RGBA, 0..√8)."""


def _first_rgba(value: Any) -> tuple[float, ...]:
    """The first colour of a Matplotlib colour value (a colour or an array of them) as RGBA; transparent if none."""
    try:
        colours = to_rgba_array(value)
    except (ValueError, TypeError):
        return (0.0, 0.0, 0.0, 0.0)
    return tuple(float(c) for c in colours[0]) if len(colours) else (0.0, 0.0, 0.0, 0.0)


def _handle_look(handle: object) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """How a legend handle looks: its colours (face and edge, or line and marker face, as RGBA) and its shape
    (marker or path, line style, hatch)."""
    shape: tuple[str, ...]
    if isinstance(handle, Line2D):
        colours = _first_rgba(handle.get_color()) + _first_rgba(handle.get_markerfacecolor())
        shape = (str(handle.get_marker()), str(handle.get_linestyle()), "")
    elif isinstance(handle, Collection):
        paths = handle.get_paths()
        outline = str(np.round(np.asarray(paths[0].vertices, dtype=float), 2).tolist()) if paths else ""
        colours = _first_rgba(handle.get_facecolor()) + _first_rgba(handle.get_edgecolor())
        shape = (outline, str(handle.get_linestyle()), str(handle.get_hatch() or ""))
    elif isinstance(handle, Patch):
        colours = _first_rgba(handle.get_facecolor()) + _first_rgba(handle.get_edgecolor())
        shape = ("patch", str(handle.get_linestyle()), str(handle.get_hatch() or ""))
    else:
        colours, shape = (), (type(handle).__name__,)
    return colours, shape


def figure_problems(fig: Figure) -> list[str]:
    """What would get in a reader's way: legend entries that look alike (colour, marker and line style all shared),
    and text cut short with an ellipsis."""
    problems = []
    legends: list[Legend] = [legend for ax in fig.axes if (legend := ax.get_legend()) is not None] + list(fig.legends)
    for legend in legends:
        labels = [t.get_text() for t in legend.get_texts()]
        looks = [_handle_look(h) for h in legend.legend_handles]
        for i in range(len(looks)):
            for j in range(i + 1, len(looks)):
                (a, shape_a), (b, shape_b) = looks[i], looks[j]
                if (shape_a == shape_b and len(a) == len(b)
                        and float(np.linalg.norm(np.subtract(a, b))) < MIN_LEGEND_COLOUR_DISTANCE):
                    problems.append(f"legend entries {labels[i]!r} and {labels[j]!r} look alike (same colour and shape)")
    texts = [t.get_text() for t in fig.findobj(Text) if isinstance(t, Text)]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    problems += [f"text cut short: {t!r}" for t in dict.fromkeys(texts) if t.rstrip().endswith(("…", "..."))]
    problems += legend_overlaps(fig)
    return problems


def legend_overlaps(fig: Figure) -> list[str]:
    """Data a legend hides: a line's vertex, a marker or a bar of its axes inside the legend's box (after drawing)."""
    problems = []
    for ax in fig.axes:
        hidden = _axes_overlaps(fig, ax)
        if hidden:
            problems.append(f"the legend of {ax.get_title() or 'an axes'!r} covers {hidden} plotted point(s) or bar(s)")
    return problems


LEGEND_PLACES: tuple[str, ...] = ("upper left", "upper right", "lower left", "lower right", "center left", "center right",
                                  "upper center", "lower center")
"""Where a legend may sit inside its axes, tried in this order when it covers data where the chart put it."""


def clear_legends(fig: Figure) -> None:
    """Move each legend that covers data to the first place inside its axes where it covers none, else below the axes."""
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not _axes_overlaps(fig, ax):
            continue
        for place in LEGEND_PLACES:
            legend.set_loc(place)  # type: ignore[arg-type]  # each of LEGEND_PLACES is one of Matplotlib's names
            if not _axes_overlaps(fig, ax):
                break
        else:
            legend.set_loc("upper center")
            legend.set_bbox_to_anchor((0.5, -0.14), transform=ax.transAxes)


def _axes_overlaps(fig: Figure, ax: Axes) -> int:
    """Plotted points or bars of ``ax`` inside its legend's box."""
    fig.canvas.draw()
    legend = ax.get_legend()
    if legend is None:
        return 0
    box = legend.get_window_extent()
    hidden = 0
    for line in ax.get_lines():
        if line.get_visible():
            hidden += _inside(box, line.get_transform().transform(np.column_stack([line.get_xdata(orig=False), line.get_ydata(orig=False)])))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible() and patch.get_width() and patch.get_height():
            extent = patch.get_window_extent()
            hidden += int(extent.overlaps(box) and not _encloses(extent, box))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if offsets.size:
            hidden += _inside(box, collection.get_offset_transform().transform(offsets))
    return hidden


def _inside(box: Bbox, xy: np.ndarray) -> int:
    """How many of the display points ``xy`` (n × 2) lie inside ``box``."""
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    return int(np.sum((pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)))


def _encloses(outer: Bbox, inner: Bbox) -> bool:
    """True when ``outer`` contains all of ``inner`` (a frame or background patch behind the legend, not data)."""
    return outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and outer.x1 >= inner.x1 and outer.y1 >= inner.y1
