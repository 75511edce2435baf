"""`wrap_strip`: rows of a wrapped log line, cut in one pass.

`Strip.divide` measured a segment from its start again for every cut: a 10 000-cell
line of non-ASCII text wrapped into a narrow pane took seconds to draw (found by
bench/fuzz.py). The rows must be what `Strip.divide` gives wherever that is right.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.strip import Strip

from tui.testing.hostile import make_console
from tui.widgets.log.wrap import wrap_strip

CONSOLE = make_console()
# Narrow and wide characters (graphemes of one code point: Rich's divide splits joined ones).
TEXT = st.text(st.sampled_from(list("abc xyz-é") + ["中", "文", "😀", "─"]), max_size=60)


def strip_of(text: str, style_start: int, style_end: int) -> Strip:
    rich_text = Text(text)
    rich_text.stylize("bold red", style_start, style_end)
    return Strip(list(rich_text.render(CONSOLE)))


def chars(row: Strip) -> list:
    return [(char, segment.style) for segment in row for char in segment.text]


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.integers(1, 12), start=st.integers(0, 30), end=st.integers(0, 60))
def test_rows_are_what_strip_divide_gives(text: str, width: int, start: int, end: int) -> None:
    full = strip_of(text, start, end)
    cells = full.cell_length
    if cells <= width:
        return
    expected = full.divide(list(range(width, cells, width)) + [cells])
    rows = wrap_strip(full, width)
    # Segments may be grouped differently; each character keeps its style.
    assert [chars(row) for row in rows] == [chars(row) for row in expected]
    assert [row.cell_length for row in rows] == [row.cell_length for row in expected]


def test_a_long_wide_line_in_a_narrow_pane() -> None:
    full = strip_of("中" * 5000 + "ab", 0, 3)
    rows = wrap_strip(full, 5)
    # 10 002 cells in rows of 5: a wide character across each cut is a space either side.
    assert len(rows) == 2001
    assert all(row.cell_length == 5 for row in rows[:-1]) and rows[-1].cell_length == 2
    assert rows[0].text == "中中 " and rows[1].text == " 中中"
