"""``TerminalScreen``: a ``pyte.Screen`` that behaves like a real terminal.

pyte 0.8.2 is a good cell matrix but misses things shells and full-screen
programs rely on. This subclass adds them:

* alternate screen (private modes 47/1047/1049, cursor save/restore for 1049);
* its own bounded scrollback (``scrollback``, a ``deque`` of rows) filled when
  lines scroll off the top of the *primary* screen -- not ``HistoryScreen``,
  whose ``__getattribute__`` wrapper costs 3-4x in throughput;
* dim and conceal attributes, 256-colour indexes 0-15 as named colours
  (see ``attributes``), SU/SD (``CSI S``/``T``), REP (``CSI b``), DECSCUSR,
  DECSTR, DECRQM, ``CSI s``/``u``, CBT/CHT;
* replies to the program (DSR ``CSI 6n``, DA, DECRQM) through ``on_reply``
  (``replies.Replies``);
* ``CSI ? ... r`` and other malformed forms accepted and dropped;
* shrinking keeps the cursor row on screen (top lines go to scrollback);
* a fast bulk ``draw`` for runs of single-width text, which is where pyte
  spends its time (a namedtuple ``_replace`` per character);
* dirty-row tracking that includes the old and new cursor rows
  (``take_dirty``), and mode helpers for the input encoder (``modes.ModeFlags``).

Row storage and bulk-draw helpers live in ``rows``; SGR logic in ``attributes``.

Several pyte bugs are fixed on the way: delete/insert lines leaving stale
rows, erase-in-display not painting unwritten cells (BCE), index/reverse
index jumping into the scroll region from outside it, NEL not returning the
carriage, DECCOLM resizing an embedded widget to 132 columns.

The parser that drives this screen is ``stream.TerminalStream``; the screen
itself can also be driven by ``pyte.Stream`` for the sequences pyte knows.
"""

from __future__ import annotations

import copy
from collections import deque
from typing import Any, Callable, Optional

import pyte
from pyte import charsets as cs
from pyte import modes as mo
from pyte.screens import Savepoint, StaticDefaultDict, wcwidth

from .attributes import Cell, apply_sgr
from .modes import (
    ALT_SCREEN_BITS,
    ALT_SCREEN_MODES,
    MODE_APP_CURSOR,
    ModeFlags,
)
from .replies import Replies
from .rows import CellTable, RowBuffer, all_narrow

Row = StaticDefaultDict  # a sparse column -> Cell mapping, as pyte stores rows

DEFAULT_SCROLLBACK = 10_000

# Caches are plain dicts cleared when they grow past this: the working set
# (distinct attribute combinations, SGR transitions) is tiny in practice.
_CACHE_LIMIT = 1024


class TerminalScreen(ModeFlags, Replies, pyte.Screen):
    """A terminal screen with alternate buffer, scrollback and replies.

    :param columns: width in cells.
    :param lines: height in rows.
    :param scrollback_limit: rows kept in ``scrollback`` (0 disables it).
    :param on_reply: called with bytes the program must receive on its stdin
        (cursor position reports, device attributes, mode reports).
    :param on_bell: called on BEL.
    """

    def __init__(
        self,
        columns: int,
        lines: int,
        *,
        scrollback_limit: int = DEFAULT_SCROLLBACK,
        on_reply: Optional[Callable[[bytes], None]] = None,
        on_bell: Optional[Callable[[], None]] = None,
    ) -> None:
        # Set before pyte's __init__, which calls reset() and default_char.
        self.scrollback: deque[Row] = deque(maxlen=max(0, scrollback_limit))
        #: Total rows ever pushed into scrollback (monotonic), so a viewer that
        #: is scrolled back can keep its place while output arrives.
        self.lines_scrolled_off = 0
        self.on_reply = on_reply
        self.on_bell = on_bell
        self.cursor_shape = 0  # DECSCUSR parameter: 0/1 block blink ... 6 bar
        self.app_keypad = False  # DECKPAM/DECKPNM, tracked for completeness
        #: Sequences that raised inside a handler and were skipped.
        self.errors = 0
        self._default_cell = Cell(" ")
        self._alt_active = False
        self._primary_buffer: Optional[RowBuffer] = None
        self._alt_savepoint: Optional[Savepoint] = None
        self._last_char = ""
        self._sgr_cache: dict[tuple[Cell, tuple[int, ...]], Cell] = {}
        self._cells_cache: dict[Cell, CellTable] = {}
        self._cells = CellTable(self._default_cell)  # for the last attrs drawn
        self._reported_cursor: Optional[tuple[int, int, bool]] = None
        super().__init__(columns, lines)

    # ------------------------------------------------------------------ state

    @property
    def default_char(self) -> Cell:  # type: ignore[override]
        """The blank cell (reverse under DECSCNM). Cached: pyte rebuilt it per call."""
        return self._default_cell

    @property
    def display(self) -> list[str]:  # type: ignore[override]
        """Rows as text. pyte's version raises on the empty stub left behind
        when half of a wide character is overwritten; that stub is a space here."""
        columns = self.columns
        result = []
        for row in self.buffer:
            chars = []
            x = 0
            while x < columns:
                data = row[x].data or " "
                chars.append(data)
                x += 2 if wcwidth(data[0]) == 2 else 1
            result.append("".join(chars))
        return result

    def _blank_rows(self, count: int) -> list[Row]:
        return [StaticDefaultDict(self._default_cell) for _ in range(count)]

    def _new_buffer(self) -> RowBuffer:
        return RowBuffer(self._blank_rows(self.lines))

    def reset(self) -> None:
        """RIS: back to the primary screen, everything at defaults. Scrollback is kept."""
        if self._alt_active:
            self._alt_active = False
            self.buffer = self._primary_buffer or self._new_buffer()
            self._primary_buffer = None
            self._alt_savepoint = None
        self._default_cell = Cell(" ")
        super().reset()
        self.buffer = self._new_buffer()  # type: ignore[assignment]
        self.cursor.attrs = self._default_cell  # pyte's Cursor() uses its own Char
        # G1 starts as ASCII as in xterm (pyte follows the Linux console's
        # line drawing), so a stray SO from binary output changes nothing.
        self.g1_charset = cs.LAT1_MAP
        self.cursor_shape = 0
        self.app_keypad = False
        self._last_char = ""

    def soft_reset(self) -> None:
        """DECSTR (``CSI ! p``): reset modes and attributes, keep the screen."""
        self.mode.difference_update({mo.IRM, mo.DECOM, MODE_APP_CURSOR})
        self.mode.update({mo.DECAWM, mo.DECTCEM})
        self.cursor.hidden = False
        self.cursor.attrs = self._default_cell
        self.margins = None
        self.charset = 0
        self.g0_charset = self.g1_charset = cs.LAT1_MAP
        self.app_keypad = False
        self.savepoints.clear()

    # ------------------------------------------------------------------ modes

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        private = kwargs.get("private", False)
        if private:
            # DECCOLM would resize an embedded widget to 132 columns; xterm
            # ignores it by default too.
            modes = tuple(m for m in modes if m != 3)
            if 5 in modes:  # DECSCNM: new blank cells are reverse
                self._default_cell = Cell(" ", reverse=True)
        super().set_mode(*modes, **kwargs)
        if private:
            for mode in modes:
                if mode in ALT_SCREEN_MODES:
                    self._enter_alt_screen(mode)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        private = kwargs.get("private", False)
        if private:
            modes = tuple(m for m in modes if m != 3)
            if 5 in modes:
                self._default_cell = Cell(" ")
        super().reset_mode(*modes, **kwargs)
        if private:
            for mode in modes:
                if mode in ALT_SCREEN_MODES:
                    self._leave_alt_screen(mode)

    @property
    def in_alt_screen(self) -> bool:
        """A full-screen program switched to the alternate screen."""
        return self._alt_active

    # ------------------------------------------------------- alternate screen

    def _savepoint(self) -> Savepoint:
        return Savepoint(
            copy.copy(self.cursor), self.g0_charset, self.g1_charset,
            self.charset, mo.DECOM in self.mode, mo.DECAWM in self.mode,
        )

    def _restore(self, savepoint: Savepoint) -> None:
        self.g0_charset = savepoint.g0_charset
        self.g1_charset = savepoint.g1_charset
        self.charset = savepoint.charset
        for flag, bit in ((savepoint.origin, mo.DECOM), (savepoint.wrap, mo.DECAWM)):
            if flag:
                self.mode.add(bit)
            else:
                self.mode.discard(bit)
        self.cursor = savepoint.cursor
        self.cursor.hidden = mo.DECTCEM not in self.mode
        self.ensure_hbounds()
        self.ensure_vbounds()

    def _enter_alt_screen(self, mode: int) -> None:
        if self._alt_active:
            return
        # 1049 saves the cursor in its own slot, so a program's unmatched
        # DECSC inside the alt screen cannot steal our restore.
        self._alt_savepoint = self._savepoint() if mode == 1049 else None
        self._alt_active = True
        self._primary_buffer = self.buffer
        self.buffer = self._new_buffer()  # 1049/1047 clear; a fresh 47 too
        self.dirty.update(range(self.lines))

    def _leave_alt_screen(self, mode: int) -> None:
        self.mode.difference_update(ALT_SCREEN_BITS)
        if not self._alt_active:
            return
        self._alt_active = False
        self.buffer = self._primary_buffer or self._new_buffer()
        self._primary_buffer = None
        if mode == 1049 and self._alt_savepoint is not None:
            self._restore(self._alt_savepoint)
        self._alt_savepoint = None
        self.dirty.update(range(self.lines))

    # -------------------------------------------------------------- scrolling

    def _scroll_up(self, top: int, bottom: int, count: int, keep: bool) -> None:
        """Move rows top..bottom up by ``count``; ``keep`` saves leavers to scrollback."""
        buf = self.buffer
        count = min(count, bottom - top + 1)
        if keep and self.scrollback.maxlen:
            # Rows are taken, not copied: nothing else references them now.
            self.scrollback.extend(buf[top:top + count])
            self.lines_scrolled_off += count
        del buf[top:top + count]
        if count == 1:
            buf.insert(bottom, StaticDefaultDict(self._default_cell))
        else:
            buf[bottom + 1 - count:bottom + 1 - count] = self._blank_rows(count)
        self.dirty.update(range(top, bottom + 1))

    def _scroll_down(self, top: int, bottom: int, count: int) -> None:
        """Move rows top..bottom down by ``count``; blank rows appear at ``top``."""
        buf = self.buffer
        count = min(count, bottom - top + 1)
        del buf[bottom + 1 - count:bottom + 1]
        buf[top:top] = self._blank_rows(count)
        self.dirty.update(range(top, bottom + 1))

    def _region(self) -> tuple[int, int]:
        margins = self.margins
        return (margins.top, margins.bottom) if margins else (0, self.lines - 1)

    def index(self) -> None:
        """IND/LF: down one row, scrolling the region at its bottom."""
        top, bottom = self._region()
        y = self.cursor.y
        if y == bottom:
            # Only lines leaving the top of the whole primary screen are
            # history (xterm does the same); a status-line region is not.
            self._scroll_up(top, bottom, 1, keep=top == 0 and not self._alt_active)
        elif y < self.lines - 1:
            self.cursor.y = y + 1

    def reverse_index(self) -> None:
        """RI: up one row, scrolling the region down at its top."""
        top, bottom = self._region()
        y = self.cursor.y
        if y == top:
            self._scroll_down(top, bottom, 1)
        elif y > 0:
            self.cursor.y = y - 1

    def linefeed(self) -> None:
        self.index()
        if mo.LNM in self.mode:
            self.cursor.x = 0

    def next_line(self) -> None:
        """NEL (``ESC E``): carriage return plus index (pyte omits the return)."""
        self.cursor.x = 0
        self.index()

    def scroll_up(self, count: Optional[int] = None, *extra: int) -> None:
        """SU (``CSI n S``): scroll the region up, cursor stays."""
        if extra:
            return
        top, bottom = self._region()
        self._scroll_up(top, bottom, count or 1, keep=top == 0 and not self._alt_active)

    def scroll_down(self, count: Optional[int] = None, *extra: int) -> None:
        """SD (``CSI n T``); the 5-parameter form is mouse highlighting: ignored."""
        if extra:
            return
        top, bottom = self._region()
        self._scroll_down(top, bottom, count or 1)

    def insert_lines(self, count: Optional[int] = None) -> None:
        """IL: pyte's version leaves stale rows when the row above is blank."""
        top, bottom = self._region()
        if top <= self.cursor.y <= bottom:
            self._scroll_down(self.cursor.y, bottom, count or 1)
            self.cursor.x = 0

    def delete_lines(self, count: Optional[int] = None) -> None:
        """DL: pyte's version leaves stale rows when the row below is blank."""
        top, bottom = self._region()
        if top <= self.cursor.y <= bottom:
            self._scroll_up(self.cursor.y, bottom, count or 1, keep=False)
            self.cursor.x = 0

    def set_margins(self, top: Optional[int] = None, bottom: Optional[int] = None,
                    *extra: int, **kwargs: Any) -> None:
        """DECSTBM. ``CSI ? ... r`` (XTRESTORE) and extra parameters are dropped."""
        if kwargs.get("private") or extra:
            return
        super().set_margins(top, bottom)

    # ----------------------------------------------------------------- erasing

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        """ED. Mode 3 clears the scrollback only (xterm); erased rows take the
        current attributes everywhere, not only in cells written before (BCE)."""
        if how == 3:
            self.scrollback.clear()
            return
        y = self.cursor.y
        if how == 0:
            rows = range(y + 1, self.lines)
        elif how == 1:
            rows = range(y)
        elif how == 2:
            rows = range(self.lines)
        else:
            return
        attrs = self.cursor.attrs
        buf = self.buffer
        for row in rows:
            # A row whose default is the erase attributes paints every
            # column, written or not, at no cost per cell.
            buf[row] = StaticDefaultDict(attrs)
        self.dirty.update(rows)
        if how in (0, 1):
            self.erase_in_line(how)

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        """EL; an unknown mode is ignored (pyte raised on it)."""
        if how in (0, 1, 2):
            super().erase_in_line(how)

    def cursor_to_line(self, line: Optional[int] = None) -> None:
        """VPA. Under DECOM without margins pyte asserted, leaving the cursor off screen."""
        self.cursor.y = (line or 1) - 1
        if mo.DECOM in self.mode and self.margins is not None:
            self.cursor.y += self.margins.top
        self.ensure_vbounds()

    # ------------------------------------------------------------------ drawing

    def draw(self, data: str) -> None:
        """Draw text at the cursor. Runs of single-width characters in the
        plain charset take the bulk path; the rest goes through pyte."""
        if not data:
            return
        if (
            (self.g1_charset if self.charset else self.g0_charset) is _LAT1
            and (data.isascii() or all_narrow(data))
        ):
            cursor = self.cursor
            x = cursor.x
            end = x + len(data)
            if end <= self.columns and _IRM not in self.mode:
                # The common case, inlined: the run fits on the cursor row.
                cells = self._cells
                if cells.attrs is not cursor.attrs:
                    cells = self._cells_for(cursor.attrs)
                self.buffer[cursor.y].update(zip(range(x, end), map(cells.__getitem__, data)))
                cursor.x = end
                self.dirty.add(cursor.y)
            else:
                self._draw_narrow(data)
        else:
            super().draw(data)
        self._last_char = data[-1]

    def _cells_for(self, attrs: Cell) -> CellTable:
        cells = self._cells_cache.get(attrs)
        if cells is None:
            if len(self._cells_cache) > _CACHE_LIMIT:
                self._cells_cache.clear()
            cells = self._cells_cache[attrs] = CellTable(attrs)
        self._cells = cells
        return cells

    def _draw_narrow(self, data: str) -> None:
        # Mirrors pyte.Screen.draw for width-1 characters: x == columns means
        # "wrap pending"; with DECAWM off every further character overwrites
        # the last column.
        cursor = self.cursor
        cells = self._cells_for(cursor.attrs)
        columns = self.columns
        autowrap = mo.DECAWM in self.mode
        buffer = self.buffer
        # Insert mode shifts the row right once per piece, not once per
        # character as pyte does (quadratic in the row length).
        insert = _IRM in self.mode
        x = cursor.x
        start, end = 0, len(data)
        while start < end:
            if x >= columns:
                if autowrap:
                    self.dirty.add(cursor.y)
                    cursor.x = 0
                    self.linefeed()
                    x = cursor.x
                else:
                    buffer[cursor.y][columns - 1] = cells[data[-1]]
                    x = columns
                    break
            take = min(end - start, columns - x)
            piece = data if take == end else data[start:start + take]
            if insert:
                cursor.x = x
                self.insert_characters(take)
            buffer[cursor.y].update(zip(range(x, x + take), map(cells.__getitem__, piece)))
            x += take
            start += take
            cursor.x = x
        cursor.x = x
        self.dirty.add(cursor.y)

    def insert_characters(self, count: Optional[int] = None) -> None:
        """ICH, also run per character in insert mode: pyte walks every column
        in Python; here only the cells written at or after the cursor move."""
        count = count or 1
        columns = self.columns
        x = self.cursor.x
        line = self.buffer[self.cursor.y]
        moved = [(k + count, cell) for k, cell in line.items() if k >= x and k + count < columns]
        for k in [k for k in line if k >= x]:
            del line[k]
        line.update(moved)
        self.dirty.add(self.cursor.y)

    def repeat_last_character(self, count: Optional[int] = None) -> None:
        """REP (``CSI n b``): draw the last graphic character ``n`` more times."""
        if self._last_char:
            self.draw(self._last_char * min(count or 1, self.columns * self.lines))

    def select_graphic_rendition(self, *attrs: int, **kwargs: Any) -> None:
        """SGR with dim/conceal, named 0-15 palette colours, cached transitions."""
        if kwargs.get("private"):
            return  # CSI ? ... m is not SGR
        key = (self.cursor.attrs, attrs)
        new = self._sgr_cache.get(key)
        if new is None:
            if len(self._sgr_cache) > _CACHE_LIMIT:
                self._sgr_cache.clear()
            new = self._sgr_cache[key] = apply_sgr(self.cursor.attrs, attrs, self._default_cell)
        self.cursor.attrs = new

    def reset_attributes(self) -> None:
        """SGR 0 (``CSI m``, ``CSI 0 m``): the most frequent sequence, kept cheap."""
        self.cursor.attrs = self._default_cell

    # ----------------------------------------------------------- tabs & cursor

    def forward_tab(self, count: Optional[int] = None) -> None:
        """CHT (``CSI n I``)."""
        for _ in range(min(count or 1, self.columns)):
            self.tab()

    def back_tab(self, count: Optional[int] = None) -> None:
        """CBT (``CSI n Z``): back to the previous tab stop(s)."""
        for _ in range(min(count or 1, self.columns)):
            stops = [s for s in self.tabstops if s < self.cursor.x]
            self.cursor.x = max(stops) if stops else 0

    def set_cursor_style(self, shape: int = 0, *extra: int) -> None:
        """DECSCUSR (``CSI n SP q``): remembered for the widget to draw."""
        self.cursor_shape = shape

    def set_keypad_mode(self, application: bool) -> None:
        """DECKPAM (``ESC =``) / DECKPNM (``ESC >``)."""
        self.app_keypad = application

    # ----------------------------------------------------------------- resizing

    def resize(self, lines: Optional[int] = None, columns: Optional[int] = None) -> None:
        """Resize, keeping the cursor row on screen.

        pyte drops rows from the top regardless of where the cursor is (a
        prompt near the top vanishes) and may leave the cursor outside. Here
        a shrink first removes rows below the cursor; only if that is not
        enough do top rows go -- into scrollback on the primary screen.
        """
        lines = lines or self.lines
        columns = columns or self.columns
        if lines == self.lines and columns == self.columns:
            return
        old_lines, old_columns = self.lines, self.columns
        if lines < old_lines:
            drop = max(0, self.cursor.y - (lines - 1))
            self._shrink_rows(self.buffer, old_lines, lines, drop, keep=not self._alt_active)
            self.cursor.y -= drop
            if self._alt_active and self._primary_buffer is not None:
                saved = self._alt_savepoint
                saved_y = saved.cursor.y if saved is not None else old_lines - 1
                primary_drop = max(0, saved_y - (lines - 1))
                self._shrink_rows(self._primary_buffer, old_lines, lines, primary_drop, keep=True)
                if saved is not None:
                    saved.cursor.y -= primary_drop
        elif lines > old_lines:
            for buf in (self.buffer, self._primary_buffer):
                if buf is not None:
                    buf.extend(self._blank_rows(lines - old_lines))
        if columns < old_columns:
            for buf in (self.buffer, self._primary_buffer):
                for row in buf or ():
                    for x in [x for x in row if x >= columns]:
                        del row[x]
        self.lines, self.columns = lines, columns
        self.margins = None
        self.tabstops = {t for t in self.tabstops if t < columns}
        self.tabstops.update(t for t in range(8, columns, 8) if t >= old_columns)
        self.cursor.x = min(self.cursor.x, columns - 1)
        self.cursor.y = min(self.cursor.y, lines - 1)
        self.dirty.update(range(lines))

    def _shrink_rows(self, buf: RowBuffer, old: int, new: int, drop: int, keep: bool) -> None:
        """Keep rows drop..drop+new-1 as rows 0..new-1; earlier rows go to
        scrollback if ``keep``, later ones are discarded."""
        if keep and drop and self.scrollback.maxlen:
            self.scrollback.extend(buf[:drop])
            self.lines_scrolled_off += drop
        del buf[:drop]
        del buf[new:]

    # --------------------------------------------------------------- dirtiness

    def take_dirty(self) -> set[int]:
        """Rows to repaint since the last call, cursor moves included; clears them.

        pyte marks rows it writes, not rows the cursor leaves or enters, so
        the old and new cursor rows are added whenever the cursor moved or
        its visibility changed.
        """
        rows = self.dirty
        self.dirty = set()
        state = (self.cursor.x, self.cursor.y, self.cursor_visible)
        previous = self._reported_cursor
        if state != previous:
            if previous is not None:
                rows.add(previous[1])
            rows.add(state[1])
            self._reported_cursor = state
        lines = self.lines
        return {y for y in rows if 0 <= y < lines}


_IRM = mo.IRM
_LAT1 = cs.LAT1_MAP
