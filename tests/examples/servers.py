"""Example apps under their production servers: start, talk HTTP to, and stop real processes."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

STARTUP_TIMEOUT = 60.0  # seconds; Django's includes running its migrations


@dataclass
class Server:
    """A server process in its own process group, and where its output goes."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    database: Path | None = None  # the SQLite file it serves, when the test chose it

    def request(
        self, method: str, path: str, body: Any = None, *, timeout: float = 10.0
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one HTTP request; return the status, lower-cased headers and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            payload = json.dumps(body).encode() if body is not None else None
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def output(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_ready(server: Server) -> None:
    """Poll /api/health until it answers 200; fail early if the process dies."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited with {server.process.returncode}:\n{server.output()}")
        try:
            if server.request("GET", "/api/health")[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    pytest.fail(f"{server.name} was not ready after {STARTUP_TIMEOUT}s:\n{server.output()}")


def stop(server: Server) -> None:
    """Stop the server and its workers by signalling its whole process group."""
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=5)
    except ProcessLookupError:
        pass  # already gone


def start(name: str, argv: list[str], env: dict[str, str], port: int, log: Path) -> Server:
    """Start a server in a new session (so it leads its own process group) and wait for it."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    server = Server(name, port, process, log)
    try:
        wait_until_ready(server)
    except BaseException:
        stop(server)
        raise
    return server


def serve_app(
    run_module: ModuleType,
    app: str,
    database: Path,
    *,
    workers: int,
    seed: bool = True,
    env: dict[str, str] | None = None,
) -> Server:
    """Start an app's default configuration (`examples/run.py APP`) on a free port.

    With seed=False the server opens the database as it is, as after a restart.
    """
    if seed:
        run_module.seed(database, app)
    config = run_module.DEFAULT_CONFIG[app]
    port = free_port()
    argv, server_env = run_module.server_command(config, port=port, database_path=database, workers=workers)
    log = database.with_name(f"{config}-{port}.log")
    server = start(config, argv, {**server_env, **(env or {})}, port, log)
    server.database = database
    return server
