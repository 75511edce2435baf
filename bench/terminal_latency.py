"""Shell pane latency on real Docker (not a test; prints numbers).

The shell is opened the way a user does: bosun's real dashboard
(``BosunApp`` on the engine, scoped to the bench container's label), ``e`` on
the row, the shell picked by probing the container, a tab beside the logs.

1. Keystroke echo: a key posted to the app -> the focused ``TerminalView`` ->
   ``ExecTransport`` -> ``docker exec`` (TTY) -> echo -> parsed onto the
   emulated screen; versus a bare ``docker exec -it <c> sh`` in a
   pseudo-terminal (write a byte, read the echo). Median and p99 over
   ``--keys`` keystrokes.
2. Key latency in the dashboard while the shell floods (``yes``): time from a
   key posted to the app until the pane has handed it to the transport;
   p50/p95/max. Then, with the keys back on the list (ctrl+]), the time for a
   cursor move in the container list to be handled while the flood goes on.
   Also the backlog of unparsed output during the flood (it must stay bounded).

The app runs headless (``run_test``), so the figures cover bosun's own path
(event loop, dashboard, parsing, aiohttp, the daemon) but not the real
terminal's drawing. Creates one busybox container, labelled ``bosun.bench``,
and removes it on the way out.

    python bench/terminal_latency.py [--host unix:///var/run/docker.sock] [--keys 200] [--busy N]

``--busy N`` runs N more containers that each burn a CPU in a busy loop for the
whole measurement (labelled apart, so not in the list): the machine busy with
the engine's own work, as the issue measured on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ptyprocess import PtyProcess  # noqa: E402
from textual import events  # noqa: E402

from bench._common import BENCH_LABEL, Docker, DOCKER_URL, machine_note  # noqa: E402
from tui.app import BosunApp, RunOptions  # noqa: E402
from tui.dashboard.screen import DashboardScreen  # noqa: E402
from tui.settings import Settings  # noqa: E402
from tui.dashboard.container_table import ContainerTable  # noqa: E402

KEYS = "abcdefghijklmnopqrstuvwxyz"
BURN = "trap 'exit 0' TERM; while :; do :; done"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{name:<44} n={len(ms):<4} median {statistics.median(ms):6.2f} ms   "
            f"p95 {percentile(ms, 95):6.2f} ms   p99 {percentile(ms, 99):6.2f} ms   max {max(ms):6.2f} ms")


# --------------------------------------------------------------- bare docker exec


def bare_exec_echo(container_id: str, host: str, count: int) -> list[float]:
    env = {**os.environ, "DOCKER_HOST": host, "TERM": "xterm-256color"}
    proc = PtyProcess.spawn(["docker", "exec", "-it", "-e", "PS1=$ ", container_id, "sh"],
                            env=env, dimensions=(24, 200))
    try:
        _read_until(proc, b"$ ", 10)
        times = []
        for i in range(count):
            key = KEYS[i % len(KEYS)].encode()
            started = time.perf_counter()
            proc.write(key)
            _read_until(proc, key, 5)
            times.append(time.perf_counter() - started)
            if i % 100 == 99:
                proc.write(b"\x15")  # ^U: clear the line
                _read_until(proc, b"$ ", 5)  # busybox redraws the prompt
        return times
    finally:
        proc.terminate(force=True)


def _read_until(proc: PtyProcess, wanted: bytes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    seen = b""
    while wanted not in seen:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {wanted!r} from docker exec; got {seen[-200:]!r}")
        seen += proc.read(4096)


# ------------------------------------------------------------------------ the pane


def dashboard_app(host: str, session: str) -> BosunApp:
    # Stats on, as a user has them: the flood competes with everything the dashboard does.
    settings = Settings().replace(engine={"host": host}, list={"labels": {BENCH_LABEL: session}})
    return BosunApp(settings, RunOptions(persist_theme=False))


async def _until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.005)


async def pane_figures(host: str, session: str, count: int):
    app = dashboard_app(host, session)
    async with app.run_test(size=(200, 50)) as pilot:
        await _until(lambda: isinstance(app.screen, DashboardScreen) and app.screen.listed
                     and app.screen.engine is not None and app.screen.panes is not None, 20, "dashboard")
        screen = app.screen
        await pilot.pause(0.3)
        await pilot.press("e")
        await _until(lambda: screen.shell_tabs, 10, "shell tab")
        view = next(iter(screen.shell_tabs.values())).view
        # `e` opens the plain shell, with busybox's own prompt ("/ # ").
        await _until(lambda: view.screen_text().rstrip().endswith("#"), 20, "prompt")
        await pilot.pause(0.2)
        prompt_x = view.terminal.cursor.x

        # 1. echo latency: post the key, wait for the parse that moves the cursor.
        echo: list[float] = []
        loop = asyncio.get_running_loop()
        original_tick = view._tick
        waiter: dict = {}

        def tick() -> None:
            original_tick()
            future = waiter.get("future")
            if future is not None and not future.done() and view.terminal.cursor.x >= waiter["x"]:
                future.set_result(time.perf_counter())

        view._tick = tick  # type: ignore[method-assign]
        for i in range(count):
            char = KEYS[i % len(KEYS)]
            future = loop.create_future()
            waiter.update(future=future, x=view.terminal.cursor.x + 1)
            started = time.perf_counter()
            app.post_message(events.Key(char, char))
            done = await asyncio.wait_for(future, 5)
            echo.append(done - started)
            if i % 40 == 39:  # well before the line wraps in the pane (about 100 columns wide)
                view.write(b"\x15")  # ^U
                await _until(lambda: view.terminal.cursor.x == prompt_x, 5, "line cleared")
        view._tick = original_tick  # type: ignore[method-assign]
        view.write(b"\x15")
        await asyncio.sleep(0.2)

        # 2. key handling during a flood.
        view.write(b"yes\r")
        await _until(lambda: view.screen_text().count("\ny") > 30, 10, "flood")
        await asyncio.sleep(1.0)
        handled: list[float] = []
        backlog = 0
        transport = view.transport
        real_write = transport.write
        for i in range(100):
            event = asyncio.Event()

            def spy(data: bytes, event=event) -> None:
                event.set()
                real_write(data)

            transport.write = spy  # type: ignore[method-assign]
            started = time.perf_counter()
            app.post_message(events.Key("x", "x"))
            await asyncio.wait_for(event.wait(), 10)
            handled.append(time.perf_counter() - started)
            backlog = max(backlog, view.stream.pending_bytes)
            await asyncio.sleep(0.02)
        transport.write = real_write  # type: ignore[method-assign]

        # 3. the container list's own keys while the flood goes on.
        await pilot.press("ctrl+]")
        table = screen.query_one(ContainerTable)
        moved: list[float] = []
        for i in range(50):
            row = table.cursor_row
            started = time.perf_counter()
            app.post_message(events.Key("down" if i % 2 == 0 else "up", None))
            await _until(lambda: table.cursor_row != row or table.row_count < 2, 10, "cursor move")
            moved.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)
        screen.shells.show(next(iter(screen.shell_tabs)))
        view.write(b"\x03")
        await _until(lambda: view.screen_text().rstrip().endswith("#"), 30, "prompt after flood")
        return echo, handled, moved, backlog


# ---------------------------------------------------------------------------- main


async def amain(host: str, count: int, busy: int) -> None:
    docker = Docker(host)
    session = uuid.uuid4().hex[:8]
    container_id = docker.create(f"bench-latency-{session}", {BENCH_LABEL: session})
    # A second container, so the list has somewhere to move the cursor.
    other_id = docker.create(f"bench-latency-{session}-b", {BENCH_LABEL: session})
    # Containers that only burn CPU: the machine busy with the engine's own work. Their label is
    # not the list's scope, so the list stays the same two rows as in a quiet run.
    burners = [docker.create(f"bench-latency-{session}-busy{n}", {BENCH_LABEL: f"{session}-busy"}, BURN)
               for n in range(busy)]
    try:
        for one in (container_id, other_id, *burners):
            docker.start(one)
        bare = await asyncio.to_thread(bare_exec_echo, container_id, host, count)
        echo, handled, moved, backlog = await pane_figures(host, session, count)
    finally:
        for one in (container_id, other_id, *burners):
            docker.remove(one)
    print(machine_note())
    if busy:
        print(f"with {busy} container(s) each running a busy loop on the same engine")
    print(f"keystroke echo, {count} keys, busybox sh on {host}")
    print(summary("bare `docker exec -it` in a pty", bare))
    print(summary("bosun dashboard shell (key -> exec -> echo)", echo))
    print(f"{'pane overhead (median)':<44} {1000 * (statistics.median(echo) - statistics.median(bare)):+.2f} ms")
    print("while the shell runs `yes`:")
    print(summary("key to the shell (posted -> transport)", handled))
    print(summary("key to the list (cursor moved)", moved))
    print(f"{'max unparsed backlog':<44} {backlog / 1024:.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="also run N containers that burn CPU (a busy loop each) during the measurement")
    args = parser.parse_args()
    try:
        asyncio.run(amain(args.host, args.keys, args.busy))
    except KeyboardInterrupt:
        raise SystemExit(130)


if __name__ == "__main__":
    main()
