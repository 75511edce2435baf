"""The cgroup sampler's reading of the files themselves, on cgroup v1 and v2 layouts made in a folder.

Where the files are is found from /proc/<pid>/cgroup of a real container (the contract
suite covers that against the engine's own figures); here the files are given.
"""

from __future__ import annotations

import os

import pytest

from tui.engine.cgroup_stats import _UNLIMITED, CgroupStatsReader, _Paths, _read_int, _read_key

V1_MEMORY_STAT = "cache 4096\nrss 8192\ninactive_file 1\ntotal_cache 4096\ntotal_inactive_file 4096\n"
V2_MEMORY_STAT = "anon 8192\nfile 4096\ninactive_file 4096\nactive_file 0\n"


def _write(folder, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text)


@pytest.fixture
def v1(tmp_path):
    _write(tmp_path, {"cpuacct.usage": "5000000000\n", "memory.usage_in_bytes": "12288\n",
                      "memory.limit_in_bytes": "9223372036854771712\n", "memory.stat": V1_MEMORY_STAT,
                      "blkio.throttle.io_service_bytes": "8:0 Read 100\n8:0 Write 30\n8:16 Read 5\nTotal 135\n",
                      "pids.current": "3\n"})
    return _Paths(str(tmp_path / "cpuacct.usage"), False, str(tmp_path / "memory.usage_in_bytes"),
                  str(tmp_path / "memory.limit_in_bytes"), str(tmp_path / "memory.stat"), b"total_inactive_file",
                  str(tmp_path / "blkio.throttle.io_service_bytes"), False, str(tmp_path / "pids.current"))


@pytest.fixture
def v2(tmp_path):
    _write(tmp_path, {"cpu.stat": "usage_usec 5000000\nuser_usec 4000000\nsystem_usec 1000000\n",
                      "memory.current": "12288\n", "memory.max": "65536\n", "memory.stat": V2_MEMORY_STAT,
                      "io.stat": "8:0 rbytes=100 wbytes=30 rios=2 wios=1\n8:16 rbytes=5 wbytes=0\n",
                      "pids.current": "2\n"})
    return _Paths(str(tmp_path / "cpu.stat"), True, str(tmp_path / "memory.current"), str(tmp_path / "memory.max"),
                  str(tmp_path / "memory.stat"), b"inactive_file", str(tmp_path / "io.stat"), True,
                  str(tmp_path / "pids.current"))


def _sample(paths: _Paths):
    reader = CgroupStatsReader()
    reader._paths["c1"] = (os.getpid(), paths)  # as `_locate` would have found them
    return reader, reader.sample("c1", os.getpid())


def test_cgroup_v1_files(v1):
    reader, sample = _sample(v1)
    assert sample.memory_used == 12288 - 4096  # total_inactive_file, not the cgroup's own inactive_file
    assert sample.memory_limit == reader._host_memory  # no limit: the machine's memory
    assert (sample.block_read, sample.block_write, sample.pids) == (105, 30, 3)
    assert sample.cpu_percent is None  # a first sample has nothing to compare with


def test_cgroup_v2_files(v2):
    _, sample = _sample(v2)
    assert sample.memory_used == 12288 - 4096
    assert sample.memory_limit == 65536
    assert (sample.block_read, sample.block_write, sample.pids) == (105, 30, 2)


def test_the_second_sample_has_cpu_from_the_change(v2, tmp_path):
    reader, _ = _sample(v2)
    (tmp_path / "cpu.stat").write_text("usage_usec 5500000\n")
    second = reader.sample("c1", os.getpid())
    assert second is not None and second.cpu_percent is not None and second.cpu_percent > 0


def test_unreadable_files_mean_ask_the_engine(v1, tmp_path):
    (tmp_path / "memory.usage_in_bytes").unlink()
    reader, sample = _sample(v1)
    assert sample is None and not reader.remembers("c1")


def test_small_readers(tmp_path):
    (tmp_path / "max").write_text("max\n")
    (tmp_path / "junk").write_text("12abc\n")
    (tmp_path / "keys").write_text("usage_usec 7\ntotal_usage_usec 9\nlast 11")
    assert _read_int(str(tmp_path / "max")) == _UNLIMITED
    assert _read_int(str(tmp_path / "junk")) is None
    assert _read_int(str(tmp_path / "absent")) is None
    assert _read_key(str(tmp_path / "keys"), b"usage_usec") == 7
    assert _read_key(str(tmp_path / "keys"), b"last") == 11  # no newline at the end
    assert _read_key(str(tmp_path / "keys"), b"usage") is None
    assert _read_key(str(tmp_path / "absent"), b"usage_usec") is None
