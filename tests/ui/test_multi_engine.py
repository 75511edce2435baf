"""Several engines in one live view, on fake members (tui.testing.fleet_fakes)."""

from __future__ import annotations

import pytest

from tests.settings_shorthand import flat_settings
from tests.ui.conftest import cell_text, move_to, row_keys, screen_text, settle
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.dashboard.container_table import ContainerTable
from tui.dashboard.screen import DashboardScreen
from tui.engine import State
from tui.engine import fleet as fleet_module
from tui.engine.fleet import Fleet, MemberState
from tui.testing.fleet_fakes import DownableFake, fake_opener, fake_spec


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(fleet_module, "RETRY_DELAYS", (0.05, 0.1))


def fakes():
    laptop, prod = DownableFake("laptop"), DownableFake("prod")
    laptop.add_container("web", labels={"com.docker.compose.project": "shop"})
    laptop.add_container("cache")
    prod.add_container("web", labels={"com.docker.compose.project": "shop"})
    prod.add_container("db", state=State.EXITED, exit_code=0)
    return laptop, prod


def fleet_app(specs, engines, **settings) -> BosunApp:
    settings.setdefault("stats_interval", 0.2)
    return BosunApp(flat_settings(**settings),
                    RunOptions(persist_theme=False, engine_specs=tuple(specs), open_engine=fake_opener(engines)))


async def fleet_dashboard(pilot, *names: str) -> DashboardScreen:
    def ready():
        screen = pilot.app.screen
        if not isinstance(screen, DashboardScreen) or not isinstance(screen.engine, Fleet):
            return None
        engines = {s.engine for s in screen.summaries.values()}
        return screen if set(names) <= engines and not screen._rows_scheduled else None

    screen = await wait_until(ready, f"rows of {names} on the dashboard", pilot=pilot,
                              detail=lambda: f"screen {pilot.app.screen!r}")
    await pilot.pause()
    return screen


def key_of(screen: DashboardScreen, engine: str, name: str) -> str:
    return next(k for k, s in screen.summaries.items() if s.engine == engine and s.name == name)


async def test_rows_of_each_engine_with_an_engine_column_grouped_by_engine():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        table = screen.query_one(ContainerTable)
        assert "engine" in table.columns_shown
        keys = row_keys(screen)
        # engine → compose project → container
        assert keys[0] == "group:laptop/" and "group:laptop/shop" in keys and "group:prod/" in keys
        assert keys.index("group:prod/") > keys.index(key_of(screen, "laptop", "cache"))
        web_on_prod = key_of(screen, "prod", "web")
        assert cell_text(screen, web_on_prod, "engine") == "prod"
        text = screen_text(app)
        assert "ENGINE" in text and "●\u00a0laptop" in text and "●\u00a0prod" in text and "2 engines" in text


async def test_single_engine_has_no_engine_column():
    from tests.ui.conftest import dashboard, make_app

    laptop, _ = fakes()
    async with make_app(laptop).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        assert "engine" not in screen.query_one(ContainerTable).columns_shown
        assert all(not s.local_id and "/" not in s.id for s in screen.summaries.values())
        assert not screen.query("#engines")


async def test_filter_by_engine():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await pilot.press("slash", *"engine:prod", "enter")
        await wait_until(lambda: not any(k.startswith("laptop/") or k.startswith("group:laptop")
                                         for k in row_keys(screen)), "laptop's rows filtered out", pilot=pilot)
        assert key_of(screen, "prod", "web") in row_keys(screen)
        assert "cache" not in screen_text(app)


async def test_actions_go_to_the_containers_own_engine():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        web_on_prod = key_of(screen, "prod", "web")
        await move_to(pilot, screen, web_on_prod)
        await pilot.press("x")
        await settle(pilot, screen)
        real = screen.summaries[web_on_prod].local_id
        assert prod.calls == [("stop", real)] and laptop.calls == []
        await wait_until(lambda: screen.summaries[web_on_prod].state is State.EXITED, "prod's web stopped",
                         pilot=pilot)
        # copy gives the engine's own id, not the fleet's key
        await pilot.press("y")
        assert app.clipboard == real


async def test_logs_of_a_container_come_from_its_engine():
    laptop, prod = fakes()
    web_prod = next(s.id for s in await prod.list_containers() if s.name == "web")
    prod.emit_log(web_prod, "hello from prod\n")
    laptop.emit_log(next(s.id for s in await laptop.list_containers() if s.name == "web"), "hello from laptop\n")
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await move_to(pilot, screen, f"prod/{web_prod}")
        await wait_until(lambda: "hello from prod" in screen_text(app), "prod's log line in the pane", pilot=pilot)
        assert "hello from laptop" not in screen_text(app)
        request = screen.main_log_pane.save_request()  # a saved log names the container's own engine
        assert request.engine_label == "prod" and request.containers == (f"web ({web_prod[:12]})",)


async def test_a_member_dying_greys_its_rows_and_the_header_says_so_while_others_update():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        prod.go_down("connection reset by peer")
        await wait_until(lambda: "prod reconnecting since" in screen_text(app), "the header saying prod is down",
                         pilot=pilot, detail=lambda: screen_text(app))
        assert "next try in" in screen_text(app)
        table = screen.query_one(ContainerTable)
        await wait_until(lambda: "prod" in table.down_engines, "prod's rows greyed", pilot=pilot)
        web_on_prod = key_of(screen, "prod", "web")
        assert web_on_prod in row_keys(screen)  # kept, greyed
        assert "dim" in str(table._full[web_on_prod]["name"].spans or table._full[web_on_prod]["name"].style)
        laptop.add_container("newcomer")
        await wait_until(lambda: "newcomer" in screen_text(app), "laptop's new container while prod is down",
                         pilot=pilot)
        prod.come_back()
        await wait_until(lambda: screen.fleet_view.fleet.members["prod"].connected, "prod back", pilot=pilot)
        await wait_until(lambda: "prod" not in table.down_engines and "Reconnected to prod" in screen_text(app),
                         "prod's rows back and a toast", pilot=pilot, detail=lambda: screen_text(app))


async def test_a_member_that_never_answers_does_not_hold_the_others_rows():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("slow", host="fake://never"), fake_spec("prod")],
                    {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        assert screen.fleet_view.fleet.members["slow"].state is MemberState.CONNECTING
        assert "◌\u00a0slow connecting" in screen_text(app)


async def test_read_only_member_refuses_an_action_naming_it():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod", read_only=True)], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await move_to(pilot, screen, key_of(screen, "prod", "web"))
        await pilot.press("x")
        await wait_until(lambda: "Read-only: stop is turned off on prod" in screen_text(app),
                         "the refusal naming prod", pilot=pilot, detail=lambda: screen_text(app))
        assert prod.calls == []
        await move_to(pilot, screen, key_of(screen, "laptop", "web"))
        await pilot.press("x")
        await settle(pilot, screen)
        assert [c[0] for c in laptop.calls] == ["stop"]


async def test_picker_removes_and_adds_an_engine():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod"), fake_spec("dead", host="fake://refused")],
                    {"laptop": laptop, "prod": prod})
    opened = app.run_options.open_engine.opened
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await pilot.press("H")
        await wait_until(lambda: "[x] prod" in screen_text(app), "the picker listing prod in view", pilot=pilot)
        tries = opened.count("refused")
        # An engine's state changing under the picker (dead retries) must leave the picker where it is.
        await wait_until(lambda: opened.count("refused") > tries + 1, "dead tried again", pilot=pilot)
        await pilot.press("down", "space")  # prod out
        assert not screen.selected
        await wait_until(lambda: "[ ] prod" in screen_text(app), "prod out of view in the picker", pilot=pilot)
        await pilot.press("escape")
        await wait_until(lambda: not any(s.engine == "prod" for s in screen.summaries.values())
                         and "●\u00a0prod" not in screen_text(app), "prod's rows gone", pilot=pilot)
        await pilot.press("H")
        await wait_until(lambda: "[ ] prod" in screen_text(app), "the picker again", pilot=pilot)
        await pilot.press("down", "space", "escape")
        await fleet_dashboard(pilot, "laptop", "prod")
        assert "●\u00a0prod" in screen_text(app)


async def test_every_member_failing_shows_the_no_engine_screen():
    from tui.screens.no_engine import NoEngineScreen

    app = fleet_app([fake_spec("a", host="fake://refused"), fake_spec("b", host="fake://refused")], {})
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(lambda: isinstance(app.screen, NoEngineScreen) and "connection refused" in screen_text(app),
                         "the no-engine screen saying why", pilot=pilot, detail=lambda: screen_text(app))
        assert "fake://refused" in screen_text(app)


async def test_merged_logs_across_engines_in_timestamp_order():
    from datetime import datetime, timedelta, timezone

    laptop, prod = fakes()
    web_laptop = next(s.id for s in await laptop.list_containers() if s.name == "web")
    web_prod = next(s.id for s in await prod.list_containers() if s.name == "web")
    t0 = datetime.now(timezone.utc) - timedelta(minutes=1)
    laptop.emit_log(web_laptop, "one-laptop\n", at=t0)
    prod.emit_log(web_prod, "two-prod\n", at=t0 + timedelta(seconds=1))
    laptop.emit_log(web_laptop, "three-laptop\n", at=t0 + timedelta(seconds=2))
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await move_to(pilot, screen, f"laptop/{web_laptop}")
        await pilot.press("space")
        await move_to(pilot, screen, f"prod/{web_prod}")
        await pilot.press("space", "m")

        def ordered():
            # Both are called web: in a view across engines each line says whose it is.
            lines = screen_text(app).splitlines()
            wanted = ("laptop/web one-laptop", "prod/web two-prod", "laptop/web three-laptop")
            at = [next((n for n, line in enumerate(lines) if w in " ".join(line.split())), -1) for w in wanted]
            return all(i >= 0 for i in at) and at == sorted(at)
        await wait_until(ordered, "a merged pane with both engines' lines in time order", pilot=pilot,
                         detail=lambda: screen_text(app))


async def test_not_grouped_by_engine_a_compose_project_is_still_one_engines():
    laptop, prod = fakes()
    app = fleet_app([fake_spec("laptop"), fake_spec("prod")], {"laptop": laptop, "prod": prod})
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await fleet_dashboard(pilot, "laptop", "prod")
        await pilot.press("H")
        await wait_until(lambda: "group the list by engine (on)" in screen_text(app), "the picker", pilot=pilot)
        await pilot.press("g", "escape")
        await wait_until(lambda: "group:prod/" not in row_keys(screen), "the list without engine headers",
                         pilot=pilot)
        keys = row_keys(screen)
        assert "group:laptop/shop" in keys and "group:prod/shop" in keys
        await move_to(pilot, screen, "group:prod/shop")
        assert [s.engine for s in screen.project_under_cursor()] == ["prod"]
        assert cell_text(screen, "group:prod/shop", "engine") == "prod"
