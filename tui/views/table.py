"""The table of a resource view: one row per image, volume or network, keyed by its id or name.

A line-API widget rather than a DataTable: it draws only the rows on screen,
so a thousand images cost what a screenful does, at the first draw and at
every re-list (a DataTable measures every cell of every row it is given).
Columns are fitted to the width by the container list's rules
(`tui.dashboard.table_layout`); every cell is untrusted text, made visible and
drawn as plain segments (never markup). The cursor stays on its item when rows
come and go.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.dashboard.table_layout import PADDING, ColumnSpec, fit_columns
from tui.untrusted import visible
from tui.views.model import MARK, Item, ViewSpec, cells

_MARK_SPEC = ColumnSpec(MARK, "", cap=1)


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded."""
    if cell_len(text) > width:
        out, used = [], 0
        for char in text:
            size = cell_len(char)
            if used + size > width - 1:
                break
            out.append(char)
            used += size
        text = "".join(out) + "…"
    return text + " " * max(width - cell_len(text), 0)


class ResourceTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"resource-table--header", "resource-table--cursor", "resource-table--mark",
                         "resource-table--busy"}
    DEFAULT_CSS = """
    ResourceTable { height: 1fr; overflow-x: hidden; }
    ResourceTable > .resource-table--header { text-style: bold; }
    ResourceTable > .resource-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    ResourceTable:blur > .resource-table--cursor { background: $block-cursor-blurred-background; }
    ResourceTable > .resource-table--mark { color: $accent; text-style: bold; }
    ResourceTable > .resource-table--busy { color: $warning; text-style: italic; }
    """
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "to(0)", "Top", show=False),
        Binding("end,G", "to(-1)", "Bottom", show=False),
    ]

    @dataclass
    class CursorMoved(Message):
        table: ResourceTable

    @dataclass
    class HeaderClicked(Message):
        column: str

    def __init__(self, spec: ViewSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.keys: list[str] = []
        self.cursor_row = 0
        self._items: list[Item] = []
        self._cells: list[dict[str, str]] = []  # every row's cells, made visible, before fitting
        self._selected: frozenset[str] = frozenset()
        self._busy: dict[str, str] = {}
        self._widths: dict[str, int] = {}
        self._natural: dict[str, int] = {}
        self._width_for = -1
        self._styles: dict[str, Style] = {}

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    @property
    def columns_shown(self) -> list[str]:
        return list(self._widths)

    def show(self, items: list[Item], *, selected: frozenset[str] = frozenset(),
             busy: dict[str, str] | None = None) -> None:
        cursor = self.cursor_key
        busy = dict(busy or {})
        last = self.spec.columns[-1].key
        rows = []
        natural = {c.key: len(c.spec.label) for c in self.spec.columns}
        for item in items:
            row = {key: visible(text) for key, text in cells(self.spec, item).items()}
            if item.key in busy:  # what the row is doing says more than its last column
                row[last] = busy[item.key]
            for key, text in row.items():
                natural[key] = max(natural[key], cell_len(text))
            rows.append(row)
        natural[MARK] = 1
        self._items, self._selected, self._busy = items, selected, busy
        self.keys, self._cells = [item.key for item in items], rows
        self._natural = natural
        self._width_for = -1  # widths follow what the cells hold now
        if cursor in self.keys:
            self.cursor_row = self.keys.index(cursor)
        else:
            self.cursor_row = min(self.cursor_row, max(len(self.keys) - 1, 0))
        self.virtual_size = Size(self.size.width, len(self.keys) + 1)
        self._keep_cursor_in_view()
        self.refresh()

    def _fit(self) -> dict[str, int]:
        width = self.size.width
        if width != self._width_for:
            specs = [_MARK_SPEC, *(c.spec for c in self.spec.columns)]
            self._widths = fit_columns(specs, self._natural, max(width - 1, 20))
            self._width_for = width
        return self._widths

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.keys) + 1)
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------------

    def render_lines(self, crop):
        # The styles once per draw, not once a line: each look-up walks the CSS (ten times the line's cost).
        base = self.rich_style
        self._styles = {name: base + self.get_component_rich_style(f"resource-table--{name}")
                        for name in ("header", "cursor", "mark", "busy")}
        self._styles["base"] = base
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        widths = self._fit()
        width = self.size.width
        styles = self._styles
        base = styles["base"]
        if y == 0:  # the header stays put: rows scroll under it
            style = styles["header"]
            text = "".join(" " + fit(self._label(key), w) + " " for key, w in widths.items())
            return Strip([Segment(fit(text, width), style)], width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self._cells):
            return Strip([Segment(" " * width, base)], width)
        row, key = self._cells[index], self.keys[index]
        cursor = index == self.cursor_row
        style = styles["cursor"] if cursor else base
        segments = []
        for column, w in widths.items():
            if column == MARK:
                mark = "●" if key in self._selected else " "
                segments.append(Segment(f" {mark} ", style if cursor else styles["mark"]))
                continue
            cell_style = style
            if key in self._busy and column == self.spec.columns[-1].key:
                cell_style = style + styles["busy"]
            segments.append(Segment(" " + fit(row.get(column, ""), w) + " ", cell_style))
        used = sum(w + PADDING for w in widths.values())
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments, width).crop(0, width)

    def _label(self, key: str) -> str:
        return "" if key == MARK else next(c.spec.label for c in self.spec.columns if c.key == key)

    # -- the cursor ------------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(self.size.height - 2, 1)

    def move_cursor(self, row: int) -> None:
        if not self.keys:
            return
        row = max(0, min(row, len(self.keys) - 1))
        if row != self.cursor_row:
            self.cursor_row = row
            self.post_message(self.CursorMoved(self))
        self._keep_cursor_in_view()
        self.refresh()

    def _keep_cursor_in_view(self) -> None:
        top = int(self.scroll_offset.y)
        rows = max(self.size.height - 1, 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + rows:
            self.scroll_to(y=self.cursor_row - rows + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * self._page)

    def action_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.keys) - 1)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for key, w in self._fit().items():
                if x < w + PADDING:
                    if key != MARK:
                        self.post_message(self.HeaderClicked(key))
                    return
                x -= w + PADDING
            return
        self.move_cursor(int(self.scroll_offset.y) + event.y - 1)
