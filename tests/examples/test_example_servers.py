"""The examples under their production servers: real processes, real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from example_api import EXAMPLES
from servers import Server, free_port, start, stop

# The three `examples/run.py APP` commands, and the benchmark's configurations that
# run an app under another server or worker class (the others differ only in the view
# the benchmark loads).
SERVERS = [
    "flask",
    "django",
    "fastapi",
    "litestar",
    "django-ninja",
    "quart",
    "starlette",
    "flask-gthread",
    "flask-gevent",
    "django-gthread",
    "django-gevent",
    "django-uvicorn",
    "fastapi-gunicorn",
]


@pytest.fixture(scope="module", params=SERVERS)
def server(
    request: pytest.FixtureRequest, run_module: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One example app under its production server with 1 worker, on a free port."""
    name: str = request.param
    directory = tmp_path_factory.mktemp(name)
    database = directory / "users.sqlite3"
    port = free_port()
    if name in run_module.APPS:
        argv = [sys.executable, str(EXAMPLES / "run.py"), name, "--port", str(port), "--workers", "1"]
        argv += ["--database", str(database)]
        env = dict(os.environ)
    else:
        run_module.seed(database, run_module.CONFIGS[name].app)
        argv, env = run_module.server_command(name, port=port, database_path=database, workers=1)
    server = start(name, argv, env, port, directory / "server.log")
    yield server
    stop(server)
    assert server.process.returncode is not None


def test_health(server: Server) -> None:
    status, headers, body = server.request("GET", "/api/health")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert headers["content-type"].startswith("application/json")


def test_get_seeded_user(server: Server) -> None:
    status, _, body = server.request("GET", "/api/users/1")
    assert (status, json.loads(body)) == (200, {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"})


def test_create_then_read_a_user(server: Server) -> None:
    email = f"{server.name}@example.org"
    status, headers, body = server.request("POST", "/api/users", {"name": "Grace", "email": email})
    assert status == 201, body
    created = json.loads(body)
    assert created == {"id": created["id"], "name": "Grace", "email": email}
    assert headers["location"] == f"/api/users/{created['id']}"
    status, _, body = server.request("GET", headers["location"])
    assert (status, json.loads(body)) == (200, created)
    status, _, body = server.request("POST", "/api/users", {"name": "Grace", "email": email})
    assert status == 409, body


def test_bad_input_is_a_4xx(server: Server) -> None:
    for path in ["/api/users/abc", "/api/users/99999999999999999999", "/api/users/1%3BDROP%20TABLE%20users"]:
        assert 400 <= server.request("GET", path)[0] < 500, path
    assert 400 <= server.request("POST", "/api/users", {"name": ""})[0] < 500


@pytest.mark.parametrize("server", ["django"], indirect=True)
def test_django_admin_has_its_css(server: Server) -> None:
    """gunicorn runs Django with DEBUG=False, where WhiteNoise serves the admin's files."""
    status, _, body = server.request("GET", "/admin/login/")
    assert status == 200
    assert b"/static/admin/css/base.css" in body
    status, headers, body = server.request("GET", "/static/admin/css/base.css")
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert body
    status, _, body = server.request("GET", "/no-such-page")
    assert status == 404
    assert b"URLconf" not in body, "DEBUG=False: no technical 404 page"


def test_stop_ends_every_process(run_module: ModuleType, tmp_path: Path) -> None:
    """Killing the process group by its leader's id leaves no worker behind."""
    database = tmp_path / "users.sqlite3"
    run_module.seed(database, "flask")
    port = free_port()
    argv, env = run_module.server_command("flask-gunicorn", port=port, database_path=database, workers=2)
    server = start("flask-gunicorn", argv, env, port, tmp_path / "server.log")
    stop(server)
    with pytest.raises(ProcessLookupError):
        os.killpg(server.process.pid, 0)  # no process is left in the group
