"""Invalid and hostile input: the exact 4xx per framework, never a 500, nothing written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from example_api import INVALID_STATUS, ApiClient, named_fields

SEEDED = 5
VALID = {"name": "Barbara Liskov", "email": "barbara@example.org"}


@dataclass(frozen=True)
class Case:
    """One invalid request, and what each framework answers: (status, fields named)."""

    id: str
    body: bytes
    expected: dict[str, tuple[int, set[str]]]
    content_type: str = "application/json"


def as_json(data: Any) -> bytes:
    """Encode a request body as JSON."""
    return json.dumps(data).encode()


def same_fields(fields: set[str]) -> dict[str, tuple[int, set[str]]]:
    """Every app answers its INVALID_STATUS (400, or 422 for FastAPI and Django Ninja), naming the same fields."""
    return {app: (status, fields) for app, status in INVALID_STATUS.items()}


INVALID = [
    Case("missing name", as_json({"email": VALID["email"]}), same_fields({"name"})),
    Case("missing email", as_json({"name": VALID["name"]}), same_fields({"email"})),
    Case("empty object", as_json({}), same_fields({"name", "email"})),
    Case("empty name", as_json({**VALID, "name": ""}), same_fields({"name"})),
    Case("blank name", as_json({**VALID, "name": "   "}), same_fields({"name"})),
    Case("101-char name", as_json({**VALID, "name": "x" * 101}), same_fields({"name"})),
    Case("malformed email", as_json({**VALID, "email": "barbara.example.org"}), same_fields({"email"})),
    Case("email without domain", as_json({**VALID, "email": "barbara@"}), same_fields({"email"})),
    Case("name is a number", as_json({**VALID, "name": 123}), same_fields({"name"})),
    Case("name is null", as_json({**VALID, "name": None}), same_fields({"name"})),
    Case("email is a list", as_json({**VALID, "email": [VALID["email"]]}), same_fields({"email"})),
    Case("two bad fields", as_json({"name": "", "email": "nope"}), same_fields({"name", "email"})),
    Case(
        "malformed JSON",
        b'{"name": "Barbara", ',
        {
            "flask": (400, {"body"}),
            "django": (400, {"detail"}),
            "fastapi": (422, {"body"}),
            "litestar": (400, {"body"}),
            "django-ninja": (400, {"body"}),
            "quart": (400, {"body"}),
            "starlette": (400, {"body"}),
        },
    ),
    Case(
        "text/plain",
        as_json(VALID),
        {
            "flask": (415, {"body"}),
            "django": (415, {"detail"}),
            "fastapi": (422, {"body"}),
            "litestar": (415, {"body"}),
            "django-ninja": (400, {"body"}),
            "quart": (415, {"body"}),
            "starlette": (415, {"body"}),
        },
        content_type="text/plain",
    ),
    Case(
        "JSON array",
        as_json([VALID]),
        {
            "flask": (400, {"body"}),
            "django": (400, {"non_field_errors"}),
            "fastapi": (422, {"body"}),
            "litestar": (400, {"body"}),
            "django-ninja": (422, {"name", "email"}),
            "quart": (400, {"body"}),
            "starlette": (400, {"body"}),
        },
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=[case.id for case in INVALID])
def test_invalid_user_is_rejected_naming_each_bad_field(api: ApiClient, case: Case) -> None:
    reply = api.post("/api/users", case.body, case.content_type)
    status, fields = case.expected[api.app]
    assert reply.status == status, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    assert named_fields(api.app, reply.body) == fields, reply.body
    assert api.count_users() == SEEDED


# Flask, Django, Quart and Starlette route only digits to the view (anything else is an
# unknown URL: 404); FastAPI, Django Ninja and Litestar route the text to the view, and
# their validation answers (422, 422 and 400).
BAD_ID_STATUS = {
    "flask": 404,
    "django": 404,
    "fastapi": 422,
    "litestar": 400,
    "django-ninja": 422,
    "quart": 404,
    "starlette": 404,
}
BAD_IDS = [
    "abc",
    "-1",
    "0",
    "1.5",
    "99999999999999999999",
    "1%3BDROP%20TABLE%20users",
    "1%20OR%201%3D1",
    # A path id is ASCII decimal digits only: int() and `\d` also accept these.
    "%D9%A1",  # "١", Arabic-Indic one
    "%EF%BC%91",  # "１", full-width one
    "%E0%A5%A7",  # "१", Devanagari one
    "+1",
    "%2B1",
    "%201",
    "1%20",
    "1_0",
    "0x1",
]


@pytest.mark.parametrize("user_id", BAD_IDS)
def test_bad_user_id_is_a_4xx(api: ApiClient, user_id: str) -> None:
    reply = api.get(f"/api/users/{user_id}")
    assert reply.status == BAD_ID_STATUS[api.app], reply.text
    assert api.count_users() == SEEDED, "the users table is intact"


INJECTIONS = [
    "Robert'); DROP TABLE users;--",
    "' OR '1'='1",
    '"; DELETE FROM users; --',
    "x\\'); UPDATE users SET name='pwned'; --",
]


@pytest.mark.parametrize("name", INJECTIONS)
def test_sql_in_a_name_is_stored_literally(api: ApiClient, name: str) -> None:
    created = api.post_json("/api/users", {"name": name, "email": "bobby@example.org"})
    assert created.status == 201, created.text
    assert api.get(created.headers["location"]).body["name"] == name
    assert api.count_users() == SEEDED + 1
    assert [user["name"] for user in api.get("/api/users").body][:2] == ["Ada Lovelace", "Grace Hopper"]


def test_sql_in_an_email_is_rejected_and_changes_nothing(api: ApiClient) -> None:
    reply = api.post_json("/api/users", {"name": "Bobby", "email": "x'; DROP TABLE users;--@example.org"})
    assert 400 <= reply.status < 500, reply.text
    assert api.count_users() == SEEDED


def test_one_megabyte_body_is_a_4xx(api: ApiClient) -> None:
    reply = api.post_json("/api/users", {"name": "x" * 1_000_000, "email": "big@example.org"})
    assert 400 <= reply.status < 500, reply.status
    assert api.count_users() == SEEDED


def test_one_megabyte_of_garbage_is_a_4xx(api: ApiClient) -> None:
    reply = api.post("/api/users", b"\xff" * 1_000_000, "application/json")
    assert 400 <= reply.status < 500, reply.status
    assert api.count_users() == SEEDED


@pytest.mark.parametrize(
    "name",
    ["Zoë Ångström", "李小龙", "Александра", "مريم", "😀 Emoji 👩‍💻", "x" * 100, "é" * 100],
    ids=["latin", "han", "cyrillic", "arabic", "emoji", "100 chars", "100 accents"],
)
def test_unicode_names_round_trip(api: ApiClient, name: str) -> None:
    created = api.post_json("/api/users", {"name": name, "email": "unicode@example.org"})
    assert (created.status, created.body["name"]) == (201, name)
    assert api.get(created.headers["location"]).body["name"] == name


def test_rejected_writes_leave_the_database_unchanged(api: ApiClient) -> None:
    before = api.get("/api/users?limit=100").body
    for case in INVALID:
        api.post("/api/users", case.body, case.content_type)
    api.post_json("/api/users", {"name": "Ada again", "email": "ada@example.com"})
    assert api.get("/api/users?limit=100").body == before
    assert api.count_users() == SEEDED


@pytest.mark.parametrize(
    "body",
    [b"[" * 60_000, b'{"name": ' * 30_000, b"[" * 60_000 + b"]" * 60_000],
    ids=["60,000 open brackets", "30,000 open objects", "60,000 nested lists"],
)
def test_deeply_nested_json_is_a_4xx(api: ApiClient, body: bytes) -> None:
    """Deep enough that a recursive parser runs out of stack (Python's json raises RecursionError)."""
    reply = api.post("/api/users", body, "application/json")
    assert 400 <= reply.status < 500, reply.text[:500]
    assert reply.headers["content-type"].startswith("application/json")
    assert api.count_users() == SEEDED
