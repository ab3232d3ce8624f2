"""The load generator: one bounded wrk run per slice, its report read from the line its Lua script prints.

`report.lua` counts every response outside 200-299, by status (wrk itself counts only
400 and above), and prints one JSON line; `write.lua` adds a POST with a new email per
request to it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
PREFIX = "BENCH-JSON "


@dataclass(frozen=True)
class Load:
    """One wrk run: where, how long, how many connections, with which script."""

    url: str
    seconds: int
    connections: int
    timeout_seconds: int
    threads: int = 1
    script: str = "report.lua"
    # Arguments after `--`, which the script's init() reads: write.lua's email prefix.
    script_args: tuple[str, ...] = ()

    def argv(self, wrk: str) -> list[str]:
        """wrk's command line."""
        argv = [
            *(wrk, "-t", str(self.threads), "-c", str(self.connections), "-d", f"{self.seconds}s"),
            *("--timeout", f"{self.timeout_seconds}s", "-s", str(SCRIPTS / self.script), self.url),
        ]
        return [*argv, "--", *self.script_args] if self.script_args else argv


def run(wrk: str, load: Load, tick: Callable[[], None] | None = None, every: float = 0.25) -> dict[str, Any]:
    """Run wrk to its end, calling `tick` about every `every` seconds meanwhile; its report as a dict."""
    with subprocess.Popen(
        load.argv(wrk), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    ) as process:
        limit = load.seconds + 30
        waited = 0.0
        while True:
            try:
                stdout, stderr = process.communicate(timeout=every)
                break
            except subprocess.TimeoutExpired:
                waited += every
                if waited > limit:
                    process.kill()
                    stdout, stderr = process.communicate()
                    raise RuntimeError(f"wrk ran past {limit} s and was killed") from None
                if tick is not None:
                    tick()
    return parse(stdout, stderr)


def parse(stdout: str, stderr: str = "") -> dict[str, Any]:
    """The JSON line report.lua prints, or an error naming what wrk said instead."""
    for line in stdout.splitlines():
        if line.startswith(PREFIX):
            report: dict[str, Any] = json.loads(line.removeprefix(PREFIX))
            return report
    raise RuntimeError(f"wrk printed no report:\n{stdout[-800:]}\n{stderr[-800:]}")


def socket_errors(report: dict[str, Any], *, timeouts: bool = True) -> int:
    """wrk's connect, read and write errors, and its timeouts unless they are counted apart."""
    errors = report["errors"]
    return int(errors["connect"] + errors["read"] + errors["write"] + (errors["timeout"] if timeouts else 0))


def timeouts(report: dict[str, Any]) -> int:
    """wrk's timeouts: responses slower than --timeout, and connections still waiting past it."""
    return int(report["errors"]["timeout"])


def statuses(report: dict[str, Any]) -> dict[str, int]:
    """Responses outside 200-299 by status code (reports from before report.lua counted them give none)."""
    return {str(code): int(count) for code, count in sorted(report.get("statuses", {}).items())}


def rate(report: dict[str, Any]) -> float:
    """Responses per second of wrk's own run time."""
    return float(report["requests"]) / (report["duration_us"] / 1e6) if report["duration_us"] else 0.0


def describe_errors(reports: Sequence[dict[str, Any]], *, timeouts_fail: bool = True) -> str:
    """`3 non-2xx (409: 3), 2 socket errors` over some reports, or '' when there were none."""
    non_2xx = sum(r["non_2xx"] for r in reports)
    sockets = sum(socket_errors(r, timeouts=timeouts_fail) for r in reports)
    by_status: dict[str, int] = {}
    for report in reports:
        for code, count in statuses(report).items():
            by_status[code] = by_status.get(code, 0) + count
    parts = []
    if non_2xx:
        detail = ", ".join(f"{code}: {count}" for code, count in sorted(by_status.items()))
        parts.append(f"{non_2xx} non-2xx" + (f" ({detail})" if detail else ""))
    if sockets:
        parts.append(f"{sockets} socket errors")
    return ", ".join(parts)
