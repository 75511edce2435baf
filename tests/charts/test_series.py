"""Samples into chart columns: time windows, rates from counters, sums over a project, gaps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tui.charts.metrics import BY_ID, MemoryLimit, chart_view, figure, Kind, memory_limit_of, window_for
from tui.charts.series import Placements, Window, columns_of, gauge_points, placed, rate_points, summed
from tui.engine.types import StatsSample

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
MIB = 1 << 20


def sample(at: float, *, cpu: float | None = 10.0, memory: int = 100 * MIB, limit: int = 8 << 30, rx: int = 0,
           written: int = 0) -> StatsSample:
    return StatsSample(time=T0 + timedelta(seconds=at), cpu_percent=cpu, online_cpus=2, memory_used=memory,
                       memory_limit=limit, net_rx=rx, net_tx=0, block_read=0, block_write=written)


def test_window_columns_count_back_from_the_end():
    window = Window(T0 + timedelta(seconds=30), step=5.0, columns=6)
    assert window.seconds == 30
    assert window.column(T0 + timedelta(seconds=30)) == 5
    assert window.column(T0 + timedelta(seconds=25.1)) == 5
    assert window.column(T0 + timedelta(seconds=24.9)) == 4
    assert window.column(T0 + timedelta(seconds=0.5)) == 0
    assert window.column(T0) is None  # fell off the left edge
    assert window.column(T0 + timedelta(seconds=31)) is None


def test_rates_come_from_consecutive_samples_and_a_counter_that_goes_back_is_skipped():
    samples = [sample(0, rx=0), sample(5, rx=5000), sample(10, rx=15000), sample(15, rx=100), sample(20, rx=600)]
    window = Window(T0 + timedelta(seconds=20), step=5.0, columns=5)
    points = rate_points(placed(samples, window), lambda s: s.net_rx)
    assert points == [(1, 1000.0), (2, 2000.0), (4, 100.0)]  # 0 s is column 0; 15 s went back


def test_placing_reads_only_the_window_and_the_sample_before_it():
    samples = [sample(t) for t in range(0, 100, 5)]
    window = Window(T0 + timedelta(seconds=95), step=5.0, columns=4)
    got = placed(samples, window)
    assert [(column, round(moment - T0.timestamp())) for column, moment, _ in got] == \
        [(-1, 75), (0, 80), (1, 85), (2, 90), (3, 95)]
    assert gauge_points(got, lambda s: s.cpu_percent) == [(0, 10.0), (1, 10.0), (2, 10.0), (3, 10.0)]
    shared = Placements([samples])
    assert shared.of(window) is shared.of(window)  # the charts of one round place the samples once


def test_one_late_round_borrows_the_value_before_but_a_long_gap_stays_blank():
    window = Window(T0 + timedelta(seconds=50), step=5.0, columns=10)
    # 19.9 s came early, into 15.5 s's column, so 20 to 25 s has none; 25 to 40 s was not sampled.
    times = [5.5, 10.5, 15.5, 19.9, 40.5, 50]
    points = [(window.column(T0 + timedelta(seconds=t)), float(i + 1)) for i, t in enumerate(times)]
    assert columns_of(points, window) == [None, 1.0, 2.0, 4.0, 4.0, None, None, None, 5.0, 6.0]


def test_a_project_is_the_sum_of_the_members_that_have_a_figure():
    assert summed([[1.0, None, 2.0], [3.0, None, None]]) == [4.0, None, 2.0]
    assert summed([]) == []


def test_chart_view_figures_are_the_newest_sample_and_the_peak():
    histories = [[sample(0, cpu=5.0), sample(5, cpu=50.0), sample(10, cpu=12.5)]]
    window = window_for(histories, 5.0, 20)
    assert window.end == T0 + timedelta(seconds=10)  # the right edge is the newest sample
    view = chart_view(BY_ID["cpu"], histories, window)
    assert view.current == "12.5 %" and view.peak == "50 %"
    assert view.top == 50 and view.top_label == "50 %"
    assert view.values[-3:] == [5.0, 50.0, 12.5]


def test_chart_view_sums_a_projects_members_and_rates_its_counters():
    histories = [[sample(0, written=0), sample(5, written=5 * MIB)], [sample(0.1, written=0), sample(5.1, written=MIB)]]
    view = chart_view(BY_ID["block_write"], histories, window_for(histories, 5.0, 10))
    assert view.current == "1.2 MiB/s"  # (5 MiB + 1 MiB) in 5 s
    assert view.top == 2 * MIB


def test_no_samples_no_window():
    assert window_for([[]], 5.0, 10) is None
    assert window_for([[sample(0)]], 5.0, 0) is None


def test_the_memory_chart_says_the_limit_and_is_scaled_to_it_when_near():
    histories = [[sample(0, memory=200 * MIB), sample(5, memory=300 * MIB)]]
    window = window_for(histories, 5.0, 10)
    near = chart_view(BY_ID["memory"], histories, window, MemoryLimit.of([512 * MIB]))
    assert near.note == "limit 512 MiB (59 %)" and near.top == 512 * MIB and near.top_label == "512 MiB"
    far = chart_view(BY_ID["memory"], histories, window, MemoryLimit.of([64 << 30]))
    assert far.note.startswith("limit 64 GiB") and far.top == 500 * MIB  # a round top over the peak instead
    none = chart_view(BY_ID["memory"], histories, window, MemoryLimit.of([0]))
    assert none.note == "no limit"


def test_a_projects_limit_is_the_sum_only_when_every_member_has_one():
    assert MemoryLimit.of([256 * MIB, 256 * MIB]) == MemoryLimit(512 * MIB, "limit 512 MiB")
    assert MemoryLimit.of([256 * MIB, 0, 0]) == MemoryLimit(None, "no limit on 2 of 3")
    assert memory_limit_of({"HostConfig": {"Memory": 268435456}}) == 256 * MIB
    assert memory_limit_of({"HostConfig": {}}) == 0 and memory_limit_of({}) == 0


def test_figures_read_plainly():
    assert figure(Kind.PERCENT, None) == "–"
    assert figure(Kind.PERCENT, 150.0) == "150 %"
    assert figure(Kind.BYTES, 512) == "512 B"
    assert figure(Kind.RATE, 1536) == "1.5 KiB/s"
    assert figure(Kind.BYTES, 120 * MIB) == "120 MiB"
    assert figure(Kind.BYTES, 2 << 30) == "2 GiB" and figure(Kind.PERCENT, 12.0) == "12 %"
