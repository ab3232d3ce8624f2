"""The users API in FastAPI: Pydantic models, dependency injection and sqlite3."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Annotated, Any

import aiohttp
import urllib3
from email_validator import SPECIAL_USE_DOMAIN_NAMES
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, EmailStr, StringConstraints, WithJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

# The default /docs and /redoc pages load their JavaScript and CSS from a CDN; they are
# replaced below by pages that serve the same assets from this app.
# --8<-- [start:upstream_clients]
# The benchmark's I/O-bound workload calls an upstream service, whose address comes from
# the environment, through one client of each kind per worker process.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL")
UPSTREAM_TIMEOUT = 30.0  # seconds; the benchmark's upstream answers in 50 ms


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
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


app = FastAPI(title="Users API (FastAPI)", docs_url=None, redoc_url=None, lifespan=lifespan)
# Fail at import, not at the first request, when the database is not configured.
app.state.database_path = os.environ["DATABASE_PATH"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# SQLite integers are 64-bit: a larger id or offset cannot be stored and makes sqlite3 raise.
SQLITE_MAX_INT = 2**63 - 1


# --8<-- [start:concurrency]
# How long a write waits for another's lock before the API answers 503: less than a
# client's timeout. The database is in WAL mode (schema.sql), so reads never wait.
app.state.busy_timeout = float(os.environ.get("DATABASE_BUSY_TIMEOUT", "5"))


def get_db(request: Request) -> Iterator[sqlite3.Connection]:
    """Open one connection per request and close it after the response."""
    db = sqlite3.connect(
        request.app.state.database_path,
        timeout=request.app.state.busy_timeout,
        # sqlite3 opens each write with BEGIN IMMEDIATE: it takes the write lock up
        # front and waits for it, instead of failing mid-transaction.
        isolation_level="IMMEDIATE",
        # FastAPI may run this dependency and the endpoint in different threadpool
        # threads; one request still uses the connection one step at a time.
        check_same_thread=False,
    )
    try:
        yield db
    finally:
        db.close()


@app.exception_handler(sqlite3.OperationalError)
def database_busy(request: Request, error: sqlite3.OperationalError) -> JSONResponse:
    """A write that waited out the busy timeout is a 503 the client may retry."""
    if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
        raise error  # any other database error is a bug: a 500
    return JSONResponse({"detail": "The database is busy; retry shortly"}, 503, {"Retry-After": "1"})


# --8<-- [end:concurrency]


Db = Annotated[sqlite3.Connection, Depends(get_db)]


def email_schema(refused_domains: list[str]) -> dict[str, Any]:
    """The JSON Schema of an email that is in none of these domains, in any letter case."""

    def any_case(domain: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in domain)

    refused = "|".join(any_case(domain) for domain in refused_domains)
    return {
        "type": "string",
        "format": "email",
        "pattern": f"^(?!.*[@.]({refused})$)",
        "description": "An email address outside the special-use domains: " + ", ".join(refused_domains),
    }


# --8<-- [start:validation]
# The published schema states the rule exactly: 1 to 100 characters once the Unicode
# whitespace that Pydantic strips is removed (minLength/maxLength would count it).
SPACE = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NAME_SCHEMA = {
    "type": "string",
    "pattern": f"^[{SPACE}]*[^{SPACE}]" + r"([\s\S]{0,98}" + f"[^{SPACE}])?[{SPACE}]*$",
    "description": "1 to 100 characters, not counting surrounding whitespace, which is removed",
}
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    WithJsonSchema(NAME_SCHEMA),
]
# EmailStr also refuses special-use domains (.test, .invalid, .localhost...), which the
# schema's `format: email` allows: the schema says so, from email-validator's own list.
Email = Annotated[EmailStr, WithJsonSchema(email_schema(SPECIAL_USE_DOMAIN_NAMES))]


class UserIn(BaseModel):
    """The JSON body that creates a user."""

    name: Name
    email: Email


class UserOut(BaseModel):
    """A user as the API returns it."""

    id: int
    name: str
    email: str


# --8<-- [end:validation]


# --8<-- [start:errors]
class Problem(BaseModel):
    """The body of every 404 and 409 response."""

    detail: str


# Listed in the OpenAPI schema (and so in /docs) next to the 422 FastAPI adds itself.
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
CREATE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body could not be read as text (not UTF-8)"},
    409: {"model": Problem, "description": "A user with this email already exists"},
    503: {"model": Problem, "description": "The database is busy; retry after `Retry-After` seconds"},
}


@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, error: StarletteHTTPException) -> Response:
    """FastAPI's own JSON errors, but a 405's `Allow` lists every method of the path."""
    if error.status_code == 405:
        # Starlette names only the methods of the first route whose path matched.
        allowed = {
            method
            for route in request.app.router.routes
            if isinstance(route, APIRoute) and route.matches(request.scope)[0] != Match.NONE
            for method in route.methods
        }
        error.headers = {**(error.headers or {}), "Allow": ", ".join(sorted(allowed))}
    return await http_exception_handler(request, error)


# --8<-- [end:errors]


def fetch_user(db: sqlite3.Connection, user_id: int) -> UserOut | None:
    """Return the user with this id, or None."""
    row = db.execute("SELECT id, name, email FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else UserOut(id=row[0], name=row[1], email=row[2])


# Plain `def` endpoints, not `async def`: sqlite3 blocks, so FastAPI runs them in its
# threadpool and the event loop stays free for other requests.
@app.get("/api/health")
def health() -> dict[str, str]:
    """Answer without touching the database: measures the framework alone."""
    return {"status": "ok"}


def ascii_digits(value: object) -> object:
    """Refuse what Pydantic's int would also read from a path: "+1", " 1", "1_0", "١"."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be ASCII decimal digits")
    return value


UserId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT), BeforeValidator(ascii_digits)]


# --8<-- [start:get_user]
@app.get("/api/users/{user_id}", response_model=UserOut, responses=NOT_FOUND)
def get_user(user_id: UserId, db: Db) -> UserOut:
    """Return one user, or a 404."""
    user = fetch_user(db, user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user


# --8<-- [end:get_user]


# --8<-- [start:create_user]
@app.post("/api/users", status_code=201, response_model=UserOut, responses=CREATE_ERRORS)
def create_user(user: UserIn, response: Response, db: Db) -> UserOut:
    """Create a user; FastAPI has already validated the body against UserIn."""
    try:
        with db:  # commits, or rolls back on error
            cursor = db.execute(
                "INSERT INTO users (name, email) VALUES (?, ?)",
                (user.name, user.email),
            )
    except sqlite3.IntegrityError:  # the UNIQUE constraint on email
        raise HTTPException(409, "A user with this email already exists") from None
    assert cursor.lastrowid is not None  # set by every successful INSERT
    response.headers["Location"] = f"/api/users/{cursor.lastrowid}"
    return UserOut(id=cursor.lastrowid, name=user.name, email=user.email)


# --8<-- [end:create_user]


@app.get("/api/users", response_model=list[UserOut])
def list_users(
    db: Db,
    limit: Annotated[int, Query(ge=1, description=f"capped at {MAX_LIMIT}")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=SQLITE_MAX_INT)] = 0,
) -> list[UserOut]:
    """Return a page of users ordered by id."""
    rows = db.execute(
        "SELECT id, name, email FROM users ORDER BY id LIMIT ? OFFSET ?",
        (min(limit, MAX_LIMIT), offset),
    ).fetchall()
    return [UserOut(id=row[0], name=row[1], email=row[2]) for row in rows]


# --8<-- [start:workloads]
UPSTREAM_ERRORS: dict[int | str, dict[str, Any]] = {
    502: {"model": Problem, "description": "The upstream service did not answer"},
    503: {"model": Problem, "description": "No upstream service is configured (UPSTREAM_URL)"},
}


@app.get("/api/upstream/sync", responses=UPSTREAM_ERRORS)
def upstream_sync(request: Request) -> dict[str, Any]:
    """Call the upstream service from a `def` endpoint: a threadpool thread waits for it."""
    if not UPSTREAM_URL:
        raise HTTPException(503, UPSTREAM_ERRORS[503]["description"])
    try:
        reply = request.app.state.upstream.request("GET", f"{UPSTREAM_URL}/")
        if reply.status != 200:
            raise ValueError(reply.status)
        answer = reply.json()
    except (urllib3.exceptions.HTTPError, ValueError):  # no answer, an error status, or not JSON
        raise HTTPException(502, UPSTREAM_ERRORS[502]["description"]) from None
    return {"upstream": answer}


@app.get("/api/upstream/async", responses=UPSTREAM_ERRORS)
async def upstream_async(request: Request) -> dict[str, Any]:
    """The same from an `async def` endpoint: the event loop serves others meanwhile."""
    if not UPSTREAM_URL:
        raise HTTPException(503, UPSTREAM_ERRORS[503]["description"])
    try:
        async with request.app.state.async_upstream.get("/", raise_for_status=True) as reply:
            return {"upstream": await reply.json()}
    except (aiohttp.ClientError, TimeoutError, ValueError):
        raise HTTPException(502, UPSTREAM_ERRORS[502]["description"]) from None


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


# --8<-- [start:docs]
# Swagger UI and ReDoc served offline, as in FastAPI's "Custom Docs UI Static Assets
# (Self-Hosting)": the files come from the pinned fastapi-offline package.
app.mount("/static", StaticFiles(directory=str(files("fastapi_offline") / "static")), name="static")


@app.get("/docs", include_in_schema=False)
def swagger_ui_html() -> HTMLResponse:
    """Swagger UI, with its JavaScript and CSS served by this app."""
    return get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
        swagger_js_url="/static/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui.css",
        swagger_favicon_url="/static/favicon.png",
    )


# --8<-- [end:docs]


@app.get(app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect", include_in_schema=False)
def swagger_ui_redirect() -> HTMLResponse:
    """The OAuth2 redirect page Swagger UI expects next to /docs."""
    return get_swagger_ui_oauth2_redirect_html()


@app.get("/redoc", include_in_schema=False)
def redoc_html() -> HTMLResponse:
    """ReDoc, with its JavaScript served by this app and no web fonts."""
    return get_redoc_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - ReDoc",
        redoc_js_url="/static/redoc.standalone.js",
        redoc_favicon_url="/static/favicon.png",
        with_google_fonts=False,
    )
