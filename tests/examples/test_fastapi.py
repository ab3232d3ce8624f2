"""FastAPI specifics of examples/fastapi/app.py: its TestClient, /docs offline, OpenAPI."""

from __future__ import annotations

import re

import pytest
from docs_assets import assert_only_local_assets
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


# --8<-- [start:test_client]
def test_create_then_read_a_user(fastapi_app: FastAPI) -> None:
    client = TestClient(fastapi_app)
    user = {"name": "Grace", "email": "grace@example.org"}
    created = client.post("/api/users", json=user)
    assert created.status_code == 201
    response = client.get(created.headers["Location"])
    assert response.status_code == 200
    assert response.json() == {"id": created.json()["id"], **user}


# --8<-- [end:test_client]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_only_local_assets(fastapi_app: FastAPI, page: str) -> None:
    client = TestClient(fastapi_app)

    def get(path: str) -> tuple[int, str, bytes]:
        response = client.get(path)
        return response.status_code, response.headers.get("content-type", ""), response.content

    assert_only_local_assets(get, page)


def test_docs_oauth2_redirect_page(fastapi_app: FastAPI) -> None:
    assert TestClient(fastapi_app).get("/docs/oauth2-redirect").status_code == 200


def test_openapi_documents_the_api(fastapi_app: FastAPI) -> None:
    response = TestClient(fastapi_app).get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        *("/api/health", "/api/users", "/api/users/{user_id}"),
        *("/api/upstream/sync", "/api/upstream/async", "/api/cpu"),
    }
    get_user = schema["paths"]["/api/users/{user_id}"]["get"]
    assert {"200", "404", "422"} <= set(get_user["responses"])
    create = schema["paths"]["/api/users"]["post"]
    assert {"201", "409", "422"} <= set(create["responses"])
    assert {"201", "400", "409", "422", "503"} <= set(create["responses"])
    user_in = schema["components"]["schemas"]["UserIn"]
    assert user_in["properties"]["email"]["format"] == "email"
    assert get_user["parameters"][0]["schema"]["minimum"] == 1  # not "ge": a schema keyword


def test_a_405_allows_every_method_of_the_path(fastapi_app: FastAPI) -> None:
    response = TestClient(fastapi_app).put("/api/users", json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json() == {"detail": "Method Not Allowed"}


def name_pattern(fastapi_app: FastAPI) -> re.Pattern[str]:
    """The name pattern the app publishes in its OpenAPI schema."""
    schema = TestClient(fastapi_app).get("/openapi.json").json()
    return re.compile(schema["components"]["schemas"]["UserIn"]["properties"]["name"]["pattern"])


SPACES = st.sampled_from([" ", "\t", "\n", "\x85", "\xa0", "\u2003", "\u3000", "\ufeff", "\x1c", "\u200b"])
NAMES = st.lists(st.one_of(SPACES, st.characters(codec="utf-8")), max_size=110).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(NAMES, st.builds(lambda pad, core: pad + core + pad, SPACES, st.text(min_size=99, max_size=101))))
def test_the_published_name_pattern_is_the_validation_rule(fastapi_app: FastAPI, name: str) -> None:
    accepted = TestClient(fastapi_app).post("/api/users", json={"name": name, "email": "new@example.org"})
    matches = name_pattern(fastapi_app).search(name) is not None
    assert (accepted.status_code != 422) == matches, (name, accepted.text)


@pytest.mark.parametrize("email", ["a@b.test", "a@x.LOCALHOST", "a@y.invalid", "a@z.onion"])
def test_the_published_email_schema_refuses_special_use_domains(fastapi_app: FastAPI, email: str) -> None:
    schema = TestClient(fastapi_app).get("/openapi.json").json()
    pattern = schema["components"]["schemas"]["UserIn"]["properties"]["email"]["pattern"]
    assert re.search(pattern, email) is None
    assert re.search(pattern, "a@example.org")
    reply = TestClient(fastapi_app).post("/api/users", json={"name": "Special", "email": email})
    assert reply.status_code == 422
