"""Compose projects as units (issue 14): one key on a project's header acts on all its containers,
in dependency order from the compose labels, after one question; each container's error is the engine's."""

from __future__ import annotations

import asyncio

from tests.waits import wait_until
from tui.dashboard.order import DEPENDS_ON_LABEL, waves
from tui.engine import Conflict, FakeEngine, State
from tui.keys.registry import KILL, PAUSE, RESTART, START, STOP
from tui.screens.confirm_project import ConfirmProjectScreen

from .conftest import cell_text, dashboard, make_app, move_to, screen_text, settle


def _labels(service: str, depends: str = "") -> dict[str, str]:
    labels = {"com.docker.compose.project": "shop", "com.docker.compose.service": service}
    if depends:
        labels[DEPENDS_ON_LABEL] = depends
    return labels


def shop() -> tuple[FakeEngine, dict[str, str]]:
    """web needs api; api needs db and cache (compose's own label format); loose is no part of it."""
    fake = FakeEngine()
    ids = {
        "web": fake.add_container("shop-web-1", labels=_labels("web", "api:service_started:false")),
        "api": fake.add_container("shop-api-1", labels=_labels(
            "api", "db:service_healthy:true,cache:service_started:false")),
        "db": fake.add_container("shop-db-1", labels=_labels("db")),
        "cache": fake.add_container("shop-cache-1", labels=_labels("cache")),
        "loose": fake.add_container("loose"),
    }
    return fake, ids


async def _summaries(fake: FakeEngine, ids: dict[str, str], *names: str):
    return [await fake.summary(ids[n]) for n in names]


async def test_waves_start_dependencies_first_and_stop_dependents_first():
    fake, ids = shop()
    members = await _summaries(fake, ids, "web", "api", "db", "cache")

    def names(action):
        return [sorted(s.name for s in wave) for wave in waves(action, members)]

    up = [["shop-cache-1", "shop-db-1"], ["shop-api-1"], ["shop-web-1"]]
    assert names(START) == up and names(RESTART) == up
    assert names(STOP) == list(reversed(up)) and names(KILL) == list(reversed(up))
    assert names(PAUSE) == list(reversed(up))  # pausing goes down; unpausing (all paused) goes up


async def test_waves_without_labels_or_with_a_cycle_run_together():
    fake = FakeEngine()
    a = fake.add_container("a", labels=_labels("a", "b:service_started:false"))
    b = fake.add_container("b", labels=_labels("b", "a:service_started:false"))
    c = fake.add_container("c")
    members = [await fake.summary(i) for i in (a, b, c)]
    assert sum(len(w) for w in waves(RESTART, members)) == 3
    # A cycle gives no order (compose refuses one): nothing is invented, all go at once.
    assert len(waves(RESTART, members)) == 1


async def test_restart_on_a_project_header_asks_once_then_goes_in_dependency_order():
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("r")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmProjectScreen), "the project dialog",
                         pilot=pilot)
        text = screen_text(pilot.app)
        assert "Restart shop: its 4 containers?" in text
        assert "shop-cache-1, shop-db-1 → shop-api-1 → shop-web-1" in " ".join(text.split())
        assert "from the compose depends_on labels" in text
        assert not [c for c in fake.calls if c[0] == "restart"]  # nothing before the answer
        await pilot.press("enter")
        await wait_until(lambda: len([c for c in fake.calls if c[0] == "restart"]) == 4, "four restarts",
                         pilot=pilot)
        await settle(pilot, screen)
        order = [cid for op, cid in fake.calls if op == "restart"]
        position = {name: order.index(ids[name]) for name in ("web", "api", "db", "cache")}
        assert position["db"] < position["api"] and position["cache"] < position["api"]
        assert position["api"] < position["web"]
        assert ("restart", ids["loose"]) not in fake.calls


async def test_escape_in_the_project_dialog_changes_nothing():
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("x")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmProjectScreen), "the project dialog",
                         pilot=pilot)
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
        await settle(pilot, screen)
        assert not [c for c in fake.calls if c[0] == "stop"]
        assert [(await fake.summary(i)).state for i in ids.values()] == [State.RUNNING] * len(ids)


async def test_a_project_stop_reports_each_containers_error_in_the_engines_words_and_goes_on():
    fake, ids = shop()
    real_stop = fake.stop

    async def stop(container_id, grace=10):
        if container_id == ids["api"]:
            raise Conflict("driver failed programming external connectivity", status=500, engine=fake.name)
        return await real_stop(container_id, grace)

    fake.stop = stop
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("x")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmProjectScreen), "the project dialog",
                         pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: "driver failed programming external connectivity" in screen_text(pilot.app),
                         "the engine's error for shop-api-1 in a toast", pilot=pilot)
        assert "Stop shop-api-1 failed" in screen_text(pilot.app)
        await wait_until(lambda: all("exited" in cell_text(screen, ids[k], "state") for k in ("web", "db", "cache")),
                         "the other three stopped", pilot=pilot)
        assert "running" in cell_text(screen, ids["api"], "state")
        assert "running" in cell_text(screen, ids["loose"], "state")


async def test_a_selection_acts_at_once_without_the_project_question():
    fake, ids = shop()
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await pilot.press("space", "x")
        await wait_until(lambda: "exited" in cell_text(screen, ids["web"], "state"), "web stopped", pilot=pilot)
        assert not isinstance(pilot.app.screen, ConfirmProjectScreen)


async def test_later_waves_say_waiting_until_their_turn():
    fake, ids = shop()
    gate = asyncio.Event()
    real_restart = fake.restart

    async def restart(container_id, grace=10):
        if container_id in (ids["db"], ids["cache"]):
            await gate.wait()  # the first wave holds: the others must wait for it
        return await real_restart(container_id, grace)

    fake.restart = restart
    async with make_app(fake, stats=False).run_test(size=(140, 36)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("r")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmProjectScreen), "the project dialog",
                         pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: "restarting…" in cell_text(screen, ids["db"], "state")
                         and "waiting…" in cell_text(screen, ids["web"], "state")
                         and "waiting…" in cell_text(screen, ids["api"], "state"),
                         "db restarting, api and web waiting", pilot=pilot)
        assert not [c for c in fake.calls if c[0] == "restart" and c[1] in (ids["api"], ids["web"])]
        gate.set()
        await settle(pilot, screen)
        assert [c[1] for c in fake.calls if c[0] == "restart"][-1] == ids["web"]
