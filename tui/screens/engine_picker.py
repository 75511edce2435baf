"""The engine picker (`H`): every engine bosun knows, in view or not; toggle each, choose the default.

It lists the fleet's known specs (flags, contexts, connections, `[[engines]]`)
with each one's connection state, and hands the choices to the dashboard's
`FleetView`, which adds or removes the engine and its feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.dashboard.engines_header import member_state_text
from tui.keys.registry import CLOSE
from tui.untrusted import one_line

if TYPE_CHECKING:
    from tui.engine.fleet import Fleet

#: The dashboard's FleetView (not imported: it opens this screen).
FleetView = Any


class EnginePickerScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    EnginePickerScreen { align: center middle; }
    EnginePickerScreen #picker { width: 90%; max-width: 110; height: auto; max-height: 80%;
                                 border: thick $accent; background: $surface; padding: 0 1; }
    EnginePickerScreen OptionList { height: auto; max-height: 20; border: none; }
    EnginePickerScreen #picker-help { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,q,H", CLOSE, "Close"),
        Binding("space", "toggle", "In view / out"),
        Binding("d", "default", "Default"),
        Binding("g", "group", "Group by engine"),
    ]

    def __init__(self, fleet: Fleet, view: FleetView) -> None:
        super().__init__()
        self.fleet = fleet
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("Engines", "bold"))
            yield OptionList(*self._options(), id="engines-list")
            yield Static(self._help(), id="picker-help")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))
        self.set_interval(1.0, self._redraw)  # states change (connected, next try in Ns)

    def _options(self) -> list[Option]:
        options = []
        for spec in self.fleet.known:
            member = self.fleet.members.get(spec.name)
            line = Text()
            line.append("[x] " if member is not None else "[ ] ", "bold")
            line.append(one_line(spec.name, 40), "bold")
            line.append(f"  {one_line(spec.host, 60)}", "dim")
            if spec.name == self.fleet.default:
                line.append("  default", "bold")
            if spec.read_only:
                line.append("  read-only", "dim")
            line.append(f"  {member_state_text(member) if member is not None else 'not in view'}")
            options.append(Option(line, id=spec.name))
        return options

    def _redraw(self) -> None:
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(self._options())
        if highlighted is not None and listing.option_count:
            listing.highlighted = min(highlighted, listing.option_count - 1)
        self.query_one("#picker-help", Static).update(self._help())

    def _help(self) -> Text:
        grouped = "on" if self.view.grouped else "off"
        return Text(f"space/enter: in view or out   d: default   g: group the list by engine ({grouped})   "
                    "escape: close")

    def _current(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_toggle()

    def action_toggle(self) -> None:
        name = self._current()
        if name is not None:
            self.view.toggle(name)
            self._redraw()

    def action_default(self) -> None:
        name = self._current()
        if name is not None:
            self.view.set_default(name)
            self._redraw()

    def action_group(self) -> None:
        self.view.toggle_grouping()
        self._redraw()

    def action_close(self) -> None:
        self.dismiss(None)
