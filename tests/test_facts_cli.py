"""`python -m facts check` and `refresh` (make check-facts, make refresh-facts) on a copy of the project.

The index is tests/index_recordings.py's server on 127.0.0.1, reached through
`--index-url`; the copy's data/releases.yml is written by `refresh` from one
recording set and checked against another.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from facts.__main__ import main
from tests.conftest import ROOT
from tests.index_recordings import RecordedIndex, closed_port, serve


@pytest.fixture(scope="module")
def recorded() -> Iterator[RecordedIndex]:
    """The recorded answers, served for the module's tests."""
    with serve() as index:
        yield index


def run(project: Path, command: str, url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run one command in-process; its exit status, stdout and stderr."""
    status = main([command, "--root", str(project), "--index-url", url])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows(out: str) -> dict[tuple[str, str], list[str]]:
    """The printed table by (framework, field): [data, index, status]."""
    table = out.split("\n\n", 1)[0].splitlines()
    starts = [i for i, c in enumerate(table[1]) if c == "-" and (i == 0 or table[1][i - 1] == " ")]
    found = {}
    for line in table[2:]:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        found[(cells[0], cells[1])] = cells[2:]
    return found


def releases(project: Path) -> dict[str, dict[str, object]]:
    """The copy's data/releases.yml entries."""
    return dict(yaml.safe_load((project / "data" / "releases.yml").read_text(encoding="utf-8"))["releases"])


def test_refresh_then_check_agrees(
    project_copy: Path, recorded: RecordedIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    (project_copy / "data" / "releases.yml").unlink()
    status, out, _ = run(project_copy, "refresh", recorded.endpoint("current"), capsys)
    assert status == 0 and "Wrote data/releases.yml." in out
    text = (project_copy / "data" / "releases.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=releases.schema.json\n#\n# Written by `make refresh-facts`")
    assert "&" not in text and "*" not in text
    assert releases(project_copy)["django"]["version"] == "6.1.3"

    status, out, err = run(project_copy, "check", recorded.endpoint("current"), capsys)
    assert status == 0, out + err
    table = rows(out)
    assert table[("Flask", "version")] == ["3.1.3", "3.1.3", "agrees"]
    assert table[("FastAPI", "uploaded (UTC)")] == ["2026-11-18", "2026-11-18", "agrees"]
    # Flask's wheel lists no Python versions: not stated, and not drift.
    assert table[("Flask", "Python classifiers")] == ["not stated", "not stated", "not stated"]
    assert "data/releases.yml agrees with the package index." in out

    status, out, _ = run(project_copy, "refresh", recorded.endpoint("current"), capsys)
    assert status == 0 and "data/releases.yml is already up to date." in out


def test_a_new_release_is_drift(
    project_copy: Path, recorded: RecordedIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    run(project_copy, "refresh", recorded.endpoint("current"), capsys)
    status, out, _ = run(project_copy, "check", recorded.endpoint("new-release"), capsys)
    assert status == 1
    table = rows(out)
    assert table[("Flask", "version")] == ["3.1.3", "3.2.0", "DRIFT"]
    assert table[("Flask", "Requires-Python")] == [">=3.9", ">=3.10", "DRIFT"]
    assert table[("Django", "version")] == ["6.1.3", "6.1.3", "agrees"]
    assert "differ from the package index: run `make refresh-facts`" in out
    # The examples pin Flask 3.1.3, which now lags.
    assert table[("Flask", "pin in examples/requirements.in")] == ["3.1.3", "3.2.0", "lags"]


@pytest.mark.parametrize("name", ["yanked", "pre-release"])
def test_a_yanked_or_pre_release_latest_is_no_drift(
    project_copy: Path, recorded: RecordedIndex, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    run(project_copy, "refresh", recorded.endpoint("current"), capsys)
    status, out, _ = run(project_copy, "check", recorded.endpoint(name), capsys)
    assert status == 0, out
    assert rows(out)[("Flask", "version")] == ["3.1.3", "3.1.3", "agrees"]


def test_a_missing_licence_expression_is_not_stated_not_drift(
    project_copy: Path, recorded: RecordedIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    run(project_copy, "refresh", recorded.endpoint("no-licence"), capsys)
    flask = releases(project_copy)["flask"]
    assert "licence_expression" not in flask
    assert flask["licence_classifiers"] == ["License :: OSI Approved :: BSD License"]
    status, out, _ = run(project_copy, "check", recorded.endpoint("no-licence"), capsys)
    assert status == 0, out
    table = rows(out)
    assert table[("Flask", "License-Expression")] == ["not stated", "not stated", "not stated"]
    assert table[("Flask", "licence classifiers")][2] == "agrees"


def test_a_missing_releases_file_fails_with_its_location(
    project_copy: Path, recorded: RecordedIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    (project_copy / "data" / "releases.yml").unlink()
    status, out, err = run(project_copy, "check", recorded.endpoint("current"), capsys)
    assert status == 1
    assert "data/releases.yml:1: (document)\n    found:    no such file" in err
    assert rows(out)[("Flask", "version")] == ["(no entry)", "3.1.3", "DRIFT"]


@pytest.mark.parametrize("command", ["check", "refresh"])
def test_an_unreachable_index_exits_2_with_one_line(
    project_copy: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    before = (project_copy / "data" / "releases.yml").read_bytes()
    status, out, err = run(project_copy, command, f"http://127.0.0.1:{closed_port()}/simple/", capsys)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"make {command}-facts: cannot reach the package index")
    assert (project_copy / "data" / "releases.yml").read_bytes() == before


def test_a_malformed_answer_exits_2_with_one_line(
    project_copy: Path, recorded: RecordedIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(project_copy, "check", recorded.endpoint("malformed"), capsys)
    assert status == 2
    assert err.strip().splitlines()[-1].startswith("make check-facts: the package index")
    assert "malformed answer for 'Flask'" in err


def test_the_command_line_prints_no_traceback(project_copy: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/simple/"
    result = subprocess.run(
        [sys.executable, "-m", "facts", "check", "--root", str(project_copy), "--index-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("make check-facts: cannot reach the package index")
