"""Row storage and the bulk-draw helpers behind ``TerminalScreen``.

* ``RowBuffer``: the screen's rows as a list, so scrolling is a memmove.
* ``CellTable``: character -> ``Cell`` for one attribute set, so a run of
  text becomes cells through one C-level ``map``.
* ``all_narrow``: whether a run can take the bulk path (every character
  exactly one cell wide).
"""

from __future__ import annotations

from pyte.screens import wcwidth

from .attributes import Cell


class RowBuffer(list):
    """The screen's rows, index = row number.

    pyte keeps rows in a ``dict``, so every scrolled line shifts all row keys
    in Python (~5 us on a 40-row screen, a third of the parse time for
    ``cat``). As a list a scroll is one C-level memmove. ``values()`` and
    ``items()`` keep the dict-style calls pyte and callers use working.
    """

    __slots__ = ()

    def values(self):  # type: ignore[no-untyped-def]
        return iter(self)

    def items(self):  # type: ignore[no-untyped-def]
        return enumerate(self)


class CellTable(dict):
    """Character -> ``Cell`` in one set of attributes, built on first use.

    Lets the bulk draw turn a string into cells with one C-level ``map``
    instead of a namedtuple ``_replace`` per character.
    """

    __slots__ = ("attrs",)

    def __init__(self, attrs: Cell) -> None:
        super().__init__()
        self.attrs = attrs

    def __missing__(self, char: str) -> Cell:
        cell = self[char] = self.attrs._replace(data=char)
        return cell


_NARROW: dict[str, bool] = {}


def all_narrow(text: str) -> bool:
    """True if every character takes exactly one cell (no wide/combining/control)."""
    narrow = _NARROW
    for char in set(text):
        known = narrow.get(char)
        if known is None:
            if len(narrow) > 65536:
                narrow.clear()
            known = narrow[char] = wcwidth(char) == 1
        if not known:
            return False
    return True
