"""The dashboard tells the engine when a container goes, so the engine's caches do not keep it."""

from __future__ import annotations

from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.dashboard.messages import ContainersListed

from .conftest import dashboard, make_app, row_keys


async def test_a_removed_container_is_forgotten_by_the_engine():
    fake = FakeEngine()
    keep = fake.add_container("keep")
    gone = fake.add_container("gone")
    async with make_app(fake).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        await fake.remove(gone, force=True)
        await wait_until(lambda: gone in fake.forgotten, "the engine told to forget the removed container",
                         pilot=pilot, detail=lambda: fake.forgotten)
        await wait_until(lambda: gone not in row_keys(screen), "the row gone", pilot=pilot)
        assert keep not in fake.forgotten


async def test_a_container_missing_from_a_new_list_is_forgotten():
    # A reconcile after lost events lists what is there: what it no longer holds went unannounced.
    fake = FakeEngine()
    keep = fake.add_container("keep")
    gone = fake.add_container("gone")
    async with make_app(fake).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        screen.post_message(ContainersListed([screen.summaries[keep]]))
        await wait_until(lambda: gone in fake.forgotten, "the engine told to forget the unlisted container",
                         pilot=pilot, detail=lambda: fake.forgotten)
        assert keep not in fake.forgotten
