"""The dashboard: the live container list, its keys, and what they do.

The screen keeps the list (rows, filter, sort, selection) and runs the actions.
Its other parts are composed, each with its own state, and see the screen
through the small protocols of `tui.dashboard.host`: `EngineFeed` (lists,
events, re-lists, stats), `ContainerActions` (start, stop… on the targets),
`PaneLayout` (where the pane area goes), `LogTabs` and `ShellTabs` (the panes
in it). Messages from the engine land here and are handed to the parts.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static, TabbedContent

from tui.long_lived import freeze_startup
from tui.widgets.footer import LeanFooter
from tui.dashboard import availability
from tui.dashboard.actions import ContainerActions
from tui.dashboard.housekeeping import Housekeeping
from tui.dashboard.selection import ListSelection
from tui.engine import ContainerSummary, Engine
from tui.widgets.key_bindings import fallback_bindings, scope_bindings
from tui.keys.registry import (
    BACK, BY_ID, CLEAR_FILTER, CLOSE_TAB, DISK_USAGE, FILES, KILL, PAUSE, PROCESSES, PRUNE, REMOVE, RESTART, SHELL, SHELL_OPTIONS, START, GRAPHS, STOP,
    Scope, in_scope, resolve,
)
from tui.untrusted import safe_text
from tui.dashboard.availability import NO_CURSOR
from tui.dashboard.engine_feed import EngineFeed
from tui.dashboard.inside import InsideScreens
from tui.dashboard.fleet_view import FleetView
from tui.engine.fleet import Fleet
from tui.dashboard.container_book import ContainerBook
from tui.dashboard.live import LiveFeed
from tui.dashboard.messages import ActionFinished, ContainerGone, ContainerHappened, ContainersListed, ContainerUpdated, EngineStatus, HistoryRead, StatsArrived
from tui.dashboard.model import Column, ContainerRow, Filter, GroupRow, StatsHistory, build_rows
from tui.dashboard.layout import PaneLayout
from tui.dashboard.log_tabs import LogTabs
from tui.dashboard.timeline import Timeline
from tui.dashboard.pane_area import LOGS_TAB, PaneArea
from tui.dashboard.shell_tabs import ShellTabs
from tui.dashboard.container_table import ContainerTable, DashboardList, FilterBox
from tui.dashboard.header import badges_text, banner_text, title_text
from tui.widgets.log.pane import LogPane
from tui.widgets.shell_pane import ShellPane
from tui.widgets.terminal_view import TerminalView
from tui.widgets.typeahead import focus_now
from tui.notice import notify
from tui.settings import Settings

#: What the footer's enabled keys depend on (the cursor, the selection, the panes).
_CHECKED = (*(a.id for a in in_scope(Scope.LIST)), CLOSE_TAB)


class DashboardScreen(Screen):
    CSS_PATH = "dashboard.tcss"
    # Screen-wide keys, then hidden stand-ins for the list's keys: a list key reaches the
    # screen only when the list did not run it (no focus, or it cannot run now), and says why.
    # The log pane's stand-ins come last: a key both parts use (y) explains the list's meaning.
    # A screen-wide key read-only turns off (prune) falls through to its stand-in, which says so.
    BINDINGS = [*scope_bindings(Scope.SCREEN), *scope_bindings(Scope.VIEWS, "app"),
                *fallback_bindings(Scope.SCREEN, mutating_only=True),
                *fallback_bindings(Scope.LIST, skip=frozenset({CLEAR_FILTER})),
                *fallback_bindings(Scope.LOG, skip=frozenset({BACK}))]

    def __init__(
        self,
        engine: Engine | None,
        settings: Settings | None = None,
        *,
        initial: list[ContainerSummary] | None = None,
        engine_label: tuple[str, str] | None = None,
    ) -> None:
        """`engine` may come later (`attach_engine`): the first screen can be drawn
        from a quick `initial` list while the full client loads."""
        super().__init__()
        self.engine = engine
        self.settings = settings or Settings()
        self.engine_label = engine_label or ((engine.name, engine.url) if engine else ("", ""))
        self.initial = initial
        self.summaries: dict[str, ContainerSummary] = {}
        self.book = ContainerBook(self)  # applies the engine's lists, updates and removals to the above
        self.stats: dict[str, StatsHistory] = {}
        self.busy: dict[str, str] = {}
        self.selected: set[str] = set()
        self.collapsed: set[str] = set()
        self.filter = Filter()
        self.show_stopped = self.settings.list.show_stopped
        self.sort = Column.NAME
        self.reverse = False
        self.connected = True
        self.lost_reason = ""
        self._banner = ""  # what the banner says now: nothing, as composed
        self.listed = False
        self._rows_scheduled = False
        self._last_binding_state: tuple | None = None
        self._deferred: list = []  # actions asked for before the engine was attached
        self.engine_feed = EngineFeed(self, self.settings.list.labels, self.settings.timeline.history_hours,
                                      list_stats=self.settings.stats.enabled)
        self.timeline = Timeline(self, self.settings.timeline)  # what happened; marks restart loops in the list
        self.logs = LogTabs(self)
        self.pane_layout = PaneLayout(self, self.logs.mount_main)
        self.shells = ShellTabs(self)
        self.actions = ContainerActions(self)
        self.inside = InsideScreens(self)
        self.selecting = ListSelection(self)
        self.housekeeping = Housekeeping(self)
        self.fleet_view = FleetView(self)  # several engines in view (idle with one)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="titlebar"):
            yield Static(id="title")
            yield Static(id="badges")
        yield Static(id="banner")
        with Container(id="body"):
            with Vertical(id="list"):  # the filter, when shown, sits above the list only
                yield DashboardList(id="containers")
        yield LeanFooter()

    def on_mount(self) -> None:
        table = self.query_one(ContainerTable)
        table.stats_shown = self.settings.stats.enabled
        focus_now(table)
        if self.initial is not None:
            # Rows a fleet named (`<engine>/<id>`) say their engine from the first frame on.
            table.engines_shown = any(s.local_id for s in self.initial)
            self.summaries = {s.id: s for s in self.initial}
            self.listed = True
            self._apply_rows()  # no debounce: this is the first screen
        self._update_title()
        if self.engine is not None:
            self.attach_engine(self.engine)
        self.set_interval(self.settings.engine.reconcile_interval, self.engine_feed.reconcile_tick)
        self.set_interval(15, self.schedule_rows)  # uptimes age
        self.set_interval(self.settings.stats.interval, self.engine_feed.collect_stats)  # the list's, the stats screen's
        # The panes come after the first frame: the list is what the user waits for.
        self.call_after_refresh(self.mount_panes)

    def _update_title(self) -> None:
        self._set_static("#title", title_text(self.engine_label, list(self.summaries.values()) if self.listed else None))
        self._set_static("#badges", badges_text(self.settings.list.labels, read_only=self.settings.read_only,
                                                show_stopped=self.show_stopped))

    def _set_static(self, selector: str, text: Text) -> None:
        # Static.update forces a layout pass of the screen: skip it when
        # nothing changed (this runs on every row update).
        widget = self.query_one(selector, Static)
        if getattr(widget, "_bosun_text", None) != text:
            widget._bosun_text = text
            widget.update(text)

    # -- the pane area ----------------------------------------------------------------------------

    @property
    def panes(self) -> PaneArea | None:
        """The pane area (log and shell tabs), once mounted after the first frame."""
        return self.pane_layout.area

    async def mount_panes(self) -> None:
        await self.pane_layout.mount()
        freeze_startup()  # the dashboard is up: what was built for it stays

    def reveal_panes(self) -> None:
        self.pane_layout.reveal()

    def on_resize(self) -> None:
        self.pane_layout.resized()

    def size_list(self) -> None:
        self.pane_layout.size_list()

    @property
    def main_log_pane(self) -> LogPane | None:
        return self.logs.main

    def action_logs(self) -> None:
        """Show the log pane and give it the keys."""
        self.logs.focus()

    async def action_split_logs(self) -> None:
        await self.logs.split()

    async def action_merge_logs(self) -> None:
        await self.logs.merge()

    def action_toggle_layout(self) -> None:
        """Panes beside the list ⇄ below it; the log split turns the other way."""
        self.pane_layout.toggle()

    async def action_close_tab(self) -> None:
        """Close the shell tab shown, or the second log pane."""
        panes = self.panes
        reason = self.why_not(CLOSE_TAB)
        if panes is None or reason:
            notify(self, reason or "Nothing to close", timeout=4)
            return
        focused = self.focused
        if panes.active != LOGS_TAB:
            await self.shells.close(panes.active)
        else:
            await self.logs.close_second()
        if focused is not None and not focused.is_attached:
            self.focus_list()  # the keys were in what just closed: back to the list, not wherever Textual lands
        self.bindings_changed()

    def action_zoom(self) -> None:
        """Cycle: list and panes → panes only → list only."""
        if self.pane_layout.zoom():
            self.focus_list()

    def on_log_pane_unpinned(self, message: LogPane.Unpinned) -> None:
        self.logs.unpinned()

    def on_log_pane_leave(self, message: LogPane.Leave) -> None:
        self.focus_list()

    def on_log_pane_save_requested(self, message: LogPane.SaveRequested) -> None:
        from tui.screens.save_log import SaveLogScreen

        self.app.push_screen(SaveLogScreen(message.request))

    @property
    def shell_tabs(self) -> dict[str, ShellPane]:
        """Open shells: tab id -> pane, in the order they were opened."""
        return self.shells.tabs

    def action_shell(self) -> None:
        """A shell in the container under the cursor, in a new tab."""
        summary = self.cursor_summary
        if summary is not None and self.check_action(SHELL, ()):
            self.shells.open(summary)

    def action_shell_options(self) -> None:
        """Ask for user, directory, environment and command, then open the shell."""
        summary = self.cursor_summary
        if summary is not None and self.check_action(SHELL_OPTIONS, ()):
            self.shells.open_with_options(summary)

    def on_terminal_view_leave(self, message: TerminalView.Leave) -> None:
        self.shells.view_left(message)

    def on_terminal_view_exited(self, message: TerminalView.Exited) -> None:
        self.shells.view_exited(message)

    def on_terminal_view_reopen(self, message: TerminalView.Reopen) -> None:
        self.shells.reopen_asked(message)

    def on_tabbed_content_tab_activated(self, message: TabbedContent.TabActivated) -> None:
        self.shells.tab_activated(getattr(message.pane, "id", None))

    # -- feeding the list -------------------------------------------------------------------

    def attach_engine(self, engine: Engine) -> None:
        """Start following `engine` (actions and stats need it)."""
        self.engine = engine
        if isinstance(engine, Fleet):
            self.fleet_view.attach(engine)
        self.engine_label = self.fleet_view.label() if self.fleet_view.active else (engine.name, engine.url)
        self.query_one(ContainerTable).engine_host = engine.host
        self._update_title()
        self._last_binding_state = None
        self._refresh_bindings_if_changed()
        self.engine_feed.attach(engine)
        self.logs.engine_attached(engine)
        deferred, self._deferred = self._deferred, []
        for run in deferred:
            run()

    def on_containers_listed(self, message: ContainersListed) -> None:
        self.book.listed(message)

    def show_first_list(self, summaries: list[ContainerSummary], engine: str) -> None:
        """Another engine's quick first list, drawn now (no debounce: it is part of the first screen)."""
        self.on_containers_listed(ContainersListed(summaries, engine))
        self._apply_rows()

    def on_container_updated(self, message: ContainerUpdated) -> None:
        self.book.updated(message)

    def on_container_gone(self, message: ContainerGone) -> None:
        self.book.gone(message)

    @on(ContainerHappened)
    @on(HistoryRead)
    def _timeline_grew(self, message: ContainerHappened | HistoryRead) -> None:
        if self.timeline.took(message):
            self.schedule_rows()

    @property
    def feed(self) -> LiveFeed | None:
        return self.engine_feed.live

    def visible_keys(self) -> list[str]:
        return self.query_one(ContainerTable).visible_keys()

    def show_banner(self) -> None:
        banner = self.query_one("#banner", Static)
        text = banner_text(connected=self.connected, lost_reason=self.lost_reason,
                           not_answering=self.engine_feed.not_answering)
        if text == self._banner:
            return  # an update lays the whole screen out again, and the periodic re-list asks every 20 s
        self._banner = text
        banner.set_class(bool(text), "visible")
        banner.update(safe_text(text))

    def on_engine_status(self, message: EngineStatus) -> None:
        if message.engine is not None:
            self.fleet_view.engine_status(message)
            return
        self.connected = message.connected
        self.lost_reason = message.reason or ""
        self.show_banner()
        if message.connected:
            notify(self, "Reconnected to the engine", timeout=3)
        self.logs.engine_status(message.connected)
        self.shells.engine_status(message.connected, message.reason)

    def schedule_rows(self) -> None:
        # Many messages in a burst become one table update.
        if not self._rows_scheduled:
            self._rows_scheduled = True
            self.set_timer(0.03, self._apply_rows)

    def _apply_rows(self) -> None:
        self._rows_scheduled = False
        tables = self.query(ContainerTable)
        if not tables:
            return  # the app is closing: the screen's widgets went before this timer fired
        rows = build_rows(
            list(self.summaries.values()), filter=self.filter, show_stopped=self.show_stopped, sort=self.sort,
            reverse=self.reverse, collapsed=frozenset(self.collapsed), stats=self.stats,
            engines=self.fleet_view.group_order(), per_engine=self.fleet_view.per_engine,
        )
        tables.first().show_rows(rows, stats=self.stats, busy=self.busy, selected=self.selected,
                                 down=self.fleet_view.down, marks=self.timeline.marks())
        self.size_list()
        self.logs.rows_shown(self.call_after_refresh)
        self._update_title()
        self._refresh_bindings_if_changed()

    def _binding_state(self) -> tuple:
        # What the footer shows: which keys are enabled. Moving between rows
        # where the same keys apply changes nothing and costs nothing.
        return tuple(self.check_action(action, ()) for action in _CHECKED)

    def _refresh_bindings_if_changed(self) -> None:
        # refresh_bindings makes the Footer recompose (a full layout pass):
        # only pay for it when what check_action looks at has changed.
        state = self._binding_state()
        if state != self._last_binding_state:
            self._last_binding_state = state
            self.refresh_bindings()

    # -- stats ---------------------------------------------------------------------------------

    def on_stats_arrived(self, message: StatsArrived) -> None:
        for container_id, sample in message.samples.items():
            if container_id in self.summaries:
                self.stats.setdefault(container_id, StatsHistory()).samples.append(sample)
            else:
                self.engine_feed.forget([container_id])  # removed while its sample was on the way
        self.engine_feed.watch.arrived()
        self.schedule_rows()

    # -- targets and action availability ---------------------------------------------------------

    @property
    def cursor_key(self) -> str | None:
        return self.query_one(ContainerTable).cursor_key

    @property
    def cursor_summary(self) -> ContainerSummary | None:
        key = self.cursor_key
        return self.summaries.get(key) if key else None

    def summary(self, container_id: str) -> ContainerSummary | None:
        return self.summaries.get(container_id)

    def selection(self) -> list[ContainerSummary]:
        """The selected containers, by name."""
        return sorted((self.summaries[k] for k in self.selected if k in self.summaries), key=lambda s: s.name)

    def project_under_cursor(self) -> list[ContainerSummary]:
        """The containers of the compose project whose header is under the cursor (folded or filtered too)."""
        table = self.query_one(ContainerTable)
        row = table.rows_by_key.get(table.cursor_key or "")
        if isinstance(row, GroupRow) and not row.is_engine:  # a whole engine is too much for one key
            return sorted((s for s in self.summaries.values() if row.holds(s)), key=lambda s: s.name)
        return []

    def busy_with(self, container_id: str) -> str | None:
        return self.busy.get(container_id)

    def mark_busy(self, container_id: str, label: str | None) -> None:
        if label is None:
            self.busy.pop(container_id, None)
        else:
            self.busy[container_id] = label
        self.schedule_rows()

    def defer(self, run) -> None:
        """Run `run` once the engine is attached: a key pressed while connecting is not lost."""
        self._deferred.append(run)

    def bindings_changed(self) -> None:
        self._last_binding_state = None
        self._refresh_bindings_if_changed()

    def focus_list(self) -> None:
        focus_now(self.query_one(ContainerTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return availability.check(self, action)

    def why_not(self, action: str) -> str | None:
        """Why `action` cannot run now (a toast's text), or None if it can."""
        return availability.why_not(self, action)

    def list_has_focus(self) -> bool:
        focused = self.focused
        return focused is not None and (isinstance(focused, (ContainerTable, FilterBox)))

    def action_explain(self, action: str) -> None:
        """A key whose action did not run: say why (the list has no focus, or it cannot act now)."""
        availability.explain(self, action)

    @on(DataTable.RowHighlighted)
    def _cursor_moved(self) -> None:
        self._refresh_bindings_if_changed()
        self.logs.follow_cursor()

    # -- actions ---------------------------------------------------------------------------------

    def on_action_finished(self, message: ActionFinished) -> None:
        for container_id in message.container_ids:
            self.busy.pop(container_id, None)
        for container_id, error in message.errors.items():
            name = self.summaries[container_id].name if container_id in self.summaries else container_id[:12]
            notify(self, str(error), title=f"{BY_ID[message.action].toast_title} {name} failed", severity="error",
                        timeout=10)
        if message.action == REMOVE:
            self.selected -= set(message.container_ids)
        self.schedule_rows()

    def action_start(self) -> None:
        self.actions.run(START)

    def action_stop(self) -> None:
        self.actions.run(STOP)

    def action_restart(self) -> None:
        self.actions.run(RESTART)

    def action_pause(self) -> None:
        self.actions.run(PAUSE)

    def action_kill(self) -> None:
        self.actions.run(KILL)

    def action_remove(self) -> None:
        self.actions.remove()

    def action_select(self) -> None:
        self.selecting.toggle_row()

    def action_select_all(self) -> None:
        self.selecting.select_all()

    def action_invert_selection(self) -> None:
        self.selecting.invert()

    def action_remove_exited(self) -> None:
        self.actions.remove_these(self.selecting.exited())

    def group_members(self) -> list[ContainerSummary]:
        return self.selecting.group_members()

    def cursor_row(self) -> GroupRow | ContainerRow | None:
        table = self.query_one(ContainerTable)
        return table.rows_by_key.get(table.cursor_key or "")

    def action_prune(self) -> None:
        self.housekeeping.prune(self.why_not(PRUNE))

    def action_disk_usage(self) -> None:
        self.housekeeping.disk_usage(self.why_not(DISK_USAGE))

    def action_toggle_group(self) -> None:
        if isinstance(row := self.cursor_row(), GroupRow):
            self.collapsed ^= {row.key if row.engine else row.project}
            self.schedule_rows()

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        # Enter on a compose project header folds it; on a container it opens its logs.
        if event.row_key.value and event.row_key.value.startswith("group:"):
            self.action_toggle_group()
        else:
            self.action_logs()

    def action_toggle_stopped(self) -> None:
        self.show_stopped = not self.show_stopped
        self.schedule_rows()

    def action_sort(self) -> None:
        columns = list(Column)
        self.sort = columns[(columns.index(self.sort) + 1) % len(columns)]
        notify(self, f"Sorted by {self.sort.value}", timeout=2)
        self.schedule_rows()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.schedule_rows()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in Column._value2member_map_:
            column = Column(key)
            self.reverse = (not self.reverse) if column is self.sort else False
            self.sort = column
            self.schedule_rows()

    def action_filter(self) -> None:
        # Mounted on first use: one widget less to lay out before the first screen.
        boxes = self.query("#filter")
        if boxes:
            box = boxes.first(Input)
        else:
            box = FilterBox(placeholder="filter: name, image, state, key=value label", id="filter")
            self.mount(box, before=self.query_one(ContainerTable))
        box.add_class("visible")
        focus_now(box)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter = Filter(event.value)
        self.schedule_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        focus_now(self.query_one(ContainerTable))

    def action_clear_filter(self) -> None:
        for box in self.query("#filter").results(Input):
            box.value = ""
            box.remove_class("visible")
        self.filter = Filter()
        focus_now(self.query_one(ContainerTable))
        self.schedule_rows()

    def action_inspect(self) -> None:
        summary = self.cursor_summary
        if summary is not None and self.engine is None:
            self.defer(self.action_inspect)
        elif summary is not None:
            self.actions.inspect(summary)

    def action_processes(self) -> None:
        self.inside.open(PROCESSES, lambda name: availability.read_only_for(self, name))

    def action_files(self) -> None:
        self.inside.open(FILES, lambda name: availability.read_only_for(self, name))

    def action_timeline(self) -> None:
        self.timeline.open()

    def action_graphs(self) -> None:
        self.inside.open(GRAPHS, lambda name: availability.read_only_for(self, name))
    def action_engines(self) -> None:
        self.fleet_view.open_picker()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(resolve(self.settings.keys), read_only=self.settings.read_only))

    def action_copy_id(self) -> None:
        self.actions.copy_ids(NO_CURSOR)

    def action_quit(self) -> None:
        """Quit; with shells open, ask first (quitting ends them)."""
        self.shells.quit()
