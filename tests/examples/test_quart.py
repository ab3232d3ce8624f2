"""Quart specifics of examples/quart/app.py, through Quart's own test client, and under Hypercorn."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Coroutine
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from quart import Quart
from servers import free_port, start, stop

T = TypeVar("T")


# --8<-- [start:test_client]
# Quart's test client is async: each call is awaited, here in an event loop of the test's
# own (pytest-asyncio would let the test itself be `async def`).
def test_create_then_read_a_user(quart_app: Quart) -> None:
    async def scenario() -> None:
        client = quart_app.test_client()
        user = {"name": "Grace", "email": "grace@example.org"}
        created = await client.post("/api/users", json=user)
        assert created.status_code == 201
        response = await client.get(created.headers["Location"])
        assert response.status_code == 200
        assert await response.get_json() == {"id": (await created.get_json())["id"], **user}

    asyncio.run(scenario())


# --8<-- [end:test_client]


def run(quart_app: Quart, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine in the app's startup and shutdown, which Quart's test app drives."""

    async def served() -> T:
        async with quart_app.test_app():
            return await coroutine

    return asyncio.run(served())


async def request(quart_app: Quart, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
    """One request through the test client: the status, lower-cased headers and JSON body."""
    response = await quart_app.test_client().open(path, method=method, **kwargs)
    headers = {name.lower(): value for name, value in response.headers.items()}
    return response.status_code, headers, await response.get_json()


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/users", "GET, HEAD, OPTIONS, POST"),
        ("DELETE", "/api/users/1", "GET, HEAD, OPTIONS"),
        ("POST", "/api/cpu", "GET, HEAD, OPTIONS"),
    ],
)
def test_a_405_is_json_and_allows_every_method_of_the_path(
    quart_app: Quart, method: str, path: str, allow: str
) -> None:
    # Flask's handler would drop Werkzeug's Allow header; this one keeps it, sorted.
    status, headers, body = asyncio.run(request(quart_app, method, path))
    assert (status, headers["allow"]) == (405, allow)
    assert body == {"detail": "The method is not allowed for the requested URL."}


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/users/abc", "/api/users/%D9%A1", "/api/users/"])
def test_a_path_the_routes_do_not_match_is_a_json_404(quart_app: Quart, path: str) -> None:
    status, _, body = asyncio.run(request(quart_app, "GET", path))
    assert status == 404
    assert body["detail"].startswith("The requested URL was not found")


def test_a_body_over_max_content_length_is_a_json_413(quart_app: Quart) -> None:
    size = quart_app.config["MAX_CONTENT_LENGTH"] + 1
    status, _, body = asyncio.run(
        request(quart_app, "POST", "/api/users", data=b" " * size, headers={"content-type": "application/json"})
    )
    assert (status, body) == (413, {"detail": "The data value transmitted exceeds the capacity limit."})


def test_a_streamed_body_over_the_limit_is_a_413_too(quart_app: Quart) -> None:
    # No Content-Length: Quart counts the bytes as they arrive and stops at the limit.
    async def stream() -> int:
        headers = {"content-type": "application/json"}
        async with quart_app.test_client().request("/api/users", method="POST", headers=headers) as connection:
            for _ in range(5):
                await connection.send(b" " * 16 * 1024)
            await connection.send_complete()
        return (await connection.as_response()).status_code

    assert asyncio.run(stream()) == 413


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\xfd", b'{"name": "\xe9", "email": "a@example.org"}', b"[" * 60_000, b""],
    ids=["not UTF-8", "Latin-1", "nested too deep", "empty"],
)
def test_a_body_that_is_not_json_is_a_400(quart_app: Quart, body: bytes) -> None:
    # Quart decodes the body strictly before parsing: get_json(silent=True) alone would
    # let a UnicodeDecodeError (or json's RecursionError) through, as a 500.
    status, _, reply = asyncio.run(
        request(quart_app, "POST", "/api/users", data=body, headers={"content-type": "application/json"})
    )
    assert (status, reply) == (400, {"errors": {"body": "must be a JSON object"}})


def test_validation_messages_say_what_is_expected(quart_app: Quart) -> None:
    status, _, body = asyncio.run(request(quart_app, "POST", "/api/users", json={"name": "x" * 101, "email": "no"}))
    assert status == 400
    assert body == {"errors": {"name": "must be 1 to 100 characters", "email": "must be an email address"}}


@pytest.fixture
def write_lock(quart_app: Quart) -> Any:
    """Another connection holding the database's write lock, as a concurrent writer would."""
    holder = sqlite3.connect(quart_app.config["DATABASE_PATH"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.close()


def test_a_write_that_waits_out_the_busy_timeout_is_a_503(
    quart_app: Quart, write_lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(quart_app.config, "DATABASE_BUSY_TIMEOUT", 0.1)
    status, headers, body = asyncio.run(
        request(quart_app, "POST", "/api/users", json={"name": "Waiting", "email": "waiting@example.org"})
    )
    assert (status, headers["retry-after"], body) == (503, "1", {"detail": "The database is busy; retry shortly"})


def test_a_write_waiting_for_the_lock_does_not_hold_up_the_event_loop(
    quart_app: Quart, write_lock: sqlite3.Connection
) -> None:
    # The INSERT waits for the lock in run_sync's thread; the loop meanwhile answers a read.
    async def scenario() -> tuple[int, int]:
        client = quart_app.test_client()
        write = asyncio.ensure_future(client.post("/api/users", json={"name": "Later", "email": "later@example.org"}))
        await asyncio.sleep(0.2)  # the write is under way, waiting for the lock
        read = await asyncio.wait_for(client.get("/api/users/1"), timeout=1)
        assert not write.done(), "the read was answered while the write waited"
        write_lock.execute("ROLLBACK")  # the other writer lets go
        return read.status_code, (await write).status_code

    assert asyncio.run(scenario()) == (200, 201)


def test_the_test_app_opens_and_closes_the_upstream_clients(quart_app: Quart) -> None:
    # Quart's test client alone runs no lifespan: before_serving has not run.
    assert "async_upstream" not in quart_app.extensions

    async def scenario() -> Any:
        status, _, _ = await request(quart_app, "GET", "/api/upstream/async")
        assert status == 200
        session = quart_app.extensions["async_upstream"]
        assert not session.closed
        return session

    session = run(quart_app, scenario())
    assert session.closed, "after_serving closed the aiohttp session"
    assert "async_upstream" not in quart_app.extensions


def group_members(pgid: int) -> dict[int, str]:
    """The processes of a process group that have not exited (zombies aside), by pid: their state."""
    members = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # exited meanwhile
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            members[int(stat.parent.name)] = state
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_sigterm_to_the_process_group_stops_every_hypercorn_worker(run_module: ModuleType, tmp_path: Path) -> None:
    # Hypercorn's workers install no handler of their own (its master tells them to stop
    # through a shared event), so SIGTERM to the whole group ends them at once; the master
    # exits without waiting, leaving its multiprocessing resource tracker for init to reap.
    database = tmp_path / "users.sqlite3"
    run_module.seed(database, "quart")
    port = free_port()
    argv, env = run_module.server_command("quart-hypercorn", port=port, database_path=database, workers=2)
    server = start("quart-hypercorn", argv, env, port, tmp_path / "server.log")
    assert len(group_members(server.process.pid)) == 4, "master, resource tracker and 2 workers"
    stop(server)
    assert server.process.returncode == 0
    # The master does not wait for its workers: they end on their own signal, a moment later.
    deadline = time.monotonic() + 10
    while group_members(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_members(server.process.pid) == {}
