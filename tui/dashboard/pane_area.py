"""`PaneArea`: the tabs beside (or below) the container list.

The first tab, `logs`, holds one or two log panes (a split, side by side or
stacked); every other tab holds one shell. Tabs stay mounted while the user moves
around, so a shell keeps running and a hidden log pane keeps its lines (it does
no rendering work while hidden).
"""

from __future__ import annotations

from textual.containers import Container
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

LOGS_TAB = "logs"


class LogSplit(Container):
    """Holds the log panes of the `logs` tab; class `stacked` puts them one above the other."""

    DEFAULT_CSS = """
    LogSplit { layout: horizontal; height: 1fr; }
    LogSplit.stacked { layout: vertical; }
    LogSplit > * { width: 1fr; height: 1fr; }
    """


class PaneArea(TabbedContent):
    """The log tab and the shell tabs (see the module docstring)."""

    DEFAULT_CSS = """
    PaneArea { height: 1fr; }
    PaneArea > ContentSwitcher { height: 1fr; }
    PaneArea TabPane { padding: 0; height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(initial=LOGS_TAB, id=id, classes=classes)
        self._tab_content.append(TabPane("Logs", LogSplit(), id=LOGS_TAB))

    @property
    def split(self) -> LogSplit:
        return self.query_one(LogSplit)

    def has_tab(self, tab_id: str) -> bool:
        return bool(self.query(f"TabPane#{tab_id}"))

    async def add_tab(self, widget: Widget, title: str, tab_id: str) -> None:
        """Add a tab holding `widget` (title shown literally) and show it."""
        pane = TabPane(_plain(title), widget, id=tab_id)
        await self.add_pane(pane)
        self.active = tab_id

    async def remove_tab(self, tab_id: str) -> None:
        if self.has_tab(tab_id):
            await self.remove_pane(tab_id)
        if not self.active:
            self.active = LOGS_TAB

    def set_title(self, tab_id: str, title: str) -> None:
        if self.has_tab(tab_id):
            self.get_tab(tab_id).label = _plain(title)

    def tab_ids(self) -> list[str]:
        return [pane.id for pane in self.query(TabPane) if pane.id]


def _plain(title: str):
    from textual.content import Content

    # Content (not a str, and not rich Text, which TabPane cannot take) is never read as
    # markup: container names are untrusted.
    return Content(title)
