"""The users API in Starlette: routes, hand-written validation and sqlite3, without FastAPI's layer."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import aiohttp
import urllib3
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Match, Route

# --8<-- [start:upstream_clients]
# The benchmark's I/O-bound workload calls an upstream service, whose address comes from
# the environment, through one client of each kind per worker process.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL")
UPSTREAM_TIMEOUT = 30.0  # seconds; the benchmark's upstream answers in 50 ms


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Open the upstream clients when a worker starts; close them when it stops."""
    # urllib3 for the `def` view: thread-safe, keeping more connections open than the
    # threadpool has threads (40); aiohttp for the `async def` one, with no cap on open
    # connections. Neither pool limits its view, or closes and reopens connections under load.
    async with aiohttp.ClientSession(
        UPSTREAM_URL or None,
        connector=aiohttp.TCPConnector(limit=0),
        timeout=aiohttp.ClientTimeout(total=UPSTREAM_TIMEOUT),
    ) as session:
        with urllib3.PoolManager(maxsize=1024, timeout=UPSTREAM_TIMEOUT, retries=False) as client:
            app.state.upstream, app.state.async_upstream = client, session
            yield


# --8<-- [end:upstream_clients]


DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# SQLite integers are 64-bit: a larger id or offset cannot be stored and makes sqlite3 raise.
SQLITE_MAX_INT = 2**63 - 1


# --8<-- [start:concurrency]
# How long a write waits for another's lock before the API answers 503: less than a
# client's timeout. The database is in WAL mode (schema.sql), so reads never wait.
DATABASE_BUSY_TIMEOUT = float(os.environ.get("DATABASE_BUSY_TIMEOUT", "5"))


@contextmanager
def connect(request: Request) -> Iterator[sqlite3.Connection]:
    """Open a connection for one request's work, in the thread that does it, and close it."""
    db = sqlite3.connect(
        request.app.state.database_path,
        timeout=request.app.state.busy_timeout,
        # sqlite3 opens each write with BEGIN IMMEDIATE: it takes the write lock up
        # front and waits for it, instead of failing mid-transaction.
        isolation_level="IMMEDIATE",
    )
    try:
        yield db
    finally:
        db.close()


def database_busy(request: Request, error: Exception) -> JSONResponse:
    """A write that waited out the busy timeout is a 503 the client may retry."""
    assert isinstance(error, sqlite3.OperationalError)  # the class it is registered for
    if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
        raise error  # any other database error is a bug: a 500
    return JSONResponse({"detail": "The database is busy; retry shortly"}, 503, {"Retry-After": "1"})


# --8<-- [end:concurrency]


def user_json(row: tuple[int, str, str]) -> dict[str, Any]:
    """Turn an (id, name, email) row into the API's JSON object."""
    user_id, name, email = row
    return {"id": user_id, "name": name, "email": email}


# Plain `def` endpoints, not `async def`: sqlite3 blocks, so Starlette runs them in its
# threadpool and the event loop stays free for other requests.
def health(request: Request) -> JSONResponse:
    """Answer without touching the database: measures the framework alone."""
    return JSONResponse({"status": "ok"})


# --8<-- [start:get_user]
# Routed as /api/users/{user_id:int}: Starlette's int convertor matches ASCII digits
# only ([0-9]+), so any other text ("abc", "-1", "١") never reaches the view: a 404.
def get_user(request: Request) -> JSONResponse:
    """Return one user, or a JSON 404."""
    user_id: int = request.path_params["user_id"]  # already an int
    row = None
    if 1 <= user_id <= SQLITE_MAX_INT:  # no other id can exist, and sqlite3 would raise
        with connect(request) as db:
            sql = "SELECT id, name, email FROM users WHERE id = ?"
            row = db.execute(sql, (user_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "User not found")
    return JSONResponse(user_json(row))


# --8<-- [end:get_user]


# --8<-- [start:validation]
MAX_NAME_LENGTH = 100
# A shape check, not RFC 5322: something@domain.tld without spaces or empty labels.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# Starlette reads a body of any size: a user is a few hundred bytes, so cap it well above.
MAX_BODY_SIZE = 64 * 1024


def validate_user(data: Any) -> dict[str, str]:
    """Return an error message per invalid field; an empty dict means valid."""
    if not isinstance(data, dict):
        return {"body": "must be a JSON object"}
    errors = {}
    name, email = data.get("name"), data.get("email")
    if not isinstance(name, str):
        errors["name"] = "is required and must be a string"
    elif not 1 <= len(name.strip()) <= MAX_NAME_LENGTH:
        errors["name"] = f"must be 1 to {MAX_NAME_LENGTH} characters"
    if not isinstance(email, str):
        errors["email"] = "is required and must be a string"
    elif len(email) > 254 or not EMAIL_RE.fullmatch(email):
        errors["email"] = "must be an email address"
    return errors


# --8<-- [end:validation]


def is_json(request: Request) -> bool:
    """Whether the Content-Type is JSON: application/json or application/*+json, as Flask reads it."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


async def read_body(request: Request) -> bytes | None:
    """The request body, or None as soon as it is, or says it is, over MAX_BODY_SIZE."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_SIZE:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_SIZE:
            return None
    return bytes(body)


# --8<-- [start:create_user]
def body_error(status: int, message: str) -> JSONResponse:
    """A refused request body, in the shape of the validation errors."""
    return JSONResponse({"errors": {"body": message}}, status)


# `async def`: reading the body is awaited. The blocking INSERT goes to the threadpool.
async def create_user(request: Request) -> JSONResponse:
    """Create a user from JSON {"name", "email"}."""
    if not is_json(request):
        return body_error(415, "Content-Type must be application/json")
    body = await read_body(request)
    if body is None:
        return body_error(413, f"must be at most {MAX_BODY_SIZE} bytes")
    try:
        data = json.loads(body)  # bytes: UTF-8 (or UTF-16/32, detected), as Flask reads it
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
        return body_error(400, "must be a JSON document")
    if errors := validate_user(data):
        return JSONResponse({"errors": errors}, 400)
    name, email = data["name"].strip(), data["email"]
    user_id = await run_in_threadpool(insert_user, request, name, email)
    user = {"id": user_id, "name": name, "email": email}
    return JSONResponse(user, 201, {"Location": f"/api/users/{user_id}"})


def insert_user(request: Request, name: str, email: str) -> int:
    """Insert the user and return its id; a 409 when the email is taken."""
    with connect(request) as db:
        try:
            with db:  # commits, or rolls back on error
                cursor = db.execute("INSERT INTO users (name, email) VALUES (?, ?)", (name, email))
        except sqlite3.IntegrityError:  # the UNIQUE constraint on email
            raise HTTPException(409, "A user with this email already exists") from None
    assert cursor.lastrowid is not None  # set by every successful INSERT
    return cursor.lastrowid


# --8<-- [end:create_user]


def list_users(request: Request) -> JSONResponse:
    """Return a page of users ordered by id: ?limit= (default 20, capped at 100) &offset=."""
    limit = int_param(request, "limit", DEFAULT_LIMIT, minimum=1)
    offset = int_param(request, "offset", 0, minimum=0)
    errors = {}
    if limit is None:
        errors["limit"] = "must be an integer of at least 1"
    if offset is None or offset > SQLITE_MAX_INT:
        errors["offset"] = f"must be an integer from 0 to {SQLITE_MAX_INT}"
    if errors:
        return JSONResponse({"errors": errors}, 400)
    assert limit is not None and offset is not None
    with connect(request) as db:
        rows = db.execute(
            "SELECT id, name, email FROM users ORDER BY id LIMIT ? OFFSET ?",
            (min(limit, MAX_LIMIT), offset),
        ).fetchall()
    return JSONResponse([user_json(row) for row in rows])


def int_param(request: Request, name: str, default: int, *, minimum: int) -> int | None:
    """Read an integer query parameter; None when it is not one, or below minimum."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    # re.ASCII: int() alone would also accept " 5", "5_0" and non-ASCII digits.
    if re.fullmatch(r"\d+", raw, re.ASCII) and int(raw) >= minimum:
        return int(raw)
    return None


# --8<-- [start:workloads]
UPSTREAM_FAILED = "The upstream service did not answer"
NO_UPSTREAM = "No upstream service is configured (UPSTREAM_URL)"


def upstream_sync(request: Request) -> JSONResponse:
    """Call the upstream service from a `def` endpoint: a threadpool thread waits for it."""
    if not UPSTREAM_URL:
        raise HTTPException(503, NO_UPSTREAM)
    try:
        reply = request.app.state.upstream.request("GET", f"{UPSTREAM_URL}/")
        if reply.status != 200:
            raise ValueError(reply.status)
        answer = reply.json()
    except (urllib3.exceptions.HTTPError, ValueError):  # no answer, an error status, or not JSON
        raise HTTPException(502, UPSTREAM_FAILED) from None
    return JSONResponse({"upstream": answer})


async def upstream_async(request: Request) -> JSONResponse:
    """The same from an `async def` endpoint: the event loop serves others meanwhile."""
    if not UPSTREAM_URL:
        raise HTTPException(503, NO_UPSTREAM)
    try:
        async with request.app.state.async_upstream.get("/", raise_for_status=True) as reply:
            return JSONResponse({"upstream": await reply.json()})
    except (aiohttp.ClientError, TimeoutError, ValueError):
        raise HTTPException(502, UPSTREAM_FAILED) from None


def cpu_work(rounds: int = 30_000) -> int:
    """A fixed amount of pure-Python work, the same function in every example app."""
    total = 0
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


def cpu(request: Request) -> JSONResponse:
    """Hold the interpreter for a few milliseconds: a CPU-bound request."""
    return JSONResponse({"result": cpu_work()})


# --8<-- [end:workloads]


# --8<-- [start:errors]
async def http_error(request: Request, error: Exception) -> JSONResponse:
    """Answer every HTTP error (404, 405, 409, 502...) with JSON, not Starlette's plain text."""
    assert isinstance(error, HTTPException)  # the class it is registered for
    headers = dict(error.headers or {})
    if error.status_code == 405:
        # Starlette names only the methods of the first route whose path matched.
        allowed = {
            method
            for route in request.app.router.routes
            if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE
            for method in route.methods or ()
        }
        headers["Allow"] = ", ".join(sorted(allowed))
    return JSONResponse({"detail": error.detail}, error.status_code, headers)


# One table of routes. A function endpoint answers GET (and HEAD) unless `methods` says.
routes = [
    Route("/api/health", health),
    Route("/api/users", list_users),
    Route("/api/users", create_user, methods=["POST"]),
    Route("/api/users/{user_id:int}", get_user),
    Route("/api/upstream/sync", upstream_sync),
    Route("/api/upstream/async", upstream_async),
    Route("/api/cpu", cpu),
]
app = Starlette(
    routes=routes,
    lifespan=lifespan,
    exception_handlers={HTTPException: http_error, sqlite3.OperationalError: database_busy},
)
# Fail at import, not at the first request, when the database is not configured.
app.state.database_path = os.environ["DATABASE_PATH"]
app.state.busy_timeout = DATABASE_BUSY_TIMEOUT
# --8<-- [end:errors]
