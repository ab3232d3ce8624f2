"""The upstream service the I/O-bound workload calls: `GET /` answered with JSON after a fixed delay.

    python -m bench.upstream [--delay-ms 50] [--port 0]

It prints `READY <port>` once it listens on 127.0.0.1, then serves until SIGTERM.
One process, one event loop (uvloop when it is installed), a bare asyncio Protocol
and no framework: it must hold 256 or more connections, each waiting out the delay,
while using as little of the machine as possible, since the servers under test share
the cores with it. The harness starts it in its own session, reads its CPU time per
slice, and stops it through its process group (`Upstream`).

Only the standard library, besides the optional uvloop: it runs on the harness's python.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from bench.processes import stop_group

DELAY_MS = 50
BODY = json.dumps({"service": "bench upstream", "delay_ms": DELAY_MS}).encode()
MAX_HEAD = 16 * 1024  # a request head longer than this is refused: the apps' clients send a few hundred bytes
BACKLOG = 4096


def response(status: int, body: bytes, *, close: bool) -> bytes:
    """One HTTP/1.1 response with a JSON body."""
    reason = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed"}[status]
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: {'close' if close else 'keep-alive'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def parse_head(head: bytes) -> tuple[str, bool]:
    """(method, keep-alive) of one request head; HTTP/1.0 closes unless it asks to keep the connection."""
    line, _, rest = head.partition(b"\r\n")
    parts = line.split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise ValueError("not an HTTP/1.x request line")
    rest = rest.lower()
    if b"transfer-encoding:" in rest or (b"content-length:" in rest and not _no_body(rest)):
        raise ValueError("a request with a body")  # the apps send GET / with none
    if parts[2] == b"HTTP/1.1":
        keep_alive = b"connection: close" not in rest and b"connection:close" not in rest
    else:
        keep_alive = b"connection: keep-alive" in rest or b"connection:keep-alive" in rest
    return parts[0].decode("latin-1"), keep_alive


def _no_body(lowered_headers: bytes) -> bool:
    """Whether every Content-Length header of a lowercased head is 0."""
    values = [
        line.partition(b":")[2].strip()
        for line in lowered_headers.split(b"\r\n")
        if line.startswith(b"content-length:")
    ]
    return all(value == b"0" for value in values)


class UpstreamProtocol(asyncio.Protocol):
    """One connection: each request head is answered after the delay, in order, one at a time."""

    def __init__(self, delay: float, body: bytes = BODY) -> None:
        self.delay = delay
        self.keep_alive_response = response(200, body, close=False)
        self.close_response = response(200, body, close=True)
        self.buffer = b""
        self.waiting = False  # a response is scheduled and not yet sent
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._next()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.transport = None

    def _next(self) -> None:
        """Schedule the answer to the next complete request, unless one is already waiting."""
        if self.waiting or self.transport is None:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD:
                self._send(response(400, b'{"error": "request head too long"}', close=True), close=True)
            return
        head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
        try:
            method, keep_alive = parse_head(head)
        except ValueError as error:
            self._send(response(400, json.dumps({"error": str(error)}).encode(), close=True), close=True)
            return
        if method != "GET":
            self._send(response(405, b'{"error": "only GET"}', close=True), close=True)
            return
        self.waiting = True
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(self.delay, self._answer, keep_alive)

    def _answer(self, keep_alive: bool) -> None:
        self.waiting = False
        self.timer = None
        self._send(self.keep_alive_response if keep_alive else self.close_response, close=not keep_alive)
        self._next()

    def _send(self, data: bytes, *, close: bool) -> None:
        if self.transport is None:
            return
        self.transport.write(data)
        if close:
            self.transport.close()
            self.transport = None


def event_loop_name() -> str:
    """`uvloop` when it is installed, else `asyncio`: the loop `serve` runs on."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


async def serve(port: int, delay: float, ready: Callable[[int], None]) -> None:
    """Listen on 127.0.0.1:port (0: any free port), call ready(port), serve until SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    body = json.dumps({"service": "bench upstream", "delay_ms": round(delay * 1000)}).encode()
    server = await loop.create_server(
        lambda: UpstreamProtocol(delay, body), "127.0.0.1", port, backlog=BACKLOG, reuse_address=True
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    ready(int(server.sockets[0].getsockname()[1]))
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Run the upstream service in this process."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (default: any free one)")
    parser.add_argument(
        "--delay-ms", type=float, default=DELAY_MS, help=f"the delay before each answer (default {DELAY_MS})"
    )
    args = parser.parse_args(argv)

    def ready(port: int) -> None:
        print(f"READY {port}", flush=True)

    coroutine = serve(args.port, args.delay_ms / 1000, ready)
    if event_loop_name() == "uvloop":
        import uvloop

        uvloop.run(coroutine)
    else:
        asyncio.run(coroutine)


# --- the harness's handle on it -------------------------------------------------------------


@dataclass
class Upstream:
    """The upstream service as a child process in its own session, stopped through its process group."""

    delay_ms: float
    log_path: Path
    python: str = sys.executable
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The base URL the apps call (UPSTREAM_URL)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """Its process id, which is also its session and process group id."""
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 15.0, preexec_fn: Callable[[], None] | None = None) -> None:
        """Start it and wait for its READY line; raise RuntimeError with its log if it does not come."""
        root = Path(__file__).resolve().parent.parent
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [self.python, "-m", "bench.upstream", "--delay-ms", f"{self.delay_ms:g}"],
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
                preexec_fn=preexec_fn,  # noqa: PLW1509 - single-threaded harness
            )
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline and not line.endswith(b"\n"):
            readable, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if readable:
                chunk = os.read(self.process.stdout.fileno(), 256)
                if not chunk:
                    break
                line += chunk
            elif self.process.poll() is not None:
                break
        words = line.decode(errors="replace").split()
        if len(words) == 2 and words[0] == "READY" and words[1].isdigit():
            self.port = int(words[1])
            return
        self.stop()
        log_text = self.log_path.read_text(errors="replace")[-1500:] if self.log_path.exists() else ""
        raise RuntimeError(f"the upstream service did not start: {line!r}\n{log_text}")

    def running(self) -> bool:
        """Whether its process is alive."""
        return self.process is not None and self.process.poll() is None

    def cpu_ticks(self) -> int:
        """Its user + system CPU time so far, in clock ticks (0 once it has exited)."""
        try:
            text = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return 0
        fields = text[text.rindex(")") + 2 :].split()
        return int(fields[11]) + int(fields[12])

    def stop(self) -> None:
        """SIGTERM to its process group, SIGKILL after 5 s."""
        if self.process is None:
            return
        stop_group(self.process, timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


if __name__ == "__main__":
    main()
