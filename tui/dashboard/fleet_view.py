"""The dashboard with several engines in view: the engines' line, greyed rows, per-engine status, the picker.

Composed into `DashboardScreen`; idle (and costing nothing) with one engine.
The fleet (`tui.engine.fleet`) keeps each member's connection and state; this
part shows it: the line under the title, the rows of an engine that is down
greyed, a toast when an engine comes back, the picker (`H`).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tui.dashboard.engines_header import engines_text
from tui.dashboard.messages import ContainersListed, EngineStatus
from tui.engine.fleet import Fleet, Member, MemberState
from tui.notice import notify
from tui.untrusted import visible

#: The dashboard screen (not imported: it imports this module).
DashboardScreen = Any


class FleetView:
    def __init__(self, screen: DashboardScreen) -> None:
        self.screen = screen
        self.fleet: Fleet | None = None
        self.grouped = True  # engine → compose project → container
        self._lost: set[str] = set()  # engines whose stream dropped after they had listed
        self._timer = None

    @property
    def active(self) -> bool:
        return self.fleet is not None

    def attach(self, fleet: Fleet) -> None:
        from tui.dashboard.container_table import ContainerTable

        self.fleet = fleet
        fleet.changed = self._member_changed
        self.screen.query_one(ContainerTable).engines_shown = True
        line = Static(id="engines")
        self.screen.mount(line, after=self.screen.query_one("#titlebar"))
        self._timer = self.screen.set_interval(1.0, self.refresh)  # "next try in Ns" counts down
        self.refresh()

    # -- what the list needs ---------------------------------------------------------------------

    @property
    def down(self) -> frozenset[str]:
        """Engines whose rows are greyed: down now (not one still making its first connection: its rows,
        from the quick first list, are as fresh as can be)."""
        if self.fleet is None:
            return frozenset()
        return frozenset(name for name, m in self.fleet.members.items()
                         if not m.connected and m.state is not MemberState.CONNECTING)

    def group_order(self) -> list[str] | None:
        if self.fleet is None or not self.grouped:
            return None
        return list(self.fleet.members)

    @property
    def per_engine(self) -> bool:
        """Several engines, not grouped by engine: compose projects are still each one engine's."""
        return self.fleet is not None and not self.grouped

    def label(self) -> tuple[str, str]:
        count = len(self.fleet.members) if self.fleet else 0
        return (f"{count} engine{'s' if count != 1 else ''}", "")

    # -- the engines' line --------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.fleet is None or not self.screen.is_attached:
            return
        text = engines_text(self.fleet.members.values(), default=self.fleet.default)
        self.screen._set_static("#engines", text)

    def _member_changed(self, member: Member) -> None:
        # Told by the fleet (same loop) as a member connects, drops, retries.
        if not self.screen.is_attached:
            return
        self.refresh()
        self.screen.schedule_rows()  # grey or un-grey its rows

    # -- per-engine status from its feed ------------------------------------------------------------

    def engine_status(self, message: EngineStatus) -> None:
        name = message.engine or ""
        if message.connected:
            if name in self._lost:
                self._lost.discard(name)
                notify(self.screen, f"Reconnected to {visible(name)}", timeout=3)
        elif self.fleet is not None and name in self.fleet.members and self.fleet.members[name].ever_connected:
            self._lost.add(name)
        self.screen.logs.engine_status(message.connected, engine=name)
        self.screen.shells.engine_status(message.connected, message.reason, engine=name)
        self.refresh()
        self.screen.schedule_rows()

    # -- the picker ---------------------------------------------------------------------------------

    def open_picker(self) -> None:
        from tui.screens.engine_picker import EnginePickerScreen

        if self.fleet is None:
            notify(self.screen, "One engine in view: start bosun with several (--host A --host B, "
                                "--all-contexts or [[engines]] in the config) to pick among them", timeout=6)
            return
        self.screen.app.push_screen(EnginePickerScreen(self.fleet, self))

    def toggle(self, name: str) -> None:
        """Put the engine `name` in view, or take it out (its rows go, its connection closes)."""
        fleet = self.fleet
        if fleet is None:
            return
        if name in fleet.members:
            if len(fleet.members) == 1:
                notify(self.screen, "The last engine in view stays", timeout=4)
                return
            self.screen.engine_feed.drop_member(name)
            self.screen.run_worker(fleet.remove_member(name), group="fleet", exit_on_error=False)
            self.screen.post_message(ContainersListed([], name))
        else:
            spec = next(s for s in fleet.known if s.name == name)
            fleet.add(spec)
            self.screen.engine_feed.follow_member(name)
        self.screen.engine_label = self.label()
        self.refresh()
        self.screen.schedule_rows()

    def set_default(self, name: str) -> None:
        if self.fleet is not None:
            self.fleet.set_default(name)
            self.refresh()

    def toggle_grouping(self) -> None:
        self.grouped = not self.grouped
        self.screen.schedule_rows()
