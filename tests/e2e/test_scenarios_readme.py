"""README's keys each have a scenario; the scenarios run the installed `bosun` of this checkout.

The documented keys are read from README.md: every table with a "key" column
(the list's keys, the `[keys]` defaults), and the keys in backticks in the
"Log panes" and "Shells" sections. A scenario declares what it presses with
`@covers` (and fails if it does not press it), so a key listed here as covered
is one some scenario really drives.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e import (  # noqa: F401
    test_scenarios_engines, test_scenarios_inside, test_scenarios_list, test_scenarios_logs, test_scenarios_multi_engine,
    test_scenarios_shells, test_scenarios_stats, test_scenarios_timeline, test_scenarios_typing, test_scenarios_units,
    test_scenarios_views,
)
from tui.testing.pty_app import REPO_ROOT
from tests.e2e.scenario import COVERED, bosun_command

pytestmark = pytest.mark.e2e

NAMED_KEYS = {"enter", "escape", "space", "tab", "end", "home", "pageup", "pagedown", "up", "down", "left", "right",
              "backspace", "delete", "insert"}
TEXTUAL_NAMES = {"slash": "/", "question_mark": "?", "backslash": "\\"}
KEY = re.compile(r"^(?:(?:ctrl|shift|alt)\+\S+|[!-~])$")  # a single printable ASCII character, or a chord


def as_key(token: str) -> str | None:
    token = token.strip()
    token = TEXTUAL_NAMES.get(token, token)
    if token in NAMED_KEYS or KEY.match(token):
        return token
    return None


def documented_keys(readme: str) -> dict[str, set[str]]:
    """key → where README documents it."""
    found: dict[str, set[str]] = {}

    def add(token: str, where: str) -> None:
        key = as_key(token)
        if key is not None:
            found.setdefault(key, set()).add(where)

    lines = readme.splitlines()
    section = ""
    header: list[str] | None = None
    for line in lines:
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        if not line.startswith("|"):
            header = None
            if section in ("Log panes", "Shells"):
                for token in re.findall(r"`([^`]+)`", line):
                    add(token, f"{section} section")
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(line) <= set("|-: "):
            continue
        if any("key" in name for name in header):
            for cell in cells:
                # A key table's cells: keys (`o`, `O`), key names (`slash`), and keys named in the
                # action text ("secrets masked until `v`"). Several keys in one cell: `x,ctrl+x`.
                for token in re.findall(r"`([^`]+)`", cell):
                    for part in token.split(","):
                        add(part, f"key table under {section!r}")
    return found


def test_every_key_readme_documents_has_a_scenario():
    documented = documented_keys((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    # The parser itself: the tables and sections were found (an empty set would pass vacuously).
    assert {"s", "x", "D", "/", "?", "q", "ctrl+s", "S", "ctrl+]", "W"} <= set(documented), sorted(documented)
    missing = {key: sorted(where) for key, where in documented.items() if not COVERED.get(key)}
    assert not missing, f"README documents keys no scenario exercises: {missing}"


def test_scenarios_run_the_installed_command_of_this_checkout():
    argv, note = bosun_command()
    print(note)
    if argv[0].endswith("bosun"):
        return
    pytest.skip(note)  # fallback in use: said in every scenario's output too
