"""The settings reference (Markdown) that README shows, generated from `Config` itself.

Kept apart from `tui.config`: the app never needs this text, only the README does.
"""

from __future__ import annotations

import dataclasses

from tui.config import _KIND, CONFIG_ENV, DEFAULT_KEYS, Config, _value, env_var


def _default_text(f: dataclasses.Field) -> str:
    if f.name in ("labels", "keys"):
        return {"labels": "none", "keys": "see below"}[f.name]
    return f"`{_value(f.default)}`"


def _env_form(name: str) -> str:
    special = {"labels": '`"app=web,tier"`', "keys": '`"stop=x,ctrl+x,kill=K"`'}
    return special.get(name) or {bool: "`1`/`0`, `true`/`false`, `yes`/`no`, `on`/`off`",
                                 int: "whole number", float: "number", str: "text"}[_KIND[name]]


def config_reference() -> str:
    """Markdown documenting every setting, its variable and default (for README)."""
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for f in dataclasses.fields(Config):
        doc = f.metadata["doc"].replace("|", "\\|")
        rows.append(f"| `{f.name}` | `{env_var(f.name)}` ({_env_form(f.name)}) | {_default_text(f)} | {doc} |")
    keys = ["| action | default key |", "|---|---|"]
    keys += [f"| `{action}` | `{key}` |" for action, key in DEFAULT_KEYS.items()]
    return "\n".join([
        "bosun reads `$XDG_CONFIG_HOME/bosun/config.toml` (usually `~/.config/bosun/config.toml`; "
        f"`{CONFIG_ENV}` names another file). A missing file means defaults. Every setting can also be "
        "set with an environment variable; command-line flags win over the environment, which wins over "
        "the file. Unknown settings, unknown actions and values of the wrong type are errors that name "
        "the file and line or the variable.",
        "",
        *rows,
        "",
        "Key bindings go in a `[keys]` table (action = key, several keys comma-separated, "
        "Textual key names such as `ctrl+x`, `space`, `slash`); a key bound to two actions is an error.",
        "",
        *keys,
        "",
        "In `BOSUN_LABELS` a name without `=` matches any value. In `BOSUN_KEYS` an item without `=` is one "
        "more key for the action before it, and only the actions named change. Your own themes are TOML "
        "files in `$XDG_CONFIG_HOME/bosun/themes/` with the fields of Textual's `Theme` (see `themes/` for "
        "examples); one named like a bundled theme replaces it.",
        "",
        "Example:",
        "",
        '```toml\ntheme = "harbor"\nstop_grace = 5\nshow_stopped = false\n\n[labels]\n'
        '"com.docker.compose.project" = "shop"\n\n[keys]\nstop = "x,ctrl+x"\nkill = "X"\n```',
    ])
