"""A control sequence with a control inside it never stops the shell pane (issue 11, item 5).

In a shell, `printf 'AAA\\033[1;2\\b;3EBBB\\n'; echo after-bad-csi` showed nothing
of it, nor the next prompt: the sequence raised outside the parser's guard. Real
Docker and Podman, through the dashboard (busybox test image).
"""

from __future__ import annotations

import pytest

from tests.shell.dashboard_helpers import open_shell, type_line
from tests.shell.test_dashboard_shells_real import app_for
from tests.ui.conftest import dashboard, move_to
from tests.waits import wait_until

pytestmark = pytest.mark.engine


async def test_a_bad_csi_in_a_real_shell_and_the_pane_goes_on(real):
    container_id = await real.idle("fuzz-bad-csi")
    async with app_for(real).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, container_id)
        pane = await open_shell(pilot, screen)
        view = pane.view

        def lines() -> list[str]:
            return [line.rstrip() for line in view.screen_lines()]

        await wait_until(lambda: view.screen_text().rstrip().endswith("#"), "the prompt", pilot=pilot, timeout=20,
                         detail=view.screen_text)
        await type_line(pilot, "printf 'AAA\\033[1;2\\b;3EBBB\\n'; echo after-bad-csi")
        await wait_until(lambda: "after-bad-csi" in lines(), "the echo after the bad sequence", pilot=pilot,
                         timeout=20, detail=view.screen_text)
        shown = lines()
        at = shown.index("after-bad-csi")
        # As xterm draws it: BS, then CNL (extra parameters ignored) puts BBB on the next line.
        assert shown[at - 2:at] == ["AAA", "BBB"], shown
        # The next prompt comes, and the shell still answers.
        await wait_until(lambda: lines()[at + 1:] and lines()[at + 1].endswith("#"), "the next prompt",
                         pilot=pilot, timeout=20, detail=view.screen_text)
        await type_line(pilot, "echo still-$((6*7))")
        await wait_until(lambda: "still-42" in lines(), "the shell to answer", pilot=pilot, timeout=20,
                         detail=view.screen_text)
        assert view.terminal.errors == 0
