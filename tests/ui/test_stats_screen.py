"""Pilot: the stats screen (c) of a container and of a compose project, on the fake engine."""

from __future__ import annotations

from tests.ui.conftest import dashboard, make_app, move_to, screen_text
from tests.waits import wait_until
from tui.charts.metrics import BY_ID, Kind, figure
from tui.dashboard.screen import DashboardScreen
from tui.engine import FakeEngine, State
from tui.screens.stats import StatsScreen

SIZE = (160, 48)
PROJECT = {"com.docker.compose.project": "shop"}


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("web", "nginx", memory_limit=512 << 20),
        "api": fake.add_container("api", "python", labels=PROJECT, memory_limit=256 << 20),
        "db": fake.add_container("db", "postgres", labels=PROJECT),
        "old": fake.add_container("old", "alpine", state=State.EXITED),
    }
    return fake, ids


async def open_stats(pilot, row: str, *, rounds: int = 3) -> StatsScreen:
    screen = await dashboard(pilot)
    await move_to(pilot, screen, row)
    await pilot.press("c")
    stats = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, StatsScreen) else None,
                             "the stats screen", pilot=pilot)
    await wait_until(lambda: stats.rounds >= rounds and stats.limit is not None
                     and all(c.view is not None for c in stats.charts().values()),
                     f"{rounds} stats rounds drawn on every chart, and the memory limit read", pilot=pilot)
    await pilot.pause()
    return stats


async def test_c_graphs_the_container_with_its_current_figures_and_memory_limit():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        stats = await open_stats(pilot, ids["web"])
        dash = next(s for s in pilot.app.screen_stack if isinstance(s, DashboardScreen))
        last = dash.stats[ids["web"]].last
        charts = stats.charts()
        # The figures beside the graphs are the newest sample's.
        assert charts["cpu"].view.current == figure(Kind.PERCENT, last.cpu_percent)
        assert charts["memory"].view.current == figure(Kind.BYTES, last.memory_used)
        assert charts["memory"].view.note.startswith("limit 512 MiB (")
        for rate in ("net_rx", "net_tx", "block_read", "block_write"):
            assert charts[rate].view.current.endswith("/s") and charts[rate].view.current != "0 B/s", rate
        text = screen_text(pilot.app)
        assert "Stats: web" in text
        for title in ("CPU", "Memory", "Network in", "Network out", "Block read", "Block write"):
            assert title in text
        assert charts["cpu"].view.current in text and "limit 512 MiB" in text
        assert any(0x2801 <= ord(ch) <= 0x28FF for ch in text), "braille dots drawn"
        assert "now" in text
        await pilot.press("escape")
        await wait_until(lambda: isinstance(pilot.app.screen, DashboardScreen), "back on the list", pilot=pilot)
        assert not dash.engine_feed.watch.keys  # closed: nothing is sampled for it any more


async def test_the_charts_keep_moving_while_the_screen_hides_the_list():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        stats = await open_stats(pilot, ids["web"])
        dash = next(s for s in pilot.app.screen_stack if isinstance(s, DashboardScreen))
        before = len(dash.stats[ids["web"]].samples)
        api = lambda: len(dash.stats[ids["api"]].samples) if ids["api"] in dash.stats else 0  # noqa: E731
        other = api()  # api may not have had a round of its own before the screen opened
        await wait_until(lambda: len(dash.stats[ids["web"]].samples) >= before + 3, "three more samples of web",
                         pilot=pilot)
        assert api() <= other + 1  # the hidden list's are not sampled meanwhile
        assert stats.rounds >= 3


async def test_on_a_project_header_the_charts_sum_its_members():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        stats = await open_stats(pilot, "group:shop")
        dash = next(s for s in pilot.app.screen_stack if isinstance(s, DashboardScreen))
        text = screen_text(pilot.app)
        assert "Stats: shop (compose project)" in text and "the sum of 2 containers" in text
        memory = stats.charts()["memory"].view
        newest = [dash.stats[ids[name]].last.memory_used for name in ("api", "db")]
        assert memory.current == figure(Kind.BYTES, sum(newest))
        assert memory.note == "no limit on 1 of 2"  # db has none of its own


async def test_c_on_a_stopped_container_says_why_not():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["old"])
        await pilot.press("c")
        await wait_until(lambda: "Stats: old is not running" in screen_text(pilot.app), "the toast saying why",
                         pilot=pilot)
        assert not isinstance(pilot.app.screen, StatsScreen)


async def test_80x24_draws_every_chart():
    fake, ids = engine()
    async with make_app(fake).run_test(size=(80, 24)) as pilot:
        stats = await open_stats(pilot, ids["web"])
        text = screen_text(pilot.app)
        for metric in ("cpu", "memory", "net_rx", "block_write"):
            chart = stats.charts()[metric]
            assert chart.size.height >= 4 and BY_ID[metric].title in text, metric


async def test_the_list_is_sampled_under_a_dialog_but_not_under_an_opaque_screen():
    from tui.screens.help import HelpScreen
    from tui.screens.processes import ProcessesScreen

    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        dash = await dashboard(pilot)
        count = lambda: len(dash.stats[ids["api"]].samples) if ids["api"] in dash.stats else 0  # noqa: E731
        await pilot.press("question_mark")
        await wait_until(lambda: isinstance(pilot.app.screen, HelpScreen), "the help dialog", pilot=pilot)
        before = count()
        await wait_until(lambda: count() >= before + 2, "two more samples of api while help is open",
                         pilot=pilot)
        await pilot.press("escape")
        await move_to(pilot, dash, ids["web"])
        await pilot.press("u")
        processes = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, ProcessesScreen)
                                     else None, "the processes screen", pilot=pilot)
        await wait_until(lambda: processes.reads >= 2, "the processes read twice (3 s apart)", pilot=pilot)
        settled = count()
        await wait_until(lambda: processes.reads >= 3, "a third read of the processes", pilot=pilot)
        # 3 s at 0.2 s a round: 15 rounds would have sampled api; one in flight may land.
        assert count() <= settled + 1
