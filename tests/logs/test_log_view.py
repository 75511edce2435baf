"""LogView in a running app: following, pending counts, stderr marks, timestamps, search, filter."""

from __future__ import annotations

from tui.testing.log_app import LogApp, chunk, lines, screen_text, settle
from tests.waits import wait_until
from tui.engine import FakeEngine
from tui.engine.types import LogStream
from tui.widgets.log.view import GUTTER_STDERR, LogView


async def test_following_shows_the_newest_line_at_the_bottom():
    app = LogApp(lines(0, 200))
    async with app.run_test(size=(60, 12)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        assert view.following
        rows = screen_text(app)
        assert rows[-1].strip() == "line 199"
        view.add_chunks(lines(200, 230))
        await settle(pilot)
        assert screen_text(app)[-1].strip() == "line 229"
        assert view.line_count == 230


async def test_scrolling_up_stops_following_and_counts_pending_then_end_resumes():
    app = LogApp(lines(0, 100))
    async with app.run_test(size=(60, 12)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        await pilot.press("pageup")
        await settle(pilot)
        assert not view.following
        top_before = screen_text(app)[0]
        view.add_chunks(lines(100, 110))
        await settle(pilot)
        assert view.pending == 10
        view.add_chunks(lines(110, 115))
        await settle(pilot)
        assert view.pending == 15
        assert screen_text(app)[0] == top_before  # the view stays where the user put it
        changes = [m for m in app.messages if isinstance(m, LogView.FollowChanged)]
        assert changes[-1].following is False and changes[-1].pending == 15
        view.follow()
        await settle(pilot)
        assert view.following and view.pending == 0
        assert screen_text(app)[-1].strip() == "line 114"
        # Scrolling back down to the bottom by hand also resumes following.
        await pilot.press("up")
        await settle(pilot)
        assert not view.following
        await pilot.press("end")
        await settle(pilot)
        assert view.following


async def test_paused_view_stays_put_while_old_lines_drop_off():
    app = LogApp(lines(0, 100), max_lines=100)
    async with app.run_test(size=(60, 12)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        top = screen_text(app)[0]
        view.add_chunks(lines(100, 120))
        await settle(pilot)
        assert view.line_count == 100
        assert screen_text(app)[0] == top


async def test_stderr_lines_carry_the_gutter_mark():
    app = LogApp([chunk("to stdout\n"), chunk("to stderr\n", LogStream.STDERR)])
    async with app.run_test(size=(60, 6)) as pilot:
        await settle(pilot)
        rows = [r for r in screen_text(app) if r.strip()]
        assert rows[0].startswith(" to stdout")
        assert rows[1].startswith(GUTTER_STDERR + "to stderr")
        view = app.query_one(LogView)
        strip = view.render_line(1)
        assert any(seg.style and seg.style.bgcolor for seg in strip)  # the tint


async def test_timestamps_toggle_shows_the_time():
    app = LogApp([chunk("hello\n", seconds=1.5)])
    async with app.run_test(size=(60, 6)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        assert "08:15:03" not in screen_text(app)[0]
        view.action_toggle_timestamps()
        await settle(pilot)
        assert screen_text(app)[0].startswith(" 08:15:03.500 hello")


async def test_markup_is_shown_literally_and_escapes_are_neutralised():
    app = LogApp([chunk("[bold]not bold[/bold] \x1b]0;title\x07\x1b[6n done\n")])
    async with app.run_test(size=(60, 6)) as pilot:
        await settle(pilot)
        row = screen_text(app)[0]
        assert "[bold]not bold[/bold]" in row
        assert "\x1b" not in row and "title" not in row


async def test_search_highlights_and_next_match_moves_the_view():
    chunks = lines(0, 300)
    chunks[20] = chunk("needle early\n")
    chunks[150] = chunk("a NEEDLE in the middle\n")
    app = LogApp(chunks)
    async with app.run_test(size=(60, 12)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        assert view.search("needle") == 2
        await pilot.press("home")
        await settle(pilot)
        assert view.next_match()
        await settle(pilot)
        assert view.current_match.plain == "needle early"
        assert view.next_match()
        await settle(pilot)
        assert view.current_match.plain == "a NEEDLE in the middle"
        assert not view.following
        rows = screen_text(app)
        y = next(i for i, r in enumerate(rows) if "NEEDLE" in r)
        highlighted = [seg for seg in view.render_line(y) if seg.text == "NEEDLE"]
        assert highlighted and highlighted[0].style.bgcolor is not None
        assert view.next_match()  # wraps around
        assert view.current_match.plain == "needle early"
        assert view.prev_match()
        assert view.current_match.plain == "a NEEDLE in the middle"
        searches = [m for m in app.messages if isinstance(m, LogView.SearchChanged)]
        assert searches[-1].matches == 2 and searches[-1].current == 2
        assert view.search("needle", case=True) == 1
        assert view.search(r"line 1\d\d$", regex=True) == 99


async def test_filter_and_stream_filter():
    app = LogApp([chunk("GET /a 200\n"), chunk("GET /b 500\n"), chunk("oops\n", LogStream.STDERR),
                  chunk("GET /c 200\n")])
    async with app.run_test(size=(60, 8)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)

        def shown():
            return [r.strip() for r in screen_text(app) if r.strip()]

        view.set_filter("200")
        await settle(pilot)
        assert shown() == ["GET /a 200", "GET /c 200"]
        view.set_filter("200", invert=True)
        await settle(pilot)
        assert shown() == ["GET /b 500", GUTTER_STDERR + "oops"]
        view.set_filter()
        view.set_streams({LogStream.STDERR})
        await settle(pilot)
        assert shown() == [GUTTER_STDERR + "oops"]
        view.set_streams({LogStream.STDOUT})
        view.add_chunks([chunk("GET /d 200\n"), chunk("err2\n", LogStream.STDERR)])
        await settle(pilot)
        assert shown()[-1] == "GET /d 200" and "err2" not in " ".join(shown())
        view.set_streams(None)
        await settle(pilot)
        assert len(shown()) == 6


async def test_wrap_mode_splits_long_lines_into_rows():
    app = LogApp([chunk("x" * 100 + "\n"), chunk("short\n")])
    async with app.run_test(size=(42, 8)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        view.action_toggle_wrap()
        await settle(pilot)
        rows = [r for r in screen_text(app) if r.strip()]
        width = view.scrollable_content_region.width - 1
        assert rows[0].strip() == "x" * width
        assert rows[-1].strip() == "short"
        assert sum(r.count("x") for r in rows) == 100
        view.action_toggle_wrap()
        await settle(pilot)
        assert [r.strip() for r in screen_text(app) if r.strip()][-1] == "short"


async def test_a_megabyte_line_does_not_freeze():
    app = LogApp()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(LogView)
        # How long this takes is a figure in bench/log_view_ingest.py ("megabyte line"), not a test.
        view.add_chunks([chunk(b"z" * 1_000_000 + b"\n"), chunk("after\n")])
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        rows = screen_text(app)
        assert rows[-1].strip() == "after" or any("after" in r for r in rows)
        assert view.buffer.lines[0].cells < 10_100


async def test_flood_keeps_newest_and_counts_skipped():
    app = LogApp(max_lines_per_tick=300, max_backlog=1000)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LogView)
        stats = []
        view.add_chunks([chunk("".join(f"line {i}\n" for i in range(j, j + 100))) for j in range(0, 5000, 100)])
        assert view.skipped == 4000  # older than the backlog keeps: never shown
        await wait_until(lambda: view.line_count, "the first tick", pilot=pilot)
        assert 0 < view.line_count <= 300 * 2  # a tick takes at most 300 lines
        # A burst, not a flood: what the backlog kept all comes in.
        await settle(pilot)
        assert view.line_count == 1000
        assert screen_text(app)[-1].strip() == "line 4999"
        stats = [m for m in app.messages if isinstance(m, LogView.Stats)]
        assert stats and stats[-1].skipped == 4000 and stats[-1].lines == 1000


async def test_long_lines_bound_the_queue_by_bytes():
    app = LogApp(max_queued_bytes=100_100)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LogView)
        for i in range(10):  # ten reads of one 20 kB line each, before any tick
            view.add_chunks([chunk(f"{i} " + "x" * 20_000 + "\n")])
        assert view.skipped == 5 and view.queued_lines == 5  # 100.1 kB queued at most: the oldest went
        await settle(pilot)
        assert [line.plain[:2] for line in view.buffer.lines] == ["5 ", "6 ", "7 ", "8 ", "9 "]
        assert not view.queued_lines


async def test_behind_only_while_lines_are_skipped_and_clear_forgets_it():
    # A time budget no loaded machine runs out of: this test is about the line budget and skips,
    # and a 5 ms budget cut the first tick short (280 lines) whenever the machine was busy.
    app = LogApp(max_lines_per_tick=300, max_backlog=1000, tick_budget=10.0)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LogView)
        view.add_chunks([chunk("".join(f"line {i}\n" for i in range(2000)))])  # 1000 skipped on arrival
        await wait_until(lambda: view.buffer.appended, "the first tick", pilot=pilot)
        assert view.ingest.behind and view.buffer.appended == 300
        await wait_until(lambda: view.buffer.appended > 300, "the second tick", pilot=pilot)
        # No skips since: the next tick is at full pace again, though lines still wait.
        assert not view.ingest.behind and view.queued_lines
        view.add_chunks([chunk("".join(f"more {i}\n" for i in range(3000)))])
        assert view.skipped > 1000
        view.clear()
        assert view.skipped == 0 and not view.queued_lines and not view.ingest.behind


async def test_history_load_fills_the_buffer():
    app = LogApp(max_lines=3000)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(LogView)
        view.add_chunks([chunk("".join(f"line {i}\n" for i in range(5000)))])
        await wait_until(lambda: not view.ingest, "the history to be drained", pilot=pilot)
        assert view.line_count == 3000 and view.buffer.lines[0].plain == "line 2000"


async def test_hidden_view_does_not_render():
    app = LogApp(lines(0, 10))
    async with app.run_test(size=(60, 10)) as pilot:
        await settle(pilot)
        view = app.query_one(LogView)
        view.display = False
        await settle(pilot)
        calls = 0
        original = view.render_line

        def counting(y):
            nonlocal calls
            calls += 1
            return original(y)

        view.render_line = counting
        view.add_chunks(lines(10, 50))
        await settle(pilot)
        assert calls == 0 and view.line_count == 50
        view.display = True
        await settle(pilot)
        assert calls > 0
        assert screen_text(app)[-1].strip() == "line 49"


async def test_markers_and_fake_engine_logs():
    engine = FakeEngine()
    cid = engine.add_container("web")
    engine.emit_log(cid, "hello from stdout\n")
    engine.emit_log(cid, "oops on stderr\n", LogStream.STDERR)
    app = LogApp()
    async with app.run_test(size=(60, 8)) as pilot:
        view = app.query_one(LogView)
        view.add_chunks([c async for c in engine.logs(cid, timestamps=True)])
        view.add_marker("restarted at 08:15:09")
        await settle(pilot)
        rows = [r.rstrip() for r in screen_text(app) if r.strip()]
        assert rows == [" hello from stdout", GUTTER_STDERR + "oops on stderr",
                        "\u2500\u2500\u2500 restarted at 08:15:09 \u2500\u2500"]
