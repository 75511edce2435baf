"""Inside a container, in a real pty: the processes screen (u) and the files screen (F).

On real Docker and Podman (160×48), with containers made by the engines' own
CLIs; and on the demo engine at 80×24, where the screens must still fit.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.scenario import covers
from tests.e2e.test_scenarios_engines import ENGINES, engine, start  # noqa: F401, F811  (fixture)

pytestmark = [pytest.mark.e2e]

# The API backends: the CLI backend has no processes or files yet (its screens say so).
API_ENGINES = [kind for kind in ENGINES if not kind.endswith("-cli")]

SLEEPERS = "trap 'exit 0' TERM; mkdir -p '/aaa data'; echo 'hello from inside' > '/aaa data/x y.txt'; " \
           "sleep 1000 & sleep 2000 & wait"

# The sleeps' own rows (the shell's command line names them too).
SLEEP_1000, SLEEP_2000 = (re.compile(rf"\d\d:\d\d  sleep {n}\b") for n in (1000, 2000))


@pytest.mark.engine
@pytest.mark.parametrize("engine", API_ENGINES, indirect=True)
@covers("u", "o", "O", "ctrl+r", "K", "enter", "escape")
def test_engine_processes(bosun, engine):  # noqa: F811  (the fixture)
    kind, url, cli, session, make = engine
    name = make("top", "sh", "-c", SLEEPERS)
    app = start(bosun, url, session)
    app.see_row(name, "running", timeout=20)
    app.goto(name)
    app.press("u")
    app.see(f"Processes: {name}")
    app.see(SLEEP_2000, timeout=15)
    app.see(SLEEP_1000)
    app.see("sorted by CPU % descending")
    app.press("o")
    app.see("sorted by MEM descending")
    app.press("o")
    app.see("sorted by PID ascending")
    app.press("O")
    app.see("sorted by PID descending")
    app.press("ctrl+r")
    app.see("3 processes")
    # PID descending: the last sleep started is the first row.
    app.press("up", "up", "up", "up")
    app.press("K")
    app.see(re.compile(r"Send a signal to process \d+ in"))
    app.see("SIGKILL")
    app.press("enter")  # SIGTERM, the first choice
    app.see_toast("Sent SIGTERM to")
    app.see("2 processes", timeout=15)
    app.gone(SLEEP_2000)
    app.see(SLEEP_1000)
    assert cli.status(name) == "running"
    app.press("escape")
    app.see_row(name, "running")
    app.quit()


@pytest.mark.engine
@pytest.mark.parametrize("engine", API_ENGINES, indirect=True)
@covers("F", "enter", "ctrl+d", "C", "y", "ctrl+u", "ctrl+r", "escape")
def test_engine_files(bosun, engine, tmp_path):  # noqa: F811  (the fixture)
    kind, url, cli, session, make = engine
    name = make("files", "sh", "-c", SLEEPERS)
    local = tmp_path / "from here.txt"
    local.write_text("sent by bosun\n")
    app = start(bosun, url, session)
    app.see_row(name, "running", timeout=20)
    app.goto(name)
    app.press("F")
    app.see(f"Files: {name}")
    app.see("aaa data/", timeout=20)
    app.see("bin/")
    app.press("down", "enter")  # the first folder: /aaa data
    app.see("x y.txt")
    app.press("down", "enter")
    app.see("hello from inside")
    app.see("/aaa data/x y.txt  18 B")

    app.press("ctrl+d")
    app.see("Download the file /aaa data/x y.txt (18 B) into this folder")
    app.type(str(tmp_path / "down"))
    (tmp_path / "down").mkdir()
    app.press("enter")
    app.see("x y.txt: 1 file, 18 B")  # the status line (the toast wraps the long path)
    assert (tmp_path / "down" / "x y.txt").read_text() == "hello from inside\n"

    app.press("y")
    app.see_toast("Copied the path /aaa data/x y.txt")

    app.press("ctrl+u")
    app.see("Upload a local file or folder into /aaa data in")
    app.type(str(local))
    app.press("enter")
    app.see_toast("Uploaded from here.txt (14 B) into /aaa data")
    assert cli("exec", name, "cat", "/aaa data/from here.txt") == "sent by bosun"

    app.press("C")
    app.see("Changes against the image")
    app.see("A  /aaa data/from here.txt")
    app.see("A  /aaa data/x y.txt")

    app.press("ctrl+r")
    app.see("entries")
    app.press("escape")
    app.see_row(name, "running")
    app.quit()


@pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])
@covers("u", "F", "enter", "escape")
def test_demo_processes_and_files_at_80x24(bosun, size):
    app = bosun("--demo", size=size)
    app.see_row("shop-web-1", "healthy", timeout=20)
    app.goto("shop-web-1")
    app.press("u")
    app.see("Processes: shop-web-1")
    app.see("python -m app --workers 2")
    app.see("sleep 1000 ␛]0;pwned␇ [bold]x[/bold]")  # the container's text, shown, never obeyed
    app.see("esc Close")
    app.press("escape")
    app.see_row("shop-web-1", "healthy")
    app.press("F")
    app.see("Files: shop-web-1")
    app.see("etc/")
    app.press("down", "down", "down", "down", "enter")  # app, bin, dev, etc
    app.see("motd")
    app.press("down", "down", "enter")  # hostname, motd
    app.see("Welcome ␛]0;pwned␇")
    app.press("escape")
    app.see_row("shop-web-1", "healthy")
    app.quit()
