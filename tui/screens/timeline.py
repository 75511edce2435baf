"""The timeline screen: what happened to one container, or to the whole engine, newest first.

It shows the dashboard's `TimelineStore` as it grows (redrawn when its version
moves); `/` filters, `a` switches between the container and the whole engine.
Names, commands and health output are the containers' own text: shown through
`visible`, never as markup.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from tui.engine import ContainerSummary
from tui.keys.registry import Scope
from tui.notice import notify
from tui.timeline import TimelineEntry, TimelineStore, What
from tui.untrusted import one_line, safe_text, visible
from tui.widgets.footer import LeanFooter
from tui.widgets.key_bindings import scope_bindings
from tui.widgets.sized_table import fill_table
from tui.widgets.typeahead import focus_now

#: Seconds between two looks at the store while the screen is shown (a redraw only when it changed).
POLL_SECONDS = 0.5
#: Rows drawn at most: the newest ones (the store keeps more, the filter reaches all of them).
SHOWN = 1000

_STYLES = {What.DIED: "red", What.OOM: "bold red", What.KILLED: "red", What.UNHEALTHY: "bold red",
           What.HEALTHY: "green", What.STARTED: "green", What.RESTARTED: "yellow", What.PAUSED: "blue",
           What.UNPAUSED: "blue", What.DESTROYED: "dim", What.CREATED: "dim", What.STOPPED: "yellow"}


def when(moment: datetime, today: datetime) -> str:
    local = moment.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%m-%d %H:%M:%S")


class TimelineScreen(Screen[None]):
    CSS_PATH = "inside.tcss"
    BINDINGS: ClassVar[list[Binding]] = scope_bindings(Scope.TIMELINE)

    def __init__(self, store: TimelineStore, container: ContainerSummary | None, *,
                 several_engines: bool = False) -> None:
        super().__init__()
        self.store = store
        self.container = container
        self.engine_wide = container is None
        self.several_engines = several_engines
        self.query_text = ""
        self._drawn: tuple | None = None
        self.shown: list[TimelineEntry] = []  # what the table holds (tests read it)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="inside-status")
        yield Input(placeholder="filter: container, what happened, exit code, output (escape: done)",
                    id="timeline-filter")
        yield DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield LeanFooter()

    def on_mount(self) -> None:
        focus_now(self.query_one(DataTable))
        self._redraw()
        self.set_interval(POLL_SECONDS, self._redraw)

    # -- drawing ------------------------------------------------------------------------

    def _redraw(self) -> None:
        state = (self.store.version, self.engine_wide, self.query_text)
        if state == self._drawn:
            return
        self._drawn = state
        key = None if self.engine_wide else self.container.id
        entries = self.store.entries(key, self.query_text)
        kept = self.cursor_entry() if self.is_mounted else None  # stays under the cursor as newer ones arrive
        self.shown = entries[:SHOWN]
        self.title = ("Timeline: the whole engine" if self.engine_wide
                      else f"Timeline: {visible(self.container.name)}")
        columns = [("time", "TIME")]
        if self.engine_wide:
            columns.append(("container", "CONTAINER"))
        if self.several_engines:
            columns.append(("engine", "ENGINE"))
        columns += [("what", "WHAT"), ("detail", "DETAIL")]
        today = datetime.now().astimezone()
        rows = []
        for i, entry in enumerate(self.shown):
            cells = [Text(when(entry.time, today), "dim" if entry.replayed else "")]
            if self.engine_wide:
                cells.append(safe_text(one_line(entry.name, 40)))
            if self.several_engines:
                cells.append(safe_text(entry.engine, "dim"))
            cells.append(Text(entry.words(), _STYLES.get(entry.what, "")))
            cells.append(safe_text(one_line(entry.detail, 300), "dim"))
            rows.append((str(i), cells))
        table = self.query_one(DataTable)
        # Columns too, sized from what they hold now: a cleared table keeps the widths of its first rows.
        fill_table(table, columns, rows)
        if kept is not None:
            row = next((i for i, entry in enumerate(self.shown) if entry is kept), None)
            if row:
                table.move_cursor(row=row, animate=False)
        self.query_one("#inside-status", Static).update(self._status(len(entries)))

    def cursor_entry(self) -> TimelineEntry | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        return self.shown[row] if table.row_count and 0 <= row < len(self.shown) else None

    def _status(self, matching: int) -> Text:
        scope = "the whole engine" if self.engine_wide else visible(self.container.name)
        text = Text(f"{matching} entr{'y' if matching == 1 else 'ies'} · {scope} · newest first")
        if matching > SHOWN:
            text.append(f" · the newest {SHOWN} shown")
        if self.query_text:
            text.append(f" · filter {visible(repr(self.query_text))}", "bold")
        if not matching and not self.query_text:
            text.append(" · nothing happened yet since bosun started (nor in what the engine still held)", "dim")
        if self.container is not None:
            text.append(" · a: " + ("this container" if self.engine_wide else "the whole engine"), "dim")
        return text

    # -- keys ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._redraw()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._leave_filter()

    def _leave_filter(self) -> None:
        box = self.query_one("#timeline-filter", Input)
        if not box.value:
            box.remove_class("visible")
        focus_now(self.query_one(DataTable))

    def action_close(self) -> None:
        box = self.query_one("#timeline-filter", Input)
        if box.has_focus:
            self._leave_filter()
            return
        if box.value:  # a second escape: the filter goes, then the screen
            box.value = ""
            box.remove_class("visible")
            return
        self.dismiss(None)

    def action_filter(self) -> None:
        box = self.query_one("#timeline-filter", Input)
        box.add_class("visible")
        focus_now(box)

    def action_toggle_scope(self) -> None:
        if self.container is None:
            notify(self, "No container was under the cursor: this is the whole engine's timeline", timeout=3)
            return
        self.engine_wide = not self.engine_wide
        self._redraw()
