"""A Footer that does not leak its key widgets.

Textual 8.2.8's Footer rebuilds its keys whenever the bindings change, and
each key is data-bound to the footer's `compact` reactive. The binding's
watcher stays in the footer's watcher list after the key is removed: Textual
prunes watchers of closed nodes only when the watched value changes, and
`compact` never does. So every cursor move that enables or disables a key
kept a footer's worth of dead widgets (hundreds of MB over a long session).
Pruning after each rebuild keeps the list to the live keys.
"""

from __future__ import annotations

from textual.widgets import Footer


class LeanFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self.prune_watchers()

    def prune_watchers(self) -> None:
        """Forget watchers registered by nodes that have since been removed."""
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if not (node._closing or node._closed)]
