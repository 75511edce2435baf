"""Tests wait on conditions, not the clock (issue 10): the waits fail loudly, and no fixed sleep comes back.

A fixed sleep is a guess at how long something takes: too short on a loaded CI
machine (a flaky test), too long everywhere else. The few that remain are there
because the test is about elapsed time itself; each says so in a comment starting
"Kept" (or "Not a wait") on its line or in the six lines above, and this scan holds
every other one out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.waits import WaitTimeout, wait_until, wait_until_sync

TESTS = Path(__file__).parent
EXPLAINED = re.compile(r"#\s*(Kept|Not a wait)\b|# the engine being slow, not the test waiting|# a yield")


def _fixed_waits(tree: ast.AST) -> list[int]:
    """Lines of `time.sleep(n)`, `asyncio.sleep(n)` and `pilot.pause(n)` with n a number above 0."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        first = node.args[0]
        number = isinstance(first, ast.Constant) and isinstance(first.value, (int, float))
        if number and first.value == 0:
            continue  # a yield to the event loop, not a wait
        # pilot.pause(n) waits; engine.pause(container) is an action.
        if node.func.attr == "sleep" or (node.func.attr == "pause" and number):
            found.append(node.lineno)
    return found


def _unexplained(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    bad = []
    for line in _fixed_waits(ast.parse("\n".join(lines))):
        context = "\n".join(lines[max(0, line - 7):line])  # the comment may head a few such lines
        if not EXPLAINED.search(context):
            bad.append(f"{path.relative_to(TESTS.parent)}:{line}: {lines[line - 1].strip()}")
    return bad


WAIT_HELPERS = {"waits.py", "scenario.py"}  # the polls inside the wait helpers themselves


def test_no_fixed_sleep_in_the_tests_without_a_reason():
    bad = [entry for path in sorted(TESTS.rglob("*.py")) if path.name not in WAIT_HELPERS
           for entry in _unexplained(path)]
    assert not bad, "fixed sleeps in tests (wait on the condition instead, or say why it is kept):\n" + "\n".join(bad)


def test_the_scan_finds_an_unexplained_sleep(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import asyncio\n\nasync def t(pilot):\n    await pilot.pause(0.5)\n    await asyncio.sleep(0)\n"
                      "    # Kept: the test is about time\n    await asyncio.sleep(1.1)\n")
    sample_root = TESTS.parent
    moved = sample_root / "tests" / "_scan_sample.py"
    moved.write_text(sample.read_text())
    try:
        assert _unexplained(moved) == ["tests/_scan_sample.py:4: await pilot.pause(0.5)"]
    finally:
        moved.unlink()


async def test_a_wait_that_times_out_fails_saying_what_it_waited_for():
    with pytest.raises(WaitTimeout) as info:
        await wait_until(lambda: False, "the moon to turn blue", timeout=0.05, detail=lambda: "state: grey")
    assert "waiting for the moon to turn blue" in str(info.value) and "state: grey" in str(info.value)
    assert isinstance(info.value, AssertionError)  # a failure, never an error or a silent return


def test_a_sync_wait_that_times_out_fails_saying_what_it_waited_for():
    with pytest.raises(WaitTimeout, match="waiting for the file to appear"):
        wait_until_sync(lambda: None, "the file to appear", timeout=0.05)


async def test_a_wait_returns_the_condition_s_value():
    assert await wait_until(lambda: [3], "a list") == [3]
