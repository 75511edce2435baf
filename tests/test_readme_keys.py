"""README stays true to the action registry: the settings reference (with `[[engines]]`) is the generated
one, and every key of the dashboard and the log pane is named in its text."""

from __future__ import annotations

from pathlib import Path

from tui.settings.reference import config_reference, engines_reference, readme_reference
from tui.keys.registry import ACTIONS, Scope, key_label, split_keys

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_settings_reference_is_the_generated_one():
    assert config_reference() in README, "README's Configuration section: paste tui.settings.reference output"


def test_engines_reference_is_the_generated_one_after_the_settings():
    # `[[engines]]` is a list of tables, not a setting: it has a reference of its own, which README
    # must carry too, right after the settings' (`python -m tui.settings.reference` prints both).
    assert engines_reference() in README, "README's Configuration section: paste tui.settings.reference output"
    assert readme_reference() in README.split("## Configuration")[1].split("\n## ")[0]


def test_every_dashboard_and_log_pane_key_is_in_readme():
    usage = README.split("## Configuration")[0]  # the key tables and the log pane text, not the reference
    missing = []
    for action in ACTIONS:
        if action.scope not in (Scope.LIST, Scope.SCREEN, Scope.LOG):
            continue
        for key in split_keys(action.keys):
            if f"`{key_label(key)}`" not in usage and f"`{key}`" not in usage:
                missing.append((action.id, key))
    assert not missing
