"""The fake engine's images, volumes and networks, in memory, with the events a real engine sends.

Composed into `FakeEngine` (`fake.resources`); tests and the demo script it
with `add_image`, `add_volume`, `mount`, `add_network`. Refusals carry Docker's
own wording, so the UI is tested against the words users will see.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping

from tui.engine.errors import Conflict, EngineError, NotFound
from tui.engine.resources import (
    Attachment,
    ContainerRef,
    ImageSummary,
    NetworkSummary,
    RemovedImage,
    ResourceEvent,
    ResourceKind,
    VolumeSummary,
)
from tui.engine.types import State


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _full(reference: str) -> str:
    """`nginx` and `nginx:latest` are one reference (the tag defaults, as on the engines)."""
    last = reference.rsplit("/", 1)[-1]
    return reference if ":" in last or "@" in last else f"{reference}:latest"


@dataclass
class _Image:
    id: str
    tags: list[str]
    size: int
    created: datetime
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class _Volume:
    name: str
    driver: str
    created: datetime
    size: int | None
    labels: dict[str, str] = field(default_factory=dict)
    users: set[str] = field(default_factory=set)  # container ids mounting it


@dataclass
class _Network:
    id: str
    name: str
    driver: str
    subnet: str
    created: datetime
    scope: str = "local"
    attached: dict[str, str] = field(default_factory=dict)  # container id -> IPv4 address with prefix


class FakeResources:
    def __init__(self, engine: Any, publish: Callable[[object], None]) -> None:
        self.engine = engine
        self._publish = publish
        self.images: dict[str, _Image] = {}
        self.volumes: dict[str, _Volume] = {}
        self.networks: dict[str, _Network] = {}
        self._counter = 0

    # -- scripting -------------------------------------------------------------------------

    def _id(self, what: str) -> str:
        self._counter += 1
        return hashlib.sha256(f"{self.engine.name}/{what}/{self._counter}".encode()).hexdigest()

    def _emit(self, kind: ResourceKind, action: str, resource_id: str, **attributes: str) -> None:
        self._publish(ResourceEvent(kind=kind, action=action, id=resource_id, engine=self.engine.name, time=_now(),
                                    name=attributes.get("name"), attributes=dict(attributes)))

    def add_image(self, *tags: str, size: int = 5 << 20, age: timedelta = timedelta(0),
                  labels: Mapping[str, str] | None = None) -> str:
        """An image with these tags (none: a dangling one), as if pulled; returns its id."""
        image_id = "sha256:" + self._id("image")
        self.images[image_id] = _Image(image_id, [_full(t) for t in tags], size, _now() - age, dict(labels or {}))
        self._emit(ResourceKind.IMAGE, "pull", image_id, name=tags[0] if tags else image_id)
        return image_id

    def add_volume(self, name: str, *, driver: str = "local", size: int | None = 0,
                   labels: Mapping[str, str] | None = None, age: timedelta = timedelta(0)) -> str:
        self.volumes[name] = _Volume(name, driver, _now() - age, size, dict(labels or {}))
        self._emit(ResourceKind.VOLUME, "create", name, driver=driver)
        return name

    def mount(self, volume: str, container_id: str) -> None:
        """The container mounts the volume (as if created with `-v volume:/path`)."""
        self._volume(volume).users.add(self.engine._get(container_id).id)

    def add_network(self, name: str, *, driver: str = "bridge", subnet: str | None = None, scope: str = "local",
                    age: timedelta = timedelta(0)) -> str:
        network_id = self._id("network")
        number = len(self.networks) + 18
        self.networks[network_id] = _Network(network_id, name, driver,
                                             f"172.{number}.0.0/16" if subnet is None else subnet,
                                             _now() - age, scope)
        self._emit(ResourceKind.NETWORK, "create", network_id, name=name, type=driver)
        return network_id

    # -- lookups -----------------------------------------------------------------------------

    def _image(self, reference: str) -> _Image:
        found = self.images.get(reference) or self.images.get(f"sha256:{reference}")
        if found is None:
            full = _full(reference)
            found = next((i for i in self.images.values() if full in i.tags
                          or i.id.removeprefix("sha256:").startswith(reference.removeprefix("sha256:"))), None)
        if found is None:
            raise NotFound(f"No such image: {reference}", status=404, engine=self.engine.name)
        return found

    def _volume(self, name: str) -> _Volume:
        if name not in self.volumes:
            raise NotFound(f"get {name}: no such volume", status=404, engine=self.engine.name)
        return self.volumes[name]

    def _network(self, reference: str) -> _Network:
        found = self.networks.get(reference) or next(
            (n for n in self.networks.values() if n.name == reference or n.id.startswith(reference)), None)
        if found is None:
            raise NotFound(f"network {reference} not found", status=404, engine=self.engine.name)
        return found

    def _containers(self) -> dict[str, Any]:
        return self.engine._containers

    def _ref(self, container_id: str) -> ContainerRef:
        box = self._containers()[container_id]
        return ContainerRef(box.id, box.name)

    def _image_users(self, image: _Image) -> list[Any]:
        names = set(image.tags) | {image.id}
        return [box for box in self._containers().values() if _full(box.image) in names or box.image in names]

    # -- the Engine calls ------------------------------------------------------------------------

    def list_images(self) -> list[ImageSummary]:
        by_reference: dict[str, list[ContainerRef]] = {}  # one pass over the containers, not one per image
        for box in self._containers().values():
            by_reference.setdefault(_full(box.image), []).append(ContainerRef(box.id, box.name))
        out = []
        for i in self.images.values():
            users = {r for name in (*i.tags, i.id) for r in by_reference.get(name, ())}
            out.append(ImageSummary(
                id=i.id, engine=self.engine.name, tags=tuple(sorted(i.tags)), size=i.size, created=i.created,
                containers=tuple(sorted(users, key=lambda r: r.name)), labels=dict(i.labels)))
        return out

    def inspect_image(self, reference: str) -> dict[str, Any]:
        image = self._image(reference)
        return {"Id": image.id, "RepoTags": list(image.tags), "Created": image.created.isoformat(),
                "Size": image.size, "Config": {"Labels": dict(image.labels),
                                                    "Env": ["PATH=/usr/bin:/bin", "BUILD_TOKEN=tok-3141"]}}

    def remove_image(self, reference: str, *, force: bool = False) -> RemovedImage:
        image = self._image(reference)
        users = self._image_users(image)
        running = [b for b in users if b.state in (State.RUNNING, State.PAUSED, State.RESTARTING)]
        short = image.id.removeprefix("sha256:")[:12]
        if running:
            raise Conflict(f"conflict: unable to delete {short} (cannot be forced) - image is being used by "
                           f"running container {running[0].id[:12]}", status=409, engine=self.engine.name)
        if users and not force:
            raise Conflict(f"conflict: unable to delete {short} (must be forced) - image is being used by "
                           f"stopped container {users[0].id[:12]}", status=409, engine=self.engine.name)
        untagged = tuple(image.tags)
        for tag in untagged:
            self._emit(ResourceKind.IMAGE, "untag", image.id, name=tag)
        del self.images[image.id]
        self._emit(ResourceKind.IMAGE, "delete", image.id, name=untagged[0] if untagged else image.id)
        return RemovedImage(untagged, (image.id,))

    def tag_image(self, reference: str, repo: str, tag: str = "latest") -> None:
        image = self._image(reference)
        if not repo or any(c.isspace() for c in repo + tag) or repo != repo.lower():
            raise EngineError(f"invalid reference format: {repo}:{tag}", status=400, engine=self.engine.name)
        full = f"{repo}:{tag or 'latest'}"
        for other in self.images.values():  # a tag names one image: it moves
            if full in other.tags:
                other.tags.remove(full)
        image.tags.append(full)
        self._emit(ResourceKind.IMAGE, "tag", image.id, name=full)

    def list_volumes(self, *, sizes: bool = True) -> list[VolumeSummary]:
        live = self._containers()
        return [VolumeSummary(
            name=v.name, engine=self.engine.name, driver=v.driver, mountpoint=f"/var/lib/docker/volumes/{v.name}/_data",
            created=v.created, containers=tuple(sorted((self._ref(c) for c in v.users if c in live),
                                                       key=lambda r: r.name)),
            size=v.size if sizes else None, labels=dict(v.labels)) for v in self.volumes.values()]

    def inspect_volume(self, name: str) -> dict[str, Any]:
        volume = self._volume(name)
        return {"Name": volume.name, "Driver": volume.driver, "CreatedAt": volume.created.isoformat(),
                "Mountpoint": f"/var/lib/docker/volumes/{volume.name}/_data", "Labels": dict(volume.labels),
                "Scope": "local"}

    def remove_volume(self, name: str, *, force: bool = False) -> bool:
        volume = self.volumes.get(name)
        if volume is None:
            return False
        users = [c for c in volume.users if c in self._containers()]
        if users:
            raise Conflict(f"remove {name}: volume is in use - [{', '.join(users)}]", status=409,
                           engine=self.engine.name)
        del self.volumes[name]
        self._emit(ResourceKind.VOLUME, "destroy", name, driver=volume.driver)
        return True

    def list_networks(self) -> list[NetworkSummary]:
        live = self._containers()
        return [NetworkSummary(
            id=n.id, name=n.name, engine=self.engine.name, driver=n.driver, scope=n.scope,
            subnets=(n.subnet,) if n.subnet else (),
            created=n.created,
            attachments=tuple(sorted((Attachment(self._ref(c), ipv4=ip) for c, ip in n.attached.items() if c in live),
                                     key=lambda a: a.container.name)),
        ) for n in self.networks.values()]

    def inspect_network(self, reference: str) -> dict[str, Any]:
        network = self._network(reference)
        return {"Name": network.name, "Id": network.id, "Driver": network.driver, "Scope": network.scope,
                "IPAM": {"Config": [{"Subnet": network.subnet}]},
                "Containers": {c: {"Name": self._ref(c).name, "IPv4Address": ip}
                               for c, ip in network.attached.items() if c in self._containers()}}

    def remove_network(self, reference: str) -> bool:
        try:
            network = self._network(reference)
        except NotFound:
            return False
        if network.name in ("bridge", "host", "none"):
            raise EngineError(f"{network.name} is a pre-defined network and cannot be removed", status=403,
                              engine=self.engine.name)
        if any(c in self._containers() for c in network.attached):
            raise EngineError(f"error while removing network: network {network.name} id {network.id} has active "
                              "endpoints", status=403, engine=self.engine.name)
        del self.networks[network.id]
        self._emit(ResourceKind.NETWORK, "destroy", network.id, name=network.name, type=network.driver)
        return True

    def connect_network(self, reference: str, container_id: str) -> None:
        network = self._network(reference)
        box = self.engine._get(container_id)
        if box.id in network.attached:
            raise EngineError(f"endpoint with name {box.name} already exists in network {network.name}",
                              status=403, engine=self.engine.name)
        self.attach(network.id, box.id)
        self._emit(ResourceKind.NETWORK, "connect", network.id, name=network.name, container=box.id)

    def disconnect_network(self, reference: str, container_id: str, *, force: bool = False) -> None:
        network = self._network(reference)
        box = self.engine._get(container_id)
        if box.id not in network.attached:
            raise EngineError(f"container {box.id[:12]} is not connected to network {network.name}", status=403,
                              engine=self.engine.name)
        del network.attached[box.id]
        self._emit(ResourceKind.NETWORK, "disconnect", network.id, name=network.name, container=box.id)

    def attach(self, network: str, container_id: str) -> None:
        """Script: the container sits on the network (without an event, as if created there)."""
        net = self._network(network)
        box = self.engine._get(container_id)
        prefix = net.subnet.rsplit(".", 2)[0] if net.subnet.count(".") == 3 else "172.30"
        net.attached[box.id] = f"{prefix}.0.{len(net.attached) + 2}/16"
