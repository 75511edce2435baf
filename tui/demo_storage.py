"""The demo engine's images, volumes, networks and build cache: something for disk usage and prune to show."""

from __future__ import annotations

from tui.engine import FakeEngine

MB = 1 << 20


def add_demo_storage(fake: FakeEngine) -> None:
    storage = fake.storage
    by_name = {s.name: s.id for s in [fake._containers[i].summary(fake.name) for i in fake.container_ids()]}
    for image, size in (("nginx:1.27", 188), ("ghcr.io/acme/shop-api:2.4.1", 312), ("postgres:16", 431),
                        ("ghcr.io/acme/shop-worker:2.4.1", 298), ("prom/prometheus:v2.53", 262),
                        ("grafana/grafana:11.1", 447), ("redis:7-alpine", 41), ("alpine:3.20", 8),
                        ("debian:bookworm", 117), ("docker:27-dind", 389)):
        storage.add_image(image, size=size * MB, shared=8 * MB if image != "alpine:3.20" else 0)
    storage.add_image("ghcr.io/acme/shop-api:2.4.0", size=309 * MB, shared=8 * MB)  # unused, tagged
    storage.add_image("ghcr.io/acme/shop-api:2.4.1", size=311 * MB, shared=8 * MB)  # a rebuild: one more dangling
    storage.add_image(size=96 * MB)  # an untagged leftover
    storage.add_volume("shop_pgdata", size=1270 * MB, mounted_by=(by_name["shop-db-1"],))
    storage.add_volume("metrics_grafana", size=22 * MB, mounted_by=(by_name["metrics-grafana-1"],))
    storage.add_volume("old_uploads", size=340 * MB)
    storage.add_network("shop_default", attached=tuple(by_name[n] for n in by_name if n.startswith("shop-")))
    storage.add_network("metrics_default", attached=(by_name["metrics-prometheus-1"], by_name["metrics-grafana-1"]))
    storage.add_network("legacy_net")
    storage.add_cache(640 * MB, description="mount / from exec /bin/sh -c apt-get install")
    storage.add_cache(55 * MB, in_use=True, description="regular")
    for container_id, size in ((by_name["nightly-backup"], 12 * MB), (by_name["shop-worker-1"], 3 * MB)):
        storage.container_sizes[container_id] = size
