"""Pilot: the processes screen (u) and the files screen (F) of a container, on the fake engine."""

from __future__ import annotations

import os

from textual.widgets import DataTable, Input, Log, Tree

from tests.ui.conftest import dashboard, make_app, move_to, screen_text
from tests.ui.test_toasts import drawn_toast
from tests.waits import wait_until
from tui.engine import FakeEngine, State
from tui.engine.archive import ChangeKind
from tui.screens.files import FilesScreen, TransferScreen
from tui.screens.processes import ProcessesScreen, SignalScreen

SIZE = (140, 40)


def engine() -> tuple[FakeEngine, dict[str, str]]:
    fake = FakeEngine()
    ids = {"web": fake.add_container("web", "nginx"), "old": fake.add_container("old", "alpine", state=State.EXITED)}
    return fake, ids


async def open_screen(pilot, key: str, container: str, kind):
    screen = await dashboard(pilot)
    await move_to(pilot, screen, container)
    await pilot.press(key)
    return await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, kind) else None,
                            f"the {kind.__name__}", pilot=pilot)


async def processes_read(pilot, screen: ProcessesScreen, reads: int = 1) -> None:
    await wait_until(lambda: screen.reads >= reads and screen.query_one(DataTable).row_count > 0,
                     "the processes table", pilot=pilot)
    await pilot.pause()


# -- processes ---------------------------------------------------------------------------------


async def test_u_shows_the_processes_sorted_by_cpu_and_o_sorts_by_memory_then_pid():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "u", ids["web"], ProcessesScreen)
        await processes_read(pilot, screen)
        text = screen_text(pilot.app)
        assert "Processes: web" in text and "4 processes" in text
        assert "python -m app --workers 2" in text
        # The container's own text is shown, never read as markup or sent as a control sequence.
        assert "sleep 1000 ␛]0;pwned␇ [bold]x[/bold]" in text
        rows = lambda: [str(screen.query_one(DataTable).get_row_at(i)[2])  # noqa: E731
                        for i in range(screen.query_one(DataTable).row_count)]
        assert rows() == ["7", "8", "1", "9"]  # CPU, highest first
        await pilot.press("o")
        await pilot.pause()
        assert screen.sort == "memory" and rows() == ["7", "8", "1", "9"]
        await pilot.press("o")
        await pilot.pause()
        assert screen.sort == "pid" and rows() == ["1", "7", "8", "9"]
        await pilot.press("O")
        await pilot.pause()
        assert rows() == ["9", "8", "7", "1"]
        assert "sorted by PID descending" in screen_text(pilot.app)


async def test_the_processes_refresh_while_shown():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "u", ids["web"], ProcessesScreen)
        await processes_read(pilot, screen)
        fake.inside(ids["web"]).processes = fake.inside(ids["web"]).processes[:2]
        await pilot.press("ctrl+r")
        await wait_until(lambda: screen.query_one(DataTable).row_count == 2, "the table to read 2 processes",
                         pilot=pilot)
        assert "2 processes" in screen_text(pilot.app)


async def test_K_asks_which_signal_then_sends_it_to_the_process_under_the_cursor():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "u", ids["web"], ProcessesScreen)
        await processes_read(pilot, screen)
        assert screen.cursor_process().pid == 7
        await pilot.press("K")
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, SignalScreen) else None,
                                  "the signal dialog", pilot=pilot)
        text = screen_text(pilot.app)
        assert "Send a signal to process 7 in web" in text and "SIGKILL" in text
        assert fake.inside(ids["web"]).signals == []  # nothing sent before the choice
        await pilot.press("down", "down", "down", "down", "enter")  # SIGKILL
        await wait_until(lambda: not dialog.is_attached, "the dialog to close", pilot=pilot)
        shot = await drawn_toast(pilot, "Sent SIGKILL to 7")
        assert "python -m app --workers 2" in shot
        assert fake.inside(ids["web"]).signals == [(7, "SIGKILL")]
        await wait_until(lambda: screen.query_one(DataTable).row_count == 3, "the table without 7", pilot=pilot)


async def test_escape_in_the_signal_dialog_sends_nothing():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "u", ids["web"], ProcessesScreen)
        await processes_read(pilot, screen)
        await pilot.press("K")
        await wait_until(lambda: isinstance(pilot.app.screen, SignalScreen), "the signal dialog", pilot=pilot)
        await pilot.press("escape")
        await wait_until(lambda: pilot.app.screen is screen, "back on the processes", pilot=pilot)
        assert fake.inside(ids["web"]).signals == []


async def test_read_only_has_no_signal_key():
    fake, ids = engine()
    async with make_app(fake, read_only=True).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "u", ids["web"], ProcessesScreen)
        await processes_read(pilot, screen)
        assert screen.check_action("signal", ()) is False
        assert "K Signal" not in screen_text(pilot.app)
        await pilot.press("K")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, SignalScreen)
        assert fake.inside(ids["web"]).signals == []


async def test_u_on_a_stopped_container_says_why():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await dashboard(pilot)
        await move_to(pilot, screen, ids["old"])
        await pilot.press("u")
        await drawn_toast(pilot, "Processes: old is not running (exited)")
        assert pilot.app.screen is screen


# -- files -------------------------------------------------------------------------------------


async def files_listed(pilot, screen: FilesScreen) -> Tree:
    tree = screen.query_one(Tree)
    await wait_until(lambda: screen.tree_data is not None and len(tree.root.children) > 0, "the file tree",
                     pilot=pilot)
    await pilot.pause()
    return tree


async def select_path(pilot, tree: Tree, path: str) -> None:
    """Walk the tree to `path` the way a user does: expanding folders on the way, cursor on it."""
    node = tree.root
    parts = [p for p in path.split("/") if p]
    for i, part in enumerate(parts):
        if not node.is_expanded:
            node.expand()
            await pilot.pause()
        node = next(child for child in node.children if child.data.name == part)
    tree.move_cursor(node)
    await pilot.pause()
    assert tree.cursor_node is node


async def test_F_lists_the_tree_and_enter_shows_a_file_made_safe():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        tree = await files_listed(pilot, screen)
        await select_path(pilot, tree, "/etc/motd")
        await pilot.press("enter")
        pager = screen.query_one(Log)
        await wait_until(lambda: pager.line_count >= 2, "the file in the pager", pilot=pilot)
        text = screen_text(pilot.app)
        assert "Files: web" in text and "etc/" in text and "motd" in text
        assert "Welcome ␛]0;pwned␇ [bold]not markup[/bold]" in text
        assert "/etc/motd  56 B" in text


async def test_a_binary_file_a_long_file_a_link_and_a_fifo_are_said_plainly():
    fake, ids = engine()
    box = fake.inside(ids["web"])
    from tui.engine.fake_inside import FakeFile
    from tui.engine.archive import FileKind

    box.files["/var/log/huge.log"] = FakeFile(FileKind.FILE, b"x" * 100 + b"\n" + b"y" * (2 << 20))
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        tree = await files_listed(pilot, screen)
        pager = screen.query_one(Log)

        async def show(path: str, needle: str) -> str:
            await select_path(pilot, tree, path)
            await pilot.press("enter")
            await wait_until(lambda: needle in "\n".join(pager.lines), f"{needle!r} for {path}", pilot=pilot,
                             detail=lambda: [line[:100] for line in pager.lines[:3]])
            return screen_text(pilot.app)

        await show("/bin/sh", "A binary file of 2 KB: not shown")
        await show("/var/log/huge.log", "… cut: the first 1.0 MB of 2.0 MB are shown")
        assert pager.lines[1].endswith("… (line cut at 2 000 characters)") and len(pager.lines[1]) < 2100
        text = await show("/app/current", "root:x:0:0")
        assert "current → /etc/passwd" in text  # the tree shows the link as a link
        await show("/app/escape", "points to /etc/shadow, which is not in the listing")  # resolved in the container
        await show("/tmp/pipe", "A fifo: not a regular file, nothing to show")


async def test_ctrl_d_downloads_into_the_chosen_folder_and_never_overwrites(tmp_path):
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        tree = await files_listed(pilot, screen)
        await select_path(pilot, tree, "/app")
        await pilot.press("ctrl+d")
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, TransferScreen) else None,
                                  "the download dialog", pilot=pilot)
        assert "Download the folder /app into this folder" in screen_text(pilot.app)
        dialog.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        shot = await drawn_toast(pilot, f"Downloaded to {tmp_path / 'app'}")
        assert "1 file, 2 folders, 2 links" in shot
        assert (tmp_path / "app" / "config dir" / "app settings.toml").read_text() == "[server]\nport = 8080\n"
        assert os.readlink(tmp_path / "app" / "escape") == "../../../../etc/shadow"  # a link, not followed
        await pilot.press("ctrl+d")
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, TransferScreen) else None,
                                  "the download dialog again", pilot=pilot)
        dialog.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        await drawn_toast(pilot, "exists already: nothing was written")
        tree.move_cursor(tree.root)
        await pilot.pause()
        await pilot.press("ctrl+d")
        await drawn_toast(pilot, "the whole filesystem is not downloaded here")
        assert not isinstance(pilot.app.screen, TransferScreen)


async def test_ctrl_u_uploads_a_local_file_into_the_folder_after_asking(tmp_path):
    fake, ids = engine()
    local = tmp_path / "new settings.toml"
    local.write_text("debug = true\n")
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        tree = await files_listed(pilot, screen)
        await select_path(pilot, tree, "/app/config dir/app settings.toml")  # a file: its folder takes it
        await pilot.press("ctrl+u")
        dialog = await wait_until(lambda: pilot.app.screen if isinstance(pilot.app.screen, TransferScreen) else None,
                                  "the upload dialog", pilot=pilot)
        assert "into /app/config dir in web" in screen_text(pilot.app)
        assert ("put_archive", ids["web"]) not in fake.calls  # nothing sent before the answer
        dialog.query_one(Input).value = str(local)
        await pilot.press("enter")
        await drawn_toast(pilot, "Uploaded new settings.toml (13 B) into /app/config dir")
        assert fake.inside(ids["web"]).files["/app/config dir/new settings.toml"].data == b"debug = true\n"
        await wait_until(lambda: screen.tree_data and "/app/config dir/new settings.toml" in screen.tree_data.entries,
                         "the tree read again", pilot=pilot)
        # The folders that were open are open again, and the cursor is where it was.
        await wait_until(lambda: "new settings.toml" in screen_text(pilot.app), "the new file in the tree",
                         pilot=pilot)
        await wait_until(lambda: tree.cursor_node.data.path == "/app/config dir/app settings.toml",
                         "the cursor back on its file", pilot=pilot)


async def test_read_only_forbids_upload(tmp_path):
    fake, ids = engine()
    async with make_app(fake, read_only=True).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        await files_listed(pilot, screen)
        assert screen.check_action("upload", ()) is False
        assert "Upload" not in screen_text(pilot.app)
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, TransferScreen)
        assert ("put_archive", ids["web"]) not in fake.calls


async def test_C_shows_the_changes_and_y_copies_the_path():
    fake, ids = engine()
    fake.inside(ids["web"]).changed = {"/app/new": ChangeKind.ADDED, "/etc/motd": ChangeKind.MODIFIED,
                                       "/tmp/gone": ChangeKind.DELETED}
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        tree = await files_listed(pilot, screen)
        await pilot.press("C")
        pager = screen.query_one(Log)
        await wait_until(lambda: pager.line_count == 3, "three changes", pilot=pilot)
        text = screen_text(pilot.app)
        assert "Changes against the image  3" in text
        assert "A  /app/new" in text and "C  /etc/motd" in text and "D  /tmp/gone" in text
        copied = []
        pilot.app.copy_to_clipboard = copied.append
        await select_path(pilot, tree, "/app/config dir")
        await pilot.press("y")
        await drawn_toast(pilot, "Copied the path /app/config dir")
        assert copied == ["/app/config dir"]


async def test_F_works_on_a_stopped_container():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["old"], FilesScreen)
        await files_listed(pilot, screen)
        assert "exited" in screen_text(pilot.app)
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(pilot.app.screen, FilesScreen), "back to the list", pilot=pilot)


async def test_the_palette_offers_each_screens_own_actions():
    fake, ids = engine()
    async with make_app(fake).run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "F", ids["web"], FilesScreen)
        tree = await files_listed(pilot, screen)
        await select_path(pilot, tree, "/etc/motd")
        titles = {c.title for c in pilot.app.get_system_commands(screen)}
        assert {"Files: Download", "Files: Upload", "Files: Changes", "Files: Copy path", "Files: Close"} <= titles
        await pilot.press("escape")
        processes = await open_screen(pilot, "u", ids["web"], ProcessesScreen)
        await processes_read(pilot, processes)
        titles = {c.title for c in pilot.app.get_system_commands(processes)}
        assert {"Processes: Signal", "Processes: Sort", "Processes: Reverse", "Processes: Close"} <= titles
        dashboard_titles = {c.title for c in pilot.app.get_system_commands(pilot.app.screen_stack[-2])}
        assert {"List: Processes", "List: Files"} <= dashboard_titles
