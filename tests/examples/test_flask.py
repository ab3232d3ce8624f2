"""Flask specifics of examples/flask/app.py, through Flask's own test client."""

from __future__ import annotations

import pytest
from flask import Flask


# --8<-- [start:test_client]
def test_create_then_read_a_user(flask_app: Flask) -> None:
    client = flask_app.test_client()
    user = {"name": "Grace", "email": "grace@example.org"}
    created = client.post("/api/users", json=user)
    assert created.status_code == 201
    response = client.get(created.headers["Location"])
    assert response.status_code == 200
    assert response.json == {"id": created.json["id"], **user}


# --8<-- [end:test_client]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/nothing-here", 404), ("DELETE", "/api/users/1", 405), ("GET", "/api/users/", 404)],
)
def test_http_errors_are_json_too(flask_app: Flask, method: str, path: str, status: int) -> None:
    response = flask_app.test_client().open(path, method=method)
    assert response.status_code == status
    assert response.is_json and response.json["detail"]


def test_validation_messages_say_what_is_expected(flask_app: Flask) -> None:
    response = flask_app.test_client().post("/api/users", json={"name": "x" * 101, "email": "no"})
    assert response.json == {"errors": {"name": "must be 1 to 100 characters", "email": "must be an email address"}}
