"""The engines' line: each engine's state in words, from the fleet's members (pure)."""

from __future__ import annotations

import time

from tui.dashboard.engines_header import engines_text, member_state_text
from tui.engine.fleet import Member, MemberState
from tui.testing.fleet_fakes import fake_spec


def member(name: str, state: MemberState, reason: str = "", since: float | None = None,
           next_try: float | None = None, **spec) -> Member:
    m = Member(fake_spec(name, **spec))
    m.state, m.reason, m.since, m.next_try = state, reason, since, next_try
    return m


def test_each_state_in_words():
    now = 1_000_000.0
    assert member_state_text(member("a", MemberState.CONNECTED), now) == "connected"
    reconnecting = member("b", MemberState.RECONNECTING, "reset", since=now - 30, next_try=now + 3.2)
    since = time.strftime("%H:%M:%S", time.localtime(now - 30))
    assert member_state_text(reconnecting, now) == f"reconnecting since {since}, next try in 4s"
    assert member_state_text(member("c", MemberState.AUTH_FAILED, "permission denied (publickey)"), now) == \
        "auth failed: permission denied (publickey)"
    assert member_state_text(member("d", MemberState.UNREACHABLE, "connection refused", next_try=now + 1), now) == \
        "unreachable: connection refused, next try in 1s"


def test_a_try_in_flight_says_so_rather_than_next_try_in_0s():
    now = 1_000_000.0
    text = member_state_text(member("d", MemberState.UNREACHABLE, "did not answer", next_try=now - 4), now)
    assert text == "unreachable: did not answer, trying again…"


def test_line_is_plain_text_with_names_made_visible():
    line = engines_text([member("[bold]x\x1b[2J", MemberState.CONNECTED, read_only=True),
                         member("y", MemberState.UNREACHABLE, "no\x07 route")], default="y")
    assert "\x1b" not in line.plain and "\x07" not in line.plain
    assert "[bold]x" in line.plain and "(read-only)" in line.plain and "unreachable: no" in line.plain
