"""The demo engine keeps what a pane loads, not hours of output (bench/demo_rss.py: its memory goes flat)."""

from __future__ import annotations

from tui.demo import build_demo_engine
from tui.engine.fake import FakeEngine


async def _kept(engine: FakeEngine, name: str) -> list[bytes]:
    return [chunk.data async for chunk in engine.logs(name)]


async def test_the_demo_keeps_the_last_thousand_chunks_of_each_container() -> None:
    demo = build_demo_engine()
    name = "shop-web-1"
    for n in range(1_500):
        demo.emit_log(name, f"line {n}\n")
    kept = await _kept(demo, name)
    assert len(kept) == 1_000, f"the demo kept {len(kept)} chunks of {name}, not the last 1 000"
    assert kept[-1] == b"line 1499\n" and kept[0] == b"line 500\n"


async def test_a_fake_engine_for_tests_keeps_far_more_unless_told() -> None:
    fake, small = FakeEngine(), FakeEngine(log_chunks=3)
    for engine in (fake, small):
        engine.add_container("one")
        for n in range(1_500):
            engine.emit_log("one", f"line {n}\n")
    assert len(await _kept(fake, "one")) == 1_500
    assert await _kept(small, "one") == [b"line 1497\n", b"line 1498\n", b"line 1499\n"]
