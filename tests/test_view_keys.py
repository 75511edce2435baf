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
    Settings(keys={"connect_network": "g"})
    Settings(keys={"remove_resource": "x"})  # the list's stop never meets a view's keys


def test_every_view_scope_has_actions_and_the_mutating_ones_say_so():
    for scope in (Scope.VIEWS, *VIEW_SCOPES):
        assert list(in_scope(scope)), scope
    assert {a.id for a in in_scope(Scope.IMAGES) if a.mutates} == {"tag_image"}
    assert {a.id for a in in_scope(Scope.NETWORKS) if a.mutates} == {"connect_network", "disconnect_network"}
