"""Shell tabs of the dashboard (issue 4): opening, listing and following shells.

`ShellTabs` is composed into `DashboardScreen` and sees it through `PaneHost`;
the screen tells it when containers and the engine change. `e` opens a shell in the container under the cursor
(`E` first asks for user, directory, environment and command) in a new tab
of the pane area, beside the logs. Every shell keeps running in its tab while
the user moves around; the tabs and the command palette list them.

A stopped (or paused) container is offered a start (unpause) first. When the
shell ends, its pane shows the code and `r` reopens the same command; when the
container stops or goes away, or the engine's event stream drops, the pane and
its tab say so. `ctrl+]` (the view's leave chord) gives the keys back to the
list. Shells change containers, so read-only mode hides them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from textual.widgets import Tabs

from tui.dashboard.messages import ActionFinished, ContainerUpdated
from tui.engine import ContainerSummary, EngineError, State
from tui.engine.fleet import split_key
from tui.keys.registry import BY_ID, PAUSE, START
from tui.notice import notify
from tui.shell.connect import ShellLaunch, ShellRequest, shell_connector
from tui.widgets.shell_pane import ShellPane
from tui.widgets.terminal_view import TerminalView
from tui.widgets.typeahead import focus_now

if TYPE_CHECKING:
    from tui.dashboard.host import PaneHost

#: States a shell can be opened from: running now, or after a start / unpause.
_STARTABLE = (State.CREATED, State.EXITED, State.DEAD)
_OPENABLE = (State.RUNNING, State.RESTARTING, State.PAUSED, *_STARTABLE)
_LIVE = (State.RUNNING.value, State.RESTARTING.value, State.PAUSED.value)
ShellCommand = tuple[str, str, Callable[[], None]]


class ShellTabs:
    """The shell tabs of the dashboard (see the module docstring)."""

    def __init__(self, host: PaneHost) -> None:
        self.host = host
        #: Open shells: tab id -> pane, in the order they were opened.
        self.tabs: dict[str, ShellPane] = {}
        self._serial = 0
        self._last_request = ShellRequest()  # pre-fills the next "shell as…" dialog

    # -- what happens on the dashboard --------------------------------------------------------

    def container_changed(self, summary: ContainerSummary) -> None:
        """A container's summary changed (called by the dashboard for every update)."""
        for pane in self._shells_of(summary.id):
            if summary.name != pane.container_name:  # renamed: the tab says the name it has now
                pane.rename(summary.name)
                self._shell_title(pane)
            was, now = pane.container_state, summary.state.value
            if now == was:
                continue
            pane.container_state = now
            if summary.state is State.PAUSED:
                pane.set_status("container paused")  # frozen, not over: don't write on its screen
            elif summary.is_running:
                pane.set_status("container running again — r to reopen" if pane.view.exited else "")
            elif was in _LIVE:
                code = f" (exit code {summary.exit_code})" if summary.exit_code is not None else ""
                pane.set_status(f"container {summary.name} stopped{code}", announce=True)
            self._shell_title(pane)

    def container_gone(self, container_id: str) -> None:
        """A container was removed."""
        for pane in self._shells_of(container_id):
            pane.container_state = "removed"
            pane.set_status(f"container {pane.container_name} removed", announce=True)
            self._shell_title(pane)

    def engine_status(self, connected: bool, reason: str, engine: str | None = None) -> None:
        """The engine's event stream dropped or came back; with `engine` (several in view), that one's shells."""
        for pane in self.tabs.values():
            if engine is not None and split_key(pane.container_id)[0] != engine:
                continue
            if not connected:
                # The shell's own stream may well live on: say it in the titles only.
                pane.set_status(f"engine connection lost ({reason})" if reason else "engine connection lost")
            elif pane.status.startswith("engine connection lost"):
                pane.set_status("")
            self._shell_title(pane)

    async def close(self, tab_id: str) -> None:
        """Close the shell in tab `tab_id` (the `close_tab` action on a shell tab)."""
        pane = self.tabs.pop(tab_id, None)
        area = self.host.panes
        if pane is None or area is None:
            return
        await area.remove_tab(tab_id)  # unmounting the view closes its exec
        self.host.focus_list()

    def why_not(self) -> str | None:
        """Why no shell can open in the container under the cursor now, or None.
        (Read-only mode is the dashboard's check: exec changes the container.)"""
        summary = self.host.cursor_summary
        if summary is None:
            return "No container under the cursor"
        busy = self.host.busy_with(summary.id)
        if busy is not None:
            return f"Shell: {summary.name} is busy ({busy})"
        if summary.state not in _OPENABLE:
            return f"Shell: {summary.name} is {summary.state.value}"
        return None

    def live(self) -> list[ShellPane]:
        """Shells whose program still runs (quitting would end them)."""
        return [pane for pane in self.tabs.values() if not pane.view.exited]

    def quit(self) -> None:
        """Quit the app; with shells open, ask first (quitting ends them)."""
        from tui.screens.confirm import quit_asking

        quit_asking(self.host.app, len(self.live()))

    def commands(self) -> Iterator[ShellCommand]:
        """Command palette entries that bring back each open shell: (title, help, callback)."""
        for tab_id, pane in self.tabs.items():
            yield (f"Shell: {pane.title()}", f"Show the shell in {pane.container_name}",
                   lambda tab_id=tab_id: self.show(tab_id))

    # -- actions ---------------------------------------------------------------------------------

    def open(self, summary: ContainerSummary) -> None:
        """A shell in `summary`'s container, in a new tab (the `shell` action)."""
        self._shell_for(summary.id, ShellRequest())

    def open_with_options(self, summary: ContainerSummary) -> None:
        """Ask for user, directory, environment and command, then open the shell (`shell_options`)."""
        from tui.screens.shell_options import ShellOptionsScreen

        def chosen(request: ShellRequest | None) -> None:
            if request is not None:
                self._last_request = request
                self._shell_for(summary.id, request)

        self.host.app.push_screen(ShellOptionsScreen(summary.name, self._last_request), chosen)

    def show(self, tab_id: str) -> None:
        """Bring an open shell back: show its tab and give it the keys."""
        pane = self.tabs.get(tab_id)
        area = self.host.panes
        if pane is None or area is None:
            return
        self.host.reveal_panes()
        area.active = tab_id
        focus_now(pane.view)

    # -- opening ----------------------------------------------------------------------------------

    def _shell_for(self, container_id: str, request: ShellRequest, pane: ShellPane | None = None) -> None:
        """Open (or, with `pane`, reopen) a shell, starting the container first if the user agrees."""
        if self.host.engine is None:
            # Drawn from the quick first list, still connecting: run once attached.
            self.host.defer(lambda: self._shell_for(container_id, request, pane))
            return
        summary = self.host.summary(container_id)
        if summary is None:
            return
        if summary.is_running:
            self._shell_go(summary, request, pane)
            return
        if summary.state not in _OPENABLE:
            notify(self.host, f"{summary.name} is {summary.state.value}: no shell now", timeout=4)
            return
        from tui.screens.shell_options import StartForShellScreen

        paused = summary.state is State.PAUSED

        def decided(yes: bool | None) -> None:
            if yes:
                self.host.run_worker(self._start_then_open(summary, request, pane, paused=paused),
                                     group="shell-start", exit_on_error=False)

        self.host.app.push_screen(StartForShellScreen(summary.name, paused=paused), decided)

    def _shell_go(self, summary: ContainerSummary, request: ShellRequest, pane: ShellPane | None) -> None:
        if pane is not None:
            self._reopen(pane)
        else:
            self.host.run_worker(self._open_shell(summary, request), group="shell-open", exit_on_error=False)

    async def _start_then_open(self, summary: ContainerSummary, request: ShellRequest,
                               pane: ShellPane | None, *, paused: bool) -> None:
        action = PAUSE if paused else START
        engine = self.host.engine
        self.host.mark_busy(summary.id, BY_ID[action].busy)
        try:
            if paused:
                await engine.unpause(summary.id)
            else:
                await engine.start(summary.id)
            current = await engine.summary(summary.id)
        except EngineError as exc:
            self.host.mark_busy(summary.id, None)
            verb = "Unpause" if paused else "Start"
            notify(self.host, str(exc), title=f"{verb} {summary.name} failed", severity="error", timeout=10)
            return
        # The row is true now even if the event stream is slow or down; the
        # start is over, so the busy mark goes (events no longer clear it).
        self.host.post_message(ContainerUpdated(current))
        self.host.post_message(ActionFinished(action, [summary.id], {}))
        if not current.is_running:
            notify(self.host, f"{current.name} did not stay running ({current.state.value})", severity="warning",
                   timeout=6)
            return
        self._shell_go(current, request, pane)

    async def _open_shell(self, summary: ContainerSummary, request: ShellRequest) -> None:
        await self.host.mount_panes()
        area = self.host.panes
        if area is None:
            return
        self._serial += 1
        tab_id = f"shell-{self._serial}"
        same = sum(p.container_id == summary.id for p in self.tabs.values())
        label = f"sh: {summary.name}" + (f" ({same + 1})" if same else "")
        launch = ShellLaunch(summary.id, request)
        pane: ShellPane | None = None

        def chosen(argv: list[str]) -> None:
            if pane is not None:
                pane.set_command(argv)

        settings = self.host.settings
        connect = shell_connector(self.host.engine, launch, configured=settings.shells.command,
                                  via_cli=settings.shells.via_cli, on_argv=chosen)
        pane = ShellPane(summary.id, summary.name, connect, label=label, id=f"{tab_id}-pane")
        self.tabs[tab_id] = pane
        self.host.reveal_panes()
        await area.add_tab(pane, label, tab_id)
        focus_now(pane.view)
        self.host.bindings_changed()

    def _reopen(self, pane: ShellPane) -> None:
        pane.set_status("")
        pane.container_state = State.RUNNING.value
        pane.view.reopen()  # same connector: the same argv, user, directory and environment
        self._shell_title(pane)
        if self.host.panes is not None and self._tab_of(pane):
            self.show(self._tab_of(pane))

    # -- messages from the views (the screen hands them over) ------------------------------------

    def view_left(self, message: TerminalView.Leave) -> None:
        if self._pane_of(message.view) is not None:
            message.stop()
            self.host.focus_list()

    def view_exited(self, message: TerminalView.Exited) -> None:
        pane = self._pane_of(message.view)
        if pane is not None:
            message.stop()
            self._shell_title(pane)

    def reopen_asked(self, message: TerminalView.Reopen) -> None:
        pane = self._pane_of(message.view)
        if pane is not None:
            message.stop()
            self._shell_for(pane.container_id, ShellRequest(), pane)

    def tab_activated(self, tab_id: str | None) -> None:
        # A click on a shell's tab means "type here"; other activations leave focus alone.
        if tab_id in self.tabs and isinstance(self.host.focused, Tabs):
            focus_now(self.tabs[tab_id].view)

    # -- helpers ------------------------------------------------------------------------------------

    def _shells_of(self, container_id: str) -> list[ShellPane]:
        return [p for p in self.tabs.values() if p.container_id == container_id]

    def _pane_of(self, view: TerminalView) -> ShellPane | None:
        return next((p for p in self.tabs.values() if p.view is view), None)

    def _tab_of(self, pane: ShellPane) -> str | None:
        return next((t for t, p in self.tabs.items() if p is pane), None)

    def _shell_title(self, pane: ShellPane) -> None:
        tab_id = self._tab_of(pane)
        area = self.host.panes
        if tab_id is not None and area is not None:
            area.set_title(tab_id, pane.title())
