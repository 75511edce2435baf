"""The engine-lost banner: one line, the cause in plain words, never the client's internals."""

from __future__ import annotations

from tests.ui.conftest import dashboard, make_app, screen_text
from tests.waits import wait_until
from tui.engine import FakeEngine


async def test_the_lost_banner_is_one_line_with_the_first_line_of_the_reason():
    fake = FakeEngine()
    fake.add_container("web", "nginx")
    reason = ("Cannot connect to host localhost:80 ssl:default [Connection refused]\n"
              "ConnectionKey(host='localhost', port=80, is_ssl=False)\n\x1b[31mred")
    async with make_app(fake).run_test(size=(120, 30)) as pilot:
        await dashboard(pilot)
        fake.lose_events(reason)
        await wait_until(lambda: "Lost the engine's event stream" in screen_text(pilot.app), "the lost banner",
                         pilot=pilot, detail=lambda: screen_text(pilot.app))
        lines = [line for line in screen_text(pilot.app).splitlines() if "Lost the engine" in line]
        assert len(lines) == 1
        text = screen_text(pilot.app)
        assert "ConnectionKey" not in text and "\x1b" not in text, text
        assert "Cannot connect to host localhost:80" in lines[0]
        fake.resume_events(3)
        await wait_until(lambda: "Lost the engine's event stream" not in screen_text(pilot.app),
                         "the banner to go when the stream resumes", pilot=pilot)


async def test_a_banner_that_says_the_same_is_not_set_again():
    # Setting a Static lays the whole screen out; the periodic re-list asks for the banner every 20 s.
    fake = FakeEngine()
    fake.add_container("web", "nginx")
    async with make_app(fake).run_test(size=(120, 30)) as pilot:
        screen = await dashboard(pilot)
        banner = screen.query_one("#banner")
        updates: list = []
        original = banner.update
        banner.update = lambda *a, **k: (updates.append(a), original(*a, **k))[1]
        screen.show_banner()  # the first re-list's: the banner was composed empty and stays so
        screen.show_banner()
        assert updates == []
        fake.lose_events("gone")
        await wait_until(lambda: "Lost the engine's event stream" in screen_text(pilot.app), "the lost banner",
                         pilot=pilot, detail=lambda: screen_text(pilot.app))
        assert len(updates) == 1
        fake.resume_events(3)
        await wait_until(lambda: "Lost the engine's event stream" not in screen_text(pilot.app),
                         "the banner to go when the stream resumes", pilot=pilot)
        assert len(updates) == 2
