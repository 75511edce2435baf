"""The settings reference (Markdown) that README shows, generated from the schema itself.

Kept apart from the loader: the app never needs this text, only the README does.
`python -m tui.settings.reference` prints README's part (`readme_reference`) to paste.
"""

from __future__ import annotations

from tui.keys.registry import BY_ID
from tui.settings.load import env_var, legacy_env_var
from tui.settings.locations import CONFIG_ENV
from tui.settings.save import file_value
from tui.settings.schema import DEFAULT_KEYS, LEGACY, SECTIONS, Entry, entries
from tui.settings.toml_writer import toml_value


def _default_text(entry: Entry) -> str:
    if entry.name in ("list.labels", "keys"):
        return {"list.labels": "none", "keys": "see below"}[entry.name]
    return f"`{toml_value(file_value(entry.name, entry.default))}`"


def _env_form(entry: Entry) -> str:
    special = {"list.labels": '`"app=web,tier"`', "keys": '`"stop=x,ctrl+x,kill=K"`'}
    return special.get(entry.name) or {bool: "`1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off`",
                                       int: "whole number", float: "number", str: "text"}[entry.spec.kind]


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def config_reference() -> str:
    """Markdown documenting every setting, its variable and default (for README)."""
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for entry in entries():
        rows.append(f"| `{entry.name}` | `{env_var(entry.name)}` ({_env_form(entry)}) | {_default_text(entry)} "
                    f"| {_escape(entry.spec.doc)} |")
    sections = ", ".join(f"`[{s.NAME}]` {s.__doc__.partition(': ')[2].rstrip('.')}" for s in SECTIONS)
    keys = ["| action | default key | where | what it does |", "|---|---|---|---|"]
    for action, key in DEFAULT_KEYS.items():
        spec = BY_ID[action]
        where = {"list": "list", "screen": "dashboard", "log": "log pane", "inspect": "inspect",
                 "processes": "processes", "files": "files", "stats": "stats", "timeline": "timeline",
                 "views": "dashboard and views", "resources": "images, volumes, networks views",
                 "images": "images view", "networks": "networks view"}[spec.scope.value]
        keys.append(f"| `{action}` | `{key}` | {where} | {_escape(spec.description)} |")
    old = ["| old name | now | old variable | now |", "|---|---|---|---|"]
    for name, new in LEGACY.items():
        old.append(f"| `{name}` | `{new}` | `{legacy_env_var(name)}` | `{env_var(new)}` |")
    return "\n".join([
        "bosun reads `$XDG_CONFIG_HOME/bosun/config.toml` (usually `~/.config/bosun/config.toml`; "
        f"`{CONFIG_ENV}` names another file). A missing file means defaults, but a file named by `--config` "
        f"or `{CONFIG_ENV}` must exist. Every setting can also be "
        "set with an environment variable; command-line flags win over the environment, which wins over "
        "the file. Unknown settings, unknown actions, key names Textual does not know, values of the wrong "
        "type and intervals out of their range (`engine.reconcile_interval` 1 to 3600 s, `stats.interval` "
        "0.5 to 3600 s) are errors that name the file and line or the variable.",
        "",
        "Settings are grouped in tables: a name with a dot is a key in that table (`logs.tail` is `tail` under "
        "`[logs]`), and its variable joins the two with a double underscore (`BOSUN_LOGS__TAIL`). The tables: "
        f"{sections}.",
        "",
        *rows,
        "",
        "Key bindings go in a `[keys]` table (action = key, several keys comma-separated, "
        "Textual key names such as `ctrl+x`, `space`, `slash`). A key bound to two actions that are live at "
        "once is an error: two list actions, two log pane actions, or a dashboard-wide action and any "
        "other dashboard action (the list and a focused log pane may share a key: only one has the keys).",
        "",
        *keys,
        "",
        "In `BOSUN_LIST__LABELS` a name without `=` matches any value. In `BOSUN_KEYS` an item without `=` is one "
        "more key for the action before it, and only the actions named change. Your own themes are TOML "
        "files in `$XDG_CONFIG_HOME/bosun/themes/` with the fields of Textual's `Theme` (the bundled ones in "
        "`tui/themes/` are examples); one named like a bundled theme replaces it.",
        "",
        "Example:",
        "",
        '```toml\ntheme = "harbor"\n\n[engine]\nstop_grace = 5\n\n[list]\nshow_stopped = false\n\n'
        '[list.labels]\n"com.docker.compose.project" = "shop"\n\n[keys]\nstop = "x,ctrl+x"\nkill = "X"\n```',
        "",
        "Before the tables every setting was top-level (`log_tail = 500`, `[labels]`, `BOSUN_LOG_TAIL`). "
        "Those names still work; bosun says once at start which new name each one has:",
        "",
        *old,
    ])


def engines_reference() -> str:
    """Markdown for `[[engines]]` (README, after the settings reference): its keys and an example."""
    from tui.settings.engines import ENGINE_KEYS, REQUIRED

    rows = ["| key | meaning |", "|---|---|"]
    for key, (_, doc) in ENGINE_KEYS.items():
        rows.append(f"| `{key}`{' (required)' if key in REQUIRED else ''} | {_escape(doc)} |")
    return "\n".join([
        "Engines of your own go in `[[engines]]` tables, one per engine, beside the Docker contexts and Podman "
        "connections bosun finds by itself (`bosun --list-engines` shows them all and where each came from). "
        "With no `--host`, `--context`, `--engines` or `--all-contexts` and no `[engine] host`, the engines listed "
        "here are the ones in view. Unknown keys, values of the wrong type, bad addresses and two entries with "
        "one name are errors that name the entry (`engines[2].host`) and its line.",
        "",
        *rows,
        "",
        '```toml\n[[engines]]\nname = "laptop"\nhost = "unix:///run/user/1000/podman/podman.sock"\n\n'
        '[[engines]]\nname = "prod"\nhost = "ssh://deploy@prod.example"\nread_only = true\n'
        'labels = { "com.docker.compose.project" = "shop" }\n```',
    ])


def readme_reference() -> str:
    """What README's Configuration section holds: the settings, then `[[engines]]`."""
    return f"{config_reference()}\n\n{engines_reference()}"


if __name__ == "__main__":
    print(readme_reference())
