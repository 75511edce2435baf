"""`bosun --demo` memory over a long session: does RSS go flat once the buffers are full?

Runs the installed `bosun --demo` (or `--bosun CMD`) in tmux at 160x48 with the
log pane following the cursor's container, as a user leaves it open, and
samples the RSS of its process tree every `--every` seconds for `--minutes`.
Prints the samples and the growth per minute in each third of the run: a
leak grows in the last third as in the first, a filling buffer does not.

The demo engine keeps at most 20 000 chunks per container (FakeEngine) and the
pane 50 000 lines (`logs.lines`); at the demo's pace neither is full within an
hour, so their growth is expected and counted: `--profile` adds a tracemalloc
run of the same session in-process, printing what holds the memory that grew.

    python bench/demo_rss.py [--minutes 30] [--every 30] [--bosun CMD]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import descendants, machine_note, rss_mb, run


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def owner(filename: str) -> str:
    """Which part of the program an allocation belongs to, by the file that made it."""
    path = filename.replace(os.sep, "/")
    if "/tui/engine/fake" in path or path.endswith("/tui/demo.py"):
        return "demo engine (tui/engine/fake*, tui/demo.py)"
    for part in ("/tui/", "/textual/", "/rich/"):
        if part in path:
            return part.strip("/")
    return "other (stdlib, asyncio, …)"


async def profile(minutes: float) -> None:
    import tracemalloc

    from tui.app import BosunApp, RunOptions
    from tui.settings import Settings

    app = BosunApp(Settings(), RunOptions(persist_theme=False, demo=True))
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(500):
            if app.engine is not None and len(getattr(app.screen, "query", lambda *_: [])("DataTable")):
                break
            await pilot.pause(0.02)
        await asyncio.sleep(60)  # past the start: lazy imports, first caches
        tracemalloc.start(25)
        first = tracemalloc.take_snapshot()
        rss0 = rss_mb([os.getpid()])
        await asyncio.sleep(minutes * 60)
        last = tracemalloc.take_snapshot()
        rss1 = rss_mb([os.getpid()])
        engine = app.engine
    diff = last.compare_to(first, "traceback")
    by_owner: dict[str, int] = {}
    by_caller: dict[tuple[str, str], int] = {}
    for stat in diff:
        frames = list(reversed(stat.traceback))  # innermost first
        made_in = owner(frames[0].filename)
        by_owner[made_in] = by_owner.get(made_in, 0) + stat.size_diff
        # The innermost frame of bosun's own code names the part that asked for it.
        ours = next((f"{short(f.filename)}:{f.lineno}" for f in frames if "/tui/" in f.filename), "-")
        key = (f"{short(frames[0].filename)}:{frames[0].lineno}", ours)
        by_caller[key] = by_caller.get(key, 0) + stat.size_diff
    chunks = sum(len(box.logs) for box in engine._containers.values())  # the bench may look inside the fake
    print(f"after minute 1, over {minutes:g} min: RSS {rss0:.1f} → {rss1:.1f} MB (tracemalloc on, so slower)")
    print(f"traced growth {sum(by_owner.values()) / 1e6:+.2f} MB; the demo engine holds {chunks} log chunks")
    for name, size in sorted(by_owner.items(), key=lambda item: -item[1]):
        print(f"  {name:46} {size / 1e6:+.3f} MB")
    print("largest growth: where it was allocated, and the bosun code that asked for it")
    for (where, ours), size in sorted(by_caller.items(), key=lambda item: -item[1])[:15]:
        print(f"  {size / 1e3:+9.1f} kB  {where:42} via {ours}")


def short(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    for part in ("/tui/", "/textual/", "/rich/", "/asyncio/"):
        if part in path:
            return part.strip("/") + "/" + path.split(part, 1)[1]
    return path.rsplit("/", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=float, default=30)
    parser.add_argument("--bosun", default=shutil.which("bosun") or "bosun")
    parser.add_argument("--profile", type=float, default=0, metavar="MINUTES",
                        help="instead: the demo in-process (headless, 160x48) under tracemalloc for MINUTES, "
                             "printing who holds what grew after the first minute")
    args = parser.parse_args()
    print(machine_note())
    if args.profile:
        asyncio.run(profile(args.profile))
        return
    home = Path(tempfile.mkdtemp(prefix="bosun-demo-rss-"))
    session = f"bosun-demo-rss-{os.getpid()}"
    env = f"XDG_CONFIG_HOME={home} TERM=xterm-256color"
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "48", f"env {env} {args.bosun} --demo")
    try:
        deadline = time.monotonic() + 30
        while "shop" not in tmux("capture-pane", "-p", "-t", session):
            if time.monotonic() > deadline:
                raise SystemExit("bosun --demo did not show its list in 30 s")
            time.sleep(0.2)
        pane_pid = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        start = time.monotonic()
        samples: list[tuple[float, float]] = []
        while (elapsed := time.monotonic() - start) <= args.minutes * 60:
            samples.append((elapsed / 60, rss_mb(descendants(pane_pid))))
            print(f"{elapsed / 60:6.1f} min  {samples[-1][1]:7.1f} MB", flush=True)
            time.sleep(args.every)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)
    third = max(len(samples) // 3, 1)
    parts = [samples[:third + 1], samples[third:2 * third + 1], samples[2 * third:]]
    print("\ngrowth per minute, by third of the run:")
    for name, part in zip(("first", "second", "last"), parts):
        if len(part) >= 2 and part[-1][0] > part[0][0]:
            rate = (part[-1][1] - part[0][1]) / (part[-1][0] - part[0][0])
            print(f"  {name:6} ({part[0][0]:.0f}–{part[-1][0]:.0f} min): {rate:+.2f} MB/min")
    print(f"start {samples[0][1]:.1f} MB, end {samples[-1][1]:.1f} MB, peak {max(s[1] for s in samples):.1f} MB")


if __name__ == "__main__":
    if not shutil.which("tmux"):
        sys.exit("demo_rss.py needs tmux")
    run(main)
