"""The restart-loop flag on real Docker and Podman: a policy's restarts flag the row, and the flag stays
once the policy gives up (the container exited for good, still within the window)."""

from __future__ import annotations

import pytest

from tests.ui.test_list_real_engines import run_cli
from tests.engine.harness import IMAGE, TEST_LABEL
from tests.waits import wait_until
from tui.dashboard.model import Column
from tui.engine import State

from .conftest import cell_text, dashboard, row_keys
from .test_dashboard_real_engines import app_for

pytestmark = pytest.mark.engine


async def test_a_restart_loop_is_flagged_and_stays_flagged_after_the_last_death(real, monkeypatch):
    monkeypatch.setattr("tui.engine.docker.PING_SECONDS", 30.0)  # Podman's /version is slow on a loaded machine
    import tui.dashboard.timeline as timeline_part

    name = f"loop-{real.session}"
    async with app_for(real).run_test(size=(160, 40)) as pilot:
        screen = await dashboard(pilot)
        object.__setattr__(screen.timeline.settings, "loop_restarts", 2)
        cid = await run_cli(real, "run", "-d", "--name", name, "--label", f"{TEST_LABEL}={real.session}",
                            "--restart", "on-failure:3", IMAGE, "sh", "-c", "exit 3")
        cid = cid.splitlines()[-1]

        def state() -> str:
            return cell_text(screen, cid, Column.STATE) if cid in row_keys(screen) else ""

        def detail() -> str:
            from datetime import datetime, timedelta, timezone
            now = datetime.now(timezone.utc)
            store = screen.timeline.store
            return (f"{state()!r}; entries: {[(e.words(), e.time.isoformat()) for e in store.entries(cid)]}; "
                    f"marks: {screen.timeline.marks().get(cid)!r}; restarts {store.restarts(cid, now, timedelta(minutes=5))}"
                    f" now {now.isoformat()}")

        await wait_until(lambda: "looping ×3" in state(), "the loop flag", pilot=pilot, timeout=60, detail=detail)
        await wait_until(lambda: screen.summaries[cid].state is State.EXITED, "the policy giving up", pilot=pilot,
                         timeout=60, detail=detail)
        monkeypatch.setattr(timeline_part, "MARKS_SECONDS", 0.0)  # the marks worked out again on every redraw
        screen.schedule_rows()
        await pilot.pause()
        await wait_until(lambda: not screen._rows_scheduled, "the list redrawn", pilot=pilot)
        assert "looping ×3 ✖3" in state(), detail()
