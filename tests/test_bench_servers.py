"""bench/servers.py: the configurations' metadata and command lines, and servers started and stopped by process group."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from bench import ROOT, servers
from bench.sampling import sessions_alive

RUNNER = servers.load_runner()


def test_every_configuration_carries_its_metadata() -> None:
    for config in RUNNER.CONFIGS:
        record = servers.metadata(RUNNER, config, 2)
        assert set(record) >= {
            "id",
            "framework",
            "server",
            "worker_class",
            "workers",
            "threads",
            "orm",
            "view",
            "default",
        }
        assert record["server"] in {"gunicorn", "uvicorn", "hypercorn"} and record["view"] in {"sync", "async"}
        assert record["orm"] in {"full", "raw"} and record["workers"] == 2 and record["threads"] >= 1
        assert ("worker_connections" in record) == (record["worker_class"] == "gevent")
    defaults = [c for c, spec in RUNNER.CONFIGS.items() if spec.default]
    assert sorted(RUNNER.CONFIGS[c].app for c in defaults) == sorted(RUNNER.APPS), "one usual deployment per framework"
    assert {RUNNER.CONFIGS[c].app: c for c in defaults} == RUNNER.DEFAULT_CONFIG


def test_the_command_line_says_the_worker_class_threads_and_connections() -> None:
    for config, spec in RUNNER.CONFIGS.items():
        argv = RUNNER.server_command(config, port=8123, database_path="/tmp/db", workers=2).argv
        assert argv[:3] == [sys.executable, "-m", spec.server] and "2" in argv
        if spec.worker_class == "gthread":
            assert argv[argv.index("--threads") + 1] == str(spec.threads)
        if spec.worker_class == "gevent":
            assert argv[argv.index("--worker-connections") + 1] == str(spec.worker_connections)
        if spec.server == "gunicorn" and spec.worker_class != "sync":
            assert argv[argv.index("--worker-class") + 1] == spec.worker_class


def test_view_variants_share_a_signature_and_others_do_not() -> None:
    signatures: dict[object, list[str]] = {}
    for config in RUNNER.CONFIGS:
        signatures.setdefault(servers.signature(RUNNER, config), []).append(config)
    for group in signatures.values():
        views = [RUNNER.CONFIGS[c].view for c in group]
        assert len(set(views)) == len(views), f"{group} differ in nothing but would be measured twice"


def test_every_worker_class_can_be_imported_here() -> None:
    for spec in RUNNER.CONFIGS.values():
        assert servers.missing_module(spec.server, spec.worker_class) is None
    assert servers.missing_module("gunicorn", "gevent") is None
    assert servers.missing_module("no_such_server_module", "sync") == "no_such_server_module"


def test_published_command_lines_and_environments_use_placeholders() -> None:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        f"{ROOT}/examples/x",
        "--bind",
        "127.0.0.1:4321",
        "--port",
        "4321",
        "/tmp/d/db",
    ]
    assert servers.public_argv(argv, 4321, Path("/tmp/d")) == [
        "python", "-m", "gunicorn", "--chdir", "examples/x", "--bind", "127.0.0.1:$PORT", "--port", "$PORT", "$TMP/db",
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_PATH": "/tmp/d/a.sqlite3", "UPSTREAM_URL": "http://127.0.0.1:5555"}
    assert servers.public_env(env, Path("/tmp/d"), 5555) == {
        "DATABASE_PATH": "$TMP/a.sqlite3",
        "UPSTREAM_URL": "http://127.0.0.1:$UPSTREAM_PORT",
    }


FORKING = "import os, time\nos.fork()\nprint('up', flush=True)\ntime.sleep(60)"


def fake(tmp_path: Path, name: str, code: str = FORKING) -> servers.Server:
    return servers.Server(name, "app", [sys.executable, "-c", code], dict(os.environ), 0, tmp_path / f"{name}.log")


@pytest.mark.timeout(30)
def test_stop_all_ends_every_process_of_every_session(tmp_path: Path) -> None:
    started = [fake(tmp_path, f"s{n}") for n in range(3)]
    for server in started:
        server.start()
    try:
        assert all(server.running() for server in started)
        assert all(os.getsid(server.pid) == server.pid for server in started), "each in its own session"
    finally:
        servers.stop_all(started)
    assert sessions_alive(s.pid for s in started) == {}


@pytest.mark.timeout(30)
def test_a_server_that_exits_is_reported_with_its_log_and_not_left_running(tmp_path: Path) -> None:
    server = fake(tmp_path, "dying", "import sys\nprint('cannot bind', flush=True)\nsys.exit(3)")
    server.start()
    failures = servers.wait_ready({"dying": server}, {"dying": [servers.Probe("/api/health")]}, timeout=10)
    assert "dying exited while starting" in failures["dying"] and "cannot bind" in failures["dying"]
    assert not server.running()


ANSWERING = """
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def answer(self, status):
        body = json.dumps({"method": self.command}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(200)

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        sent = json.loads(self.rfile.read(length))
        self.answer(201 if sent["email"].endswith("@example.com") else 400)

HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


@pytest.mark.timeout(30)
def test_a_server_is_ready_when_it_answers_every_probe_as_expected_and_a_wrong_status_names_the_probe(
    tmp_path: Path,
) -> None:
    port = servers.free_port()
    server = servers.Server(
        "answering", "app", [sys.executable, "-c", ANSWERING, str(port)], dict(os.environ), port, tmp_path / "a.log"
    )
    server.start()
    try:
        write = servers.Probe("/api/users", "POST", servers.WRITE_PROBE_BODY, 201)
        assert servers.wait_ready({"answering": server}, {"answering": [servers.Probe("/api/health"), write]}) == {}
        wrong = servers.Probe("/api/users", "POST", {"email": "x@example.org"}, 201)
        failures = servers.wait_ready({"answering": server}, {"answering": [wrong]}, timeout=10)
        assert failures["answering"].startswith("answering answered POST /api/users with 400, not 201")
        assert not server.running(), "a server that failed its probes is stopped"
    finally:
        servers.stop_all([server])


SLOW_FIRST = """
import json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

answered = 0

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global answered
        answered += 1
        if answered <= int(sys.argv[2]):
            time.sleep(0.6)  # a queue left by the last slice, ahead of this request
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


@pytest.mark.timeout(30)
def test_settle_waits_until_the_health_check_answers_quickly_and_gives_up_at_its_limit(tmp_path: Path) -> None:
    port = servers.free_port()
    argv = [sys.executable, "-c", SLOW_FIRST, str(port), "2"]
    server = servers.Server("slow", "app", argv, dict(os.environ), port, tmp_path / "s.log")
    server.start()
    try:
        assert servers.wait_ready({"slow": server}, {"slow": [servers.Probe("/api/health")]}, timeout=10) == {}
        # wait_ready took the first slow answer; one more slow one, then quick ones.
        waited = servers.settle(server, limit=10)
        assert 0.6 <= waited < 5
        assert servers.settle(server, limit=10) < 0.5, "an idle server settles at once"
    finally:
        servers.stop_all([server])
    never = servers.Server(
        "never",
        "app",
        [sys.executable, "-c", SLOW_FIRST, str(port), "1000"],
        dict(os.environ),
        port,
        tmp_path / "n.log",
    )
    never.start()
    try:
        time.sleep(0.5)
        assert 1.0 <= servers.settle(never, limit=1.5) < 3.5
    finally:
        servers.stop_all([never])
