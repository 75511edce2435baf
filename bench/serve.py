"""`bosun serve` with browsers on it: memory per session, page load to the list drawn (not a test).

Starts `python -m tui serve` (the demo engine by default, or `--host` a real
one) and opens it in real headless Chromium (Debian's chromium through
chromium-driver, as the tests do). First one browser at a time, `--runs`
times: from `driver.get(url)` (the token URL, so the time includes the
token-for-cookie redirect, the page, textual.js and the session's bosun
starting) to the list drawn on the page (a container's name in what the
page's terminal was sent). Then `--sessions` browsers at once, each timed
the same way, and while all are open: each session's bosun process (RSS and
PSS from /proc, the whole process tree under the shell textual-serve starts)
and the server's own.

    python bench/serve.py [--sessions 5] [--runs 3] [--host unix:///var/run/docker.sock]

No target is set; the figures go into the README's serving section.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import REPO_ROOT, machine_note, run, summary

from tui.testing.browser import Browser, Served  # noqa: E402


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process, in kB; (0, 0) if it is gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def tree(pid: int) -> list[int]:
    out = [pid]
    for child in children(pid):
        out += tree(child)
    return out


def load_time(served: Served, browser: Browser, name: str) -> float:
    start = time.perf_counter()
    browser.open(served.url)
    while name not in browser.screen():
        if time.perf_counter() - start > 60:
            raise SystemExit(f"bench: {name!r} never showed on the page:\n{browser.screen()}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--host", help="engine to serve (default: the demo engine)")
    parser.add_argument("--name", default="shop-api-1", help="container name to wait for (demo: shop-api-1)")
    args = parser.parse_args()

    print(machine_note())
    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    engine = ["--host", args.host] if args.host else ["--demo"]
    served = Served(tmp, *engine, "--max-sessions", str(args.sessions + 1)).started()
    try:
        singles = []
        for _ in range(args.runs):
            browser = Browser()
            try:
                singles.append(load_time(served, browser, args.name))
            finally:
                browser.close()
        print(f"one session: page load to list drawn: {summary(singles)}")

        browsers = [Browser() for _ in range(args.sessions)]
        times: list[float] = [0.0] * args.sessions
        threads = [threading.Thread(target=lambda i=i: times.__setitem__(i, load_time(served, browsers[i], args.name)))
                   for i in range(args.sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{args.sessions} sessions at once: page load to list drawn: {summary(times)}")
        for browser in browsers:  # let every session settle into its steady state before measuring
            browser.wait_for(args.name)
        server = served.proc.pid
        sessions = [pid for pid in children(server)]
        per = []
        for shell in sessions:
            rss = sum(memory_kb(p)[0] for p in tree(shell))
            pss = sum(memory_kb(p)[1] for p in tree(shell))
            per.append((rss, pss))
        own = memory_kb(server)
        print(f"server process: RSS {own[0] / 1024:.1f} MB, PSS {own[1] / 1024:.1f} MB")
        if per:
            print(f"per session ({len(per)} open): RSS median {statistics.median(r for r, _ in per) / 1024:.1f} MB, "
                  f"PSS median {statistics.median(p for _, p in per) / 1024:.1f} MB "
                  f"(RSS each: {', '.join(f'{r / 1024:.1f}' for r, _ in per)} MB)")
        total = own[1] + sum(p for _, p in per)
        print(f"server + {len(per)} sessions, PSS total: {total / 1024:.1f} MB (browsers not counted)")
        for browser in browsers:
            browser.close()
    finally:
        served.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    run(main)
