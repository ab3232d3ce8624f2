"""What a run measures and in what order: the settings, the workloads, the cells and the expected duration.

A cell is one configuration on one endpoint at one number of connections. Every
round measures every cell once, in slices: per endpoint and level, each configuration
that runs it, the first moving by one each round, so slow drift on the machine spreads
over all configurations instead of landing on one.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bench.sampling import CORES


@dataclass(frozen=True)
class Settings:
    """How long and how hard to load each cell."""

    rounds: int
    slice_seconds: int  # wrk takes whole seconds
    warmup_seconds: int  # 0: no warm-up
    connections: int = 16  # every endpoint but the I/O-bound one
    threads: int = 1  # one wrk thread: the load generator shares the cores with the servers
    timeout_seconds: int = 2
    pause_seconds: float = 0.3  # lets the last slice's connections close before the next
    workers: int = CORES
    # The I/O-bound endpoint's levels of connections, and the upstream's delay.
    io_levels: tuple[int, ...] = (16, 64, 256)
    upstream_delay_ms: float = 50.0
    # A slice during which other processes used more than this share of the machine's CPU
    # is measured again, after waiting for a quiet moment, while the time budget lasts.
    repeat_above_percent: float = 10.0
    repeat_budget_seconds: float = 0.0
    # A slice during which wrk or the upstream used more than this share is disturbed:
    # counted, and kept, since measuring it again would find the same.
    load_generator_above_percent: float = 40.0
    upstream_above_percent: float = 25.0
    # True: only each app's default configuration runs every endpoint, the others only
    # the endpoints whose route depends on their view (the smoke run's scope).
    defaults_only: bool = False

    def io_timeout(self, connections: int) -> int:
        """wrk's timeout at one I/O level: above connections ÷ the slowest expected throughput, and never below the default.

        The slowest configuration serves one request per worker at a time, so workers ÷ delay
        requests per second: at 256 connections, 2 workers and 50 ms, a request waits about
        6.4 s. Half as much again covers the start of a slice, when every connection sends at once.
        """
        slowest = self.workers / (self.upstream_delay_ms / 1000)
        return max(self.timeout_seconds, math.ceil(1.5 * connections / slowest))

    def bound(self, connections: int) -> float:
        """The I/O-bound endpoint's physical limit at a level: connections ÷ delay, in requests per second."""
        return connections / (self.upstream_delay_ms / 1000)


# 97 cells (13 configurations x 4 endpoints at 16 connections, and 15 configurations on
# the I/O-bound endpoint at 3 levels) x 3 rounds of 2 s slices, after a 1 s warm-up per
# configuration and endpoint, and waiting out the queue a sync worker is left with after
# each I/O slice (`settle_seconds`, 8 s a round for each of 4 such configurations): about
# 16 minutes on 2 cores, under 17 with the whole repeat budget spent (`expected_seconds`).
# With 7 frameworks, 4 rounds would take 21 minutes, past the 20-minute budget; with 3
# frameworks (69 cells), three 4-round runs took 15:01, 14:46 and 14:04.
FULL = Settings(rounds=3, slice_seconds=2, warmup_seconds=1, repeat_budget_seconds=45.0)
# Each app's default configuration on every endpoint and every other configuration on the
# endpoint its view changes (the I/O-bound one), once, for a second, one worker per server
# and that endpoint at its lowest level only: a check that every server and workload
# answers without error, in under 90 s on a busy 2-core machine (with every configuration
# on every endpoint, 67 cells, it took 1:34 with 7 frameworks). Its numbers mean nothing.
SMOKE = Settings(
    rounds=1, slice_seconds=1, warmup_seconds=0, pause_seconds=0.1, workers=1, io_levels=(16,), defaults_only=True
)


@dataclass(frozen=True)
class Endpoint:
    """One request the benchmark sends, at one or more numbers of connections."""

    id: str
    label: str
    route: str
    request: str  # the path wrk requests; `{view}` is the configuration's view, sync or async
    measures: str
    method: str = "GET"
    script: str = "report.lua"  # the wrk script, in bench/
    io: bool = False  # loads the upstream service: the I/O levels, their timeouts and bound
    # Timeouts at this endpoint are a result (shown, counted), not a failure.
    timeouts_fail: bool = True

    @property
    def view_dependent(self) -> bool:
        """Whether the route depends on the configuration's view."""
        return "{view}" in self.request

    def path(self, view: str) -> str:
        """The exact path for a configuration with this view."""
        return self.request.replace("{view}", view)

    def levels(self, settings: Settings) -> tuple[int, ...]:
        """The numbers of connections this endpoint is measured at."""
        return settings.io_levels if self.io else (settings.connections,)

    def timeout(self, settings: Settings, connections: int) -> int:
        """wrk's --timeout for this endpoint at a level."""
        return settings.io_timeout(connections) if self.io else settings.timeout_seconds


ENDPOINTS = (
    Endpoint(
        "health",
        "Framework overhead",
        "GET /api/health",
        "/api/health",
        "A small JSON answer with no database: routing, the framework and the server alone.",
    ),
    Endpoint(
        "user",
        "Read one user",
        "GET /api/users/{id}",
        "/api/users/3",
        "One SQLite row, read through a new connection and returned as JSON: a small real request.",
    ),
    Endpoint(
        "upstream",
        "Call an upstream service",
        "GET /api/upstream/{view}",
        "/api/upstream/{view}",
        "The handler calls an HTTP service on 127.0.0.1 that answers after a fixed delay, and returns "
        "its JSON: I/O-bound work, where a worker either waits or serves other requests meanwhile.",
        io=True,
        timeouts_fail=False,
    ),
    Endpoint(
        "cpu",
        "Pure-Python work",
        "GET /api/cpu",
        "/api/cpu",
        "The same fixed loop of Python arithmetic in every app, a few milliseconds per request: CPU-bound work.",
    ),
    Endpoint(
        "write",
        "Create a user",
        "POST /api/users",
        "/api/users",
        "One INSERT per request, each with an email new to the database (a 409 would mean two "
        "requests shared one); a 503, the answer when a write waits out the lock timeout, is an error.",
        method="POST",
        script="write.lua",
    ),
)
ENDPOINT_IDS = tuple(e.id for e in ENDPOINTS)


@dataclass(frozen=True)
class Cell:
    """One configuration on one endpoint at one number of connections."""

    configuration: str
    endpoint: Endpoint
    connections: int


@dataclass(frozen=True)
class Scope:
    """Which endpoints each configuration runs, and why a configuration runs fewer than all."""

    endpoints: dict[str, tuple[str, ...]]
    notes: dict[str, str] = field(default_factory=dict)


def scope(
    configurations: Sequence[str],
    signatures: Mapping[str, object],
    defaults: Mapping[str, bool],
    endpoints: Sequence[Endpoint] = ENDPOINTS,
    defaults_only: bool = False,
) -> Scope:
    """Every configuration runs every endpoint, except one that only changes the view of another.

    Two configurations with the same signature (app and server command line) differ only
    in the view they load; their other endpoints would be the same request to the same
    server, measured twice. The default one of such a group (else its first) runs every
    endpoint, the others only the endpoints whose route depends on the view.
    With `defaults_only` (the smoke run), only the apps' default configurations run
    every endpoint; the others run the view-dependent ones.
    """
    groups: dict[object, list[str]] = {}
    for config in configurations:
        groups.setdefault(signatures[config], []).append(config)
    chosen: dict[str, tuple[str, ...]] = {}
    notes: dict[str, str] = {}
    every = tuple(e.id for e in endpoints)
    varying = tuple(e.id for e in endpoints if e.view_dependent)
    others = [e.id for e in endpoints if not e.view_dependent]
    for members in groups.values():
        full = next((c for c in members if defaults.get(c)), members[0])
        for config in members:
            if config == full and (defaults.get(config) or not defaults_only):
                chosen[config] = every
                continue
            chosen[config] = varying
            if config == full:
                notes[config] = (
                    f"Runs only {', '.join(varying)} in this short run: its other endpoints "
                    f"({', '.join(others)}) run in the full one."
                )
            else:
                notes[config] = (
                    f"Runs only {', '.join(varying)}: its other endpoints ({', '.join(others)}) are "
                    f"{full}'s, the same views under the same server command."
                )
    return Scope({c: chosen[c] for c in configurations}, notes)


def cells(
    configurations: Sequence[str],
    chosen: Scope,
    settings: Settings,
    endpoints: Sequence[Endpoint] = ENDPOINTS,
) -> list[Cell]:
    """Every cell of a run, by endpoint, then level, then configuration."""
    return [
        Cell(config, endpoint, level)
        for endpoint in endpoints
        for level in endpoint.levels(settings)
        for config in configurations
        if endpoint.id in chosen.endpoints[config]
    ]


def order(all_cells: Sequence[Cell], rounds: int) -> Iterator[tuple[int, Cell]]:
    """Every slice in order: per round, per endpoint and level, each configuration once, the first moving by one each round."""
    groups: dict[tuple[str, int], list[Cell]] = {}
    for cell in all_cells:
        groups.setdefault((cell.endpoint.id, cell.connections), []).append(cell)
    for round_index in range(rounds):
        for group in groups.values():
            shift = round_index % len(group)
            for cell in [*group[shift:], *group[:shift]]:
                yield round_index + 1, cell


def warmups(all_cells: Sequence[Cell]) -> list[Cell]:
    """One warm-up per configuration and endpoint, at the endpoint's lowest level.

    The lowest: a warm-up at a level where a synchronous worker falls behind would leave
    it answering abandoned requests into the first slices.
    """
    seen: dict[tuple[str, str], Cell] = {}
    for cell in all_cells:
        key = (cell.configuration, cell.endpoint.id)
        if key not in seen or cell.connections < seen[key].connections:
            seen[key] = cell
    return list(seen.values())


# Measured on this project's 2-core machine (`make bench-smoke` prints what it took):
# starting and readying the servers, which start at once, per worker process (15 servers
# of 1 worker took 12.7 s; 11 of 2 workers, 8 to 28 s), and what a slice costs besides
# its own seconds (wrk's start, reading /proc before and after).
STARTUP_SECONDS = 0.9
SLICE_OVERHEAD_SECONDS = 0.25


def settle_seconds(settings: Settings, cell: Cell) -> float:
    """How long a server that serves one request per worker at a time takes to finish what a slice of this cell left queued.

    At the end of a slice every connection has a request outstanding; such a server
    serves workers ÷ delay of them per second on the I/O-bound endpoint. Elsewhere, and
    for the servers that keep up, the queue is gone in well under a second.
    """
    if not cell.endpoint.io:
        return 0.0
    return cell.connections * (settings.upstream_delay_ms / 1000) / settings.workers


def expected_seconds(
    settings: Settings, all_cells: Sequence[Cell], servers: int, serial: Collection[str] = ()
) -> tuple[float, float]:
    """(expected, at most) wall-clock seconds of a run: the latter with the whole repeat budget spent.

    `serial`: the configurations that serve one request per worker at a time, whose
    queue after an I/O slice the harness waits out (`settle_seconds`).
    """
    warm = (
        len(warmups(all_cells)) * (settings.warmup_seconds + SLICE_OVERHEAD_SECONDS) if settings.warmup_seconds else 0
    )
    per_slice = settings.slice_seconds + settings.pause_seconds + SLICE_OVERHEAD_SECONDS
    settling = sum(settle_seconds(settings, c) for c in all_cells if c.configuration in serial)
    expected = (
        servers * settings.workers * STARTUP_SECONDS + warm + settings.rounds * (len(all_cells) * per_slice + settling)
    )
    return expected, expected + settings.repeat_budget_seconds


def clock(seconds: float) -> str:
    """`12:05` for 725 seconds."""
    minutes, rest = divmod(max(0, round(seconds)), 60)
    return f"{minutes}:{rest:02d}"
