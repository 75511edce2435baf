"""The key scheme (brief KEYS.md): one meaning per key on a screen, every action in help and the palette,
read-only from the registry, a key that cannot act says why, q asks with shells open, the footer keeps
`? Help` and `q Quit` in view, and the user's [keys] reach the bindings through `App.set_keymap`."""

from __future__ import annotations

import pytest

from tests.shell.dashboard_helpers import open_shell
from tests.ui.conftest import dashboard, make_app, move_to, screen_text, settle
from tests.ui.test_toasts import drawn_toast, engine_with_logs, open_pane
from tests.waits import wait_until
from tui.settings import SettingsError, Settings as Config
from tui.engine import FakeEngine, State
from tui.keys.registry import ACTIONS, BY_ID, MUTATING, VIEW_SCOPES, Scope, clashes, key_label, normal_key
from tui.screens.help import HelpScreen
from tui.dashboard.container_table import ContainerTable
from tui.widgets.log.pane import LogPane

SIZE = (160, 40)


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {"web": fake.add_container("web", "nginx"), "old": fake.add_container("old", "alpine", state=State.EXITED)}
    for i in range(3):
        fake.emit_log(ids["web"], f"web line {i}\n")
    return fake, ids


def live_meanings(screen) -> dict[str, set[str]]:
    """Key → what it does from the focused widget up (the bindings Textual would try, in order);
    the hidden stand-ins that only explain are not a meaning."""
    meanings: dict[str, set[str]] = {}
    for node, bindings in screen._modal_binding_chain:
        for key, key_bindings in bindings.key_to_bindings.items():
            for binding in key_bindings:
                if binding.action.startswith("explain(") or binding.system:
                    continue  # stand-ins that only explain; Textual's own ctrl+c hint
                meanings.setdefault(key, set()).add(binding.id or f"{type(node).__name__}.{binding.action}")
    return meanings


#: One meaning under two names: the log view's own `end` scrolls to the end, which is following again.
SAME = [{"LogView.scroll_end", "follow"}]


def doubled(meanings: dict[str, set[str]]) -> dict[str, set[str]]:
    # A toggle (two bindings of one registry action) is one meaning.
    return {k: v for k, v in meanings.items() if len(v) > 1 and v not in SAME}


@pytest.mark.parametrize("keys", [{}, {"stop": "Y", "pin": "ctrl+t", "toggle_layout": "B"}], ids=["default", "remapped"])
async def test_no_key_means_two_things_from_the_list_or_the_log_pane(keys):
    assert not clashes(keys)
    fake, ids = engine()
    async with make_app(fake, keys=keys).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        assert isinstance(pilot.app.focused, ContainerTable)
        from_list = live_meanings(screen)
        assert not doubled(from_list), doubled(from_list)
        await pilot.press("l")
        await wait_until(lambda: isinstance(pilot.app.focused.parent, LogPane), "the log pane to have focus",
                         pilot=pilot)
        from_pane = live_meanings(screen)
        assert not doubled(from_pane), doubled(from_pane)
        for action_id, key in keys.items():  # the remapped keys are the live ones
            chain = from_pane if BY_ID[action_id].scope is Scope.LOG else from_list
            assert action_id in chain.get(normal_key(key), set()), (action_id, key)
        # Screen-wide keys are live from both.
        for action in (a for a in ACTIONS if a.scope is Scope.SCREEN):
            key = normal_key(keys.get(action.id, action.keys))
            assert action.id in from_list[key] and action.id in from_pane[key]


def test_a_remap_onto_a_live_key_is_an_error():
    with pytest.raises(SettingsError, match="'b' is bound to both 'stop' and 'toggle_layout'"):
        Config(keys={"stop": "b"})
    with pytest.raises(SettingsError, match="'w' is bound to both 'wrap' and 'pin'"):
        Config(keys={"pin": "w"})
    Config(keys={"stop": "t"})  # the list and the log pane never have the keys at once


async def test_help_lists_every_action_with_its_current_key():
    fake, ids = engine()
    async with make_app(fake, keys={"stop": "Y", "search": "ctrl+g"}).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        await pilot.press("question_mark")
        await wait_until(lambda: isinstance(pilot.app.screen, HelpScreen), "the help screen", pilot=pilot)
        rows = {str(text).split(" (read-only")[0]: key for key, text in pilot.app.screen.rows()}
        for action in ACTIONS:
            assert action.description in rows, action.id
        assert rows[BY_ID["stop"].description] == "Y"
        assert rows[BY_ID["search"].description] == "ctrl+g"
        assert rows[BY_ID["filter"].description] == "/"
        headings = [str(text) for key, text in pilot.app.screen.rows() if not key]
        assert [h.split(" (")[0] for h in headings] == [
            "In the container list", "Anywhere on the dashboard", "In a log pane", "In a shell pane",
            "On the inspect screen", "On the processes screen", "On the files screen", "On the timeline screen", "On the stats screen",
            "Switching views", "In the images, volumes and networks views",
            "In the images view", "In the networks view"]
        assert "In the container list" in screen_text(pilot.app)


async def test_palette_offers_each_action_that_applies_with_its_own_description():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen, _ = await open_pane(pilot, ids["web"])
        await pilot.press("escape")
        commands = {c.title: c.help for c in pilot.app.get_system_commands(screen)}
        for action in ACTIONS:
            if not action.palette or action.scope in (Scope.SHELL, Scope.INSPECT, Scope.PROCESSES, Scope.FILES,
                                                         Scope.TIMELINE, Scope.STATS) \
                    or action.id == "back":
                continue
            if action.scope in VIEW_SCOPES:
                continue  # the images, volumes and networks views offer those (tests/ui/test_resource_views.py)
            applies = action.scope is Scope.LOG or not screen.why_not(action.id)
            titles = [t for t, h in commands.items() if h == action.description]
            assert bool(titles) == applies, (action.id, applies, titles)
        assert not [h for h in commands.values() if "the selected container(s)" in h]  # the old garbling
        assert commands["List: Hide stopped"] == "Hide or show stopped containers"
        assert "Dashboard: Close pane" not in commands  # only the main log pane: nothing to close
        assert "List: Start" not in commands  # web is running: start does not apply
        assert commands["List: Stop"] == BY_ID["stop"].description


async def test_read_only_turns_off_every_mutating_action_keys_and_palette():
    fake, ids = engine()
    async with make_app(fake, read_only=True).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        for action_id in MUTATING:
            assert screen.check_action(action_id, ()) is False, action_id
        helps = {c.help for c in pilot.app.get_system_commands(screen)}
        assert not helps & {BY_ID[a].description for a in MUTATING}
        await pilot.press("x")
        shot = await drawn_toast(pilot, "Read-only: stop is turned off")
        assert "Read-only: stop is turned off" in shot
        assert ("stop", ids["web"]) not in fake.calls


async def test_a_disabled_key_says_why():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        assert screen.check_action("start", ()) is None
        await pilot.press("s")
        assert "Start: web is already running" in await drawn_toast(pilot, "already running")
        await move_to(pilot, screen, ids["old"])
        await pilot.press("x")
        assert "Stop: old is not running" in await drawn_toast(pilot, "not running")
        await pilot.press("W")
        assert "Nothing to close" in await drawn_toast(pilot, "Nothing to close")


async def test_list_keys_do_not_act_from_the_log_pane_and_say_so():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen, pane = await open_pane(pilot, ids["web"])
        await wait_until(lambda: pane.view.has_focus, "the log pane to have focus", pilot=pilot)
        await pilot.press("x")
        shot = await drawn_toast(pilot, "acts on the list")
        assert "Stop acts on the list: press escape to go back to it" in shot
        await settle(pilot, screen)
        assert ("stop", ids["web"]) not in fake.calls
        # Screen-wide keys still work from the pane: b turns the layout.
        below = screen.query_one("#body").has_class("below")
        await pilot.press("b")
        assert screen.query_one("#body").has_class("below") is not below
        await pilot.press("P")  # pin is the pane's (p pauses in the list)
        assert pane.pinned
        await pilot.press("escape")
        await wait_until(lambda: isinstance(pilot.app.focused, ContainerTable), "the list to have focus",
                         pilot=pilot, detail=lambda: pilot.app.focused)
        await move_to(pilot, screen, ids["web"])  # turning the layout puts the cursor on top (not this fix's)
        await pilot.press("x")
        await settle(pilot, screen)
        assert ("stop", ids["web"]) in fake.calls


async def test_q_with_a_shell_open_asks_first():
    from tui.screens.confirm import ConfirmQuitScreen

    fake, ids = engine()
    async with make_app(fake, stats=False).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await open_shell(pilot, screen)
        await pilot.press("ctrl+right_square_bracket")
        await wait_until(lambda: isinstance(pilot.app.focused, ContainerTable), "the list to have focus",
                         pilot=pilot)
        await pilot.press("q")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmQuitScreen), "the quit question", pilot=pilot)
        assert "1 shell is open" in screen_text(pilot.app)
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the dashboard", pilot=pilot)
        assert pilot.app.is_running
        await pilot.press("q")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmQuitScreen), "the quit question", pilot=pilot)
        await pilot.press("q")
        await wait_until(lambda: not pilot.app.is_running, "the app to quit", pilot=pilot)


async def test_q_without_shells_quits_at_once():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        await dashboard(pilot)
        await pilot.press("q")
        await wait_until(lambda: not pilot.app.is_running, "the app to quit", pilot=pilot)


@pytest.mark.parametrize("keys", [{}, {"quit": "Q"}], ids=["default", "remapped"])
async def test_footer_at_80x24_shows_help_and_quit(keys):
    fake, ids = engine()
    async with make_app(fake, keys=keys).run_test(size=(80, 24)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await pilot.pause()
        footer = screen_text(pilot.app).splitlines()[-1]
        assert "? Help" in footer and f"{keys.get('quit', 'q')} Quit" in footer, footer
        assert "s Start" in footer


async def test_remapped_key_shows_in_footer_and_help_and_acts():
    fake, ids = engine()
    async with make_app(fake, keys={"stop": "Y"}).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await pilot.pause()
        footer = screen_text(pilot.app).splitlines()[-1]
        assert "Y Stop" in footer and "x Stop" not in footer, footer
        await pilot.press("x")
        await settle(pilot, screen)
        assert ("stop", ids["web"]) not in fake.calls
        await pilot.press("Y")
        await settle(pilot, screen)
        assert ("stop", ids["web"]) in fake.calls
        assert key_label("Y") == "Y"


async def test_y_copies_the_container_id_and_the_log_line():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await pilot.press("y")
        assert pilot.app.clipboard == ids["web"]
        assert "Copied the id of web" in await drawn_toast(pilot, "Copied the id")
        await pilot.press("space")
        await move_to(pilot, screen, ids["old"])
        await pilot.press("space", "y")
        assert sorted(pilot.app.clipboard.split()) == sorted(ids.values())
        await drawn_toast(pilot, "Copied the ids of 2 containers")
        await pilot.press("space")
        await move_to(pilot, screen, ids["web"])
        await pilot.press("space")  # nothing selected now
        await wait_until(lambda: not screen.selected, "no selection", pilot=pilot)
        await pilot.press("l")
        pane = screen.main_log_pane
        await wait_until(lambda: pane.view.has_focus and pane.view.visible_count >= 3, "the pane's lines",
                         pilot=pilot)
        await pilot.press("y")
        assert pilot.app.clipboard == "web line 2"


async def test_inspect_y_copies_the_value_under_the_cursor():
    from tests.test_inspect_screen import InspectApp

    async with InspectApp("textual-dark").run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        tree = screen.query_one("#tree")
        node = next(n for n in tree.all_nodes() if n.data is not None and n.data.key == "Image")
        tree.jump_to(node)
        await pilot.pause()
        await pilot.press("y")
        assert pilot.app.clipboard == node.data.value_text(False)


async def test_pane_palette_and_search_key_from_the_registry():
    fake, web = engine_with_logs()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen, pane = await open_pane(pilot, web)
        commands = {c.title: c.help for c in pilot.app.get_system_commands(screen)}
        for action in (a for a in ACTIONS if a.scope is Scope.LOG):
            assert any(h == action.description for h in commands.values()), action.id
        await pilot.press("ctrl+f")
        await wait_until(lambda: pane.query_one("#query").has_focus, "the search box", pilot=pilot)


async def test_a_log_pane_key_pressed_in_the_list_says_where_it_acts():
    fake, ids = engine()
    async with make_app(fake, keys={"logs": "ctrl+l"}).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["web"])
        await wait_until(lambda: screen.main_log_pane is not None, "the log pane", pilot=pilot)
        timestamps = screen.main_log_pane.view.show_timestamps
        await pilot.press("t")
        assert "Timestamps acts on the log pane: press ctrl+l to go there" in await drawn_toast(pilot, "acts on the log")
        assert screen.main_log_pane.view.show_timestamps == timestamps
        await pilot.press("y")  # the list's y: copy the id, not the pane's line
        assert pilot.app.clipboard == ids["web"]
