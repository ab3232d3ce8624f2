"""Django specifics of examples/django: its test Client, the admin, the migration."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.test import Client


# --8<-- [start:test_client]
@pytest.mark.usefixtures("django_db")
def test_create_then_read_a_user() -> None:
    client = Client()
    user = {"name": "Grace", "email": "grace@example.org"}
    created = client.post("/api/users", user, content_type="application/json")
    assert created.status_code == 201
    response = client.get(created.headers["Location"])
    assert response.status_code == 200
    assert response.json() == {"id": created.json()["id"], **user}


# --8<-- [end:test_client]


@pytest.mark.usefixtures("django_db")
def test_admin_login_shows_the_users() -> None:
    from django.contrib.auth.models import User as Account
    from django.test import override_settings

    # A fast hasher: the default one is slow on purpose, and this is a throwaway account.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        Account.objects.create_superuser("admin", "admin@example.org", "correct horse")
        client = Client()
        login = client.post(
            "/admin/login/?next=/admin/users/user/",
            {"username": "admin", "password": "correct horse", "next": "/admin/users/user/"},
            follow=True,
        )
    assert login.status_code == 200
    assert login.redirect_chain == [("/admin/users/user/", 302)]
    page = login.content.decode()
    assert "Ada Lovelace" in page and "ada@example.com" in page
    assert "/static/admin/css/base.css" in page
    search = client.get("/admin/users/user/", {"q": "hopper"})
    assert "Grace Hopper" in search.content.decode() and "Ada Lovelace" not in search.content.decode()
    add = client.post("/admin/users/user/add/", {"name": "Barbara Liskov", "email": "barbara@example.org"})
    assert add.status_code == 302
    assert Client().get("/api/users/6").json()["name"] == "Barbara Liskov"


@pytest.mark.usefixtures("django_db")
def test_admin_needs_a_login() -> None:
    response = Client().get("/admin/users/user/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


def test_the_committed_migration_matches_the_model(django_db: Path) -> None:
    from django.core.management import call_command

    # Exits with status 1 when the models have changes that no migration records.
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO(), stderr=StringIO())


def test_system_checks_pass(django_db: Path) -> None:
    from django.core.management import call_command

    output = StringIO()
    call_command("check", stdout=output)
    assert "no issues" in output.getvalue()
