"""A compose project restarted from its header on real Docker and Podman goes in dependency order
(the compose labels, no compose CLI): db's new start time is before api's, api's before web's."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.waits import wait_until
from tui.dashboard.order import DEPENDS_ON_LABEL
from tui.screens.confirm_project import ConfirmProjectScreen

from .conftest import dashboard, move_to
from .test_busy_marks_real import app_for

pytestmark = pytest.mark.engine


def _labels(project: str, service: str, depends: str = "") -> dict[str, str]:
    labels = {"com.docker.compose.project": project, "com.docker.compose.service": service}
    if depends:
        labels[DEPENDS_ON_LABEL] = depends
    return labels


async def _started(engine, cid) -> datetime:
    return (await engine.summary(cid)).started


async def test_project_restart_goes_in_dependency_order_on_real_engines(real):
    project = f"units{real.session}"
    web = await real.idle("web", labels=_labels(project, "web", "api:service_started:false"))
    api = await real.idle("api", labels=_labels(project, "api", "db:service_healthy:false"))
    db = await real.idle("db", labels=_labels(project, "db"))
    before = {cid: await _started(real.engine, cid) for cid in (web, api, db)}
    async with app_for(real).run_test(size=(160, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, f"group:{project}")
        await pilot.press("r")
        await wait_until(lambda: isinstance(pilot.app.screen, ConfirmProjectScreen), "the project dialog",
                         pilot=pilot)
        await pilot.press("y")

        async def all_restarted() -> bool:
            return all([await _started(real.engine, cid) > before[cid] for cid in (web, api, db)])

        await wait_until(all_restarted, "the three containers restarted", pilot=pilot, timeout=60)
        await wait_until(lambda: not screen.busy, "the project's busy marks to clear", pilot=pilot, timeout=30)
    started = {cid: await _started(real.engine, cid) for cid in (web, api, db)}
    assert started[db] < started[api] < started[web], started
