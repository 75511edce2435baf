"""The inspect screen: tree and JSON views, search, secrets masked, hostile values shown literally."""

from __future__ import annotations

import html
import json
import re

import pytest
from textual.app import App
from textual.widgets import Input, Static, TabbedContent, TextArea

from tests.waits import wait_until
from tui.screens.inspect import InspectScreen, InspectTree
from tui.secrets_mask import MASK

EVIL_LABEL = "\x1b]52;c;aGk=\x07[bold]x[/]"

DOCUMENT = {
    "Id": "4f1c2a9e0b7d3c6f8a5e1d2b9c0a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a",
    "Created": "2024-05-01T12:00:00.123456789Z",
    "Path": "docker-entrypoint.sh",
    "Args": ["postgres"],
    "State": {
        "Status": "running",
        "Running": True,
        "Paused": False,
        "Restarting": False,
        "OOMKilled": False,
        "Dead": False,
        "Pid": 4242,
        "ExitCode": 0,
        "Error": "",
        "StartedAt": "2024-05-01T12:00:01.5Z",
        "FinishedAt": "0001-01-01T00:00:00Z",
        "Health": {
            "Status": "healthy",
            "FailingStreak": 0,
            "Log": [
                {"Start": "2024-05-01T12:00:31Z", "End": "2024-05-01T12:00:31.2Z", "ExitCode": 0,
                 "Output": "/var/run/postgresql:5432 - accepting connections\n"},
            ],
        },
    },
    "Image": "sha256:7d3c6f8a5e1d2b9c0a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a4f1c2a9e0b",
    "Name": "/shop-db-1",
    "RestartCount": 0,
    "Driver": "overlay2",
    "HostConfig": {
        "NetworkMode": "shop_default",
        "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
        "Memory": 536870912,
        "Privileged": False,
        "Binds": None,
    },
    "Mounts": [
        {"Type": "volume", "Name": "shop_pgdata", "Source": "/var/lib/docker/volumes/shop_pgdata/_data",
         "Destination": "/var/lib/postgresql/data", "Driver": "local", "Mode": "z", "RW": True},
    ],
    "Config": {
        "Hostname": "4f1c2a9e0b7d",
        "User": "",
        "ExposedPorts": {"5432/tcp": {}},
        "Env": ["POSTGRES_USER=shop", "DB_PASSWORD=hunter2", "API_KEY=abc",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=en_US.utf8"],
        "Cmd": ["postgres"],
        "Healthcheck": {"Test": ["CMD-SHELL", "pg_isready -U shop"], "Interval": 10000000000},
        "Image": "postgres:16",
        "Entrypoint": ["docker-entrypoint.sh"],
        "Labels": {
            "com.docker.compose.project": "shop",
            "com.docker.compose.service": "db",
            "evil": EVIL_LABEL,
        },
    },
    "NetworkSettings": {
        "Ports": {"5432/tcp": [{"HostIp": "0.0.0.0", "HostPort": "5432"}, {"HostIp": "::", "HostPort": "5432"}]},
        "Networks": {"shop_default": {"Aliases": ["shop-db-1", "db"], "IPAddress": "172.18.0.2"}},
    },
}


class InspectApp(App[None]):
    """Pushes the inspect screen over an empty default screen."""

    def __init__(self, theme: str = "textual-dark") -> None:
        super().__init__()
        self.initial_theme = theme

    def on_mount(self) -> None:
        self.theme = self.initial_theme
        self.push_screen(InspectScreen(DOCUMENT, title="shop-db-1"))


def tree_of(app: App) -> InspectTree:
    return app.screen.query_one(InspectTree)


def labels(app: App) -> str:
    """Every tree label, one a line (collapsed nodes included)."""
    return "\n".join(node.label.plain for node in tree_of(app).all_nodes())


def rendered_tree(app: App) -> str:
    """The tree lines on screen, as the terminal gets them."""
    tree = tree_of(app)
    return "\n".join("".join(segment.text for segment in tree.render_line(y)) for y in range(tree.size.height))


def screenshot_text(app: App) -> str:
    """The text of an SVG screenshot of the whole screen (its segments run together)."""
    svg = app.export_screenshot(simplify=True)
    return html.unescape(re.sub(r"<[^>]*>", "", svg)).replace("\xa0", " ")


def json_text(app: App) -> str:
    return app.screen.query_one("#json", TextArea).text


def match_count(app: App) -> str:
    return str(app.screen.query_one("#match-count", Static).render())


def cursor_path(app: App) -> list[str | int]:
    node = tree_of(app).cursor_node
    path = []
    while node is not None and node.data is not None:
        path.insert(0, node.data.key)
        node = node.parent
    return path


async def search(pilot, query: str) -> None:
    await pilot.press("slash", *query)
    # A large document searches after a pause in typing: wait for that search to have run.
    await wait_until(lambda: getattr(pilot.app.screen, "_search_timer", None) is None, "the search to run",
                     pilot=pilot)
    await pilot.pause()


async def test_opens_with_top_level_sections_expanded():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InspectScreen)
        assert app.screen.title == "shop-db-1"
        tree = tree_of(app)
        assert app.focused is tree
        sections = {node.data.key: node for node in tree.root.children}
        assert sections["State"].is_expanded and sections["Config"].is_expanded
        health = next(node for node in sections["State"].children if node.data.key == "Health")
        assert not health.is_expanded
        assert "State {12}" in rendered_tree(app)
        assert 'Status: "running"' in rendered_tree(app)


async def test_secrets_hidden_by_default_and_toggled_with_v():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "hunter2" not in labels(app) and "API_KEY=abc" not in labels(app)
        assert "hunter2" not in screenshot_text(app)
        await pilot.press("j")  # the JSON view; the tree labels are checked all the same
        await pilot.pause()
        assert f"DB_PASSWORD={MASK}" in labels(app) and f"API_KEY={MASK}" in labels(app)
        assert json_text(app) and "hunter2" not in json_text(app)
        assert json.loads(json_text(app))["Config"]["Env"][1] == f"DB_PASSWORD={MASK}"
        assert screen.active_bindings["v"].binding.description == "Reveal secrets"

        await pilot.press("v")
        await pilot.pause()
        assert "DB_PASSWORD=hunter2" in labels(app) and "API_KEY=abc" in labels(app)
        assert "DB_PASSWORD=hunter2" in json_text(app)
        assert screen.active_bindings["v"].binding.description == "Hide secrets"
        assert "secrets shown" in screen.sub_title

        await pilot.press("v")
        await pilot.pause()
        assert "hunter2" not in labels(app) and "hunter2" not in json_text(app)
        assert screen.active_bindings["v"].binding.description == "Reveal secrets"


async def test_revealed_secret_is_drawn_and_hidden_again():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "DB_PASSWORD")
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_path(app) == ["Config", "Env", 1]
        assert f"DB_PASSWORD={MASK}" in rendered_tree(app)
        await pilot.press("v")
        await pilot.pause()
        assert "DB_PASSWORD=hunter2" in rendered_tree(app)
        await pilot.press("v")
        await pilot.pause()
        assert "hunter2" not in rendered_tree(app)


async def test_search_does_not_find_hidden_secrets():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "hunter2")
        assert match_count(app) == "no matches"
        await pilot.press("enter", "v")
        await pilot.pause()
        assert match_count(app).startswith("1 match")
        assert cursor_path(app) == ["Config", "Env", 1]


async def test_search_expands_to_health_and_moves_the_cursor():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "health")
        screen = app.screen
        assert screen.query_one("#search", Input).has_focus
        # State.Health (key), its Status "healthy" (value), Config.Healthcheck (key).
        assert [cursor_path_of(node) for node in screen.matches] == [
            ["State", "Health"], ["State", "Health", "Status"], ["Config", "Healthcheck"],
        ]
        assert match_count(app) == "3 matches · 1 of 3"
        assert cursor_path(app) == ["State", "Health"]
        health = tree_of(app).cursor_node
        assert health.is_expanded  # expanded to show the "healthy" match inside it
        assert 'Status: "healthy"' in rendered_tree(app)


def cursor_path_of(node) -> list[str | int]:
    path = []
    while node is not None and node.data is not None:
        path.insert(0, node.data.key)
        node = node.parent
    return path


async def test_n_and_shift_n_move_between_matches():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "health")
        await pilot.press("enter")  # back to the tree, where n and N are keys, not text
        await pilot.pause()
        assert app.focused is tree_of(app)
        assert app.screen.active_bindings["n"].binding.description == "Next match"
        await pilot.press("n")
        await pilot.pause()
        assert cursor_path(app) == ["State", "Health", "Status"]
        await pilot.press("n")
        await pilot.pause()
        assert cursor_path(app) == ["Config", "Healthcheck"]
        assert match_count(app) == "3 matches · 3 of 3"
        await pilot.press("n")  # wraps around
        await pilot.pause()
        assert cursor_path(app) == ["State", "Health"]
        await pilot.press("N")  # and back
        await pilot.pause()
        assert cursor_path(app) == ["Config", "Healthcheck"]
        await pilot.press("N")
        await pilot.pause()
        assert cursor_path(app) == ["State", "Health", "Status"]


async def test_narrowing_the_query_folds_what_it_no_longer_needs():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        tree = tree_of(app)
        await search(pilot, "accepting")
        log = tree.cursor_node.parent
        assert cursor_path(app) == ["State", "Health", "Log", 0, "Output"]
        await pilot.press(*"x")  # "acceptingx": no matches
        await pilot.pause()
        assert match_count(app) == "no matches"
        assert not log.is_expanded


async def test_escape_closes_search_then_the_screen():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "5432/tcp")
        screen = app.screen
        assert screen.search_open
        assert screen.active_bindings["escape"].binding.description == "Close search"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not screen.search_open
        assert app.focused is tree_of(app)
        assert screen.pattern is None and match_count(app) == ""
        # The found node stays in view; the cursor stays on it.
        assert cursor_path(app) == ["Config", "ExposedPorts", "5432/tcp"]
        assert screen.active_bindings["escape"].binding.description == "Close"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, InspectScreen)


async def test_q_closes_the_screen():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, InspectScreen)


async def test_json_view_toggles_with_j():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.active_bindings["j"].binding.description == "JSON"
        await pilot.press("j")
        await pilot.pause()
        text_area = screen.query_one("#json", TextArea)
        assert screen.query_one(TabbedContent).active == "json-pane"
        assert app.focused is text_area and text_area.read_only
        assert json.loads(text_area.text)["Name"] == "/shop-db-1"
        assert screen.active_bindings["j"].binding.description == "Tree"
        assert '"Id": "4f1c2a9e0b7d' in screenshot_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tree-pane"
        assert app.focused is tree_of(app)


async def test_search_in_json_view_selects_matches():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await search(pilot, "5432")
        await pilot.press("enter")
        await pilot.pause()
        text_area = app.screen.query_one("#json", TextArea)
        count = len(app.screen.json_matches)
        assert count >= 4 and match_count(app) == f"{count} matches · 1 of {count}"
        assert text_area.selected_text == "5432"
        first = text_area.selection
        await pilot.press("n")
        await pilot.pause()
        assert text_area.selected_text == "5432" and text_area.selection != first
        await pilot.press("N")
        await pilot.pause()
        assert text_area.selection == first


async def test_hostile_label_is_shown_literally():
    app = InspectApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "evil")
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_path(app) == ["Config", "Labels", "evil"]
        shown = rendered_tree(app)
        assert 'evil: "␛]52;c;aGk=␇[bold]x[/]"' in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[bold]x[/]" in screenshot_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert "\x1b" not in json_text(app) and "\x07" not in json_text(app)
        assert "[bold]x[/]" in json_text(app)


async def test_hostile_keys_and_values_everywhere():
    hostile = {
        "\x1b[2J[red]name[/]": "\x9b6n\u202eevil",
        "list": ["\x1bc", "line\nbreak", "\ud800"],
        "nested": {"PASSWORD": "s3cret"},
    }
    app = App()
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(InspectScreen(hostile, title="\x1b]0;title\x07"))
        await pilot.pause()
        screen = app.screen
        assert "\x1b" not in screen.title
        screen.query_one(InspectTree).root.expand_all()
        await pilot.pause()
        everything = labels(app) + rendered_tree(app)
        await pilot.press("j")
        await pilot.pause()
        everything += json_text(app)
        assert json_text(app)
        assert not [ch for ch in everything if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F]
        assert "␛[2J[red]name[/]" in labels(app)
        assert "<9B>6n<U+202E>evil" in labels(app)
        assert "line␊break" in labels(app)
        assert "s3cret" not in everything


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_snapshot(snap_compare, theme):
    """The tree after searching for "health": matches highlighted, the cursor on the first."""
    assert snap_compare(
        InspectApp(theme),
        press=["slash", *"health", "enter"],
        terminal_size=(100, 30),
    )
