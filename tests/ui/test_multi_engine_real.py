"""Docker and Podman (real sockets) in one view: rows from both, actions and logs routed right, one cut.

Podman is reached through a `SocketProxy` the test can cut (the engine going
away) while Docker stays live.
"""

from __future__ import annotations

import pytest

from tests.conftest import open_real_engine, real_engine_url
from tests.engine.harness import TEST_LABEL, RealHarness
from tests.engine.socket_proxy import SocketProxy
from tests.settings_shorthand import flat_settings
from tests.ui.conftest import move_to, screen_text
from tests.waits import wait_until
from tui.app import BosunApp, RunOptions
from tui.dashboard.container_table import ContainerTable
from tui.dashboard.screen import DashboardScreen
from tui.engine import LogStream, State
from tui.engine import fleet as fleet_module
from tui.engine.spec import EngineSpec

pytestmark = pytest.mark.engine


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(fleet_module, "RETRY_DELAYS", (0.2, 0.5))


@pytest.fixture
async def both(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    docker = RealHarness(await open_real_engine("docker"), "docker")
    podman = RealHarness(await open_real_engine("podman"), "podman")
    podman.session = docker.session  # one label scopes both engines' test containers
    podman.labels = docker.labels
    proxy = SocketProxy(str(tmp_path / "podman.sock"), real_engine_url("podman").removeprefix("unix://"))
    await proxy.start()
    try:
        yield docker, podman, proxy
    finally:
        await proxy.cut()
        for harness in (docker, podman):
            await harness.cleanup()
            await harness.engine.close()


def app_for(docker: RealHarness, proxy: SocketProxy) -> BosunApp:
    specs = (EngineSpec("dock", real_engine_url("docker"), source="test"),
             EngineSpec("pod", f"unix://{proxy.listen_path}", source="test"))
    settings = flat_settings(labels={TEST_LABEL: docker.session}, stop_grace=2, stats_interval=0.5)
    return BosunApp(settings, RunOptions(persist_theme=False, engine_specs=specs))


async def test_docker_and_podman_in_one_view(both):
    docker, podman, proxy = both
    on_docker = await docker.idle("multi-d")
    on_podman = await podman.printing("multi-p", [(LogStream.STDOUT, "multi hello from podman")])
    app = app_for(docker, proxy)
    async with app.run_test(size=(160, 40)) as pilot:
        def listed():
            screen = app.screen
            return isinstance(screen, DashboardScreen) and {f"dock/{on_docker}", f"pod/{on_podman}"} <= set(
                screen.summaries) and screen
        screen = await wait_until(listed, "rows from Docker and Podman", pilot=pilot, timeout=20,
                                  detail=lambda: screen_text(app))
        assert screen.summaries[f"pod/{on_podman}"].local_id == on_podman

        # An action goes to the container's own engine.
        await move_to(pilot, screen, f"dock/{on_docker}")
        await pilot.press("x")

        async def docker_stopped():
            return (await docker.engine.summary(on_docker)).state is State.EXITED
        await wait_until(docker_stopped, "Docker's container stopped", pilot=pilot, timeout=20, interval=0.1)
        assert (await podman.engine.summary(on_podman)).state is State.RUNNING

        # Podman's logs, while Docker's events keep flowing.
        await move_to(pilot, screen, f"pod/{on_podman}")
        await wait_until(lambda: "multi hello from podman" in screen_text(app), "Podman's log line in the pane",
                         pilot=pilot, timeout=20)
        await docker.engine.start(on_docker)
        await wait_until(lambda: screen.summaries[f"dock/{on_docker}"].state is State.RUNNING,
                         "Docker's start seen through its events", pilot=pilot, timeout=20)

        # Podman goes away: its rows grey, the header says so, Docker carries on.
        await proxy.cut()
        table = screen.query_one(ContainerTable)
        await wait_until(lambda: "pod" in table.down_engines and "pod reconnecting" in screen_text(app),
                         "Podman's rows greyed and the header saying so", pilot=pilot, timeout=20,
                         detail=lambda: screen_text(app))
        assert f"pod/{on_podman}" in table._order
        late = await docker.idle("multi-late")
        await wait_until(lambda: f"dock/{late}" in screen.summaries, "a new Docker container while Podman is down",
                         pilot=pilot, timeout=20)
        await proxy.restore()
        await wait_until(lambda: "pod" not in table.down_engines, "Podman back", pilot=pilot, timeout=20,
                         detail=lambda: screen_text(app))


# -- Docker, Podman and an ssh:// engine ------------------------------------------------------------------

WHERE = "bosun.test.where"  # which member shows a Docker container: the local socket's, or the one over ssh


@pytest.fixture
async def three(both, tmp_path, monkeypatch):
    from tests.conftest import ssh_test_env
    from tests.engine.scratch_sshd import ScratchSSHD

    ssh_test_env()
    docker, podman, proxy = both
    sshd = ScratchSSHD(tmp_path / "sshd")
    monkeypatch.setenv("BOSUN_SSH_CONFIG", str(sshd.config))
    sshd.start()
    try:
        yield docker, podman, proxy, sshd
    finally:
        sshd.stop()


def three_app(docker: RealHarness, proxy: SocketProxy, sshd) -> BosunApp:
    # The ssh:// member reaches the same Docker daemon as the local one: a label says whose each container is,
    # so every row belongs to one member (and two endpoints of one daemon stay apart, as the fleet keys them).
    docker_socket = real_engine_url("docker").removeprefix("unix://")
    specs = (EngineSpec("dock", real_engine_url("docker"), source="test", labels={WHERE: "dock"}),
             EngineSpec("pod", f"unix://{proxy.listen_path}", source="test"),
             EngineSpec("far", f"{sshd.url}{docker_socket}", source="test", labels={WHERE: "far"}))
    settings = flat_settings(labels={TEST_LABEL: docker.session}, stop_grace=2, stats_interval=0.5)
    return BosunApp(settings, RunOptions(persist_theme=False, engine_specs=specs))


async def test_docker_podman_and_an_ssh_engine_in_one_view(three):
    from textual.widgets import DataTable

    from tui.screens.processes import ProcessesScreen
    from tui.views.kinds import ImagesScreen

    docker, podman, proxy, sshd = three
    on_dock = await docker.idle("m3-d", labels={WHERE: "dock"})
    on_far = await docker.idle("m3-f", labels={WHERE: "far"})
    on_pod = await podman.idle("m3-p")
    app = three_app(docker, proxy, sshd)
    async with app.run_test(size=(170, 44)) as pilot:
        keys = {f"dock/{on_dock}", f"pod/{on_pod}", f"far/{on_far}"}

        def listed():
            screen = app.screen
            return isinstance(screen, DashboardScreen) and keys <= set(screen.summaries) and screen
        screen = await wait_until(listed, "rows from Docker, Podman and Docker over ssh://", pilot=pilot, timeout=30,
                                  detail=lambda: screen_text(app))
        assert not {f"dock/{on_far}", f"far/{on_dock}"} & set(screen.summaries)  # each member's scope
        await wait_until(lambda: "● far" in screen_text(app).replace("\u00a0", " "), "far connected in the header",
                         pilot=pilot, timeout=30, detail=lambda: screen_text(app))

        # The processes of the ssh:// engine's container, read over ssh (the routing table's `top`).
        await move_to(pilot, screen, f"far/{on_far}")
        await pilot.press("u")
        processes = await wait_until(lambda: app.screen if isinstance(app.screen, ProcessesScreen) else None,
                                     "far's processes screen", pilot=pilot, timeout=20)
        await wait_until(lambda: processes.query_one(DataTable).row_count > 0, "far's processes listed",
                         pilot=pilot, timeout=30, detail=lambda: screen_text(app))
        await pilot.press("escape")
        await wait_until(lambda: app.screen is screen, "back on the list", pilot=pilot)

        # The images view: every engine's images, the engine named per row.
        await pilot.press("2")
        images = await wait_until(lambda: app.screen if isinstance(app.screen, ImagesScreen) and app.screen.listed
                                  else None, "the images view", pilot=pilot, timeout=30)
        await wait_until(lambda: {"dock", "pod", "far"} <= {i.engine for i in images.items.values()},
                         "images of all three engines", pilot=pilot, timeout=60,
                         detail=lambda: sorted({i.engine for i in images.items.values()}))
        await pilot.press("1")
        await wait_until(lambda: app.screen is screen, "back on the list", pilot=pilot)

        # A stop on the ssh:// row goes over ssh to its container, and nobody else's.
        await move_to(pilot, screen, f"far/{on_far}")
        await pilot.press("x")

        async def far_stopped():
            return (await docker.engine.summary(on_far)).state is State.EXITED
        await wait_until(far_stopped, "the container stopped over ssh://", pilot=pilot, timeout=30, interval=0.1)
        assert (await docker.engine.summary(on_dock)).state is State.RUNNING
        assert (await podman.engine.summary(on_pod)).state is State.RUNNING
        await wait_until(lambda: screen.summaries[f"far/{on_far}"].state is State.EXITED,
                         "the ssh:// row showing it exited", pilot=pilot, timeout=30)

        # The sshd goes away: far's rows grey and the header says so; Docker and Podman carry on.
        sshd.stop()
        table = screen.query_one(ContainerTable)
        await wait_until(lambda: "far" in table.down_engines and "far reconnecting" in
                         screen_text(app).replace("\u00a0", " "), "far's rows greyed, the header saying so",
                         pilot=pilot, timeout=30, detail=lambda: screen_text(app))
        assert f"far/{on_far}" in table._order and not {"dock", "pod"} & set(table.down_engines)
        late = await docker.idle("m3-late", labels={WHERE: "dock"})
        await wait_until(lambda: f"dock/{late}" in screen.summaries, "a new Docker container while far is down",
                         pilot=pilot, timeout=20)
        await move_to(pilot, screen, f"pod/{on_pod}")
        await pilot.press("x")

        async def pod_stopped():
            return (await podman.engine.summary(on_pod)).state is State.EXITED
        await wait_until(pod_stopped, "Podman's container stopped while far is down", pilot=pilot, timeout=30,
                         interval=0.1)

        # The server is back: far reconnects and resyncs, its row live again.
        sshd.start()
        await wait_until(lambda: "far" not in table.down_engines, "far back", pilot=pilot, timeout=30,
                         detail=lambda: screen_text(app))
        await docker.engine.start(on_far)
        await wait_until(lambda: screen.summaries[f"far/{on_far}"].state is State.RUNNING,
                         "far's start seen after the reconnect", pilot=pilot, timeout=30)
