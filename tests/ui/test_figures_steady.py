"""The list's CPU and memory figures stay while they only jitter, so an idle list's stats rounds repaint nothing."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from tui.dashboard.model import CPU_STEADY_POINTS, MEMORY_STEADY, SPARK_SAMPLES, StatsHistory, sparkline
from tui.engine.types import StatsSample

BASE = StatsSample(time=datetime(2026, 1, 1, tzinfo=timezone.utc), cpu_percent=0.0, online_cpus=2,
                   memory_used=448 * 1024, memory_limit=1 << 30, net_rx=0, net_tx=0, block_read=0, block_write=0)


def shown_rounds(field: str, *values) -> StatsHistory:
    """A history whose samples differ in `field` by these values, each shown in the list as it came."""
    history = StatsHistory()
    for value in values:
        history.samples.append(dataclasses.replace(BASE, **{field: value}))
        history.memory_shown()
        history.cpu_shown()
    return history


def history_of(*memory: int) -> StatsHistory:
    return shown_rounds("memory_used", *memory)


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


def cpu_history(*cpu: float) -> StatsHistory:
    return shown_rounds("cpu_percent", *cpu)


def test_an_idle_service_reading_by_turns_keeps_its_figure_and_its_sparkline():
    history = cpu_history(0.1, 0.0, 0.2, 0.1, 0.3, 0.0, 0.2, 0.1, 0.0, 0.2)
    assert history.cpu_shown() == [0.1] * SPARK_SAMPLES
    line = sparkline(history.cpu_shown())
    history.samples.append(dataclasses.replace(BASE, cpu_percent=0.2))
    assert sparkline(history.cpu_shown()) == line


def test_real_work_shows_at_once_and_small_moves_of_a_busy_one_too():
    history = cpu_history(0.1, 0.1, 50.0)
    assert history.cpu_shown()[-1] == 50.0
    history.samples.append(dataclasses.replace(BASE, cpu_percent=54.0))  # within 10 % of 50
    assert history.cpu_shown()[-1] == 50.0
    history.samples.append(dataclasses.replace(BASE, cpu_percent=56.0))
    assert history.cpu_shown()[-1] == 56.0
    history.samples.append(dataclasses.replace(BASE, cpu_percent=0.0))  # the work stopped
    assert history.cpu_shown()[-1] == 0.0


def test_samples_that_came_while_nobody_looked_are_all_counted_once():
    history = StatsHistory()
    for value in (1.0, 2.0, 3.0):
        history.samples.append(dataclasses.replace(BASE, cpu_percent=value))
    assert history.cpu_shown() == [1.0, 2.0, 3.0]
    assert history.cpu_shown() == [1.0, 2.0, 3.0]  # asking again adds nothing
    for value in range(40):  # more than a sparkline's worth between two looks: the last ones
        history.samples.append(dataclasses.replace(BASE, cpu_percent=float(10 * 2 ** (value % 4))))
    assert history.cpu_shown() == [float(10 * 2 ** (v % 4)) for v in range(40 - SPARK_SAMPLES, 40)]


def test_the_band_is_a_few_tenths_of_a_point_for_an_idle_one():
    assert cpu_history(0.0, CPU_STEADY_POINTS).cpu_shown()[-1] == 0.0
    assert cpu_history(0.0, CPU_STEADY_POINTS + 0.1).cpu_shown()[-1] == CPU_STEADY_POINTS + 0.1
