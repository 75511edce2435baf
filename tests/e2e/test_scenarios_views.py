"""Scenarios on the images, volumes and networks views of the demo engine, at 160×48 and 80×24.

The demo's images include nginx:1.27 tagged nginx:stable too, an unused
ghcr.io/acme/shop-api:2.3.0 and a dangling build; its volumes shop_pgdata
(mounted by shop-db-1) and old_cache (unused); its networks shop_default and
metrics_default (the projects' running containers on them), bridge, host, none.
"""

from __future__ import annotations

import pytest

from tests.e2e.scenario import SIZES, covers
from tests.e2e.test_scenarios_list import demo

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("size", SIZES)
@covers("2", "1", "/", "escape", "D", "y", "t", "enter")
def test_images_view_remove_refused_then_done_and_tag(bosun, size):
    app = demo(bosun, size)
    app.press("2")
    app.see("REPOSITORY:TAG")
    app.see("nginx:1.27, nginx:stable")
    app.see("<none> (untagged)")
    app.press("/")
    app.in_empty_field("filter images")
    app.type("postgres")
    app.see("1: shop-db-1")
    app.gone("nginx:1.27")
    app.press("enter")  # keys back to the table, the filter kept
    app.left_field("postgres")
    app.press("D")
    app.see("Remove image?")
    app.see("Force remove")  # in use: force is its own button
    app.press("y")  # y never forces: the engine refuses, in its words
    app.see_toast("image is being used by running container")
    app.see("postgres:16")
    app.press("escape")  # clears the filter
    app.see("nginx:1.27")
    app.press("/")
    app.in_empty_field("filter images")
    app.type("shop-api:2.3")
    app.see("ghcr.io/acme/shop-api:2.3.0")
    app.press("enter")
    app.left_field("shop-api:2.3")
    app.press("t")
    app.see("Tag ghcr.io/acme/shop-api:2.3.0 as:")
    app.type("acme/api:old")
    app.press("enter")
    app.see_toast("Tagged ghcr.io/acme/shop-api:2.3.0 as acme/api:old")
    app.press("escape")
    app.see("acme/api:old, ghcr.io/acme/shop-api:2.3.0")
    app.press("/")
    app.in_empty_field("filter images")
    app.type("acme/api")
    app.press("enter")
    app.left_field("acme/api")
    app.press("D")
    app.see("Remove image?")
    app.lacks("Force remove")  # nobody uses it
    app.press("y")
    app.see_toast("Removed image acme/api:old")
    app.gone("acme/api:old, ghcr")
    app.press("escape")
    app.press("1")
    app.see("running /")  # the container list's header is back
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("3", ":", "D", "y", "enter", "i", "escape", "G", "g")
def test_volumes_view_by_prompt_refuses_one_in_use_and_removes_an_unused_one(bosun, size):
    app = demo(bosun, size)
    app.press(":")
    app.in_empty_field("containers  images")
    app.type("vol")
    app.press("enter")
    app.see("MOUNTPOINT" if size[0] >= 120 else "USED BY")
    app.see("shop_pgdata")
    app.see("1: shop-db-1")
    app.see("old_cache")
    app.press("i")  # inspect: the volume's document
    app.see("volume metrics_grafana")
    app.press("escape")
    app.see("shop_pgdata")
    app.press("3")  # already there: nothing changes
    app.press("G")  # the last row (metrics_grafana, metrics_prometheus, old_cache, shop_pgdata)
    app.press("D")
    app.see("Mounted by shop-db-1")
    app.press("y")
    app.see_toast("volume is in use")
    app.press("k")  # old_cache
    app.press("D")
    app.see("Remove volume?")
    app.press("y")
    app.see_toast("Removed volume old_cache")
    app.gone("old_cache")
    app.press("g")  # the top, as in the container list
    app.press("i")
    app.see("volume metrics_grafana")
    app.press("escape")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers("4", "c", "d", "enter", "D", "y")
def test_networks_view_connect_disconnect_and_a_refused_remove(bosun, size):
    app = demo(bosun, size)
    app.press("4")
    app.see("SUBNET" if size[0] >= 120 else "DRIVER")
    app.see("shop_default")
    app.see("redis 172.17.0.2/16")
    # The rows by name: bridge, host, metrics_default, none, shop_default; the cursor is on bridge.
    app.press("c")
    app.see("Connect which container to bridge?")
    app.see("builder  (created)")
    app.press("enter")  # the first: builder
    app.see_toast("Connected builder to bridge")
    app.see("builder 172.17.0.3/16")
    app.press("d")
    app.see("Disconnect which container from bridge?")
    app.press("enter")  # builder comes first by name
    app.see_toast("Disconnected builder from bridge")
    app.gone("builder 172.17.0.3/16")
    app.press("D")
    app.see("Remove network?")
    app.see("the engine's own")
    app.press("y")
    app.see_toast("pre-defined network")
    app.see("bridge")
    app.quit()
