"""The bosun App: themes, the engine connection, and which screen shows."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass, field
from functools import partial
from typing import Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.engine import Engine, EngineError
from tui.engine.cli import fallback as cli_fallback
from tui.dashboard.screen import DashboardScreen
from tui.keys.registry import COMMAND_PALETTE, QUIT
from tui.notice import notify
from tui.settings import Settings
from tui.widgets import typeahead
from tui.widgets.terminal_view import TerminalView, terminal_owns_action

FALLBACK_THEME = "textual-dark"
CONNECTING_AFTER = 0.25  # seconds without an answer before the screen says what it waits for


@dataclass
class RunOptions:
    """Facts of this run that are not settings (the settings themselves are `Settings`)."""

    host_source: str = "--host"  # where `engine.host` came from, named in errors
    demo: bool = False
    demo_activity: bool = True
    persist_theme: bool = True
    notes: list[str] = field(default_factory=list)  # shown once on start (old setting names in use)
    # (endpoint, summaries) the CLI listed for the first frame it drew (tui.first_frame): the app's first
    # screen shows the same list instead of asking again.
    first_list: tuple | None = None
    # More than one engine in view (several --host, --all-contexts, `[[engines]]`): tui.engine.spec.EngineSpec
    # each. Empty: the one engine `settings.engine` names, found as the docker CLI finds it.
    engine_specs: tuple = ()
    # Every engine bosun found (Docker contexts, Podman connections, `[[engines]]`, the --host flags), EngineSpec
    # each, names unique, one marked default: what the engine picker offers and the no-engine screen names.
    # Whatever is in view (`engine_specs`, or the single engine).
    known_specs: tuple = ()
    # How the fleet opens each of `engine_specs` (`async (spec) -> Engine`); None: tui.engine.open_spec.
    open_engine: object = None


#: With several engines, how long the first frame waits for a local engine's quick list,
FIRST_LIST_PATIENCE = 0.5
#: and, once one has answered, for the other local ones to join it.
FIRST_LIST_GRACE = 0.03


async def _open_spec(spec):
    from tui.engine.open_spec import open_spec  # the full client: heavy to import, so after the first screen

    return await open_spec(spec)


def _join_first_screen(screen: DashboardScreen, fleet, task: asyncio.Future) -> None:
    """A local engine's quick list that came after the first: into the first screen's rows (unless its engine
    has connected meanwhile: its own list, fresher, is on its way)."""
    if task.cancelled() or task.exception() is not None or not task.result():
        return
    part = task.result()
    member = fleet.members.get(part[0].engine)
    if member is None or member.connected:
        return
    if screen.listed:  # mounted: drawn now
        if not any(s.engine == part[0].engine for s in screen.summaries.values()):
            screen.show_first_list(part, part[0].engine)
    elif screen.initial is not None:
        screen.initial.extend(part)  # not mounted yet: drawn with the rest


class BosunApp(App):
    TITLE = "bosun"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("ctrl+q", QUIT, "Quit", show=False, priority=True),
        # Declared here (Textual adds its own otherwise) so the registry's id reaches it: remappable.
        Binding("ctrl+p", COMMAND_PALETTE, "Palette", show=False, priority=True, id=COMMAND_PALETTE),
    ]

    def __init__(self, settings: Settings | None = None, run: RunOptions | None = None, *,
                 engine: Engine | None = None) -> None:
        from tui import screen_output

        screen_output.install()  # fewer bytes per frame (see there)
        super().__init__()
        self.settings = settings or Settings()
        self.run_options = run or RunOptions()
        self.engine: Engine | None = engine
        self.theme_errors: list[str] = []
        self._connecting_timer = None
        self._theme_ready = False
        self.key_order = typeahead.KeyOrder(self, self._deliver_key)

    def on_mount(self) -> None:
        from tui.keys.registry import keymap

        # The user's [keys]: every binding carries its action's id, so Textual remaps them all.
        self.set_keymap(keymap(self.settings.keys))
        self._register_themes()
        for note in self.run_options.notes:
            notify(self, note, title="Settings", timeout=12)
        self.connect_engine()

    def compose(self):
        return []  # the dashboard (or the no-engine screen) follows at once

    def _register_themes(self) -> None:
        from tui.themes import discover_themes

        themes, self.theme_errors = discover_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = self.settings.theme
        self.theme = wanted if wanted in self.available_themes else FALLBACK_THEME
        if wanted not in self.available_themes:
            notify(self, f"Unknown theme {wanted!r}; using {FALLBACK_THEME}", severity="warning")
        for error in self.theme_errors:
            notify(self, error, title="Theme file skipped", severity="warning")
        self._theme_ready = True

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready and self.run_options.persist_theme:
            from tui.settings import SettingsError, save_setting

            try:
                save_setting("theme", theme)
            except (OSError, SettingsError) as exc:
                notify(self, f"Could not save the theme choice: {exc}", severity="warning")

    def _waiting_on(self) -> list[str]:
        from tui.engine.endpoints import resolve_endpoints

        try:
            endpoints = resolve_endpoints(self.settings.engine.host or None, self.settings.engine.context or None,
                                          host_source=self.run_options.host_source)
        except EngineError:
            return []
        return [f"{e.url} ({e.source})" for e in endpoints]

    def _show_connecting(self) -> None:
        # Only when nothing else showed: a local engine answers before this fires.
        from tui.screens.connecting import ConnectingScreen
        from tui.screens.no_engine import NoEngineScreen

        if not isinstance(self.screen, (DashboardScreen, NoEngineScreen, ConnectingScreen)):
            self.push_screen(ConnectingScreen(self._waiting_on()))

    def _drop_connecting(self) -> None:
        from tui.screens.connecting import ConnectingScreen

        if self._connecting_timer is not None:
            self._connecting_timer.stop()
            self._connecting_timer = None
        if isinstance(self.screen, ConnectingScreen):
            self.pop_screen()

    @work(group="connect", exclusive=True, exit_on_error=False)
    async def connect_engine(self) -> None:
        if self.engine is None and not self.run_options.demo and not isinstance(self.screen, DashboardScreen):
            self._connecting_timer = self.set_timer(CONNECTING_AFTER, self._show_connecting)
        if self.engine is None and self.run_options.demo:
            from tui.demo import build_demo_engine, run_demo_activity

            self.engine = build_demo_engine()
            if self.run_options.demo_activity:
                self.run_worker(run_demo_activity(self.engine), group="demo", exit_on_error=False)
        kind = self.settings.engine.kind
        if self.engine is None and kind.endswith("-cli"):
            # The list the CLI drew its first frame from shows until the client has answered.
            early = await self._quick_dashboard() if self.run_options.first_list is not None else None
            try:
                self.engine = await cli_fallback.open_cli_engine(kind, self.settings.engine.cli)
            except EngineError as exc:
                await self._show_no_engine(exc)
                return
            if early is not None and early.is_attached:
                early.attach_engine(self.engine)
                return
        if self.engine is not None:
            await self._show_dashboard(DashboardScreen(self.engine, self.settings))
            return
        if len(self.run_options.engine_specs) > 1:
            await self._show_fleet()
            return
        early = await self._quick_dashboard()
        from tui.engine import connect  # the full client: heavy to import, so after the first screen

        try:
            self.engine = await connect(self.settings.engine.host or None, self.settings.engine.context or None,
                                        host_source=self.run_options.host_source,
                                        ssh_client=self.settings.engine.ssh_client)
        except EngineError as exc:
            if kind != "auto" or not cli_fallback.may_fall_back(exc):
                await self._show_no_engine(exc)
                return
            try:  # no socket answered, nothing named one: the podman command, if it works here
                self.engine = await cli_fallback.open_cli_engine("podman-cli", self.settings.engine.cli,
                                                                 source="no API socket answered")
            except EngineError as cli_exc:
                await self._show_no_engine(cli_fallback.with_cli_attempt(exc, cli_exc))
                return
            notify(self, cli_fallback.FALLBACK_NOTE, title="Podman without its API socket", timeout=8)
        if early is not None and early.is_attached:
            early.attach_engine(self.engine)
        else:
            await self._show_dashboard(DashboardScreen(self.engine, self.settings))

    async def _show_fleet(self) -> None:
        """Several engines: the dashboard at once, each engine's rows as it answers (none waits for another)."""
        from tui.engine.fleet import Fleet, MemberState, quick_first_lists

        specs = self.run_options.engine_specs
        fleet = Fleet(specs, self.run_options.open_engine or _open_spec)
        self.engine = fleet
        # As with one engine: local engines' rows from a plain request, drawn before the full client loads,
        # the first engine to answer at once, the others' as they answer.
        pending = {asyncio.ensure_future(c) for c in quick_first_lists(specs, self.settings.list.labels)}
        initial: list = []
        deadline = asyncio.get_running_loop().time() + FIRST_LIST_PATIENCE
        while pending and not initial:
            left = deadline - asyncio.get_running_loop().time()
            done, pending = await asyncio.wait(pending, timeout=max(left, 0), return_when=asyncio.FIRST_COMPLETED)
            initial = [s for task in done for s in task.result()]
            if not done:
                break  # no local engine answered that soon: connect, and show each as it answers
        if initial and pending:
            # Local engines answer within milliseconds of each other: a moment's grace puts them all in the
            # first frame (a second frame costs more than the wait, on a loaded host far more).
            done, pending = await asyncio.wait(pending, timeout=FIRST_LIST_GRACE)
            initial += [s for task in done for s in task.result()]
        if initial:
            # As the one-engine run does: the rows first, the engine attached after they are on screen (its
            # feeds, log pane and engines' line are work the first frame need not wait for).
            screen = DashboardScreen(None, self.settings, initial=initial,
                                     engine_label=(f"{len(specs)} engines", ""))
            # The other local engines answer within milliseconds of the first, while the first frame is still
            # being laid out: their rows join it (or are drawn the moment they come), not a frame later.
            for task in pending:
                task.add_done_callback(partial(_join_first_screen, screen, fleet))
            await self._show_dashboard(screen)
            await self._painted()
            if pending:  # drawn before the full client's import holds the loop (or they wait for it)
                done, pending = await asyncio.wait(pending, timeout=FIRST_LIST_PATIENCE)
                if done:
                    await self._painted()
            if self.run_options.open_engine is None:
                # The full client takes a few hundred milliseconds to import: off the loop, so it stays
                # responsive meanwhile.
                await asyncio.to_thread(importlib.import_module, "tui.engine.open_spec")
                await asyncio.to_thread(importlib.import_module, "tui.engine.connector")
            if screen.is_attached:
                screen.attach_engine(fleet)
        else:
            for task in pending:
                task.cancel()
        fleet.connect_all()
        failed = (MemberState.UNREACHABLE, MemberState.AUTH_FAILED)

        def settled() -> bool:
            members = list(fleet.members.values())
            return any(m.connected for m in members) or all(m.state in failed for m in members)

        # The first engine to answer shows the dashboard (a local one: at once); engines that all refuse
        # at once go straight to the no-engine screen; slow ones get the dashboard with their state shown.
        try:
            async with asyncio.timeout(CONNECTING_AFTER):
                while not settled():
                    await fleet.state_changed()
        except TimeoutError:
            pass
        if not initial and not all(m.state in failed for m in fleet.members.values()):
            await self._show_dashboard(DashboardScreen(fleet, self.settings))
        # The no-engine screen only when every engine failed (none still trying its first connection);
        # the engines keep trying, and the first to answer brings the dashboard back.
        from tui.screens.no_engine import NoEngineScreen

        while True:
            members = list(fleet.members.values())
            if any(m.connected for m in members):
                if not any(isinstance(s, DashboardScreen) for s in self.screen_stack):
                    await self._show_dashboard(DashboardScreen(fleet, self.settings))
            elif members and all(m.state in failed for m in members) and not isinstance(self.screen, NoEngineScreen):
                from tui.engine.errors import Attempt, EngineUnreachable

                await self._show_no_engine(EngineUnreachable(
                    [Attempt(m.spec.host, m.spec.source, m.reason) for m in members]))
            await fleet.state_changed()

    async def _quick_dashboard(self) -> DashboardScreen | None:
        """Draw the list from a plain request to a local socket, before the full client loads."""
        from tui.engine.endpoints import probe_socket, resolve_endpoints
        from tui.engine.quick import quick_list

        if self.run_options.first_list is not None:
            first, summaries = self.run_options.first_list  # the CLI listed them for its first frame
        else:
            try:
                endpoints = resolve_endpoints(self.settings.engine.host or None, self.settings.engine.context or None,
                                              host_source=self.run_options.host_source)
            except EngineError:
                return None  # connect() will say what is wrong
            first = next((e for e in endpoints if e.socket_path and probe_socket(e) is None), None)
            if first is None:
                return None
            try:
                _, summaries = await quick_list(first, self.settings.list.labels)
            except EngineError:
                return None
        name = summaries[0].engine if summaries else (first.name or "docker")
        screen = DashboardScreen(None, self.settings, initial=summaries, engine_label=(name, first.url))
        await self._show_dashboard(screen)
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        await asyncio.sleep(0.01)  # let the driver write the frame out
        return screen

    async def _painted(self) -> None:
        """Once what is on screen now has been drawn and written out."""
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        await asyncio.sleep(0.01)  # let the driver write the frame out

    async def _show_dashboard(self, screen: DashboardScreen) -> None:
        from tui.screens.no_engine import NoEngineScreen

        self._drop_connecting()
        if isinstance(self.screen, NoEngineScreen):
            self.pop_screen()
        await self.push_screen(screen)

    @work(group="connect", exclusive=True, exit_on_error=False)
    async def use_cli_engine(self, kind: str = "podman-cli") -> None:
        """The no-engine screen's offer: the engine's command-line client instead of its API."""
        try:
            engine = await cli_fallback.open_cli_engine(kind, self.settings.engine.cli, source="chosen on the "
                                                        "no-engine screen")
        except EngineError as exc:
            await self._show_no_engine(exc)
            return
        self.engine = engine
        await self._show_dashboard(DashboardScreen(self.engine, self.settings))

    async def _show_no_engine(self, error: EngineError) -> None:
        from tui.screens.no_engine import NoEngineScreen

        self._drop_connecting()
        if isinstance(self.screen, DashboardScreen):
            self.pop_screen()
        if isinstance(self.screen, NoEngineScreen):
            self.screen.error = error
            notify(self, str(error).splitlines()[0], title="Still no engine", severity="error")
        else:
            await self.push_screen(NoEngineScreen(error))

    async def on_event(self, event: events.Event) -> None:
        # Keys go out one at a time, in the order read (tui.widgets.typeahead).
        if isinstance(event, events.Paste) and not event.is_forwarded:
            await self.key_order.read(event)
        elif not isinstance(event, events.Key):
            await super().on_event(event)
        elif not event.is_forwarded:
            await self.key_order.read(event)
        elif not await self.key_order.came_back(event):
            await super().on_event(event)  # the bindings, from the focused widget up
            await self.key_order.done(event)

    async def on_key_order_settled(self, note: typeahead.KeyOrder.Settled) -> None:
        await self.key_order.settled(note)

    async def _deliver_key(self, event: events.Event) -> None:
        """Textual's handling of a key (or paste) just read: priority bindings, then to the focused widget."""
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a terminal pane has focus, keys like ctrl+q and ctrl+p belong
        # to the program in it, not to the app's priority bindings.
        if isinstance(self.focused, TerminalView) and terminal_owns_action(self, action):
            return False
        return super().check_action(action, parameters)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False so one failure cannot take the
        # app down; this is the one place their errors are shown.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name!r} failed", error)
            notify(self, f"{type(error).__name__}: {error}", title="Something went wrong", severity="error",
                        timeout=10)

    async def action_quit(self) -> None:
        # ctrl+q and the palette's Quit come here too: with shells open, the dashboard asks first.
        dashboard = next((s for s in self.screen_stack if isinstance(s, DashboardScreen)), None)
        if dashboard is not None:
            dashboard.action_quit()
        else:
            self.exit()

    # -- the views (tui.views): `1`-`4` and `:` are bound on the dashboard and on each view, run here

    def action_view_containers(self) -> None:
        self._show_view("containers")

    def action_view_images(self) -> None:
        self._show_view("images")

    def action_view_volumes(self) -> None:
        self._show_view("volumes")

    def action_view_networks(self) -> None:
        self._show_view("networks")

    def action_view_prompt(self) -> None:
        from tui.views.switch import ask_view

        ask_view(self)

    def _show_view(self, view: str) -> None:
        from tui.views.switch import show_view

        show_view(self, view)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from tui.screens.commands import registry_commands

        yield from registry_commands(screen)

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.close()
