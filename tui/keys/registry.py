"""Every action a key can run, declared once.

An action's id is its name in the `[keys]` table of the config file and the
`id` of its Textual binding (so `App.set_keymap` remaps it). Its scope says
where the key acts:

- `list`: while the container list has focus (the key is bound on the list);
- `screen`: anywhere on the dashboard, the list or a focused log pane;
- `log`: while a log pane has focus;
- `shell`: keys a shell pane keeps from the program in it (not remappable);
- `inspect`: on the inspect screen;
- `processes`, `files`, `stats`: on the processes, files and stats screens of one container
  (stats: or of a compose project).
- `timeline`: on the timeline screen (what happened, one container's or the engine's).
- `views`: switching between the container list and the images, volumes and
  networks views (bound on the dashboard and on every view, run by the app);
- `resources`: in each of the images, volumes and networks views;
- `images`, `networks`: in that view only.

Config (default keys, validation), the bindings, the footer, help, the command
palette and read-only mode all read this table. It imports nothing of Textual:
the config is read before any UI exists. Code that names an action uses the
constants below (`START`, `CLOSE_TAB`…): an action's name is written here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Iterator, Mapping


class Scope(Enum):
    LIST = "list"
    SCREEN = "screen"
    LOG = "log"
    SHELL = "shell"
    INSPECT = "inspect"
    PROCESSES = "processes"
    FILES = "files"
    TIMELINE = "timeline"
    STATS = "stats"
    VIEWS = "views"
    RESOURCES = "resources"
    IMAGES = "images"
    NETWORKS = "networks"


#: Help's heading for each scope, in the order help shows them.
SCOPE_TITLES: dict[Scope, str] = {
    Scope.LIST: "In the container list",
    Scope.SCREEN: "Anywhere on the dashboard (the list or a log pane)",
    Scope.LOG: "In a log pane (l or enter to get there, escape to leave)",
    Scope.SHELL: "In a shell pane (every other key goes to the shell)",
    Scope.INSPECT: "On the inspect screen",
    Scope.PROCESSES: "On the processes screen (u from the list)",
    Scope.FILES: "On the files screen (F from the list; enter opens a file or folder)",
    Scope.TIMELINE: "On the timeline screen (h from the list)",
    Scope.STATS: "On the stats screen (c from the list)",
    Scope.VIEWS: "Switching views (from the dashboard and every view)",
    Scope.RESOURCES: "In the images, volumes and networks views",
    Scope.IMAGES: "In the images view",
    Scope.NETWORKS: "In the networks view",
}

#: Scopes whose keys are live on the dashboard together: a key may mean one thing there.
#: The list and a log pane never have the keys at once (one has focus), so they may share one.
DASHBOARD_SCOPES = (Scope.LIST, Scope.SCREEN, Scope.LOG)
#: Scopes whose keys are live together on a resource view (the one-view scopes never meet each other).
VIEW_SCOPES = (Scope.RESOURCES, Scope.IMAGES, Scope.NETWORKS)


@dataclass(frozen=True)
class Alternate:
    """One of the bindings of a toggle action: which method runs, and the footer label then."""

    method: str
    label: str


@dataclass(frozen=True)
class Action:
    id: str
    keys: str  # default key(s), Textual names, comma-separated
    label: str  # the footer's word(s)
    description: str  # help and the command palette
    scope: Scope
    method: str = ""  # `action_<method>` of the node that owns the scope; default: the id
    footer: bool = True
    mutates: bool = False  # changes a container: off in read-only mode
    remappable: bool = True  # False: the key is handled by a widget itself, not a binding
    palette: bool = True
    alternates: tuple[Alternate, ...] = ()  # a toggle bound as two bindings on one key
    busy: str = ""  # a container action: what its row says while it runs
    title: str = ""  # what a toast calls it (default: the label)

    @property
    def action_method(self) -> str:
        return self.method or self.id

    @property
    def toast_title(self) -> str:
        return self.title or self.label

    @property
    def key_list(self) -> list[str]:
        return split_keys(self.keys)


def _a(*args, **kwargs) -> Action:
    return Action(*args, **kwargs)


L, S, G, H, I = Scope.LIST, Scope.SCREEN, Scope.LOG, Scope.SHELL, Scope.INSPECT
U, F, C, T = Scope.PROCESSES, Scope.FILES, Scope.STATS, Scope.TIMELINE
V, R, IM, N = Scope.VIEWS, Scope.RESOURCES, Scope.IMAGES, Scope.NETWORKS

# The ids code refers to (the rest are named only in the table).
START, STOP, RESTART, PAUSE, KILL, REMOVE = "start", "stop", "restart", "pause", "kill", "remove"
INSPECT, LOGS, SPLIT_LOGS, MERGE_LOGS, SHELL, SHELL_OPTIONS = (
    "inspect", "logs", "split_logs", "merge_logs", "shell", "shell_options")
COPY_ID, CLEAR_FILTER, CLOSE_TAB, HELP, QUIT, COMMAND_PALETTE, BACK = (
    "copy_id", "clear_filter", "close_tab", "help", "quit", "command_palette", "back")
# Inside a container: the processes, files and stats screens.
PROCESSES, FILES, KILL_PROCESS, UPLOAD, DOWNLOAD, CHANGES, COPY_PATH, GRAPHS = (
    "processes", "files", "kill_process", "upload", "download", "changes", "copy_path", "graphs")
SELECT_ALL, INVERT_SELECTION, REMOVE_EXITED, PRUNE, DISK_USAGE = (
    "select_all", "invert_selection", "remove_exited", "prune", "disk_usage")
ENGINES = "engines"
TIMELINE, TIMELINE_SCOPE = "timeline", "timeline_scope"
#: Keys the footer keeps in view at its right edge, in this order (the app's and the first frame's).
FOOTER_PINNED = (HELP, QUIT, COMMAND_PALETTE)
#: The method a screen closes by: the close actions below call it, and so do the dialogs' own close keys.
CLOSE = "close"
#: The processes screen's method for its signal key (its check_action turns it off in read-only mode).
SIGNAL = "signal"
# The inspect screen's action methods its check_action tells apart.
CLOSE_SEARCH, REVEAL_SECRETS, HIDE_SECRETS, SHOW_JSON, SHOW_TREE, NEXT_MATCH, PREVIOUS_MATCH = (
    "close_search", "reveal_secrets", "hide_secrets", "show_json", "show_tree", "next_match", "previous_match")
VIEW_CONTAINERS, VIEW_IMAGES, VIEW_VOLUMES, VIEW_NETWORKS, VIEW_PROMPT = (
    "view_containers", "view_images", "view_volumes", "view_networks", "view_prompt")
REMOVE_RESOURCE, INSPECT_RESOURCE, SELECT_RESOURCE, COPY_RESOURCE_ID = (
    "remove_resource", "inspect_resource", "select_resource", "copy_resource_id")
FILTER_RESOURCES, CLEAR_RESOURCE_FILTER, SORT_RESOURCES, REVERSE_RESOURCES = (
    "filter_resources", "clear_resource_filter", "sort_resources", "reverse_resources")
TAG_IMAGE, CONNECT_NETWORK, DISCONNECT_NETWORK = "tag_image", "connect_network", "disconnect_network"

ACTIONS: tuple[Action, ...] = (
    # -- the container list
    _a(START, "s", "Start", "Start the selected containers (or the one under the cursor)", L, mutates=True,
       busy="starting…"),
    _a(STOP, "x", "Stop", "Stop the selected containers (or the one under the cursor)", L, mutates=True,
       busy="stopping…"),
    _a(RESTART, "r", "Restart", "Restart the selected containers (or the one under the cursor)", L,
       mutates=True, busy="restarting…"),
    _a(PAUSE, "p", "Pause", "Pause or unpause the selected containers (or the one under the cursor)", L,
       mutates=True, busy="pausing…", title="Pause / unpause"),
    _a(KILL, "K", "Kill", "Kill the selected containers (or the one under the cursor)", L, mutates=True,
       busy="killing…"),
    _a(REMOVE, "D", "Remove", "Remove the selected containers, after asking (volumes too if ticked)", L,
       mutates=True, busy="removing…"),
    _a("select", "space", "Select", "Select or unselect the row (a compose project: all its containers)", L,
       footer=False),
    _a(SELECT_ALL, "A", "Select all", "Select every container in view (with a filter: its matches); again: none",
       L, footer=False),
    _a(INVERT_SELECTION, "V", "Invert selection", "Select the containers in view that are not selected, and "
       "unselect those that are", L, footer=False),
    _a(REMOVE_EXITED, "", "Remove all exited", "Remove every exited container (the filter's matches), listed "
       "first (palette only)", L, footer=False, mutates=True, remappable=False),
    _a(INSPECT, "i", "Inspect", "Inspect the container under the cursor (secrets masked)", L),
    _a(LOGS, "l", "Logs", "Go to the log pane (the container under the cursor)", L),
    _a(SPLIT_LOGS, "L", "Second pane", "Open a second log pane pinned to the container under the cursor", L,
       footer=False),
    _a(MERGE_LOGS, "m", "Merged logs", "Open one log pane merging the selection or the compose project", L,
       footer=False),
    _a(SHELL, "e", "Shell", "Open a shell in the container under the cursor, in a new tab", L, mutates=True),
    _a(SHELL_OPTIONS, "E", "Shell as…", "Open a shell as another user, directory or command (asks first)", L,
       footer=False, mutates=True),
    _a(COPY_ID, "y", "Copy id", "Copy the id of the container under the cursor (or the selection's ids)", L,
       footer=False),
    _a("filter", "slash", "Filter", "Filter the list by name, image, state, project or label", L),
    _a(CLEAR_FILTER, "escape", "Clear filter", "Clear the list filter", L, footer=False),
    _a("toggle_stopped", "a", "Hide stopped", "Hide or show stopped containers", L, footer=False),
    _a("sort", "o", "Sort", "Sort the list by the next column", L, footer=False),
    _a("reverse_sort", "O", "Reverse sort", "Reverse the sort order", L, footer=False),
    _a(PROCESSES, "u", "Processes", "Show the processes of the container under the cursor (like top)", L,
       footer=False),
    _a(FILES, "F", "Files", "Browse the files of the container under the cursor (stopped ones too)", L,
       footer=False),
    _a(TIMELINE, "h", "Timeline", "What happened to the container under the cursor (or the engine): starts, "
       "deaths, OOM, health, restarts", L, footer=False),
    _a(GRAPHS, "c", "Stats", "Graph CPU, memory, network and block I/O over the last minutes: the container under "
       "the cursor, or the compose project's sum", L, footer=False),
    # -- anywhere on the dashboard
    _a(CLOSE_TAB, "W", "Close pane", "Close the shell tab shown, or the second log pane", S, footer=False),
    _a("toggle_layout", "b", "Beside/below", "Put the panes beside the list or below it", S, footer=False),
    _a("zoom", "z", "Zoom", "Cycle: list and panes, panes only, list only", S, footer=False),
    _a(PRUNE, "X", "Prune", "Remove stopped containers, unused images, volumes, networks and build cache: "
       "lists exactly what would go first", S, footer=False, mutates=True),
    _a(DISK_USAGE, "U", "Disk usage", "The engine's disk usage: images, containers, volumes, build cache", S,
       footer=False),
    _a(ENGINES, "H", "Engines", "Pick the engines in view (several at once), and the default one", S,
       footer=False),
    _a(HELP, "question_mark", "Help", "Show every key and what it does", S),
    _a(QUIT, "q", "Quit", "Quit bosun (asks first while shells are open)", S, palette=False),
    _a(COMMAND_PALETTE, "ctrl+p", "Palette", "Open the command palette (actions, themes)", S, footer=False,
       palette=False),
    # -- a focused log pane
    _a(BACK, "escape", "Back to list", "Go back to the container list", G, method="leave"),
    _a("search", "ctrl+f", "Search", "Search the pane (/regex/ for a regular expression)", G),
    _a("next_match", "n", "Next", "Go to the next search match", G, footer=False),
    _a("prev_match", "N", "Previous", "Go to the previous search match", G, footer=False),
    _a("log_filter", "backslash", "Filter", "Filter lines: text shows only matching lines, !text hides them", G,
       method="filter"),
    _a("case", "I", "Case", "Case-sensitive search and filter on or off (else: smart case)", G,
       method="toggle_case", footer=False),
    _a("streams", "S", "stdout/stderr", "Show both streams, stdout only or stderr only", G,
       method="cycle_streams"),
    _a("timestamps", "t", "Timestamps", "Show or hide timestamps", G, method="toggle_timestamps"),
    _a("wrap", "w", "Wrap", "Wrap long lines or not", G, method="toggle_wrap"),
    _a("follow", "f,end", "Follow", "Follow the tail again (scrolling up pauses)", G),
    _a("tail", "T", "Tail", "History to load: last 100 / 1 000 / 10 000 / all lines", G, method="cycle_tail",
       footer=False),
    _a("since", "M", "Since", "History to load: since 1 m / 15 m / 1 h / 24 h", G, method="cycle_since",
       footer=False),
    _a("pin", "P", "Pin", "Pin the pane to its container, or let it follow the cursor", G, method="toggle_pin"),
    _a("save", "ctrl+s", "Save", "Save the pane (or the whole log) to a file", G),
    _a("copy", "y", "Copy", "Copy the selected text, or the last line shown", G),
    # -- a focused shell pane: the terminal view handles these itself
    _a("shell_leave", "ctrl+]", "Back to list", "Go back to the list (the shell keeps running)", H,
       remappable=False, palette=False),
    _a("shell_reopen", "r", "Reopen", "Reopen a shell that exited", H, remappable=False, palette=False),
    # -- the inspect screen
    _a("inspect_close", "escape,q", "Close", "Close the search, then the inspect screen", I,
       alternates=(Alternate(CLOSE_SEARCH, "Close search"), Alternate(CLOSE, "Close"))),
    _a("inspect_search", "slash", "Search", "Search keys and values", I, method="search"),
    _a("inspect_next", "n", "Next match", "Go to the next match", I, method=NEXT_MATCH),
    _a("inspect_prev", "N", "Previous match", "Go to the previous match", I, method=PREVIOUS_MATCH),
    _a("reveal", "v", "Reveal secrets", "Reveal or hide values that look secret", I,
       alternates=(Alternate(REVEAL_SECRETS, "Reveal secrets"), Alternate(HIDE_SECRETS, "Hide secrets"))),
    _a("json_view", "j", "JSON", "Switch between the tree and the JSON view", I,
       alternates=(Alternate(SHOW_JSON, "JSON"), Alternate(SHOW_TREE, "Tree"))),
    _a("copy_value", "y", "Copy", "Copy the value under the cursor (or the selected text)", I, method="copy"),
    # -- the processes screen
    _a("processes_close", "escape,q", "Close", "Close the processes screen", U, method=CLOSE),
    _a("processes_sort", "o", "Sort", "Sort the processes by the next column", U, method="sort"),
    _a("processes_reverse", "O", "Reverse", "Reverse the order of the processes", U, method="reverse_order"),
    _a(KILL_PROCESS, "K", "Signal", "Send a signal to the process under the cursor (chosen, asks first)", U,
       mutates=True, method=SIGNAL),
    _a("processes_refresh", "ctrl+r", "Refresh", "Read the processes again now (they refresh every few seconds)", U,
       method="refresh", footer=False),
    # -- the files screen
    _a("files_close", "escape,q", "Close", "Close the files screen (from the file shown: back to the tree)", F,
       method=CLOSE),
    _a(DOWNLOAD, "ctrl+d", "Download", "Download the file or folder under the cursor to a local folder", F),
    _a(UPLOAD, "ctrl+u", "Upload", "Upload a local file or folder into the folder under the cursor (asks first)", F,
       mutates=True),
    _a(CHANGES, "C", "Changes", "Show what changed in the container against its image (like docker diff)", F),
    _a(COPY_PATH, "y", "Copy path", "Copy the path under the cursor", F),
    _a("files_refresh", "ctrl+r", "Reload", "Read the files again from the engine", F, method="reload", footer=False),
    # -- the timeline screen
    _a("timeline_close", "escape,q", "Close", "Close the filter, then the timeline screen", T, method=CLOSE),
    _a("timeline_filter", "slash", "Filter", "Filter the timeline: container, what happened, exit code, output", T,
       method="filter"),
    _a(TIMELINE_SCOPE, "a", "Container/engine", "Show the container's timeline or the whole engine's", T,
       method="toggle_scope"),
    # -- the stats screen
    _a("stats_close", "escape,q", "Close", "Close the stats screen", C, method=CLOSE),
    # -- switching views (the app runs them: they work from the dashboard and from every view)
    _a(VIEW_CONTAINERS, "1", "Containers", "Show the container list", V, footer=False),
    _a(VIEW_IMAGES, "2", "Images", "Show the images view: tags, size, the containers using each", V, footer=False),
    _a(VIEW_VOLUMES, "3", "Volumes", "Show the volumes view: driver, mountpoint, size, the containers mounting each",
       V, footer=False),
    _a(VIEW_NETWORKS, "4", "Networks", "Show the networks view: driver, subnet, the containers attached", V,
       footer=False),
    _a(VIEW_PROMPT, "colon", "View…", "Go to a view by name (:images, :volumes, :networks, :containers)", V,
       footer=False),
    # -- the images, volumes and networks views
    _a(REMOVE_RESOURCE, "D", "Remove", "Remove the selected items (or the one under the cursor), after asking", R,
       mutates=True),
    _a(INSPECT_RESOURCE, "i", "Inspect", "Inspect the item under the cursor (secrets masked)", R),
    _a(SELECT_RESOURCE, "space", "Select", "Select or unselect the row", R, footer=False),
    _a(COPY_RESOURCE_ID, "y", "Copy id", "Copy the id (or name) of the item under the cursor or the selection", R,
       footer=False),
    _a(FILTER_RESOURCES, "slash", "Filter", "Filter the view by name, id, driver, container or key=value label", R),
    _a(CLEAR_RESOURCE_FILTER, "escape", "Clear filter", "Clear the view's filter", R, footer=False),
    _a(SORT_RESOURCES, "o", "Sort", "Sort the view by the next column", R, footer=False),
    _a(REVERSE_RESOURCES, "O", "Reverse sort", "Reverse the view's sort order", R, footer=False),
    _a(TAG_IMAGE, "t", "Tag", "Give the image under the cursor another tag (asks for it)", IM, mutates=True),
    _a(CONNECT_NETWORK, "c", "Connect", "Connect a container to the network under the cursor (asks which)", N,
       mutates=True),
    _a(DISCONNECT_NETWORK, "d", "Disconnect", "Disconnect a container from the network under the cursor (asks which)",
       N, mutates=True),
)

BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}
assert len(BY_ID) == len(ACTIONS), "action ids are unique"

#: Action id → default key(s): what a `[keys]` table may change.
DEFAULT_KEYS: dict[str, str] = {a.id: a.keys for a in ACTIONS if a.remappable}

#: Actions that change a container: read-only mode turns every one of them off.
MUTATING: frozenset[str] = frozenset(a.id for a in ACTIONS if a.mutates)

#: The actions the engine runs on containers (each has a busy mark).
CONTAINER_ACTIONS: tuple[str, ...] = tuple(a.id for a in ACTIONS if a.busy)

#: Cursor moves every table binds alike (the container list and each view): `g` is the top everywhere.
TABLE_MOVE_KEYS: dict[str, str] = {
    "j": "cursor down", "k": "cursor up", "g": "top", "G": "bottom",
    "up": "cursor up", "down": "cursor down", "pageup": "page up", "pagedown": "page down",
    "home": "top", "end": "bottom",
}
#: Keys the container list's own widget binds: a list action may not take them.
LIST_WIDGET_KEYS: dict[str, str] = {
    **TABLE_MOVE_KEYS, "enter": "logs / fold a project", "left": "cursor left", "right": "cursor right",
}
#: Keys the images, volumes and networks views' table binds: an action of those views may not take them.
VIEW_WIDGET_KEYS: dict[str, str] = dict(TABLE_MOVE_KEYS)

#: Characters users write for keys, and Textual's names for them.
_KEY_NAMES = {"/": "slash", "?": "question_mark", " ": "space", "\\": "backslash", ",": "comma",
              "]": "right_square_bracket", "[": "left_square_bracket", ":": "colon"}


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",")] if keys.strip() else []


def normal_key(key: str) -> str:
    """One spelling per key (`/` and `slash` are the same key)."""
    return _KEY_NAMES.get(key, key)


def in_scope(scope: Scope) -> Iterator[Action]:
    return (a for a in ACTIONS if a.scope is scope)


def resolve(overrides: Mapping[str, str] | None) -> dict[str, str]:
    """Action id → key(s), the user's `[keys]` applied over the defaults."""
    keys = {a.id: a.keys for a in ACTIONS}
    for action_id, key in (overrides or {}).items():
        if action_id in DEFAULT_KEYS and key.strip():
            keys[action_id] = key
    return keys


def keymap(overrides: Mapping[str, str] | None) -> dict[str, str]:
    """What differs from the defaults, for `App.set_keymap` (binding id → keys)."""
    resolved = resolve(overrides)
    return {a: k for a, k in resolved.items() if a in DEFAULT_KEYS and k != DEFAULT_KEYS[a]}


def _clash(a: Action, b: Action) -> bool:
    if a.scope is b.scope:
        return True
    pair = (a.scope, b.scope)
    if Scope.VIEWS in pair:  # bound on the dashboard and on every view
        other = b.scope if a.scope is Scope.VIEWS else a.scope
        return other in DASHBOARD_SCOPES or other in VIEW_SCOPES
    if Scope.RESOURCES in pair:
        return a.scope in VIEW_SCOPES and b.scope in VIEW_SCOPES
    dashboard = a.scope in DASHBOARD_SCOPES and b.scope in DASHBOARD_SCOPES
    return dashboard and Scope.SCREEN in pair


def clashes(keys: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(key, action, other action) for every key that would mean two things on one screen."""
    found: list[tuple[str, str, str]] = []
    owners: dict[str, list[Action]] = {}
    for action_id, spec in resolve(keys).items():
        action = BY_ID[action_id]
        for key in {normal_key(k) for k in split_keys(spec)}:
            for other in owners.get(key, []):
                if _clash(other, action):
                    found.append((key, other.id, action.id))
            owners.setdefault(key, []).append(action)
            if action.scope is Scope.LIST and key in LIST_WIDGET_KEYS:
                found.append((key, f"the list's {LIST_WIDGET_KEYS[key]}", action.id))
            if action.scope in VIEW_SCOPES and key in VIEW_WIDGET_KEYS:
                found.append((key, f"the view's {VIEW_WIDGET_KEYS[key]}", action.id))
    return found


def key_label(keys: str | Iterable[str]) -> str:
    """Keys as help shows them (`question_mark` → `?`)."""
    names = {"slash": "/", "question_mark": "?", "backslash": "\\", "right_square_bracket": "]", "colon": ":"}
    items = split_keys(keys) if isinstance(keys, str) else list(keys)
    out = []
    for key in items:
        *mods, last = key.split("+") if key not in ("+",) else ("+",)
        out.append("+".join([*mods, names.get(last, last)]))
    return ", ".join(out)
