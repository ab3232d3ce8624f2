"""Stopping a child that runs in a session of its own: the servers under test and the upstream."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop_group(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM to the process group the child leads, SIGKILL after `timeout` seconds; wait for the child.

    Only that group is signalled: the child was started with `start_new_session=True`,
    so its pid is its group's id, and nothing else this machine runs is in it.
    """
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
