"""The three views: images (remove, force asked apart; tag), volumes (remove), networks (remove,
connect and disconnect a container)."""

from __future__ import annotations

from dataclasses import replace
from typing import AsyncIterator

from tui.engine import EngineError
from tui.engine.resources import ImageSummary, NetworkSummary, VolumeSummary
from tui.keys.registry import CONNECT_NETWORK, DISCONNECT_NETWORK, TAG_IMAGE, Scope
from tui.notice import notify
from tui.untrusted import visible
from tui.views.dialogs import ChooseContainerDialog, ConfirmResourceRemove, TagImageDialog
from tui.views.model import IMAGES, NETWORKS, VOLUMES
from tui.views.screen import NO_CURSOR, ResourceScreen
from tui.widgets.key_bindings import fallback_bindings, scope_bindings


def _names(refs) -> str:
    return ", ".join(visible(r.name) for r in refs[:5]) + (f" and {len(refs) - 5} more" if len(refs) > 5 else "")


class ImagesScreen(ResourceScreen):
    SPEC = IMAGES
    VIEW = "images"
    OWN_SCOPE = Scope.IMAGES
    BINDINGS = [*scope_bindings(Scope.IMAGES), *fallback_bindings(Scope.IMAGES)]

    async def fetch(self, reconcile: bool) -> AsyncIterator[list[ImageSummary]]:
        yield await self.engine.list_images()

    def remove_dialog(self, targets: list[ImageSummary]) -> ConfirmResourceRemove:
        used = [t for t in targets if t.in_use]
        warning = force = ""
        if used:
            users = [r for t in used for r in t.containers]
            warning = (f"{'It is' if len(targets) == 1 else f'{len(used)} are'} used by {_names(users)}: "
                       "Remove leaves an image in use alone (the engine says why).")
            force = ("Force remove also removes an image stopped containers use (Podman may remove those "
                     "containers with it); Docker keeps a running container's image.")
        return ConfirmResourceRemove("image", [self.item_name(t) for t in targets], warning=warning, force=force)

    async def remove_one(self, item: ImageSummary, force: bool) -> None:
        await self.engine.remove_image(item.id, force=force)

    async def inspect_one(self, item: ImageSummary) -> dict:
        return await self.engine.inspect_image(item.id)

    def why_not(self, action: str) -> str | None:
        reason = super().why_not(action)
        if reason is None and action == TAG_IMAGE and self.cursor_item is None:
            return NO_CURSOR
        return reason

    def action_tag_image(self) -> None:
        item = self.cursor_item
        if item is None or not self._may(TAG_IMAGE):
            return
        self.app.push_screen(TagImageDialog(self.item_name(item)),
                             lambda ref: ref and self.run_worker(self._tag(item, *ref), group="view-action",
                                                                 exit_on_error=False))

    async def _tag(self, item: ImageSummary, repo: str, tag: str) -> None:
        try:
            await self.engine.tag_image(item.id, repo, tag)
        except EngineError as exc:
            notify(self, str(exc), title=f"Tag {self.item_name(item)} failed", severity="error", timeout=10)
            return
        notify(self, f"Tagged {self.item_name(item)} as {visible(repo)}:{visible(tag)}", timeout=4)
        self.relist()


class VolumesScreen(ResourceScreen):
    SPEC = VOLUMES
    VIEW = "volumes"

    async def fetch(self, reconcile: bool) -> AsyncIterator[list[VolumeSummary]]:
        # Sizes come from /system/df, which measures every volume (and on Docker before API 1.42 every
        # image too): the list is drawn first, with the sizes known from before, and the slow re-list
        # asks no sizes at all (the engine's cost every 20 s, for figures that seldom move).
        known = {v.name: v.size for v in self.items.values() if v.size is not None}
        quick = await self.engine.list_volumes(sizes=False)
        yield [replace(v, size=known[v.name]) if v.size is None and v.name in known else v for v in quick]
        if not reconcile:
            yield await self.engine.list_volumes(sizes=True)

    def remove_dialog(self, targets: list[VolumeSummary]) -> ConfirmResourceRemove:
        used = [r for t in targets if t.in_use for r in t.containers]
        warning = f"Mounted by {_names(used)}: the engine refuses to remove a volume in use." if used else ""
        return ConfirmResourceRemove("volume", [t.name for t in targets], warning=warning)

    async def remove_one(self, item: VolumeSummary, force: bool) -> None:
        await self.engine.remove_volume(item.name)

    async def inspect_one(self, item: VolumeSummary) -> dict:
        return await self.engine.inspect_volume(item.name)


class NetworksScreen(ResourceScreen):
    SPEC = NETWORKS
    VIEW = "networks"
    OWN_SCOPE = Scope.NETWORKS
    BINDINGS = [*scope_bindings(Scope.NETWORKS), *fallback_bindings(Scope.NETWORKS)]

    async def fetch(self, reconcile: bool) -> AsyncIterator[list[NetworkSummary]]:
        yield await self.engine.list_networks()

    def remove_dialog(self, targets: list[NetworkSummary]) -> ConfirmResourceRemove:
        notes = []
        attached = [r for t in targets for r in t.containers]
        if attached:
            notes.append(f"Containers attached ({_names(attached)}): Docker refuses while they are, "
                         "Podman disconnects them.")
        builtin = [t.name for t in targets if t.builtin]
        if builtin:
            notes.append(f"{', '.join(builtin)}: the engine's own, which it does not remove.")
        return ConfirmResourceRemove("network", [t.name for t in targets], warning=" ".join(notes))

    async def remove_one(self, item: NetworkSummary, force: bool) -> None:
        await self.engine.remove_network(item.id)

    async def inspect_one(self, item: NetworkSummary) -> dict:
        return await self.engine.inspect_network(item.id)

    def why_not(self, action: str) -> str | None:
        reason = super().why_not(action)
        if reason is not None or action not in (CONNECT_NETWORK, DISCONNECT_NETWORK):
            return reason
        network = self.cursor_item
        if network is None:
            return NO_CURSOR
        if action == DISCONNECT_NETWORK and not network.attachments:
            return f"Disconnect: no container is on {visible(network.name)}"
        return None

    def action_connect_network(self) -> None:
        network = self.cursor_item
        if network is not None and self._may(CONNECT_NETWORK):
            self.run_worker(self._connect(network), group="view-action", exit_on_error=False)

    async def _connect(self, network: NetworkSummary) -> None:
        try:
            containers = await self.engine.list_containers(detailed=False)
        except EngineError as exc:
            notify(self, str(exc), title="Cannot list containers", severity="error", timeout=10)
            return
        on = {a.container.id for a in network.attachments}
        # A network and a container meet on one engine only: with several in view, the network's own.
        choices = [(c.id, f"{c.name}  ({c.state.value})") for c in sorted(containers, key=lambda c: c.name)
                   if c.id not in on and (not self.several or c.engine == network.engine)]
        if not choices:
            notify(self, f"Every container is on {visible(network.name)} already", timeout=4)
            return
        chosen = await self.app.push_screen_wait(
            ChooseContainerDialog(f"Connect which container to {network.name}?", choices))
        if chosen is None:
            return
        name = next(label for cid, label in choices if cid == chosen).split("  (")[0]
        try:
            await self.engine.connect_network(network.id, chosen)
        except EngineError as exc:
            notify(self, str(exc), title=f"Connect {visible(name)} failed", severity="error", timeout=10)
            return
        notify(self, f"Connected {visible(name)} to {visible(network.name)}", timeout=4)
        self.relist()

    def action_disconnect_network(self) -> None:
        network = self.cursor_item
        if network is not None and self._may(DISCONNECT_NETWORK):
            self.run_worker(self._disconnect(network), group="view-action", exit_on_error=False)

    async def _disconnect(self, network: NetworkSummary) -> None:
        choices = [(a.container.id, f"{a.container.name}  {a.address}".rstrip()) for a in network.attachments]
        chosen = await self.app.push_screen_wait(
            ChooseContainerDialog(f"Disconnect which container from {network.name}?", choices))
        if chosen is None:
            return
        name = next(a.container.name for a in network.attachments if a.container.id == chosen)
        try:
            await self.engine.disconnect_network(network.id, chosen)
        except EngineError as exc:
            notify(self, str(exc), title=f"Disconnect {visible(name)} failed", severity="error", timeout=10)
            return
        notify(self, f"Disconnected {visible(name)} from {visible(network.name)}", timeout=4)
        self.relist()


SCREENS: dict[str, type[ResourceScreen]] = {s.VIEW: s for s in (ImagesScreen, VolumesScreen, NetworksScreen)}
