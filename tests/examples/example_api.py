"""One client interface over the frameworks' own test clients, and helpers."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
APPS = ("flask", "django", "fastapi", "litestar", "django-ninja", "quart", "starlette")
# The status each app answers a body that fails validation with.
INVALID_STATUS = {
    "flask": 400,
    "django": 400,
    "fastapi": 422,
    "litestar": 400,
    "django-ninja": 422,
    "quart": 400,
    "starlette": 400,
}


def load_module(name: str, path: Path) -> ModuleType:
    """Import a file under a unique module name (the apps are all called app.py)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: Pydantic resolves the models' annotations through sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def count_users(database_path: Path) -> int:
    """Count the rows of the users table, straight from the SQLite file."""
    with sqlite3.connect(database_path) as db:
        (count,) = db.execute("SELECT count(*) FROM users").fetchone()
    db.close()
    return int(count)


def fields_in_keys(key: str | None = None) -> Callable[[Any], set[str]]:
    """Read the fields as the keys of the body, or of one of its members."""
    return lambda body: set(body if key is None else body[key])


def fields_in_pydantic_locs(body: Any) -> set[str]:
    """Pydantic's errors: {"detail": [{"loc": ["body", "name"], ...}, ...]}.

    A whole-body error has loc ["body"], or ["body", <position>] for malformed JSON.
    """
    return {next((part for part in item["loc"][1:] if isinstance(part, str)), "body") for item in body["detail"]}


def fields_in_ninja_locs(body: Any) -> set[str]:
    """Django Ninja's errors: {"detail": [{"loc": ["body", "payload", "name"], ...}, ...]}.

    The loc names the view's parameter (`payload`) after "body": a whole-body error has
    loc ["body", "payload"]. A body that is not JSON is a 400 {"detail": "message"}.
    """
    if isinstance(body["detail"], str):
        return {"body"}
    return {next((part for part in item["loc"][2:] if isinstance(part, str)), "body") for item in body["detail"]}


def fields_in_litestar_extra(body: Any) -> set[str]:
    """Litestar's errors: {"detail": ..., "extra": [{"message": ..., "key": "name"}, ...]}.

    A whole-body error has no `extra` (malformed JSON, not JSON), or an item without a key (not an object).
    """
    return {item.get("key") or "body" for item in body.get("extra") or [{}]}


# How to read the fields an error body names, the way each framework shapes its errors.
FIELD_READERS: dict[str, Callable[[Any], set[str]]] = {
    "flask": fields_in_keys("errors"),  # {"errors": {"name": "message", ...}}
    "django": fields_in_keys(),  # DRF: {"name": ["message", ...], ...} or {"detail": "message"}
    "fastapi": fields_in_pydantic_locs,
    "litestar": fields_in_litestar_extra,
    "django-ninja": fields_in_ninja_locs,
    "quart": fields_in_keys("errors"),  # as Flask: {"errors": {"name": "message", ...}}
    "starlette": fields_in_keys("errors"),  # as Flask: {"errors": {"name": "message", ...}}
}


# The apps whose error bodies repeat the status beside `detail`: {"status_code": 404, "detail": "..."}.
STATUS_IN_ERRORS = {"litestar"}


def error_body(app: str, status: int, detail: str) -> dict[str, Any]:
    """The JSON body an app answers an error with, in its framework's shape."""
    return {"status_code": status, "detail": detail} if app in STATUS_IN_ERRORS else {"detail": detail}


def named_fields(app: str, body: Any) -> set[str]:
    """The fields an error body names, read the way each framework shapes its errors."""
    return FIELD_READERS[app](body)


@dataclass(frozen=True)
class Reply:
    """A response, whichever framework's test client produced it."""

    status: int
    headers: dict[str, str]  # names in lower case
    body: Any  # the parsed JSON, or None when the response is not JSON
    text: str


def _reply(status: int, headers: Any, content: bytes) -> Reply:
    """Build a Reply from a status, any header mapping and the raw body."""
    lowered = {name.lower(): value for name, value in headers.items()}
    text = content.decode("utf-8", errors="replace")
    is_json = lowered.get("content-type", "").startswith("application/json")
    return Reply(status, lowered, json.loads(text) if is_json else None, text)


# A test client's request, whichever framework: (method, path, body, content type) to Reply.
Send = Callable[[str, str, bytes | None, str | None], Reply]


def werkzeug_send(client: Any) -> Send:
    """Flask's test client (Werkzeug's)."""

    def send(method: str, path: str, body: bytes | None, content_type: str | None) -> Reply:
        response = client.open(path, method=method, data=body, content_type=content_type)
        return _reply(response.status_code, response.headers, response.get_data())

    return send


def django_send(client: Any) -> Send:
    """Django's test client."""

    def send(method: str, path: str, body: bytes | None, content_type: str | None) -> Reply:
        extra = {} if content_type is None else {"content_type": content_type}
        response = client.generic(method, path, body or b"", **extra)
        return _reply(response.status_code, response.headers, response.content)

    return send


def httpx_send(client: Any) -> Send:
    """A test client built on HTTPX: Starlette's, and so FastAPI's, and Litestar's."""

    def send(method: str, path: str, body: bytes | None, content_type: str | None) -> Reply:
        headers = {} if content_type is None else {"content-type": content_type}
        response = client.request(method, path, content=body, headers=headers)
        return _reply(response.status_code, response.headers, response.content)

    return send


def quart_send(client: Any, run: Callable[[Coroutine[Any, Any, Reply]], Reply]) -> Send:
    """Quart's test client, whose calls are coroutines: `run` drives each on the fixture's event loop."""

    def send(method: str, path: str, body: bytes | None, content_type: str | None) -> Reply:
        headers = {} if content_type is None else {"content-type": content_type}

        async def request() -> Reply:
            response = await client.open(path, method=method, data=body, headers=headers)
            return _reply(response.status_code, response.headers, await response.get_data())

        return run(request())

    return send


class ApiClient:
    """The users API of one app, driven through that framework's own test client."""

    def __init__(self, app: str, send: Send, database_path: Path) -> None:
        self.app = app
        self.send = send
        self.database_path = database_path

    def get(self, path: str) -> Reply:
        """GET path."""
        return self.send("GET", path, None, None)

    def post(self, path: str, body: bytes, content_type: str) -> Reply:
        """POST raw bytes with a given Content-Type."""
        return self.send("POST", path, body, content_type)

    def post_json(self, path: str, data: Any) -> Reply:
        """POST data serialised as JSON."""
        return self.post(path, json.dumps(data).encode(), "application/json")

    def add_users(self, count: int) -> None:
        """Insert users straight into the database, faster than through the API."""
        rows = [(f"Bulk {n}", f"bulk{n}@example.org", "2026-01-01 00:00:00") for n in range(count)]
        with sqlite3.connect(self.database_path) as db:
            db.executemany("INSERT INTO users (name, email, created_at) VALUES (?, ?, ?)", rows)
        db.close()

    def count_users(self) -> int:
        """The number of rows in this app's users table."""
        return count_users(self.database_path)


# The apps that publish an OpenAPI schema, and where: each must keep to it (schemathesis).
OPENAPI_SCHEMAS = {"fastapi": "/openapi.json", "litestar": "/docs/openapi.json", "django-ninja": "/api/openapi.json"}
