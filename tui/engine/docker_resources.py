"""Images, volumes and networks over the Docker API (Docker, and Podman's compatible API).

Composed into `DockerEngine` (`engine.resources`), which hands it its request
helpers; the parsing is `parse_resources`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

from tui.engine.errors import Conflict, EngineError, NotFound
from tui.engine.parse_resources import images_from_raw, networks_from_raw, removed_image_from_raw, volumes_from_raw
from tui.engine.resources import ImageSummary, NetworkSummary, RemovedImage, VolumeSummary

# What Docker and Podman say when an id names an image with several tags.
_SEVERAL_TAGS = ("multiple repositories", "more than one tag")


def _path(name: str) -> str:
    # An image reference carries `/` and `:`; a name a user typed may carry anything.
    return quote(name, safe="")


class DockerResources:
    def __init__(self, engine: Any) -> None:
        # The engine hands itself in (its request helpers, its containers): typed loosely, not imported back.
        self.engine = engine

    async def _containers(self) -> list[dict[str, Any]]:
        return await self.engine._json("containers/json", params={"all": "1"})

    # -- images ---------------------------------------------------------------------------

    async def list_images(self) -> list[ImageSummary]:
        images, containers = await asyncio.gather(self.engine._json("images/json"), self._containers())
        return images_from_raw(images or [], containers or [], self.engine.name)

    async def inspect_image(self, image_id: str) -> dict[str, Any]:
        return await self.engine._json(f"images/{_path(image_id)}/json")

    async def remove_image(self, image_id: str, *, force: bool = False) -> RemovedImage:
        try:
            return await self._delete_image(image_id, force)
        except EngineError as exc:  # Docker says 409, Podman 500
            if force or not any(words in exc.message for words in _SEVERAL_TAGS):
                raise
        # One id, several tags: without force the engines refuse the id. A user who asked to remove
        # the row means every tag, which is what untagging each one does, unless a container uses it.
        doc = await self.inspect_image(image_id)
        users = [c for c in await self._containers() if c.get("ImageID") == doc.get("Id")]
        if users:
            names = ", ".join(str((c.get("Names") or ["?"])[0]).lstrip("/") for c in users)
            raise Conflict(f"image {image_id[:19]} is being used by container(s) {names}", status=409,
                           engine=self.engine.name)
        untagged, deleted = [], []
        for tag in doc.get("RepoTags") or []:
            done = await self._delete_image(str(tag), False)
            untagged += done.untagged
            deleted += done.deleted
        return RemovedImage(tuple(untagged), tuple(deleted))

    async def _delete_image(self, name: str, force: bool) -> RemovedImage:
        async with self.engine._request(f"images/{_path(name)}", "DELETE",
                                        params={"force": "1" if force else "0"}) as response:
            return removed_image_from_raw(await response.json(content_type=None))

    async def tag_image(self, image_id: str, repo: str, tag: str = "latest") -> None:
        await self.engine._call(f"images/{_path(image_id)}/tag", params={"repo": repo, "tag": tag or "latest"})

    # -- volumes --------------------------------------------------------------------------

    async def list_volumes(self, *, sizes: bool = True) -> list[VolumeSummary]:
        calls = [self.engine._json("volumes"), self._containers()]
        if sizes:
            calls.append(self._df_volumes())
        document, containers, *df = await asyncio.gather(*calls)
        return volumes_from_raw(document or {}, containers or [], self.engine.name, df[0] if df else None)

    async def _df_volumes(self) -> dict[str, Any] | None:
        # /system/df measures every volume (and image): slow on a big host, so asked for volumes only
        # where the API allows it; an engine that cannot answer it still lists its volumes.
        try:
            return await self.engine._json("system/df", params={"type": "volume"})
        except EngineError:
            return None

    async def inspect_volume(self, name: str) -> dict[str, Any]:
        return await self.engine._json(f"volumes/{_path(name)}")

    async def remove_volume(self, name: str, *, force: bool = False) -> bool:
        try:
            await self.engine._call(f"volumes/{_path(name)}", "DELETE", params={"force": "1" if force else "0"})
        except NotFound:
            return False
        return True

    # -- networks -------------------------------------------------------------------------

    async def list_networks(self) -> list[NetworkSummary]:
        networks, containers = await asyncio.gather(self.engine._json("networks"), self._containers())
        return networks_from_raw(networks or [], containers or [], self.engine.name)

    async def inspect_network(self, network_id: str) -> dict[str, Any]:
        return await self.engine._json(f"networks/{_path(network_id)}")

    async def remove_network(self, network_id: str) -> bool:
        try:
            await self.engine._call(f"networks/{_path(network_id)}", "DELETE")
        except NotFound:
            return False
        return True

    async def connect_network(self, network_id: str, container_id: str) -> None:
        await self.engine._call(f"networks/{_path(network_id)}/connect", body={"Container": container_id})

    async def disconnect_network(self, network_id: str, container_id: str, *, force: bool = False) -> None:
        await self.engine._call(f"networks/{_path(network_id)}/disconnect",
                                body={"Container": container_id, "Force": force})


def event_filters() -> str:
    """The `filters` of `GET /events`: containers, and what the resource views follow."""
    return json.dumps({"type": ["container", "image", "volume", "network"]})
