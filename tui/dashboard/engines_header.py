"""The dashboard's line of engines, with several in view: each engine's name and how its connection is.

Pure: members in, a Rich Text out (no markup: names and reasons come from
config files and from the engines, so they are shown as plain text).
"""

from __future__ import annotations

import math
import time
from typing import Iterable

from rich.text import Text

from tui.engine.fleet import Member, MemberState
from tui.untrusted import one_line

_LOOK = {
    MemberState.CONNECTED: ("●", "green"),
    MemberState.CONNECTING: ("◌", "yellow"),
    MemberState.RECONNECTING: ("↻", "yellow"),
    MemberState.AUTH_FAILED: ("✖", "bold red"),
    MemberState.UNREACHABLE: ("✖", "red"),
}


def _clock(moment: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(moment))


def member_state_text(member: Member, now: float | None = None) -> str:
    """`connected`, `reconnecting since 03:12:04, next try in 4s`, `unreachable: why` … (plain text)."""
    now = time.time() if now is None else now
    state = member.state
    words = state.value
    if state is MemberState.RECONNECTING and member.since is not None:
        words += f" since {_clock(member.since)}"
    if state in (MemberState.UNREACHABLE, MemberState.AUTH_FAILED) and member.reason:
        words += f": {one_line(member.reason, 80)}"
    if state in (MemberState.RECONNECTING, MemberState.UNREACHABLE) and member.next_try is not None:
        left = member.next_try - now
        words += f", next try in {math.ceil(left)}s" if left > 0 else ", trying again…"
    return words


def engines_text(members: Iterable[Member], *, default: str = "", now: float | None = None) -> Text:
    text = Text(no_wrap=False)
    for member in members:
        if text:
            text.append("   ")
        glyph, style = _LOOK[member.state]
        # A no-break space: "● dock" must not read as a list row ("● running") to tools that scan the screen.
        text.append(f"{glyph}\u00a0", style)
        text.append(one_line(member.name, 40), "bold" if member.name == default else "")
        if member.read_only:
            text.append(" (read-only)", "dim")
        if member.state is not MemberState.CONNECTED:
            text.append(f" {member_state_text(member, now)}", style)
    return text
