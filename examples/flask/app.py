"""The users API in Flask: routes, hand-written validation and sqlite3."""

from __future__ import annotations

import os
import re
import sqlite3
from typing import Any

import aiohttp
import urllib3
from flask import Flask, abort, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter


class AsciiIntegerConverter(IntegerConverter):
    """Werkzeug's `int` converter, but ASCII digits only: its `\\d+` also matches "١٢"."""

    regex = r"[0-9]+"


app = Flask(__name__)
app.url_map.converters["int"] = AsciiIntegerConverter
# Fail at import, not at the first request, when the database is not configured.
app.config["DATABASE_PATH"] = os.environ["DATABASE_PATH"]
# Keep "id", "name", "email" in the order written, as the Django and FastAPI apps do.
app.json.sort_keys = False  # type: ignore[attr-defined]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# SQLite integers are 64-bit: a larger id or offset cannot be stored and makes sqlite3 raise.
SQLITE_MAX_INT = 2**63 - 1


# --8<-- [start:concurrency]
# How long a write waits for another's lock before the API answers 503: less than a
# client's timeout. The database is in WAL mode (schema.sql), so reads never wait.
app.config["DATABASE_BUSY_TIMEOUT"] = float(os.environ.get("DATABASE_BUSY_TIMEOUT", "5"))


def get_db() -> sqlite3.Connection:
    """Open one connection per request, kept on `g` and closed at teardown."""
    if "db" not in g:
        # isolation_level="IMMEDIATE": sqlite3 opens each write with BEGIN IMMEDIATE, so
        # it takes the write lock up front and waits for it, instead of failing mid-way.
        g.db = sqlite3.connect(
            app.config["DATABASE_PATH"],
            timeout=app.config["DATABASE_BUSY_TIMEOUT"],
            isolation_level="IMMEDIATE",
        )
    return g.db


@app.errorhandler(sqlite3.OperationalError)
def database_busy(error: sqlite3.OperationalError) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A write that waited out the busy timeout is a 503 the client may retry."""
    if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
        raise error  # any other database error is a bug: a 500
    return {"detail": "The database is busy; retry shortly"}, 503, {"Retry-After": "1"}


# --8<-- [end:concurrency]


@app.teardown_appcontext
def close_db(_error: BaseException | None) -> None:
    """Close the request's connection, if it opened one."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def user_json(row: tuple[int, str, str]) -> dict[str, Any]:
    """Turn an (id, name, email) row into the API's JSON object."""
    user_id, name, email = row
    return {"id": user_id, "name": name, "email": email}


@app.get("/api/health")
def health() -> dict[str, str]:
    """Answer without touching the database: measures the framework alone."""
    return {"status": "ok"}


# --8<-- [start:get_user]
@app.get("/api/users/<int:user_id>")
def get_user(user_id: int) -> dict[str, Any]:
    """Return one user, or a JSON 404."""
    row = None
    if user_id <= SQLITE_MAX_INT:  # a larger id cannot exist, and sqlite3 would raise
        sql = "SELECT id, name, email FROM users WHERE id = ?"
        row = get_db().execute(sql, (user_id,)).fetchone()
    if row is None:
        abort(404, "User not found")
    return user_json(row)


# --8<-- [end:get_user]


# --8<-- [start:validation]
MAX_NAME_LENGTH = 100
# A shape check, not RFC 5322: something@domain.tld without spaces or empty labels.
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


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


# --8<-- [start:create_user]
@app.post("/api/users")
def create_user() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Create a user from JSON {"name", "email"}."""
    if not request.is_json:
        return {"errors": {"body": "Content-Type must be application/json"}}, 415, {}
    try:
        data = request.get_json(silent=True)  # None when the body is not valid JSON
    except RecursionError:  # nested too deeply for Python's json: malformed too
        data = None
    if errors := validate_user(data):
        return {"errors": errors}, 400, {}
    name, email = data["name"].strip(), data["email"]
    db = get_db()
    try:
        with db:  # commits, or rolls back on error
            cursor = db.execute(
                "INSERT INTO users (name, email) VALUES (?, ?)",
                (name, email),
            )
    except sqlite3.IntegrityError:  # the UNIQUE constraint on email
        abort(409, "A user with this email already exists")
    user = {"id": cursor.lastrowid, "name": name, "email": email}
    return user, 201, {"Location": f"/api/users/{cursor.lastrowid}"}


# --8<-- [end:create_user]


@app.get("/api/users")
def list_users() -> Any:
    """Return a page of users ordered by id: ?limit= (default 20, capped at 100) &offset=."""
    limit = int_param("limit", DEFAULT_LIMIT, minimum=1)
    offset = int_param("offset", 0, minimum=0)
    errors = {}
    if limit is None:
        errors["limit"] = "must be an integer of at least 1"
    if offset is None or offset > SQLITE_MAX_INT:
        errors["offset"] = f"must be an integer from 0 to {SQLITE_MAX_INT}"
    if errors:
        return {"errors": errors}, 400
    rows = (
        get_db()
        .execute(
            "SELECT id, name, email FROM users ORDER BY id LIMIT ? OFFSET ?",
            (min(limit, MAX_LIMIT), offset),
        )
        .fetchall()
    )
    return [user_json(row) for row in rows]


def int_param(name: str, default: int, *, minimum: int) -> int | None:
    """Read an integer query parameter; None when it is not one, or below minimum."""
    raw = request.args.get(name)
    if raw is None:
        return default
    # re.ASCII: int() alone would also accept " 5", "5_0" and non-ASCII digits.
    if re.fullmatch(r"\d+", raw, re.ASCII) and int(raw) >= minimum:
        return int(raw)
    return None


# --8<-- [start:errors]
@app.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[dict[str, Any], int]:
    """Answer every HTTP error (404, 405, 409, 415...) with JSON, not HTML."""
    return {"detail": error.description}, error.code or 500


# --8<-- [end:errors]


# --8<-- [start:upstream_clients]
# The benchmark's I/O-bound workload calls an upstream service, whose address comes from
# the environment, through one blocking client per worker process, shared by its threads.
# urllib3's PoolManager is thread-safe; it keeps up to 1,024 connections open, more than a
# worker ever has requests in flight (32 threads, or 1,000 gevent connections), so none
# is closed and reopened under load.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL")
UPSTREAM_TIMEOUT = 30.0  # seconds; the benchmark's upstream answers in 50 ms
upstream = urllib3.PoolManager(maxsize=1024, timeout=UPSTREAM_TIMEOUT, retries=False)
# --8<-- [end:upstream_clients]


# --8<-- [start:workloads]


@app.get("/api/upstream/sync")
def upstream_sync() -> dict[str, Any]:
    """Call the upstream service from a plain view: the worker thread waits for it."""
    if not UPSTREAM_URL:
        abort(503, "No upstream service is configured (UPSTREAM_URL)")
    try:
        reply = upstream.request("GET", f"{UPSTREAM_URL}/")
        if reply.status != 200:
            raise ValueError(reply.status)
        answer = reply.json()
    except (urllib3.exceptions.HTTPError, ValueError):  # no answer, an error status, or not JSON
        abort(502, "The upstream service did not answer")
    return {"upstream": answer}


@app.get("/api/upstream/async")
async def upstream_async() -> dict[str, Any]:
    """The same from an `async def` view, which Flask runs in an event loop of its own per
    request: the worker still waits, and the aiohttp client lives for one request."""
    if not UPSTREAM_URL:
        abort(503, "No upstream service is configured (UPSTREAM_URL)")
    try:
        async with (
            aiohttp.ClientSession(UPSTREAM_URL, timeout=aiohttp.ClientTimeout(total=UPSTREAM_TIMEOUT)) as session,
            session.get("/", raise_for_status=True) as reply,
        ):
            return {"upstream": await reply.json()}
    except (aiohttp.ClientError, TimeoutError, ValueError):
        abort(502, "The upstream service did not answer")


def cpu_work(rounds: int = 30_000) -> int:
    """A fixed amount of pure-Python work, the same function in every example app."""
    total = 0
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


@app.get("/api/cpu")
def cpu() -> dict[str, int]:
    """Hold the interpreter for a few milliseconds: a CPU-bound request."""
    return {"result": cpu_work()}


# --8<-- [end:workloads]
