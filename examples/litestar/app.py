"""The users API in Litestar: route handler decorators, Pydantic models, dependencies and sqlite3."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import aiohttp
import urllib3
from litestar import HttpMethod, Litestar, MediaType, Request, Response, Router, get, post, route
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, NotFoundException
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import JSONBody, ParameterKwarg
from litestar.static_files import create_static_files_router
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from swagger_ui_bundle import swagger_ui_path

# --8<-- [start:upstream_clients]
# The benchmark's I/O-bound workload calls an upstream service, whose address comes from
# the environment, through one client of each kind per worker process.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL")
UPSTREAM_TIMEOUT = 30.0  # seconds; the benchmark's upstream answers in 50 ms


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    """Open the upstream clients when a worker starts; close them when it stops."""
    # urllib3 for the sync handler: thread-safe, keeping more connections open than the
    # thread pool has threads (40); aiohttp for the async one, with no cap on open
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


def get_db(state: State) -> Iterator[sqlite3.Connection]:
    """A dependency: one connection per request, closed once the handler has answered."""
    db = sqlite3.connect(
        state.database_path,
        timeout=state.busy_timeout,
        # sqlite3 opens each write with BEGIN IMMEDIATE: it takes the write lock up
        # front and waits for it, instead of failing mid-transaction.
        isolation_level="IMMEDIATE",
        # Litestar runs this on the event loop and the handler in its thread pool; one
        # request still uses the connection one step at a time.
        check_same_thread=False,
    )
    try:
        yield db
    finally:
        db.close()


def database_busy(request: Request[Any, Any, Any], error: sqlite3.OperationalError) -> Response[dict[str, Any]]:
    """A write that waited out the busy timeout is a 503 the client may retry."""
    if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
        raise error  # any other database error is a bug: a 500
    body = {"status_code": 503, "detail": "The database is busy; retry shortly"}  # Litestar's shape
    return Response(body, status_code=503, headers={"Retry-After": "1"})


# --8<-- [end:concurrency]

# A parameter named `db` gets get_db's connection (Litestar 2.23 asks for the marker).
Db = NamedDependency[sqlite3.Connection]


# --8<-- [start:validation]
# Litestar validates a handler's `data` against its type: a msgspec Struct, a dataclass or,
# through its Pydantic plugin, a Pydantic model. Only Pydantic reports every invalid field
# (msgspec stops at the first), so the models are Pydantic's. The patterns spell out the
# whitespace that `str.strip` removes from a name: `\s` differs in Python and JavaScript.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NAME_PATTERN = f"^[{SPACE}]*[^{SPACE}]" + r"([\s\S]{0,98}" + f"[^{SPACE}])?[{SPACE}]*$"
# A shape check, not RFC 5322: something@domain.tld without spaces or empty labels. The
# lookahead refuses a final newline, before which Python's `$` alone would also match.
EMAIL_PATTERN = f"^[^@{SPACE}]+@[^@.{SPACE}]+" + rf"(\.[^@.{SPACE}]+)+(?!\n)$"
# Litestar's schema reads a pattern from StringConstraints, not from Field(pattern=...).
Name = Annotated[
    str,
    StringConstraints(pattern=NAME_PATTERN),
    Field(description="1 to 100 characters once surrounding whitespace is removed"),
    AfterValidator(str.strip),
]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN, max_length=254), Field(description="An email address")]


class UserIn(BaseModel):
    """The JSON body that creates a user."""

    model_config = ConfigDict(regex_engine="python-re")  # Rust's regex has no lookahead
    name: Name
    email: Email


class UserOut(BaseModel):
    """A user as the API returns it."""

    id: int
    name: str
    email: str


# --8<-- [end:validation]


# --8<-- [start:errors]
class ErrorItem(BaseModel):
    """One invalid input, as Litestar's ValidationException lists it."""

    message: str
    key: str | None = None
    source: str | None = None


class Problem(BaseModel):
    """The body of every error response, as Litestar shapes it: the status is repeated in it."""

    status_code: int
    detail: str
    extra: list[ErrorItem] | None = None


def spec(description: str) -> ResponseSpec:
    """An error response in the OpenAPI schema, whose body is a Problem."""
    return ResponseSpec(Problem, description=description, generate_examples=False)  # not random ones


INVALID = {400: spec("Invalid input: `extra` names each invalid parameter or field")}
# --8<-- [end:errors]


def fetch_user(db: sqlite3.Connection, user_id: int) -> UserOut | None:
    """Return the user with this id, or None."""
    row = db.execute("SELECT id, name, email FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else UserOut(id=row[0], name=row[1], email=row[2])


@get("/api/health", sync_to_thread=False)  # answers at once: no need for a thread
def health() -> dict[str, str]:
    """Answer without touching the database: measures the framework alone."""
    return {"status": "ok"}


def bounded_int(minimum: int, maximum: int | None = None, **kwargs: Any) -> ParameterKwarg:
    """An integer parameter's bounds, published as integers (Litestar writes 2**63 - 1 as a float)."""
    bounds = {"minimum": minimum} | ({} if maximum is None else {"maximum": maximum})
    return ParameterKwarg(ge=minimum, le=maximum, schema_extra=bounds, **kwargs)


# A path `{user_id:int}` would be parsed with Python's int(), which also reads "+1", " 1",
# "1_0" and "١"; as `str`, the handler's `int` is parsed by msgspec: ASCII digits only.
UserId = Annotated[int, bounded_int(1, SQLITE_MAX_INT)]


def require_json(request: Request[Any, Any, Any]) -> None:
    """Refuse a body that is not declared JSON: Litestar would parse it as JSON anyway."""
    if request.content_type[0] != MediaType.JSON:
        raise HTTPException("Content-Type must be application/json", status_code=415)


def too_deep(request: Request[Any, Any, Any], error: RecursionError) -> Response[dict[str, Any]]:
    """JSON nested deeper than msgspec decodes is malformed input, not a server error."""
    return Response({"status_code": 400, "detail": "JSON is malformed: nested too deeply"}, status_code=400)


# Litestar 2 answers OPTIONS with the methods of a path's first handler only
# (https://github.com/litestar-org/litestar/issues/4169, fixed in 3.0): registered first,
# this handler answers for /api/users instead.
@route("/api/users", http_method=HttpMethod.OPTIONS, include_in_schema=False, sync_to_thread=False)
def users_options() -> Response[None]:
    """The methods of /api/users, as a 405 lists them."""
    return Response(None, status_code=204, headers={"Allow": "GET, OPTIONS, POST"})


# --8<-- [start:get_user]
# sqlite3 blocks: sync_to_thread=True runs the handler in Litestar's thread pool, and the
# event loop stays free for other requests.
@get("/api/users/{user_id:str}", sync_to_thread=True, responses={**INVALID, 404: spec("No user has this id")})
def get_user(user_id: UserId, db: Db) -> UserOut:
    """Return one user, or a 404."""
    user = fetch_user(db, user_id)
    if user is None:
        raise NotFoundException("User not found")
    return user


# --8<-- [end:get_user]


# --8<-- [start:create_user]
@post(
    "/api/users",
    sync_to_thread=True,
    before_request=require_json,
    exception_handlers={RecursionError: too_deep},
    responses={
        **INVALID,
        409: spec("A user with this email already exists"),
        415: spec("The body is not declared as JSON"),
        503: spec("The database is busy; retry after `Retry-After` seconds"),
    },
)
def create_user(data: JSONBody[UserIn], db: Db) -> Response[UserOut]:
    """Create a user; Litestar has already validated the body against UserIn."""
    try:
        with db:  # commits, or rolls back on error
            cursor = db.execute(
                "INSERT INTO users (name, email) VALUES (?, ?)",
                (data.name, data.email),
            )
    except sqlite3.IntegrityError:  # the UNIQUE constraint on email
        raise HTTPException("A user with this email already exists", status_code=409) from None
    assert cursor.lastrowid is not None  # set by every successful INSERT
    user = UserOut(id=cursor.lastrowid, name=data.name, email=data.email)
    return Response(user, status_code=201, headers={"Location": f"/api/users/{user.id}"})


# --8<-- [end:create_user]


@get("/api/users", sync_to_thread=True, responses=INVALID)
def list_users(
    db: Db,
    limit: Annotated[int, bounded_int(1, description=f"capped at {MAX_LIMIT}")] = DEFAULT_LIMIT,
    offset: Annotated[int, bounded_int(0, SQLITE_MAX_INT)] = 0,
) -> list[UserOut]:
    """Return a page of users ordered by id."""
    rows = db.execute(
        "SELECT id, name, email FROM users ORDER BY id LIMIT ? OFFSET ?",
        (min(limit, MAX_LIMIT), offset),
    ).fetchall()
    return [UserOut(id=row[0], name=row[1], email=row[2]) for row in rows]


# --8<-- [start:workloads]
UPSTREAM_ERRORS = {
    502: spec("The upstream service did not answer"),
    503: spec("No upstream service is configured (UPSTREAM_URL)"),
}


def upstream_error(status_code: int) -> HTTPException:
    """The 502 or 503 of UPSTREAM_ERRORS."""
    return HTTPException(UPSTREAM_ERRORS[status_code].description, status_code=status_code)


@get("/api/upstream/sync", sync_to_thread=True, responses=UPSTREAM_ERRORS)
def upstream_sync(state: State) -> dict[str, Any]:
    """Call the upstream service from a sync handler: a thread-pool thread waits for it."""
    if not UPSTREAM_URL:
        raise upstream_error(503)
    try:
        reply = state.upstream.request("GET", f"{UPSTREAM_URL}/")
        if reply.status != 200:
            raise ValueError(reply.status)
        answer = reply.json()
    except (urllib3.exceptions.HTTPError, ValueError):  # no answer, an error status, or not JSON
        raise upstream_error(502) from None
    return {"upstream": answer}


@get("/api/upstream/async", responses=UPSTREAM_ERRORS)
async def upstream_async(state: State) -> dict[str, Any]:
    """The same from an async handler: the event loop serves others meanwhile."""
    if not UPSTREAM_URL:
        raise upstream_error(503)
    try:
        async with state.async_upstream.get("/", raise_for_status=True) as reply:
            return {"upstream": await reply.json()}
    except (aiohttp.ClientError, TimeoutError, ValueError):
        raise upstream_error(502) from None


def cpu_work(rounds: int = 30_000) -> int:
    """A fixed amount of pure-Python work, the same function in every example app."""
    total = 0
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


@get("/api/cpu", sync_to_thread=True)  # in the thread pool, as FastAPI runs a `def` endpoint
def cpu() -> dict[str, int]:
    """Hold the interpreter for a few milliseconds: a CPU-bound request."""
    return {"result": cpu_work()}


# --8<-- [end:workloads]


# --8<-- [start:docs]
# Swagger UI loads its JavaScript, CSS and favicon from a CDN by default: here they come
# from the pinned swagger-ui-bundle package, served by Litestar's static files router.
SWAGGER = "/static/swagger-ui"
openapi_config = OpenAPIConfig(
    title="Users API (Litestar)",
    version="1.0.0",
    path="/docs",  # Swagger UI at /docs, the schema at /docs/openapi.json
    render_plugins=[
        SwaggerRenderPlugin(
            path="/",
            js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            css_url=f"{SWAGGER}/swagger-ui.css",
            standalone_preset_js_url=f"{SWAGGER}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{SWAGGER}/favicon-32x32.png'>",
        )
    ],
)
swagger_assets = create_static_files_router(SWAGGER, directories=[swagger_ui_path])
# --8<-- [end:docs]


# The handlers reach the app in one Router: given one by one, a second handler on a path
# makes Litestar 2 register the first again, which wraps a sync_to_thread handler twice,
# so that it returns a coroutine instead of its answer.
handlers = [users_options, list_users, create_user, get_user, health, upstream_sync, upstream_async, cpu]
app = Litestar(
    [Router("/", route_handlers=handlers), swagger_assets],
    # A generator dependency runs on the event loop (sync_to_thread does not apply to
    # one): it only opens and closes the file, the handlers' queries run in threads.
    dependencies={"db": Provide(get_db)},
    exception_handlers={sqlite3.OperationalError: database_busy},
    lifespan=[lifespan],
    openapi_config=openapi_config,
)
# Fail at import, not at the first request, when the database is not configured.
app.state.database_path = os.environ["DATABASE_PATH"]
app.state.busy_timeout = DATABASE_BUSY_TIMEOUT
