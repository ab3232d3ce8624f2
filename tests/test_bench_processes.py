"""bench/processes.py: a child's process group is stopped, politely first, by force when it must be."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.processes import stop_group

# A child in its own session that starts a grandchild in the same group, then waits.
FAMILY = (
    "import subprocess, sys, time; "
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
    "{ignore}"
    "print('READY', flush=True); time.sleep(60)"
)
IGNORE_TERM = "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); "


def start(code: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, start_new_session=True)
    assert process.stdout is not None and process.stdout.readline().strip() == b"READY"
    return process


def group_alive(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies count as gone)."""
    out = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True, check=True).stdout
    return any(int(p) == pgid and not s.startswith("Z") for p, s in (line.split() for line in out.splitlines()))


def test_sigterm_stops_the_child_and_the_rest_of_its_group() -> None:
    process = start(FAMILY.format(ignore=""))
    started = time.monotonic()
    with process:  # closes its stdout
        stop_group(process, timeout=5)
    assert process.returncode is not None and process.returncode < 0  # ended by a signal
    assert time.monotonic() - started < 5, "SIGTERM was enough: no wait for the timeout"
    deadline = time.monotonic() + 5
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(process.pid)


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout() -> None:
    process = start(FAMILY.format(ignore=IGNORE_TERM))
    started = time.monotonic()
    with process:
        stop_group(process, timeout=0.5)
    assert process.returncode == -9
    assert time.monotonic() - started >= 0.5
    deadline = time.monotonic() + 5
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(process.pid)


def test_a_child_that_has_ended_is_left_alone() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    process.wait(timeout=10)
    stop_group(process, timeout=0.1)  # its group no longer exists: no signal, no error
    assert process.returncode == 0
