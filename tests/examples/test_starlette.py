"""Starlette specifics of examples/starlette/app.py, through Starlette's own TestClient."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient


# --8<-- [start:test_client]
def test_create_then_read_a_user(starlette_app: Starlette) -> None:
    client = TestClient(starlette_app)
    user = {"name": "Grace", "email": "grace@example.org"}
    created = client.post("/api/users", json=user)
    assert created.status_code == 201
    response = client.get(created.headers["Location"])
    assert response.status_code == 200
    assert response.json() == {"id": created.json()["id"], **user}


# --8<-- [end:test_client]


@pytest.fixture
def client(starlette_app: Starlette) -> Iterator[TestClient]:
    """A TestClient inside the app's lifespan, as a server runs it."""
    with TestClient(starlette_app) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/users", "GET, HEAD, POST"),
        ("DELETE", "/api/users/1", "GET, HEAD"),
        ("POST", "/api/cpu", "GET, HEAD"),
    ],
)
def test_a_405_is_json_and_allows_every_method_of_the_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    # /api/users has two routes, one per method: Starlette alone would name the first one's.
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"detail": "Method Not Allowed"}


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/users/abc", "/api/users/%D9%A1", "/api/users/-1"])
def test_a_path_the_routes_do_not_match_is_a_json_404(client: TestClient, path: str) -> None:
    # The int convertor matches ASCII digits only: other text never reaches the view.
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


@pytest.mark.parametrize("user_id", ["0", "9223372036854775808", "99999999999999999999"])
def test_an_id_out_of_range_reaches_the_view_and_is_a_404(client: TestClient, user_id: str) -> None:
    response = client.get(f"/api/users/{user_id}")
    assert (response.status_code, response.json()) == (404, {"detail": "User not found"})


def test_a_trailing_slash_redirects_to_the_route(client: TestClient) -> None:
    # Starlette's Router(redirect_slashes=True), as in FastAPI; Flask answers 404.
    response = client.get("/api/users/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].endswith("/api/users")


def test_validation_messages_say_what_is_expected(client: TestClient) -> None:
    response = client.post("/api/users", json={"name": "x" * 101, "email": "no"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"name": "must be 1 to 100 characters", "email": "must be an email address"}}


def chunks(size: int, chunk: int = 16 * 1024) -> Iterator[bytes]:
    """A body of `size` bytes sent in chunks, with no Content-Length."""
    for start in range(0, size, chunk):
        yield b" " * min(chunk, size - start)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_a_json_413(client: TestClient, chunked: bool) -> None:
    # Starlette has no default limit; the app's own applies whether or not the size is declared.
    size = 64 * 1024 + 1
    body = chunks(size) if chunked else b" " * size
    response = client.post("/api/users", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"errors": {"body": "must be at most 65536 bytes"}}


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\xfd", b'{"name": "\xe9", "email": "a@example.org"}', b"[" * 60_000, b""],
    ids=["not UTF-8", "Latin-1", "nested too deep", "empty"],
)
def test_a_body_that_is_not_json_is_a_400(client: TestClient, body: bytes) -> None:
    response = client.post("/api/users", content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (400, {"errors": {"body": "must be a JSON document"}})


def test_a_write_that_waits_out_the_busy_timeout_is_a_503(client: TestClient, starlette_app: Starlette) -> None:
    # The sqlite3 error is raised in a threadpool thread; the app's handler still answers it.
    holder = sqlite3.connect(starlette_app.state.database_path, isolation_level=None)
    previous, starlette_app.state.busy_timeout = starlette_app.state.busy_timeout, 0.1
    try:
        holder.execute("BEGIN IMMEDIATE")
        response = client.post("/api/users", json={"name": "Waiting", "email": "waiting@example.org"})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json() == {"detail": "The database is busy; retry shortly"}
    finally:
        starlette_app.state.busy_timeout = previous
        holder.close()


def test_the_lifespan_opens_and_closes_the_upstream_clients(starlette_app: Starlette) -> None:
    with TestClient(starlette_app) as client:
        assert client.get("/api/upstream/async").status_code == 200
        session = starlette_app.state.async_upstream
        assert not session.closed
    assert session.closed, "the aiohttp session is closed when the app stops"
