"""The CLI backend (`--engine podman-cli`) against Podman's API, on the local Podman (not a test).

1. First screen with 200 idle containers: `python -m tui --engine podman-cli` against
   `python -m tui --host unix:///run/podman/podman.sock`, launch → a bench container's
   name on screen in a 120x30 pty (median and min of --runs).
2. Idle CPU with 50 running containers, default settings (stats on), scoped to them
   with --label (see there), in a pty tall enough to show them all: bosun's CPU over --seconds after a warm-up, child
   processes included: the live ones (events, the log follow) and every short-lived
   `podman ps`/`inspect`/`stats` it started and reaped (cutime + cstime).
3. Log ingest: (a) a container that wrote --lines lines on both streams: the time
   `podman logs --timestamps` takes to write them all to /dev/null, against the time
   `CliEngine.log_batches(timestamps=True)` takes to hand them all over (ratio: podman's
   time / bosun's; 1.0 is as fast as the client alone). (b) a container writing as fast
   as it can: lines per second `podman logs -f` delivers to `wc -l` against what the
   backend hands over, in 5 s windows. Podman 4.3's `logs -f` of a container that has
   already exited stops early (it printed 16 000 to 21 000 of 100 000 lines here), so
   (a) reads without --follow, as bosun's log pane does for the history.

    python bench/cli_engine.py [--runs 3] [--seconds 30] [--lines 500000] [--podman unix:///run/podman/podman.sock]

Targets: idle ≤ 1.5 % of one core, children included; log ingest ratio ≥ 0.8.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import os
import re
import resource
import statistics
import subprocess
import time

from _common import CLK_TCK, REPO_ROOT, BenchContainers, Docker, PtyApp, descendants, machine_note, run, summary
from tui.testing.pty_app import ScreenTimeout  # (importable once _common has put the repository on the path)

PODMAN_URL = "unix:///run/podman/podman.sock"
IDLE_TARGET, INGEST_TARGET = 1.5, 0.8
WARM_UP = 8.0


def first_screen(args: list[str], pattern: re.Pattern[str]) -> float:
    with PtyApp(args, cols=120, rows=30, quit_keys=("escape", "q")) as app:
        return app.wait_for(pattern, timeout=60, since=app.started)


def _own_and_reaped(pid: int) -> tuple[float, float]:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime + stime; cutime + cstime (children it reaped)
    return (int(fields[11]) + int(fields[12])) / CLK_TCK, (int(fields[13]) + int(fields[14])) / CLK_TCK


def _command(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        words = [w.decode(errors="replace") for w in f.read().split(b"\0") if w]
    # Past a `setpriv --pdeathsig KILL --` in front of the client: the client's own words.
    if "--" in words[:6] and words and words[0].endswith("setpriv"):
        words = words[words.index("--") + 1:]
    return " ".join([words[0].rsplit("/", 1)[-1], *words[1:3]]) if words else "?"


def cpu_parts(pid: int) -> dict[str, float]:
    """CPU seconds of `pid` itself, of the children it has reaped (cutime + cstime), and of its live descendants,
    these also one by one ("live: podman events" ...)."""
    parts = {"bosun": 0.0, "reaped children": 0.0, "live children": 0.0}
    for current in descendants(pid):
        with contextlib.suppress(OSError):
            own, reaped = _own_and_reaped(current)
            parts["bosun" if current == pid else "live children"] += own
            parts["reaped children"] += reaped
            if current != pid:
                parts[f"live: {_command(current)} ({current})"] = own + reaped
    return parts


def cpu_with_children(pid: int) -> float:
    return sum(v for k, v in cpu_parts(pid).items() if not k.startswith("live:"))


def bench_first_screen(podman: Docker, runs: int) -> None:
    with BenchContainers(podman, "clifs") as bench:
        bench.make(200)
        time.sleep(2)  # let the engine settle after the burst of starts
        name = re.compile(re.escape(bench.prefix) + r"-\d{3}")
        # Scoped to the bench's label: on a shared machine other people's containers can fill the screen.
        scope = ["--label", bench.label]
        cli, api = [], []
        missed = 0
        for _ in range(runs):  # interleaved, so the machine's drift falls on both
            cli.append(first_screen(["--engine", "podman-cli", *scope], name))
            try:
                api.append(first_screen(["--host", podman.url, *scope], name))
            except ScreenTimeout:  # a busy machine's Podman service can miss bosun's 5 s
                missed += 1
        print(f"\nfirst screen, 200 containers ({machine_note()}):")
        print(f"  podman-cli (CLI backend): {summary(cli)}")
        if api:
            print(f"  Podman API socket:        {summary(api)}" + (f" ({missed} runs without an answer)" if missed else ""))
            print(f"  CLI / API (medians):      {statistics.median(cli) / statistics.median(api):.2f}x")
        else:
            print("  Podman API socket:        no run got an answer from the service within bosun's 5 s")


def _idle_once(args: list[str], pattern: re.Pattern[str], seconds: float) -> dict[str, float]:
    """% of one core over `seconds`, per part (see `cpu_parts`); a live child that started or ended in the
    window is counted only in the totals."""
    with PtyApp(args, cols=160, rows=60, quit_keys=("escape", "q")) as app:
        app.wait_for(pattern, timeout=60)
        time.sleep(WARM_UP)
        before = cpu_parts(app.pid)
        start = time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - start
        after = cpu_parts(app.pid)
    return {k: 100 * (after[k] - before[k]) / elapsed for k in after if k in before}


def bench_idle(podman: Docker, seconds: float, runs: int) -> None:
    with BenchContainers(podman, "cliidle") as bench:
        bench.make(50)
        time.sleep(2)
        # Scoped to the bench's containers: on a shared machine other people's containers make events,
        # and each changed container costs the CLI backend an `inspect` child (the API backend a request).
        name = re.compile(re.escape(bench.prefix) + r"-\d{3}")
        backends = (("podman-cli", ["--engine", "podman-cli"]), ("Podman API", ["--host", podman.url]))
        figures: dict[str, list[dict[str, float]]] = {label: [] for label, _ in backends}
        loads = []
        for _ in range(runs):  # interleaved, so the machine's drift falls on both
            for label, args in backends:
                try:
                    figures[label].append(_idle_once([*args, "--label", bench.label], name, seconds))
                except ScreenTimeout:  # a busy machine's Podman service can miss bosun's 5 s
                    print(f"  {label}: no list on screen within 60 s; run left out", flush=True)
                    continue
                print(f"  {label}: " + ", ".join(f"{k} {v:.2f} %" for k, v in figures[label][-1].items()),
                      flush=True)
            loads.append(os.getloadavg()[0])
        print(f"\nidle, 50 running containers, {seconds:g} s a run, bosun + its children, % of one core "
              f"(load average after each pair of runs: {', '.join(f'{x:.2f}' for x in loads)}):")
        for label, runs_of in figures.items():
            if not runs_of:
                continue
            totals = [sum(v for k, v in run.items() if not k.startswith("live:")) for run in runs_of]
            verdict = "" if label != "podman-cli" else \
                f"; target ≤ {IDLE_TARGET} %: {'meets' if statistics.median(totals) <= IDLE_TARGET else 'MISSES'}"
            print(f"  {label}: median {statistics.median(totals):.2f} % (runs: "
                  f"{', '.join(f'{t:.2f}' for t in totals)}){verdict}")
            for run in runs_of:
                print("    " + ", ".join(f"{k} {v:.2f} %" for k, v in run.items()))
        print("  (Podman API: the Podman service's own CPU is not counted)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_ingest(podman: Docker, lines: int, runs: int, window: float = 5.0) -> None:
    import sys

    sys.path.insert(0, str(REPO_ROOT))
    from tui.engine.cli.engine import CliEngine

    half = lines // 2
    script = f"i=0; while [ $i -lt {half} ]; do echo out-$i-xxxxxxxxxxxxxxxxxxxxxxxx; " \
             f"echo err-$i-yyyyyyyyyyyyyyyyyyyyyyyy >&2; i=$((i+1)); done"
    flood = "trap 'exit 0' TERM; i=0; while :; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done"
    with BenchContainers(podman, "cliingest") as bench:
        done = podman.create(f"{bench.prefix}-done", bench.labels, script)
        bench.ids.append(done)
        podman.start(done)
        while podman.call("GET", f"/containers/{done}/json")["State"]["Running"]:
            time.sleep(0.5)

        # (a) A whole history (what a pane loads first): every line, both streams. Besides the time, the CPU
        # it took (the client's, and bosun's besides): on a busy machine the times say more about the others.
        def client_history() -> tuple[float, float]:
            start, cpu = time.monotonic(), _children_cpu()
            subprocess.run(["podman", "logs", "--timestamps", done], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            return time.monotonic() - start, _children_cpu() - cpu

        async def backend_history() -> tuple[float, int, float, float]:
            engine = CliEngine("podman-cli")
            count = 0
            start, own, cpu = time.monotonic(), time.process_time(), _children_cpu()
            async for batch in engine.log_batches(done, follow=False, timestamps=True):
                count += len(batch)
            elapsed, own = time.monotonic() - start, time.process_time() - own
            await engine.close()
            return elapsed, count, own, _children_cpu() - cpu

        plain, ours = [], []
        for _ in range(runs):  # interleaved, so the machine's drift falls on both
            plain.append(client_history())
            ours.append(asyncio.run(backend_history()))
        plain_t, ours_t = [t for t, _ in plain], [t for t, *_ in ours]
        ratio = statistics.median(plain_t) / statistics.median(ours_t)
        print(f"\nlog history, {2 * half} lines on both streams ({machine_note()}):")
        print(f"  podman logs --timestamps > /dev/null: {summary(plain_t)}; "
              f"CPU median {statistics.median(c for _, c in plain):.2f} s")
        print(f"  CliEngine.log_batches:                {summary(ours_t)} "
              f"(lines handed over: {sorted({c for _, c, *_ in ours})}); CPU median: bosun "
              f"{statistics.median(o for *_, o, _ in ours):.2f} s, its client "
              f"{statistics.median(c for *_, c in ours):.2f} s")
        print(f"  ratio {ratio:.2f} (≥ {INGEST_TARGET}: {'meets' if ratio >= INGEST_TARGET else 'MISSES'})")

        # (b) Following a container that writes as fast as it can: lines per second over a window.
        live = podman.create(f"{bench.prefix}-flood", bench.labels, flood)
        bench.ids.append(live)
        podman.start(live)
        time.sleep(1)

        def client_follow() -> float:
            out = subprocess.run(["sh", "-c", f"timeout {window:g} podman logs --timestamps --follow --tail 0 {live} "
                                              "2>/dev/null | wc -l"], capture_output=True, text=True)
            return int(out.stdout.strip() or 0) / window

        async def backend_follow() -> float:
            engine = CliEngine("podman-cli")
            count = 0

            async def read():
                nonlocal count
                async for batch in engine.log_batches(live, follow=True, tail=0, timestamps=True):
                    count += len(batch)

            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(read(), window)
            await engine.close()
            await asyncio.sleep(0)  # let the closed pipes' transports finish before the loop goes
            return count / window

        plain_rate, our_rate = [], []
        for _ in range(runs):
            plain_rate.append(client_follow())
            our_rate.append(asyncio.run(backend_follow()))
        ratio = statistics.median(our_rate) / statistics.median(plain_rate)
        print(f"\nlog follow of a flood, {window:g} s windows ({machine_note()}):")
        print(f"  podman logs -f | wc -l: {', '.join(f'{r:,.0f}' for r in plain_rate)} lines/s")
        print(f"  CliEngine.log_batches:  {', '.join(f'{r:,.0f}' for r in our_rate)} lines/s")
        print(f"  ratio {ratio:.2f} (≥ {INGEST_TARGET}: {'meets' if ratio >= INGEST_TARGET else 'MISSES'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--podman", default=PODMAN_URL)
    parser.add_argument("--only", choices=("first", "idle", "ingest"))
    options = parser.parse_args()
    podman = Docker(options.podman)  # Podman's Docker-compatible API, only to make the bench containers fast
    print(machine_note(), flush=True)
    compileall.compile_dir(str(REPO_ROOT / "tui"), quiet=1)
    if options.only in (None, "first"):
        bench_first_screen(podman, options.runs)
    if options.only in (None, "idle"):
        bench_idle(podman, options.seconds, options.runs)
    if options.only in (None, "ingest"):
        bench_ingest(podman, options.lines, options.runs)


if __name__ == "__main__":
    run(main)
