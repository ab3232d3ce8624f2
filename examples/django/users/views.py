"""The users API in Django REST framework: the same contract as Flask and FastAPI."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import aiohttp
import urllib3
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .models import User
from .serializers import PageSerializer, UserSerializer

MAX_LIMIT = 100


@api_view(["GET"])
def health(request: Request) -> Response:
    """Answer without touching the database: measures the framework alone."""
    return Response({"status": "ok"})


# --8<-- [start:errors]
class EmailTaken(APIException):
    """409, rendered by DRF as {"detail": "..."} like its own 404."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "A user with this email already exists"
    default_code = "email_taken"


# --8<-- [end:errors]


# --8<-- [start:concurrency]
class DatabaseBusy(APIException):
    """503: a write waited out the busy timeout. DRF sends `wait` as Retry-After."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is busy; retry shortly"
    default_code = "database_busy"
    wait = 1


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with SQLite's "database is locked" turned into DatabaseBusy."""
    cause = exc.__cause__  # Django wraps the sqlite3 error, which has the code
    busy = isinstance(cause, sqlite3.OperationalError) and cause.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
    if isinstance(exc, OperationalError) and busy:
        exc = DatabaseBusy()
    return drf_exception_handler(exc, context)  # None for any other error: a 500


# --8<-- [end:concurrency]


# --8<-- [start:get_user]
@api_view(["GET"])
def get_user(request: Request, user_id: int) -> Response:
    """Return one user, or a 404."""
    try:
        user = User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise NotFound("User not found") from None
    return Response(UserSerializer(user).data)


# --8<-- [end:get_user]


@api_view(["GET", "POST"])
def users(request: Request) -> Response:
    """GET lists a page of users, POST creates one."""
    if request.method == "POST":
        return create_user(request)
    return list_users(request)


# --8<-- [start:create_user]
def create_user(request: Request) -> Response:
    """Create a user from JSON {"name", "email"}; invalid input is a 400."""
    serializer = UserSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE: see settings.DATABASES
            user = serializer.save()
    except IntegrityError:  # the UNIQUE constraint on email
        raise EmailTaken from None
    headers = {"Location": f"/api/users/{user.pk}"}
    return Response(serializer.data, status=status.HTTP_201_CREATED, headers=headers)


# --8<-- [end:create_user]


def list_users(request: Request) -> Response:
    """Return a page of users ordered by id: ?limit= (default 20, capped at 100) &offset=."""
    page = PageSerializer(data=request.query_params)
    page.is_valid(raise_exception=True)
    limit = min(page.validated_data["limit"], MAX_LIMIT)
    offset = page.validated_data["offset"]
    page_of_users = User.objects.order_by("id")[offset : offset + limit]
    return Response(UserSerializer(page_of_users, many=True).data)


class UpstreamFailed(APIException):
    """502: the upstream service did not answer."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = "The upstream service did not answer"
    default_code = "upstream_failed"


class NoUpstream(APIException):
    """503: the app was started without UPSTREAM_URL."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "No upstream service is configured (UPSTREAM_URL)"
    default_code = "no_upstream"


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


@api_view(["GET"])
def upstream_sync(request: Request) -> Response:
    """Call the upstream service from a DRF view: the worker thread waits for it."""
    if not UPSTREAM_URL:
        raise NoUpstream
    try:
        reply = upstream.request("GET", f"{UPSTREAM_URL}/")
        if reply.status != 200:
            raise ValueError(reply.status)
        answer = reply.json()
    except (urllib3.exceptions.HTTPError, ValueError):  # no answer, an error status, or not JSON
        raise UpstreamFailed from None
    return Response({"upstream": answer})


@require_GET
async def upstream_async(request: HttpRequest) -> JsonResponse:
    """A plain Django async view (DRF has none): under ASGI the worker serves others meanwhile.
    Django has no start-up hook in the server's loop, so the aiohttp client lives for one request."""
    if not UPSTREAM_URL:
        return JsonResponse({"detail": NoUpstream.default_detail}, status=503)
    try:
        async with (
            aiohttp.ClientSession(UPSTREAM_URL, timeout=aiohttp.ClientTimeout(total=UPSTREAM_TIMEOUT)) as session,
            session.get("/", raise_for_status=True) as reply,
        ):
            return JsonResponse({"upstream": await reply.json()})
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return JsonResponse({"detail": UpstreamFailed.default_detail}, status=502)


def cpu_work(rounds: int = 30_000) -> int:
    """A fixed amount of pure-Python work, the same function in every example app."""
    total = 0
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


@api_view(["GET"])
def cpu(request: Request) -> Response:
    """Hold the interpreter for a few milliseconds: a CPU-bound request."""
    return Response({"result": cpu_work()})


# --8<-- [end:workloads]
