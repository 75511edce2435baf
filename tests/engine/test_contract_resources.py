"""Contract: images, volumes and networks, and their events, the same on Docker, Podman and the fake.

Podman names a local image `localhost/<name>`: tags are compared by their end.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.engine.resource_harness import Resources
from tests.waits import poke_until, wait_until
from tui.engine import ContainerEvent, Conflict, EngineError, EventKind
from tui.engine.resources import ResourceEvent, ResourceKind

# The API backends on their local sockets, and the fake: the CLI backend has no resource views yet (it says so).
pytestmark = [pytest.mark.engine,
              pytest.mark.parametrize("engine_harness", ["docker", "podman", "fake"], indirect=True)]


@pytest.fixture
async def res(engine_harness):
    made = Resources(engine_harness)
    try:
        yield made
    finally:
        await made.cleanup()


def _has(tags, wanted: str) -> bool:
    return any(t == wanted or t.endswith("/" + wanted) for t in tags)


async def _image(engine, image_id):
    return next((i for i in await engine.list_images() if i.id == image_id), None)


async def test_an_image_is_one_row_with_all_its_tags_and_the_containers_using_it(res):
    repo = res.name("img")
    image_id = await res.image(f"{repo}:one", f"{repo}:two")
    dangling_id = await res.image()
    user = await res.container("user", image=image_id)
    image = await _image(res.h.engine, image_id)
    assert image is not None
    assert _has(image.tags, f"{repo}:one") and _has(image.tags, f"{repo}:two") and len(image.tags) == 2
    assert image.size > 0 and image.created is not None and not image.dangling
    assert [c.id for c in image.containers] == [user] and image.containers[0].name == res.name("user")
    dangling = await _image(res.h.engine, dangling_id)
    assert dangling.dangling and dangling.tags == () and dangling.containers == ()
    assert (await res.h.engine.inspect_image(image_id))["Id"] == image_id


async def test_removing_an_image_in_use_is_refused_in_the_engines_words_then_done_when_free(res):
    engine = res.h.engine
    repo = res.name("busy")
    image_id = await res.image(f"{repo}:a", f"{repo}:b")
    user = await res.container("busy", image=image_id, start=False)
    with pytest.raises(Conflict) as refused:
        await engine.remove_image(image_id)
    assert refused.value.message  # the engine's own text, shown as it is
    assert await _image(engine, image_id) is not None, "nothing removed on a refusal"
    await engine.remove(user, force=True)
    removed = await engine.remove_image(image_id)  # both tags, no force needed
    assert await _image(engine, image_id) is None
    assert len(removed.untagged) >= 2 or removed.deleted


async def test_force_removes_an_image_a_stopped_container_uses(res):
    engine = res.h.engine
    image_id = await res.image(f"{res.name('forced')}:x")
    await res.container("stopped", image=image_id, start=False)
    with pytest.raises(Conflict):
        await engine.remove_image(image_id)
    await engine.remove_image(image_id, force=True)
    assert await _image(engine, image_id) is None


async def test_tag_adds_a_tag_to_the_same_row(res):
    engine = res.h.engine
    repo = res.name("tagme")
    image_id = await res.image(f"{repo}:first")
    await engine.tag_image(image_id, repo, "second")
    image = await _image(engine, image_id)
    assert _has(image.tags, f"{repo}:first") and _has(image.tags, f"{repo}:second")
    with pytest.raises(EngineError):
        await engine.tag_image(image_id, "Not A Valid Name", "x")


async def test_volumes_list_their_containers_and_refuse_removal_while_mounted(res):
    engine = res.h.engine
    name = await res.volume(res.name("vol"))
    user = await res.container("mounter", volume=name)
    volume = next(v for v in await engine.list_volumes() if v.name == name)
    assert volume.driver == "local" and volume.created is not None
    assert [c.id for c in volume.containers] == [user]
    assert isinstance(volume.size, int) and volume.size >= 0  # /system/df's figure
    brief = next(v for v in await engine.list_volumes(sizes=False) if v.name == name)
    assert brief.containers == volume.containers
    assert (await engine.inspect_volume(name))["Name"] == name
    with pytest.raises(Conflict) as refused:
        await engine.remove_volume(name)
    assert "use" in refused.value.message
    await engine.remove(user, force=True)
    assert await engine.remove_volume(name) is True
    assert name not in {v.name for v in await engine.list_volumes(sizes=False)}
    assert await engine.remove_volume(name) is False


async def test_networks_connect_disconnect_and_remove(res):
    engine = res.h.engine
    network_id = await res.network(res.name("net"))
    container = await res.container("netuser")
    network = next(n for n in await engine.list_networks() if n.id == network_id)
    assert network.name == res.name("net") and network.driver == "bridge" and network.subnets
    assert network.attachments == ()
    await engine.connect_network(network_id, container)
    network = next(n for n in await engine.list_networks() if n.id == network_id)
    (attached,) = network.attachments
    assert attached.container.id == container and attached.container.name == res.name("netuser")
    assert attached.ipv4, "a running container on a bridge network has an address"
    assert (await engine.inspect_network(network_id))["Name"] == res.name("net")
    if res.h.kind != "podman":  # Podman removes a network with containers on it (it disconnects them)
        with pytest.raises(EngineError, match="active endpoints"):
            await engine.remove_network(network_id)
    await engine.disconnect_network(network_id, container)
    network = next(n for n in await engine.list_networks() if n.id == network_id)
    assert network.attachments == ()
    assert await engine.remove_network(network_id) is True
    assert network_id not in {n.id for n in await engine.list_networks()}


async def test_resource_events_come_on_the_one_stream_with_the_container_events(res):
    engine = res.h.engine
    seen: list = []

    async def follow():
        async for event in engine.events():
            seen.append(event)

    task = asyncio.create_task(follow())
    try:
        probes = iter(range(1000))
        # Events made before the stream opened are not replayed: make one until one is seen.
        await poke_until(lambda: res.volume(res.name(f"probe{next(probes)}")),
                         lambda: any(isinstance(e, ResourceEvent) for e in seen),
                         "the event stream to carry a volume event")
        image_id = await res.image(f"{res.name('ev')}:one")
        await engine.tag_image(image_id, res.name("ev"), "two")
        volume = await res.volume(res.name("evvol"))
        network_id = await res.network(res.name("evnet"))
        container = await res.container("evc")
        await engine.connect_network(network_id, container)

        def kinds():
            return {(e.kind, e.action.split(":")[0]) for e in seen if isinstance(e, ResourceEvent)}

        wanted = {(ResourceKind.IMAGE, "tag"), (ResourceKind.VOLUME, "create"), (ResourceKind.NETWORK, "connect")}
        if res.h.kind != "podman":  # Podman 4 sends no network create/remove events, only connect/disconnect
            wanted.add((ResourceKind.NETWORK, "create"))
        await wait_until(lambda: wanted <= kinds(), f"the events {sorted(wanted)}", timeout=15,
                         detail=lambda: sorted(kinds()))
        await wait_until(lambda: any(isinstance(e, ContainerEvent) and e.container_id == container
                                     and e.kind is EventKind.STARTED for e in seen),
                         "the container's start event on the same stream", timeout=15)
        volume_events = [e for e in seen if isinstance(e, ResourceEvent) and e.kind is ResourceKind.VOLUME]
        assert any(e.id == volume for e in volume_events)
    finally:
        task.cancel()
