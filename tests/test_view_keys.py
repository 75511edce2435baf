"""The views' keys in the registry: one meaning per key where they are live together, remappable."""

from __future__ import annotations

import pytest

from tui.keys.registry import VIEW_SCOPES, Scope, clashes, in_scope
from tui.settings import Settings, SettingsError


def test_the_default_keys_clash_nowhere():
    assert not clashes({})


def test_a_view_key_may_not_take_a_key_live_beside_it():
    with pytest.raises(SettingsError, match="'D' is bound to both"):
        Settings(keys={"tag_image": "D"})  # remove, in every view
    with pytest.raises(SettingsError, match="'x' is bound to both"):
        Settings(keys={"view_images": "x"})  # the list's stop: 2 is bound on the dashboard too
    with pytest.raises(SettingsError, match="'2' is bound to both"):
        Settings(keys={"connect_network": "2"})  # the views' own switch keys


def test_keys_of_one_view_may_repeat_in_another_or_on_the_list():
    Settings(keys={"tag_image": "c"})  # c connects in the networks view only: the images view never has it
    Settings(keys={"connect_network": "t"})  # t tags in the images view only
    Settings(keys={"remove_resource": "x"})  # the list's stop never meets a view's keys


def test_every_view_scope_has_actions_and_the_mutating_ones_say_so():
    for scope in (Scope.VIEWS, *VIEW_SCOPES):
        assert list(in_scope(scope)), scope
    assert {a.id for a in in_scope(Scope.IMAGES) if a.mutates} == {"tag_image"}
    assert {a.id for a in in_scope(Scope.NETWORKS) if a.mutates} == {"connect_network", "disconnect_network"}


def test_g_is_the_top_in_every_table_and_no_view_action_takes_it():
    from textual.widgets import DataTable

    from tui.dashboard.container_table import ContainerTable
    from tui.keys.registry import LIST_WIDGET_KEYS, TABLE_MOVE_KEYS, VIEW_WIDGET_KEYS
    from tui.views.table import ResourceTable

    def bound(widget: type) -> dict[str, str]:
        keys: dict[str, str] = {}
        for cls in reversed(widget.__mro__):
            for binding in getattr(cls, "BINDINGS", []) if cls.__dict__.get("BINDINGS") else []:
                for key in binding.key.split(","):
                    keys[key.strip()] = binding.action
        return keys

    list_keys, view_keys = bound(ContainerTable), bound(ResourceTable)
    assert issubclass(ContainerTable, DataTable)
    assert set(TABLE_MOVE_KEYS) <= set(list_keys) and set(VIEW_WIDGET_KEYS) <= set(view_keys)
    assert list_keys["g"] == "scroll_top" and view_keys["g"] == view_keys["home"] == "to(0)"
    assert list_keys["G"] == "scroll_bottom" and view_keys["G"] == view_keys["end"] == "to(-1)"
    assert set(LIST_WIDGET_KEYS) >= set(TABLE_MOVE_KEYS)
    with pytest.raises(SettingsError, match="'g' is bound to both"):
        Settings(keys={"tag_image": "g"})  # the views' table: the top
    with pytest.raises(SettingsError, match="'G' is bound to both"):
        Settings(keys={"connect_network": "G"})
