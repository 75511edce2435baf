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
from textual.geometry import Region
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey, RowKey

from tui.dashboard.row_splice import splice_rows
from tui.dashboard.model import (
    Column,
    ContainerRow,
    GroupRow,
    SPARK_SAMPLES,
    Row,
    StatsHistory,
    describe_state,
    human_bytes,
    sparkline,
    uptime,
)
from tui.widgets.key_bindings import scope_bindings
from tui.keys.registry import CLEAR_FILTER, Scope
from tui.untrusted import safe_text
from tui.dashboard.table_layout import (
    ENGINE, ENGINE_SPECS, SERVICE, SPEC_BY_KEY, SPECS, ColumnSpec, fit_columns, keep_room, needed_width,
)


def utc_now() -> datetime:
    """The clock ages are counted against (snapshot tests fix it)."""
    return datetime.now(timezone.utc)


def fit_cell(key: str, text: Text, width: int) -> Text:
    """`text` cut to `width` cells: an ellipsis says something was cut; CPU loses its sparkline whole."""
    if text.cell_len <= width:
        return text
    if key == Column.CPU and " " in text.plain.strip():
        return text[: text.plain.rstrip().rfind(" ")]
    cut = text.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


def port_mapping(port) -> str:
    host = port.host_ip or ""
    host = f"[{host}]" if ":" in host else host
    return f"{host + ':' if host else ''}{port.host_port}->{port.container_port}/{port.protocol}"


_EMPTY = Text("")

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


def marked_state(state: Text, marks) -> Text:
    """The state cell with the timeline's marks: a restart loop (with the last exit code) instead of the
    state, else the state and the strip of the last deaths' exit codes."""
    if marks is None:
        return state
    if marks.loop:  # what it is now matters less than that it keeps dying: the flag takes the cell
        return Text.assemble((f"↻ looping ×{marks.loop}", "bold red"),
                             (f" {marks.deaths[-1]}" if marks.deaths else "", "red"))
    return Text.assemble(state, (" " + "".join(marks.deaths), "red")) if marks.deaths else state


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
        self._order: list[str] = []  # keys of the rows in the table (or about to be, while rows are pending)
        self._all_keys: list[str] = []
        self._full: dict[str, dict[str, Text]] = {}  # every cell of a row, before fitting to its column
        # Per row: what its cells were made from, the cells, their widths, and the cells fitted to the
        # columns. A row whose container, figures, marks and uptime did not change is not made again:
        # with thousands of rows (several engines) a stats round or an uptime tick costs only what changed.
        self._memo: dict[str, tuple] = {}
        self._fitted: dict[str, tuple] = {}
        self._cells: dict[str, tuple] = {}  # what the table holds: cells fitted to the shown columns
        self._widths: dict[str, int] = {}  # shown column → width
        self._natural: dict[str, int] = {}
        self._cursor_memory: tuple | None = None
        self.rows_by_key: dict[str, Row] = {}
        self.engine_host = "localhost"
        self.stats_shown = True  # the dashboard collects CPU and memory figures
        self.engines_shown = False  # several engines in view: an ENGINE column
        self.down_engines: frozenset[str] = frozenset()  # their rows are greyed
        self.marks: dict = {}  # container key → its timeline marks (dashboard.timeline): restart loop, deaths
        self._laid_out = False
        self._last: tuple | None = None
        self._generation = 0
        self._pending_rows = False

    @property
    def columns_shown(self) -> list[str]:
        return list(self._widths)

    @property
    def _specs(self) -> list[ColumnSpec]:
        specs = ENGINE_SPECS if self.engines_shown else SPECS
        if self.stats_shown:
            return specs
        return [spec for spec in specs if spec.key not in (Column.CPU, Column.MEMORY)]  # figures are off

    @property
    def wanted_width(self) -> int:
        """Cells this list needs to show every column whole (the dashboard sizes its side of the screen by it)."""
        return needed_width(self._specs, self._natural) + self.styles.scrollbar_size_vertical

    @property
    def _first_rows(self) -> int:
        return max(self.app.size.height, 24) + 10

    # -- columns ------------------------------------------------------------------------------

    def _room(self) -> int:
        # The scrollbar's room is kept even when there is none, so a list
        # growing past one screen does not reflow every column.
        # Before the first layout the table has no size; it will take the screen's width then (the panes
        # join after the first frame), so the first frame can show rows rather than wait a frame for them.
        width = self.size.width if self._laid_out else self.app.size.width
        return max(width - self.styles.scrollbar_size_vertical, 0)

    def _layout(self) -> str | None:
        """Size the columns to the cells held now; say what changed: "columns" (rebuilt), "widths" or None."""
        natural = dict.fromkeys(SPEC_BY_KEY, 0)
        memo = self._memo
        for row_key, cells in self._full.items():
            hit = memo.get(row_key)
            widths = hit[2] if hit is not None and hit[1] is cells else {k: t.cell_len for k, t in cells.items()}
            for key, width in widths.items():
                if width > natural[key]:
                    natural[key] = width
        running = any(isinstance(row, ContainerRow) and row.summary.is_running for row in self.rows_by_key.values())
        keep_room(natural, running=running, stats=self.stats_shown)
        self._natural = natural
        widths = fit_columns(self._specs, natural, self._room())
        if widths == self._widths:
            return None
        old, self._widths = self._widths, widths
        if list(widths) != list(old):
            self._remember_cursor()
            self.clear(columns=True)
            for key, width in widths.items():
                self.add_column(SPEC_BY_KEY[key].label, key=str(key), width=width)
            self._order, self._cells = [], {}
            return "columns"
        # Same columns, other widths: resize them in place (no row is rebuilt).
        for key, width in widths.items():
            self.columns[ColumnKey(str(key))].width = width
        self._clear_caches()
        self._require_update_dimensions = True
        self.check_idle()
        self.refresh()
        return "widths"

    def _row_cells(self, row: Row, context: tuple) -> dict[str, Text]:
        """`_cells_for`, unless nothing its cells are made from changed since the last time."""
        stats, busy, selected, now = context
        if isinstance(row, ContainerRow):
            s = row.summary
            history = stats.get(s.id)
            stamp = (s, history.last if history else None, busy.get(s.id), s.id in selected,
                     s.engine in self.down_engines, uptime(s, now), self.engine_host, self.engines_shown,
                     self.marks.get(s.id))
        else:
            stamp = (row, row.engine in self.down_engines)
        hit = self._memo.get(row.key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        cells = self._cells_for(row, *context)
        self._memo[row.key] = (stamp, cells, {k: t.cell_len for k, t in cells.items()})
        return cells

    def _fit_row(self, key: str) -> tuple:
        full, widths = self._full[key], self._widths
        hit = self._fitted.get(key)
        if hit is not None and hit[0] is full and hit[1] == widths:
            return hit[2]
        fitted = self._fit(full)
        self._fitted[key] = (full, dict(widths), fitted)
        return fitted

    def _fit(self, cells: dict[str, Text]) -> tuple:
        return tuple(fit_cell(key, cells.get(key, _EMPTY), width) for key, width in self._widths.items())

    # -- the cursor across rebuilds ---------------------------------------------------------

    def _remember_cursor(self) -> None:
        if self._order and self._cursor_memory is None:
            self._cursor_memory = (self.cursor_key, self.cursor_row, list(self._order))

    def _restore_cursor(self, keys: list[str]) -> None:
        """The cursor stays on its container; if that went, on the row that took its place
        (the next one, or the previous one when it was the last)."""
        memory, self._cursor_memory = self._cursor_memory, None
        if memory is None or not keys:
            return
        key, row, order = memory
        index = {k: i for i, k in enumerate(keys)}
        if key in index:
            target = index[key]
        else:
            target = next((index[k] for k in order[row + 1:] if k in index), None)
            if target is None:
                target = next((index[k] for k in reversed(order[:row]) if k in index), min(row, len(keys) - 1))
        stays = target == self.cursor_row
        self.move_cursor(row=target, animate=False, scroll=False)
        if stays and keys[target] != key:
            # Another container took the cursor's row (a filter, a splice): DataTable says nothing
            # when the coordinate stays, yet what follows the cursor (the log pane) must hear of it.
            row_key = self.coordinate_to_cell_key(Coordinate(target, 0)).row_key
            self.post_message(DataTable.RowHighlighted(self, target, row_key))

    # -- rows ------------------------------------------------------------------------------------

    def _scroll_back(self, top: float) -> None:
        self.scroll_to(y=top, animate=False, immediate=True)
        self._scroll_cursor_into_view(animate=False)  # (only scrolls if the cursor is out of view)

    def _fill_first(self, rows: list[Row], keys: list[str], context: tuple) -> None:
        head = rows[: self._first_rows]
        self._full = {row.key: self._row_cells(row, context) for row in head}
        self._layout()
        cells = {row.key: self._fit(self._full[row.key]) for row in head}
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
        self.set_timer(0.05, partial(self._add_remaining, self._generation, rows[len(head) :], context))

    def _add_remaining(self, generation: int, rows: list[Row], context: tuple) -> None:
        if generation != self._generation:
            return  # a newer update rebuilt the table already
        self._full.update({row.key: self._row_cells(row, context) for row in rows})
        changed = self._layout()
        if changed == "columns":
            self._show(self._all_keys)  # every row again, in the new columns
            return
        cells = {row.key: self._fit(self._full[row.key]) for row in rows}
        with self.app.batch_update():
            for row in rows:
                self.add_row(*cells[row.key], key=row.key)
        self._cells.update(cells)
        self._pending_rows = False
        if changed == "widths":
            self._show(self._all_keys)  # the first rows, refitted

    def on_resize(self) -> None:
        self._laid_out = True
        if self._last is not None:
            self.show_rows(*self._last[:1], **self._last[1])
        else:
            self._layout()  # the headers, before any row

    @property
    def cursor_key(self) -> str | None:
        if not self._order or not (0 <= self.cursor_row < len(self._order)):
            return None
        return self._order[self.cursor_row]

    def visible_keys(self) -> list[str]:
        """Keys of the rows currently on screen (stats are collected only for these)."""
        top = int(self.scroll_offset.y)
        return self._order[top : top + max(self.size.height, 1)]

    def _cells_for(self, row: Row, stats: dict[str, StatsHistory], busy: dict[str, str], selected: set[str],
                   now) -> dict[str, Text]:
        if isinstance(row, GroupRow):
            arrow = "▸" if row.collapsed else "▾"
            dim = " dim" if row.engine in self.down_engines else ""
            if row.is_engine:
                title = Text.assemble((f"{arrow} ", "bold"), safe_text(row.engine, "bold reverse" + dim))
            else:
                title = Text.assemble((f"{arrow} ", "bold"), safe_text(row.project, "bold" + dim))
            cells = {Column.NAME: title, Column.STATE: Text(f"{row.running}/{row.count} running", "dim")}
            if row.engine and not row.is_engine and self.engines_shown:
                cells[ENGINE] = safe_text(row.engine, "dim" + dim)  # a project of one engine, in a flat list
            return cells
        s = row.summary
        if self.engines_shown:
            return self._engine_cells(s, stats, busy, selected, now)
        return self._container_cells(s, stats, busy, selected, now)

    def _container_cells(self, s, stats, busy, selected, now) -> dict[str, Text]:
        mark = Text("✔", "bold") if s.id in selected else Text(" ")
        name_style = "dim" if not s.is_running and s.state.value != "paused" else ""
        indent = "  " if s.compose_project else ""
        name = Text.assemble(indent, safe_text(s.name, name_style))
        if s.id in busy:
            state = Text(busy[s.id], "italic yellow")
        else:
            words, kind = describe_state(s, now)
            state = marked_state(Text(words, STATE_STYLES.get(kind, "")), self.marks.get(s.id))
        history = stats.get(s.id)
        last = history.last if history else None
        if last is not None and s.is_running:
            shown = history.cpu_shown()
            cpu = Text.assemble(f"{shown[-1]:5.1f}% ", (sparkline(shown, SPARK_SAMPLES), "cyan"))
            memory = Text(human_bytes(history.memory_shown()))
        else:
            cpu, memory = Text(""), Text("")
        return {
            "mark": mark, Column.NAME: name, Column.IMAGE: safe_text(s.image, name_style), Column.STATE: state,
            Column.UPTIME: safe_text(uptime(s, now), "dim"), Column.PORTS: self._ports(s), Column.CPU: cpu,
            Column.MEMORY: memory, SERVICE: safe_text(s.compose_service or "", "dim"),
        }

    def _engine_cells(self, s, stats, busy, selected, now) -> dict[str, Text]:
        """A row with several engines in view: its engine's name first, and all of it greyed while that is down."""
        cells = self._container_cells(s, stats, busy, selected, now)
        cells[ENGINE] = safe_text(s.engine, "dim")
        if s.engine in self.down_engines:
            for key in (Column.NAME, Column.IMAGE, Column.STATE, Column.PORTS, ENGINE):
                cells[key] = cells[key].copy()
                cells[key].stylize("dim")
        return cells

    def _ports(self, summary) -> Text:
        ports = Text()
        for port in summary.ports:
            url = port.url(self.engine_host)
            if url:
                text, style = url.removeprefix("http://"), Style(link=url, underline=True)
            elif port.published:
                # Not a web address (UDP, SCTP): the mapping as `docker ps` shows it.
                text, style = port_mapping(port), Style()
            else:
                continue
            if ports:
                ports.append(" ")
            ports.append(text, style)
        return ports

    def _update_rows(self, changed: dict[str, tuple]) -> None:
        """Put new cell values in place and repaint only the cells that changed.

        DataTable.update_cell bumps a counter that is part of every render
        cache key, so a single changed CPU figure re-renders every cell of
        the table (most of idle CPU with stats on). Here only the changed
        cells leave the caches, and only their regions are repainted: a
        stats round writes the CPU and MEM figures to the terminal, not
        every row whole (most of the bytes an idle dashboard wrote). This
        leans on DataTable internals; Textual is pinned exactly, and
        tests/ui/test_container_table.py notices if they change.
        """
        columns = [ColumnKey(str(key)) for key in self._widths]
        rows: set[RowKey] = set()
        cells: set[tuple[RowKey, ColumnKey]] = set()
        spans: dict[RowKey, list[int]] = {}  # row → indexes of its changed columns
        for key, values in changed.items():
            row_key = RowKey(key)
            if row_key not in self._data:
                continue
            old = self._cells.get(key) or (None,) * len(values)
            for index, (column, before, after) in enumerate(zip(columns, old, values)):
                if before != after:
                    self._data[row_key][column] = after
                    cells.add((row_key, column))
                    spans.setdefault(row_key, []).append(index)
            rows.add(row_key)
        for cache_key in [k for k in self._cell_render_cache.keys() if (k[0], k[1]) in cells]:
            self._cell_render_cache.discard(cache_key)
        for cache_key in [k for k in self._row_render_cache.keys() if k[0] in rows]:
            self._row_render_cache.discard(cache_key)
        indexes = {self._row_locations.get(row_key) for row_key in rows}
        for cache_key in [k for k in self._row_renderable_cache.keys() if k[1] in indexes]:
            self._row_renderable_cache.discard(cache_key)
        self._line_cache.clear()  # cheap to refill from the row cache
        self._refresh_cells(spans)

    def _refresh_cells(self, spans: dict[RowKey, list[int]]) -> None:
        """Repaint the changed cells of each row: one region per run of neighbouring changed columns."""
        if not spans:
            return
        lefts = [self._row_label_column_width]
        for column in self.ordered_columns:
            lefts.append(lefts[-1] + column.get_render_width(self))
        top = self.header_height if self.show_header else 0
        tops: dict[RowKey, tuple[int, int]] = {}
        for row in self.ordered_rows:
            tops[row.key] = (top, row.height)
            top += row.height
        for row_key, indexes in spans.items():
            if row_key not in tops:
                continue
            y, height = tops[row_key]
            runs: list[list[int]] = []
            for index in sorted(indexes):
                if runs and runs[-1][1] == index:
                    runs[-1][1] = index + 1
                else:
                    runs.append([index, index + 1])
            for start, end in runs:
                self._refresh_region(Region(lefts[start], y, lefts[end] - lefts[start], height))

    def show_rows(
        self,
        rows: list[Row],
        *,
        stats: dict[str, StatsHistory],
        busy: dict[str, str],
        selected: set[str],
        down: frozenset[str] = frozenset(),
        marks: dict | None = None,
    ) -> None:
        self.down_engines = down
        self.marks = marks or {}
        self._last = (rows, {"stats": stats, "busy": busy, "selected": selected, "down": down, "marks": self.marks})
        if not self._laid_out and not self.app.size.width:
            return  # no screen yet; on_resize will fill the table
        context = (stats, busy, selected, utc_now())
        keys = [row.key for row in rows]
        self.rows_by_key = {row.key: row for row in rows}
        self._all_keys = keys
        if not self._order and not self._cells and len(rows) > self._first_rows:
            # First fill of a long list: only a screenful of cells before the
            # first paint; the rest are built with their rows right after it.
            self._fill_first(rows, keys, context)
            return
        self._full = {row.key: self._row_cells(row, context) for row in rows}
        if len(self._memo) > 2 * len(rows) + 64:  # rows that went: drop what was kept for them
            self._memo = {k: v for k, v in self._memo.items() if k in self._full}
            self._fitted = {k: v for k, v in self._fitted.items() if k in self._full}
        self._layout()
        self._show(keys)

    def _show(self, keys: list[str]) -> None:
        cells = {key: self._fit_row(key) for key in keys}
        if keys != self._order and self._order and not self._pending_rows:
            # Containers came, went or moved: splice those rows in and out, the rest stay as they are.
            self._remember_cursor()
            old = self._order
            self._generation += 1
            splice_rows(self, old, keys, cells)
            self._order = keys
            self._restore_cursor(keys)
            changed = {key: cells[key] for key in keys if key in self._cells and self._cells[key] != cells[key]}
            if changed:
                self._update_rows(changed)
        elif keys != self._order or self._pending_rows:
            self._remember_cursor()
            top = self.scroll_y
            self._generation += 1
            self._pending_rows = False
            with self.app.batch_update():
                self.clear()  # (which scrolls to the top)
                for key in keys:
                    self.add_row(*cells[key], key=key)
            self._order = keys
            self._restore_cursor(keys)
            if top:
                # The new rows are measured on the next refresh: scroll back then, so the view stays put.
                self.call_after_refresh(self._scroll_back, top)
        else:
            changed = {key: cells[key] for key in keys if self._cells.get(key) != cells[key]}
            if changed:
                self._update_rows(changed)
        self._cells = cells


class DashboardList(ContainerTable):
    """The dashboard's container list with the list's keys: they act only while it has focus."""

    BINDINGS = scope_bindings(Scope.LIST, "screen")


class FilterBox(Input):
    """The list's filter line: escape clears it (and gives the keys back to the list)."""

    BINDINGS = [b for b in scope_bindings(Scope.LIST, "screen") if b.id == CLEAR_FILTER]
