"""One client interface over the three frameworks' own test clients, and helpers."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
APPS = ("flask", "django", "fastapi")


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


def named_fields(app: str, body: Any) -> set[str]:
    """The fields an error body names, read the way each framework shapes its errors."""
    if app == "flask":  # {"errors": {"name": "message", ...}}
        return set(body["errors"])
    if app == "django":  # DRF: {"name": ["message", ...], ...} or {"detail": "message"}
        return set(body)
    # FastAPI: {"detail": [{"loc": ["body", "name"], ...}, ...]}; a whole-body error has
    # loc ["body"], or ["body", <position>] for malformed JSON.
    return {next((part for part in item["loc"][1:] if isinstance(part, str)), "body") for item in body["detail"]}


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


class ApiClient:
    """The users API of one app, driven through that framework's own test client."""

    def __init__(self, app: str, client: Any, database_path: Path) -> None:
        self.app = app
        self.client = client
        self.database_path = database_path

    def get(self, path: str) -> Reply:
        """GET path."""
        response = self.client.get(path)
        return self._wrap(response)

    def post(self, path: str, body: bytes, content_type: str) -> Reply:
        """POST raw bytes with a given Content-Type."""
        if self.app == "fastapi":
            response = self.client.post(path, content=body, headers={"content-type": content_type})
        else:
            response = self.client.post(path, data=body, content_type=content_type)
        return self._wrap(response)

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

    def _wrap(self, response: Any) -> Reply:
        if self.app == "flask":
            return _reply(response.status_code, response.headers, response.get_data())
        return _reply(response.status_code, response.headers, response.content)


# The apps that publish an OpenAPI schema, and where: each must keep to it (schemathesis).
OPENAPI_SCHEMAS = {"fastapi": "/openapi.json"}
