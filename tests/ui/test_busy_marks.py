"""The busy mark of an action lasts until the action ends, whatever events arrive meanwhile (fake engine).

Docker sends `kill` as soon as a stop sends TERM; a container that ignores it
keeps running for the grace period. The row must keep saying "stopping…".
"""

from __future__ import annotations

import asyncio

from tests.waits import wait_until
from tui.engine import EventKind, FakeEngine

from .conftest import cell_text, dashboard, make_app, move_to


class StubbornEngine(FakeEngine):
    """`stop` sends the `kill` event at once, then waits (the grace period) until the test lets it go on."""

    def __init__(self) -> None:
        super().__init__()
        self.grace_over = asyncio.Event()
        self.killed = asyncio.Event()

    async def stop(self, container_id, grace=10):
        self._emit(container_id, EventKind.KILLED, action="kill")
        self.killed.set()
        await self.grace_over.wait()
        return await super().stop(container_id, grace)


async def test_an_event_during_a_stop_does_not_end_its_busy_mark():
    engine = StubbornEngine()
    cid = engine.add_container("stubborn")
    async with make_app(engine).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, cid)
        await pilot.press("x")
        await wait_until(lambda: engine.killed.is_set(), "the kill event", pilot=pilot)
        # The event has been through the feed and the table: the inspect it caused says "running".
        await wait_until(lambda: cid in screen.summaries and not screen._rows_scheduled and
                         not screen.feed._dirty, "the event to be handled", pilot=pilot)
        for _ in range(10):
            await pilot.pause()
        assert "stopping…" in cell_text(screen, cid, "state"), cell_text(screen, cid, "state")
        engine.grace_over.set()
        await wait_until(lambda: "exited" in cell_text(screen, cid, "state"), "the row to say exited", pilot=pilot,
                         detail=lambda: cell_text(screen, cid, "state"))
        assert cid not in screen.busy
