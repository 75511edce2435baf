"""Things to prune, made on each engine and carrying the test session's label (so a test lists and
removes only its own: other tests share these engines, and bosun-test:latest must survive).

Images are `docker import` / `podman import` of a one-file tarball, tagged; importing again under the
same tag leaves the first one dangling, as a rebuild does. A build cache comes from a real build of a
two-line Dockerfile FROM the test image (no registry): on Docker through the API's BuildKit builder
(`POST /build?version=2`, which needs no buildx), on Podman through its compatible `/build`.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import tarfile

import aiohttp

from tests.engine.harness import IDLE, IMAGE, TEST_LABEL, FakeHarness, Harness


def _tarball(seed: str) -> bytes:
    data = (seed * 2048).encode()[:65536] + os.urandom(4096)  # some bytes of its own: a size to free
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo("payload")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


class Stuff:
    def __init__(self, harness: Harness) -> None:
        self.h = harness
        self.session = harness.session
        self.labels = harness.labels
        self.fake = harness.engine.storage if isinstance(harness, FakeHarness) else None
        self.cache_made: set[str] = set()  # build cache records our builds left, pruned at cleanup

    def ref(self, what: str) -> str:
        return f"bosun-units-{what}-{self.session}:latest"

    async def image(self, what: str) -> str:
        """Import an image tagged `ref(what)` (a second import of one name leaves the first dangling)."""
        if self.fake is not None:
            return self.fake.add_image(self.ref(what), size=65536, labels=self.labels)
        cli = ["docker", "-H", self.h.engine.url] if self.h.kind == "docker" else ["podman", "--url", self.h.engine.url]
        cmd = [*cli, "import", "--change", f"LABEL {TEST_LABEL}={self.session}", "-", self.ref(what)]
        done = await asyncio.to_thread(subprocess.run, cmd, input=_tarball(what + self.session), capture_output=True,
                                       timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        image_id = done.stdout.decode().strip().splitlines()[-1]
        return image_id.split(":", 1)[-1]

    async def build(self, what: str) -> set[str]:
        """Build `ref(what)` FROM the test image; the build cache records it left (none on Podman)."""
        if self.fake is not None:
            return {self.fake.add_cache(4096 + len(what), description=f"mount / from exec {what}"),
                    self.fake.add_cache(512, description="fileop target")}
        before = {b["ID"] for b in await self._cache_records()}
        dockerfile = (f"FROM {IMAGE}\nLABEL {TEST_LABEL}={self.session}\n"
                      f"RUN echo {what}-{self.session} > /built-{what}\n").encode()
        context = io.BytesIO()
        with tarfile.open(fileobj=context, mode="w") as tar:
            info = tarfile.TarInfo("Dockerfile")
            info.size = len(dockerfile)
            tar.addfile(info, io.BytesIO(dockerfile))
        params = {"t": self.ref(what), "rm": "1"}
        if self.h.kind == "docker":
            params["version"] = "2"  # BuildKit: the builder that keeps a build cache
        async with self.h.engine._client._query("build", "POST", params=params, data=context.getvalue(),
                                                headers={"Content-Type": "application/x-tar"},
                                                timeout=aiohttp.ClientTimeout(total=180)) as response:
            answer = (await response.read()).decode(errors="replace")
        assert response.status == 200, answer[-2000:]
        assert '"errorDetail"' not in answer and '"error"' not in answer, answer[-2000:]
        made = {b["ID"] for b in await self._cache_records()} - before
        self.cache_made |= made
        return made

    async def _cache_records(self) -> list[dict]:
        return (await self.h.engine._json("system/df")).get("BuildCache") or []

    async def cache_left(self, ids: set[str]) -> set[str]:
        """Which of these build cache records the engine still holds."""
        if self.fake is not None:
            return ids & set(self.fake.cache)
        return ids & {b["ID"] for b in await self._cache_records()}

    async def volume(self, what: str, *, mounted_by: str | None = None) -> str:
        name = f"bosun-units-{what}-{self.session}"
        if self.fake is not None:
            return self.fake.add_volume(name, size=4096, labels=self.labels)
        async with self.h.engine._request("volumes/create", "POST", body={"Name": name, "Labels": self.labels}):
            pass
        return name

    async def network(self, what: str) -> str:
        name = f"bosun-units-{what}-{self.session}"
        if self.fake is not None:
            return self.fake.add_network(name, labels=self.labels)
        async with self.h.engine._request("networks/create", "POST", body={"Name": name, "Labels": self.labels}) as r:
            return (await r.json(content_type=None))["Id"]

    async def user(self, what: str, *, volume: str, network: str) -> str:
        """A running container that mounts `volume` and is attached to `network` (network by id)."""
        if self.fake is not None:
            cid = await self.h.idle(what)
            self.fake.volumes[volume].mounted_by.add(cid)
            self.fake.networks[network].attached.add(cid)
            return cid
        body = {"Image": IMAGE, "Cmd": ["sh", "-c", IDLE], "Labels": self.labels,
                "HostConfig": {"Binds": [f"{volume}:/data"], "NetworkMode": await self._network_name(network)}}
        async with self.h.engine._request("containers/create", "POST", params={"name": self.h.name(what)},
                                          body=body) as r:
            cid = (await r.json(content_type=None))["Id"]
        await self.h.engine.start(cid)
        return cid

    async def _network_name(self, network: str) -> str:
        return (await self.h.engine._json(f"networks/{network}"))["Name"]

    async def tag(self, image_id: str, what: str) -> None:
        if self.fake is not None:
            self.fake.images[image_id].tags.append(self.ref(what))
            return
        repo, tag = self.ref(what).rsplit(":", 1)
        await self.h.engine._call(f"images/{image_id}/tag", params={"repo": repo, "tag": tag})

    async def exists(self, kind: str, ident: str) -> bool:
        if self.fake is not None:
            return ident in {"image": self.fake.images, "volume": self.fake.volumes,
                             "network": self.fake.networks}[kind]
        from tui.engine import NotFound

        if kind == "image":  # by the list: Podman answers 500, not 404, for an unknown bare id
            return ident in {i["Id"].split(":")[-1] for i in await self.h.engine._json("images/json")}
        path = { "volume": f"volumes/{ident}", "network": f"networks/{ident}"}[kind]
        try:
            await self.h.engine._json(path)
        except NotFound:
            return False
        return True

    async def cleanup(self) -> None:
        """Everything this session made, and nothing else (by its label)."""
        if self.fake is not None:
            return
        await self.h.cleanup()
        e = self.h.engine
        for record in sorted(await self.cache_left(self.cache_made)):  # a test that failed halfway left them
            try:
                async with e._request("build/prune", "POST",
                                      params={"all": "1", "filters": f'{{"id":["^{record}$"]}}'}) as r:
                    await r.read()
            except Exception:
                pass
        label = f'{{"label":["{TEST_LABEL}={self.session}"]}}'
        for image in await e._json("images/json", params={"filters": label}):
            for ref in [t for t in image.get("RepoTags") or [] if "<none>" not in t] or [image["Id"]]:
                try:
                    await e._call(f"images/{ref}", "DELETE", params={"force": "1"})
                except Exception:
                    pass
        for volume in (await e._json("volumes", params={"filters": label})).get("Volumes") or []:
            try:
                await e._call(f"volumes/{volume['Name']}", "DELETE", params={"force": "1"})
            except Exception:
                pass
        for network in await e._json("networks", params={"filters": label}):
            try:
                await e._call(f"networks/{network['Id']}", "DELETE")
            except Exception:
                pass
