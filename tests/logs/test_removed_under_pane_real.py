"""A `--rm` container that dies under the unpinned log pane keeps its last lines on screen (real engines).

Its row goes, the list moves the cursor to another row, and the pane used to
follow that row at once: "FATAL: the reason it died" was gone before anyone
read it. The pane now keeps the removed container, saying "removed", until the
user moves the cursor.
"""

from __future__ import annotations

import pytest

from tests.engine.harness import IMAGE
from tests.logs.test_log_pane_real_engines import open_pane
from tests.ui.conftest import row_keys
from tests.ui.test_dashboard_real_engines import app_for
from tests.waits import wait_until
from tui.dashboard.container_table import ContainerTable
from tui.widgets.log.pane import PaneHeader

pytestmark = pytest.mark.engine

# The half second after the last line: Podman's follow stream can end at the exit before it
# hands over a line written in the same millisecond, and with --rm the log is gone at once, so
# no reader could get it back. This test is about the pane keeping what it was given.
DIES = ("echo starting; while [ ! -f /tmp/die ]; do sleep 0.1; done; echo 'FATAL: the reason it died' >&2; "
        "sleep 0.5; exit 1")


async def _auto_removed(harness, what: str, script: str) -> str:
    body = {"Image": IMAGE, "Cmd": ["sh", "-c", script], "Labels": harness.labels,
            "HostConfig": {"AutoRemove": True}}
    async with harness.engine._request("containers/create", "POST", params={"name": harness.name(what)},
                                       body=body) as response:
        container_id = (await response.json(content_type=None))["Id"]
    await harness.engine.start(container_id)
    return container_id


async def _run(engine, cid: str, script: str) -> None:
    session = await engine.exec(cid, ["sh", "-c", script], stdin=False)
    async with session:
        while await session.read() is not None:
            pass


def _lines(pane) -> list[str]:
    return [line.plain for line in pane.view.buffer]


async def test_a_removed_container_keeps_its_last_lines_in_the_unpinned_pane(real):
    dies = await _auto_removed(real, "a-dies", DIES)
    others = [await real.idle("b-stays"), await real.idle("c-stays")]
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        pane = await open_pane(pilot, dies)
        screen = pilot.app.screen
        header = pane.query_one(PaneHeader)
        assert not pane.pinned
        await wait_until(lambda: "starting" in _lines(pane), "the container's first line", pilot=pilot,
                         detail=lambda: _lines(pane))
        await _run(real.engine, dies, "touch /tmp/die")
        await wait_until(lambda: dies not in row_keys(screen), "the row to go", pilot=pilot, timeout=15)
        await wait_until(lambda: "removed" in header._text.plain, "the header to say removed", pilot=pilot,
                         detail=lambda: (header._text.plain, _lines(pane)))
        # Whatever the list did with its cursor, the pane's follow-the-cursor delay has passed.
        await wait_until(lambda: screen.logs.cursor_timer is None and not screen._rows_scheduled, "the list to settle",
                         pilot=pilot)
        for _ in range(5):
            await pilot.pause()
        assert [t.id for t in pane.targets] == [dies], "the pane followed the cursor away from the removed container"
        assert "FATAL: the reason it died" in _lines(pane), _lines(pane)
        assert real.name("a-dies") in header._text.plain and "removed" in header._text.plain, header._text.plain
        assert "container removing" not in _lines(pane), _lines(pane)  # on its way out: "removed" says it

        # The user moves the cursor: now the pane follows it.
        table = screen.query_one(ContainerTable)
        table.focus()
        at = table.cursor_key
        await pilot.press("up" if at == table._order[-1] else "down")
        await wait_until(lambda: table.cursor_key != at, "the cursor to move", pilot=pilot)
        await wait_until(lambda: [t.id for t in pane.targets] == [table.cursor_key], "the pane to follow the cursor",
                         pilot=pilot, detail=lambda: ([t.name for t in pane.targets], table.cursor_key))
        assert table.cursor_key in others
