"""The load benchmark's small helpers (bench/load_bench.py): reading /proc/<pid>/stat, percentiles and
counting answered requests. No server is started and nothing is timed."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("load_bench", ROOT / "bench" / "load_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_bench = _bench()


def test_parse_stat_reads_parent_and_cpu_past_a_name_with_spaces_and_parentheses() -> None:
    # proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    #          utime stime cutime cstime priority ...
    line = "4242 (gunicorn: (worker) x) S 4200 4200 4200 0 -1 4194560 10 0 0 0 150 30 7 3 20 0 9 0 100 0\n"
    assert load_bench.parse_stat(line) == (4200, 150 + 30 + 7 + 3)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_parse_stat_on_this_process() -> None:
    ppid, ticks = load_bench.parse_stat(Path(f"/proc/{os.getpid()}/stat").read_text())
    assert ppid == os.getppid()
    assert ticks >= 0
    assert load_bench.tree_cpu(os.getpid()) >= ticks / os.sysconf("SC_CLK_TCK")


def test_pct_and_answered() -> None:
    assert load_bench.pct([3.0, 1.0, 2.0, 4.0], 0.5) == 3.0
    assert load_bench.pct([], 0.5) != load_bench.pct([], 0.5)  # nan
    data = {"list": [0.1, 0.2], "list:errors": [0.0, 0.0], "status 429:errors": [0.0], "status 0:errors": [0.0]}
    assert load_bench.answered(data) == 3  # two 200s and the 429; the failed connection was not answered
