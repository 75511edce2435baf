"""What the dashboard holds of each container, kept true by the engine's messages.

Lists, updates and removals land here. Each answer is weighed by when the
engine was asked (`Freshness`: a slow re-list never puts back what a newer read
replaced), and the parts that show a container (log panes, shells, the
timeline, the engine's caches) hear what changed.
"""

from __future__ import annotations

from tui.dashboard.freshness import Freshness
from tui.dashboard.host import BookHost
from tui.dashboard.messages import ContainerGone, ContainersListed, ContainerUpdated
from tui.engine.fleet_routing import split_key


class ContainerBook:
    """Applies the engine's messages to the dashboard's `summaries`, `stats`, `selected` and `busy`."""

    def __init__(self, host: BookHost) -> None:
        self.host = host
        self.freshness = Freshness()

    def listed(self, message: ContainersListed) -> None:
        host, engine = self.host, message.engine
        covers = (lambda key: True) if engine is None else (lambda key: split_key(key)[0] == engine)
        listed = self.freshness.merge(host.summaries, {s.id: s for s in message.summaries}, message.asked_at, covers)
        if engine is not None:  # one engine's list, of several: the others' rows stay
            listed = {**{k: s for k, s in host.summaries.items() if not covers(k)}, **listed}
        host.engine_feed.forget(set(host.summaries) - set(listed))
        host.timeline.listed(message.summaries)
        host.summaries = listed
        for gone in set(host.stats) - set(listed):
            del host.stats[gone]
        host.selected &= set(listed)
        host.listed = True
        host.schedule_rows()

    def updated(self, message: ContainerUpdated) -> None:
        # The busy mark stays: an event of the container (Docker's `kill`, a
        # second into a stop with a grace period) is not the end of the action.
        host, summary = self.host, message.summary
        if not self.freshness.update(summary.id, message.asked_at):
            return
        host.summaries[summary.id] = summary
        host.timeline.summary_seen(summary)
        host.schedule_rows()
        host.logs.container_changed(summary)
        host.shells.container_changed(summary)

    def gone(self, message: ContainerGone) -> None:
        host, key = self.host, message.container_id
        if not self.freshness.update(key, message.asked_at):
            return
        host.engine_feed.forget([key])
        host.summaries.pop(key, None)
        host.stats.pop(key, None)
        host.selected.discard(key)
        host.busy.pop(key, None)
        host.schedule_rows()
        host.logs.container_gone(key)
        host.shells.container_gone(key)
