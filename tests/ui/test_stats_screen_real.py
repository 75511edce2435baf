"""Pilot on real Docker and Podman: the stats screen of a busy container run with `--memory 256m`."""

from __future__ import annotations

import pytest

from tests.conftest import real_engine_url
from tests.engine.harness import TEST_LABEL
from tests.engine.stats_busy import BusyContainer, kernel_counts_block_io
from tests.settings_shorthand import flat_settings
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.screens.stats import StatsScreen

from .conftest import dashboard, move_to, screen_text

pytestmark = pytest.mark.engine


@pytest.fixture(params=["docker", "podman"])
def busy(request):
    box = BusyContainer(request.param, real_engine_url(request.param))
    try:
        yield request.param, box
    finally:
        box.remove()


def nonzero(figure: str) -> bool:
    number = figure.split(" ")[0]
    return number not in ("–", "0") and float(number) > 0


async def test_the_stats_screen_charts_a_busy_container_with_its_limit(busy):
    kind, box = busy
    settings = flat_settings(host=real_engine_url(kind), labels={TEST_LABEL: "stats-busy"}, stats_interval=1.0)
    async with BosunApp(settings, RunOptions(persist_theme=False)).run_test(size=(160, 48)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, box.id, timeout=30)
        await pilot.press("c")
        stats = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, StatsScreen) else None,
                                 "the stats screen", pilot=pilot)

        def figures() -> dict[str, str]:
            return {metric: chart.view.current if chart.view else "–" for metric, chart in stats.charts().items()}

        # Block I/O only where the kernel counts it per cgroup (this project's CI VM does not: 0 there).
        wanted = {"cpu", "memory", "net_rx", "net_tx"} | ({"block_write"} if kernel_counts_block_io() else set())
        await wait_until(lambda: all(nonzero(v) for k, v in figures().items() if k in wanted),
                         f"{kind}: {', '.join(sorted(wanted))} above zero", pilot=pilot, timeout=60, detail=figures)
        memory = stats.charts()["memory"].view
        assert memory.note.startswith("limit 256 MiB (")
        assert float(figures()["cpu"].split()[0]) > 5  # a core spinning (on a loaded machine it gets little)
        text = screen_text(pilot.app)
        assert f"Stats: {box.name}" in text and "limit 256 MiB" in text
