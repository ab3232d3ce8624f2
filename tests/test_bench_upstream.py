"""bench/upstream.py: the upstream service the I/O-bound endpoint calls, as a real process on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import upstream
from bench.sampling import CLOCK_TICKS, sessions_alive


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"GET / HTTP/1.1\r\nHost: x", ("GET", True)),
        (b"GET / HTTP/1.1\r\nConnection: close", ("GET", False)),
        (b"GET / HTTP/1.0\r\nHost: x", ("GET", False)),
        (b"GET / HTTP/1.0\r\nConnection: keep-alive", ("GET", True)),
        (b"POST / HTTP/1.1\r\nContent-Length: 0", ("POST", True)),
    ],
)
def test_request_heads_give_their_method_and_keep_alive(head: bytes, expected: tuple[str, bool]) -> None:
    assert upstream.parse_head(head) == expected


@pytest.mark.parametrize("head", [b"nonsense", b"GET /\r\n", b"POST / HTTP/1.1\r\nContent-Length: 5"])
def test_anything_else_is_refused(head: bytes) -> None:
    with pytest.raises(ValueError):
        upstream.parse_head(head)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[upstream.Upstream]:
    handle = upstream.Upstream(50, tmp_path_factory.mktemp("upstream") / "upstream.log")
    handle.start()
    yield handle
    handle.stop()
    assert sessions_alive([handle.pid]) == {}, "stopped with its whole process group"


def exchange(port: int, request: bytes) -> tuple[bytes, float]:
    """Send raw bytes on a new connection; (everything the server sent until it closed, seconds to the first byte)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        started = time.monotonic()
        sock.sendall(request)
        chunks = [sock.recv(65536)]
        first = time.monotonic() - started
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks), first


def test_it_answers_get_with_json_after_the_delay(service: upstream.Upstream) -> None:
    reply, waited = exchange(service.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Type: application/json" in head
    assert json.loads(body) == {"service": "bench upstream", "delay_ms": 50}
    assert 0.045 <= waited < 1.0


def test_it_keeps_a_connection_and_answers_in_order(service: upstream.Upstream) -> None:
    two = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    reply, _ = exchange(service.port, two)
    assert reply.count(b"HTTP/1.1 200 OK") == 2
    assert b"Connection: keep-alive" in reply and reply.rstrip().endswith(b"}")


def test_it_refuses_other_methods_and_garbage(service: upstream.Upstream) -> None:
    assert exchange(service.port, b"DELETE / HTTP/1.1\r\n\r\n")[0].startswith(b"HTTP/1.1 405")
    assert exchange(service.port, b"hello\r\n\r\n")[0].startswith(b"HTTP/1.1 400")


@pytest.mark.timeout(60)
def test_it_holds_256_connections_at_once_with_little_cpu(service: upstream.Upstream) -> None:
    async def one() -> float:
        reader, writer = await asyncio.open_connection("127.0.0.1", service.port)
        started = time.monotonic()
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await reader.read()
        writer.close()
        return time.monotonic() - started

    async def all_at_once() -> list[float]:
        return await asyncio.gather(*(one() for _ in range(256)))

    before = service.cpu_ticks()
    waits = asyncio.run(all_at_once())
    used = (service.cpu_ticks() - before) / CLOCK_TICKS
    assert min(waits) >= 0.045, "every request waited out the delay"
    assert sorted(waits)[128] < 1.0, "and the median not much more: they waited together, not in turn"
    assert used < 1.0, f"256 requests took {used:.2f} s of the upstream's CPU"


def test_a_start_that_fails_says_why(tmp_path: Path) -> None:
    broken = upstream.Upstream(50, tmp_path / "upstream.log", python="/bin/false")
    with pytest.raises(RuntimeError, match="the upstream service did not start"):
        broken.start(timeout=5)
    assert not broken.running()
