#!/usr/bin/env python3
"""Every test, in two streams at once, one per core: what `make test` runs once the venvs are set up.

    python scripts/run_tests.py

One pytest run kept less than one of the machine's two cores busy (the browser tests
wait on Chromium, the example tests on their servers): 19 minutes for 13 minutes of
CPU. So the suite runs as two streams side by side, each a list of commands run one
after another, in .venv but the last:

- the browser tests, then the bench smoke test;
- every other test, then tests/examples again in .venv-newest.

Four streams took longer (16 minutes against 15): the browser tests, slowed most by
sharing the cores, then finish last.

Each stream writes to its own log, printed whole when the stream ends, so the output of
one pytest run is never cut into the other's. Each stream runs in its own process group,
stopped if this script is interrupted. Exits 0 when every command passed, else 1; the
last lines say how long each stream took and which command failed.

Only the standard library: it runs on whichever python3 calls it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Stream:
    """Commands run one after another; the stream stops at the first that fails."""

    name: str
    commands: tuple[tuple[str, ...], ...]


PYTEST = (PYTHON, "-m", "pytest")
# The costliest single test outside tests/browser (about 70 s): it goes after the browser
# tests, so that the two streams take about as long.
SMOKE = "tests/test_bench_smoke.py::test_smoke_mode_covers_every_configuration_and_workload_and_leaves_no_process"
STREAMS = (
    Stream("browser tests, then the bench smoke test", ((*PYTEST, "tests/browser"), (*PYTEST, SMOKE))),
    Stream(
        "every other test, then the examples on .venv-newest",
        (
            (*PYTEST, "--ignore=tests/browser", f"--deselect={SMOKE}"),
            (sys.executable, "scripts/newest_venv.py", "test"),
        ),
    ),
)


@dataclass
class Running:
    """A stream under way: its log, the command running now, and how it went so far."""

    stream: Stream
    log: Path
    started: float = field(default_factory=time.monotonic)
    index: int = -1
    process: subprocess.Popen[bytes] | None = None
    failed: tuple[str, ...] | None = None
    seconds: float = 0.0

    def next(self) -> bool:
        """Start the stream's next command; False when there is none, or one failed."""
        if self.process is not None and self.process.returncode != 0:
            self.failed = self.stream.commands[self.index]
            return False
        self.index += 1
        if self.index >= len(self.stream.commands):
            return False
        with self.log.open("ab") as out:
            out.write(f"\n$ {' '.join(self.stream.commands[self.index])}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                self.stream.commands[self.index], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return True

    def stop(self) -> None:
        """Stop the command running now, and whatever it started, by its process group."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def run(streams: Sequence[Stream], logs: Path) -> list[Running]:
    """Run the streams side by side; print each one's log as it ends."""
    running = [Running(s, logs / f"stream-{i}.log") for i, s in enumerate(streams)]
    active = [r for r in running if r.next()]
    try:
        while active:
            time.sleep(POLL_SECONDS)
            for stream in list(active):
                assert stream.process is not None
                if stream.process.poll() is None or stream.next():
                    continue
                stream.seconds = time.monotonic() - stream.started
                active.remove(stream)
                print(f"==== {stream.stream.name} ({stream.seconds:.0f} s) ====", flush=True)
                sys.stdout.write(stream.log.read_text(encoding="utf-8", errors="replace"))
                sys.stdout.flush()
    finally:
        for stream in active:
            stream.stop()
    return running


def main(streams: Sequence[Stream] = STREAMS) -> int:
    """Run every stream; 0 when all passed."""
    # A SIGTERM (a CI time limit) unwinds like Ctrl+C does, through run()'s clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    with tempfile.TemporaryDirectory(prefix="tests-") as logs:
        done = run(streams, Path(logs))
    print()
    for stream in done:
        outcome = f"FAILED at `{' '.join(stream.failed)}`" if stream.failed else "passed"
        print(f"{stream.stream.name}: {outcome}, {stream.seconds:.0f} s")
    return 1 if any(s.failed for s in done) else 0


if __name__ == "__main__":
    sys.exit(main())
