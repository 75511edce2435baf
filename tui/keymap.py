"""The dashboard's remappable actions: footer descriptions, with default keys from the config."""

from __future__ import annotations

from tui.config import DEFAULT_KEYS

# action → description shown in the footer and help.
DESCRIPTIONS: dict[str, str] = {
    "start": "Start",
    "stop": "Stop",
    "restart": "Restart",
    "pause": "Pause",
    "kill": "Kill",
    "remove": "Remove",
    "select": "Select",
    "inspect": "Inspect",
    "logs": "Logs",
    "shell": "Shell",
    "shell_options": "Shell as…",
    "split_logs": "Second log pane",
    "merge_logs": "Merged logs",
    "toggle_layout": "Panes beside/below",
    "close_tab": "Close pane",
    "zoom": "Zoom pane",
    "filter": "Filter",
    "toggle_stopped": "Hide stopped",
    "sort": "Sort",
    "help": "Help",
    "quit": "Quit",
}
DASHBOARD_ACTIONS: dict[str, tuple[str, str]] = {a: (DEFAULT_KEYS[a], d) for a, d in DESCRIPTIONS.items()}


def resolve_keys(overrides: dict[str, str] | None) -> dict[str, str]:
    """Action → keys, with the user's overrides from the config applied."""
    keys = {action: default for action, (default, _) in DASHBOARD_ACTIONS.items()}
    for action, key in (overrides or {}).items():
        if action in keys and key:
            keys[action] = key
    return keys
