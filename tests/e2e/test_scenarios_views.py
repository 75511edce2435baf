"""Scenarios on the images, volumes and networks views of the demo engine, at 160×48 and 80×24.

The demo's images include nginx:1.27 tagged nginx:stable too, an unused
ghcr.io/acme/shop-api:2.3.0 and a dangling build; its volumes shop_pgdata
(mounted by shop-db-1) and old_cache (unused); its networks shop_default and
metrics_default (the projects' running containers on them), bridge, host, none.

The last scenario runs on real Docker and Podman: what the engine's own CLI
does while a view is open shows in it.
"""

from __future__ import annotations

import subprocess
import uuid

import pytest

from tests.conftest import real_engine_url
from tests.e2e.scenario import SIZES, covers
from tests.e2e.test_dashboard_e2e import IDLE, IMAGE, EngineCli
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


def first_row(app, header: str):
    """The view's first row (the line under its header), read from the live screen."""
    def read(screen) -> str:
        lines = [app._line(screen, y) for y in range(screen.lines)]
        at = next((y for y, line in enumerate(lines) if header in line), None)
        return lines[at + 1] if at is not None and at + 1 < len(lines) else ""
    return read


@pytest.mark.parametrize("size", SIZES)
@covers("ctrl+p", "enter", "o", "O", "/", "space", "j", "y", "D", "escape")
def test_images_view_from_the_palette_sorted_filtered_selected_copied_and_removed_together(bosun, size):
    app = demo(bosun, size)
    app.press("ctrl+p")
    app.see("🔎")
    app.type("View: Images")
    app.see("View: Images")
    app.press("enter")
    app.see("REPOSITORY:TAG")
    app.gone("🔎")
    app.press("o")
    app.see_toast("Sorted by ID")
    app.press("o")
    app.see_toast("Sorted by SIZE")
    app.until(lambda s: "alpine:3.20" in first_row(app, "REPOSITORY:TAG")(s), "the smallest image first")
    app.press("O")  # reversed: the largest first
    app.until(lambda s: "grafana/grafana:11.1" in first_row(app, "REPOSITORY:TAG")(s), "the largest image first")
    app.press("/")
    app.in_empty_field("filter images")
    app.type("is:unused")
    app.see("ghcr.io/acme/shop-api:2.3.0")
    app.gone("grafana/grafana:11.1")
    app.press("enter")
    app.left_field("is:unused")
    app.see("<none> (untagged)")
    app.press("space", "j", "space")  # both unused images selected
    app.until(lambda s: sum("●" in app._line(s, y) for y in range(s.lines)) >= 2, "two rows marked")
    app.press("y")
    app.see_toast("Copied 2 ids")
    app.press("D")
    app.see("Remove 2 images?")
    app.lacks("Force remove")  # nobody uses them
    app.press("y")
    app.see_toast("Removed 2 images")
    app.gone("ghcr.io/acme/shop-api:2.3.0")
    app.gone("<none> (untagged)")
    app.press("escape")  # clears the filter: the used images are all still there
    app.see("grafana/grafana:11.1")
    app.see("nginx:1.27, nginx:stable")
    app.quit()


@pytest.mark.parametrize("size", SIZES)
@covers(":", "enter", "o", "/", "y", "escape")
def test_volumes_sorted_by_size_networks_by_prompt_and_an_id_copied(bosun, size):
    app = demo(bosun, size)
    app.press("3")
    app.see("shop_pgdata")
    app.press("o", "o")  # name, driver, size
    app.see_toast("Sorted by SIZE")
    app.until(lambda s: "metrics_grafana" in first_row(app, " NAME ")(s), "the smallest volume first")
    app.press("/")
    app.in_empty_field("filter volumes")
    app.type("is:unused")
    app.see("old_cache")
    app.gone("shop_pgdata")
    app.press("enter")
    app.left_field("is:unused")
    app.press("y")  # a volume's id is its name
    app.see_toast("Copied old_cache")
    app.press("escape")
    app.see("shop_pgdata")
    app.press(":")
    app.in_empty_field("containers  images")
    app.type("networks")
    app.press("enter")
    app.see("shop_default")
    app.see("redis 172.17.0.2/16")
    app.press("/")
    app.in_empty_field("filter networks")
    app.type("172.22.")  # by a container's address
    app.see("metrics_default")
    app.gone("shop_default")
    app.press("enter")
    app.left_field("172.22.")
    app.press("y")
    app.see_toast("Copied bcdbdbbb0401")
    app.quit()


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["docker", "podman"])
@covers("3", "4", "2", "/", "enter", "escape")
def test_views_follow_what_the_engines_cli_does(bosun, kind):
    url = real_engine_url(kind)
    cli = EngineCli(kind, url)
    session = uuid.uuid4().hex[:8]
    volume, network, tag = f"e2e-vol-{session}", f"e2e-net-{session}", f"e2e-tag-{session}"
    idle = f"e2e-views-{session}"
    try:
        cli("run", "-d", "--label", f"bosun.test={session}", "--name", idle, IMAGE, "sh", "-c", IDLE)
        app = bosun("--host", url, "--label", f"bosun.test={session}", size=(160, 48))
        app.see(idle, timeout=30)
        app.see("stdout+stderr", timeout=30)  # the log pane is up: the app takes keys (not the first frame)
        app.press("3")
        app.see("MOUNTPOINT")
        app.press("/")
        app.in_empty_field("filter volumes")
        app.type(session)  # the engines are shared: only this scenario's things
        app.press("enter")
        app.left_field(session)
        cli("volume", "create", "--label", f"bosun.test={session}", volume)
        app.see(volume, timeout=15)  # the volume's create event
        cli("volume", "rm", volume)
        app.gone(volume, timeout=15)
        cli("network", "create", "--label", f"bosun.test={session}", network)
        app.press("4")
        app.see("SUBNET")
        app.press("/")
        app.in_empty_field("filter networks")
        app.type(session)
        app.press("enter")
        app.see(network, timeout=15)  # listed as the view opens
        cli("network", "rm", network)
        # Docker says so at once; Podman 4 sends no network events: the 20 s re-list finds it.
        app.gone(network, timeout=15 if kind == "docker" else 45)
        app.press("2")
        app.see("REPOSITORY:TAG")
        app.press("/")
        app.in_empty_field("filter images")
        app.type(session)
        app.press("enter")
        cli("tag", IMAGE, f"{tag}:v1")
        app.see(f"{tag}:v1", timeout=15)  # the tag event
        cli("rmi", f"{tag}:v1")
        app.gone(f"{tag}:v1", timeout=15)  # the untag event
        app.press("escape")
        app.see("bosun-test")
        app.quit()
    finally:
        for args in (("rm", "-f", idle), ("volume", "rm", "-f", volume), ("network", "rm", network),
                     ("rmi", f"{tag}:v1")):
            subprocess.run([*cli.argv, *args], capture_output=True, timeout=60)
