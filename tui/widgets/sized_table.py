"""Fill a `DataTable` with every column as wide as its widest cell, known before the first draw.

Textual's `DataTable` measures auto-width columns on its next idle, but a
frame drawn before that idle caches the rows cut at the titles' widths, and
nothing in the cache key moves when the widths do: the rows stay cut
("17:5" for "17:52:07") until the next row is added. Columns given their
width up front are right in the very first frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def fill_table(table: DataTable, columns: Sequence[tuple[str, str]],
               rows: Iterable[tuple[str, Sequence[Text]]]) -> None:
    """Replace what `table` holds by `rows` (key, cells) under `columns` (key, title).

    Cells are one-line `Text`s; a column is as wide as its title or its widest cell.
    """
    rows = list(rows)
    widths = [cell_len(title) for _, title in columns]
    for _, cells in rows:
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], cell.cell_len)
    table.clear(columns=True)
    for (key, title), width in zip(columns, widths):
        table.add_column(title, key=key, width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)
