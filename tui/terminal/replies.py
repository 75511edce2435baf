"""Replies a terminal sends its program: DSR, DA, DECRQM (and the bell).

``Replies`` is a mixin for ``TerminalScreen`` (before ``pyte.Screen`` in its
bases): pyte's ``write_process_input`` drops every reply, so programs that ask
where the cursor is (busybox ``ash`` does at every prompt) never got an answer.
Replies go to ``on_reply`` as bytes for the program's stdin.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from pyte import modes as mo

from .modes import KNOWN_ANSI_MODES, KNOWN_PRIVATE_MODES


class Replies:
    """Mixin: answers to the program's queries (see the module docstring)."""

    on_reply: Optional[Callable[[bytes], None]]
    cursor: Any
    columns: int
    mode: set[int]
    margins: Any
    on_bell: Optional[Callable[[], None]]

    def write_process_input(self, data: str) -> None:
        """Send a reply to the program (pyte calls this; the default drops it)."""
        if self.on_reply is not None:
            self.on_reply(data.encode())

    def bell(self, *args: Any) -> None:
        if self.on_bell is not None:
            self.on_bell()

    def report_device_status(self, mode: int = 0, *extra: int, **kwargs: Any) -> None:
        """DSR: ``5n`` -> ``CSI 0 n``; ``6n`` -> ``CSI row;col R``; ``?6n`` -> ``CSI ? row;col R``."""
        if mode == 5:
            self.write_process_input("\x1b[0n")
        elif mode == 6:
            # A pending wrap (x == columns) is still in the last column.
            x = min(self.cursor.x, self.columns - 1) + 1
            y = self.cursor.y + 1
            if mo.DECOM in self.mode and self.margins is not None:
                y -= self.margins.top
            prefix = "?" if kwargs.get("private") else ""
            self.write_process_input(f"\x1b[{prefix}{y};{x}R")

    def report_device_attributes(self, mode: int = 0, *extra: int, **kwargs: Any) -> None:
        """DA1 (``CSI c``) -> VT102 reply; DA2 (``CSI > c``) -> VT220-ish reply."""
        if mode != 0:
            return
        if kwargs.get("secondary"):
            self.write_process_input("\x1b[>1;10;0c")
        elif not kwargs.get("private"):
            self.write_process_input("\x1b[?6c")

    def report_mode(self, mode: int = 0, *extra: int, **kwargs: Any) -> None:
        """DECRQM (``CSI ? n $ p`` / ``CSI n $ p``): 1 set, 2 reset, 0 unknown."""
        if kwargs.get("private"):
            known, bit, prefix = KNOWN_PRIVATE_MODES, mode << 5, "?"
        else:
            known, bit, prefix = KNOWN_ANSI_MODES, mode, ""
        state = 0 if mode not in known else (1 if bit in self.mode else 2)
        self.write_process_input(f"\x1b[{prefix}{mode};{state}$y")
