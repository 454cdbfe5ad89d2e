"""Chart builders: each takes plain data, draws one idea in the house style and returns the Figure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .formatting import format_usd
from .plotting import COLORS, add_source, date_axis, new_figure, usd_axis


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
