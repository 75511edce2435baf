"""Snapshots of LogView: a stdout/stderr mix while following, search hits, timestamps on.

Baselines live in __snapshots__/; after an intended change of looks run
`python -m pytest tests/logs --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from tui.testing.log_app import LogApp, lines, mixed_chunks, settle
from tui.widgets.log.view import LogView

SIZE = (72, 14)


def feed(*extra_actions):
    async def run_before(pilot) -> None:
        await settle(pilot)
        view = pilot.app.query_one(LogView)
        for action in extra_actions:
            action(view)
        await settle(pilot)

    return run_before


def test_following_stdout_stderr_mix(snap_compare):
    app = LogApp(lines(0, 6) + mixed_chunks())
    assert snap_compare(app, terminal_size=SIZE, run_before=feed())


def test_search_hits(snap_compare):
    app = LogApp(mixed_chunks() + lines(0, 4))
    assert snap_compare(app, terminal_size=SIZE, run_before=feed(lambda v: v.search("info"), lambda v: v.next_match()))


def test_timestamps_on(snap_compare):
    app = LogApp(mixed_chunks())
    assert snap_compare(app, terminal_size=SIZE, run_before=feed(lambda v: v.action_toggle_timestamps()))
