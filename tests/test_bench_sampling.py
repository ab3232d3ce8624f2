"""bench/sampling.py: a session's processes, CPU time and memory, the machine's busy share, and its facts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import ROOT, sampling


def test_cpu_time_and_memory_are_read_for_a_whole_session() -> None:
    # Each of the two processes spins until it has used 0.4 s of CPU, however busy the machine.
    code = "import os, time\nos.fork()\nwhile time.process_time() < 0.4: pass\ntime.sleep(30)"
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while len(sampling.session_processes(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        cpu = 0.0
        while cpu < 0.75 and time.monotonic() < deadline:
            time.sleep(0.1)
            tree = sampling.session_processes(process.pid)
            cpu = sum(p.cpu_ticks for p in tree.values()) / sampling.CLOCK_TICKS
        assert len(tree) == 2, "the process and its forked child"
        assert 0.75 <= cpu < 1.5, "both used 0.4 s of CPU (give or take a tick), counted once each"
        assert all(p.rss_pages > 0 for p in tree.values())
        pids = [p.pid for p in tree.values()]
        assert sampling.rss_bytes(pids) > 0
        peak = sampling.PeakRss(pids)
        peak.sample()
        peak.sample()
        assert peak.samples == 2 and peak.peak >= sampling.rss_bytes(pids[:1]) > 0
        assert set(sampling.sessions_alive([process.pid])[process.pid]) == set(pids)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 5
    while sampling.sessions_alive([process.pid]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sampling.sessions_alive([process.pid]) == {}
    assert sampling.rss_bytes([process.pid]) == 0, "a process that is gone counts nothing"


def test_shares_of_the_machine_leave_out_the_server_wrk_and_the_upstream() -> None:
    record = {
        "machine_capacity_seconds": 4.0,
        "machine_busy_seconds": 3.0,
        "server_cpu_seconds": 1.5,
        "wrk_cpu_seconds": 0.5,
        "upstream_cpu_seconds": 0.2,
    }
    assert sampling.other_percent(record) == pytest.approx(20.0)
    assert sampling.share_percent(record, "wrk_cpu_seconds") == pytest.approx(12.5)
    assert sampling.other_percent({**record, "upstream_cpu_seconds": None}) == pytest.approx(25.0)
    assert sampling.other_percent({**record, "machine_capacity_seconds": 0}) == 0.0


def test_waiting_for_a_quiet_machine_is_bounded() -> None:
    assert sampling.wait_for_quiet(101.0, 5.0) < 1.0, "any machine is below 101% busy"
    assert 0.9 <= sampling.wait_for_quiet(0.0, 1.0) < 2.0, "no machine is below 0% busy: it waits out the limit"


def test_the_machine_facts_name_the_interpreter_from_the_project_root() -> None:
    facts = sampling.machine_facts()
    assert facts["cores"] == sampling.CORES and facts["memory_gib"] > 0 and facts["python"].startswith("CPython")
    assert sampling.interpreter(str(ROOT / ".venv-newest" / "bin" / "python")) == ".venv-newest/bin/python"
    assert sampling.interpreter("/usr/bin/python3") == "/usr/bin/python3"
    assert facts["interpreter"] == sampling.interpreter(sys.executable)


def test_package_versions_read_the_direct_pins(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.in"
    requirements.write_text("# a comment\n-c other.txt\nPyYAML==1.0  # why\nno-such-package-here==1.0\n")
    assert sampling.direct_requirements(requirements) == ["PyYAML", "no-such-package-here"]
    versions = sampling.package_versions(requirements)
    assert versions["no-such-package-here"] == "not-installed" and versions["PyYAML"][0].isdigit()
