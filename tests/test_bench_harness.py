"""bench/harness.py: what a run records of each endpoint and configuration, when a slice is disturbed, its progress."""

from __future__ import annotations

import io
from pathlib import Path

from bench import harness, plan, servers
from bench.plan import ENDPOINTS, FULL

RUNNER = servers.load_runner()


def test_an_io_endpoint_records_its_levels_timeouts_and_bounds() -> None:
    upstream = harness.endpoint_record(next(e for e in ENDPOINTS if e.io), FULL)
    assert upstream["request"] == "/api/upstream/{view}" and upstream["timeouts_fail"] is False
    assert upstream["levels"] == [
        {"connections": c, "timeout_seconds": FULL.io_timeout(c), "bound_requests_per_second": FULL.bound(c)}
        for c in FULL.io_levels
    ]
    write = harness.endpoint_record(next(e for e in ENDPOINTS if e.id == "write"), FULL)
    assert write["method"] == "POST" and write["levels"] == [{"connections": 16, "timeout_seconds": 2}]


def test_a_configuration_record_carries_its_metadata_what_it_runs_and_its_command(tmp_path: Path) -> None:
    every = list(RUNNER.CONFIGS)
    chosen = plan.scope(
        every, {c: servers.signature(RUNNER, c) for c in every}, {c: RUNNER.CONFIGS[c].default for c in every}
    )
    variant = next(iter(chosen.notes))
    command = RUNNER.server_command(variant, port=4321, database_path=tmp_path / "db", workers=2)
    record = harness.configuration_record(
        RUNNER,
        variant,
        FULL,
        chosen,
        ["upstream"],
        command.argv,
        {**command.env, "UPSTREAM_URL": "http://127.0.0.1:99"},
        4321,
        99,
        tmp_path,
    )
    assert record["id"] == variant and record["endpoints"] == ["upstream"] and record["note"] == chosen.notes[variant]
    assert record["workers"] == FULL.workers and record["view"] == RUNNER.CONFIGS[variant].view
    assert record["argv"][0] == "python" and "127.0.0.1:$PORT" in record["argv"]
    assert record["env"]["UPSTREAM_URL"] == "http://127.0.0.1:$UPSTREAM_PORT"


def test_a_slice_is_disturbed_by_other_load_or_by_wrk_or_the_upstream_above_their_share() -> None:
    quiet = {"other_percent": 3.0, "load_generator_percent": 20.0, "upstream_percent": 5.0}
    assert harness.disturbances(quiet, FULL) == []
    loud = {"other_percent": 30.0, "load_generator_percent": 45.0, "upstream_percent": 26.0}
    assert harness.disturbances(loud, FULL) == ["other load 30%", "load generator 45%", "upstream 26%"]


def test_a_selection_is_partial_when_it_leaves_anything_out() -> None:
    assert not harness.Selection().partial
    assert harness.Selection(endpoints=("upstream",)).partial and harness.Selection(configurations=("x",)).partial


def test_progress_says_what_runs_and_how_long_is_left() -> None:
    stream = io.StringIO()
    progress = harness.Progress(total=3, expected_per_slice=2.0, stream=stream)
    progress.begin("round 1/1 health")
    progress.end("100 req/s", 2.0)
    progress.begin("round 1/1 user")
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[0:00 elapsed, ~0:06 left] round 1/1 health") and lines[0].endswith("100 req/s")
    assert lines[1].startswith("[0:00 elapsed, ~0:04 left] round 1/1 user")


def test_a_server_is_probed_on_every_endpoint_it_runs_the_write_with_a_post_that_creates() -> None:
    probes = harness.readiness_probes(["health", "upstream", "write"], "async")
    assert probes == [
        servers.Probe("/api/health"),
        servers.Probe("/api/upstream/async"),
        servers.Probe("/api/users", "POST", servers.WRITE_PROBE_BODY, 201),
    ]
    assert [p.path for p in harness.readiness_probes(["upstream"], "sync")] == ["/api/health", "/api/upstream/sync"]
