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
