"""A hung engine in a real pseudo-terminal: the installed `bosun` says what it waits for at once.

A stopped engine (a real Podman service of the test's own, SIGSTOPped) accepts the
connection and says nothing. The user must see "Connecting…" with the address
within a second of starting bosun (not the 61 s of blank screen of before), then
the reason it gave up, and `q` must leave with a failing status.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.e2e.scenario import Bosun, covers
from tests.e2e.test_dashboard_e2e import IDLE
from tests.e2e import test_scenarios_engines
from tests.engine.scratch_engines import scratch_podman  # noqa: F401  (the fixture)

engine = test_scenarios_engines.engine  # the fixture: labelled containers on a real engine, removed after

pytestmark = [pytest.mark.e2e, pytest.mark.engine]

FIRST_SCREEN_SECONDS = 1.0  # the bound, for the whole start of the installed command


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
@covers("q")
def test_a_hung_engine_is_named_at_once_then_given_up_on(bosun, scratch_podman, size):  # noqa: F811
    scratch_podman.hang()
    started = time.monotonic()
    app: Bosun = bosun("--host", scratch_podman.url, size=size)
    app.see("Connecting…", timeout=10)
    shown_after = time.monotonic() - started
    app.see(scratch_podman.url.removeprefix("unix://")[:40])
    assert shown_after < FIRST_SCREEN_SECONDS, (
        f"'Connecting…' took {shown_after:.2f} s to show (bound {FIRST_SCREEN_SECONDS} s)\n{app.dump()}")
    app.see("did not answer within 5 s", timeout=30)
    app.quit("q", code=1)


class _SlowFirstAnswer:
    """A unix socket in front of a real engine whose first answer is held back `delay` seconds.

    What a loaded engine does: the waiting frame shows, then the list replaces it.
    """

    def __init__(self, upstream: str, path: str, delay: float) -> None:
        self.upstream, self.path, self.delay = upstream, path, delay
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(path)
        self.server.listen(64)
        self.first = True
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.upstream)
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        try:
            while data := source.recv(1 << 16):
                if answers and self.first:  # (a probe that only connects carries no answer)
                    self.first = False
                    time.sleep(self.delay)  # the engine being slow, not the test waiting
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        self.closed = True
        self.server.close()


@pytest.mark.parametrize("engine", ["docker"], indirect=True)
def test_a_slow_engine_shows_the_waiting_frame_then_its_list(bosun, engine, tmp_path):
    kind, url, cli, session, make = engine
    running = make("slow", "sh", "-c", IDLE)
    proxy = _SlowFirstAnswer(url.removeprefix("unix://"), str(tmp_path / "slow.sock"), delay=0.4)
    try:
        app: Bosun = bosun("--host", f"unix://{proxy.path}", "--label", f"bosun.test={session}", size=(160, 48))
        app.see_row(running, "running", timeout=15)
        app.lacks("Connecting…")
        transcript = bytes(app.app.transcript)
        waiting, listed = transcript.find("Connecting…".encode()), transcript.find(running.encode())
        assert 0 <= waiting < listed, f"the waiting frame (at byte {waiting}) should come before the list ({listed})"
        app.quit()
    finally:
        proxy.close()
