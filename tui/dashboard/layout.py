"""Where the dashboard's pane area goes: beside or below the list, how wide, zoomed or hidden.

`PaneLayout` is composed into `DashboardScreen`: it mounts the pane area (after
the first frame: the list is what the user waits for) and sets the classes of
the screen's `#body` that `dashboard.tcss` lays out.
"""

from __future__ import annotations

from typing import Awaitable, Callable

from textual.screen import Screen

from tui.dashboard.container_table import ContainerTable
from tui.dashboard.pane_area import PaneArea

WIDE = 160  # columns from which `auto` puts the panes beside the list
LIST_SHARE = 0.7  # beside the panes, the list gets what its columns need up to this share...
PANE_MIN = 60  # ...and leaves the panes at least this many columns


class PaneLayout:
    """The pane area's place on the dashboard (see the module docstring)."""

    def __init__(self, screen: Screen, mounted: Callable[[], Awaitable[None]]) -> None:
        """`screen`: the dashboard (its `settings.panes`: the layout and whether the panes show at
        start); `mounted` runs once the area is there (the log tabs put their main pane in)."""
        self.screen = screen
        self.area: PaneArea | None = None
        self._mounted = mounted
        self._list_share: tuple[int, int] | None = None

    @property
    def body(self):
        return self.screen.query_one("#body")

    async def mount(self) -> None:
        if self.area is not None:
            return
        body = self.body
        self.area = PaneArea(id="panes")
        self.apply()
        body.set_class(not self.screen.settings.panes.visible, "panes-hidden")
        await body.mount(self.area)
        self.size_list()
        await self._mounted()

    def reveal(self) -> None:
        self.body.remove_class("panes-hidden")

    def apply(self) -> None:
        layout = self.screen.settings.panes.layout
        below = layout == "below" or (layout == "auto" and self.screen.size.width < WIDE)
        self.body.set_class(below, "below")

    def resized(self) -> None:
        if self.screen.settings.panes.layout == "auto":
            self.apply()
        self.size_list()

    def size_list(self) -> None:
        """Share the width beside the panes: the list what its columns need (up to a share), the panes the rest.

        Both are `1fr`; minimum widths tilt the split, so the list still takes
        the whole width when the panes are hidden, and the panes when zoomed.
        """
        if self.area is None:
            return
        total = self.screen.size.width
        table = self.screen.query_one(ContainerTable)
        share = max(min(table.wanted_width, int(total * LIST_SHARE), total - PANE_MIN), 0)
        if self._list_share == (total, share):
            return
        self._list_share = (total, share)
        self.screen.query_one("#list").styles.min_width = share
        self.area.styles.min_width = max(total - share, 0)

    def toggle(self) -> None:
        """Panes beside the list ⇄ below it; the log split turns the other way."""
        body = self.body
        below = not body.has_class("below")
        # The screen's settings, not the app's: a dashboard made later starts from the configured layout.
        self.screen.settings = self.screen.settings.replace(panes={"layout": "below" if below else "beside"})
        body.set_class(below, "below")
        if self.area is not None:
            self.area.split.set_class(not below, "stacked")

    def zoom(self) -> bool:
        """Cycle: list and panes → panes only → list only. True when the list alone shows now."""
        body = self.body
        if body.has_class("panes-hidden"):
            body.remove_class("panes-hidden")
        elif body.has_class("zoomed"):
            body.remove_class("zoomed")
            body.add_class("panes-hidden")
            return True
        else:
            body.add_class("zoomed")
        return False
