"""Shared fixtures: the engines under test.

`engine_harness` is parametrized over Docker, Podman and the fake engine. The
real engines are the ones `tests/run` starts (BOSUN_TEST_DOCKER_HOST,
BOSUN_TEST_PODMAN_HOST). When those are not set the real-engine cases fail
under CI and are skipped (saying how to run them) elsewhere: never a silent pass.

In the engine contract (tests/engine/test_contract_*.py) it also reaches both
real engines over ssh:// through the sshd `tests/run` starts (tests/sshd.sh):
every contract test with bosun's own SSH client (`docker-ssh`, `podman-ssh`),
the `OPENSSH_CONTRACT` subset with the system ssh (`docker-openssh`, ...).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests judge correctness, not speed: a per-example deadline only
# makes them flaky on a loaded CI machine (benchmarks live in bench/).
settings.register_profile("bosun", deadline=None, print_blob=True)
settings.load_profile("bosun")

from tests.engine.cli_harness import CLI_KINDS, CliHarness, open_cli_engine
from tests.engine.harness import FakeHarness, RealHarness
from tui.engine import FakeEngine
from tui.engine.docker import DockerEngine
from tui.engine.endpoints import Endpoint
from tui.engine.errors import EngineTimeout

ENGINE_HOSTS = {
    "docker": "BOSUN_TEST_DOCKER_HOST",
    "podman": "BOSUN_TEST_PODMAN_HOST",
}


def real_engine_url(kind: str) -> str:
    url = os.environ.get(ENGINE_HOSTS[kind])
    if not url:
        message = f"{ENGINE_HOSTS[kind]} is not set: run the suite with `bash tests/run`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


async def open_real_engine(kind: str) -> DockerEngine:
    engine = DockerEngine(Endpoint(real_engine_url(kind), f"test {kind}"))
    # The first answer may take more than the app's 5 s on this shared machine (Podman's service under
    # a load of 20+): these tests are about what follows it; tests/engine/test_hung_engine.py is about that.
    for attempt in range(3):
        try:
            await engine.ping()
            break
        except EngineTimeout:
            if attempt == 2:
                raise
    assert engine.kind == kind, f"{engine.url} is {engine.kind}, expected {kind}"
    return engine


def ssh_test_env() -> dict[str, str]:
    """BOSUN_TEST_SSH_HOST and BOSUN_TEST_SSH_CONFIG, as tests/sshd.sh exports them (fail in CI, skip elsewhere)."""
    wanted = ("BOSUN_TEST_SSH_HOST", "BOSUN_TEST_SSH_CONFIG", "BOSUN_TEST_SSH_DIR")
    missing = [name for name in wanted if not os.environ.get(name)]
    if missing:
        message = f"{', '.join(missing)} not set: run the suite with `bash tests/run` (it starts tests/sshd.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {name: os.environ[name] for name in wanted}


def ssh_engine_url(kind: str) -> str:
    """ssh:// to the test sshd, reaching the real engine `kind`'s socket on the far side."""
    socket_path = real_engine_url(kind).removeprefix("unix://")
    return ssh_test_env()["BOSUN_TEST_SSH_HOST"] + socket_path


async def open_ssh_engine(kind: str, ssh_client: str, monkeypatch) -> DockerEngine:
    from tui.engine.connector import open_endpoint

    monkeypatch.setenv("BOSUN_SSH_CONFIG", ssh_test_env()["BOSUN_TEST_SSH_CONFIG"])
    engine = await open_endpoint(Endpoint(ssh_engine_url(kind), f"test {kind} over {ssh_client}"),
                                 ssh_client=ssh_client)
    assert engine.kind == kind, f"{engine.url} is {engine.kind}, expected {kind}"
    return engine


#: The contract tests the system-ssh transport runs too (each stream there is an ssh login, as with the docker CLI).
OPENSSH_CONTRACT = {
    "test_list_reports_summaries_in_every_state", "test_lifecycle_transitions_and_idempotence",
    "test_stdout_and_stderr_arrive_apart_and_in_order", "test_follow_receives_lines_written_after_it_started",
    "test_exec_tty_sees_its_size_and_resizes", "test_events_for_start_stop_die_destroy",
    "test_stats_stream_has_plausible_numbers",
}
SSH_KINDS = {"docker-ssh": ("docker", "asyncssh"), "podman-ssh": ("podman", "asyncssh"),
             "docker-openssh": ("docker", "openssh"), "podman-openssh": ("podman", "openssh")}


def pytest_collection_modifyitems(config, items):
    """The ssh:// cases of `engine_harness` run in the engine contract only; the openssh ones in its subset."""
    keep, drop = [], []
    for item in items:
        kind = getattr(getattr(item, "callspec", None), "params", {}).get("engine_harness")
        if kind in SSH_KINDS:
            in_contract = item.path.name.startswith("test_contract_")
            wanted = in_contract and (SSH_KINDS[kind][1] == "asyncssh" or item.originalname in OPENSSH_CONTRACT)
            (keep if wanted else drop).append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(params=["docker", "podman", "fake", *CLI_KINDS, *SSH_KINDS])
async def engine_harness(request, monkeypatch):
    kind = request.param
    if kind == "fake":
        harness = FakeHarness(FakeEngine(stats_interval=0.2))
    elif kind in CLI_KINDS:
        harness = CliHarness(await open_cli_engine(kind), kind)
    elif kind in SSH_KINDS:
        engine_kind, client = SSH_KINDS[kind]
        harness = RealHarness(await open_ssh_engine(engine_kind, client, monkeypatch), engine_kind)
    else:
        harness = RealHarness(await open_real_engine(kind), kind)
    try:
        yield harness
    finally:
        await harness.cleanup()
        await harness.engine.close()


@pytest.fixture(params=["docker", "podman"])
async def real_engine(request):
    engine = await open_real_engine(request.param)
    try:
        yield engine
    finally:
        await engine.close()


@pytest.fixture(params=["docker", "podman"])
async def real(request, tmp_path, monkeypatch):
    """A `RealHarness` on each real engine, its containers removed afterwards; config kept out of $HOME."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    harness = RealHarness(await open_real_engine(request.param), request.param)
    try:
        yield harness
    finally:
        await harness.cleanup()
        await harness.engine.close()


@pytest.fixture(autouse=True)
def pilot_draws_notifications(monkeypatch):
    """Pilot runs draw toasts, as a real terminal does.

    Textual's `run_test` turns notifications off by default, so a toast that
    crashes when drawn (a `rich.Text` message) passed every Pilot test.
    """
    from textual.app import App

    original = App.run_test

    def run_test(self, *args, notifications: bool = True, **kwargs):
        return original(self, *args, notifications=notifications, **kwargs)

    monkeypatch.setattr(App, "run_test", run_test)


UNROUTABLE_NET = "198.51.100.0/24"  # TEST-NET-2 (RFC 5737): never a real host


@pytest.fixture
def unroutable_host():
    """A tcp:// address the kernel has no route to: a route of type "unreachable" for TEST-NET-2.

    The machine's own routes decide what a random address does (here a proxy answers 10.0.0.0/8);
    this one fails the same way everywhere, at once, with EHOSTUNREACH.
    """
    import subprocess

    added = subprocess.run(["ip", "route", "add", "unreachable", UNROUTABLE_NET], capture_output=True, text=True)
    if added.returncode != 0 and "File exists" not in added.stderr:
        pytest.fail(f"cannot add the unreachable route {UNROUTABLE_NET}: {added.stderr.strip()}")
    try:
        yield "tcp://198.51.100.1:2375"
    finally:
        if added.returncode == 0:
            subprocess.run(["ip", "route", "del", "unreachable", UNROUTABLE_NET], capture_output=True)
