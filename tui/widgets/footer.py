"""The footer: the focused part's keys, `? Help` and `q Quit` always in view, and no leak.

Textual 8.2.8's Footer lays every key out in a row and lets the screen edge cut
the rest, so at 80 columns `? Help` and `q Quit` (last in the row) were never
seen. Here the keys the user must always find (help, quit, the palette) sit at
the right edge, and the other keys fill the room left in the order they come,
dropping whole keys (never half a word) when out of room.

It also stops a leak: Footer rebuilds its keys whenever the bindings change, and
each key is data-bound to the footer's `compact` reactive. The binding's watcher
stays in the footer's watcher list after the key is removed: Textual prunes
watchers of closed nodes only when the watched value changes, and `compact`
never does. So every cursor move that enables or disables a key kept a footer's
worth of dead widgets (hundreds of MB over a long session). Pruning after each
rebuild keeps the list to the live keys.

And it rebuilds once, only when what it shows changed: Textual's Footer queues
a rebuild per `refresh_bindings` (a screen shown, focused, listed and drawn asks
four to eight times in one frame), and each one mounts every key again and
restyles them, a good part of a view's first draw.

A queued rebuild can be dropped: Textual runs an after-refresh callback with the
screen on top when the footer reads the request, and a dialog closing just then
(the save dialog dismisses itself from its worker) takes the callback with it.
The footer then kept the keys of the part focused before the dialog for good
(escape moved the focus to the list, the footer still said "esc Back to list").
So whenever the footer's screen comes back on top, it forgets any rebuild it
thought queued and asks again.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.keys.registry import ACTIONS, COMMAND_PALETTE, FOOTER_PINNED

#: Binding ids kept in view at the right edge, in this order.
PINNED = FOOTER_PINNED


class LeanFooter(Footer):
    DEFAULT_CSS = """
    LeanFooter > #pinned { dock: right; width: auto; height: 1; }
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("show_command_palette", False)  # pinned with help and quit instead
        super().__init__(**kwargs)
        self._laid_out_width = 0
        self._rebuild_queued = False
        self._shown: tuple | None = None  # what the last rebuild laid out (keys, states, width)

    def on_mount(self) -> None:
        # Footer's own on_mount (subscribing to the bindings) runs too: Textual calls each class's handler.
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)

    def _screen_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = False  # queued under the screen that just left, it may be gone with it
            self.bindings_changed(screen)

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            return
        if not self._rebuild_queued:  # one rebuild for a burst: it reads the bindings when it runs
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_queued = False
        if self.is_attached and not self._pruning and self._layout_key() != self._shown:
            await self.recompose()

    def _layout_key(self) -> tuple:
        bindings = tuple((b.id, b.key, b.description, b.show, enabled, tooltip)
                         for _, b, enabled, tooltip in self.screen.active_bindings.values())
        return bindings, self.size.width, self.compact

    async def recompose(self) -> None:
        self._shown = self._layout_key() if self._bindings_ready and self.is_attached else None
        await super().recompose()
        self.prune_watchers()

    def prune_watchers(self) -> None:
        """Forget watchers registered by nodes that have since been removed."""
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if not (node._closing or node._closed)]

    def _key(self, binding: Binding, enabled: bool, tooltip: str, *, palette: bool = False) -> FooterKey:
        description = "palette" if palette else binding.description
        return FooterKey(binding.key, self.app.get_key_display(binding), description, binding.action,
                         disabled=not enabled, tooltip=tooltip or binding.description
                         ).data_bind(compact=Footer.compact)

    def _width(self, binding: Binding, palette: bool = False) -> int:
        # FooterKey draws " key " then "description " (its default padding), and a compact
        # footer adds one cell of margin.
        description = "palette" if palette else binding.description
        width = cell_len(self.app.get_key_display(binding)) + 2 + (cell_len(description) + 1 if description else 0)
        return width + (1 if self.compact else 0)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        first: dict[str, tuple[Binding, bool, str]] = {}
        pinned: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            palette = binding.action in (COMMAND_PALETTE, f"app.{COMMAND_PALETTE}")
            if binding.id in PINNED and (binding.show or palette):
                pinned.setdefault(binding.id, (binding, enabled, tooltip))
            elif binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        order = [pinned[i] for i in PINNED if i in pinned]
        # A remapped binding comes last out of Textual's keymap: keep the registry's order.
        rank = {action.id: n for n, action in enumerate(ACTIONS)}
        keys = sorted(first.values(), key=lambda item: rank.get(item[0].id or "", len(rank)))
        room = self.size.width - sum(self._width(b, b.id == COMMAND_PALETTE) for b, _, _ in order)
        self._laid_out_width = self.size.width
        for binding, enabled, tooltip in keys:
            width = self._width(binding)
            if self.size.width and width > room:
                break  # the keys come most useful first: the rest drop off
            room -= width
            yield self._key(binding, enabled, tooltip)
        if order:
            with HorizontalGroup(id="pinned"):
                for binding, enabled, tooltip in order:
                    yield self._key(binding, enabled, tooltip, palette=binding.id == COMMAND_PALETTE)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_width and self._bindings_ready:
            self.refresh(recompose=True)
