"""A new order of rows put into a DataTable in place: only rows that came, went or moved are repainted.

Textual's DataTable can only append a row, and `remove_row` and `sort`
repaint the whole table; clearing it and adding every row again (what the
list did for each container that came or went) wrote every row of the list
to the terminal, about 6 kB with the log pane beside it at 160x48 and
more when the list is wider. Textual cannot scroll the terminal, so a row
added in the middle still costs the rows below it on screen, but one added
at the end costs itself, and rows above the change cost nothing.

What it does to the table:
- the rows that went leave the table's data, the new ones join it, and the
  row-to-index map is rebuilt for the new order (what `sort` does);
- only the render caches of rows whose index changed are dropped (their
  highlight and position were cached with the old index);
- the virtual height is set quietly, with the scrollbar told: Textual's
  own path sets it as a layout reactive, which repaints the whole table;
- when the list is scrolled, the view keeps its top row on screen (a row
  added or removed above the view moves the scroll offset, not the rows);
- each line of the view that now shows another row than before is
  repainted, and no other.

It leans on DataTable internals (as `ContainerTable._update_rows` does);
Textual is pinned exactly, and tests/ui/test_row_splice.py notices if
they change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual._two_way_dict import TwoWayDict
from textual.geometry import Region, Size
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._data_table import CellKey, RowKey
from textual.widgets._data_table import Row as TableRow


def _view_top(table: DataTable, old: Sequence[str], new_index: Mapping[str, int]) -> int:
    """Where the view starts after the change: on the row that was at its top (or the first one after
    it that stayed), so that rows coming or going above the view do not move what is on screen.
    At the very top the view stays there, so a row added first is seen."""
    top = int(table.scroll_y)
    if top <= 0:
        return 0
    for key in old[top:]:
        if key in new_index:
            return new_index[key]
    return top


def splice_rows(table: DataTable, old: Sequence[str], new: Sequence[str], cells: Mapping[str, tuple]) -> None:
    """Make `table`, which holds rows `old` in that order, hold rows `new`; `cells[key]` are a new row's cells
    (rows that stay keep theirs: updating changed cells is the caller's business)."""
    header = table.header_height if table.show_header else 0
    view_rows = max(table.size.height - header, 0)
    old_top = int(table.scroll_y)
    new_index = {key: index for index, key in enumerate(new)}
    old_index = {key: index for index, key in enumerate(old)}

    columns = [column.key for column in table.ordered_columns]
    for key in old:
        if key not in new_index:
            row_key = RowKey(key)
            for column_key in table._data.pop(row_key, {}):
                table._updated_cells.discard(CellKey(row_key, column_key))
            table.rows.pop(row_key, None)
            table._new_rows.discard(row_key)
    moved: set[RowKey] = set()
    for index, key in enumerate(new):
        if old_index.get(key) == index:
            continue
        row_key = RowKey(key)
        moved.add(row_key)
        if key not in old_index:
            table._data[row_key] = dict(zip(columns, cells[key]))
            table.rows[row_key] = TableRow(row_key, 1)
    table._row_locations = TwoWayDict({RowKey(key): index for index, key in enumerate(new)})

    for cache in (table._row_render_cache, table._cell_render_cache):
        for cache_key in [k for k in cache.keys() if k[0] in moved]:
            cache.discard(cache_key)
    table._row_renderable_cache.clear()  # keyed by index
    table._line_cache.clear()  # keyed by line
    table._offset_cache.clear()
    table._ordered_row_cache.clear()

    top = _view_top(table, old, new_index)
    width = sum(column.get_render_width(table) for column in table.columns.values())
    size = Size(width + table._row_label_column_width, len(new) + header)
    if size != table.virtual_size:
        table.set_reactive(Widget.virtual_size, size)
        table._scroll_update(size)  # the scrollbar's thumb; shows or hides it (then a layout) as needed
    top = min(top, table.max_scroll_y)
    if top != old_top:
        table.set_reactive(Widget.scroll_y, float(top))
        table.set_reactive(Widget.scroll_target_y, float(top))
        if table.show_vertical_scrollbar:
            table.vertical_scrollbar.position = top

    # Repaint each line of the view whose row is not the one it showed, in runs of neighbouring lines.
    runs: list[list[int]] = []
    for line in range(view_rows):
        before = old[old_top + line] if old_top + line < len(old) else None
        after = new[top + line] if top + line < len(new) else None
        if before == after:
            continue  # the same row on the same line (its changed cells are repainted on their own)
        if runs and runs[-1][1] == line:
            runs[-1][1] = line + 1
        else:
            runs.append([line, line + 1])
    for start, end in runs:
        table.refresh(Region(0, header + start, table.size.width, end - start))
