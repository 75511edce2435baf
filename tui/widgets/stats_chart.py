"""One chart of the stats screen: a title with the current figures, braille dots, axis labels.

The widget only draws: the figures come from `tui.charts` (no Textual there),
computed for the width it has, so a resize redraws at the new width without
asking the engine anything.
"""

from __future__ import annotations

from typing import ClassVar, Sequence

from rich.text import Text
from textual.widget import Widget

from tui.charts.braille import DOTS_PER_CELL, plot
from tui.charts.metrics import ChartView, MemoryLimit, Metric, chart_view, window_for
from tui.charts.series import Placements
from tui.engine.types import StatsSample

#: Room for the axis top's label, the widest being `500 KiB/s`; the same on every chart, so that
#: charts of one width cover the same minutes.
LABEL_WIDTH = 9


def span_label(seconds: float) -> str:
    """How far back the left edge is: `-50s`, `-5m`, `-1h10m`."""
    if seconds < 120:
        return f"-{seconds:.0f}s"
    minutes = round(seconds / 60)
    return f"-{minutes}m" if minutes < 60 else f"-{minutes // 60}h{minutes % 60:02d}m"


class StatsChart(Widget):
    """Title and figures on the first row, the plot below with its axis top and 0, the time axis last."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"stats-chart--title", "stats-chart--dots", "stats-chart--axis"}
    DEFAULT_CSS = """
    StatsChart { height: 1fr; min-height: 4; padding: 0 1; }
    StatsChart > .stats-chart--title { text-style: bold; }
    StatsChart > .stats-chart--dots { color: $accent; }
    StatsChart > .stats-chart--axis { color: $foreground-muted; }
    """

    def __init__(self, metric: Metric, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metric = metric
        self.histories: Sequence[Sequence[StatsSample]] | Placements = ()
        self.step = 5.0
        self.limit: MemoryLimit | None = None
        self.view: ChartView | None = None  # what was drawn last (tests read its figures)

    def show(self, histories: Sequence[Sequence[StatsSample]] | Placements, step: float,
             limit: MemoryLimit | None) -> None:
        """Draw these samples (a round's `Placements`, shared by the screen's charts) at `step` s a column."""
        self.histories, self.step, self.limit = histories, step, limit
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        title_style = self.get_component_rich_style("stats-chart--title")
        axis_style = self.get_component_rich_style("stats-chart--axis")
        dots_style = self.get_component_rich_style("stats-chart--dots")
        rows = max(height - 2, 1)
        label_width = LABEL_WIDTH
        plot_width = max(width - label_width - 1, 1)
        histories = self.histories.histories if isinstance(self.histories, Placements) else self.histories
        window = window_for(histories, self.step, plot_width * DOTS_PER_CELL)
        title = Text(self.metric.title, title_style)
        if window is None:
            self.view = None
            title.append("  collecting…", axis_style)
            return title
        view = self.view = chart_view(self.metric, self.histories, window, self.limit)
        # The figures beside the title, most wanted first (the memory limit before the peak), as many as fit.
        for part, style in ((f"  {view.current}", ""), (f"   {view.note}" if view.note else "", axis_style),
                            (f"   peak {view.peak}", axis_style)):
            if part and title.cell_len + len(part) <= width:
                title.append(part, style)
        lines = [title]
        for index, row in enumerate(plot(view.values, plot_width, rows, view.top)):
            label = view.top_label if index == 0 else ("0" if index == rows - 1 else "")
            lines.append(Text.assemble((label[:label_width].rjust(label_width) + ("┤" if label else "│"), axis_style),
                                       (row, dots_style)))
        if height >= 3:
            left, right = span_label(window.seconds), "now"
            gap = max(plot_width - len(left) - len(right), 1)
            lines.append(Text(" " * (label_width + 1) + left + " " * gap + right, axis_style))
        return Text("\n").join(lines)
