"""The timeline: what happened to each container and to the whole engine, kept from bosun's start.

Pure (no Textual): `entry` says what an engine event means, `store` keeps the
entries bounded and answers the list's questions (restart loops, last deaths).
"""

from tui.timeline.entry import GLYPHS, TimelineEntry, What, what_of
from tui.timeline.store import TimelineStore

__all__ = ["GLYPHS", "TimelineEntry", "TimelineStore", "What", "what_of"]
