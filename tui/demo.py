"""The demo: a fake engine with a handful of lively containers, for `bosun --demo`,
the screenshots and the UI tests."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta, timezone

from tui.engine import EventKind, FakeEngine, Health, LogStream, Port, State


def _compose(project: str, service: str) -> dict[str, str]:
    return {"com.docker.compose.project": project, "com.docker.compose.service": service}


def build_demo_engine(stats_interval: float = 1.0) -> FakeEngine:
    # A pane loads the last `logs.tail` lines (1 000 by default): keeping more than that per container
    # only grew the demo's memory for hours (about 300 bytes a chunk) before its buffers were full.
    fake = FakeEngine("demo", stats_interval=stats_interval, log_chunks=1_000)
    h = timedelta(hours=1)
    fake.add_container("shop-web-1", "nginx:1.27", labels=_compose("shop", "web"), health=Health.HEALTHY,
                       ports=[Port(80, "tcp", "0.0.0.0", 8080)], age=3 * h, load=0.3)
    fake.add_container("shop-api-1", "ghcr.io/acme/shop-api:2.4.1", labels=_compose("shop", "api"),
                       health=Health.STARTING, ports=[Port(8000, "tcp", "127.0.0.1", 8000)], age=timedelta(minutes=5),
                       load=1.2, memory_limit=256 << 20)
    fake.add_container("shop-db-1", "postgres:16", labels=_compose("shop", "db"), health=Health.HEALTHY,
                       ports=[Port(5432, "tcp")], age=3 * h, load=0.8)
    fake.add_container("shop-worker-1", "ghcr.io/acme/shop-worker:2.4.1", labels=_compose("shop", "worker"),
                       state=State.EXITED, exit_code=1, age=timedelta(minutes=12))
    fake.add_container("metrics-prometheus-1", "prom/prometheus:v2.53", labels=_compose("metrics", "prometheus"),
                       ports=[Port(9090, "tcp", "0.0.0.0", 9090)], age=26 * h, load=0.6)
    fake.add_container("metrics-grafana-1", "grafana/grafana:11.1", labels=_compose("metrics", "grafana"),
                       health=Health.UNHEALTHY, ports=[Port(3000, "tcp", "0.0.0.0", 3000)], age=26 * h, load=0.4)
    fake.add_container("redis", "redis:7-alpine", ports=[Port(6379, "tcp", "127.0.0.1", 6379)], age=50 * h, load=0.2)
    fake.add_container("nightly-backup", "alpine:3.20", state=State.EXITED, exit_code=0, age=5 * h)
    fake.add_container("scratchpad", "debian:bookworm", state=State.PAUSED, tty=True, age=2 * h)
    fake.add_container("builder", "docker:27-dind", state=State.CREATED, age=timedelta(minutes=3))
    for name in fake.container_ids():
        fake.emit_log(name, "starting up\n")
    _demo_history(fake)
    _demo_timeline(fake)
    from tui.demo_storage import add_demo_storage

    add_demo_storage(fake)
    _demo_resources(fake)
    return fake


def _demo_resources(fake: FakeEngine) -> None:
    """Images, volumes and networks for the views: in use, unused, dangling, on two compose networks."""
    res, d, mb = fake.resources, timedelta(days=1), 1 << 20
    ids = {s.name: s.id for s in fake._containers.values()}
    sizes = {"nginx:1.27": 192, "ghcr.io/acme/shop-api:2.4.1": 412, "postgres:16": 435,
             "ghcr.io/acme/shop-worker:2.4.1": 398, "prom/prometheus:v2.53": 271, "grafana/grafana:11.1": 451,
             "redis:7-alpine": 41, "alpine:3.20": 8, "debian:bookworm": 117, "docker:27-dind": 386}
    for n, (image, size) in enumerate(sizes.items()):
        tags = (image, "nginx:stable") if image == "nginx:1.27" else (image,)
        res.add_image(*tags, size=size * mb, age=(n + 2) * d)
    res.add_image("ghcr.io/acme/shop-api:2.3.0", size=409 * mb, age=30 * d)
    res.add_image(size=398 * mb, age=9 * d)  # an old build, left dangling by a re-tag
    for volume, user, size in (("shop_pgdata", "shop-db-1", 1.6 * 1024), ("metrics_prometheus", "metrics-prometheus-1",
                               820), ("metrics_grafana", "metrics-grafana-1", 35), ("old_cache", None, 2.1 * 1024)):
        res.add_volume(volume, size=int(size * mb), age=20 * d)
        if user:
            res.mount(volume, ids[user])
    for network, driver in (("bridge", "bridge"), ("host", "host"), ("none", "null")):
        res.add_network(network, driver=driver, subnet="172.17.0.0/16" if network == "bridge" else "", age=60 * d)
    for project in ("shop", "metrics"):
        net = res.add_network(f"{project}_default", age=20 * d)
        for name, cid in ids.items():
            if name.startswith(project) and fake._containers[cid].state is not State.EXITED:
                res.attach(net, cid)
    res.attach("bridge", ids["redis"])


def _demo_history(fake: FakeEngine) -> None:
    """A little history, the same on every run: both streams, colours, and a line that tries tricks."""
    for name in ("shop-web-1", "shop-api-1", "metrics-prometheus-1", "redis"):
        fake.emit_log(name, "listening on 0.0.0.0\n")
        fake.emit_log(name, "\x1b[32mready\x1b[0m to accept connections\n")
        fake.emit_log(name, "GET /healthz 200 2ms\nGET /api/items/17 200 31ms\n")
        fake.emit_log(name, "warning: slow request (912 ms)\n", LogStream.STDERR)
        fake.emit_log(name, "GET /api/items/[bold]x[/bold] 404 3ms \x1b]0;pwned\x07\n")


def _demo_timeline(fake: FakeEngine) -> None:
    """What the engine "still holds" for the timeline (h): a crash, a health flip, an exec, a pause."""
    ids = {s.name: s.id for s in fake._containers.values()}
    now = datetime.now(timezone.utc)
    worker = ids["shop-worker-1"]
    fake.remember(worker, EventKind.STARTED, now - timedelta(minutes=11, seconds=58))
    fake.remember(worker, EventKind.DIED, now - timedelta(minutes=11, seconds=54), exit_code=1)
    grafana = ids["metrics-grafana-1"]
    fake.remember(grafana, EventKind.HEALTH, now - timedelta(minutes=40), health=Health.HEALTHY,
                  action="health_status: healthy")
    fake.remember(grafana, EventKind.HEALTH, now - timedelta(minutes=2), health=Health.UNHEALTHY,
                  action="health_status: unhealthy")
    fake.remember(ids["shop-web-1"], EventKind.OTHER, now - timedelta(hours=1), action="exec_start: nginx -s reload")
    fake.remember(ids["scratchpad"], EventKind.PAUSED, now - timedelta(minutes=30))


async def run_demo_activity(fake: FakeEngine, seed: int = 7) -> None:
    """Keep the demo alive: log lines on both streams, health that settles, a flaky worker."""
    rng = random.Random(seed)
    ids = {s.name: s.id for s in await fake.list_containers()}
    api = ids["shop-api-1"]
    tick = 0
    while True:
        await asyncio.sleep(1.0)
        tick += 1
        for name, cid in ids.items():
            try:
                summary = await fake.summary(cid)
            except Exception:
                continue
            if summary.is_running and rng.random() < 0.6:
                if rng.random() < 0.15:
                    fake.emit_log(cid, f"warning: slow request ({rng.randint(300, 2000)} ms)\n", LogStream.STDERR)
                else:
                    fake.emit_log(cid, f"GET /api/items/{rng.randint(1, 999)} 200 {rng.randint(1, 80)}ms\n")
        if tick == 5:
            try:
                fake.set_health(api, Health.HEALTHY, "ok")
            except Exception:
                pass
