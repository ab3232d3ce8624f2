"""bench/load.py and its wrk scripts: the command line, the report, errors by kind and status, writes with new emails."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import load

REPORT = (
    'BENCH-JSON {"requests":10,"duration_us":2000000,"bytes":5,"non_2xx":4,"statuses":{"503":3,"409":1},'
    '"errors":{"connect":1,"read":2,"write":0,"status":4,"timeout":3},'
    '"latency_us":{"p50":100,"p90":200,"p99":300,"max":400,"mean":150.0}}'
)


def test_the_report_is_read_from_the_lua_line() -> None:
    report = load.parse("Running 1s test\n" + REPORT + "\n")
    assert report["requests"] == 10 and load.rate(report) == 5.0
    assert load.socket_errors(report) == 6 and load.socket_errors(report, timeouts=False) == 3
    assert load.timeouts(report) == 3
    assert load.statuses(report) == {"409": 1, "503": 3}
    assert load.describe_errors([report]) == "4 non-2xx (409: 1, 503: 3), 6 socket errors"
    assert load.describe_errors([report], timeouts_fail=False) == "4 non-2xx (409: 1, 503: 3), 3 socket errors"
    with pytest.raises(RuntimeError, match="wrk printed no report"):
        load.parse("unable to connect", "error")


def test_an_older_report_without_statuses_still_reads() -> None:
    report = json.loads(REPORT.removeprefix("BENCH-JSON "))
    del report["statuses"]
    assert load.statuses(report) == {} and load.describe_errors([report]) == "4 non-2xx, 6 socket errors"


def test_the_command_line() -> None:
    work = load.Load("http://127.0.0.1:1/x", 2, 64, 3, script="write.lua", script_args=("r1-7",))
    argv = work.argv("/usr/bin/wrk")
    assert argv[:7] == ["/usr/bin/wrk", "-t", "1", "-c", "64", "-d", "2s"]
    assert argv[argv.index("--timeout") + 1] == "3s" and argv[argv.index("-s") + 1] == str(load.SCRIPTS / "write.lua")
    assert argv[-3:] == ["http://127.0.0.1:1/x", "--", "r1-7"]
    assert "--" not in load.Load("http://127.0.0.1:1/", 1, 1, 2).argv("wrk")


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.bodies: list[dict[str, str]] = []
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Recorder

    def do_POST(self) -> None:  # noqa: N802  (the http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.bodies.append(body)
            duplicate = [b["email"] for b in self.server.bodies].count(body["email"]) > 1
        status = 409 if duplicate else (201 if self.headers["Content-Type"] == "application/json" else 415)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(503 if self.path == "/busy" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        pytest.skip("wrk is not installed")
    return found


@pytest.mark.timeout(30)
def test_write_lua_posts_json_with_an_email_no_other_request_used(recorder: Recorder) -> None:
    url = f"http://127.0.0.1:{recorder.server_address[1]}/api/users"
    reports = [
        load.run(wrk(), load.Load(url, 1, 4, 2, threads=2, script="write.lua", script_args=(p,))) for p in ("a1", "a2")
    ]
    emails = [b["email"] for b in recorder.bodies]
    assert len(emails) > 10 and len(set(emails)) == len(emails), "no two requests shared an email"
    assert {e.split("-")[0] for e in emails} == {"a1", "a2"} and all(e.endswith("@example.com") for e in emails)
    assert {b["name"] for b in recorder.bodies} == {"Bench User"}
    assert all(r["non_2xx"] == 0 for r in reports), "every answer was a 201: JSON, and no duplicate"


@pytest.mark.timeout(30)
def test_report_lua_counts_each_status_and_the_tick_runs_meanwhile(recorder: Recorder) -> None:
    url = f"http://127.0.0.1:{recorder.server_address[1]}/busy"
    ticks: list[int] = []
    report = load.run(wrk(), load.Load(url, 1, 2, 2), tick=lambda: ticks.append(1), every=0.1)
    assert report["requests"] > 0 and report["non_2xx"] == report["requests"]
    assert load.statuses(report) == {"503": report["requests"]}
    assert len(ticks) >= 3
