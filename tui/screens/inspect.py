"""The inspect screen: a container's full inspect document as a tree and as JSON.

Every key and value in the document may have been written by whoever controls the
container (labels, env, health output), so every label is a `rich.text.Text` built by
`tui.untrusted.safe_text`, never a markup string, and the JSON goes through
`tui.untrusted.visible`. Values that look secret (`tui.secrets_mask`) stay masked in
both views, and in search, until the user reveals them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static, TabbedContent, TabPane, TextArea, Tree
from textual.widgets.text_area import Selection
from textual.widgets.tree import TreeNode

from tui.widgets.key_bindings import scope_bindings
from tui.keys.registry import (
    CLOSE_SEARCH, HIDE_SECRETS, NEXT_MATCH, PREVIOUS_MATCH, REVEAL_SECRETS, SHOW_JSON, SHOW_TREE, Scope,
)
from tui.notice import notify
from tui.widgets.typeahead import focus_now
from tui.widgets.footer import LeanFooter
from tui.secrets_mask import MASK, looks_secret, mask_document, mask_value
from tui.untrusted import safe_text, visible

# Longest key and value shown in a tree label (cells); the JSON view shows everything.
KEY_WIDTH = 120
VALUE_WIDTH = 400
# Above this many nodes, search waits for a pause in typing (one search costs ~20 µs a node).
LARGE_DOCUMENT = 3000
SEARCH_DELAY = 0.15


@dataclass(eq=False)
class Entry:
    """What a tree node shows: one key (or list index) of the document and its value."""

    key: str | int
    value: Any
    secret: bool
    """True if a key on the path to this value looks secret."""
    _shown: dict[bool, str] = field(default_factory=dict, repr=False)

    @property
    def is_branch(self) -> bool:
        return isinstance(self.value, (dict, list)) and bool(self.value)

    @cached_property
    def maskable(self) -> bool:
        """True if this entry shows differently while secrets are hidden."""
        return self.value_text(False) != self.value_text(True)

    def key_text(self) -> str:
        return visible(self.key) if isinstance(self.key, str) else f"[{self.key}]"

    def value_text(self, reveal: bool) -> str:
        """The value as shown (masked unless `reveal`), without quotes or truncation."""
        shown = self._shown.get(reveal)
        if shown is None:
            shown = self._shown[reveal] = self._value_text(reveal)
        return shown

    def _value_text(self, reveal: bool) -> str:
        value = self.value
        if isinstance(value, dict):
            return f"{{{len(value)}}}" if value else "{}"
        if isinstance(value, list):
            return f"[{len(value)}]" if value else "[]"
        if not reveal:
            value = mask_value(value, self.secret)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        return visible(str(value))

    def value_kind(self, reveal: bool) -> str:
        """Which component class colours the value."""
        if self.is_branch or isinstance(self.value, (dict, list)):
            return "summary"
        if not reveal and self.maskable and self.value_text(False) == MASK:
            return "secret"
        if self.value is None:
            return "null"
        if isinstance(self.value, bool):
            return "bool"
        if isinstance(self.value, (int, float)):
            return "number"
        return "string"


def _entries(value: Any, secret: bool) -> Iterator[Entry]:
    if isinstance(value, dict):
        for key, child in value.items():
            key = str(key)
            yield Entry(key, child, secret or looks_secret(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield Entry(index, child, secret)


class InspectTree(Tree[Entry]):
    """The document as a tree: keys and list indices as nodes, values colour-coded by type."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | {
        "inspect-tree--key",
        "inspect-tree--index",
        "inspect-tree--string",
        "inspect-tree--number",
        "inspect-tree--bool",
        "inspect-tree--null",
        "inspect-tree--summary",
        "inspect-tree--secret",
        "inspect-tree--match",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("document"), id=id)
        self.show_root = False
        self.guide_depth = 3
        self.reveal = False
        self.query_pattern: re.Pattern[str] | None = None

    def load(self, document: Mapping[str, Any]) -> int:
        """Replace the tree with `document`: top-level sections expanded, deeper ones collapsed.

        Returns the number of nodes.
        """
        self.clear()
        count = 0
        stack: list[tuple[TreeNode[Entry], Any, bool, int]] = [(self.root, document, False, 0)]
        while stack:
            parent, value, secret, depth = stack.pop()
            for entry in _entries(value, secret):
                label = self.plain_label(entry)
                if entry.is_branch:
                    node = parent.add(label, data=entry, expand=depth == 0)
                    stack.append((node, entry.value, entry.secret, depth + 1))
                else:
                    parent.add_leaf(label, data=entry)
                count += 1
        return count

    def plain_label(self, entry: Entry) -> Text:
        """The label text without colours: what the node shows in the current reveal state."""
        return Text.assemble(*(part for part, _ in self._label_parts(entry)))

    def _label_parts(self, entry: Entry) -> list[tuple[Text, str]]:
        key = safe_text(entry.key_text(), max_len=KEY_WIDTH)
        kind = entry.value_kind(self.reveal)
        value = safe_text(entry.value_text(self.reveal), max_len=VALUE_WIDTH)
        if kind == "string":
            value = Text.assemble('"', value, '"')
        key_role = "index" if isinstance(entry.key, int) else "key"
        separator = " " if kind == "summary" else ": "
        return [(key, key_role), (Text(separator), ""), (value, kind)]

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        entry = node.data
        if entry is None:
            return super().render_label(node, base_style, style)
        label = Text()
        match_style = self.get_component_rich_style("inspect-tree--match")
        secret_style = self._role_style("secret")
        for part, role in self._label_parts(entry):
            if role:
                part.stylize(self._role_style(role))
            if role == "string" and not self.reveal:
                part.highlight_words([MASK], secret_style)  # NAME=•••••• inside a string
            if self.query_pattern is not None and role not in ("", "index", "summary"):
                part.highlight_regex(self.query_pattern, match_style)
            label.append_text(part)
        label.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + Style(meta={"toggle": True})), label)
        return label

    def _role_style(self, role: str) -> Style:
        # The full component style, not the partial one: only the full one blends
        # translucent colours ($foreground-muted) with the background. Its background
        # is dropped so the cursor and hover lines show through.
        style = self.get_component_rich_style(f"inspect-tree--{role}")
        return Style(color=style.color, bold=style.bold, italic=style.italic, underline=style.underline)

    def get_label_width(self, node: TreeNode[Entry]) -> int:
        # The plain label is as wide as the coloured one; the default renders every
        # label on each rebuild of the line index (after every expand).
        icon = self.ICON_NODE if node.allow_expand else ""
        return len(icon) + node.label.cell_len

    def relabel(self, nodes: Iterable[TreeNode[Entry]]) -> None:
        """Change the text of `nodes` after the reveal state changed."""
        for node in nodes:
            if node.data is not None:
                node.set_label(self.plain_label(node.data))

    def redraw(self, nodes: Iterable[TreeNode[Entry]]) -> None:
        """Repaint `nodes` after the query (and so their highlights) changed."""
        for node in nodes:
            node.refresh()  # also marks the node's cached line stale

    def all_nodes(self) -> Iterator[TreeNode[Entry]]:
        """Every node but the root, in document order."""
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def node_matches(self, node: TreeNode[Entry], pattern: re.Pattern[str]) -> bool:
        entry = node.data
        if entry is None:
            return False
        if isinstance(entry.key, str) and pattern.search(visible(entry.key)):
            return True
        return not isinstance(entry.value, (dict, list)) and bool(pattern.search(entry.value_text(self.reveal)))

    def jump_to(self, node: TreeNode[Entry]) -> None:
        """Expand the way to `node` and put the cursor on it."""
        parent = node.parent
        while parent is not None and parent is not self.root:
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        # Tree.move_cursor reads the node's line number, which is stale until the
        # line index is rebuilt after an expand; `last_line` rebuilds it.
        _ = self.last_line
        self.move_cursor(node)


class InspectScreen(Screen[None]):
    """A container's inspect document: tree and JSON views, search, secrets masked."""

    CSS_PATH = "inspect.tcss"
    BINDINGS: ClassVar[list[Binding]] = scope_bindings(Scope.INSPECT)

    def __init__(self, document: Mapping[str, Any], title: str = "") -> None:
        super().__init__()
        self.document = document
        self.container_title = title
        self.reveal = False
        self.matches: list[TreeNode[Entry]] = []
        self.json_matches: list[tuple[int, int, int]] = []
        """(row, start column, end column) of each match in the JSON view."""
        self.match_index = -1
        self.pattern: re.Pattern[str] | None = None
        self._search_expanded: set[TreeNode[Entry]] = set()
        self._search_timer: Timer | None = None
        self._json_stale = True
        self._node_count = 0

    # -- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="views"):
            with TabPane("Tree", id="tree-pane"):
                tree = InspectTree(id="tree")
                self._node_count = tree.load(self.document)
                yield tree
            with TabPane("JSON", id="json-pane"):
                # Filled when first shown: a TextArea over a big document is slow to load.
                yield TextArea(id="json", read_only=True, show_line_numbers=True, soft_wrap=False)
        with Horizontal(id="search-bar"):
            yield Input(placeholder="Search keys and values", id="search")
            yield Static(id="match-count")
        yield LeanFooter()

    def on_mount(self) -> None:
        self.title = visible(self.container_title) or "inspect"
        self._update_sub_title()
        focus_now(self.query_one(InspectTree))

    @property
    def view(self) -> str:
        """"tree" or "json": the view on show."""
        return "json" if self.query_one(TabbedContent).active == "json-pane" else "tree"

    @property
    def search_open(self) -> bool:
        return self.query_one("#search-bar").has_class("-open")

    def json_text(self) -> str:
        """The document as pretty-printed JSON, secrets masked unless revealed."""
        document = self.document if self.reveal else mask_document(self.document)
        text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
        return visible(text, keep_newlines=True)

    def _json_area(self) -> TextArea:
        """The JSON view, its text brought up to date with the reveal state."""
        text_area = self.query_one("#json", TextArea)
        if self._json_stale:
            location = text_area.cursor_location
            text_area.load_text(self.json_text())
            text_area.cursor_location = location
            self._json_stale = False
        return text_area

    def _update_sub_title(self) -> None:
        self.sub_title = "inspect · secrets shown" if self.reveal else "inspect"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == REVEAL_SECRETS:
            return not self.reveal
        if action == HIDE_SECRETS:
            return self.reveal
        if action == SHOW_JSON:
            return self.view == "tree"
        if action == SHOW_TREE:
            return self.view == "json"
        if action in (NEXT_MATCH, PREVIOUS_MATCH):
            return self.pattern is not None
        if action == CLOSE_SEARCH:
            return self.search_open
        return True

    # -- views ------------------------------------------------------------------

    def action_show_json(self) -> None:
        self.query_one(TabbedContent).active = "json-pane"

    def action_show_tree(self) -> None:
        self.query_one(TabbedContent).active = "tree-pane"

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Also reached by clicking a tab, so the follow-up lives here, not in the actions.
        event.stop()
        if self.view == "json":
            self._json_area()
        if self.pattern is not None:
            self._search(keep_position=False)
        if not self.query_one("#search", Input).has_focus:
            self._focus_view()
        self.refresh_bindings()

    def _focus_view(self) -> None:
        focus_now(self.query_one("#json" if self.view == "json" else "#tree"))

    # -- secrets ----------------------------------------------------------------

    def action_reveal_secrets(self) -> None:
        self._set_reveal(True)

    def action_hide_secrets(self) -> None:
        self._set_reveal(False)

    def _set_reveal(self, reveal: bool) -> None:
        self.reveal = reveal
        tree = self.query_one(InspectTree)
        tree.reveal = reveal
        tree.relabel(node for node in tree.all_nodes() if node.data is not None and node.data.maskable)
        self._json_stale = True
        if self.view == "json":
            self._json_area()
        if self.pattern is not None:
            # What is searchable changed with what is shown.
            self._search(keep_position=True)
        self._update_sub_title()
        self.refresh_bindings()

    # -- search -----------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search-bar").add_class("-open")
        focus_now(self.query_one("#search", Input))
        self.refresh_bindings()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        query = event.value
        self.pattern = re.compile(re.escape(query), re.IGNORECASE) if query else None
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if self._node_count > LARGE_DOCUMENT:
            self._search_timer = self.set_timer(SEARCH_DELAY, self._search_typed)
        else:
            self._search_typed()

    def _search_typed(self) -> None:
        self._search_timer = None
        self._search(keep_position=False)
        self.refresh_bindings()

    @on(Input.Submitted, "#search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._focus_view()

    def _search(self, keep_position: bool) -> None:
        """Find the query in the view on show, expand the tree to every match, go to the first."""
        tree = self.query_one(InspectTree)
        previous = self.matches
        current = None
        if keep_position and 0 <= self.match_index < len(self.matches):
            current = self.matches[self.match_index]
        tree.query_pattern = self.pattern
        if self.pattern is None:
            self.matches, self.json_matches = [], []
        else:
            self.matches = [node for node in tree.all_nodes() if tree.node_matches(node, self.pattern)]
            self.json_matches = self._find_in_json(self.pattern) if self.view == "json" else []
        self._expand_to_matches(tree)
        tree.redraw(set(previous) | set(self.matches))
        if self.view == "tree":
            self.match_index = self.matches.index(current) if current in self.matches else (0 if self.matches else -1)
        else:
            self.match_index = 0 if self.json_matches else -1
        self._show_match()

    def _find_in_json(self, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
        found = []
        for row, line in enumerate(self._json_area().text.split("\n")):
            found.extend((row, m.start(), m.end()) for m in pattern.finditer(line) if m.end() > m.start())
        return found

    def _expand_to_matches(self, tree: InspectTree) -> None:
        """Expand every ancestor of a match; fold again what an earlier query unfolded."""
        needed: set[TreeNode[Entry]] = set()
        for node in self.matches:
            parent = node.parent
            while parent is not None and parent is not tree.root and parent not in needed:
                needed.add(parent)
                parent = parent.parent
        for node in self._search_expanded - needed:
            node.collapse()
        self._search_expanded &= needed
        for node in needed:
            if not node.is_expanded:
                node.expand()
                self._search_expanded.add(node)

    def _match_count(self) -> int:
        return len(self.matches) if self.view == "tree" else len(self.json_matches)

    def _show_match(self) -> None:
        count = self._match_count()
        label = self.query_one("#match-count", Static)
        if self.pattern is None:
            label.update("")
        elif count == 0:
            label.update(Text("no matches"))
        else:
            noun = "match" if count == 1 else "matches"
            label.update(Text(f"{count} {noun} · {self.match_index + 1} of {count}"))
        if not 0 <= self.match_index < count:
            return
        if self.view == "tree":
            self.query_one(InspectTree).jump_to(self.matches[self.match_index])
        else:
            row, start, end = self.json_matches[self.match_index]
            text_area = self.query_one("#json", TextArea)
            text_area.selection = Selection((row, start), (row, end))
            text_area.scroll_cursor_visible(center=True)

    def action_next_match(self) -> None:
        self._step(1)

    def action_previous_match(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        count = self._match_count()
        if count:
            self.match_index = (self.match_index + direction) % count
            self._show_match()

    def action_close_search(self) -> None:
        """Close the search bar, fold what only the search unfolded, keep the cursor where it is."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        tree = self.query_one(InspectTree)
        cursor = tree.cursor_node
        keep: set[TreeNode[Entry]] = set()
        while cursor is not None:
            keep.add(cursor)
            cursor = cursor.parent
        for node in self._search_expanded - keep:
            node.collapse()
        self._search_expanded.clear()
        previous = self.matches
        self.pattern = None
        tree.query_pattern = None
        self.matches, self.json_matches, self.match_index = [], [], -1
        tree.redraw(previous)
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.query_one("#match-count", Static).update("")
        self.query_one("#search-bar").remove_class("-open")
        self._focus_view()
        self.refresh_bindings()

    # -- copy -------------------------------------------------------------------

    def action_copy(self) -> None:
        """Copy the JSON view's selection, else the value under the cursor, to the clipboard (OSC 52)."""
        from tui.screens.inspect_copy import entry_copy_text, json_line_value, selection_message

        if self.view == "json":
            area = self._json_area()
            text, message = area.selected_text, ""
            if text:
                message = selection_message(text)
            else:
                text = json_line_value(area.document.get_line(area.cursor_location[0]))
                message = "Copied the value on the cursor line"
                if not self.reveal and MASK in text:
                    notify(self, "That value is hidden as a secret: v reveals it, then y copies it", timeout=4)
                    return
        else:
            node = self.query_one(InspectTree).cursor_node
            entry = None if node is None else node.data
            if entry is None and (node is None or node.is_root):
                # No cursor yet, or the root: the whole document, as the JSON view shows it.
                shown = self.document if self.reveal else mask_document(self.document)
                self.app.copy_to_clipboard(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
                notify(self, "Copied the whole document as JSON" + ("" if self.reveal else " (secrets masked)"),
                       timeout=3)
                return
            if entry is None:
                notify(self, "Nothing to copy: no value under the cursor", timeout=3)
                return
            text, message = entry_copy_text(entry.key, entry.value, entry.secret, self.reveal, entry.maskable,
                                            entry.value_text(self.reveal))
            if text is None:
                notify(self, message, timeout=4)
                return
        self.app.copy_to_clipboard(text)
        notify(self, message, timeout=3)

    # -- closing ----------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss()
