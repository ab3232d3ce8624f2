"""Litestar specifics of examples/litestar/app.py: its TestClient, the docs offline, OpenAPI."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest
from docs_assets import assert_only_local_assets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient


# --8<-- [start:test_client]
def test_create_then_read_a_user(litestar_app: Litestar) -> None:
    with TestClient(litestar_app) as client:
        user = {"name": "Grace", "email": "grace@example.org"}
        created = client.post("/api/users", json=user)
        assert created.status_code == 201
        response = client.get(created.headers["Location"])
        assert response.status_code == 200
        assert response.json() == {"id": created.json()["id"], **user}


# --8<-- [end:test_client]


def test_docs_page_loads_only_local_assets(litestar_app: Litestar) -> None:
    client = TestClient(litestar_app)

    def get(path: str) -> tuple[int, str, bytes]:
        response = client.get(path)
        return response.status_code, response.headers.get("content-type", ""), response.content

    urls = assert_only_local_assets(get, "/docs")
    assert any(url.endswith("favicon-32x32.png") for url in urls), "the favicon too"


def test_docs_oauth2_redirect_page(litestar_app: Litestar) -> None:
    response = TestClient(litestar_app).get("/docs/oauth2-redirect.html")
    assert response.status_code == 200
    assert "cdn" not in response.text.lower()


def openapi(litestar_app: Litestar) -> dict[str, Any]:
    """The schema the app publishes."""
    response = TestClient(litestar_app).get("/docs/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def test_openapi_documents_the_api_and_its_errors(litestar_app: Litestar) -> None:
    schema = openapi(litestar_app)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        *("/api/health", "/api/users", "/api/users/{user_id}"),
        *("/api/upstream/sync", "/api/upstream/async", "/api/cpu"),
    }
    get_user = schema["paths"]["/api/users/{user_id}"]["get"]
    assert {"200", "400", "404"} <= set(get_user["responses"])
    assert get_user["parameters"][0]["schema"]["minimum"] == 1
    create = schema["paths"]["/api/users"]["post"]
    assert {"201", "400", "409", "415", "503"} <= set(create["responses"])
    assert create["operationId"] == "ApiUsersCreateUser", "registered once (see the Router in app.py)"
    assert {"502", "503"} <= set(schema["paths"]["/api/upstream/async"]["get"]["responses"])
    problem = schema["components"]["schemas"]["Problem"]
    assert sorted(problem["required"]) == ["detail", "status_code"], "Litestar's own error shape"


def test_errors_have_litestars_shape(litestar_app: Litestar) -> None:
    with TestClient(litestar_app) as client:
        reply = client.post("/api/users", json={"email": "barbara@example.org"})
    assert reply.status_code == 400
    assert reply.json() == {
        "status_code": 400,
        "detail": "Validation failed for POST /api/users",
        "extra": [{"message": "Field required", "key": "name"}],
    }


def test_a_405_allows_every_method_of_the_path(litestar_app: Litestar) -> None:
    response = TestClient(litestar_app).put("/api/users", json={})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}
    assert response.json() == {"status_code": 405, "detail": "Method Not Allowed"}


@pytest.mark.parametrize(("path", "methods"), [("/api/users", {"GET", "POST"}), ("/api/users/1", {"GET"})])
def test_options_lists_every_method_of_the_path(litestar_app: Litestar, path: str, methods: set[str]) -> None:
    """Litestar answers OPTIONS on every path, and the 405's Allow lists it."""
    client = TestClient(litestar_app)
    response = client.options(path)
    assert response.status_code == 204
    assert set(response.headers["allow"].split(", ")) == {*methods, "OPTIONS"}
    assert set(client.delete(path).headers["allow"].split(", ")) == {*methods, "OPTIONS"}


def test_deeply_nested_json_is_a_400_not_a_500(litestar_app: Litestar) -> None:
    """msgspec raises RecursionError, which Litestar does not turn into a 400 by itself."""
    reply = TestClient(litestar_app).post(
        "/api/users", content=b"[" * 60_000, headers={"content-type": "application/json"}
    )
    assert (reply.status_code, reply.json()) == (
        400,
        {"status_code": 400, "detail": "JSON is malformed: nested too deeply"},
    )


def test_the_name_pattern_strips_what_str_strip_strips(litestar_module: object) -> None:
    space = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    pattern = re.compile(f"[{litestar_module.SPACE}]")  # type: ignore[attr-defined]
    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if pattern.fullmatch(c)) == space


SPACES = st.sampled_from([" ", "\t", "\n", "\x85", "\xa0", "\u2003", "\u3000", "\ufeff", "\x1c", "\u200b"])
NAMES = st.lists(st.one_of(SPACES, st.characters(codec="utf-8")), max_size=110).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(NAMES, st.builds(lambda pad, core: pad + core + pad, SPACES, st.text(min_size=99, max_size=101))))
def test_the_published_name_pattern_is_the_validation_rule(litestar_app: Litestar, name: str) -> None:
    with TestClient(litestar_app) as client:
        pattern = client.get("/docs/openapi.json").json()["components"]["schemas"]["UserIn"]["properties"]["name"]
        accepted = client.post("/api/users", json={"name": name, "email": "new@example.org"})
    matches = re.search(pattern["pattern"], name) is not None
    assert (accepted.status_code != 400) == matches, (name, accepted.text)
    if accepted.status_code == 201:
        assert accepted.json()["name"] == name.strip()


@pytest.mark.parametrize("email", ["a@b.org\n", "a@b", "a@b.", "a b@c.org", "a@@b.org", "@b.org", "a@b..org"])
def test_the_published_email_pattern_refuses_what_the_app_refuses(litestar_app: Litestar, email: str) -> None:
    schema = openapi(litestar_app)
    pattern = schema["components"]["schemas"]["UserIn"]["properties"]["email"]["pattern"]
    assert re.search(pattern, email) is None
    assert re.search(pattern, "a@example.org")
    reply = TestClient(litestar_app).post("/api/users", json={"name": "Pattern", "email": email})
    assert reply.status_code == 400
    assert {item["key"] for item in reply.json()["extra"]} == {"email"}
