"""The dashboard: the live container list, its keys, and what they do."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tui.widgets.footer import LeanFooter
from tui.actions import ACTIONS, run_action
from tui.engine import ContainerSummary, Engine, EngineError
from tui.keymap import DASHBOARD_ACTIONS, resolve_keys
from tui.live import LiveFeed
from tui.messages import ActionFinished, ContainerGone, ContainersListed, ContainerUpdated, EngineStatus, StatsArrived
from tui.model import Column, Filter, GroupRow, StatsHistory, build_rows
from tui.screens.dashboard_logs import LogPanesMixin
from tui.screens.dashboard_shells import ShellsMixin
from tui.widgets.container_table import ContainerTable

_STATS_CONCURRENCY = 8
SHELL_ACTIONS = frozenset({"shell", "shell_options"})
LOG_ACTIONS = frozenset({"logs", "split_logs", "merge_logs", "toggle_layout", "close_tab", "zoom"})
PANE_ACTIONS = (*sorted(SHELL_ACTIONS), *sorted(LOG_ACTIONS))
HIDDEN_IN_FOOTER = frozenset({"select", "sort", "shell_options", "split_logs", "merge_logs", "toggle_layout",
                              "close_tab", "zoom", "toggle_stopped"})


@dataclass
class DashboardOptions:
    read_only: bool = False
    stop_grace: int = 10
    show_stopped: bool = True
    stats: bool = True
    stats_interval: float = 5.0
    reconcile_interval: float = 20.0
    labels: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    log_lines: int = 50_000
    log_tail: int | None = 1000  # None: all
    log_layout: str = "auto"  # beside, below, or auto (beside when the screen is wide)
    log_pane: bool = True  # show the pane on start
    shell: str = ""  # command for shells; empty: detect
    exec_via_cli: bool = False  # run `docker/podman exec -it` in a local pty instead of the API


class DashboardScreen(LogPanesMixin, ShellsMixin, Screen):
    CSS_PATH = "dashboard.tcss"
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("O", "reverse_sort", "Reverse sort", show=False),
    ]

    def __init__(
        self,
        engine: Engine | None,
        options: DashboardOptions | None = None,
        *,
        initial: list[ContainerSummary] | None = None,
        engine_label: tuple[str, str] | None = None,
    ) -> None:
        """`engine` may come later (`attach_engine`): the first screen can be drawn
        from a quick `initial` list while the full client loads."""
        super().__init__()
        self.engine = engine
        self.options = options or DashboardOptions()
        self.engine_label = engine_label or ((engine.name, engine.url) if engine else ("", ""))
        self.initial = initial
        self.summaries: dict[str, ContainerSummary] = {}
        self.stats: dict[str, StatsHistory] = {}
        self.busy: dict[str, str] = {}
        self.selected: set[str] = set()
        self.collapsed: set[str] = set()
        self.filter = Filter()
        self.show_stopped = self.options.show_stopped
        self.sort = Column.NAME
        self.reverse = False
        self.connected = True
        self.listed = False
        self._rows_scheduled = False
        self._last_binding_state: tuple | None = None
        self._deferred: list = []  # actions asked for before the engine was attached
        self.feed = LiveFeed(engine, self.post_message, labels=self.options.labels) if engine else None
        for action, keys in resolve_keys(self.options.keys).items():
            description = DASHBOARD_ACTIONS[action][1]
            show = action not in HIDDEN_IN_FOOTER
            self._bindings.bind(keys, action, description, show=show)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="titlebar"):
            yield Static(id="title")
            yield Static(id="badges")
        yield Static(id="banner")
        with Container(id="body"):
            yield ContainerTable(id="containers")
        yield LeanFooter()

    def on_mount(self) -> None:
        table = self.query_one(ContainerTable)
        table.focus()
        if self.initial is not None:
            self.summaries = {s.id: s for s in self.initial}
            self.listed = True
            self._apply_rows()  # no debounce: this is the first screen
        self._update_title()
        if self.engine is not None:
            self.attach_engine(self.engine)
        self.set_interval(self.options.reconcile_interval, self.reconcile)
        self.set_interval(15, self._schedule_rows)  # uptimes age
        if self.options.stats:
            self.set_interval(self.options.stats_interval, self.collect_stats)
        # The panes come after the first frame: the list is what the user waits for.
        self.call_after_refresh(self.mount_panes)

    def _update_title(self) -> None:
        total = len(self.summaries)
        running = sum(s.is_running for s in self.summaries.values())
        name, url = self.engine_label
        title = Text.assemble(("bosun", "bold"), "  ", (name, "bold"), (f"  {url}", "dim"))
        if self.listed:
            title.append(f"   {running} running / {total}", "dim")
        self._set_static("#title", title)
        badges = Text()
        if self.options.labels:
            scope = ",".join(f"{k}={v}" if v else k for k, v in self.options.labels.items())
            badges.append(f" scope: {scope} ", "reverse")
            badges.append(" ")
        if self.options.read_only:
            badges.append(" READ-ONLY ", "bold reverse")
        if not self.show_stopped:
            badges.append(" stopped hidden ", "dim reverse")
        self._set_static("#badges", badges)

    def _set_static(self, selector: str, text: Text) -> None:
        # Static.update forces a layout pass of the screen: skip it when
        # nothing changed (this runs on every row update).
        widget = self.query_one(selector, Static)
        if getattr(widget, "_bosun_text", None) != text:
            widget._bosun_text = text
            widget.update(text)

    # -- feeding the list -------------------------------------------------------------------

    def attach_engine(self, engine: Engine) -> None:
        """Start following `engine` (actions and stats need it)."""
        self.engine = engine
        self.engine_label = (engine.name, engine.url)
        self.feed = LiveFeed(engine, self.post_message, labels=self.options.labels)
        self.query_one(ContainerTable).engine_host = engine.host
        self._update_title()
        self._last_binding_state = None
        self._refresh_bindings_if_changed()
        self.start_feed()
        self.logs_engine_attached()
        self.shells_engine_attached()
        deferred, self._deferred = self._deferred, []
        for run in deferred:
            run()

    @work(group="feed", exclusive=True, exit_on_error=False)
    async def start_feed(self) -> None:
        try:
            if not self.listed:
                await self.feed.list_all(detailed=False)  # draw something quickly...
            await self.feed.list_all(detailed=True)  # ...then fill in health and times
        except EngineError as exc:
            self.notify(str(exc), title="Cannot list containers", severity="error", timeout=10)
        self.follow()

    @work(group="events", exclusive=True, exit_on_error=False)
    async def follow(self) -> None:
        await asyncio.gather(self.feed.follow_events(), self.feed.refresh_dirty())

    @work(group="reconcile", exclusive=True, exit_on_error=False)
    async def reconcile(self) -> None:
        if self.feed is None:
            return
        try:
            await self.feed.reconcile(dict(self.summaries))
        except EngineError:
            pass  # the event stream reports the outage

    def on_containers_listed(self, message: ContainersListed) -> None:
        self.summaries = {s.id: s for s in message.summaries}
        for gone in set(self.stats) - set(self.summaries):
            del self.stats[gone]
        self.selected &= set(self.summaries)
        self.listed = True
        self._schedule_rows()

    def on_container_updated(self, message: ContainerUpdated) -> None:
        self.summaries[message.summary.id] = message.summary
        self.busy.pop(message.summary.id, None)
        self._schedule_rows()
        self.logs_container_changed(message.summary)
        self.shells_container_changed(message.summary)

    def on_container_gone(self, message: ContainerGone) -> None:
        self.summaries.pop(message.container_id, None)
        self.stats.pop(message.container_id, None)
        self.selected.discard(message.container_id)
        self.busy.pop(message.container_id, None)
        self._schedule_rows()
        self.logs_container_gone(message.container_id)
        self.shells_container_gone(message.container_id)

    def on_engine_status(self, message: EngineStatus) -> None:
        self.connected = message.connected
        banner = self.query_one("#banner", Static)
        banner.set_class(not message.connected, "visible")
        if not message.connected:
            banner.update(Text(f"Lost the engine's event stream ({message.reason}); reconnecting…"))
        else:
            self.notify("Reconnected to the engine", timeout=3)
        self.logs_engine_status(message.connected)
        self.shells_engine_status(message.connected, message.reason)

    def _schedule_rows(self) -> None:
        # Many messages in a burst become one table update.
        if not self._rows_scheduled:
            self._rows_scheduled = True
            self.set_timer(0.03, self._apply_rows)

    def _apply_rows(self) -> None:
        self._rows_scheduled = False
        rows = build_rows(
            list(self.summaries.values()), filter=self.filter, show_stopped=self.show_stopped, sort=self.sort,
            reverse=self.reverse, collapsed=frozenset(self.collapsed), stats=self.stats,
        )
        self.query_one(ContainerTable).show_rows(rows, stats=self.stats, busy=self.busy, selected=self.selected)
        self._update_title()
        self._refresh_bindings_if_changed()

    def _binding_state(self) -> tuple:
        # What the footer shows: which keys are enabled. Moving between rows
        # where the same keys apply changes nothing and costs nothing.
        return tuple(self.check_action(action, ()) for action in (*ACTIONS, "inspect", *PANE_ACTIONS))

    def _refresh_bindings_if_changed(self) -> None:
        # refresh_bindings makes the Footer recompose (a full layout pass):
        # only pay for it when what check_action looks at has changed.
        state = self._binding_state()
        if state != self._last_binding_state:
            self._last_binding_state = state
            self.refresh_bindings()

    # -- stats ---------------------------------------------------------------------------------

    @work(group="stats", exclusive=True, exit_on_error=False)
    async def collect_stats(self) -> None:
        if not self.is_current or self.engine is None:
            return  # a screen on top hides the list: no work for what nobody sees
        table = self.query_one(ContainerTable)
        wanted = [k for k in table.visible_keys() if k in self.summaries and self.summaries[k].is_running]
        gate = asyncio.Semaphore(_STATS_CONCURRENCY)
        samples = {}

        async def one(container_id: str) -> None:
            async with gate:
                try:
                    samples[container_id] = await self.engine.stats_once(container_id)
                except EngineError:
                    pass

        await asyncio.gather(*(one(k) for k in wanted))
        if samples:
            self.post_message(StatsArrived(samples))

    def on_stats_arrived(self, message: StatsArrived) -> None:
        for container_id, sample in message.samples.items():
            if container_id in self.summaries:
                self.stats.setdefault(container_id, StatsHistory()).samples.append(sample)
        self._schedule_rows()

    # -- targets and action availability ---------------------------------------------------------

    @property
    def cursor_summary(self) -> ContainerSummary | None:
        key = self.query_one(ContainerTable).cursor_key
        return self.summaries.get(key) if key else None

    def targets(self, action: str) -> list[ContainerSummary]:
        """The selected containers (or the one under the cursor) the action applies to."""
        if self.selected:
            chosen = [self.summaries[k] for k in self.selected if k in self.summaries]
        else:
            chosen = [self.cursor_summary] if self.cursor_summary else []
        spec = ACTIONS[action]
        return [s for s in chosen if spec.applies(s) and s.id not in self.busy]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS:
            if self.options.read_only:
                return False  # hidden: nothing that changes anything in read-only mode
            return True if self.targets(action) else None  # None: shown, disabled
        if action == "inspect":
            return True if self.cursor_summary else None
        if action in SHELL_ACTIONS:
            return self.check_shell_action(action)
        if action in LOG_ACTIONS:
            return self.check_log_action(action)
        return True

    @on(DataTable.RowHighlighted)
    def _cursor_moved(self) -> None:
        self._refresh_bindings_if_changed()
        self.logs_follow_cursor()

    # -- actions ---------------------------------------------------------------------------------

    def _act(self, action: str, **options) -> None:
        targets = self.targets(action)
        if not targets:
            return
        if self.engine is None:
            # Drawn from the quick first list, still connecting: a key pressed
            # now runs as soon as the engine is attached, rather than being lost.
            self._deferred.append(lambda: self._act(action, **options))
            return
        for summary in targets:
            self.busy[summary.id] = ACTIONS[action].busy
        self._schedule_rows()
        self.run_action_worker(action, targets, options)

    @work(group="actions", exit_on_error=False)
    async def run_action_worker(self, action: str, targets: list[ContainerSummary], options: dict) -> None:
        errors = await run_action(self.engine, action, targets, grace=self.options.stop_grace, **options)
        self.post_message(ActionFinished(action, [t.id for t in targets], errors))
        # Read the result back now rather than wait for the event, so the row
        # is true even if the event stream is down.
        for summary in targets:
            if summary.id in errors:
                continue
            try:
                self.post_message(ContainerUpdated(await self.engine.summary(summary.id)))
            except EngineError:
                self.post_message(ContainerGone(summary.id))

    def on_action_finished(self, message: ActionFinished) -> None:
        for container_id, error in message.errors.items():
            self.busy.pop(container_id, None)
            name = self.summaries[container_id].name if container_id in self.summaries else container_id[:12]
            self.notify(Text(str(error)), title=f"{ACTIONS[message.action].label} {name} failed", severity="error",
                        timeout=10, markup=False)
        if message.action == "remove":
            self.selected -= set(message.container_ids)
        self._schedule_rows()

    def action_start(self) -> None:
        self._act("start")

    def action_stop(self) -> None:
        self._act("stop")

    def action_restart(self) -> None:
        self._act("restart")

    def action_pause(self) -> None:
        self._act("pause")

    def action_kill(self) -> None:
        self._act("kill")

    def action_remove(self) -> None:
        from tui.screens.confirm import ConfirmRemoveScreen, RemoveChoice

        targets = self.targets("remove")
        if not targets:
            return

        def decided(choice: RemoveChoice | None) -> None:
            if choice is not None:
                self._act("remove", force=choice.force, volumes=choice.volumes)

        self.app.push_screen(ConfirmRemoveScreen(targets), decided)

    def action_select(self) -> None:
        key = self.query_one(ContainerTable).cursor_key
        if key is None:
            return
        if key.startswith("group:"):
            self.action_toggle_group()
            return
        self.selected ^= {key}
        self._schedule_rows()

    def action_toggle_group(self) -> None:
        table = self.query_one(ContainerTable)
        row = table.rows_by_key.get(table.cursor_key or "")
        if isinstance(row, GroupRow):
            self.collapsed ^= {row.project}
            self._schedule_rows()

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        # Enter on a compose project header folds it; on a container it opens its logs.
        if event.row_key.value and event.row_key.value.startswith("group:"):
            self.action_toggle_group()
        else:
            self.action_logs()

    def action_toggle_stopped(self) -> None:
        self.show_stopped = not self.show_stopped
        self._schedule_rows()

    def action_sort(self) -> None:
        columns = list(Column)
        self.sort = columns[(columns.index(self.sort) + 1) % len(columns)]
        self.notify(f"Sorted by {self.sort.value}", timeout=2)
        self._schedule_rows()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._schedule_rows()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key in Column._value2member_map_:
            column = Column(key)
            self.reverse = (not self.reverse) if column is self.sort else False
            self.sort = column
            self._schedule_rows()

    def action_filter(self) -> None:
        # Mounted on first use: one widget less to lay out before the first screen.
        boxes = self.query("#filter")
        if boxes:
            box = boxes.first(Input)
        else:
            box = Input(placeholder="filter: name, image, state, key=value label", id="filter")
            self.mount(box, before=self.query_one(ContainerTable))
        box.add_class("visible")
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter = Filter(event.value)
        self._schedule_rows()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(ContainerTable).focus()

    def action_clear_filter(self) -> None:
        for box in self.query("#filter").results(Input):
            box.value = ""
            box.remove_class("visible")
        self.filter = Filter()
        self.query_one(ContainerTable).focus()
        self._schedule_rows()

    def action_inspect(self) -> None:
        summary = self.cursor_summary
        if summary is not None and self.engine is None:
            self._deferred.append(self.action_inspect)
        elif summary is not None:
            self.open_inspect(summary)

    @work(group="inspect", exclusive=True, exit_on_error=False)
    async def open_inspect(self, summary: ContainerSummary) -> None:
        from tui.screens.inspect import InspectScreen

        try:
            document = await self.engine.inspect(summary.id)
        except EngineError as exc:
            self.notify(Text(str(exc)), title=f"Inspect {summary.name} failed", severity="error", markup=False)
            return
        await self.app.push_screen(InspectScreen(document, title=summary.name))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(resolve_keys(self.options.keys), read_only=self.options.read_only))

    def action_quit(self) -> None:
        self.app.exit()
