"""The no-engine screen names the other engines discovery found, and how to use each."""

from __future__ import annotations

from tests.settings_shorthand import flat_settings
from tests.ui.test_no_engine import no_engine_text
from tui.app import BosunApp, RunOptions
from tui.engine.spec import EngineSpec


async def test_the_other_contexts_and_connections_are_offered(tmp_path):
    gone = f"unix://{tmp_path / 'gone.sock'}"
    known = (EngineSpec("here", gone, source="--host"),
             EngineSpec("prod", "tcp://prod.example:2376", source="Docker context prod"),
             EngineSpec("box", "ssh://core@box.example/run/podman/podman.sock", source="Podman connection box"))
    app = BosunApp(flat_settings(host=gone), RunOptions(persist_theme=False, known_specs=known))
    async with app.run_test(size=(160, 48)) as pilot:
        text = await no_engine_text(pilot)
        assert "Other engines bosun found" in text, text
        assert "prod  tcp://prod.example:2376  (Docker context prod)" in text
        assert "bosun --context prod" in text and "bosun --context box" in text
        assert "bosun --context here" not in text  # the one that was just tried
        assert "bosun --all-contexts" in text


async def test_nothing_else_found_says_nothing_more(tmp_path):
    app = BosunApp(flat_settings(host=f"unix://{tmp_path / 'gone.sock'}"), RunOptions(persist_theme=False))
    async with app.run_test(size=(160, 48)) as pilot:
        text = await no_engine_text(pilot)
        assert "Other engines" not in text and "--all-contexts" not in text


async def test_a_hostile_context_name_is_shown_not_obeyed(tmp_path):
    known = (EngineSpec("evil[bold]\x1b[2J", "tcp://e:1", source="Docker context evil"),)
    app = BosunApp(flat_settings(host=f"unix://{tmp_path / 'gone.sock'}"),
                   RunOptions(persist_theme=False, known_specs=known))
    async with app.run_test(size=(160, 48)) as pilot:
        text = await no_engine_text(pilot)
        assert "evil[bold]" in text and "\x1b" not in text
