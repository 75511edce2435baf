"""A slow re-list never puts back what a newer read replaced (the list is of the moment it was asked)."""

from __future__ import annotations

import asyncio
import dataclasses
import time

from tests.waits import wait_until
from tui.dashboard.freshness import Freshness
from tui.dashboard.messages import ContainerGone, ContainersListed
from tui.engine import FakeEngine

from .conftest import cell_text, dashboard, make_app, row_keys


def test_an_answer_asked_later_wins_either_way_round():
    fresh = Freshness()
    assert fresh.update("a", 2.0)
    assert not fresh.update("a", 1.0), "an older read must not replace a newer one"
    held = {"a": "a-new", "b": "b-held"}
    merged = fresh.merge(held, {"a": "a-old", "b": "b-listed", "c": "c-listed"}, asked_at=1.5)
    assert merged == {"a": "a-new", "b": "b-listed", "c": "c-listed"}
    # A key that went after the list was asked stays gone; one that came after it stays.
    fresh.update("c", 3.0)
    fresh.update("d", 3.0)
    merged = fresh.merge({"a": "a", "d": "d-new"}, {"a": "a", "c": "c-old"}, asked_at=2.5)
    assert merged == {"a": "a", "d": "d-new"}
    # Once a list asked after them lands, the times are let go (bounded by what changed lately).
    assert fresh.merge({}, {"c": "c"}, asked_at=4.0) == {"c": "c"}
    assert fresh.update("c", 3.5)


def test_one_engines_list_leaves_the_others_times_alone():
    fresh = Freshness()
    fresh.update("b/1", 5.5)
    mine = lambda key: key.startswith("a/")  # noqa: E731
    fresh.merge({}, {"a/1": 1}, asked_at=6.0, covers=mine)
    merged = fresh.merge({"b/1": "new"}, {"b/1": "old"}, asked_at=5.0, covers=lambda key: key.startswith("b/"))
    assert merged == {"b/1": "new"}


async def test_a_slow_relist_does_not_put_back_a_stopped_container():
    fake = FakeEngine()
    web = fake.add_container("web")
    async with make_app(fake).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: "running" in cell_text(screen, web, "state"), "the row to say running", pilot=pilot)
        asked, gate, answered = asyncio.Event(), asyncio.Event(), asyncio.Event()
        real = fake.list_containers

        async def slow(**options):
            answer = await real(**options)  # the picture of the moment it was asked...
            asked.set()
            await gate.wait()  # ...delivered after the container stopped
            answered.set()
            return answer

        fake.list_containers = slow
        screen.engine_feed.reconcile_tick()
        await wait_until(asked.is_set, "the re-list to be asked", pilot=pilot)
        await fake.stop(web)
        await wait_until(lambda: "exited" in cell_text(screen, web, "state"), "the row to say exited", pilot=pilot,
                         detail=lambda: cell_text(screen, web, "state"))
        gate.set()
        await wait_until(answered.is_set, "the re-list to answer", pilot=pilot)
        await pilot.pause()
        await pilot.pause()
        assert "exited" in cell_text(screen, web, "state"), cell_text(screen, web, "state")


async def test_a_list_asked_before_a_removal_does_not_bring_the_row_back():
    fake = FakeEngine()
    keep = fake.add_container("keep")
    gone = fake.add_container("gone")
    async with make_app(fake).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        await wait_until(lambda: gone in row_keys(screen), "the row listed", pilot=pilot)
        before = time.monotonic()
        # The list renames `keep`, so its landing shows on the screen.
        stale = [dataclasses.replace(screen.summaries[keep], name="kept-renamed"), screen.summaries[gone]]
        screen.post_message(ContainerGone(gone))
        await wait_until(lambda: gone not in row_keys(screen), "the row gone", pilot=pilot)
        screen.post_message(ContainersListed(stale, asked_at=before))
        await wait_until(lambda: "kept-renamed" in cell_text(screen, keep, "name"), "the list drawn", pilot=pilot,
                         detail=lambda: cell_text(screen, keep, "name"))
        assert gone not in row_keys(screen), row_keys(screen)
