"""One run: start the upstream and every server, warm up, measure the interleaved slices, stop everything.

The result is the raw record: every slice with wrk's report and the /proc readings
around it, which `summary` turns into data/benchmarks.yml.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from bench import INSTALL_WRK, REQUIREMENTS, load, plan, sampling, servers
from bench.plan import ENDPOINTS, Cell, Endpoint, Settings
from bench.servers import Server
from bench.upstream import Upstream, event_loop_name

ORDER = (
    "each round measures every configuration once per endpoint and level, "
    "starting one configuration later than the round before"
)


@dataclass(frozen=True)
class Selection:
    """Which endpoints and configurations to run; None: all of them."""

    endpoints: tuple[str, ...] | None = None
    configurations: tuple[str, ...] | None = None

    @property
    def partial(self) -> bool:
        """Whether this leaves anything out."""
        return self.endpoints is not None or self.configurations is not None


@dataclass
class Progress:
    """Live progress on stderr: what runs now, time elapsed, time left."""

    total: int
    expected_per_slice: float
    stream: TextIO = sys.stderr
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    slice_cost: float = 0.0

    def begin(self, text: str) -> None:
        """Say what starts now, with the time spent and an estimate of the time left."""
        elapsed = time.monotonic() - self.started
        per_slice = self.slice_cost / self.done if self.done else self.expected_per_slice
        left = per_slice * (self.total - self.done)
        print(
            f"[{plan.clock(elapsed)} elapsed, ~{plan.clock(left)} left] {text} ", end="", file=self.stream, flush=True
        )

    def end(self, text: str, cost: float) -> None:
        """Finish the line begun with what it measured."""
        self.done += 1
        self.slice_cost += cost
        print(text, file=self.stream, flush=True)


def measure(wrk: str, server: Server, upstream: Upstream | None, work: load.Load) -> dict[str, Any]:
    """Load one server for one slice; wrk's report plus the CPU time of the server, wrk and the upstream, and the server's memory."""
    before = server.tree()
    peak = sampling.PeakRss(p.pid for p in before.values())
    upstream_before = upstream.cpu_ticks() if upstream else 0
    busy_before, total_before = sampling.machine_ticks()
    wrk_before = sampling.children_cpu_seconds()
    started = time.monotonic()
    report = load.run(wrk, work, tick=peak.sample)
    wall = time.monotonic() - started
    wrk_cpu = sampling.children_cpu_seconds() - wrk_before
    busy_after, total_after = sampling.machine_ticks()
    upstream_ticks = (upstream.cpu_ticks() - upstream_before) if upstream else 0
    after = server.tree()
    peak.sample()
    cpu_ticks = sum(p.cpu_ticks - (before[k].cpu_ticks if k in before else 0) for k, p in after.items())
    lost = None
    if not server.running():
        lost = f"the server's main process exited (code {server.process.returncode if server.process else '?'})"
    elif frozenset(after) != server.baseline:
        gone = sorted(k[0] for k in server.baseline - frozenset(after))
        new = sorted(k[0] for k in frozenset(after) - server.baseline)
        lost = f"the server's processes changed (exited: {gone or 'none'}, new: {new or 'none'})"
    elif any(p.state == "Z" for p in after.values()):
        lost = "a server process is a zombie"
    record: dict[str, Any] = {
        "wrk": report,
        "connections": work.connections,
        "timeout_seconds": work.timeout_seconds,
        "wall_seconds": round(wall, 3),
        "server_cpu_seconds": round(cpu_ticks / sampling.CLOCK_TICKS, 3),
        "wrk_cpu_seconds": round(wrk_cpu, 3),
        "upstream_cpu_seconds": round(upstream_ticks / sampling.CLOCK_TICKS, 3),
        "machine_busy_seconds": round((busy_after - busy_before) / sampling.CLOCK_TICKS, 3),
        "machine_capacity_seconds": round((total_after - total_before) / sampling.CLOCK_TICKS, 3),
        "rss_bytes": sum(p.rss_pages for p in after.values()) * sampling.PAGE_BYTES,
        "peak_rss_bytes": peak.peak,
        "rss_samples": peak.samples,
        "processes": len(after),
        "lost": lost,
    }
    record["other_percent"] = round(sampling.other_percent(record), 1)
    record["load_generator_percent"] = round(sampling.share_percent(record, "wrk_cpu_seconds"), 1)
    record["upstream_percent"] = round(sampling.share_percent(record, "upstream_cpu_seconds"), 1)
    return record


def disturbances(record: dict[str, Any], settings: Settings) -> list[str]:
    """Why a slice is disturbed, in words: other load, or wrk or the upstream above their share of the machine."""
    reasons = []
    if record["other_percent"] > settings.repeat_above_percent:
        reasons.append(f"other load {record['other_percent']:.0f}%")
    if record.get("load_generator_percent", 0.0) > settings.load_generator_above_percent:
        reasons.append(f"load generator {record['load_generator_percent']:.0f}%")
    if record.get("upstream_percent", 0.0) > settings.upstream_above_percent:
        reasons.append(f"upstream {record['upstream_percent']:.0f}%")
    return reasons


def configuration_record(
    runner: ModuleType,
    config: str,
    settings: Settings,
    chosen: plan.Scope,
    endpoints: Sequence[str],
    argv: Sequence[str],
    env: dict[str, str],
    port: int,
    upstream_port: int,
    directory: Path,
) -> dict[str, Any]:
    """The raw record of one configuration: what it is, what it ran, its command line."""
    record = servers.metadata(runner, config, settings.workers)
    record["endpoints"] = list(endpoints)
    if config in chosen.notes:
        record["note"] = chosen.notes[config]
    record["argv"] = servers.public_argv(argv, port, directory)
    record["env"] = servers.public_env(env, directory, upstream_port)
    return record


def run(
    settings: Settings, command: str, selection: Selection = Selection(), log: TextIO = sys.stderr
) -> dict[str, Any]:
    """Start the upstream and every server, warm up, measure the interleaved slices, stop everything; the raw record."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(f"wrk is not installed. Install it with:  {INSTALL_WRK}")
    runner = servers.load_runner()
    every = list(runner.CONFIGS)
    chosen = plan.scope(
        every,
        {c: servers.signature(runner, c) for c in every},
        {c: runner.CONFIGS[c].default for c in every},
        defaults_only=settings.defaults_only,
    )
    endpoints = [e for e in ENDPOINTS if selection.endpoints is None or e.id in selection.endpoints]
    wanted = {e.id for e in endpoints}
    runs = {
        c: tuple(e for e in chosen.endpoints[c] if e in wanted)
        for c in every
        if selection.configurations is None or c in selection.configurations
    }
    configs = [c for c, ids in runs.items() if ids]
    not_measured = {}
    for config in configs:
        spec = runner.CONFIGS[config]
        missing = servers.missing_module(spec.server, spec.worker_class)
        if missing:
            not_measured[config] = (
                f"the {spec.worker_class} worker class needs the `{missing}` package, which "
                f"{sampling.interpreter()} cannot import"
            )
    live = [c for c in configs if c not in not_measured]
    all_cells = plan.cells(live, plan.Scope({c: runs[c] for c in live}), settings, endpoints)
    serial = [c for c in live if runner.CONFIGS[c].worker_class == "sync"]
    expected, at_most = plan.expected_seconds(settings, all_cells, len(live), serial)
    print(
        f"Plan: {len(live)} configurations, {len(all_cells)} cells x {settings.rounds} round(s) of "
        f"{settings.slice_seconds} s slices"
        + (
            f", {len(plan.warmups(all_cells))} warm-ups of {settings.warmup_seconds} s"
            if settings.warmup_seconds
            else ""
        )
        + f": expected {plan.clock(expected)}, at most {plan.clock(at_most)} with the whole repeat budget",
        file=log,
        flush=True,
    )
    for config, reason in not_measured.items():
        print(f"  {config}: NOT MEASURED: {reason}", file=log)

    started_at = datetime.now(UTC).replace(microsecond=0)
    load_start = os.getloadavg()
    clock = time.monotonic()
    io = any(c.endpoint.io for c in all_cells)
    raw: dict[str, Any] = {
        "date": started_at.date().isoformat(),
        "started": started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "partial": selection.partial,
        "expected_seconds": round(expected, 1),
        "machine": sampling.machine_facts(),
        "packages": sampling.package_versions(REQUIREMENTS),
        "load_generator": {
            "tool": "wrk",
            "version": sampling.wrk_version(wrk),
            "threads": settings.threads,
            "connections": settings.connections,
            "timeout_seconds": settings.timeout_seconds,
            "warmup_seconds": settings.warmup_seconds,
            "slice_seconds": settings.slice_seconds,
            "rounds": settings.rounds,
            "order": ORDER,
        },
        "upstream": {"delay_ms": settings.upstream_delay_ms, "loop": event_loop_name(), "bind": "127.0.0.1"},
        "servers": {"workers": settings.workers, "bind": "127.0.0.1"},
        "settings": asdict(settings),
        "endpoints": [endpoint_record(e, settings) for e in endpoints],
        "configurations": [],
        "not_measured": not_measured,
        "start_failures": {},
        "warmups": [],
        "slices": [],
        "repeated": [],  # slices measured again because other load disturbed them
        "process_groups": {"upstream": None, "servers": {}},
    }
    started: dict[str, Server] = {}
    upstream: Upstream | None = None
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        directory = Path(temp)
        try:
            if io:
                upstream = Upstream(settings.upstream_delay_ms, directory / "upstream.log")
                upstream.start(preexec_fn=servers.die_with_parent)
                raw["process_groups"]["upstream"] = upstream.pid
                print(
                    f"Upstream on port {upstream.port} (pid {upstream.pid}), {settings.upstream_delay_ms:g} ms",
                    file=log,
                )
            extra_env = {"UPSTREAM_URL": upstream.url} if upstream else {}
            print(f"Starting {len(live)} servers, {settings.workers} workers each, on 127.0.0.1", file=log)
            templates = servers.seed_templates(runner, [runner.CONFIGS[c].app for c in live], directory)
            started, failed = servers.start_servers(
                runner, live, settings.workers, directory, templates, extra_env, log
            )
            raw["process_groups"]["servers"] = {c: s.pid for c, s in started.items()}
            probes = {c: readiness_probes(runs[c], runner.CONFIGS[c].view) for c in started}
            failed |= servers.wait_ready(started, probes)
            for config, error in failed.items():
                raw["start_failures"][config] = error
                started.pop(config, None)
                print(f"  {config}: FAILED to start: {error}", file=log)
            for config, server in started.items():
                print(f"  {config}: ready on port {server.port} (pid {server.pid})", file=log)
            raw["startup_seconds"] = round(time.monotonic() - clock, 1)
            for config in configs:
                server_or_none = started.get(config)
                if server_or_none is None:  # not started: publish the command it was, or would have been, given
                    info = runner.server_command(
                        config, port=0, database_path=directory / f"{config}.sqlite3", workers=settings.workers
                    )
                    argv, env, port = list(info.argv), {**info.env, **extra_env}, 0
                else:
                    argv, env, port = server_or_none.argv, server_or_none.env, server_or_none.port
                record = configuration_record(
                    runner, config, settings, chosen, runs[config], argv, env, port,
                    upstream.port if upstream else 0, directory,
                )  # fmt: skip
                if config in not_measured:
                    record["not_measured"] = not_measured[config]
                raw["configurations"].append(record)
            measure_all(wrk, runner, settings, started, upstream, all_cells, raw, log)
        finally:
            stopping = time.monotonic()
            servers.stop_all(list(started.values()))
            if upstream is not None:
                upstream.stop()
            groups = [*raw["process_groups"]["servers"].values(), raw["process_groups"]["upstream"]]
            raw["left_running"] = {str(k): v for k, v in sampling.sessions_alive(g for g in groups if g).items()}
            raw["stop_seconds"] = round(time.monotonic() - stopping, 1)
    raw["duration_seconds"] = round(time.monotonic() - clock, 1)
    raw["load_average"] = {"start": [round(v, 2) for v in load_start], "end": [round(v, 2) for v in os.getloadavg()]}
    return raw


def settle_limit(settings: Settings, cell: Cell) -> float:
    """How long to wait for a server to finish what a slice left queued: its requests' timeout, and a second."""
    return cell.endpoint.timeout(settings, cell.connections) + 1.0


def settled_words(seconds: float) -> str:
    """`  (settled in 6.2 s)` when the server took noticeably long to finish a slice's queue, else ''."""
    return f"  (settled in {seconds:.1f} s)" if seconds >= 0.5 else ""


def readiness_probes(endpoint_ids: Sequence[str], view: str) -> list[servers.Probe]:
    """What a configuration must answer before it is measured: the health check, then each endpoint it runs once."""
    probes = [servers.Probe("/api/health")]
    for endpoint in ENDPOINTS:
        if endpoint.id not in endpoint_ids:
            continue
        if endpoint.method == "POST":
            probe = servers.Probe(endpoint.path(view), "POST", servers.WRITE_PROBE_BODY, 201)
        else:
            probe = servers.Probe(endpoint.path(view))
        if probe not in probes:
            probes.append(probe)
    return probes


def endpoint_record(endpoint: Endpoint, settings: Settings) -> dict[str, Any]:
    """The raw record of one endpoint: what it requests, at which levels, with which timeouts and bound."""
    record: dict[str, Any] = {
        "id": endpoint.id,
        "label": endpoint.label,
        "route": endpoint.route,
        "request": endpoint.request,
        "measures": endpoint.measures,
        "method": endpoint.method,
        "timeouts_fail": endpoint.timeouts_fail,
        "levels": [],
    }
    for connections in endpoint.levels(settings):
        level: dict[str, Any] = {"connections": connections, "timeout_seconds": endpoint.timeout(settings, connections)}
        if endpoint.io:
            level["bound_requests_per_second"] = round(settings.bound(connections), 1)
        record["levels"].append(level)
    return record


def measure_all(
    wrk: str,
    runner: ModuleType,
    settings: Settings,
    started: dict[str, Server],
    upstream: Upstream | None,
    all_cells: Sequence[Cell],
    raw: dict[str, Any],
    log: TextIO,
) -> None:
    """The warm-ups, then every round's slices, into `raw`."""
    live_cells = [c for c in all_cells if c.configuration in started]
    warm = plan.warmups(live_cells) if settings.warmup_seconds else []
    progress = Progress(
        total=len(warm) + len(live_cells) * settings.rounds,
        expected_per_slice=settings.slice_seconds + settings.pause_seconds + plan.SLICE_OVERHEAD_SECONDS,
    )
    sequence = 0

    def work(cell: Cell, seconds: int, tag: str) -> load.Load:
        nonlocal sequence
        sequence += 1
        server = started[cell.configuration]
        return load.Load(
            url=server.url(cell.endpoint.path(runner.CONFIGS[cell.configuration].view)),
            seconds=seconds,
            connections=cell.connections,
            timeout_seconds=cell.endpoint.timeout(settings, cell.connections),
            threads=settings.threads,
            script=cell.endpoint.script,
            script_args=(f"{tag}{sequence}",) if cell.endpoint.script == "write.lua" else (),
        )

    for cell in warm:
        progress.begin(f"warm-up   {cell.endpoint.id:<8} {cell.connections:>3} {cell.configuration:<18}")
        began = time.monotonic()
        report = load.run(wrk, work(cell, settings.warmup_seconds, "w"))
        raw["warmups"].append(
            {
                "configuration": cell.configuration,
                "endpoint": cell.endpoint.id,
                "connections": cell.connections,
                "wrk": report,
            }
        )
        settled = servers.settle(started[cell.configuration], settle_limit(settings, cell))
        errors = load.describe_errors([report], timeouts_fail=cell.endpoint.timeouts_fail)
        progress.end(
            f"{report['requests']:>8,} requests" + (f"  ({errors})" if errors else "") + settled_words(settled),
            time.monotonic() - began,
        )
    for server in started.values():
        server.baseline = frozenset(server.tree())

    repeat_budget = settings.repeat_budget_seconds
    for round_number, cell in plan.order(live_cells, settings.rounds):
        server = started[cell.configuration]
        progress.begin(
            f"round {round_number}/{settings.rounds} {cell.endpoint.id:<8} {cell.connections:>3} {cell.configuration:<18}"
        )
        began = time.monotonic()
        if server.lost:
            progress.end(f"skipped: {server.lost}", 0.0)
            continue
        place = {"round": round_number, "endpoint": cell.endpoint.id, "configuration": cell.configuration}
        record = {**measure(wrk, server, upstream, work(cell, settings.slice_seconds, f"r{round_number}-")), **place}
        record["settle_seconds"] = servers.settle(server, settle_limit(settings, cell))
        while (
            record["other_percent"] > settings.repeat_above_percent
            and not record["lost"]
            and repeat_budget >= settings.slice_seconds + 1
        ):
            repeat_began = time.monotonic()
            raw["repeated"].append(record)
            print(f"disturbed (other load {record['other_percent']:.0f}%), again:", end=" ", file=log, flush=True)
            sampling.wait_for_quiet(settings.repeat_above_percent, min(3.0, repeat_budget - settings.slice_seconds))
            record = {
                **measure(wrk, server, upstream, work(cell, settings.slice_seconds, f"r{round_number}-")),
                **place,
            }
            record["settle_seconds"] = servers.settle(server, settle_limit(settings, cell))
            repeat_budget -= time.monotonic() - repeat_began
        record["disturbed"] = disturbances(record, settings)
        raw["slices"].append(record)
        if record["lost"]:
            server.lost = f"lost in round {round_number}: {record['lost']}"
        report = record["wrk"]
        per_cpu = report["requests"] / record["server_cpu_seconds"] if record["server_cpu_seconds"] else 0.0
        errors = load.describe_errors([report], timeouts_fail=cell.endpoint.timeouts_fail)
        flag = f"  ERRORS: {errors}" if errors else ""
        flag += (
            f"  ({load.timeouts(report)} timeouts)" if not cell.endpoint.timeouts_fail and load.timeouts(report) else ""
        )
        flag += f"  LOST: {record['lost']}" if record["lost"] else ""
        flag += settled_words(record["settle_seconds"])
        flag += f"  (disturbed: {', '.join(record['disturbed'])})" if record["disturbed"] else ""
        time.sleep(settings.pause_seconds)
        progress.end(
            f"{load.rate(report):>8,.0f} req/s {per_cpu:>7,.0f} req/CPU-s  p99 {report['latency_us']['p99'] / 1000:>7.1f} ms{flag}",
            time.monotonic() - began,
        )
