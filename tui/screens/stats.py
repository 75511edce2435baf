"""Stats over time: CPU, memory, network and block I/O of one container, or a compose project's sum.

The figures are the dashboard's own stats samples (`tui.dashboard.stats_watch`):
the screen opens with the minutes of history the list has gathered, and each
stats round redraws it. The memory limits come from one inspect per container
(the `--memory` it was given; a sample's limit is the machine's when none).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Header, Static

from tui.charts.metrics import METRICS, MemoryLimit, memory_limit_of
from tui.charts.series import Placements
from tui.engine import ContainerSummary, Engine, EngineError
from tui.keys.registry import Scope
from tui.untrusted import visible
from tui.widgets.footer import LeanFooter
from tui.widgets.key_bindings import scope_bindings
from tui.widgets.stats_chart import StatsChart

if TYPE_CHECKING:
    from tui.dashboard.stats_watch import StatsWatch


class StatsScreen(Screen[None]):
    CSS_PATH = "inside.tcss"
    BINDINGS: ClassVar[list[Binding]] = scope_bindings(Scope.STATS)

    def __init__(self, engine: Engine, watch: StatsWatch, members: Sequence[ContainerSummary], *,
                 project: str = "", step: float = 5.0) -> None:
        super().__init__()
        self.engine = engine
        self.watch = watch
        self.members = list(members)
        self.project = project
        self.step = step
        self.limit: MemoryLimit | None = None
        self.rounds = 0  # stats rounds that landed while open (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="inside-status")
        with Grid(id="stats-charts"):
            for metric in METRICS:
                yield StatsChart(metric, id=f"chart-{metric.id.replace('_', '-')}")
        yield LeanFooter()

    def on_mount(self) -> None:
        if self.project:
            self.title = f"Stats: {visible(self.project)} (compose project)"
        else:
            self.title = f"Stats: {visible(self.members[0].name)}"
        self._status()
        self.watch.start(frozenset(m.id for m in self.members), self.samples_arrived)
        self.run_worker(self._read_limits(), group="limits", exit_on_error=False)
        self._draw()

    def on_unmount(self) -> None:
        self.watch.stop()

    def _status(self) -> None:
        running = sum(1 for m in self.members if m.is_running)
        if self.project:
            names = ", ".join(visible(m.name) for m in self.members[:6]) + (", …" if len(self.members) > 6 else "")
            what = f"the sum of {len(self.members)} containers ({running} running): {names}"
        else:
            what = "one container" + ("" if running else " (not running: no new samples)")
        self.query_one("#inside-status", Static).update(Text(
            f"{what} · a sample every {self.step:g} s, with the list's · CPU in % of one core"))

    async def _read_limits(self) -> None:
        # At once: the CLI backend batches inspects asked together into one `inspect` run.
        try:
            answers = await asyncio.gather(*(self.engine.inspect(m.id) for m in self.members))
        except EngineError:
            return  # the memory chart then says no limit at all rather than a wrong one
        self.limit = MemoryLimit.of([memory_limit_of(answer) for answer in answers])
        self._draw()

    def samples_arrived(self) -> None:
        """A stats round landed: drawn, and counted (a rate needs two rounds, so tests count these only)."""
        self._draw()
        self.rounds += 1

    def _draw(self) -> None:
        shared = Placements(self.watch.histories())  # the charts side by side have one window: placed once
        for chart in self.query(StatsChart):
            chart.show(shared, self.step, self.limit if chart.metric.id == "memory" else None)

    def charts(self) -> dict[str, StatsChart]:
        return {chart.metric.id: chart for chart in self.query(StatsChart)}

    def action_close(self) -> None:
        self.dismiss(None)
