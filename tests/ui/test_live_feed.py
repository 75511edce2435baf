"""The live feed's reconcile: one brief list, inspects only where the list disagrees."""

from __future__ import annotations

from tui.engine import FakeEngine, State
from tui.dashboard.live import LiveFeed
from tui.dashboard.messages import ContainersListed


class CountingFake(FakeEngine):
    def __init__(self) -> None:
        super().__init__()
        self.inspected: list[str] = []

    async def summary(self, container_id):
        self.inspected.append(container_id)
        return await super().summary(container_id)


async def test_reconcile_inspects_only_what_drifted():
    fake = CountingFake()
    steady = fake.add_container("steady")
    changed = fake.add_container("changed")
    posted = []
    feed = LiveFeed(fake, posted.append)
    known = {s.id: s for s in await fake.list_containers()}
    fake.exit(changed, 4)  # an event we "missed"
    new = fake.add_container("new")
    await feed.reconcile(known)
    (message,) = posted
    assert isinstance(message, ContainersListed)
    by_id = {s.id: s for s in message.summaries}
    assert set(by_id) == {steady, changed, new}
    assert by_id[changed].state is State.EXITED and by_id[changed].exit_code == 4
    assert sorted(fake.inspected) == sorted([changed, new])
    fake.inspected.clear()
    await fake.remove(new, force=True)
    await feed.reconcile(by_id)
    assert fake.inspected == [] and new not in {s.id for s in posted[-1].summaries}
