"""The users API in Django Ninja: Pydantic schemas over the Django example's model and ORM."""

from __future__ import annotations

import os
import re
import sqlite3
from typing import Annotated, Any

import aiohttp
import urllib3
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from email_validator import SPECIAL_USE_DOMAIN_NAMES
from ninja import ModelSchema, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import HttpError
from ninja.parser import Parser
from pydantic import BeforeValidator, EmailStr, StringConstraints, WithJsonSchema
from users.models import User  # the Django example's model, table and migrations

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# SQLite integers are 64-bit: a larger id or offset cannot be sent to the database.
SQLITE_MAX_INT = 2**63 - 1


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


class UserIn(Schema):
    """The JSON body that creates a user: a Ninja Schema is a Pydantic model."""

    name: Name
    email: Email


class UserOut(ModelSchema):
    """A user as the API returns it, with its fields' types read from the Django model."""

    id: int  # ModelSchema makes the primary key optional (unset before a save); never here

    class Meta:
        model = User
        fields = ["id", "name", "email"]


# --8<-- [end:validation]


# --8<-- [start:errors]
class Message(Schema):
    """The body of every error Ninja answers with HttpError: {"detail": "..."}."""

    detail: str


class ValidationErrors(Schema):
    """Ninja's 422: {"detail": [{"type", "loc": ["body", "payload", "name"], "msg"}, ...]}."""

    detail: list[dict[str, Any]]


class JSONParser(Parser):
    """Ninja's parser reads any body as JSON, whatever its Content-Type. This one refuses
    a body declared as something else (a browser sends text/plain cross-site without a
    preflight); Ninja answers any parse error 400 {"detail": "Cannot parse request body"}."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        declared = request.headers.get("Content-Type")
        media_type = (declared or "").partition(";")[0].strip().lower()
        if declared is not None and media_type != "application/json" and not media_type.endswith("+json"):
            raise ValueError(f"expected application/json, got {declared}")
        return super().parse_body(request)


NOT_FOUND = {404: Message, 422: ValidationErrors}
CREATE_ERRORS = {400: Message, 409: Message, 422: ValidationErrors, 503: Message}
# --8<-- [end:errors]


# --8<-- [start:docs]
# Swagger UI at /api/docs and the schema at /api/openapi.json. Its JavaScript and CSS
# come from Ninja's static files because settings.INSTALLED_APPS lists "ninja" (without
# it, the page loads them from a CDN); WhiteNoise serves them under gunicorn.
api = NinjaAPI(
    title="Users API (Django Ninja)",
    description="The users API of the Django example, with Django Ninja in place of DRF.",
    parser=JSONParser(),
)
# --8<-- [end:docs]


# --8<-- [start:concurrency]
# The database settings are the Django example's: WAL, BEGIN IMMEDIATE for atomic()
# blocks, and a busy timeout (examples/django/project/settings.py).
@api.exception_handler(OperationalError)
def database_busy(request: HttpRequest, error: OperationalError) -> HttpResponse:
    """A write that waited out the busy timeout is a 503 the client may retry."""
    cause = error.__cause__  # Django wraps the sqlite3 error, which has the code
    if not (isinstance(cause, sqlite3.OperationalError) and cause.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY):
        raise error  # any other database error is a bug: a 500
    response = api.create_response(request, {"detail": "The database is busy; retry shortly"}, status=503)
    response["Retry-After"] = "1"
    return response


# --8<-- [end:concurrency]


@api.get("/health", response=dict[str, str])
def health(request: HttpRequest) -> dict[str, str]:
    """Answer without touching the database: measures the framework alone."""
    return {"status": "ok"}


def ascii_digits(value: object) -> object:
    """Refuse what Pydantic's int would also read from a path: "+1", " 1", "1_0", "١"."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be ASCII decimal digits")
    return value


UserId = Annotated[int, Path(ge=1, le=SQLITE_MAX_INT), BeforeValidator(ascii_digits)]


# --8<-- [start:get_user]
@api.get("/users/{user_id}", response={200: UserOut, **NOT_FOUND})
def get_user(request: HttpRequest, user_id: UserId) -> User:
    """Return one user, or a 404; Ninja has already checked the id (a 422 otherwise)."""
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise HttpError(404, "User not found") from None


# --8<-- [end:get_user]


# --8<-- [start:create_user]
@api.post("/users", response={201: UserOut, **CREATE_ERRORS})
def create_user(request: HttpRequest, payload: UserIn, response: HttpResponse) -> Status[User]:
    """Create a user; Ninja has already validated the JSON body against UserIn."""
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE: see the Django example's settings
            user = User.objects.create(name=payload.name, email=payload.email)
    except IntegrityError:  # the UNIQUE constraint on email
        raise HttpError(409, "A user with this email already exists") from None
    response["Location"] = f"/api/users/{user.pk}"  # `response` is the one Ninja sends
    return Status(201, user)


# --8<-- [end:create_user]


@api.get("/users", response={200: list[UserOut], 422: ValidationErrors})
def list_users(
    request: HttpRequest,
    limit: Annotated[int, Query(ge=1, description=f"capped at {MAX_LIMIT}")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=SQLITE_MAX_INT)] = 0,
) -> Any:
    """Return a page of users ordered by id."""
    return User.objects.order_by("id")[offset : offset + min(limit, MAX_LIMIT)]


# --8<-- [start:upstream_clients]
# The benchmark's I/O-bound workload calls an upstream service, whose address comes from
# the environment, through one blocking client per worker process, shared by its threads.
# urllib3's PoolManager is thread-safe; it keeps up to 1,024 connections open, more than a
# worker ever has requests in flight, so none is closed and reopened under load.
UPSTREAM_URL = os.environ.get("UPSTREAM_URL")
UPSTREAM_TIMEOUT = 30.0  # seconds; the benchmark's upstream answers in 50 ms
upstream = urllib3.PoolManager(maxsize=1024, timeout=UPSTREAM_TIMEOUT, retries=False)
# --8<-- [end:upstream_clients]

NO_UPSTREAM = "No upstream service is configured (UPSTREAM_URL)"
UPSTREAM_FAILED = "The upstream service did not answer"
UPSTREAM_ERRORS = {502: Message, 503: Message}


# --8<-- [start:workloads]
@api.get("/upstream/sync", response={200: dict[str, Any], **UPSTREAM_ERRORS})
def upstream_sync(request: HttpRequest) -> dict[str, Any]:
    """Call the upstream service from a plain view: the worker thread waits for it."""
    if not UPSTREAM_URL:
        raise HttpError(503, NO_UPSTREAM)
    try:
        reply = upstream.request("GET", f"{UPSTREAM_URL}/")
        if reply.status != 200:
            raise ValueError(reply.status)
        answer = reply.json()
    except (urllib3.exceptions.HTTPError, ValueError):  # no answer, an error status, or not JSON
        raise HttpError(502, UPSTREAM_FAILED) from None
    return {"upstream": answer}


@api.get("/upstream/async", response={200: dict[str, Any], **UPSTREAM_ERRORS})
async def upstream_async(request: HttpRequest) -> dict[str, Any]:
    """An `async def` operation: under ASGI the worker serves others meanwhile. Django has
    no start-up hook in the server's loop, so the aiohttp client lives for one request."""
    if not UPSTREAM_URL:
        raise HttpError(503, NO_UPSTREAM)
    try:
        async with (
            aiohttp.ClientSession(UPSTREAM_URL, timeout=aiohttp.ClientTimeout(total=UPSTREAM_TIMEOUT)) as session,
            session.get("/", raise_for_status=True) as reply,
        ):
            return {"upstream": await reply.json()}
    except (aiohttp.ClientError, TimeoutError, ValueError):
        raise HttpError(502, UPSTREAM_FAILED) from None


def cpu_work(rounds: int = 30_000) -> int:
    """A fixed amount of pure-Python work, the same function in every example app."""
    total = 0
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


@api.get("/cpu", response=dict[str, int])
def cpu(request: HttpRequest) -> dict[str, int]:
    """Hold the interpreter for a few milliseconds: a CPU-bound request."""
    return {"result": cpu_work()}


# --8<-- [end:workloads]
