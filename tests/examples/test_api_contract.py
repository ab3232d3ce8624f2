"""The HTTP contract the three example apps share: identical statuses and JSON shapes."""

from __future__ import annotations

import pytest
from example_api import ApiClient, error_body

ADA = {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}
SEEDED = 5  # examples/run.py SEED_USERS
NOT_FOUND = "User not found"
EMAIL_TAKEN = "A user with this email already exists"


def test_health_is_ok(api: ApiClient) -> None:
    reply = api.get("/api/health")
    assert (reply.status, reply.body) == (200, {"status": "ok"})


def test_get_seeded_user(api: ApiClient) -> None:
    reply = api.get("/api/users/1")
    assert (reply.status, reply.body) == (200, ADA)
    assert reply.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("user_id", ["999", "9223372036854775807"])
def test_unknown_user_is_a_json_404(api: ApiClient, user_id: str) -> None:
    reply = api.get(f"/api/users/{user_id}")
    assert (reply.status, reply.body) == (404, error_body(api.app, 404, NOT_FOUND))


def test_create_user_returns_201_location_and_the_user(api: ApiClient) -> None:
    reply = api.post_json("/api/users", {"name": "Barbara Liskov", "email": "barbara@example.org"})
    assert reply.status == 201
    assert reply.body == {"id": SEEDED + 1, "name": "Barbara Liskov", "email": "barbara@example.org"}
    assert reply.headers["location"] == f"/api/users/{SEEDED + 1}"
    fetched = api.get(reply.headers["location"])
    assert (fetched.status, fetched.body) == (200, reply.body)
    assert api.count_users() == SEEDED + 1


def test_create_user_trims_the_name(api: ApiClient) -> None:
    reply = api.post_json("/api/users", {"name": "  Barbara  ", "email": "barbara@example.org"})
    assert (reply.status, reply.body["name"]) == (201, "Barbara")


def test_duplicate_email_is_a_409_and_writes_nothing(api: ApiClient) -> None:
    reply = api.post_json("/api/users", {"name": "Another Ada", "email": ADA["email"]})
    assert (reply.status, reply.body) == (409, error_body(api.app, 409, EMAIL_TAKEN))
    assert api.count_users() == SEEDED
    assert api.get("/api/users/1").body == ADA


def test_list_defaults_to_the_first_page_in_id_order(api: ApiClient) -> None:
    reply = api.get("/api/users")
    assert reply.status == 200
    assert [user["id"] for user in reply.body] == [1, 2, 3, 4, 5]
    assert reply.body[0] == ADA


def test_list_limit_and_offset(api: ApiClient) -> None:
    reply = api.get("/api/users?limit=2&offset=1")
    assert reply.status == 200
    assert [user["id"] for user in reply.body] == [2, 3]
    assert api.get("/api/users?offset=5").body == []


def test_list_limit_has_a_default_and_a_cap(api: ApiClient) -> None:
    api.add_users(130 - SEEDED)
    assert len(api.get("/api/users").body) == 20
    assert len(api.get("/api/users?limit=100").body) == 100
    assert len(api.get("/api/users?limit=1000").body) == 100
    assert len(api.get("/api/users?limit=99999999999999999999").body) == 100
    assert [user["id"] for user in api.get("/api/users?limit=1000&offset=120").body] == list(range(121, 131))


# Per framework: Flask and DRF answer 400, FastAPI 422. DRF treats an empty query
# parameter as absent (its form-input convention), so `limit=` gets the default page.
BAD_PAGE_STATUS = {
    "flask": 400,
    "django": 400,
    "fastapi": 422,
    "litestar": 400,
    "django-ninja": 422,
    "quart": 400,
    "starlette": 400,
}


def page_statuses(exceptions: dict[str, int] | None = None) -> dict[str, int]:
    """Each app's BAD_PAGE_STATUS, except where a framework answers otherwise."""
    return {**BAD_PAGE_STATUS, **(exceptions or {})}


BAD_PAGES = [
    ("limit=abc", page_statuses()),
    ("limit=0", page_statuses()),
    ("limit=-1", page_statuses()),
    ("limit=1.5", page_statuses()),
    ("limit=", page_statuses({"django": 200})),
    ("offset=-1", page_statuses()),
    ("offset=abc", page_statuses()),
    ("offset=99999999999999999999", page_statuses()),
]


@pytest.mark.parametrize(("query", "statuses"), BAD_PAGES, ids=[query for query, _ in BAD_PAGES])
def test_bad_page_parameters(api: ApiClient, query: str, statuses: dict[str, int]) -> None:
    reply = api.get(f"/api/users?{query}")
    assert reply.status == statuses[api.app], reply.text
    if reply.status != 200:
        param = query.split("=")[0]
        assert param in reply.text, "the error names the bad parameter"
