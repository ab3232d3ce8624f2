"""The configurations of examples/run.py, and their servers: seeded, started, readied and stopped.

Every server listens on 127.0.0.1 in its own session, so that its whole process tree
can be read from /proc and stopped through its process group; it also gets SIGTERM
if the harness dies. Framework ids and server command lines come from examples/run.py,
never from here.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, TextIO

from bench import EXAMPLES_RUN, ROOT
from bench.processes import stop_group
from bench.sampling import Proc, session_processes


def load_runner() -> ModuleType:
    """examples/run.py, loaded by path: it names the configurations and builds their commands."""
    spec = importlib.util.spec_from_file_location("examples_run", EXAMPLES_RUN)
    if spec is None or spec.loader is None:
        raise SystemExit(f"Cannot load {EXAMPLES_RUN}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a NamedTuple looks its module up while it loads
    spec.loader.exec_module(module)
    return module


# The module each worker class needs in the servers' interpreter, beyond the server itself.
WORKER_MODULES = {"gevent": "gevent", "uvicorn_worker.UvicornWorker": "uvicorn_worker"}


def missing_module(server: str, worker_class: str) -> str | None:
    """The module a configuration needs that this interpreter cannot import, if any."""
    for module in (server, WORKER_MODULES.get(worker_class)):
        if module and importlib.util.find_spec(module) is None:
            return module
    return None


def metadata(runner: ModuleType, config_id: str, workers: int) -> dict[str, Any]:
    """What a configuration is, as the published file records it (cf. TechEmpower's benchmark_config.json)."""
    spec = runner.CONFIGS[config_id]
    record = {
        "id": config_id,
        "framework": spec.app,
        "server": spec.server,
        "worker_class": spec.worker_class,
        "workers": workers,
        "threads": spec.threads,
        "orm": spec.orm,
        "view": spec.view,
        "default": spec.default,
    }
    if spec.worker_connections:
        record["worker_connections"] = spec.worker_connections
    return record


def signature(runner: ModuleType, config_id: str) -> tuple[str, tuple[str, ...]]:
    """The app and server command line of a configuration: equal for two that differ only in their view."""
    command = runner.server_command(config_id, port=1, database_path="/db", workers=1)
    return runner.CONFIGS[config_id].app, tuple(command.argv)


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


def public_env(env: Mapping[str, str], directory: Path, upstream_port: int = 0) -> dict[str, str]:
    """The variables a server got on top of the harness's own, with placeholders for the temp dir and the upstream's port."""
    out = {}
    for key, value in sorted(env.items()):
        if os.environ.get(key) == value:
            continue
        value = value.replace(str(directory), "$TMP")
        if upstream_port and value.endswith(f":{upstream_port}"):
            value = value.removesuffix(str(upstream_port)) + "$UPSTREAM_PORT"
        out[key] = value
    return out


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def die_with_parent() -> None:
    """In a child process: get SIGTERM if the harness dies, so no server outlives it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# How long stop() waits for the killed workers that outlived their main process to end.
LEFTOVER_TIMEOUT = 5.0


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
                preexec_fn=die_with_parent,  # noqa: PLW1509 - single-threaded harness
            )

    @property
    def pid(self) -> int:
        """The main process's id, which is also the session and process group id."""
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        """Whether the server's main process is still alive."""
        return self.process is not None and self.process.poll() is None

    def tree(self) -> dict[tuple[int, int], Proc]:
        """The server's processes now."""
        return session_processes(self.pid)

    def url(self, path: str) -> str:
        """The URL of a path on this server."""
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
        stop_group(self.process, timeout=10)
        # Workers that outlived their main process share its session id. A killed process
        # ends a moment later, so wait (bounded) until none is left but zombies.
        deadline = time.monotonic() + LEFTOVER_TIMEOUT
        while leftover := [proc for proc in session_processes(self.pid).values() if proc.state != "Z"]:
            for proc in leftover:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
            if time.monotonic() >= deadline:
                return
            time.sleep(0.02)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy for loopback


class Probe(NamedTuple):
    """One request a server must answer, with this status and JSON, before it is measured."""

    path: str
    method: str = "GET"
    body: dict[str, Any] | None = None
    expect: int = 200


# A write before any slice: it warms the path that creates a user, as the GET probes warm
# theirs, so that a first one-second slice does not spend itself on lazy imports.
WRITE_PROBE_BODY = {"name": "Ready Probe", "email": "ready-probe@example.com"}


def http_status(url: str, timeout: float = 2.0, method: str = "GET", body: dict[str, Any] | None = None) -> int | None:
    """The status of a request that answers JSON, or None when nothing answers."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            json.loads(response.read())
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def settle(server: Server, limit: float, quick: float = 0.2) -> float:
    """Wait until the server answers its health check within `quick` seconds; return the seconds waited.

    wrk stops at the end of a slice, but a server that fell behind (a sync worker at 256
    connections) goes on serving the requests it had queued, for seconds. Measured
    meanwhile, the next slice would find no answer from this server, or count its work as
    other load against the next server. Its health check waits behind that queue, so one
    answered quickly means the queue is gone. Gives up after about `limit` seconds.
    """
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < limit:
        began = time.monotonic()
        status = http_status(server.url("/api/health"), timeout=max(0.5, limit - elapsed))
        if status == 200 and time.monotonic() - began < quick:
            break
        if status is None:
            time.sleep(0.05)  # refused or timed out: try again
    return round(time.monotonic() - started, 3)


def seed_templates(runner: ModuleType, apps: Sequence[str], directory: Path) -> dict[str, Path]:
    """One seeded database per app, copied for each configuration: seeding can run an app's migrations."""
    templates = {}
    for app in dict.fromkeys(apps):
        templates[app] = directory / f"seed-{app}.sqlite3"
        runner.seed(templates[app], app)
    return templates


def start_servers(
    runner: ModuleType,
    configs: Sequence[str],
    workers: int,
    directory: Path,
    templates: Mapping[str, Path],
    extra_env: Mapping[str, str],
    log: TextIO,
) -> tuple[dict[str, Server], dict[str, str]]:
    """Start every configuration at once on a copy of its app's seeded database; (started, why the others did not).

    A server that exits at once (another process took its port meanwhile) is tried again
    on another port, twice.
    """
    pending = list(configs)
    started: dict[str, Server] = {}
    last: dict[str, Server] = {}
    for _attempt in range(3):
        for config in pending:
            app = runner.CONFIGS[config].app
            database = directory / f"{config}.sqlite3"
            if not database.exists():
                shutil.copyfile(templates[app], database)
            port = free_port()
            command = runner.server_command(config, port=port, database_path=database, workers=workers)
            server = Server(
                config, app, list(command.argv), {**command.env, **extra_env}, port, directory / f"{config}.log"
            )
            server.start()
            last[config] = server
        time.sleep(0.3)
        for config in pending:
            if last[config].running():
                started[config] = last[config]
            else:
                print(f"  {config} exited at start on port {last[config].port}; trying another port", file=log)
        pending = [c for c in pending if c not in started]
        if not pending:
            break
    failures = {c: f"{c} would not start:\n{last[c].log_tail()}" for c in pending}
    return {c: started[c] for c in configs if c in started}, failures


def wait_ready(
    servers: Mapping[str, Server], probes: Mapping[str, Sequence[Probe]], timeout: float = 60.0
) -> dict[str, str]:
    """Wait until each server answers each of its probes as expected, then until their process trees stop changing.

    Returns why each server that did not get ready failed; those are stopped.
    """
    deadline = time.monotonic() + timeout
    failures: dict[str, str] = {}
    for config, server in servers.items():
        pending = list(probes[config])
        while pending:
            probe = pending[0]
            if not server.running():
                failures[config] = f"{config} exited while starting:\n{server.log_tail()}"
                break
            if time.monotonic() > deadline:
                failures[config] = f"{config} did not answer {probe.method} {probe.path} within {timeout:.0f} s"
                break
            status = http_status(server.url(probe.path), method=probe.method, body=probe.body)
            if status == probe.expect:
                pending.pop(0)
            elif status is not None:
                failures[config] = (
                    f"{config} answered {probe.method} {probe.path} with {status}, not {probe.expect}:\n"
                    f"{server.log_tail()}"
                )
                break
            else:
                time.sleep(0.1)
    ready = [s for c, s in servers.items() if c not in failures]
    previous = {s.config: frozenset(s.tree()) for s in ready}
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = {s.config: frozenset(s.tree()) for s in ready}
        if current == previous:
            break
        previous = current
    stop_all([servers[c] for c in failures])
    return failures


def stop_all(servers: Sequence[Server], timeout: float = 10.0) -> None:
    """SIGTERM to every server's process group at once, then wait; SIGKILL what is left after the timeout."""
    for server in servers:
        if server.running():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for server in servers:
        if server.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for server in servers:
        server.stop()  # SIGKILL for a group that outlived the wait, and any worker left in it
