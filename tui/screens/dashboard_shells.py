"""Shell tabs of the dashboard (issue 4): opening, listing and following shells.

Mixed into `DashboardScreen`, which calls the `shells_*` hooks as containers
and the engine change. `e` opens a shell in the container under the cursor
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

from tui.engine import ContainerSummary, EngineError, State
from tui.messages import ContainerUpdated
from tui.shell.connect import ShellLaunch, ShellRequest, shell_connector
from tui.widgets.shell_pane import ShellPane
from tui.widgets.terminal_view import TerminalView

if TYPE_CHECKING:
    from tui.screens.dashboard import DashboardScreen as _Base
else:
    _Base = object

#: States a shell can be opened from: running now, or after a start / unpause.
_STARTABLE = (State.CREATED, State.EXITED, State.DEAD)
_OPENABLE = (State.RUNNING, State.RESTARTING, State.PAUSED, *_STARTABLE)
_LIVE = (State.RUNNING.value, State.RESTARTING.value, State.PAUSED.value)
ShellCommand = tuple[str, str, Callable[[], None]]


class ShellsMixin(_Base):
    """Shell actions and hooks of the dashboard (see the module docstring)."""

    _shell_tabs: dict[str, ShellPane] | None = None
    _shell_serial = 0
    _shell_last_request = ShellRequest()

    @property
    def shell_tabs(self) -> dict[str, ShellPane]:
        """Open shells: tab id -> pane, in the order they were opened."""
        if self._shell_tabs is None:
            self._shell_tabs = {}
        return self._shell_tabs

    # -- hooks the dashboard calls ------------------------------------------------------------

    def shells_container_changed(self, summary: ContainerSummary) -> None:
        """A container's summary changed (called by the dashboard for every update)."""
        for pane in self._shells_of(summary.id):
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

    def shells_container_gone(self, container_id: str) -> None:
        """A container was removed."""
        for pane in self._shells_of(container_id):
            pane.container_state = "removed"
            pane.set_status(f"container {pane.container_name} removed", announce=True)
            self._shell_title(pane)

    def shells_engine_status(self, connected: bool, reason: str) -> None:
        """The engine's event stream dropped or came back."""
        for pane in self.shell_tabs.values():
            if not connected:
                # The shell's own stream may well live on: say it in the titles only.
                pane.set_status(f"engine connection lost ({reason})" if reason else "engine connection lost")
            elif pane.status.startswith("engine connection lost"):
                pane.set_status("")
            self._shell_title(pane)

    def shells_engine_attached(self) -> None:
        """The full engine client is attached (`self.engine` set): nothing to redo, shells start later."""

    async def close_shell_tab(self, tab_id: str) -> None:
        """Close the shell in tab `tab_id` (the `close_tab` action on a shell tab)."""
        pane = self.shell_tabs.pop(tab_id, None)
        if pane is None or self.panes is None:
            return
        await self.panes.remove_tab(tab_id)  # unmounting the view closes its exec
        self._focus_list()

    def check_shell_action(self, action: str) -> bool | None:
        if self.options.read_only:
            return False  # exec changes the container: hidden like the other actions
        summary = self.cursor_summary
        if summary is None or summary.id in self.busy:
            return None
        return True if summary.state in _OPENABLE else None

    def shell_commands(self) -> Iterator[ShellCommand]:
        """Command palette entries that bring back each open shell: (title, help, callback)."""
        for tab_id, pane in self.shell_tabs.items():
            yield (f"Shell: {pane.title()}", f"Show the shell in {pane.container_name}",
                   lambda tab_id=tab_id: self.show_shell(tab_id))

    # -- actions ---------------------------------------------------------------------------------

    def action_shell(self) -> None:
        """A shell in the container under the cursor, in a new tab."""
        summary = self.cursor_summary
        if summary is not None and self.check_shell_action("shell"):
            self._shell_for(summary.id, ShellRequest())

    def action_shell_options(self) -> None:
        """Ask for user, directory, environment and command, then open the shell."""
        from tui.screens.shell_options import ShellOptionsScreen

        summary = self.cursor_summary
        if summary is None or not self.check_shell_action("shell_options"):
            return

        def chosen(request: ShellRequest | None) -> None:
            if request is not None:
                self._shell_last_request = request  # pre-fills the next dialog
                self._shell_for(summary.id, request)

        self.app.push_screen(ShellOptionsScreen(summary.name, self._shell_last_request), chosen)

    def show_shell(self, tab_id: str) -> None:
        """Bring an open shell back: show its tab and give it the keys."""
        pane = self.shell_tabs.get(tab_id)
        if pane is None or self.panes is None:
            return
        self.query_one("#body").remove_class("panes-hidden")
        self.panes.active = tab_id
        pane.view.focus()

    # -- opening ----------------------------------------------------------------------------------

    def _shell_for(self, container_id: str, request: ShellRequest, pane: ShellPane | None = None) -> None:
        """Open (or, with `pane`, reopen) a shell, starting the container first if the user agrees."""
        if self.engine is None:
            # Drawn from the quick first list, still connecting: run once attached.
            self._deferred.append(lambda: self._shell_for(container_id, request, pane))
            return
        summary = self.summaries.get(container_id)
        if summary is None:
            return
        if summary.is_running:
            self._shell_go(summary, request, pane)
            return
        if summary.state not in _OPENABLE:
            self.notify(f"{summary.name} is {summary.state.value}: no shell now", timeout=4, markup=False)
            return
        from tui.screens.shell_options import StartForShellScreen

        paused = summary.state is State.PAUSED

        def decided(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._start_then_open(summary, request, pane, paused=paused),
                                group="shell-start", exit_on_error=False)

        self.app.push_screen(StartForShellScreen(summary.name, paused=paused), decided)

    def _shell_go(self, summary: ContainerSummary, request: ShellRequest, pane: ShellPane | None) -> None:
        if pane is not None:
            self._reopen(pane)
        else:
            self.run_worker(self._open_shell(summary, request), group="shell-open", exit_on_error=False)

    async def _start_then_open(self, summary: ContainerSummary, request: ShellRequest,
                               pane: ShellPane | None, *, paused: bool) -> None:
        from tui.actions import ACTIONS

        self.busy[summary.id] = ACTIONS["pause" if paused else "start"].busy
        self._schedule_rows()
        try:
            if paused:
                await self.engine.unpause(summary.id)
            else:
                await self.engine.start(summary.id)
            current = await self.engine.summary(summary.id)
        except EngineError as exc:
            self.busy.pop(summary.id, None)
            self._schedule_rows()
            verb = "Unpause" if paused else "Start"
            self.notify(str(exc), title=f"{verb} {summary.name} failed", severity="error", timeout=10, markup=False)
            return
        # The row is true now even if the event stream is slow or down.
        self.post_message(ContainerUpdated(current))
        if not current.is_running:
            self.notify(f"{current.name} did not stay running ({current.state.value})", severity="warning",
                        timeout=6, markup=False)
            return
        self.summaries[current.id] = current
        self._shell_go(current, request, pane)

    async def _open_shell(self, summary: ContainerSummary, request: ShellRequest) -> None:
        await self.mount_panes()
        panes = self.panes
        if panes is None:
            return
        self._shell_serial += 1
        tab_id = f"shell-{self._shell_serial}"
        same = sum(p.container_id == summary.id for p in self.shell_tabs.values())
        label = f"sh: {summary.name}" + (f" ({same + 1})" if same else "")
        launch = ShellLaunch(summary.id, request)
        pane: ShellPane | None = None

        def chosen(argv: list[str]) -> None:
            if pane is not None:
                pane.set_command(argv)

        connect = shell_connector(self.engine, launch, configured=self.options.shell,
                                  via_cli=self.options.exec_via_cli, on_argv=chosen)
        pane = ShellPane(summary.id, summary.name, connect, label=label, id=f"{tab_id}-pane")
        self.shell_tabs[tab_id] = pane
        self.query_one("#body").remove_class("panes-hidden")
        await panes.add_tab(pane, label, tab_id)
        pane.view.focus()
        self._last_binding_state = None
        self._refresh_bindings_if_changed()

    def _reopen(self, pane: ShellPane) -> None:
        pane.set_status("")
        pane.container_state = State.RUNNING.value
        pane.view.reopen()  # same connector: the same argv, user, directory and environment
        self._shell_title(pane)
        if self.panes is not None and self._tab_of(pane):
            self.show_shell(self._tab_of(pane))

    # -- messages from the views ---------------------------------------------------------------

    def on_terminal_view_leave(self, message: TerminalView.Leave) -> None:
        if self._pane_of(message.view) is not None:
            message.stop()
            self._focus_list()

    def on_terminal_view_exited(self, message: TerminalView.Exited) -> None:
        pane = self._pane_of(message.view)
        if pane is not None:
            message.stop()
            self._shell_title(pane)

    def on_terminal_view_reopen(self, message: TerminalView.Reopen) -> None:
        pane = self._pane_of(message.view)
        if pane is not None:
            message.stop()
            self._shell_for(pane.container_id, ShellRequest(), pane)

    def on_tabbed_content_tab_activated(self, message) -> None:
        # A click on a shell's tab means "type here"; other activations leave focus alone.
        tab_id = getattr(message.pane, "id", None)
        if tab_id in self.shell_tabs and isinstance(self.focused, Tabs):
            self.shell_tabs[tab_id].view.focus()

    # -- helpers ------------------------------------------------------------------------------------

    def _shells_of(self, container_id: str) -> list[ShellPane]:
        return [p for p in self.shell_tabs.values() if p.container_id == container_id]

    def _pane_of(self, view: TerminalView) -> ShellPane | None:
        return next((p for p in self.shell_tabs.values() if p.view is view), None)

    def _tab_of(self, pane: ShellPane) -> str | None:
        return next((t for t, p in self.shell_tabs.items() if p is pane), None)

    def _shell_title(self, pane: ShellPane) -> None:
        tab_id = self._tab_of(pane)
        if tab_id is not None and self.panes is not None:
            self.panes.set_title(tab_id, pane.title())

    def _focus_list(self) -> None:
        from tui.widgets.container_table import ContainerTable

        self.query_one(ContainerTable).focus()
