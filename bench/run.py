"""The project's benchmark: each example app under its production server, loaded with wrk.

    python bench/run.py            the full run, under 5 minutes on 2 cores: writes
                                   data/benchmarks.yml and data/benchmarks/raw/<start>.json
    python bench/run.py --smoke    every configuration and endpoint for a second or two, into
                                   a temp directory; fails unless each answered with no error
    python bench/run.py --compare A.json B.json
                                   how far the ratios of two raw runs differ
    python bench/run.py --from-raw A.json
                                   rewrite data/benchmarks.yml from a raw run

The configurations and their server command lines come from examples/run.py. Every
server listens on 127.0.0.1 in its own session, and is stopped through its process
group. Slices are interleaved (every configuration once per endpoint per round, the
starting configuration moving by one each round), so slow drift on the machine
spreads over all configurations instead of landing on one.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import json
import os
import platform
import resource
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import benchmarks  # noqa: E402  (needs ROOT on the path)
from macros.data import DataError  # noqa: E402

LUA = Path(__file__).resolve().parent / "report.lua"
EXAMPLES_RUN = ROOT / "examples" / "run.py"
REQUIREMENTS = ROOT / "examples" / "requirements.in"  # the direct pins; requirements.txt is their lock
DATA_FILE = ROOT / "data" / "benchmarks.yml"
RAW_DIR = ROOT / "data" / "benchmarks" / "raw"
CORES = len(os.sched_getaffinity(0))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
INSTALL_WRK = "sudo apt-get install -y wrk"


@dataclass(frozen=True)
class Settings:
    """How long and how hard to load each configuration."""

    rounds: int
    slice_seconds: int  # wrk takes whole seconds
    warmup_seconds: int
    connections: int = 16
    threads: int = 1  # one wrk thread: the load generator shares the cores with the servers
    timeout_seconds: int = 2
    pause_seconds: float = 0.3  # lets the last slice's connections close before the next
    workers: int = CORES
    # A slice during which other processes used more than this share of the machine's CPU
    # is measured again, after waiting for a quiet moment, while the time budget lasts.
    repeat_above_percent: float = 10.0
    repeat_budget_seconds: float = 0.0


# 8 pairs x 10 rounds x 2 s: under 4 minutes on 2 cores on a quiet machine, and under 5
# with the whole repeat budget spent. Many short rounds, each paired with the other
# configurations' slices of the same round, resist bursts of other load better than a
# few long ones; repeating the slices a burst hit removes most of what is left.
FULL = Settings(rounds=10, slice_seconds=2, warmup_seconds=2, repeat_budget_seconds=60.0)
SMOKE = Settings(rounds=1, slice_seconds=1, warmup_seconds=1)


@dataclass(frozen=True)
class Endpoint:
    """One request the benchmark sends to every configuration."""

    id: str
    label: str
    route: str
    request: str
    measures: str


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
)


# --- the example apps' runner ----------------------------------------------------------


def load_runner() -> ModuleType:
    """examples/run.py, loaded by path: it names the configurations and builds their commands."""
    spec = importlib.util.spec_from_file_location("examples_run", EXAMPLES_RUN)
    if spec is None or spec.loader is None:
        raise SystemExit(f"Cannot load {EXAMPLES_RUN}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_label(argv: Sequence[str]) -> str:
    """The server and its worker type, in words, read from a command line."""
    args = list(argv)
    if "uvicorn" in args[:3]:
        extras = [args[i + 1] for i, a in enumerate(args[:-1]) if a in ("--loop", "--http")]
        return "uvicorn" + (f" ({', '.join(extras)})" if extras else "")
    if "gunicorn" in args[:3]:
        for flag in ("--worker-class", "-k"):
            if flag in args:
                worker = args[args.index(flag) + 1].rsplit(".", 1)[-1]
                return f"gunicorn ({worker})"
        return "gunicorn (sync workers)"
    return Path(args[0]).name


def public_argv(argv: Sequence[str], port: int, directory: Path) -> list[str]:
    """A command line with machine-specific parts as placeholders, for the published file."""
    out = []
    for arg in argv:
        arg = "python" if arg == sys.executable else arg
        arg = arg.replace(str(directory), "$TMP").replace(str(ROOT) + "/", "")
        if port and arg == str(port):
            arg = "$PORT"
        elif port and arg.endswith(f":{port}"):
            arg = arg.removesuffix(str(port)) + "$PORT"
        out.append(arg)
    return out


# --- /proc readings --------------------------------------------------------------------


@dataclass(frozen=True)
class Proc:
    """One process of a server's session, at one moment."""

    pid: int
    start_ticks: int  # with the pid, identifies a process even if the pid is reused
    cpu_ticks: int  # user + system
    rss_pages: int
    state: str


def session_processes(session: int) -> dict[tuple[int, int], Proc]:
    """Every process whose session id is `session`, keyed by (pid, start time)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "stat").read_text()
        except OSError:  # it exited between the listing and the read
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[3]) != session:
            continue
        proc = Proc(int(entry.name), int(fields[19]), int(fields[11]) + int(fields[12]), int(fields[21]), fields[0])
        found[(proc.pid, proc.start_ticks)] = proc
    return found


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot; time stolen by a hypervisor counts as busy."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values)  # user nice system idle iowait irq softirq steal
    return total - idle, total


def other_percent(record: dict[str, Any]) -> float:
    """The share of the machine's CPU, during a slice, used by anything but the loaded server and wrk."""
    capacity = float(record["machine_capacity_seconds"])
    if capacity <= 0:
        return 0.0
    other = float(record["machine_busy_seconds"] - record["server_cpu_seconds"] - record["wrk_cpu_seconds"])
    return max(0.0, other) / capacity * 100


def wait_for_quiet(threshold_percent: float, limit_seconds: float) -> float:
    """Wait until half a second passes with the machine below the threshold, or the limit; the wait."""
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        busy_before, total_before = machine_ticks()
        time.sleep(0.5)
        busy_after, total_after = machine_ticks()
        if (
            total_after > total_before
            and (busy_after - busy_before) / (total_after - total_before) * 100 < threshold_percent
        ):
            break
    return time.monotonic() - started


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children (here: the wrk runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_facts() -> dict[str, Any]:
    """CPU model, cores, memory, OS and Python of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
    flags = next((line for line in cpuinfo.splitlines() if line.startswith("flags")), "")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    os_release = {}
    if Path("/etc/os-release").exists():
        for line in Path("/etc/os-release").read_text().splitlines():
            key, _, value = line.partition("=")
            os_release[key] = value.strip('"')
    system = os_release.get("PRETTY_NAME", platform.system())
    return {
        "cpu": model or platform.processor() or "unknown",
        "cores": CORES,
        "memory_gib": round(memory_kib / 2**20, 1),
        "virtual_machine": " hypervisor" in flags,
        "os": f"{system}, {platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "interpreter": interpreter(),
    }


def interpreter() -> str:
    """The python running the harness, and so every server: its path from the project root when it is inside it.

    `make bench` runs this file with .venv-newest's python (scripts/newest_venv.py). The
    venv's own path is kept, not the interpreter its symlink leads to: the path names the
    venv, and so the lock it holds.
    """
    path = Path(os.path.abspath(sys.executable))
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def package_versions() -> dict[str, str]:
    """The installed version of every package examples/requirements.in pins (its direct dependencies)."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for line in REQUIREMENTS.read_text().splitlines():
        name = line.split("#", 1)[0].strip().split("==")[0].split("[")[0].strip()
        if name:
            try:
                versions[name] = version(name)
            except PackageNotFoundError:
                versions[name] = "not-installed"
    return versions


def wrk_version(wrk: str) -> str:
    """wrk's version, as `wrk -v` prints it."""
    result = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10)
    words = (result.stdout + result.stderr).split()
    return words[1] if len(words) > 1 and words[0] == "wrk" else "unknown"


# --- servers -----------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """In the server's child process: get SIGTERM if the harness dies, so no server outlives it."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Server:
    """One configuration's server: started in its own session, stopped through its process group."""

    config: str
    app: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    baseline: frozenset[tuple[int, int]] = frozenset()
    lost: str | None = None

    def start(self) -> None:
        """Start the server; its pid is also its session and process group id."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # noqa: PLW1509 - single-threaded harness
            )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        """Whether the server's main process is still alive."""
        return self.process is not None and self.process.poll() is None

    def tree(self) -> dict[tuple[int, int], Proc]:
        """The server's processes now."""
        return session_processes(self.pid)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, lines: int = 15) -> str:
        """The end of the server's log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after 10 s; only this server's processes."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        # Workers that outlived their main process share its group id.
        for proc in session_processes(self.pid).values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy for loopback


def http_status(url: str) -> int | None:
    """The status of a GET, or None when nothing answers."""
    try:
        with _OPENER.open(url, timeout=2) as response:
            json.loads(response.read())
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def start_server(runner: ModuleType, config: str, workers: int, directory: Path, log: TextIO) -> Server:
    """Seed a database and start one configuration, retrying on another port if it exits at once."""
    app = runner.CONFIGS[config]
    database = directory / f"{config}.sqlite3"
    runner.seed(database, app)
    last: Server | None = None
    for _attempt in range(3):
        port = free_port()
        command = runner.server_command(config, port=port, database_path=database, workers=workers)
        server = Server(config, app, list(command.argv), dict(command.env), port, directory / f"{config}.log")
        server.start()
        time.sleep(0.3)
        if server.running():
            return server
        last = server
        print(f"  {config} exited at start on port {port}; trying another port", file=log)
    assert last is not None
    raise RuntimeError(f"{config} would not start:\n{last.log_tail()}")


def wait_ready(server: Server, endpoints: Sequence[Endpoint], timeout: float = 60.0) -> None:
    """Wait until every endpoint answers 200 with JSON, then until the process tree stops changing."""
    deadline = time.monotonic() + timeout
    pending = list(endpoints)
    while pending:
        if not server.running():
            raise RuntimeError(f"{server.config} exited while starting:\n{server.log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.config} did not answer {pending[0].request} within {timeout:.0f} s")
        status = http_status(server.url(pending[0].request))
        if status == 200:
            pending.pop(0)
        elif status is not None:
            raise RuntimeError(f"{server.config} answered {pending[0].request} with {status}, not 200")
        else:
            time.sleep(0.1)
    previous = frozenset(server.tree())
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = frozenset(server.tree())
        if current == previous:
            return
        previous = current


# --- wrk -----------------------------------------------------------------------------------


def run_wrk(wrk: str, url: str, seconds: int, settings: Settings) -> dict[str, Any]:
    """One bounded wrk run; its report (requests, errors, latency) as a dict."""
    argv = [
        *(wrk, "-t", str(settings.threads), "-c", str(settings.connections)),
        *("-d", f"{seconds}s", "--timeout", f"{settings.timeout_seconds}s", "-s", str(LUA), url),
    ]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30)
    return parse_wrk(result.stdout, result.stderr)


def parse_wrk(stdout: str, stderr: str = "") -> dict[str, Any]:
    """The JSON line report.lua prints, or an error naming what wrk said instead."""
    for line in stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            report: dict[str, Any] = json.loads(line.removeprefix("BENCH-JSON "))
            return report
    raise RuntimeError(f"wrk printed no report:\n{stdout[-800:]}\n{stderr[-800:]}")


def socket_errors(report: dict[str, Any]) -> int:
    """wrk's connect, read, write and timeout errors."""
    errors = report["errors"]
    return int(errors["connect"] + errors["read"] + errors["write"] + errors["timeout"])


def measure(wrk: str, server: Server, endpoint: Endpoint, seconds: int, settings: Settings) -> dict[str, Any]:
    """Load one server for one slice; wrk's report plus the server's CPU time and memory."""
    before = server.tree()
    busy_before, total_before = machine_ticks()
    wrk_before = children_cpu_seconds()
    started = time.monotonic()
    report = run_wrk(wrk, server.url(endpoint.request), seconds, settings)
    wall = time.monotonic() - started
    wrk_cpu = children_cpu_seconds() - wrk_before
    busy_after, total_after = machine_ticks()
    after = server.tree()
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
    server_cpu = cpu_ticks / CLOCK_TICKS
    record = {
        "wrk": report,
        "wall_seconds": round(wall, 3),
        "server_cpu_seconds": round(server_cpu, 3),
        "wrk_cpu_seconds": round(wrk_cpu, 3),
        "machine_busy_seconds": round((busy_after - busy_before) / CLOCK_TICKS, 3),
        "machine_capacity_seconds": round((total_after - total_before) / CLOCK_TICKS, 3),
        "rss_bytes": sum(p.rss_pages for p in after.values()) * PAGE_BYTES,
        "processes": len(after),
        "lost": lost,
    }
    record["other_percent"] = round(other_percent(record), 1)
    return record


# --- the run -------------------------------------------------------------------------------


@dataclass
class Progress:
    """Live progress on stderr: what runs now, time elapsed, time left."""

    total: int
    stream: TextIO = sys.stderr
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    slice_cost: float = 0.0

    def begin(self, text: str, expected: float) -> None:
        elapsed = time.monotonic() - self.started
        per_slice = self.slice_cost / self.done if self.done else expected
        left = per_slice * (self.total - self.done)
        print(f"[{_clock(elapsed)} elapsed, ~{_clock(left)} left] {text} ", end="", file=self.stream, flush=True)

    def end(self, text: str, cost: float) -> None:
        self.done += 1
        self.slice_cost += cost
        print(text, file=self.stream, flush=True)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(max(0, round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def plan(configs: Sequence[str], endpoints: Sequence[Endpoint], rounds: int) -> Iterator[tuple[int, Endpoint, str]]:
    """Every slice in order: per round, per endpoint, each configuration once, the first moving by one each round."""
    for round_index in range(rounds):
        shift = round_index % len(configs)
        order = [*configs[shift:], *configs[:shift]]
        for endpoint in endpoints:
            for config in order:
                yield round_index + 1, endpoint, config


def run(settings: Settings, command: str, log: TextIO = sys.stderr) -> dict[str, Any]:
    """Start every server, warm up, measure the interleaved slices, stop the servers; the raw record."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(f"wrk is not installed. Install it with:  {INSTALL_WRK}")
    runner = load_runner()
    configs = list(runner.CONFIGS)
    started_at = datetime.now(UTC).replace(microsecond=0)
    load_start = os.getloadavg()
    clock = time.monotonic()
    raw: dict[str, Any] = {
        "date": started_at.date().isoformat(),
        "started": started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "machine": machine_facts(),
        "packages": package_versions(),
        "load_generator": {
            "tool": "wrk",
            "version": wrk_version(wrk),
            "threads": settings.threads,
            "connections": settings.connections,
            "timeout_seconds": settings.timeout_seconds,
            "warmup_seconds": settings.warmup_seconds,
            "slice_seconds": settings.slice_seconds,
            "rounds": settings.rounds,
            "order": "each round measures every configuration once per endpoint, starting one configuration later than the round before",
        },
        "servers": {"workers": settings.workers, "bind": "127.0.0.1"},
        "settings": asdict(settings),
        "endpoints": [asdict(e) for e in ENDPOINTS],
        "configurations": [],
        "start_failures": {},
        "warmups": [],
        "slices": [],
        "repeated": [],  # slices measured again because other load disturbed them
    }
    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as temp:
        directory = Path(temp)
        try:
            print(f"Starting {len(configs)} servers, {settings.workers} workers each, on 127.0.0.1", file=log)
            for config in configs:
                try:
                    servers[config] = start_server(runner, config, settings.workers, directory, log)
                except (RuntimeError, subprocess.CalledProcessError) as error:
                    raw["start_failures"][config] = str(error)
                    print(f"  {config}: FAILED to start: {error}", file=log)
            for config, server in list(servers.items()):
                try:
                    wait_ready(server, ENDPOINTS)
                    print(f"  {config}: ready on port {server.port} (pid {server.pid})", file=log)
                except RuntimeError as error:
                    raw["start_failures"][config] = str(error)
                    print(f"  {config}: FAILED to start: {error}", file=log)
                    server.stop()
                    del servers[config]
            for config in configs:
                started_server = servers.get(config)
                if started_server is None:  # it did not start: publish the command it was given
                    database = directory / f"{config}.sqlite3"
                    command_info = runner.server_command(
                        config, port=0, database_path=database, workers=settings.workers
                    )
                    argv, env, port = list(command_info.argv), dict(command_info.env), 0
                else:
                    argv, env, port = started_server.argv, started_server.env, started_server.port
                raw["configurations"].append(
                    {
                        "id": config,
                        "framework": runner.CONFIGS[config],
                        "server": server_label(argv),
                        "argv": public_argv(argv, port, directory),
                        "env": {
                            k: v.replace(str(directory), "$TMP")
                            for k, v in sorted(env.items())
                            if os.environ.get(k) != v
                        },
                    }
                )

            live = [c for c in configs if c in servers]
            progress = Progress(total=len(live) * len(ENDPOINTS) * (settings.rounds + 1))
            for endpoint in ENDPOINTS:
                for config in live:
                    progress.begin(f"warm-up   {endpoint.id:<7} {config:<18}", settings.warmup_seconds + 0.5)
                    began = time.monotonic()
                    report = run_wrk(wrk, servers[config].url(endpoint.request), settings.warmup_seconds, settings)
                    raw["warmups"].append({"configuration": config, "endpoint": endpoint.id, "wrk": report})
                    note = (
                        f"  ({report['non_2xx']} non-2xx, {socket_errors(report)} socket errors)"
                        if report["non_2xx"] or socket_errors(report)
                        else ""
                    )
                    progress.end(f"{report['requests']:>8,} requests{note}", time.monotonic() - began)
            for server in servers.values():
                server.baseline = frozenset(server.tree())

            repeat_budget = settings.repeat_budget_seconds
            for round_number, endpoint, config in plan(live, ENDPOINTS, settings.rounds):
                server = servers[config]
                progress.begin(
                    f"round {round_number}/{settings.rounds} {endpoint.id:<7} {config:<18}",
                    settings.slice_seconds + settings.pause_seconds + 0.2,
                )
                began = time.monotonic()
                if server.lost:
                    progress.end(f"skipped: {server.lost}", 0.0)
                    continue
                record = measure(wrk, server, endpoint, settings.slice_seconds, settings)
                record.update(round=round_number, endpoint=endpoint.id, configuration=config)
                while (
                    record["other_percent"] > settings.repeat_above_percent
                    and not record["lost"]
                    and repeat_budget >= settings.slice_seconds + 1
                ):
                    repeat_began = time.monotonic()
                    raw["repeated"].append(record)
                    print(
                        f"disturbed (other load {record['other_percent']:.0f}%), again:", end=" ", file=log, flush=True
                    )
                    wait_for_quiet(settings.repeat_above_percent, min(3.0, repeat_budget - settings.slice_seconds))
                    record = measure(wrk, server, endpoint, settings.slice_seconds, settings)
                    record.update(round=round_number, endpoint=endpoint.id, configuration=config)
                    repeat_budget -= time.monotonic() - repeat_began
                raw["slices"].append(record)
                if record["lost"]:
                    server.lost = f"lost in round {round_number}: {record['lost']}"
                report = record["wrk"]
                rate = report["requests"] / (report["duration_us"] / 1e6)
                per_cpu = report["requests"] / record["server_cpu_seconds"] if record["server_cpu_seconds"] else 0.0
                errors = report["non_2xx"] + socket_errors(report)
                flag = f"  ERRORS: {report['non_2xx']} non-2xx, {socket_errors(report)} socket" if errors else ""
                flag += f"  LOST: {record['lost']}" if record["lost"] else ""
                flag += f"  (other load {record['other_percent']:.0f}%)" if record["other_percent"] > 10 else ""
                time.sleep(settings.pause_seconds)
                progress.end(
                    f"{rate:>8,.0f} req/s {per_cpu:>7,.0f} req/CPU-s  p99 {report['latency_us']['p99'] / 1000:>6.1f} ms{flag}",
                    time.monotonic() - began,
                )
        finally:
            for server in servers.values():
                server.stop()
    raw["duration_seconds"] = round(time.monotonic() - clock, 1)
    raw["load_average"] = {"start": [round(v, 2) for v in load_start], "end": [round(v, 2) for v in os.getloadavg()]}
    return raw


# --- from the raw record to data/benchmarks.yml -------------------------------------------


def summarise(raw: dict[str, Any], raw_path: str) -> dict[str, Any]:
    """The published file's content: per-round samples of each result, failures without numbers."""
    rounds = raw["load_generator"]["rounds"]
    settings = raw.get("settings", {})
    threshold = settings.get("repeat_above_percent", 10.0)
    other = [other_percent(s) for s in raw["slices"]]
    repeated = raw.get("repeated", [])
    results, failures = [], []
    for configuration in raw["configurations"]:
        config = configuration["id"]
        for endpoint in raw["endpoints"]:
            slices = sorted(
                (s for s in raw["slices"] if s["configuration"] == config and s["endpoint"] == endpoint["id"]),
                key=lambda s: s["round"],
            )
            # Errors in a slice that was measured again still count.
            seen = slices + [s for s in repeated if s["configuration"] == config and s["endpoint"] == endpoint["id"]]
            non_2xx = sum(s["wrk"]["non_2xx"] for s in seen)
            sockets = sum(socket_errors(s["wrk"]) for s in seen)
            reasons = []
            if config in raw["start_failures"]:
                reasons.append(f"the server did not start: {raw['start_failures'][config].splitlines()[0]}")
            lost = next((s for s in slices if s["lost"]), None)
            if lost:
                reasons.append(f"the server was lost in round {lost['round']}: {lost['lost']}")
            if non_2xx or sockets:
                reasons.append(f"wrk saw {non_2xx} non-2xx responses and {sockets} socket errors")
            if any(s["wrk"]["requests"] == 0 for s in slices):
                reasons.append("a round got no response at all")
            if not reasons and len(slices) != rounds:
                reasons.append(f"only {len(slices)} of {rounds} rounds ran")
            if not reasons and any(s["server_cpu_seconds"] <= 0 for s in slices):
                reasons.append("no server CPU time was recorded in a round")
            if reasons:
                failures.append(
                    {
                        "configuration": config,
                        "endpoint": endpoint["id"],
                        "reason": "; ".join(reasons),
                        "rounds_completed": len([s for s in slices if not s["lost"]]),
                        "non_2xx": non_2xx,
                        "socket_errors": sockets,
                    }
                )
                continue
            results.append(
                {
                    "configuration": config,
                    "endpoint": endpoint["id"],
                    "requests": [s["wrk"]["requests"] for s in slices],
                    "requests_per_second": [
                        round(s["wrk"]["requests"] / (s["wrk"]["duration_us"] / 1e6), 1) for s in slices
                    ],
                    "requests_per_cpu_second": [
                        round(s["wrk"]["requests"] / s["server_cpu_seconds"], 1) for s in slices
                    ],
                    "latency_p50_ms": [round(s["wrk"]["latency_us"]["p50"] / 1000, 2) for s in slices],
                    "latency_p99_ms": [round(s["wrk"]["latency_us"]["p99"] / 1000, 2) for s in slices],
                    "rss_mib": [round(s["rss_bytes"] / 2**20, 1) for s in slices],
                    "non_2xx": 0,
                    "socket_errors": 0,
                }
            )
    machine = dict(raw["machine"])
    machine["load_average"] = raw["load_average"]
    disturbance = {
        "other_cpu_percent": round(statistics.median(other), 1) if other else 0.0,
        "repeat_above_percent": threshold,
        "repeat_budget_seconds": settings.get("repeat_budget_seconds", 0.0),
        "slices_repeated": len(repeated),
        "slices_disturbed": sum(o > threshold for o in other),
    }
    return {
        "date": raw["date"],
        "started": raw["started"],
        "duration_seconds": raw["duration_seconds"],
        "command": raw["command"],
        "raw": raw_path,
        "machine": machine,
        "packages": raw["packages"],
        "load_generator": raw["load_generator"],
        "disturbance": disturbance,
        "servers": raw["servers"],
        "configurations": raw["configurations"],
        "endpoints": [{k: e[k] for k in ("id", "label", "route", "request", "measures")} for e in raw["endpoints"]],
        "results": results,
        "failures": failures,
    }


HEADER = """\
# yaml-language-server: $schema=benchmarks.schema.json
#
# Written by bench/run.py (`make bench`); do not edit by hand, rerun it.
# One sample per round in each list; the site computes medians, ranges and ratios.
# Every slice of this run, with wrk's full report, is in the `raw` file.
"""


class _Dumper(yaml.SafeDumper):
    """Lists of numbers on one line (`[812.3, 799.1, ...]`), everything else in block style, no anchors.

    An object used twice in the summary is written out twice: the site's loader refuses
    anchors and aliases (`&id001` / `*id001`), as it would in a file from a pull request.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, int | float) and not isinstance(item, bool) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def to_yaml(data: dict[str, Any]) -> str:
    """The published file's text, validated against data/benchmarks.schema.json."""
    text = HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    benchmarks.validate_text(text, benchmarks.load_schema(ROOT), "data/benchmarks.yml")
    return text


def relative(path: Path) -> str:
    """A path from the project root when it is inside it, else absolute."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# --- terminal output -------------------------------------------------------------------------


def summary_table(bench: benchmarks.Benchmarks) -> str:
    """The results as a plain-text table per endpoint."""
    lines = []
    for endpoint in bench.endpoints:
        eid = endpoint["id"]
        by_rps = benchmarks.ratios(bench, eid)
        by_cpu = benchmarks.ratios(bench, eid, "requests_per_cpu_second")
        lines.append(
            f"\n{endpoint['route']}  ({bench.rounds} rounds x {bench.raw['load_generator']['slice_seconds']} s)"
        )
        lines.append(
            f"  {'configuration':<18} {'req/s median':>12} {'(min-max)':>15} {'x slowest':>9}"
            f" {'req/CPU-s':>10} {'x slowest':>9} {'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8}"
        )
        for configuration in bench.configurations:
            cid = configuration["id"]
            result = bench.result(cid, eid)
            if result is None:
                failure = bench.failure(cid, eid)
                lines.append(f"  {cid:<18} FAILED: {failure['reason'] if failure else 'not measured'}")
                continue
            rps = benchmarks.spread(result["requests_per_second"])
            cpu = benchmarks.spread(result["requests_per_cpu_second"])
            lines.append(
                f"  {cid:<18} {rps.median:>12,.0f} {f'({rps.low:,.0f}-{rps.high:,.0f})':>15} {by_rps[cid]:>8.2f}x"
                f" {cpu.median:>10,.0f} {by_cpu[cid]:>8.2f}x"
                f" {statistics.median(result['latency_p50_ms']):>7.1f} {statistics.median(result['latency_p99_ms']):>7.1f}"
                f" {max(result['rss_mib']):>8.0f}"
            )
    machine, disturbance = bench.raw["machine"], bench.raw["disturbance"]
    lines.append(
        f"\nLoad average {machine['load_average']['start']} -> {machine['load_average']['end']};"
        f" other processes used {disturbance['other_cpu_percent']}% of the CPU during slices (median);"
        f" {disturbance['slices_repeated']} slice(s) measured again, {disturbance['slices_disturbed']} kept"
        f" above {disturbance['repeat_above_percent']:g}% other load."
    )
    return "\n".join(lines)


def compare(paths: Sequence[Path]) -> str:
    """Each ratio of two raw runs side by side, with their relative difference.

    Both runs' ratios are taken to the same configuration, the slowest of the first run,
    so that a change of which one is slowest does not show up as a difference.
    """
    runs = []
    for path in paths:
        raw = json.loads(path.read_text())
        runs.append(benchmarks.validate_text(to_yaml(summarise(raw, relative(path))), benchmarks.load_schema(ROOT)))
    first, second = runs
    lines = [f"A: {paths[0]}\nB: {paths[1]}\n"]
    lines.append(f"{'endpoint':<8} {'metric':<24} {'configuration':<18} {'run A':>7} {'run B':>7} {'B/A-1':>7}")
    spreads: dict[str, list[float]] = {}
    for endpoint in first.endpoints:
        eid = endpoint["id"]
        for metric in benchmarks.METRICS:
            reference = benchmarks.slowest(first, eid, metric)
            if reference is None:
                continue
            a = benchmarks.ratios(first, eid, metric, reference)
            b = benchmarks.ratios(second, eid, metric, reference)
            for cid in a:
                if cid == reference or cid not in b:
                    continue
                diff = b[cid] / a[cid] - 1
                spreads.setdefault(metric, []).append(abs(diff))
                lines.append(f"{eid:<8} {metric:<24} {cid:<18} {a[cid]:>6.2f}x {b[cid]:>6.2f}x {diff:>+7.1%}")
            lines.append(f"{'':<8} {'':<24} (ratios to {reference})")
    for metric, values in spreads.items():
        lines.append(
            f"{metric}: largest difference {max(values):.1%}, median {statistics.median(values):.1%},"
            f" {sum(v <= 0.10 for v in values)} of {len(values)} ratios within 10%"
        )
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------------


def smoke_check(bench: benchmarks.Benchmarks) -> list[str]:
    """What is wrong with a smoke run: any failure, any cell without requests."""
    problems = [f"{f['configuration']} {f['endpoint']}: {f['reason']}" for f in bench.raw["failures"]]
    for configuration in bench.configurations:
        for endpoint in bench.endpoints:
            result = bench.result(configuration["id"], endpoint["id"])
            if result is not None and min(result["requests"]) <= 0:
                problems.append(f"{configuration['id']} {endpoint['id']}: no requests")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or its smoke mode), or compare two raw runs."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="every configuration and endpoint briefly, into a temp dir"
    )
    parser.add_argument(
        "--output", type=Path, help="where to write the YAML (default: data/benchmarks.yml; smoke: a temp dir)"
    )
    parser.add_argument("--raw-dir", type=Path, help="where to write the raw JSON (default: data/benchmarks/raw)")
    parser.add_argument("--rounds", type=int, help="override the number of rounds")
    parser.add_argument("--seconds", type=int, help="override the length of a slice, in whole seconds")
    parser.add_argument("--workers", type=int, help=f"worker processes per server (default: {CORES}, the core count)")
    parser.add_argument("--connections", type=int, help=f"wrk connections (default: {FULL.connections})")
    parser.add_argument("--compare", nargs=2, type=Path, metavar="RAW", help="compare the ratios of two raw runs")
    parser.add_argument("--from-raw", type=Path, metavar="RAW", help="write the YAML from an existing raw run")
    args = parser.parse_args(argv)

    if args.compare:
        missing = [str(path) for path in args.compare if not path.is_file()]
        if missing:
            print(f"No such raw file: {', '.join(missing)}", file=sys.stderr)
            return 2
        print(compare(args.compare))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup in `finally` blocks

    settings = SMOKE if args.smoke else FULL
    overrides = {
        k: v
        for k, v in (
            ("rounds", args.rounds),
            ("slice_seconds", args.seconds),
            ("workers", args.workers),
            ("connections", args.connections),
        )
        if v
    }
    settings = Settings(**{**asdict(settings), **overrides})
    # Smoke mode never writes into data/: what is not given goes to a new temp directory.
    needs_scratch = args.smoke and (args.output is None or args.raw_dir is None)
    scratch = Path(tempfile.mkdtemp(prefix="bench-smoke-")) if needs_scratch else None
    output = args.output or (scratch / "benchmarks.yml" if scratch else DATA_FILE)
    raw_dir = args.raw_dir or (scratch if scratch else RAW_DIR)

    if args.from_raw:
        raw = json.loads(args.from_raw.read_text())
        raw_path = args.from_raw
    else:
        command = shlex.join(["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])])
        raw = run(settings, command)
        raw_dir.mkdir(parents=True, exist_ok=True)
        raw_path = raw_dir / f"{raw['started'].replace(':', '-')}.json"
        raw_path.write_text(json.dumps(raw, indent=1) + "\n")
    try:
        text = to_yaml(summarise(raw, relative(raw_path)))
    except DataError as error:
        print(f"The harness produced an invalid file (a bug in bench/run.py):\n{error}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    bench = benchmarks.validate_text(text, benchmarks.load_schema(ROOT))
    print(summary_table(bench))
    if args.from_raw:
        print(f"\nWrote {relative(output)} from {relative(raw_path)}.")
    else:
        print(f"\nWrote {relative(output)} and {relative(raw_path)}; the run took {raw['duration_seconds']:.0f} s.")
    if args.smoke:
        problems = smoke_check(bench)
        for problem in problems:
            print(f"SMOKE FAILED: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if bench.raw["failures"]:
        print(
            f"{len(bench.raw['failures'])} configuration/endpoint pair(s) failed; the page marks them and shows no number.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
