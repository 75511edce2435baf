"""The container list: a DataTable keyed by container id, updated by diff.

Rows are rebuilt only when the set or order of keys changes; otherwise only
the cells whose text changed are updated, inside one `batch_update`, so a
busy engine does not make the whole table repaint per event. The cursor
follows the container, not the row number.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tui.model import (
    Column,
    GroupRow,
    Row,
    StatsHistory,
    describe_state,
    human_bytes,
    sparkline,
    uptime,
)
from tui.untrusted import safe_text

# (label, key, width); widths None size to content.
ALL_COLUMNS: dict[str, tuple[str, int | None]] = {
    "mark": ("", 1),
    Column.NAME: ("NAME", None),
    Column.IMAGE: ("IMAGE", None),
    Column.STATE: ("STATE", 15),
    Column.UPTIME: ("UPTIME", None),
    Column.PORTS: ("PORTS", None),
    Column.CPU: ("CPU", 15),
    Column.MEMORY: ("MEM", 7),
    "service": ("SERVICE", None),
}
# What fits, from a narrow terminal (80 columns) to a wide one.
TIERS: list[tuple[int, list[str]]] = [
    (140, ["mark", Column.NAME, Column.IMAGE, Column.STATE, Column.UPTIME, Column.PORTS, Column.CPU, Column.MEMORY,
           "service"]),
    (110, ["mark", Column.NAME, Column.IMAGE, Column.STATE, Column.UPTIME, Column.PORTS, Column.CPU, Column.MEMORY]),
    (0, ["mark", Column.NAME, Column.STATE, Column.UPTIME, Column.CPU, Column.MEMORY]),
]


def utc_now() -> datetime:
    """The clock ages are counted against (snapshot tests fix it)."""
    return datetime.now(timezone.utc)


def columns_for_width(width: int) -> list[str]:
    return next(columns for minimum, columns in TIERS if width >= minimum)


STATE_STYLES = {
    "running": "green",
    "healthy": "bold green",
    "starting": "yellow",
    "unhealthy": "bold red",
    "paused": "blue",
    "restarting": "magenta",
    "exited": "dim",
    "failed": "red",
}


class ContainerTable(DataTable):
    """Rows of containers (and compose project group headers)."""

    DEFAULT_CSS = """
    ContainerTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._order: list[str] = []
        self._cells: dict[str, tuple] = {}
        self.rows_by_key: dict[str, Row] = {}
        self.engine_host = "localhost"
        self.columns_shown: list[str] = []
        self._last: tuple | None = None
        self._generation = 0
        self._pending_rows = False

    @property
    def _first_rows(self) -> int:
        return max(self.app.size.height, 24) + 10

    def _fill_first(self, rows: list[Row], keys: list[str], stats, busy, selected, now) -> None:
        head = rows[: self._first_rows]
        cells = {row.key: self._cells_for(row, stats, busy, selected, now) for row in head}
        self._generation += 1
        with self.app.batch_update():
            self.clear()
            for row in head:
                self.add_row(*cells[row.key], key=row.key)
        self._order = keys
        self._cells = cells
        self._pending_rows = True
        # A short timer rather than call_after_refresh: the first frame must
        # reach the terminal (a writer thread) before this holds the GIL.
        self.set_timer(0.05, partial(self._add_remaining, self._generation, rows[len(head) :], (stats, busy, selected, now)))

    def _add_remaining(self, generation: int, rows: list[Row], context: tuple) -> None:
        if generation != self._generation:
            return  # a newer update rebuilt the table already
        cells = {row.key: self._cells_for(row, *context) for row in rows}
        with self.app.batch_update():
            for row in rows:
                self.add_row(*cells[row.key], key=row.key)
        self._cells.update(cells)
        self._pending_rows = False

    def on_resize(self) -> None:
        wanted = columns_for_width(self.size.width)
        if wanted == self.columns_shown:
            return
        # A different set of columns: rebuild the table, then refill it.
        self.clear(columns=True)
        for key in wanted:
            label, width = ALL_COLUMNS[key]
            self.add_column(label, key=str(key), width=width)
        self.columns_shown = wanted
        self._order, self._cells = [], {}
        if self._last is not None:
            self.show_rows(*self._last[:1], **self._last[1])

    @property
    def cursor_key(self) -> str | None:
        if not self._order or not (0 <= self.cursor_row < len(self._order)):
            return None
        return self._order[self.cursor_row]

    def visible_keys(self) -> list[str]:
        """Keys of the rows currently on screen (stats are collected only for these)."""
        top = int(self.scroll_offset.y)
        return self._order[top : top + max(self.size.height, 1)]

    def _cells_for(self, row: Row, stats: dict[str, StatsHistory], busy: dict[str, str], selected: set[str], now) -> tuple:
        if isinstance(row, GroupRow):
            arrow = "▸" if row.collapsed else "▾"
            title = Text.assemble((f"{arrow} ", "bold"), safe_text(row.project, "bold"))
            counts = Text(f"{row.running}/{row.count} running", "dim")
            return self._pick({Column.NAME: title, Column.IMAGE: counts} if Column.IMAGE in self.columns_shown
                              else {Column.NAME: title, Column.STATE: counts})
        s = row.summary
        mark = Text("✔", "bold") if s.id in selected else Text(" ")
        name_style = "dim" if not s.is_running and s.state.value != "paused" else ""
        indent = "  " if s.compose_project else ""
        name = Text.assemble(indent, safe_text(s.name, name_style))
        if s.id in busy:
            state = Text(busy[s.id], "italic yellow")
        else:
            words, kind = describe_state(s, now)
            state = Text(words, STATE_STYLES.get(kind, ""))
        ports = Text()
        for port in s.ports:
            url = port.url(self.engine_host)
            if url:
                if ports:
                    ports.append(" ")
                ports.append(url.removeprefix("http://"), Style(link=url, underline=True))
        history = stats.get(s.id)
        last = history.last if history else None
        if last is not None and s.is_running:
            spark = sparkline(history.cpu_series()) if "service" in self.columns_shown else ""
            cpu = Text.assemble(f"{last.cpu_percent or 0:5.1f}% ", (spark, "cyan"))
            memory = Text(human_bytes(last.memory_used))
        else:
            cpu, memory = Text(""), Text("")
        return self._pick({
            "mark": mark, Column.NAME: name, Column.IMAGE: safe_text(s.image, name_style), Column.STATE: state,
            Column.UPTIME: Text(uptime(s, now), "dim"), Column.PORTS: ports, Column.CPU: cpu, Column.MEMORY: memory,
            "service": safe_text(s.compose_service or "", "dim"),
        })

    def _pick(self, cells: dict) -> tuple:
        return tuple(cells.get(key, Text("")) for key in self.columns_shown)

    def _update_rows(self, changed: dict[str, tuple]) -> None:
        """Put new cell values in place and repaint only what changed.

        DataTable.update_cell bumps a counter that is part of every render
        cache key, so a single changed CPU figure re-renders every cell of
        the table (most of idle CPU with stats on). Here only the changed
        cells leave the caches and only their rows are repainted. This leans
        on DataTable internals; Textual is pinned exactly, and
        tests/ui/test_container_table.py notices if they change.
        """
        columns = [ColumnKey(str(key)) for key in self.columns_shown]
        rows: set[RowKey] = set()
        cells: set[tuple[RowKey, ColumnKey]] = set()
        for key, values in changed.items():
            row_key = RowKey(key)
            if row_key not in self._data:
                continue
            old = self._cells.get(key) or (None,) * len(values)
            for column, before, after in zip(columns, old, values):
                if before != after:
                    self._data[row_key][column] = after
                    cells.add((row_key, column))
            rows.add(row_key)
        for cache_key in [k for k in self._cell_render_cache.keys() if (k[0], k[1]) in cells]:
            self._cell_render_cache.discard(cache_key)
        for cache_key in [k for k in self._row_render_cache.keys() if k[0] in rows]:
            self._row_render_cache.discard(cache_key)
        indexes = {self._row_locations.get(row_key) for row_key in rows}
        for cache_key in [k for k in self._row_renderable_cache.keys() if k[1] in indexes]:
            self._row_renderable_cache.discard(cache_key)
        self._line_cache.clear()  # cheap to refill from the row cache
        for index in indexes:
            self.refresh_row(index)

    def show_rows(
        self,
        rows: list[Row],
        *,
        stats: dict[str, StatsHistory],
        busy: dict[str, str],
        selected: set[str],
    ) -> None:
        self._last = (rows, {"stats": stats, "busy": busy, "selected": selected})
        if not self.columns_shown:
            return  # not laid out yet; on_resize will fill the table
        now = utc_now()
        keys = [row.key for row in rows]
        self.rows_by_key = {row.key: row for row in rows}
        if not self._order and len(rows) > self._first_rows:
            # First fill of a long list: only a screenful of cells before the
            # first paint; the rest are built with their rows right after it.
            self._fill_first(rows, keys, stats, busy, selected, now)
            return
        cells = {row.key: self._cells_for(row, stats, busy, selected, now) for row in rows}
        if keys != self._order or self._pending_rows:
            keep = self.cursor_key
            self._generation += 1
            self._pending_rows = False
            with self.app.batch_update():
                self.clear()
                for key in keys:
                    self.add_row(*cells[key], key=key)
            self._order = keys
            if keep in cells:
                self.move_cursor(row=keys.index(keep), animate=False, scroll=False)
        else:
            changed = {key: cells[key] for key in keys if self._cells.get(key) != cells[key]}
            if changed:
                self._update_rows(changed)
        self._cells = cells
