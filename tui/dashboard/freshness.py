"""Which answer about a container is newest: the one asked of the engine last.

A re-list (the reconcile, the first detailed list) can take seconds on a busy
engine or through a client. An event's read-back or an action's read-back
asked after the list began is newer than what the list says, and a list that
lands later must not put back the older picture (a stopped container shown
running until the next reconcile; a removed one back in the list).
"""

from __future__ import annotations

from typing import Callable, Mapping, TypeVar

T = TypeVar("T")


class Freshness:
    """Per container key, when the engine was last asked about it (`time.monotonic()`)."""

    def __init__(self) -> None:
        self._asked: dict[str, float] = {}

    def update(self, key: str, asked_at: float) -> bool:
        """Record an answer about `key` asked at `asked_at`; False when a newer one is already held."""
        if asked_at < self._asked.get(key, float("-inf")):
            return False
        self._asked[key] = asked_at
        return True

    def merge(self, held: Mapping[str, T], listed: Mapping[str, T], asked_at: float,
              covers: Callable[[str], bool] = lambda key: True) -> dict[str, T]:
        """The list asked at `asked_at` of the keys `covers` accepts (one engine's, of several), except
        for keys whose news came later: held ones are kept (a container that changed or appeared since),
        missing ones stay missing (one that went since)."""
        later = {key for key, when in self._asked.items() if when > asked_at and covers(key)}
        merged = {key: value for key, value in listed.items() if key not in later}
        merged.update((key, held[key]) for key in later if key in held)
        # The list answers for everything asked before it: those times are no longer needed.
        self._asked = {key: when for key, when in self._asked.items() if key in later or not covers(key)}
        return merged
