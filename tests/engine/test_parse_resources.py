"""Images, volumes, networks and their events from Docker's and Podman's documents (shapes as they answer)."""

from __future__ import annotations

from tui.engine.parse import event_from_raw
from tui.engine.parse_resources import (
    images_from_raw,
    networks_from_raw,
    removed_image_from_raw,
    resource_event_from_raw,
    volumes_from_raw,
)
from tui.engine.resources import ResourceKind

CONTAINERS = [
    {"Id": "c1", "Names": ["/web"], "ImageID": "sha256:aaa", "Mounts": [{"Type": "volume", "Name": "data"},
                                                                          {"Type": "bind", "Source": "/etc"}],
     "NetworkSettings": {"Networks": {"front": {"NetworkID": "n1", "IPAddress": "172.18.0.2", "IPPrefixLen": 16}}}},
    {"Id": "c2", "Names": ["/db"], "ImageID": "sha256:aaa", "Mounts": [],
     "NetworkSettings": {"Networks": {"podman": {"NetworkID": "podman", "IPAddress": "10.88.0.5", "IPPrefixLen": 16}}}},
]


def test_docker_images_with_tags_dangling_and_users():
    raw = [
        {"Id": "sha256:aaa", "RepoTags": ["nginx:latest", "nginx:1.27"], "Created": 1700000000, "Size": 1000,
         "Containers": -1, "Labels": None},
        {"Id": "sha256:bbb", "RepoTags": ["<none>:<none>"], "RepoDigests": ["<none>@<none>"], "Created": 1,
         "Size": 5},
    ]
    tagged, dangling = images_from_raw(raw, CONTAINERS, "docker")
    assert tagged.tags == ("nginx:1.27", "nginx:latest") and not tagged.dangling
    assert [c.name for c in tagged.containers] == ["db", "web"] and tagged.in_use
    assert tagged.short_id == "aaa" and tagged.created.year == 2023
    assert dangling.dangling and dangling.tags == () and dangling.digests == () and not dangling.in_use


def test_podman_images_have_null_tags_when_untagged():
    raw = [{"Id": "sha256:ccc", "RepoTags": None, "Names": None, "Created": 1700000000, "Size": 7, "Containers": 0,
            "Labels": {"a": "b"}}]
    (image,) = images_from_raw(raw, [], "podman")
    assert image.dangling and image.labels == {"a": "b"}


def test_volumes_take_their_users_from_mounts_and_sizes_from_df():
    document = {"Volumes": [{"Name": "data", "Driver": "local", "Mountpoint": "/v/data", "CreatedAt":
                             "2026-12-02T02:53:03Z", "Labels": None, "Scope": "local"},
                            {"Name": "other", "Driver": "local", "Mountpoint": "/v/o", "CreatedAt": "", "Labels": {}}],
                "Warnings": None}
    df = {"Volumes": [{"Name": "data", "UsageData": {"Size": 4096, "RefCount": 1}},
                      {"Name": "other", "UsageData": {"Size": -1, "RefCount": 0}}]}
    data, other = volumes_from_raw(document, CONTAINERS, "docker", df)
    assert [c.name for c in data.containers] == ["web"] and data.size == 4096 and data.created is not None
    assert other.size is None and other.containers == () and other.created is None  # -1: not measured
    brief, _ = volumes_from_raw(document, CONTAINERS, "docker")
    assert brief.size is None


def test_docker_networks_get_their_containers_from_the_containers():
    raw = [{"Name": "front", "Id": "n1", "Driver": "bridge", "Scope": "local", "Containers": {},
            "IPAM": {"Config": [{"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"}]}}]
    (front,) = networks_from_raw(raw, CONTAINERS, "docker")
    (attached,) = front.attachments
    assert attached.container.name == "web" and attached.ipv4 == "172.18.0.2/16" and front.subnets == ("172.18.0.0/16",)


def test_podman_networks_list_their_containers_and_call_the_default_one_bridge():
    raw = [{"Name": "bridge", "Id": "2f25", "Driver": "bridge", "Scope": "local",
            "IPAM": {"Config": [{"Subnet": "10.88.0.0/16"}]},
            "Containers": {"c2": {"Name": "db", "IPv4Address": "10.88.0.5/16", "IPv6Address": ""}}}]
    (bridge,) = networks_from_raw(raw, CONTAINERS, "podman")
    assert [(a.container.name, a.address) for a in bridge.attachments] == [("db", "10.88.0.5/16")]
    assert bridge.builtin


def test_removed_image_reports_untagged_and_deleted():
    removed = removed_image_from_raw([{"Untagged": "nginx:latest"}, {"Deleted": "sha256:aaa"}])
    assert removed.untagged == ("nginx:latest",) and removed.deleted == ("sha256:aaa",)


def test_resource_events_and_container_events_stay_apart():
    image = {"Type": "image", "Action": "tag", "Actor": {"ID": "sha256:aaa", "Attributes": {"name": "x:1"}},
             "timeNano": 1796180648363626390}
    volume_podman = {"Type": "volume", "Action": "create", "Actor": {"ID": "", "Attributes": {"name": "data"}},
                     "time": 1796180601}
    network = {"Type": "network", "Action": "connect", "Actor": {"ID": "n1", "Attributes": {"container": "c1"}}}
    container = {"Type": "container", "Action": "start", "Actor": {"ID": "c1", "Attributes": {"name": "web"}}}
    tag = resource_event_from_raw(image, "docker")
    assert tag.kind is ResourceKind.IMAGE and tag.action == "tag" and tag.name == "x:1" and tag.time.year == 2026
    assert resource_event_from_raw(volume_podman, "podman").id == "data"
    assert resource_event_from_raw(network, "docker").attributes["container"] == "c1"
    assert resource_event_from_raw(container, "docker") is None
    for raw in (image, volume_podman, network):
        assert event_from_raw(raw, "docker") is None  # the container feed never sees them
    assert event_from_raw(container, "docker").container_id == "c1"
