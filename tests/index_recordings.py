"""Recorded package-index answers, served from a local http.server on 127.0.0.1 for the facts/ tests.

tests/fixtures/index/README.md says where each recording comes from. The
server answers, for a recording set `<name>` (a folder of the fixtures):

    /<name>/simple/<project>/   the recorded page: <name>/<project>.json (PEP 691
                                JSON), or <name>/<project>.html; a project the set
                                does not record comes from `current`
    /<name>/files/<wheel>       a tiny wheel holding the recorded METADATA of that file
    /down/...                   503, as an index that is down answers

The wheels are built here from metadata/<wheel>.metadata, and a JSON page's
sha256 and size of each such wheel are filled in as it is served, as an index
states the digest of the file it serves. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "index"
JSON_TYPE = "application/vnd.pypi.simple.v1+json"


def build_wheel(filename: str, metadata: bytes) -> bytes:
    """A minimal wheel: its dist-info's METADATA, WHEEL and RECORD, with fixed times so the bytes repeat."""
    dist_info = "-".join(filename.split("-")[:2]) + ".dist-info"
    members = {
        f"{dist_info}/METADATA": metadata,
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests/index_recordings.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{name},,\n" for name in [*members, f"{dist_info}/RECORD"])
    members[f"{dist_info}/RECORD"] = record.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in members.items():
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def wheels() -> dict[str, bytes]:
    """Every recorded wheel, by file name."""
    return {
        path.name.removesuffix(".metadata"): build_wheel(path.name.removesuffix(".metadata"), path.read_bytes())
        for path in sorted((FIXTURES / "metadata").glob("*.whl.metadata"))
    }


def page(name: str, project: str, built: dict[str, bytes]) -> tuple[str, bytes] | None:
    """The Content-Type and body of a recorded project page, or None when there is none."""
    for folder in (name, "current"):
        json_page = FIXTURES / folder / f"{project}.json"
        html_page = FIXTURES / folder / f"{project}.html"
        if json_page.is_file():
            data = json.loads(json_page.read_text(encoding="utf-8"))
            for file in data.get("files", []) if isinstance(data.get("files"), list) else []:
                if isinstance(file, dict) and file.get("filename") in built:
                    content = built[file["filename"]]
                    file["hashes"] = {"sha256": hashlib.sha256(content).hexdigest()}
                    file["size"] = len(content)
            return JSON_TYPE, json.dumps(data).encode()
        if html_page.is_file():
            return "text/html; charset=utf-8", html_page.read_bytes()
    return None


@dataclass(frozen=True)
class RecordedIndex:
    """The running server: the Simple API address of each recording set."""

    base: str

    def endpoint(self, name: str) -> str:
        """The Simple API address that serves the recording set `name`."""
        return f"{self.base}/{name}/simple/"


def _handler(built: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.split("?", 1)[0].strip("/").split("/")
            if parts[0] == "down":
                self._send(503, "text/plain", b"Service Unavailable")
            elif len(parts) == 3 and parts[1] == "simple" and (found := page(parts[0], parts[2], built)):
                self._send(200, *found)
            elif len(parts) == 3 and parts[1] == "files" and parts[2] in built:
                self._send(200, "application/octet-stream", built[parts[2]])
            else:
                self._send(404, "text/plain", b"Not Found")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows what a failing test printed, not every request."""

    return Handler


@contextmanager
def serve() -> Iterator[RecordedIndex]:
    """Serve the recordings on a free port of 127.0.0.1 until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(wheels()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RecordedIndex(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
