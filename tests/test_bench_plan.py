"""bench/plan.py: the settings, the workloads, which configuration runs what, the order of the slices, the duration."""

from __future__ import annotations

import pytest

from bench import plan, servers
from bench.plan import ENDPOINTS, FULL, SMOKE, Cell, Settings

RUNNER = servers.load_runner()
CONFIGS = list(RUNNER.CONFIGS)


def real_scope(defaults_only: bool = False) -> plan.Scope:
    return plan.scope(
        CONFIGS,
        {c: servers.signature(RUNNER, c) for c in CONFIGS},
        {c: RUNNER.CONFIGS[c].default for c in CONFIGS},
        defaults_only=defaults_only,
    )


def test_io_timeouts_exceed_connections_over_the_slowest_throughput_and_bounds_are_connections_over_delay() -> None:
    settings = Settings(rounds=1, slice_seconds=2, warmup_seconds=0, workers=2, upstream_delay_ms=50.0)
    # The slowest: 2 sync workers at 50 ms serve 40 requests/s; 256 connections wait 6.4 s.
    for connections in (16, 64, 256):
        assert settings.io_timeout(connections) > connections / 40
        assert settings.io_timeout(connections) >= settings.timeout_seconds
    assert [settings.io_timeout(c) for c in (16, 64, 256)] == [2, 3, 10]
    assert settings.bound(256) == pytest.approx(5120.0)
    upstream = next(e for e in ENDPOINTS if e.io)
    assert upstream.levels(settings) == (16, 64, 256) and not upstream.timeouts_fail
    assert upstream.path("async") == "/api/upstream/async" and upstream.view_dependent
    health = ENDPOINTS[0]
    assert health.levels(settings) == (16,) and health.timeout(settings, 16) == 2 and health.timeouts_fail


def test_the_full_run_measures_three_io_levels_or_more_and_every_workload() -> None:
    assert len(FULL.io_levels) >= 3 and FULL.workers == plan.CORES
    assert {e.id for e in ENDPOINTS} == {"health", "user", "upstream", "cpu", "write"}
    assert next(e for e in ENDPOINTS if e.id == "write").method == "POST"


def test_a_configuration_that_only_changes_the_view_runs_only_the_view_dependent_endpoints() -> None:
    signatures = {"a-sync": "A", "a-async": "A", "b": "B", "c-one": "C", "c-two": "C"}
    chosen = plan.scope(list(signatures), signatures, {"a-async": True})
    every = tuple(e.id for e in ENDPOINTS)
    assert chosen.endpoints == {
        "a-sync": ("upstream",),
        "a-async": every,  # the default of its group runs everything
        "b": every,
        "c-one": every,  # no default: the first
        "c-two": ("upstream",),
    }
    assert set(chosen.notes) == {"a-sync", "c-two"}
    assert "Runs only upstream" in chosen.notes["a-sync"] and "a-async's" in chosen.notes["a-sync"]


def test_the_real_configurations_run_every_workload_but_the_view_variants() -> None:
    chosen = real_scope()
    partial = {c for c, ids in chosen.endpoints.items() if ids != plan.ENDPOINT_IDS}
    assert partial == set(chosen.notes)
    for config in partial:
        assert chosen.endpoints[config] == ("upstream",)
        assert not RUNNER.CONFIGS[config].default
    assert {RUNNER.CONFIGS[c].app for c in partial} <= {
        RUNNER.CONFIGS[c].app for c in CONFIGS if RUNNER.CONFIGS[c].default
    }


def test_cells_cover_every_configuration_endpoint_and_level() -> None:
    chosen = real_scope()
    cells = plan.cells(CONFIGS, chosen, FULL)
    full = [c for c in CONFIGS if chosen.endpoints[c] == plan.ENDPOINT_IDS]
    assert len(cells) == len(full) * 4 + len(CONFIGS) * len(FULL.io_levels)
    assert len(set(cells)) == len(cells)
    assert {(c.configuration, c.connections) for c in cells if c.endpoint.io} == {
        (config, level) for config in CONFIGS for level in FULL.io_levels
    }


def test_slices_interleave_and_the_first_configuration_rotates_within_each_endpoint_and_level() -> None:
    endpoint = ENDPOINTS[0]
    cells = [Cell(c, endpoint, 16) for c in ("a", "b", "c")] + [Cell(c, ENDPOINTS[2], 64) for c in ("a", "c")]
    slices = list(plan.order(cells, 3))
    assert len(slices) == 5 * 3
    firsts = [[cell.configuration for r, cell in slices if r == n and cell.endpoint == endpoint] for n in (1, 2, 3)]
    assert firsts == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"]]
    io = [[cell.configuration for r, cell in slices if r == n and cell.connections == 64] for n in (1, 2, 3)]
    assert io == [["a", "c"], ["c", "a"], ["a", "c"]]


def test_warm_ups_are_one_per_configuration_and_endpoint_at_the_lowest_level() -> None:
    cells = plan.cells(CONFIGS, real_scope(), FULL)
    warm = plan.warmups(cells)
    assert len(warm) == len({(c.configuration, c.endpoint.id) for c in cells})
    assert all(c.connections == min(FULL.io_levels) for c in warm if c.endpoint.io)


def test_the_expected_durations_fit_the_budgets_on_2_cores() -> None:
    cells = plan.cells(CONFIGS, real_scope(), FULL)
    serial = [c for c in CONFIGS if RUNNER.CONFIGS[c].worker_class == "sync"]
    expected, at_most = plan.expected_seconds(FULL, cells, len(CONFIGS), serial)
    assert expected > plan.expected_seconds(FULL, cells, len(CONFIGS))[0], "waiting out sync queues takes time"
    assert at_most < 20 * 60, f"make bench: {plan.clock(at_most)}"
    assert at_most - expected == FULL.repeat_budget_seconds
    smoke_cells = plan.cells(CONFIGS, real_scope(SMOKE.defaults_only), SMOKE)
    smoke, _ = plan.expected_seconds(SMOKE, smoke_cells, len(CONFIGS), serial)
    assert smoke < 90, f"make bench-smoke: {plan.clock(smoke)}"
    assert {c.endpoint.id for c in smoke_cells} == set(plan.ENDPOINT_IDS), "the smoke run covers every workload"
    assert plan.clock(725) == "12:05"


def test_a_sync_worker_s_queue_after_an_io_slice_takes_connections_times_the_delay_over_the_workers() -> None:
    io = next(e for e in plan.ENDPOINTS if e.io)
    other = next(e for e in plan.ENDPOINTS if not e.io)
    assert plan.settle_seconds(FULL, plan.Cell("a", io, 256)) == 256 * 0.05 / FULL.workers
    assert plan.settle_seconds(FULL, plan.Cell("a", other, 16)) == 0.0


def test_the_smoke_run_gives_every_endpoint_to_each_apps_default_and_the_view_dependent_ones_to_the_others() -> None:
    chosen = real_scope(defaults_only=True)
    varying = tuple(e.id for e in ENDPOINTS if e.view_dependent)
    for config in CONFIGS:
        expected = plan.ENDPOINT_IDS if RUNNER.CONFIGS[config].default else varying
        assert chosen.endpoints[config] == expected, config
    assert set(chosen.notes) == {c for c in CONFIGS if not RUNNER.CONFIGS[c].default}
    assert "in this short run" in chosen.notes["flask-gthread"]
    assert "flask-gunicorn's" in chosen.notes["flask-async"]
    assert {RUNNER.CONFIGS[c].app for c in CONFIGS if chosen.endpoints[c] == plan.ENDPOINT_IDS} == set(RUNNER.APPS)
