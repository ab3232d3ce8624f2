"""scripts/run_tests.py: every test, in two streams at once, each printed whole, failing when any command fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_script

runner = load_script("scripts/run_tests.py")
PY = sys.executable


def python(code: str) -> tuple[str, ...]:
    return (PY, "-c", textwrap.dedent(code))


def test_the_streams_run_every_test_once() -> None:
    """Each test file in one command, but a test that one command deselects and another names."""
    runs = [
        c[len(runner.PYTEST) :] for s in runner.STREAMS for c in s.commands if c[: len(runner.PYTEST)] == runner.PYTEST
    ]
    files: list[Path] = []
    named: list[str] = []
    deselected: list[str] = []
    for arguments in runs:
        paths = [a for a in arguments if not a.startswith("-")] or ["tests"]
        ignored = [ROOT / a.removeprefix("--ignore=") for a in arguments if a.startswith("--ignore=")]
        deselected += [a.removeprefix("--deselect=") for a in arguments if a.startswith("--deselect=")]
        named += [p for p in paths if "::" in p]
        for path in (ROOT / p for p in paths if "::" not in p):
            found = [path] if path.is_file() else sorted(path.rglob("test_*.py"))
            files += [f for f in found if not any(f == i or i in f.parents for i in ignored)]
    every = sorted((ROOT / "tests").rglob("test_*.py"))
    assert len(every) > 50
    assert sorted(files) == every  # each file once, none left out
    assert sorted(named) == sorted(deselected) and named  # a test moved to another stream runs there only
    for test in named:
        assert (ROOT / test.split("::")[0]).is_file() and test.split("::")[1] in (
            ROOT / test.split("::")[0]
        ).read_text()


def test_streams_run_side_by_side_each_printed_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flag = tmp_path / "second-started"
    # The first stream waits for a file the second writes: run one after the other, it would fail.
    waits = python(f"""
        import pathlib, sys, time
        for _ in range(600):
            if pathlib.Path({str(flag)!r}).exists():
                print("first saw the second"); sys.exit(0)
            time.sleep(0.05)
        sys.exit("the second stream never started")
    """)
    writes = python(f"import pathlib; pathlib.Path({str(flag)!r}).write_text('x'); print('second wrote')")
    streams = [
        runner.Stream("first", (waits, python("print('first, again')"))),
        runner.Stream("second", (writes,)),
    ]
    assert runner.main(streams) == 0
    out = capsys.readouterr().out
    assert "first saw the second" in out and "first, again" in out and "second wrote" in out
    first, second = out.index("==== first"), out.index("==== second")
    # Each stream's log comes whole under its own heading.
    assert ("first saw the second" in out[first:second]) == (first < second)
    assert "first: passed" in out and "second: passed" in out


def test_a_failing_command_stops_its_stream_and_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    never = tmp_path / "never"
    streams = [
        runner.Stream(
            "failing", (python("import sys; print('about to fail'); sys.exit(3)"), python(f"open({str(never)!r}, 'w')"))
        ),
        runner.Stream("passing", (python("print('fine')"),)),
    ]
    assert runner.main(streams) == 1
    out = capsys.readouterr().out
    assert "about to fail" in out and "fine" in out
    assert "failing: FAILED at" in out and "sys.exit(3)" in out and "passing: passed" in out
    assert not never.exists()  # the command after the failure did not run


def test_a_sigterm_stops_every_stream_with_what_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    # Each stream starts a grandchild that would outlive a plain kill of its parent.
    sleeper = python(f"""
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        with open({str(pids)!r}, "a") as f:
            f.write(f"{{os.getpid()}} {{child.pid}}\\n")
        time.sleep(120)
    """)
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.conftest import load_script\n"
        "r = load_script('scripts/run_tests.py')\n"
        f"sys.exit(r.main([r.Stream('a', ({sleeper!r},)), r.Stream('b', ({sleeper!r},))]))\n"
    )
    process = subprocess.Popen([PY, "-c", script], cwd=ROOT)
    try:
        for _ in range(400):
            if pids.exists() and len(pids.read_text().split()) == 4:
                break
            time.sleep(0.05)
        started = [int(p) for p in pids.read_text().split()]
        assert len(started) == 4
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
        for _ in range(200):
            alive = [p for p in started if _alive(p)]
            if not alive:
                break
            time.sleep(0.05)
        assert alive == []
    finally:
        if process.poll() is None:
            process.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A process that has exited but is not yet reaped is a zombie: gone for this purpose.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
