"""bench/summary.py: the raw record to data/benchmarks.yml, the terminal table, --compare and the smoke check."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench import ROOT, summary
from bench.harness import endpoint_record
from bench.plan import ENDPOINTS, Settings
from macros import benchmarks
from macros.data import load

CATALOG = load(ROOT)
SCHEMA = benchmarks.load_schema(ROOT)
FRAMEWORK = CATALOG.frameworks[0]["id"]
SETTINGS = Settings(rounds=2, slice_seconds=1, warmup_seconds=0, workers=2, io_levels=(16, 256))


def report(requests: int = 100, **changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "requests": requests,
        "duration_us": 1_000_000,
        "bytes": 1,
        "non_2xx": 0,
        "statuses": {},
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
        "latency_us": {"p50": 1000, "p90": 2000, "p99": 3000, "max": 4000, "mean": 1500.0},
    }
    out.update(changes)
    return out


def a_slice(config: str, endpoint: str, round_number: int, connections: int = 16, **changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "round": round_number,
        "configuration": config,
        "endpoint": endpoint,
        "connections": connections,
        "wrk": report(),
        "server_cpu_seconds": 0.5,
        "wrk_cpu_seconds": 0.1,
        "upstream_cpu_seconds": 0.05,
        "machine_busy_seconds": 0.7,
        "machine_capacity_seconds": 2.0,
        "rss_bytes": 50 * 2**20,
        "peak_rss_bytes": 60 * 2**20,
        "lost": None,
        "disturbed": [],
    }
    out.update(changes)
    return out


def configuration(config: str, endpoints: list[str], **changes: Any) -> dict[str, Any]:
    out = {
        "id": config,
        "framework": FRAMEWORK,
        "server": "gunicorn",
        "worker_class": "sync",
        "workers": 2,
        "threads": 1,
        "orm": "raw",
        "view": "sync",
        "default": True,
        "endpoints": endpoints,
        "argv": ["python", "-m", "gunicorn"],
        "env": {},
    }
    return out | changes


def raw_run() -> dict[str, Any]:
    """Two configurations: `one` on health and upstream at two levels, `two` on upstream only; two rounds."""
    one, two = f"{FRAMEWORK}-one", f"{FRAMEWORK}-two"
    health, upstream = ENDPOINTS[0], next(e for e in ENDPOINTS if e.io)
    slices = [a_slice(one, "health", n) for n in (1, 2)]
    for config in (one, two):
        for connections in (16, 256):
            slices += [a_slice(config, "upstream", n, connections) for n in (1, 2)]
    return {
        "date": "2026-12-01",
        "started": "2026-12-01T10:00:00Z",
        "duration_seconds": 60.0,
        "command": "python -m bench",
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "memory_gib": 24.0,
            "virtual_machine": True,
            "os": "Test OS",
            "python": "CPython 3.13.0",
            "interpreter": ".venv-newest/bin/python",
        },
        "load_average": {"start": [0.1, 0.2, 0.3], "end": [0.4, 0.5, 0.6]},
        "packages": {"gunicorn": "27.0.1"},
        "load_generator": {
            "tool": "wrk",
            "version": "4.1.0",
            "threads": 1,
            "connections": 16,
            "timeout_seconds": 2,
            "warmup_seconds": 0,
            "slice_seconds": 1,
            "rounds": 2,
            "order": "interleaved",
        },
        "upstream": {"delay_ms": 50.0, "loop": "uvloop", "bind": "127.0.0.1"},
        "servers": {"workers": 2, "bind": "127.0.0.1"},
        "settings": {
            "repeat_above_percent": 10.0,
            "repeat_budget_seconds": 0.0,
            "load_generator_above_percent": 40.0,
            "upstream_above_percent": 25.0,
        },
        "endpoints": [endpoint_record(health, SETTINGS), endpoint_record(upstream, SETTINGS)],
        "configurations": [
            configuration(one, ["health", "upstream"]),
            configuration(two, ["upstream"], view="async", default=False, note="Runs only upstream."),
        ],
        "not_measured": {},
        "start_failures": {},
        "slices": slices,
        "repeated": [],
    }


def published(raw: dict[str, Any]) -> benchmarks.Benchmarks:
    return benchmarks.validate_text(summary.to_yaml(summary.summarise(raw, "raw.json")), SCHEMA)


def test_a_clean_run_becomes_one_result_per_configuration_endpoint_and_level() -> None:
    run = published(raw_run())
    one, two = f"{FRAMEWORK}-one", f"{FRAMEWORK}-two"
    assert run.raw["failures"] == [] and len(run.raw["results"]) == 1 + 2 * 2
    result = run.result(one, "upstream", 256)
    assert result["requests_per_second"] == [100.0, 100.0] and result["requests_per_cpu_second"] == [200.0, 200.0]
    assert result["share_of_bound"] == [round(100 / 5120, 4)] * 2 and result["timeouts"] == [0, 0]
    assert result["peak_rss_mib"] == [60.0, 60.0] and result["rss_mib"] == [50.0, 50.0]
    assert result["upstream_cpu_seconds"] == [0.05, 0.05] and result["disturbed"] == 0
    health = run.result(one, "health")
    assert "share_of_bound" not in health and "timeouts" not in health and health["connections"] == 16
    assert run.result(two, "health") is None and run.configuration(two)["note"] == "Runs only upstream."
    assert run.levels("upstream") == [16, 256] and run.bound("upstream", 16) == 320.0
    assert run.raw["upstream"]["delay_ms"] == 50.0
    assert run.raw["disturbance"]["other_cpu_percent"] == pytest.approx(2.5)  # (0.7 - 0.5 - 0.1 - 0.05) / 2
    assert run.raw["disturbance"]["upstream_cpu_percent"] == pytest.approx(2.5)


def test_timeouts_at_an_io_level_are_a_result_and_other_errors_a_failure() -> None:
    raw = raw_run()
    timed_out = next(s for s in raw["slices"] if s["endpoint"] == "upstream" and s["connections"] == 256)
    timed_out["wrk"]["errors"]["timeout"] = 7
    run = published(raw)
    assert run.raw["failures"] == []
    assert sum(run.result(timed_out["configuration"], "upstream", 256)["timeouts"]) == 7
    raw["slices"][0]["wrk"]["errors"]["timeout"] = 2  # health: a timeout is an error there
    raw["slices"][1]["wrk"] |= {"non_2xx": 5, "statuses": {"503": 4, "409": 1}}
    (failure,) = published(raw).raw["failures"]
    assert failure["endpoint"] == "health" and failure["statuses"] == {"409": 1, "503": 4}
    assert "wrk saw 5 non-2xx responses and 2 socket errors" in failure["reason"]
    assert not set(failure) & {"requests_per_second", "requests"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"lost": "the server's main process exited (code 1)"}, "the server was lost in round 2"),
        ({"wrk": report(requests=0)}, "a round got no response at all"),
        ({"server_cpu_seconds": 0.0}, "no server CPU time was recorded in a round"),
    ],
)
def test_a_lost_server_or_an_empty_round_is_a_failure(change: dict[str, Any], reason: str) -> None:
    raw = raw_run()
    raw["slices"][1].update(change)
    (failure,) = published(raw).raw["failures"]
    assert reason in failure["reason"] and failure["endpoint"] == "health"


def test_slices_measured_again_are_counted_and_their_errors_still_fail() -> None:
    raw = raw_run()
    disturbed = copy.deepcopy(raw["slices"][1])
    disturbed["machine_busy_seconds"] = 2.0
    raw["repeated"] = [disturbed]
    assert published(raw).raw["disturbance"]["slices_repeated"] == 1 and not published(raw).raw["failures"]
    disturbed["wrk"]["errors"]["read"] = 1
    assert "1 socket errors" in published(raw).raw["failures"][0]["reason"]


def test_disturbed_slices_are_counted_per_result() -> None:
    raw = raw_run()
    raw["slices"][0]["disturbed"] = ["load generator 45%"]
    raw["slices"][0]["wrk_cpu_seconds"] = 0.9
    run = published(raw)
    assert run.result(f"{FRAMEWORK}-one", "health")["disturbed"] == 1
    assert run.raw["disturbance"]["slices_load_generator_heavy"] == 1


def test_a_configuration_not_measured_has_no_outcome_and_says_why() -> None:
    raw = raw_run()
    raw["configurations"].append(configuration(f"{FRAMEWORK}-gevent", ["health", "upstream"], worker_class="gevent"))
    raw["not_measured"] = {f"{FRAMEWORK}-gevent": "the gevent worker class needs the `gevent` package"}
    run = published(raw)
    assert run.configuration(f"{FRAMEWORK}-gevent")["not_measured"].startswith("the gevent worker class")
    assert not [r for r in run.raw["results"] + run.raw["failures"] if r["configuration"].endswith("-gevent")]
    assert "gevent: not measured" in " ".join(summary.smoke_problems(run, raw))


def test_every_committed_raw_run_still_summarises_those_from_before_the_workloads_as_they_were() -> None:
    before = since = 0
    for path in sorted((ROOT / "data" / "benchmarks" / "raw").glob("*.json")):
        recorded = json.loads(path.read_text())
        run = summary.load_raw(path)
        assert run.raw["results"] and summary.table(run)
        if "upstream" in recorded:  # recorded with the workloads and their levels
            assert {"upstream", "cpu", "write"} <= {e["id"] for e in run.endpoints}
            assert all("connections" in r for r in run.raw["results"])
            since += 1
        else:
            assert "upstream" not in run.raw and all("connections" not in r for r in run.raw["results"])
            before += 1
    assert before and since, "the committed runs include both kinds"


def test_the_yaml_writes_a_shared_object_out_in_full() -> None:
    data = summary.summarise(raw_run(), "raw.json")
    data["configurations"][1]["argv"] = data["configurations"][0]["argv"]
    text = summary.to_yaml(data)
    assert not [e for e in yaml.parse(text) if isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None)]
    assert text.startswith("# yaml-language-server: $schema=benchmarks.schema.json\n")


def test_the_table_shows_each_level_with_its_bound_and_timeouts() -> None:
    text = summary.table(published(raw_run()))
    assert "GET /api/upstream/{view}, 256 connections (2 rounds x 1 s), bound 5,120 req/s" in text
    assert "timeouts" in text and "The upstream used 2.5% of the CPU" in text


def write(tmp_path: Path, name: str, raw: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(raw))
    return path


def test_compare_sets_the_ratios_side_by_side_on_the_cells_both_runs_have(tmp_path: Path) -> None:
    first = raw_run()
    second = copy.deepcopy(first)
    for item in second["slices"]:
        if item["configuration"].endswith("-two") and item["connections"] == 256:
            item["wrk"]["requests"] = 115
    a, b = (summary.load_raw(write(tmp_path, n, r)) for n, r in (("a.json", first), ("b.json", second)))
    text, largest = summary.compare(a, b, ["a.json", "b.json"])
    assert largest == pytest.approx(0.15)
    assert re.search(rf"^upstream +256 requests_per_second +{FRAMEWORK}-two .*\+15\.0%$", text, re.M), text
    same, none = summary.compare(a, a, ["a.json", "a.json"])
    assert none == 0.0 and "largest difference 0.0%" in same
    # A rerun of one workload compares with that workload of the full run.
    partial = copy.deepcopy(first)
    partial["endpoints"] = [e for e in partial["endpoints"] if e["id"] == "upstream"]
    partial["slices"] = [s for s in partial["slices"] if s["endpoint"] == "upstream"]
    for item in partial["configurations"]:
        item["endpoints"] = ["upstream"]
    text, _ = summary.compare(a, summary.load_raw(write(tmp_path, "c.json", partial)), ["a", "c"])
    assert "health" not in text.split("\n", 3)[3] and "upstream" in text


def test_the_smoke_check_names_failures_and_processes_left_running() -> None:
    raw = raw_run()
    run = published(raw)
    assert summary.smoke_problems(run, raw) == []
    raw["left_running"] = {"1234": [1234, 1240]}
    assert summary.smoke_problems(run, raw) == ["session 1234: processes [1234, 1240] still running"]
