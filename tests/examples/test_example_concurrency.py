"""Concurrent writes under each app's production server: no 5xx, no lost write, a 503 when busy."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from example_api import APPS, count_users
from servers import Server, serve_app, stop

CLIENTS = 64
DISTINCT_USERS = 400
# What these tests give the apps' DATABASE_BUSY_TIMEOUT (5 s by default): a write may wait
# this long for the lock before its 503. The tests run beside others (scripts/run_tests.py),
# and on a loaded machine a write can wait past 5 s; what they check is that no write is
# lost or doubled, not how long one waits (the busy-timeout test below checks the 503).
LOADED_BUSY_TIMEOUT = 30.0
# Above that: a write that waits for the lock is answered before this client gives up on it.
CLIENT_TIMEOUT = 60.0
SEEDED = 5

pytestmark = pytest.mark.timeout(180)


def create(server: Server, email: str) -> tuple[int, dict[str, str], Any]:
    """POST one new user; return the status, headers and parsed body."""
    status, headers, body = server.request(
        "POST", "/api/users", {"name": "Load Test", "email": email}, timeout=CLIENT_TIMEOUT
    )
    return status, headers, json.loads(body)


@pytest.fixture(scope="module", params=APPS)
def two_workers(
    request: pytest.FixtureRequest, run_module: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """An app under its production server with 2 worker processes, on a fresh database."""
    database = tmp_path_factory.mktemp(request.param) / "users.sqlite3"
    server = serve_app(
        run_module, request.param, database, workers=2, env={"DATABASE_BUSY_TIMEOUT": str(LOADED_BUSY_TIMEOUT)}
    )
    yield server
    stop(server)


def database(server: Server) -> Path:
    """The SQLite file the server was started on."""
    assert server.database is not None
    return server.database


def test_same_email_from_64_clients_at_once_creates_one_user(two_workers: Server) -> None:
    barrier = threading.Barrier(CLIENTS)

    def attempt(_: int) -> int:
        barrier.wait(timeout=CLIENT_TIMEOUT)  # every request leaves at the same moment
        return create(two_workers, "same@example.org")[0]

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = sorted(pool.map(attempt, range(CLIENTS)))
    assert statuses == [201] + [409] * (CLIENTS - 1)


def test_400_distinct_users_from_64_clients_are_all_created_and_readable(two_workers: Server) -> None:
    before = count_users(database(two_workers))
    emails = [f"user{n}@example.org" for n in range(DISTINCT_USERS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        replies = list(pool.map(lambda email: create(two_workers, email), emails))
    assert sorted({status for status, _, _ in replies}) == [201], [r for r in replies if r[0] != 201][:3]
    assert sorted(body["email"] for _, _, body in replies) == sorted(emails)
    assert count_users(database(two_workers)) == before + DISTINCT_USERS
    for _, headers, body in replies:
        status, _, read = two_workers.request("GET", headers["location"])
        assert (status, json.loads(read)) == (200, body)


BUSY_TIMEOUT = 0.5  # seconds: the apps' DATABASE_BUSY_TIMEOUT, short to keep the test quick


@pytest.mark.parametrize("app", APPS)
def test_a_write_that_waits_out_the_busy_timeout_is_a_503(run_module: ModuleType, tmp_path: Path, app: str) -> None:
    path = tmp_path / "users.sqlite3"
    server = serve_app(run_module, app, path, workers=1, env={"DATABASE_BUSY_TIMEOUT": str(BUSY_TIMEOUT)})
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held well past the timeout
        status, headers, body = create(server, "waiting@example.org")
        assert status == 503, body
        assert headers["content-type"].startswith("application/json")
        assert int(headers["retry-after"]) >= 1
        assert body["detail"]
        # WAL: a read does not wait for the writer.
        status, _, read = server.request("GET", "/api/users/1", timeout=BUSY_TIMEOUT)
        assert (status, json.loads(read)["id"]) == (200, 1)
        holder.execute("ROLLBACK")
        assert create(server, "waiting@example.org")[0] == 201, "the retry succeeds"
    finally:
        holder.close()
        stop(server)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()
    assert count_users(path) == SEEDED + 1


@pytest.mark.parametrize("app", APPS)
def test_users_answered_201_survive_a_kill_in_mid_load(run_module: ModuleType, tmp_path: Path, app: str) -> None:
    path = tmp_path / "users.sqlite3"
    server = serve_app(run_module, app, path, workers=2)
    created: dict[int, str] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def write_until_killed(client: int) -> None:
        for n in range(10_000):
            email = f"c{client}n{n}@example.org"
            try:
                status, _, body = create(server, email)
            except (OSError, http.client.HTTPException):  # the server is gone, maybe mid-answer
                return
            if status == 201:
                with lock:
                    created[body["id"]] = email
                    if len(created) >= 200 and not killed.is_set():
                        killed.set()
                        os.killpg(server.process.pid, signal.SIGKILL)  # the whole group, at once
            else:
                assert status < 500, body

    try:
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(write_until_killed, range(16)))
    finally:
        stop(server)  # reaps the killed group too, so no process outlives a failed test
    assert killed.is_set(), f"only {len(created)} users were created before the load ended"

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    db.close()
    restarted = serve_app(run_module, app, path, workers=1, seed=False)
    try:
        for user_id, email in created.items():
            status, _, body = restarted.request("GET", f"/api/users/{user_id}")
            assert (status, json.loads(body)["email"]) == (200, email)
    finally:
        stop(restarted)
