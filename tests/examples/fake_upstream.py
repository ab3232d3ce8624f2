"""An upstream HTTP service on 127.0.0.1, in the test process, for the I/O-bound endpoints."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = {"service": "fake upstream", "items": [1, 2, 3]}


class FakeUpstream(ThreadingHTTPServer):
    """Answers every GET with ANSWER; with a 500 while `failing` is set, with a body that is not JSON while `garbled` is."""

    daemon_threads = True
    failing = False
    garbled = False
    requests = 0

    @property
    def url(self) -> str:
        """The base URL the apps call."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeUpstream

    def do_GET(self) -> None:  # noqa: N802  (the http.server API)
        self.server.requests += 1
        status, body = (500, b"{}") if self.server.failing else (200, json.dumps(ANSWER).encode())
        if self.server.garbled:
            body = b"<html>not JSON</html>"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: the test output is for failures."""


@contextmanager
def running() -> Iterator[FakeUpstream]:
    """Serve the fake upstream on a free port until the block ends."""
    server = FakeUpstream(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
