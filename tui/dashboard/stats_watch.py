"""What the stats screen graphs, served by the dashboard's own stats round.

The dashboard samples the running containers its list shows, every
`stats.interval`, and keeps minutes of history per container. The stats
screen asks for no second loop: it names its containers here, the round
samples them too (also while the screen hides the list, when the list's own
are skipped), and the screen is told after each round. Its history is the
dashboard's, so a container that was on screen opens with minutes of graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from tui.dashboard.model import StatsHistory
    from tui.engine import StatsSample


class StatsWatch:
    def __init__(self, stats: dict[str, StatsHistory], collect: Callable[[], None]) -> None:
        self._stats = stats
        self._collect = collect
        self.keys: frozenset[str] = frozenset()
        self._listener: Callable[[], None] | None = None

    def start(self, keys: frozenset[str], listener: Callable[[], None]) -> None:
        """Sample `keys` every round from now on (and once at once), and call `listener` after each."""
        self.keys, self._listener = keys, listener
        self._collect()

    def stop(self) -> None:
        self.keys, self._listener = frozenset(), None

    def arrived(self) -> None:
        """A stats round landed in the history."""
        if self._listener is not None:
            self._listener()

    def histories(self) -> list[list[StatsSample]]:
        """Each watched container's samples, oldest first (those not sampled yet are left out)."""
        return [list(self._stats[key].samples) for key in sorted(self.keys) if key in self._stats]
