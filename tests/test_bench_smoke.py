"""`python -m bench --smoke`: every configuration and workload answers, and no process is left behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import INSTALL_WRK
from bench.plan import ENDPOINT_IDS
from bench.sampling import sessions_alive
from bench.servers import load_runner
from macros import benchmarks as bench
from tests.benchmark_samples import (
    FILE,
    SCHEMA,
)
from tests.conftest import ROOT, load_script

# --- smoke mode ---------------------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def bench_python() -> str:
    """What `make bench` runs the harness with: .venv-newest's python, which `make test` installs first."""
    newest = load_script("scripts/newest_venv.py")
    if (newest.VENV / newest.STAMP).is_file():
        return str(newest.venv_python())
    if in_ci():
        pytest.fail(f"{newest.VENV.name} is not installed; make test installs it before this run")
    return sys.executable  # no Python 3.12+ here: the harness on this venv is still worth a smoke run


def test_smoke_mode_covers_every_configuration_and_workload_and_leaves_no_process(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        message = f"wrk is not installed: {INSTALL_WRK} (make test installs it as root)"
        pytest.fail(message) if in_ci() else pytest.skip(message)
    python = bench_python()
    output = tmp_path / "benchmarks.yml"
    published = ROOT / FILE
    before = published.stat().st_mtime_ns if published.exists() else None
    # Its 90-second budget is measured by `make bench-smoke`, which prints what the run took
    # against its estimate; this test runs beside others, so it asserts no time.
    result = subprocess.run(
        [python, "-m", "bench", "--smoke", "--output", str(output), "--raw-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    run = bench.validate_text(output.read_text(), SCHEMA)
    assert run.raw["failures"] == []
    assert ROOT / run.raw["machine"]["interpreter"] == Path(python), "the file names the python every server ran"
    configurations = load_runner().CONFIGS
    assert [c["id"] for c in run.configurations] == list(configurations)
    assert not [c["id"] for c in run.configurations if "not_measured" in c]
    measured = set()
    for configuration in run.configurations:
        for endpoint in configuration["endpoints"]:
            measured.add(endpoint)
            for connections in run.levels(endpoint):
                outcome = run.result(configuration["id"], endpoint, connections)
                assert outcome is not None, (configuration["id"], endpoint, connections)
                assert min(outcome["requests"]) > 0
                assert outcome["non_2xx"] == 0 and outcome["socket_errors"] == 0
    assert measured == set(ENDPOINT_IDS), "every workload"
    assert (published.stat().st_mtime_ns if published.exists() else None) == before, "smoke mode never writes data/"
    raw = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert all(s["wrk"]["requests"] > 0 for s in raw["slices"])
    groups = raw["process_groups"]
    sessions = [groups["upstream"], *groups["servers"].values()]
    assert groups["upstream"] and len(groups["servers"]) == len(configurations)
    assert sessions_alive(sessions) == {}, "every server and the upstream stopped, with all their processes"
