"""Figure checks a reader relies on: legend entries that cannot be told apart, and text cut short, are refused."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from analysis.present.book import publish_figure
from analysis.present.plotting import figure_problems


def test_bars_whose_legend_swatches_share_a_colour_are_refused() -> None:
    fig, ax = plt.subplots()
    ax.barh([0], [1], color="tab:green", label="low case")
    ax.barh([1], [2], color="tab:orange", label="high case")
    # The legend is drawn from proxy patches of one colour: the fault the tornado figures had.
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color="tab:blue", label="low case"), Patch(color="tab:blue", label="high case")])
    problems = figure_problems(fig)
    plt.close(fig)
    assert problems == ["legend entries 'low case' and 'high case' look alike (same colour and shape)"]


def test_entries_told_apart_by_colour_or_by_marker_pass() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="tab:green", label="low")
    ax.plot([0, 1], [1, 0], color="tab:orange", label="high")
    ax.scatter([], [], marker="o", color="grey", label="on demand")
    ax.scatter([], [], marker="s", color="grey", label="reserved")
    ax.scatter([], [], marker="o", facecolor="none", edgecolor="grey", label="outside the panel")
    ax.legend()
    assert figure_problems(fig) == []
    plt.close(fig)


def test_same_marker_and_colour_in_a_scatter_legend_is_refused() -> None:
    fig, ax = plt.subplots()
    ax.scatter([], [], marker="o", color="grey", label="spot")
    ax.scatter([], [], marker="o", color="#808081", label="list")
    ax.legend()
    assert len(figure_problems(fig)) == 1
    plt.close(fig)


@pytest.mark.parametrize("label", ["What Reflection pays per GB300 GPU-hour (the con…", "Annual volatility..."])
def test_text_cut_short_is_refused(label: str) -> None:
    fig, ax = plt.subplots()
    ax.set_yticks([0], [label])
    assert figure_problems(fig) == [f"text cut short: {label!r}"]
    plt.close(fig)


def test_publish_refuses_a_figure_with_problems() -> None:
    fig, ax = plt.subplots()
    ax.set_title("Swing by input (the con…")
    with pytest.raises(ValueError, match="figure 'fig-x': text cut short"):
        publish_figure(fig, "fig-x")


def test_a_legend_over_data_is_caught_and_moved_to_a_clear_place():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.present.plotting import clear_legends, legend_overlaps, new_figure
    fig, ax = new_figure()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.full_like(x, 0.95), label="near the top")
    ax.plot(x, np.zeros_like(x), label="at the bottom")
    ax.set_ylim(-0.05, 1.0)
    ax.legend(loc="upper left")
    assert legend_overlaps(fig)  # the guard sees the covered line
    clear_legends(fig)
    assert legend_overlaps(fig) == [] and ax.get_legend()._loc != 2  # moved off the upper left
    plt.close(fig)


def test_a_legend_with_no_clear_place_goes_below_the_axes():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.present.plotting import clear_legends, legend_overlaps, new_figure
    fig, ax = new_figure()
    grid = np.linspace(0, 1, 40)
    xx, yy = np.meshgrid(grid, grid)
    ax.scatter(xx.ravel(), yy.ravel(), s=2, label="points everywhere")
    ax.legend(loc="upper left")
    clear_legends(fig)
    assert legend_overlaps(fig) == []
    assert ax.get_legend().get_bbox_to_anchor().y0 < ax.get_window_extent().y0  # below the axes
    plt.close(fig)


def test_a_named_index_goes_into_the_one_header_row():
    import pandas as pd

    from analysis.present.tables import table_html
    named = pd.DataFrame({"Value": [1, 2]}, index=pd.Index(["x", "y"], name="Case"))
    html = table_html(named)
    head = html[html.index("<thead>"): html.index("</thead>")]
    assert head.count("<tr") == 1 and "<th>Case</th>" in head and "<th></th>" not in head
    plain = pd.DataFrame({"Value": [1, 2]})
    assert table_html(plain) == plain._repr_html_()
