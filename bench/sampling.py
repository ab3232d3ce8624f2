"""Readings of the machine: the processes of a session, CPU time, memory, and the machine's own facts.

Everything here reads /proc (Linux) and the standard library; nothing writes.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench import ROOT

CORES = len(os.sched_getaffinity(0))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Proc:
    """One process of a server's session, at one moment."""

    pid: int
    start_ticks: int  # with the pid, identifies a process even if the pid is reused
    cpu_ticks: int  # user + system
    rss_pages: int
    state: str


def _stat_fields(text: str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses."""
    return text[text.rindex(")") + 2 :].split()


def session_processes(session: int) -> dict[tuple[int, int], Proc]:
    """Every process whose session id is `session`, keyed by (pid, start time)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "stat").read_text()
        except OSError:  # it exited between the listing and the read
            continue
        fields = _stat_fields(text)
        if int(fields[3]) != session:
            continue
        proc = Proc(int(entry.name), int(fields[19]), int(fields[11]) + int(fields[12]), int(fields[21]), fields[0])
        found[(proc.pid, proc.start_ticks)] = proc
    return found


def sessions_alive(sessions: Iterable[int]) -> dict[int, list[int]]:
    """For each of these session ids that still has a process, the pids in it."""
    wanted = set(sessions)
    alive: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields(Path(entry.path, "stat").read_text())
        except OSError:
            continue
        if int(fields[3]) in wanted and fields[0] != "Z":
            alive.setdefault(int(fields[3]), []).append(int(entry.name))
    return alive


def rss_bytes(pids: Iterable[int]) -> int:
    """Resident memory of these processes, summed (pages shared between them count once per process)."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):  # it exited
            continue
    return total * PAGE_BYTES


class PeakRss:
    """The highest summed RSS of a set of processes over the samples taken."""

    def __init__(self, pids: Iterable[int]) -> None:
        self.pids = list(pids)
        self.peak = 0
        self.samples = 0

    def sample(self) -> None:
        """Read the processes' memory now and keep the highest sum."""
        self.peak = max(self.peak, rss_bytes(self.pids))
        self.samples += 1


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot; time stolen by a hypervisor counts as busy."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values)  # user nice system idle iowait irq softirq steal
    return total - idle, total


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children (here: the wrk runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def share_percent(record: Mapping[str, Any], key: str) -> float:
    """The share of the machine's CPU, during a slice, that `key` (a CPU-seconds reading) used."""
    capacity = float(record["machine_capacity_seconds"])
    return max(0.0, float(record.get(key) or 0.0)) / capacity * 100 if capacity > 0 else 0.0


def other_percent(record: Mapping[str, Any]) -> float:
    """The share of the machine's CPU, during a slice, used by anything but the loaded server, wrk and the upstream."""
    capacity = float(record["machine_capacity_seconds"])
    if capacity <= 0:
        return 0.0
    measured = record["server_cpu_seconds"] + record["wrk_cpu_seconds"] + (record.get("upstream_cpu_seconds") or 0.0)
    other = float(record["machine_busy_seconds"] - measured)
    return max(0.0, other) / capacity * 100


def wait_for_quiet(threshold_percent: float, limit_seconds: float) -> float:
    """Wait until half a second passes with the machine below the threshold, or the limit; the wait."""
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        busy_before, total_before = machine_ticks()
        time.sleep(0.5)
        busy_after, total_after = machine_ticks()
        if (
            total_after > total_before
            and (busy_after - busy_before) / (total_after - total_before) * 100 < threshold_percent
        ):
            break
    return time.monotonic() - started


# --- the machine's facts ---------------------------------------------------------------------


def machine_facts() -> dict[str, Any]:
    """CPU model, cores, memory, OS, Python and interpreter of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    flags = next((line for line in cpuinfo.splitlines() if line.startswith("flags")), "")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    os_release = {}
    if Path("/etc/os-release").exists():
        for line in Path("/etc/os-release").read_text().splitlines():
            key, _, value = line.partition("=")
            os_release[key] = value.strip('"')
    system = os_release.get("PRETTY_NAME", platform.system())
    return {
        "cpu": model or platform.processor() or "unknown",
        "cores": CORES,
        "memory_gib": round(memory_kib / 2**20, 1),
        "virtual_machine": " hypervisor" in flags,
        "os": f"{system}, {platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "interpreter": interpreter(),
    }


def interpreter(executable: str | None = None) -> str:
    """The python running the harness, and so every server: its path from the project root when it is inside it.

    `make bench` runs the harness with .venv-newest's python (scripts/newest_venv.py). The
    venv's own path is kept, not the interpreter its symlink leads to: the path names the
    venv, and so the lock it holds.
    """
    path = Path(os.path.abspath(executable or sys.executable))
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def direct_requirements(requirements: Path) -> list[str]:
    """The package names a requirements .in file pins, in its order."""
    names = []
    for line in requirements.read_text().splitlines():
        name = line.split("#", 1)[0].strip().split("==")[0].split("[")[0].strip()
        if name and not name.startswith("-"):
            names.append(name)
    return names


def package_versions(requirements: Path) -> dict[str, str]:
    """The installed version of every package a requirements .in file pins (its direct dependencies)."""
    versions = {}
    for name in direct_requirements(requirements):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not-installed"
    return versions


def wrk_version(wrk: str) -> str:
    """wrk's version, as `wrk -v` prints it."""
    result = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10)
    words = (result.stdout + result.stderr).split()
    return words[1] if len(words) > 1 and words[0] == "wrk" else "unknown"
