"""One container's files: a tree read through the archive API, a pager, download, upload, changes.

The archive API works on stopped containers too. One archive stream lists the
whole tree (headers only; see `tui.engine.archive`), so opening a folder costs
nothing more. Names, link targets and file contents are the container's own:
shown through `visible` (control characters as stand-ins), never as markup.
A symlink is shown as a link; following it resolves its target as a path in
the same container, never on this machine.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, Log, Static, Tree

from tui.engine import ContainerSummary, Engine, EngineError
from tui.engine.archive import PREVIEW_BYTES, FileEntry, FileKind, FileTree, Preview, resolve_link, when
from tui.engine.transfer import local_size, pack, unpack
from tui.keys.registry import COPY_PATH, DOWNLOAD, UPLOAD, Scope
from tui.logs.sanitize import human_size
from tui.notice import notify
from tui.untrusted import visible
from tui.widgets.footer import LeanFooter
from tui.widgets.key_bindings import scope_bindings
from tui.widgets.typeahead import focus_now

#: Lines the pager keeps (a 1 MiB preview of short lines fits).
PAGER_LINES = 50_000
#: A line longer than this is cut for display (a minified file is one line of a megabyte).
LINE_CHARS = 2000
_PROGRESS_STEP = 4 << 20


def default_download_folder() -> str:
    downloads = Path.home() / "Downloads"
    return str(downloads if downloads.is_dir() else Path.cwd())


def entry_label(entry: FileEntry) -> Text:
    """A tree row: the name, then what it is when that is not a plain file or folder."""
    name = visible(entry.name)
    if entry.kind is FileKind.DIR:
        return Text(name + ("/" if entry.path != "/" else ""), "bold")
    if entry.kind is FileKind.SYMLINK:
        return Text.assemble((name, "italic"), (" → " + visible(entry.link_target), "dim"))
    if entry.kind is FileKind.HARDLINK:
        return Text.assemble(name, (" (hard link to /" + visible(entry.link_target.lstrip("/")) + ")", "dim"))
    if entry.special:
        return Text.assemble(name, (f" ({entry.kind.value})", "dim"))
    return Text.assemble(name, (f"  {human_size(entry.size)}", "dim"))


def _walk_nodes(node):
    yield node
    for child in node.children:
        yield from _walk_nodes(child)


def preview_lines(preview: Preview) -> list[str]:
    """What the pager shows for a preview: the text made safe, or why it shows none."""
    entry = preview.entry
    if preview.binary:
        return [f"A binary file of {human_size(entry.size)}: not shown. ctrl+d downloads it."]
    text = preview.data.decode("utf-8", errors="replace")
    lines = [_cut(visible(line.expandtabs(8))) for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    if preview.cut:
        lines.append(f"… cut: the first {human_size(len(preview.data))} of {human_size(entry.size)} are shown. "
                     "ctrl+d downloads the whole file.")
    return lines


def _cut(line: str) -> str:
    return line if len(line) <= LINE_CHARS else line[:LINE_CHARS] + f"… (line cut at {LINE_CHARS:,} characters)".replace(",", " ")


class FilesScreen(Screen[None]):
    CSS_PATH = "inside.tcss"
    BINDINGS: ClassVar[list[Binding]] = scope_bindings(Scope.FILES)

    def __init__(self, engine: Engine, summary: ContainerSummary, *, read_only: bool = False,
                 root: str = "/") -> None:
        super().__init__()
        self.engine = engine
        self.container = summary
        self.read_only = read_only
        self.root = root
        self.tree_data: FileTree | None = None
        self.shown: str = ""  # path of the file (or "changes") in the pager

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="inside-status")
        with Horizontal(id="files-body"):
            tree: Tree[FileEntry] = Tree(Text(self.root), id="files-tree")
            tree.auto_expand = True
            yield tree
            with Vertical(id="files-view"):
                yield Static(Text("enter on a file shows it here", "dim"), id="file-title")
                yield Log(id="pager", max_lines=PAGER_LINES, auto_scroll=False)
        yield LeanFooter()

    def on_mount(self) -> None:
        self.title = f"Files: {visible(self.container.name)}"
        focus_now(self.query_one(Tree))
        self.action_reload()

    def check_action(self, action: str, parameters) -> bool | None:
        # A binding's action is its method: these actions' methods are their ids (the registry gives none).
        if action == UPLOAD and self.read_only:
            return False
        if action in (DOWNLOAD, COPY_PATH, UPLOAD):
            return True if self.cursor_entry() else None
        return True

    def status(self, text: str) -> None:
        self.query_one("#inside-status", Static).update(Text(text))

    # -- the tree ------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.status(f"Reading the files of {visible(self.container.name)}…")
        self.run_worker(self._load(), group="list", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        try:
            data = await self.engine.list_dir(self.container.id, self.root)
        except (EngineError, ValueError, OSError) as exc:
            self.status(f"Cannot read the files: {visible(getattr(exc, 'message', str(exc)))}")
            return
        self.tree_data = data
        tree: Tree[FileEntry] = self.query_one(Tree)
        # A reload (after an upload, or ctrl+r) keeps the folders open that were, and the cursor's place.
        opened = {n.data.path for n in _walk_nodes(tree.root) if n.is_expanded and n.data is not None}
        cursor = tree.cursor_node.data.path if tree.cursor_node is not None and tree.cursor_node.data else None
        tree.clear()
        tree.root.data = data.entries[data.root]
        self._fill(tree.root)
        tree.root.expand()
        for node in _walk_nodes(tree.root):
            if node.data is not None and node.data.path in opened and node is not tree.root:
                self._fill(node)
                node.expand()
        if cursor:
            found = next((n for n in _walk_nodes(tree.root) if n.data is not None and n.data.path == cursor), None)
            if found is not None:
                self.call_after_refresh(tree.move_cursor, found)
        count = len(data.entries)
        cut = " (cut: the tree is larger than bosun lists)" if data.cut else ""
        state = self.container.state.value
        self.status(f"{count} entries{cut} · {state} · read through the archive API · "
                    "enter opens, ctrl+d downloads, C shows changes")
        self.refresh_bindings()

    def _fill(self, node) -> None:
        if self.tree_data is None or node.data is None or getattr(node, "_bosun_filled", False):
            return
        node._bosun_filled = True
        for entry in self.tree_data.list(node.data.path):
            if entry.kind is FileKind.DIR:
                node.add(entry_label(entry), data=entry)
            else:
                node.add_leaf(entry_label(entry), data=entry)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        self._fill(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        entry = event.node.data
        if entry is not None and entry.kind is not FileKind.DIR:
            self.open(entry)

    def cursor_entry(self) -> FileEntry | None:
        if not self.is_mounted:
            return None
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None else None

    # -- the pager -----------------------------------------------------------------------

    def _pager(self, title: Text, lines: list[str]) -> None:
        self.query_one("#file-title", Static).update(title)
        pager = self.query_one(Log)
        pager.clear()
        pager.write_lines(lines)
        pager.scroll_home(animate=False)

    def open(self, entry: FileEntry) -> None:
        """Show a file in the pager; a link shows where it points (in the container) and opens that."""
        if entry.kind is FileKind.SYMLINK:
            target = resolve_link(entry.path, entry.link_target)
            found = self.tree_data.entries.get(target) if self.tree_data else None
            title = Text.assemble(("link ", "dim"), visible(entry.path), " → ", visible(target),
                                  (" (in the container)", "dim"))
            if found is None or found.kind is not FileKind.FILE:
                what = "is not in the listing" if found is None else f"is a {found.kind.value}"
                self.shown = entry.path
                self._pager(title, [f"The link points to {visible(target)}, which {what}."])
                return
            entry = found
        if entry.kind is FileKind.HARDLINK:
            entry = FileEntry(entry.path, FileKind.FILE, entry.size, entry.mode, entry.mtime)
        if entry.special:
            self.shown = entry.path
            self._pager(Text(visible(entry.path)), [f"A {entry.kind.value}: not a regular file, nothing to show."])
            return
        self.shown = entry.path
        self._pager(Text.assemble(visible(entry.path), ("  reading…", "dim")), [])
        self.run_worker(self._open(entry), group="open", exclusive=True, exit_on_error=False)

    async def _open(self, entry: FileEntry) -> None:
        try:
            preview = await self.engine.read_file(self.container.id, entry.path, PREVIEW_BYTES)
        except (EngineError, ValueError) as exc:
            self._pager(Text(visible(entry.path)), [f"Cannot read it: {visible(getattr(exc, 'message', str(exc)))}"])
            return
        size = preview.entry.size
        mode = f"{preview.entry.mode:o}" if preview.entry.mode else ""
        title = Text.assemble(visible(entry.path), (f"  {human_size(size)}  {mode}  {when(preview.entry.mtime)}",
                                                    "dim"))
        self._pager(title, preview_lines(preview))

    def action_close(self) -> None:
        if self.query_one(Log).has_focus:
            focus_now(self.query_one(Tree))
        else:
            self.dismiss(None)

    def action_changes(self) -> None:
        self.run_worker(self._changes(), group="open", exclusive=True, exit_on_error=False)

    async def _changes(self) -> None:
        try:
            changes = await self.engine.changes(self.container.id)
        except EngineError as exc:
            notify(self, str(exc), title="Changes failed", severity="error", timeout=8)
            return
        self.shown = "changes"
        lines = [f"{c.kind.mark}  {visible(c.path)}" for c in changes] or ["Nothing changed against the image."]
        title = Text.assemble(("Changes against the image", "bold"),
                              f"  {len(changes)} (A added, C changed, D deleted)")
        self._pager(title, lines)

    def action_copy_path(self) -> None:
        entry = self.cursor_entry()
        if entry is None:
            notify(self, "Nothing under the cursor", timeout=3)
            return
        self.app.copy_to_clipboard(entry.path)
        notify(self, f"Copied the path {entry.path}", timeout=3)

    # -- download and upload -----------------------------------------------------------------

    def _progress(self, verb: str, name: str, total: int | None):
        last = [0]

        def seen(done: int) -> None:
            if done - last[0] >= _PROGRESS_STEP:
                last[0] = done
                of = f" of {human_size(total)}" if total else ""
                self.status(f"{verb} {name}: {human_size(done)}{of}…")
        return seen

    def action_download(self) -> None:
        entry = self.cursor_entry()
        if entry is None:
            notify(self, "Nothing under the cursor", timeout=3)
            return
        if entry.path == "/":
            notify(self, "Choose a file or folder: the whole filesystem is not downloaded here "
                         "(docker export does that)", timeout=6)
            return
        what = "the folder" if entry.kind is FileKind.DIR else "the file"
        size = f" ({human_size(entry.size)})" if entry.kind is FileKind.FILE else ""
        question = Text.assemble(("Download ", "bold"), f"{what} {visible(entry.path)}{size} into this folder:")

        def chosen(folder: str | None) -> None:
            if folder:
                self.run_worker(self._download(entry, folder), group="transfer", exit_on_error=False)

        self.app.push_screen(TransferScreen(question, default_download_folder(), "Download"), chosen)

    async def _download(self, entry: FileEntry, folder: str) -> None:
        dest = os.path.abspath(os.path.expanduser(folder))
        name = entry.name
        title = f"Download {visible(entry.name)} failed"
        if not os.path.isdir(dest):
            notify(self, f"{dest} is not a folder", title=title, severity="error", timeout=8)
            return
        if os.path.lexists(os.path.join(dest, name)):
            notify(self, f"{os.path.join(dest, name)} exists already: nothing was written", title=title,
                   severity="error", timeout=8)
            return
        total = entry.size if entry.kind is FileKind.FILE else None
        try:
            result = await unpack(self.engine.get_archive(self.container.id, entry.path), dest,
                                  progress=self._progress("Downloading", visible(entry.name), total))
        except (EngineError, OSError, ValueError) as exc:
            notify(self, str(exc), title=title, severity="error", timeout=10)
            self.status(f"Download of {visible(entry.name)} failed")
            return
        where = os.path.join(dest, result.top[0]) if len(result.top) == 1 else dest
        message = f"Downloaded to {where}: {result.summary()}, {human_size(result.bytes)}"
        self.status(message)
        notify(self, message, timeout=8, severity="warning" if result.skipped else "information")

    def upload_folder(self) -> FileEntry | None:
        """Where an upload goes: the folder under the cursor, or the folder of the file under it."""
        entry = self.cursor_entry()
        if entry is None or entry.kind is FileKind.DIR:
            return entry
        parent = posixpath.dirname(entry.path)
        return self.tree_data.entries.get(parent) if self.tree_data else None

    def action_upload(self) -> None:
        if self.read_only:
            notify(self, f"Read-only: {UPLOAD} is turned off", timeout=4)
            return
        folder = self.upload_folder()
        if folder is None:
            notify(self, "No folder under the cursor", timeout=3)
            return
        question = Text.assemble(("Upload ", "bold"), "a local file or folder into ", (visible(folder.path), "bold"),
                                 " in ", visible(self.container.name), " (files of the same name are replaced):")

        def chosen(local: str | None) -> None:
            if local:
                self.run_worker(self._upload(local, folder.path), group="transfer", exit_on_error=False)

        self.app.push_screen(TransferScreen(question, str(Path.cwd()) + os.sep, "Upload"), chosen)

    async def _upload(self, local: str, folder: str) -> None:
        local = os.path.abspath(os.path.expanduser(local))
        name = os.path.basename(local.rstrip(os.sep)) or local
        title = f"Upload {name} failed"
        if not os.path.lexists(local):
            notify(self, f"{local}: no such file or folder", title=title, severity="error", timeout=8)
            return
        try:
            total = local_size(local)
            await self.engine.put_archive(self.container.id, folder,
                                          pack(local, progress=self._progress("Uploading", name, total)))
        except (EngineError, OSError) as exc:
            notify(self, str(exc), title=title, severity="error", timeout=10)
            self.status(f"Upload of {name} failed")
            return
        message = f"Uploaded {name} ({human_size(total)}) into {visible(folder)}"
        notify(self, message, timeout=6)
        self.action_reload()


class TransferScreen(ModalScreen[str | None]):
    """Asks for a local path (where a download goes, what an upload sends); the button confirms."""

    CSS_PATH = "inside.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: Text, default: str, verb: str) -> None:
        super().__init__()
        self.question = question
        self.default = default
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            yield Input(self.default, id="path")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.verb, id="go", variant="primary")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#path", Input))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.query_one("#path", Input).value.strip() or None if event.button.id == "go" else None)

    def on_input_submitted(self) -> None:
        self.dismiss(self.query_one("#path", Input).value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
