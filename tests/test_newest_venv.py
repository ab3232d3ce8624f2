"""scripts/newest_venv.py: which Python it picks, what it does without one, and when it reinstalls .venv-newest.

The interpreters here are small shell scripts that answer the version question
the way Python would, on a PATH and a pyenv root made for each test; nothing is
installed.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_script

newest = load_script("scripts/newest_venv.py")


def fake_python(directory: Path, name: str, version: str | None) -> Path:
    """An executable that prints `cpython 3 13 1` as Python would for the version question; None: a failing shim."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if version is None:
        body = f'echo "pyenv: {name}: command not found" >&2\nexit 127\n'
    else:
        body = f"echo cpython {version.replace('.', ' ')}\n"
    path.write_text(f"#!/bin/sh\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, str]:
    """An environment with an empty PATH directory and an empty pyenv root, and nothing else."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "pyenv" / "versions").mkdir(parents=True)
    return {"PATH": str(tmp_path / "bin"), "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}


def test_the_newest_3_12_or_later_wins_wherever_it_is(tmp_path: Path, machine: dict[str, str]) -> None:
    fake_python(tmp_path / "bin", "python3.12", "3.12.9")
    fake_python(tmp_path / "bin", "python3.13", None)  # a pyenv shim for a version not selected
    fake_python(tmp_path / "pyenv" / "versions" / "3.13.1" / "bin", "python", "3.13.1")
    fake_python(tmp_path / "pyenv" / "versions" / "3.11.7" / "bin", "python", "3.11.7")
    python = newest.find(machine)
    assert python.path == str(tmp_path / "pyenv" / "versions" / "3.13.1" / "bin" / "python")
    assert (python.release, python.minor) == ("3.13.1", "3.13")


def test_what_setup_python_puts_on_path_is_found(tmp_path: Path, machine: dict[str, str]) -> None:
    """CI: python3.13 and python3.11 on PATH, python3 the older one, no pyenv."""
    fake_python(tmp_path / "bin", "python3.13", "3.13.5")
    fake_python(tmp_path / "bin", "python3", "3.11.14")
    assert newest.find(machine).path == str(tmp_path / "bin" / "python3.13")


def test_the_override_is_used_as_given_and_must_be_3_12_or_newer(tmp_path: Path, machine: dict[str, str]) -> None:
    fake_python(tmp_path / "bin", "python3.14", "3.14.0")
    fake_python(tmp_path / "bin", "mypython", "3.12.4")
    fake_python(tmp_path / "bin", "oldpython", "3.11.7")
    assert newest.find({**machine, "NEWEST_PYTHON": "mypython"}).release == "3.12.4"
    with pytest.raises(newest.NoPython, match=r"NEWEST_PYTHON=oldpython is Python 3\.11\.7; it must be 3\.12"):
        newest.find({**machine, "NEWEST_PYTHON": "oldpython"})
    with pytest.raises(newest.NoPython, match="NEWEST_PYTHON=nosuchpython does not run"):
        newest.find({**machine, "NEWEST_PYTHON": "nosuchpython"})


def test_with_no_python_3_12_it_says_where_it_looked(tmp_path: Path, machine: dict[str, str]) -> None:
    fake_python(tmp_path / "bin", "python3.12", None)
    fake_python(tmp_path / "pyenv" / "versions" / "3.11.7" / "bin", "python", "3.11.7")
    with pytest.raises(newest.NoPython) as caught:
        newest.find(machine)
    assert "no Python 3.12 or newer found" in str(caught.value)
    assert "python3.14, python3.13, python3.12 on PATH" in str(caught.value)
    assert str(tmp_path / "pyenv" / "versions") in str(caught.value)


@pytest.mark.parametrize("command", ["install", "test"])
def test_without_one_the_run_is_skipped_and_says_why_except_in_ci(
    machine: dict[str, str], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert newest.main([command], machine) == 0
    out = capsys.readouterr().out
    assert out.startswith("Skipping tests/examples on the newest releases (examples/requirements-newest.txt)")
    assert "no Python 3.12 or newer found" in out and "NEWEST_PYTHON" in out

    assert newest.main([command], {**machine, "CI": "true"}) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith(".venv-newest: no Python 3.12 or newer found")


def test_run_needs_a_python_even_outside_ci(machine: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert newest.main(["run", "-m", "bench"], machine) == 1
    assert "no Python 3.12 or newer found" in capsys.readouterr().err


def test_an_unknown_command_prints_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert newest.main(["frobnicate"], {}) == 2
    assert "scripts/newest_venv.py install" in capsys.readouterr().err


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The commands `install` runs, recorded instead of run; creating the venv makes its directory."""
    ran: list[list[str]] = []

    def record(argv: list[str]) -> None:
        ran.append(list(argv))
        if argv[1:3] == ["-m", "venv"]:
            (Path(argv[3]) / "bin").mkdir(parents=True)
            (Path(argv[3]) / "bin" / "python").touch()

    monkeypatch.setattr(newest, "run", record)
    return ran


def kinds(ran: list[list[str]]) -> list[str]:
    """Each recorded command, named by what it does."""
    names = {"venv": "create", "pip": "pip install", "pip-sync": "pip-sync"}
    return [names["venv" if "venv" in argv[:3] else "pip" if "pip" in argv[:3] else "pip-sync"] for argv in ran]


def test_the_venv_is_installed_once_then_again_when_the_lock_or_the_python_changes(
    tmp_path: Path, commands: list[list[str]]
) -> None:
    venv, lock = tmp_path / "venv", tmp_path / "requirements-newest.txt"
    lock.write_text("# This file is autogenerated by pip-compile with Python 3.13\nalpha==1.0\n", encoding="utf-8")
    python = newest.Python("/opt/python3.13", "cpython", (3, 13, 1))
    notes: list[str] = []

    assert newest.install(python, venv, lock, notes.append)
    assert kinds(commands) == ["create", "pip install", "pip-sync"]
    assert commands[1][-2:] == ["-r", str(lock)] and commands[2][-1] == str(lock)
    assert notes == []

    commands.clear()
    assert not newest.install(python, venv, lock, notes.append), "nothing changed: nothing to do"
    assert commands == []

    lock.write_text(lock.read_text(encoding="utf-8") + "beta==2.0\n", encoding="utf-8")
    assert newest.install(python, venv, lock, notes.append)
    assert kinds(commands) == ["pip install", "pip-sync"], "a new lock: the same venv, installed again"

    commands.clear()
    other = newest.Python("/opt/python3.14", "cpython", (3, 14, 0))
    assert newest.install(other, venv, lock, notes.append)
    assert kinds(commands) == ["create", "pip install", "pip-sync"], "another Python: a new venv"
    assert notes[0] == f"Recreating venv on Python 3.14.0 ({other.path})"
    assert "compiled for Python 3.13, and CI runs it there; installing it on 3.14.0" in notes[1]


def test_a_failed_install_is_tried_again_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    venv, lock = tmp_path / "venv", tmp_path / "lock.txt"
    lock.write_text("alpha==1.0\n", encoding="utf-8")
    python = newest.Python("/opt/python3.13", "cpython", (3, 13, 1))

    def fail_pip(argv: list[str]) -> None:
        if argv[1:3] == ["-m", "venv"]:
            (Path(argv[3]) / "bin").mkdir(parents=True)
            return
        raise SystemExit(1)

    monkeypatch.setattr(newest, "run", fail_pip)
    with pytest.raises(SystemExit):
        newest.install(python, venv, lock, lambda _: None)
    assert not (venv / newest.STAMP).exists()


def test_make_test_installs_the_newest_venv_first_and_runs_the_examples_in_it_last() -> None:
    """The bench smoke test in the main run uses .venv-newest, so it is installed before."""
    # Under `make test` itself, MAKEFLAGS and MAKELEVEL would make the inner make print its directory.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    lines = result.stdout.splitlines()
    # The setup, the newest venv's install among it, runs as one make (side by side), before the tests.
    setup = next(i for i, line in enumerate(lines) if line.endswith("-j3 test-setup"))
    assert any(line.endswith("scripts/newest_venv.py install") for line in lines[setup + 1 : -1])
    assert lines[-1].endswith("scripts/run_tests.py")
    prerequisites = re.search(r"^test-setup:(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert prerequisites is not None
    assert set(prerequisites[1].split()) == {"$(VENV)/.dev", "system-deps", "newest-venv"}
    # The runner's stream that runs tests/examples on .venv runs them on .venv-newest after.
    runner = load_script("scripts/run_tests.py")
    examples = next(s for s in runner.STREAMS if s.commands[-1][-2:] == ("scripts/newest_venv.py", "test"))
    assert examples.commands[0][3] == "--ignore=tests/browser" and len(examples.commands) == 2


def test_the_examples_run_in_the_venv_and_are_told_which_lock_they_run_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    python = newest.Python("/opt/python3.13", "cpython", (3, 13, 1))
    monkeypatch.setattr(newest, "find", lambda environ: python)
    monkeypatch.setattr(newest, "install", lambda found: found is python)
    calls: list[tuple[list[str], dict[str, str]]] = []

    def pytest_run(argv: list[str], cwd: Path, env: dict[str, str], check: bool) -> subprocess.CompletedProcess[str]:
        calls.append((argv, env))
        return subprocess.CompletedProcess(argv, 1)

    monkeypatch.setattr(newest.subprocess, "run", pytest_run)
    assert newest.main(["test", "-x"], {"PATH": "/usr/bin"}) == 1, "pytest's exit code"
    ((argv, env),) = calls
    assert argv == [str(ROOT / ".venv-newest" / "bin" / "python"), "-m", "pytest", "tests/examples", "-x"]
    assert env == {"PATH": "/usr/bin", "EXAMPLES_LOCK": "examples/requirements-newest.txt"}
    out = capsys.readouterr().out
    assert "tests/examples again: examples/requirements-newest.txt on Python 3.13.1, in .venv-newest" in out
    assert re.search(r"tests/examples on examples/requirements-newest.txt: took \d+ s", out)
