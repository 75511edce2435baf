"""Fuzz the terminal emulator and the log path with hostile output, a million cases at a time.

Same generators and checks as the property tests (tui/testing/hostile.py), without
hypothesis: case N of a run with `--seed S` is built from `random.Random(S + N)`,
so any case is reproduced from its seed alone. Reports

* crashes: any exception out of feeding, resizing, sanitising or rendering;
* hangs: a case taking more than `--slow` seconds of CPU (default 1 s), or one that never ends
  (its worker is killed after `--kill` seconds and the run goes on);
* escapes: a control character (C0, ESC, C1) in what would be written to the
  user's terminal, other than the renderer's own SGR;

each with a reproducer (`--replay terminal:SEED` prints the bytes and reruns it).
`contained` counts cases where a sequence handler raised and the stream skipped
it (not a failure: the guard working).

    python3 bench/fuzz.py                     # 10^6 terminal + 10^6 log cases, 2 processes
    python3 bench/fuzz.py --cases 20000 --kind log
    python3 bench/fuzz.py --replay terminal:123456
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tui.testing.hostile import Escaped, log_case, make_console, run_log, run_terminal, terminal_case  # noqa: E402

KINDS = {"terminal": (terminal_case, run_terminal), "log": (log_case, run_log)}


def run_one(kind: str, seed: int, console) -> tuple[str | None, str, float, int]:
    """(problem or None, detail, seconds, contained errors)."""
    build, run = KINDS[kind]
    case = build(random.Random(seed))
    # CPU time, not wall time: the machine may be busy with other work.
    start = time.process_time()
    contained = 0
    try:
        result = run(case, console)
        contained = getattr(result, "errors", 0)
    except Escaped as exc:
        return "escape", str(exc)[:300], time.process_time() - start, 0
    except Exception as exc:  # noqa: BLE001 - every exception is a finding
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return "crash", f"{type(exc).__name__}: {exc} at {frame.filename}:{frame.lineno}"[:300], \
            time.process_time() - start, 0
    return None, "", time.process_time() - start, contained


def worker(kind: str, seeds: range, slow: float, progress, index: int, results) -> None:
    console = make_console()
    found = []
    contained = 0
    slowest = (0.0, None)
    for n, seed in enumerate(seeds):
        progress[index] = seed
        problem, detail, seconds, errors = run_one(kind, seed, console)
        contained += bool(errors)
        if seconds > slowest[0]:
            slowest = (seconds, seed)
        if problem is None and seconds > slow:
            problem, detail = "hang", f"took {seconds:.2f} s"
        if problem is not None:
            found.append((problem, kind, seed, detail))
            results.put(("found", index, (problem, kind, seed, detail)))
        if n % 2000 == 1999:
            results.put(("count", index, 2000))
    results.put(("count", index, len(seeds) % 2000))
    results.put(("done", index, (contained, slowest)))


def fuzz(kind: str, cases: int, seed: int, procs: int, slow: float, kill: float) -> dict:
    """Run `cases` cases of `kind` over `procs` processes; a worker stuck past `kill` s is replaced."""
    ctx = mp.get_context("fork")
    results = ctx.Queue()
    progress = ctx.Array("q", procs)
    # Worker k takes seeds seed+k, seed+k+procs, ...
    pending = {k: range(seed + k, seed + cases, procs) for k in range(procs)}
    workers = {}
    last_seen = {}
    for k, seeds in pending.items():
        workers[k] = ctx.Process(target=worker, args=(kind, seeds, slow, progress, k, results), daemon=True)
        workers[k].start()
        last_seen[k] = (None, time.monotonic())
    found, done, counted, contained, slowest = [], set(), 0, 0, (0.0, None)
    started = time.monotonic()
    next_report = started + 30
    while len(done) < procs:
        try:
            what, k, payload = results.get(timeout=1)
        except Exception:  # queue.Empty
            what = None
        if what == "found":
            found.append(payload)
            print(f"  {payload[0]}: {payload[1]}:{payload[2]}  {payload[3]}", flush=True)
        elif what == "count":
            counted += payload
        elif what == "done":
            done.add(k)
            contained += payload[0]
            if payload[1][0] > slowest[0]:
                slowest = payload[1]
        now = time.monotonic()
        for k, proc in workers.items():
            if k in done:
                continue
            current = progress[k]
            if current != last_seen[k][0]:
                last_seen[k] = (current, now)
            elif now - last_seen[k][1] > kill:
                proc.kill()
                proc.join()
                payload = ("hang", kind, current, f"still running after {kill:.0f} s: killed")
                found.append(payload)
                print(f"  hang: {kind}:{current}  {payload[3]}", flush=True)
                rest = range(current + procs, pending[k].stop, procs)
                pending[k] = rest
                workers[k] = ctx.Process(target=worker, args=(kind, rest, slow, progress, k, results), daemon=True)
                workers[k].start()
                last_seen[k] = (None, now)
            elif not proc.is_alive() and proc.exitcode != 0:
                # Died without saying so (killed by the OS, a crash in C): counted as a crash.
                found.append(("crash", kind, current, f"worker died (exit {proc.exitcode})"))
                done.add(k)
        if now > next_report:
            rate = counted / (now - started)
            print(f"  {kind}: {counted}/{cases} cases, {rate:.0f}/s, {len(found)} found", flush=True)
            next_report = now + 60
    elapsed = time.monotonic() - started
    summary = {name: sum(1 for f in found if f[0] == name) for name in ("crash", "hang", "escape")}
    summary.update(cases=cases, seconds=elapsed, contained=contained, slowest=slowest, found=found)
    return summary


def replay(spec: str) -> None:
    kind, _, seed = spec.partition(":")
    build, run = KINDS[kind]
    case = build(random.Random(int(seed)))
    print(f"{kind} case {seed}: {case!r}"[:4000])
    print(f"bytes ({len(case.data)}): {case.data!r}"[:20000])
    start = time.process_time()
    result = run(case, make_console())
    print(f"ok in {time.process_time() - start:.3f} s; contained errors: {getattr(result, 'errors', 0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases per kind (default 10^6)")
    parser.add_argument("--kind", choices=["terminal", "log", "both"], default="both")
    parser.add_argument("--seed", type=int, default=0, help="first case's seed")
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--slow", type=float, default=1.0, help="a case slower than this is a hang (s)")
    parser.add_argument("--kill", type=float, default=30.0, help="kill a case running this long (s)")
    parser.add_argument("--replay", metavar="KIND:SEED", help="rerun one case, showing its bytes")
    args = parser.parse_args()
    if args.replay:
        replay(args.replay)
        return
    kinds = ["terminal", "log"] if args.kind == "both" else [args.kind]
    totals = {}
    for kind in kinds:
        print(f"{kind}: {args.cases} cases from seed {args.seed}, {args.procs} processes", flush=True)
        totals[kind] = summary = fuzz(kind, args.cases, args.seed, args.procs, args.slow, args.kill)
        print(f"{kind}: {summary['cases']} cases in {summary['seconds']:.0f} s: "
              f"{summary['crash']} crashes, {summary['hang']} hangs, {summary['escape']} escapes "
              f"(slowest case {summary['slowest'][0]:.3f} s, seed {summary['slowest'][1]}; "
              f"{summary['contained']} cases with a contained handler error)", flush=True)
        for problem, k, seed, detail in summary["found"]:
            print(f"  {problem}  reproduce: python3 bench/fuzz.py --replay {k}:{seed}   {detail}")
    bad = sum(t["crash"] + t["hang"] + t["escape"] for t in totals.values())
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
