"""The bosun App: themes, the engine connection, and which screen shows."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.engine import Engine, EngineError
from tui.screens.dashboard import DashboardOptions, DashboardScreen

FALLBACK_THEME = "textual-dark"


@dataclass
class AppSettings:
    host: str | None = None
    context: str | None = None
    demo: bool = False
    demo_activity: bool = True
    theme: str = "bosun-dark"
    persist_theme: bool = True
    options: DashboardOptions = field(default_factory=DashboardOptions)


class BosunApp(App):
    TITLE = "bosun"
    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, settings: AppSettings | None = None, *, engine: Engine | None = None) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.engine: Engine | None = engine
        self.theme_errors: list[str] = []
        self._theme_ready = False

    def on_mount(self) -> None:
        self._register_themes()
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
            self.notify(f"Unknown theme {wanted!r}; using {FALLBACK_THEME}", severity="warning")
        for error in self.theme_errors:
            self.notify(error, title="Theme file skipped", severity="warning", markup=False)
        self._theme_ready = True

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready and self.settings.persist_theme:
            from tui.config import SettingsError, save_setting

            try:
                save_setting("theme", theme)
            except (OSError, SettingsError) as exc:
                self.notify(f"Could not save the theme choice: {exc}", severity="warning", markup=False)

    @work(group="connect", exclusive=True, exit_on_error=False)
    async def connect_engine(self) -> None:
        if self.engine is None and self.settings.demo:
            from tui.demo import build_demo_engine, run_demo_activity

            self.engine = build_demo_engine()
            if self.settings.demo_activity:
                self.run_worker(run_demo_activity(self.engine), group="demo", exit_on_error=False)
        if self.engine is not None:
            await self._show_dashboard(DashboardScreen(self.engine, self.settings.options))
            return
        early = await self._quick_dashboard()
        from tui.engine import connect  # the full client: heavy to import, so after the first screen

        try:
            self.engine = await connect(self.settings.host, self.settings.context)
        except EngineError as exc:
            await self._show_no_engine(exc)
            return
        if early is not None and early.is_attached:
            early.attach_engine(self.engine)
        else:
            await self._show_dashboard(DashboardScreen(self.engine, self.settings.options))

    async def _quick_dashboard(self) -> DashboardScreen | None:
        """Draw the list from a plain request to a local socket, before the full client loads."""
        from tui.engine.endpoints import probe_socket, resolve_endpoints
        from tui.engine.quick import quick_list

        try:
            endpoints = resolve_endpoints(self.settings.host, self.settings.context)
        except EngineError:
            return None  # connect() will say what is wrong
        first = next((e for e in endpoints if e.socket_path and probe_socket(e) is None), None)
        if first is None:
            return None
        try:
            _, summaries = await quick_list(first, self.settings.options.labels)
        except EngineError:
            return None
        name = summaries[0].engine if summaries else (first.name or "docker")
        screen = DashboardScreen(None, self.settings.options, initial=summaries, engine_label=(name, first.url))
        await self._show_dashboard(screen)
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        await asyncio.sleep(0.01)  # let the driver write the frame out
        return screen

    async def _show_dashboard(self, screen: DashboardScreen) -> None:
        from tui.screens.no_engine import NoEngineScreen

        if isinstance(self.screen, NoEngineScreen):
            self.pop_screen()
        await self.push_screen(screen)

    async def _show_no_engine(self, error: EngineError) -> None:
        from tui.screens.no_engine import NoEngineScreen

        if isinstance(self.screen, DashboardScreen):
            self.pop_screen()
        if isinstance(self.screen, NoEngineScreen):
            self.screen.error = error
            self.notify(str(error).splitlines()[0], title="Still no engine", severity="error", markup=False)
        else:
            await self.push_screen(NoEngineScreen(error))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a terminal pane has focus, keys like ctrl+q and ctrl+p belong
        # to the program in it, not to the app's priority bindings.
        if type(self.focused).__name__ == "TerminalView":
            from tui.widgets.terminal_view import terminal_owns_action

            if terminal_owns_action(self, action):
                return False
        return super().check_action(action, parameters)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers run with exit_on_error=False so one failure cannot take the
        # app down; this is the one place their errors are shown.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name!r} failed", error)
            self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error",
                        timeout=10, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, DashboardScreen):
            from tui.keymap import DASHBOARD_ACTIONS

            for action, (_, description) in DASHBOARD_ACTIONS.items():
                if action in ("quit", "help", "select") or screen.check_action(action, ()) is False:
                    continue
                yield SystemCommand(f"Container: {description}", f"{description} the selected container(s)",
                                    getattr(screen, f"action_{action}"))
            for title, help_text, callback in screen.shell_commands():  # open shells, to bring back
                yield SystemCommand(title, help_text, callback)

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.close()
