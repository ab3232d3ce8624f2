"""Django Ninja specifics of examples/django-ninja: its TestClient, /api/docs offline, OpenAPI."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from docs_assets import assert_only_local_assets

if TYPE_CHECKING:
    from ninja import NinjaAPI


# --8<-- [start:test_client]
def test_create_then_read_a_user(ninja_api: NinjaAPI) -> None:
    from ninja.testing import TestClient  # imported once Django is set up

    # Ninja's TestClient calls the operations directly, without Django's URL routing or
    # middleware: its paths are relative to the API, which the project mounts at /api/.
    client = TestClient(ninja_api)
    user = {"name": "Grace", "email": "grace@example.org"}
    created = client.post("/users", json=user)
    assert created.status_code == 201
    user_id = created.json()["id"]
    assert created.headers["Location"] == f"/api/users/{user_id}"
    response = client.get(f"/users/{user_id}")
    assert response.status_code == 200
    assert response.json() == {"id": user_id, **user}


# --8<-- [end:test_client]


def get(client: Client, path: str) -> tuple[int, str, bytes]:
    """A GET through Django's test client: status, content type, body (WhiteNoise streams files)."""
    response = client.get(path)
    try:
        return response.status_code, response.headers.get("Content-Type", ""), response.getvalue()
    finally:
        response.close()  # closes the file a static response streams


@pytest.mark.usefixtures("django_ninja_db")
def test_docs_page_loads_only_local_assets() -> None:
    # "ninja" is in INSTALLED_APPS: Swagger UI comes from its static files, not a CDN.
    urls = assert_only_local_assets(lambda path: get(Client(), path), "/api/docs")
    assert "/static/ninja/swagger-ui-bundle.js" in urls


@pytest.mark.usefixtures("django_ninja_db")
def test_openapi_documents_the_api_and_its_errors() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        *("/api/health", "/api/users", "/api/users/{user_id}"),
        *("/api/upstream/sync", "/api/upstream/async", "/api/cpu"),
    }
    get_user = schema["paths"]["/api/users/{user_id}"]["get"]
    assert set(get_user["responses"]) == {"200", "404", "422"}
    assert get_user["parameters"][0]["schema"]["minimum"] == 1
    create = schema["paths"]["/api/users"]["post"]
    assert set(create["responses"]) == {"201", "400", "409", "422", "503"}
    assert set(schema["paths"]["/api/users"]["get"]["responses"]) == {"200", "422"}
    components = schema["components"]["schemas"]
    assert components["UserIn"]["properties"]["email"]["format"] == "email"
    # UserOut is a ModelSchema: its types and lengths come from the Django model.
    assert components["UserOut"]["required"] == ["id", "name", "email"]
    assert components["UserOut"]["properties"]["name"]["maxLength"] == 100


@pytest.mark.usefixtures("django_ninja_db")
@pytest.mark.parametrize(
    ("method", "path", "allow"), [("PUT", "/api/users", {"GET", "POST"}), ("DELETE", "/api/users/1", {"GET"})]
)
def test_a_405_is_ninjas_plain_text_with_allow(method: str, path: str, allow: set[str]) -> None:
    # Ninja answers a method no operation of the path has itself, outside its exception
    # handlers: Django's HttpResponseNotAllowed, with text, not JSON.
    response = Client().generic(method, path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allow
    assert response.content == b"Method not allowed"


@pytest.mark.usefixtures("django_ninja_db")
def test_validation_errors_name_the_parameter_and_field() -> None:
    response = Client().post("/api/users", {"name": "x" * 101, "email": "no"}, content_type="application/json")
    assert response.status_code == 422
    assert [(error["loc"], error["type"]) for error in response.json()["detail"]] == [
        (["body", "payload", "name"], "string_too_long"),
        (["body", "payload", "email"], "value_error"),
    ]


@pytest.mark.usefixtures("django_ninja_db")
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"name": "Grace", "email": "grace@example.org"}', "text/plain"),
        (b'{"name": "Grace", "email": "grace@example.org"}', "application/x-www-form-urlencoded"),
        (b"\xff\xfe\xfd", "application/json"),
        (b"[" * 60_000, "application/json"),
    ],
    ids=["text/plain", "form", "not UTF-8", "nested too deep"],
)
def test_a_body_that_is_not_json_is_a_400(body: bytes, content_type: str) -> None:
    response = Client().generic("POST", "/api/users", body, content_type=content_type)
    assert (response.status_code, response.json()) == (400, {"detail": "Cannot parse request body"})


@pytest.mark.usefixtures("django_ninja_db")
def test_a_json_media_type_with_parameters_is_accepted() -> None:
    body = b'{"name": "Grace", "email": "grace@example.org"}'
    response = Client().generic("POST", "/api/users", body, content_type="application/json; charset=utf-8")
    assert response.status_code == 201


def test_a_write_that_waits_out_the_busy_timeout_is_a_503(django_ninja_db: Path) -> None:
    from django.db import connection

    holder = sqlite3.connect(django_ninja_db, isolation_level=None)
    connection.close()  # reopened with the short timeout below
    previous = connection.settings_dict["OPTIONS"]["timeout"]
    connection.settings_dict["OPTIONS"]["timeout"] = 0.1
    try:
        holder.execute("BEGIN IMMEDIATE")
        response = Client().post(
            "/api/users", {"name": "Waiting", "email": "waiting@example.org"}, content_type="application/json"
        )
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert response.json() == {"detail": "The database is busy; retry shortly"}
    finally:
        holder.close()
        connection.close()
        connection.settings_dict["OPTIONS"]["timeout"] = previous


@pytest.mark.usefixtures("django_ninja_db")
def test_the_admin_is_the_django_examples() -> None:
    response = Client().get("/admin/users/user/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_system_checks_pass(django_ninja_db: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    output = StringIO()
    call_command("check", stdout=output)
    assert "no issues" in output.getvalue()
