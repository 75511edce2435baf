"""What an idle list costs the terminal: a stats round writes the figures that changed, not whole rows.

Measured in bytes of terminal output (each frame the compositor would write,
rendered as the driver would), never in time.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.app import App
from textual._compositor import CompositorUpdate

from tests.waits import wait_until
from tui.dashboard import container_table
from tui.dashboard.container_table import ContainerTable
from tui.dashboard.model import SPARK_SAMPLES, ContainerRow, StatsHistory
from tui.engine import FakeEngine
from tui import screen_output


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """Ages do not tick during a test: only what the test changes changes."""
    now = datetime.now(timezone.utc)
    monkeypatch.setattr(container_table, "utc_now", lambda: now)


class TableApp(App):
    def compose(self):
        yield ContainerTable()


def record_frames(app: App) -> list[str]:
    """Every frame drawn from now on, as the terminal sequences a real driver would be given."""
    frames: list[str] = []
    display = app._display

    def recording(screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate):
            frames.append(renderable.render_segments(app.console))
        display(screen, renderable)

    app._display = recording
    return frames


async def test_a_stats_round_writes_the_changed_figures_not_the_rows():
    fake = FakeEngine()
    ids = [fake.add_container(f"c{i:02d}") for i in range(30)]
    rows = [ContainerRow(s) for s in sorted(await fake.list_containers(), key=lambda s: s.name)]
    stats: dict[str, StatsHistory] = {}
    for container_id in ids:
        stats[container_id] = StatsHistory()
        stats[container_id].samples.append(await fake.stats_once(container_id))
    assert screen_output.install()  # as BosunApp does
    async with TableApp().run_test(size=(160, 40)) as pilot:
        table = pilot.app.query_one(ContainerTable)
        table.show_rows(rows, stats=stats, busy={}, selected=set())
        await pilot.pause()
        await pilot.pause()
        frames = record_frames(pilot.app)
        # One container's figures change (its CPU and memory cells); nothing else does.
        changed = ids[5]
        sample = await fake.stats_once(changed)
        stats[changed].samples.append(sample)
        before = str(table.get_cell(changed, "cpu")), str(table.get_cell(changed, "memory"))
        table.show_rows(rows, stats=stats, busy={}, selected=set())
        await wait_until(lambda: frames, "the table to draw the new figures", pilot=pilot)
        written = sum(len(frame.encode()) for frame in frames)
        after = str(table.get_cell(changed, "cpu")), str(table.get_cell(changed, "memory"))
        assert after != before
        assert any(after[0].split()[0] in frame for frame in frames)
        # The whole row was written before (about 380 bytes here, 700 in a true-colour terminal); then
        # the row from its first changed cell (270); the two figures, a style set once per run, are 84.
        assert written < 150, f"{written} bytes for one row's two figures: {frames!r}"


async def frames_of_a_round(first: dict, second: dict, rounds_before: int = 1) -> tuple[list[str], ContainerTable]:
    """What 30 rows write when every container's next sample differs from the one shown as `second` says.

    Each container has `rounds_before` samples of the fake's, with `first`'s fields, shown once; then one
    more, with `second`'s fields, is shown. The frames written for it, and the table.
    """
    import dataclasses

    fake = FakeEngine()
    ids = [fake.add_container(f"c{i:02d}") for i in range(30)]
    rows = [ContainerRow(s) for s in sorted(await fake.list_containers(), key=lambda s: s.name)]
    stats: dict[str, StatsHistory] = {}
    for container_id in ids:
        stats[container_id] = StatsHistory()
        sample = dataclasses.replace(await fake.stats_once(container_id), **first)
        for _ in range(rounds_before):
            stats[container_id].samples.append(sample)
    assert screen_output.install()
    async with TableApp().run_test(size=(160, 40)) as pilot:
        table = pilot.app.query_one(ContainerTable)
        table.show_rows(rows, stats=stats, busy={}, selected=set())
        await pilot.pause()
        await pilot.pause()
        frames = record_frames(pilot.app)
        for container_id in ids:
            stats[container_id].samples.append(dataclasses.replace(stats[container_id].last, **second))
        table.show_rows(rows, stats=stats, busy={}, selected=set())
        await pilot.pause()
        await pilot.pause()
        return frames, table


async def test_a_round_where_memory_only_jitters_writes_nothing():
    # A page more: a shell loop's memory between two rounds.
    frames, table = await frames_of_a_round({"cpu_percent": 0.0, "memory_used": 448 * 1024},
                                            {"memory_used": 452 * 1024})
    assert "448K" in str(table.get_cell(table.visible_keys()[0], "memory"))
    assert sum(len(frame) for frame in frames) == 0, frames


async def test_a_round_where_cpu_only_jitters_writes_nothing():
    # An idle service's next reading, 0.2 % after 0.1 %, once a sparkline's worth is in (up a while).
    frames, table = await frames_of_a_round({"cpu_percent": 0.1, "memory_used": 448 * 1024},
                                            {"cpu_percent": 0.2}, rounds_before=SPARK_SAMPLES)
    assert "0.1%" in str(table.get_cell(table.visible_keys()[0], "cpu"))
    assert sum(len(frame) for frame in frames) == 0, frames
