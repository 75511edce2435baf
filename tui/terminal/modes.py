"""Terminal mode numbers and read-only mode helpers for the screen.

pyte keeps every set mode in ``screen.mode``; private (``CSI ? n h``) modes
are stored shifted left by 5 so they cannot collide with ANSI ones, which is
easy to get wrong at call sites. ``ModeFlags`` gives the questions the input
side asks (arrow encoding, paste, mouse, focus, cursor) names.
"""

from __future__ import annotations

from typing import Optional

from pyte import modes as mo

#: Private modes as pyte stores them in ``screen.mode`` (shifted left by 5).
MODE_APP_CURSOR = 1 << 5
MODE_FOCUS_EVENTS = 1004 << 5
MODE_SGR_MOUSE = 1006 << 5
MODE_BRACKETED_PASTE = 2004 << 5
ALT_SCREEN_MODES = (47, 1047, 1049)
ALT_SCREEN_BITS = frozenset(m << 5 for m in ALT_SCREEN_MODES)
#: Mouse tracking modes, most inclusive first: 1003 any motion, 1002 motion
#: while a button is held, 1000 press/release, 9 X10 (press only).
MOUSE_TRACKING_MODES = (1003, 1002, 1000, 9)

# Modes DECRQM can report on; everything else is answered "not recognised".
KNOWN_PRIVATE_MODES = frozenset(
    {1, 5, 6, 7, 9, 25, 47, 1000, 1002, 1003, 1004, 1006, 1047, 1049, 2004}
)
KNOWN_ANSI_MODES = frozenset({4, 20})


class ModeFlags:
    """Mixin for a ``pyte.Screen``: named views of ``self.mode``."""

    mode: set[int]

    @property
    def app_cursor(self) -> bool:
        """DECCKM: arrows send ``SS3 A`` instead of ``CSI A``."""
        return MODE_APP_CURSOR in self.mode

    @property
    def bracketed_paste(self) -> bool:
        """``?2004``: wrap pastes in ``CSI 200~`` ... ``CSI 201~``."""
        return MODE_BRACKETED_PASTE in self.mode

    @property
    def mouse_tracking(self) -> Optional[int]:
        """The active mouse tracking mode (1003, 1002, 1000 or 9), or ``None``."""
        for mode in MOUSE_TRACKING_MODES:
            if (mode << 5) in self.mode:
                return mode
        return None

    @property
    def sgr_mouse(self) -> bool:
        """``?1006``: mouse reports use the SGR form."""
        return MODE_SGR_MOUSE in self.mode

    @property
    def focus_reporting(self) -> bool:
        """``?1004``: the program wants ``CSI I``/``CSI O`` on focus changes."""
        return MODE_FOCUS_EVENTS in self.mode

    @property
    def cursor_visible(self) -> bool:
        """DECTCEM (``?25``) is set."""
        return mo.DECTCEM in self.mode
