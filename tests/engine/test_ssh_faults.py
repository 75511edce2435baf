"""ssh:// engines when things go wrong: keys, host keys, a server that dies and comes back, missing sockets,
a server that refuses socket forwarding. Real sshd processes on 127.0.0.1 (tests/engine/scratch_sshd.py)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import real_engine_url, ssh_test_env
from tests.engine.harness import RealHarness
from tests.engine.scratch_sshd import ScratchSSHD, unprivileged_user
from tests.waits import poke_until, wait_until
from tui.engine import ContainerEvent, EngineUnreachable, EventsLost, EventsResumed, LogStream
from tui.engine.connector import open_endpoint
from tui.engine.endpoints import Endpoint
from tui.logs.follower import LogFollower

pytestmark = pytest.mark.engine

CLIENTS = ["asyncssh", "openssh"]


@pytest.fixture
def sshd(tmp_path, monkeypatch):
    ssh_test_env()
    server = ScratchSSHD(tmp_path / "sshd")
    monkeypatch.setenv("BOSUN_SSH_CONFIG", str(server.config))
    yield server
    server.stop()


async def _open(url: str, client: str):
    return await open_endpoint(Endpoint(url, "test"), ssh_client=client)


async def _refused(url: str, client: str) -> str:
    with pytest.raises(EngineUnreachable) as info:
        engine = await _open(url, client)
        await engine.close()
    return str(info.value)


def _docker_socket() -> str:
    return real_engine_url("docker").removeprefix("unix://")


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_key_the_server_does_not_take_fails_at_once_and_is_not_retried(sshd, client):
    sshd.use_identity("other_ed25519")
    sshd.start()
    message = await _refused(sshd.url + _docker_socket(), client)
    assert "authentication failed" in message and "ssh-add" in message, message
    # One login was tried: no retry loop hammering the server.
    assert sshd.logins_tried() == 1, sshd.log.read_text()


async def test_after_an_authentication_failure_no_stream_dials_again(sshd):
    """A live engine whose key stops working: the first failure is final, later streams fail without a login."""
    from tui.engine.ssh_asyncssh import AsyncSSHDialer
    from tui.engine.ssh_target import parse_ssh_url

    sshd.use_identity("other_ed25519")
    sshd.start()
    url = sshd.url + _docker_socket()
    dialer = AsyncSSHDialer(Endpoint(url, "test"), parse_ssh_url(url, "test"))
    for _ in range(3):
        with pytest.raises(OSError):
            await dialer.dial()
    assert "authentication failed" in dialer.problem.reason
    assert sshd.logins_tried() == 1
    await dialer.close()


@pytest.mark.parametrize("client", CLIENTS)
async def test_an_unknown_host_key_is_refused_with_its_fingerprint(sshd, client):
    sshd.forget_host_key()
    sshd.start()
    message = await _refused(sshd.url + _docker_socket(), client)
    assert "unknown" in message and "never accepts one silently" in message, message
    assert "ssh-keyscan" in message or "answer yes" in message
    if client == "asyncssh":  # the system ssh in BatchMode does not print the key it refused
        assert sshd.host_fingerprint() in message and f"-p {sshd.port}" in message


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_changed_host_key_is_refused_and_names_the_new_fingerprint(sshd, client):
    sshd.trust_host_key("other_ed25519.pub")  # known_hosts holds another key for this host: it "changed"
    sshd.start()
    message = await _refused(sshd.url + _docker_socket(), client)
    assert "CHANGED" in message and sshd.host_fingerprint() in message, message
    assert "ssh-keygen -R" in message


@pytest.mark.parametrize("client", CLIENTS)
async def test_nothing_listening_says_connection_refused(sshd, client):
    message = await _refused(sshd.url + _docker_socket(), client)  # never started
    assert "connection refused" in message.lower() and "sshd running" in message, message


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_missing_remote_socket_is_named(sshd, client):
    sshd.start()
    message = await _refused(sshd.url + "/run/bosun-no-such/engine.sock", client)
    assert "/run/bosun-no-such/engine.sock" in message
    assert "no engine" in message and "ssh://host/path/to/engine.sock" in message, message


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_remote_socket_the_user_may_not_open_says_permission_denied_and_how_to_fix_it(sshd, client):
    """A real login without the socket's group (Docker's socket is root:docker 0660): the error names the
    socket, the user and the fix, instead of "no engine" or a hang."""
    user = unprivileged_user()
    # sshd reads authorized keys as the user: a copy the user may read (the shared one is root's, 0600).
    keys = Path(tempfile.mkdtemp(prefix="bosun-ssh-denied-"))
    keys.chmod(0o755)
    (keys / "authorized_keys").write_text((sshd.keys / "authorized_keys").read_text())
    (keys / "authorized_keys").chmod(0o644)
    sshd.options["AuthorizedKeysFile"] = str(keys / "authorized_keys")
    try:
        sshd.start()
        socket_path = _docker_socket()
        message = await _refused(f"ssh://{user}@{sshd.url.removeprefix('ssh://')}{socket_path}", client)
        assert "permission denied" in message.lower() and socket_path in message, message
        if client == "asyncssh":
            assert f"for {user}" in message and f"usermod -aG docker {user}" in message, message
        assert f"Accepted publickey for {user}" in sshd.log.read_text()
    finally:
        shutil.rmtree(keys, ignore_errors=True)


async def test_without_a_path_the_remote_sockets_are_tried_in_order_and_all_named(sshd, monkeypatch):
    import tui.engine.ssh_asyncssh as module

    sshd.start()
    monkeypatch.setattr(module, "remote_socket_candidates",
                        lambda uid: [("/run/bosun-none/docker.sock", "Docker's socket"),
                                     (f"/run/user/{uid}/bosun-none.sock", "the user's rootless Podman socket")])
    message = await _refused(sshd.url, "asyncssh")
    assert message.index("/run/bosun-none/docker.sock") < message.index("/run/user/0/bosun-none.sock"), message


async def test_without_a_path_the_docker_socket_is_found(sshd):
    sshd.start()
    engine = await _open(sshd.url, "asyncssh")
    try:
        assert engine.kind == "docker" and engine.relay.dialer.remote_path == "/var/run/docker.sock"
        assert engine.host == "127.0.0.1"  # published ports are shown against the host the alias stands for
    finally:
        await engine.close()


@pytest.mark.parametrize("client", CLIENTS)
async def test_proxyjump_from_the_ssh_config_is_followed(sshd, client):
    """~/.ssh/config's ProxyJump: through the scratch server to itself, as through a bastion."""
    sshd.start()
    with sshd.config.open("a") as config:
        config.write(f"Host bosun-behind-jump\n    HostName 127.0.0.1\n    Port {sshd.port}\n    User root\n"
                     f"    IdentityFile {sshd.identity}\n    IdentitiesOnly yes\n    ProxyJump {sshd.url[6:]}\n"
                     f"    UserKnownHostsFile {sshd.known_hosts}\n    GlobalKnownHostsFile /dev/null\n")
    engine = await _open("ssh://bosun-behind-jump" + _docker_socket(), client)
    try:
        await engine.list_containers(detailed=False)
    finally:
        await engine.close()
    assert sshd.logins_tried() >= 2  # the jump host's login, then the target's through it


async def test_the_engines_own_identity_is_offered_besides_the_configs(sshd):
    """Endpoint.identity (a Podman connection's key): an extra key, tried alongside the config's."""
    sshd.use_identity("other_ed25519")  # the config's key is refused by the server
    sshd.config.write_text(sshd.config.read_text().replace("    IdentitiesOnly yes\n", ""))
    sshd.start()
    engine = await open_endpoint(Endpoint(sshd.url + _docker_socket(), "test",
                                          identity=str(sshd.keys / "user_ed25519")), ssh_client="asyncssh")
    try:
        assert engine.kind == "docker"
    finally:
        await engine.close()


async def test_the_system_ssh_resolves_the_alias_for_published_ports(sshd):
    sshd.start()
    engine = await _open(sshd.url + _docker_socket(), "openssh")
    try:
        assert engine.host == "127.0.0.1"
    finally:
        await engine.close()


async def test_a_server_refusing_socket_forwarding_points_to_the_system_ssh(sshd):
    sshd.options["AllowStreamLocalForwarding"] = "no"
    sshd.start()
    message = await _refused(sshd.url + _docker_socket(), "asyncssh")
    assert "AllowStreamLocalForwarding no" in message and 'ssh_client = "openssh"' in message, message
    # ... and that way works through the same server: dial-stdio runs in a session, not a forwarding.
    engine = await _open(sshd.url + _docker_socket(), "openssh")
    try:
        assert engine.kind == "docker"
        await engine.list_containers(detailed=False)
    finally:
        await engine.close()


async def test_docker_missing_on_the_remote_is_named_for_the_system_ssh(sshd):
    sshd.options["SetEnv"] = "PATH=/bosun-nothing-here"
    sshd.start()
    message = await _refused(sshd.url + _docker_socket(), "openssh")
    assert "`docker` is not installed" in message and "bosun's own SSH client" in message, message


async def _next_of(stream, kinds, timeout=30.0):
    async def go():
        async for event in stream:
            if isinstance(event, kinds):
                return event

    return await asyncio.wait_for(go(), timeout)


@pytest.mark.parametrize("kind", ["docker", "podman"])
async def test_the_server_going_away_and_back_under_a_live_engine(sshd, kind):
    """Events say lost then resumed, the list answers again, a log follower resumes without loss or repeat,
    and an open exec session ends (its reader sees the end, nothing hangs)."""
    from tests.conftest import open_real_engine

    sshd.start()
    local = await open_real_engine(kind)  # makes the containers and writes their lines, beside the SSH path
    harness = RealHarness(local, kind)
    engine = await _open(sshd.url + real_engine_url(kind).removeprefix("unix://"), "asyncssh")
    stream = engine.events()
    lines: list[str] = []

    def deliver(batch):
        lines.extend(chunk.data.decode().strip() for chunk in batch.chunks())

    follower_task = None
    try:
        container_id = await harness.idle("ssh-restart")
        seen = asyncio.ensure_future(_next_of(stream, (ContainerEvent,)))
        probes = []

        async def probe():
            probes.append(await harness.created(f"probe{len(probes)}"))

        await poke_until(probe, seen.done, "an event over ssh://")
        follower = LogFollower(engine, container_id, deliver=deliver, note=lambda note: None, tail=None)
        follower_task = asyncio.ensure_future(follower.run())
        await poke_until(lambda: harness.write(container_id, LogStream.STDOUT, "before-0"),
                         lambda: "before-0" in lines, "the follower over ssh:// to take a line")
        session = await engine.exec(container_id, ["sh"], tty=True, size=(24, 80))

        lost = asyncio.ensure_future(_next_of(stream, (EventsLost,)))
        sshd.stop()
        assert (await lost).reason
        # The exec session ends cleanly: its reader gets the end, not a hang or an exception.
        assert await asyncio.wait_for(_drain(session), 30) is None
        await session.close()
        for n in range(3):  # written while the server is down: the follower must not lose them
            await harness.write(container_id, LogStream.STDOUT, f"during-{n}")
        created_meanwhile = await harness.created("meanwhile")

        resumed = asyncio.ensure_future(_next_of(stream, (EventsResumed,)))
        sshd.start()
        assert (await resumed).down_seconds > 0
        listed = {s.id for s in await engine.list_containers(detailed=False, labels=harness.labels)}
        assert created_meanwhile in listed and container_id in listed  # the resync sees what changed
        await harness.write(container_id, LogStream.STDOUT, "after-0")
        await wait_until(lambda: "after-0" in lines, "the follower to resume after the server came back",
                         timeout=30, detail=lambda: lines)
        ours = [line for line in lines if line.split("-")[0] in ("before", "during", "after")]
        written = ["before-0"] * lines.count("before-0")  # poke_until may have written it more than once
        assert ours == written + ["during-0", "during-1", "during-2", "after-0"], lines
    finally:
        if follower_task is not None:
            follower_task.cancel()
        await stream.aclose()
        await harness.cleanup()
        await engine.close()
        await local.close()


async def _drain(session):
    while (output := await session.read()) is not None:
        del output
    return None


@pytest.mark.parametrize("client", CLIENTS)
async def test_a_failed_open_leaves_no_private_folder_behind(sshd, client, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    sshd.forget_host_key()
    sshd.start()
    await _refused(sshd.url + _docker_socket(), client)
    assert list((tmp_path / "tmp").iterdir()) == []
