"""A compose project's header row takes the list keys; paused panes; UDP ports; a renamed shell tab."""

from __future__ import annotations

from tests.shell.dashboard_helpers import open_shell, tab_title
from tests.waits import wait_until
from tui.engine import FakeEngine, Port, State
from tui.screens.confirm import ConfirmRemoveScreen

from .conftest import cell_text, dashboard, make_app, move_to, row_keys, screen_text, settle


def project() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    labels = {"com.docker.compose.project": "shop"}
    ids = {
        "web": fake.add_container("shop-web-1", "nginx", labels=labels),
        "db": fake.add_container("shop-db-1", "postgres", labels=labels),
        "cache": fake.add_container("cache", "redis"),
    }
    return fake, ids


async def test_space_on_a_project_header_selects_and_unselects_its_containers():
    fake, ids = project()
    async with make_app(fake, stats=False).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("space")
        await settle(pilot, screen)
        assert screen.selected == {ids["web"], ids["db"]}
        assert ids["web"] in row_keys(screen)  # selected, not folded
        assert "✔" in cell_text(screen, ids["web"], "mark")
        await pilot.press("space")
        await settle(pilot, screen)
        assert screen.selected == set()


async def _confirm(pilot) -> None:
    # A key on a project's header asks once (issue 14) before acting on all its containers.
    from tui.screens.confirm_project import ConfirmProjectScreen

    await wait_until(lambda: isinstance(pilot.app.screen, ConfirmProjectScreen), "the project dialog", pilot=pilot)
    await pilot.press("y")


async def test_lifecycle_keys_on_a_project_header_act_on_all_its_containers():
    fake, ids = project()
    async with make_app(fake, stats=False).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("x")
        await _confirm(pilot)
        await wait_until(lambda: all("exited" in cell_text(screen, ids[k], "state") for k in ("web", "db")),
                         "both project containers stopped", pilot=pilot)
        assert ("stop", ids["cache"]) not in fake.calls
        await pilot.press("s")
        await _confirm(pilot)
        await wait_until(lambda: all("running" in cell_text(screen, ids[k], "state") for k in ("web", "db")),
                         "both started again", pilot=pilot)
        await pilot.press("p")
        await _confirm(pilot)
        await wait_until(lambda: all("paused" in cell_text(screen, ids[k], "state") for k in ("web", "db")),
                         "both paused", pilot=pilot)
        assert (await fake.summary(ids["cache"])).state is State.RUNNING


async def test_remove_on_a_project_header_asks_once_naming_every_container():
    fake, ids = project()
    async with make_app(fake, stats=False).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("D")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmRemoveScreen), "the remove dialog",
                         pilot=pilot)
        dialog = pilot.app.screen
        assert {t.id for t in dialog.targets} == {ids["web"], ids["db"]}
        text = screen_text(pilot.app)
        assert "shop-web-1" in text and "shop-db-1" in text and "2 containers" in text
        await pilot.click("#force")
        await wait_until(lambda: set(fake.container_ids()) == {ids["cache"]}, "the project removed", pilot=pilot)


async def test_enter_on_a_project_header_still_folds_it():
    fake, ids = project()
    async with make_app(fake, stats=False).run_test(size=(140, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, "group:shop")
        await pilot.press("enter")
        await settle(pilot, screen)
        assert ids["web"] not in row_keys(screen) and screen.selected == set()


# -- issue 10 item 15: paused, UDP ------------------------------------------------------------------


def pane_header(screen) -> str:
    from tui.widgets.log.pane import PaneHeader

    return str(screen.main_log_pane.query_one(PaneHeader).render())


async def test_a_paused_containers_pane_says_paused_and_not_stopped():
    fake = FakeEngine()
    ids = {"web": fake.add_container("web", "nginx"), "nap": fake.add_container("nap", "busybox", state=State.PAUSED)}
    async with make_app(fake, stats=False).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: screen.main_log_pane is not None, "the log pane", pilot=pilot)
        await move_to(pilot, screen, ids["nap"])
        await wait_until(lambda: " nap " in pane_header(screen) + " ", "the pane on nap", pilot=pilot)
        await wait_until(lambda: "container paused" in pane_header(screen), "the pane saying paused",
                         pilot=pilot, detail=lambda: pane_header(screen))
        assert "stopped" not in pane_header(screen)
        await pilot.press("p")  # unpause
        await wait_until(lambda: "running" in cell_text(screen, ids["nap"], "state"), "nap running", pilot=pilot)
        await wait_until(lambda: "container paused" not in pane_header(screen), "paused gone from the header",
                         pilot=pilot, detail=lambda: pane_header(screen))
        assert "stopped" not in pane_header(screen)
        await move_to(pilot, screen, ids["web"])
        await wait_until(lambda: " web " in pane_header(screen) + " ", "the pane on web", pilot=pilot)
        await pilot.press("p")
        await wait_until(lambda: "container paused" in pane_header(screen), "pausing the shown container",
                         pilot=pilot, detail=lambda: pane_header(screen))
        assert "stopped" not in pane_header(screen)


async def test_udp_mappings_are_shown_in_ports():
    fake = FakeEngine()
    cid = fake.add_container("dns", "busybox", ports=[Port(82, "udp", "127.0.0.1", 18082),
                                                      Port(80, "tcp", "127.0.0.1", 18080)])
    async with make_app(fake, stats=False).run_test(size=(200, 40)) as pilot:
        screen = await dashboard(pilot)
        ports = cell_text(screen, cid, "ports")
        assert "127.0.0.1:18082->82/udp" in ports and "127.0.0.1:18080" in ports
        assert "127.0.0.1:18082->82/udp" in screen_text(pilot.app)


# -- issue 11 item 7: the shell tab follows a rename ------------------------------------------------


async def test_a_shell_tab_takes_the_new_name_of_its_container():
    fake = FakeEngine()
    cid = fake.add_container("a", "busybox")
    async with make_app(fake, stats=False).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        pane = await open_shell(pilot, screen)
        assert tab_title(screen, pane) == "sh: a"
        fake.rename(cid, "a-much-longer-name")
        await wait_until(lambda: tab_title(screen, pane) == "sh: a-much-longer-name", "the tab renamed", pilot=pilot,
                         detail=lambda: tab_title(screen, pane))
        assert "a-much-longer-name" in str(pane.view.border_title)
