"""Time to first screen: launch → the container list visible in a real pty (not a test).

For 10 and for 200 idle bench containers on Docker, starts `python -m tui
--host <docker>` (no label scope: every container on the engine, the
realistic case) in a 120x30 pty and times from just before the fork to the
first screen output showing a bench container's name. Repeats each case and
prints median and min, plus the same for a bare Textual app showing one
DataTable (the floor bosun cannot beat) and two parts of the budget: Python
plus `bosun --version`, and Docker's own list call.

Then as a user meets it: the installed command (`--installed`, `bosun` on the
PATH by default) in a real terminal, tmux at `--tmux-size` (160x48), from
launch to a bench container's name on the tmux screen (`capture-pane` every
5 ms, as bench/peers.py does). A pty read sees bytes the moment they are
written; the tmux figure also holds the terminal's own parsing and drawing,
and the installed entry point instead of `python -m`. `--installed ""` skips it.

    python bench/first_screen.py [--runs 5] [--counts 10,200] [--host unix:///var/run/docker.sock]
                                 [--installed bosun[,/other/venv/bin/bosun]] [--tmux-size 160x48]

Target: ≤ 0.35 s with 200 containers.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DOCKER_URL, REPO_ROOT, BenchContainers, Docker, PtyApp, machine_note, run, summary

TARGET = 0.35
COLS, ROWS = 120, 30

# The reference: Textual itself, one table, the same rows, nothing else.
REFERENCE_APP = """
import sys
from textual.app import App
from textual.widgets import DataTable

class OneTable(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("NAME", "IMAGE", "STATE")
        table.add_rows((f"ref-row-{i:03d}", "bosun-test:latest", "running") for i in range(int(sys.argv[1])))

OneTable().run()
"""


def time_first_screen(args: list[str], pattern: re.Pattern[str], *, command: list[str] | None = None) -> float:
    # The reference app only knows Textual's own ctrl+q.
    quit_keys = ("escape", "q") if command is None else ("ctrl+q",)
    with PtyApp(args, cols=COLS, rows=ROWS, command=command, quit_keys=quit_keys) as app:
        return app.wait_for(pattern, timeout=60, since=app.started)


def time_command(argv: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True)
    return time.monotonic() - start


def time_in_tmux(argv: list[str], cols: int, rows: int, sentinel: str, home: Path) -> float:
    """Launch → `sentinel` on the screen of a tmux session of that size running `argv` (bench/peers.py's way)."""
    from peers import first_screen

    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "TERM": "xterm-256color",
           "COLORTERM": "truecolor", "PATH": os.environ.get("PATH", "")}
    return first_screen(argv, cols, rows, sentinel, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--counts", default="10,200", help="comma-separated container counts")
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--installed", default="bosun",
                        help='the installed command to time in tmux too (default: bosun on the PATH; "" skips it); '
                             'several, comma-separated (an A/B: another tree installed in its own venv), are '
                             'interleaved run by run')
    parser.add_argument("--tmux-size", default="160x48")
    options = parser.parse_args()
    installed = [shlex.split(one) for one in options.installed.split(",") if one.strip()]
    for command in list(installed):
        if not (shutil.which(command[0]) and shutil.which("tmux")):
            print(f"(no {command[0]!r} on the PATH or no tmux: it is not timed)", flush=True)
            installed.remove(command)
    tmux_cols, tmux_rows = (int(n) for n in options.tmux_size.split("x"))
    home = Path(tempfile.mkdtemp(prefix="bosun-fs-home-"))  # no user config: default settings
    (home / ".config").mkdir()
    docker = Docker(options.host)
    print(machine_note(), flush=True)
    # An installed bosun runs from bytecode pip compiled at install time; a
    # checkout may not (PYTHONDONTWRITEBYTECODE), and compiling ~40 modules on
    # every launch would be measured instead of bosun. Compile as pip would.
    compileall.compile_dir(str(REPO_ROOT / "tui"), quiet=1)
    print("bytecode: tui/ compiled first, as `pip install` does", flush=True)
    counts = [int(c) for c in options.counts.split(",")]

    version = [time_command([sys.executable, "-m", "tui", "--version"]) for _ in range(options.runs)]
    print(f"python -m tui --version (interpreter + CLI parsing only): {summary(version)}")

    with BenchContainers(docker, "fs") as bench:
        name = re.compile(re.escape(bench.prefix) + r"-\d{3}")
        for count in counts:
            bench.make(count)
            time.sleep(1)  # let the engine settle after the burst of starts
            running, total = docker.count()
            listing = []
            for _ in range(options.runs):
                start = time.monotonic()
                docker.call("GET", "/containers/json?all=1")
                listing.append(time.monotonic() - start)
            times = [time_first_screen(["--host", options.host], name) for _ in range(options.runs)]
            verdict = "meets" if statistics.median(times) <= TARGET else "MISSES"
            print(f"\n{count} bench containers (engine holds {total}, {running} running):")
            print(f"  Docker GET /containers/json?all=1: {summary(listing)}")
            print(f"  bosun first screen:                {summary(times)}")
            term: list[list[float]] = [[] for _ in installed]
            for _ in range(options.runs):  # interleaved: the machine's drift falls on each alike
                for index, command in enumerate(installed):
                    argv = [*command, "--host", options.host]
                    term[index].append(time_in_tmux(argv, tmux_cols, tmux_rows, bench.prefix, home))
            for command, times_of in zip(installed, term):
                label = f"`{' '.join(command)}` in tmux {tmux_cols}x{tmux_rows}:"
                print(f"  {label:<35}{summary(times_of)}")
            if count == 200:  # the count the target is set for
                print(f"  target ≤ {TARGET:.2f} s with 200 containers: {verdict} (median)")

    for count in counts:
        reference = [sys.executable, "-c", REFERENCE_APP]
        ref = [time_first_screen([str(count)], re.compile("ref-row-000"), command=reference)
               for _ in range(options.runs)]
        print(f"\nbare Textual app, one DataTable with {count} rows: {summary(ref)}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    run(main)
