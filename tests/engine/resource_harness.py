"""Make images, volumes and networks for the resource contract tests, on a real engine or the fake.

Real images are `docker import` / `podman import` of the test image's root
filesystem (exported once per engine), each with the session's label so that
cleanup removes exactly what the tests made, never another helper's things or
`bosun-test:latest`. Volumes and networks carry the label too.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
from pathlib import Path

from tests.engine.harness import IDLE, IMAGE, TEST_LABEL, FakeHarness, Harness
from tui.engine import NotFound, State

_ROOTFS: dict[str, Path] = {}


def _cli(h: Harness) -> list[str]:
    url = h.engine.url
    return ["docker", "-H", url] if h.kind == "docker" else ["podman", "--url", url]


def _run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def _rootfs(h: Harness) -> Path:
    if h.kind not in _ROOTFS:
        path = Path(tempfile.gettempdir()) / f"bosun-views-rootfs-{h.kind}-{os.getpid()}.tar"
        container = _run([*_cli(h), "create", IMAGE, "sh"])
        try:
            _run([*_cli(h), "export", "-o", str(path), container])
        finally:
            _run([*_cli(h), "rm", "-f", container])
        _ROOTFS[h.kind] = path
    return _ROOTFS[h.kind]


class Resources:
    """What a test made, and how to make more, on the harness's engine."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.fake = isinstance(h, FakeHarness)
        self.count = 0

    def name(self, what: str) -> str:
        return self.h.name(what)

    async def image(self, *tags: str) -> str:
        """An image with these tags (none: dangling); its id."""
        self.count += 1
        marker = f"{self.h.session}-{self.count}"  # one config each: every import its own id
        if self.fake:
            return self.h.engine.resources.add_image(*tags, labels={TEST_LABEL: self.h.session, "n": marker})
        args = [*_cli(self.h), "import", "--change", f"LABEL {TEST_LABEL}={self.h.session}",
                "--change", f"LABEL n={marker}", str(_rootfs(self.h))]
        image_id = (await asyncio.to_thread(_run, [*args, *tags[:1]])).splitlines()[-1].strip()
        for tag in tags[1:]:
            repo, _, version = tag.rpartition(":")
            await self.h.engine.tag_image(image_id, repo, version)
        return image_id if image_id.startswith("sha256:") else f"sha256:{image_id}"

    async def volume(self, name: str) -> str:
        if self.fake:
            return self.h.engine.resources.add_volume(name, labels={TEST_LABEL: self.h.session})
        async with self.h.engine._request("volumes/create", "POST",
                                          body={"Name": name, "Labels": {TEST_LABEL: self.h.session}}) as r:
            return (await r.json(content_type=None))["Name"]

    async def network(self, name: str) -> str:
        if self.fake:
            return self.h.engine.resources.add_network(name)
        async with self.h.engine._request("networks/create", "POST",
                                          body={"Name": name, "Labels": {TEST_LABEL: self.h.session}}) as r:
            return (await r.json(content_type=None))["Id"]

    async def container(self, what: str, *, image: str = IMAGE, volume: str | None = None,
                        start: bool = True) -> str:
        """A container of `image` (idle), mounting `volume` at /data."""
        if self.fake:
            cid = self.h.engine.add_container(self.h.name(what), image, labels=self.h.labels,
                                              state=State.RUNNING if start else State.CREATED)
            if volume:
                self.h.engine.resources.mount(volume, cid)
            return cid
        body = {"Image": image, "Cmd": ["sh", "-c", IDLE], "Labels": self.h.labels,
                "HostConfig": {"Binds": [f"{volume}:/data"] if volume else []}}
        async with self.h.engine._request("containers/create", "POST", params={"name": self.h.name(what)},
                                          body=body) as r:
            cid = (await r.json(content_type=None))["Id"]
        if start:
            await self.h.engine.start(cid)
        return cid

    async def cleanup(self) -> None:
        await self.h.cleanup()  # containers first: they hold the rest
        engine = self.h.engine
        mine = {TEST_LABEL: self.h.session}
        for network in await engine.list_networks():
            if network.labels.get(TEST_LABEL) == self.h.session or (self.fake and network.name.startswith("bosun-test")):
                await engine.remove_network(network.id)
        for volume in await engine.list_volumes(sizes=False):
            if volume.labels.get(TEST_LABEL) == mine[TEST_LABEL]:
                await engine.remove_volume(volume.name)
        for image in await engine.list_images():
            if image.labels.get(TEST_LABEL) == mine[TEST_LABEL]:
                try:
                    await engine.remove_image(image.id, force=True)
                except NotFound:
                    pass
