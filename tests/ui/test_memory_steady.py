"""The list's memory figure stays while the memory only jitters, so an idle list's stats rounds repaint nothing."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from tui.dashboard.model import MEMORY_STEADY, StatsHistory
from tui.engine.types import StatsSample

BASE = StatsSample(time=datetime(2026, 1, 1, tzinfo=timezone.utc), cpu_percent=0.0, online_cpus=2,
                   memory_used=448 * 1024, memory_limit=1 << 30, net_rx=0, net_tx=0, block_read=0, block_write=0)


def history_of(*memory: int) -> StatsHistory:
    history = StatsHistory()
    for value in memory:
        history.samples.append(dataclasses.replace(BASE, memory_used=value))
        history.memory_shown()  # a round shown
    return history


def test_a_page_up_and_down_leaves_the_figure_shown():
    k = 1024
    assert history_of(448 * k, 452 * k, 444 * k, 456 * k).memory_shown() == 448 * k


def test_a_real_change_shows_and_becomes_the_new_reference():
    k = 1024
    grown = int(448 * k * (1 + 2 * MEMORY_STEADY))
    history = history_of(448 * k, grown)
    assert history.memory_shown() == grown
    history.samples.append(dataclasses.replace(BASE, memory_used=grown + 4 * k))
    assert history.memory_shown() == grown


def test_no_sample_no_figure():
    assert StatsHistory().memory_shown() is None
