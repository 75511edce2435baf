"""The braille area chart: dots per level, the newest at the right, gaps blank, round axis tops."""

from __future__ import annotations

import pytest

from tui.charts.braille import BLANK, levels, nice_top, plot


def dots(cell: str) -> int:
    return bin(ord(cell) - 0x2800).count("1")


def test_a_full_column_lights_every_dot_and_zero_lights_none():
    rows = plot([8.0, 0.0], width=1, height=2, top=8.0)
    assert rows == ["⡇", "⡇"]  # the left column full (4 dots a row), the right one empty
    assert plot([0.0, 0.0], 1, 2, 8.0) == [BLANK, BLANK]


def test_levels_round_to_dots_and_a_little_is_never_nothing():
    assert levels([0, 0.1, 4, 8, 16, None], top=8, height=2) == [0, 1, 4, 8, 8, None]
    assert levels([5.0], top=0, height=3) == [0]  # no scale yet: nothing drawn rather than a divide by zero


def test_the_newest_value_is_at_the_right_edge_and_missing_history_is_blank():
    rows = plot([4.0], width=3, height=1, top=4.0)
    assert rows[0][:2] == BLANK * 2 and dots(rows[0][2]) == 4
    assert ord(rows[0][2]) - 0x2800 == 0x80 | 0x20 | 0x10 | 0x08  # the right-hand column of the cell


def test_a_gap_stays_blank_between_values():
    rows = plot([4.0, None, None, 4.0], width=2, height=1, top=4.0)
    assert dots(rows[0][0]) == 4 and dots(rows[0][1]) == 4
    assert ord(rows[0][0]) - 0x2800 == 0x01 | 0x02 | 0x04 | 0x40  # only its left column: the gap is blank


def test_an_area_fills_from_the_bottom_row_up():
    top, bottom = plot([6.0, 6.0], width=1, height=2, top=8.0)
    assert dots(bottom) == 8 and dots(top) == 4  # 6 of 8 levels: the bottom row full, half the top row
    assert ord(top) - 0x2800 == 0x04 | 0x40 | 0x20 | 0x80  # the lower two dot rows of the top cell


def test_older_values_than_fit_are_dropped_from_the_left():
    rows = plot([9.0] * 10 + [0.0, 0.0], width=1, height=1, top=9.0)
    assert rows == [BLANK]


def test_no_room_draws_nothing():
    assert plot([1.0], 0, 3, 1.0) == [] and plot([1.0], 3, 0, 1.0) == []


@pytest.mark.parametrize("value, top", [(0.3, 1), (1, 1), (1.2, 2), (3, 5), (7, 10), (42, 50), (100, 100),
                                        (101, 200), (999, 1000)])
def test_axis_tops_are_round(value, top):
    assert nice_top(value) == top


def test_byte_axis_tops_are_round_in_their_unit():
    mib = 1 << 20
    assert nice_top(1.5 * mib, base=1024) == 2 * mib
    assert nice_top(3 * mib, base=1024) == 5 * mib
    assert nice_top(900 * mib, base=1024) == 1024 * mib  # 1 GiB, not "1000 MiB"
    assert nice_top(0, floor=1024, base=1024) == 1024
