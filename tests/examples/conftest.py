"""Fixtures for the example apps: each framework's own test client on a fresh database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import fake_upstream
import pytest
from example_api import APPS, EXAMPLES, ApiClient, load_module


@pytest.fixture(scope="session")
def run_module() -> ModuleType:
    """examples/run.py: seeding and server commands, shared with the benchmark."""
    return load_module("examples_run", EXAMPLES / "run.py")


@pytest.fixture(scope="session")
def seeded_databases(run_module: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One seeded database per app, built once and copied for each test."""
    directory = tmp_path_factory.mktemp("seeded")
    paths = {}
    for app in APPS:
        paths[app] = directory / f"{app}.sqlite3"
        run_module.seed(paths[app], app)
    return paths


def fresh_copy(seeded_databases: dict[str, Path], app: str, path: Path) -> Path:
    """Copy the app's seeded database to path, replacing what was there."""
    shutil.copyfile(seeded_databases[app], path)
    return path


@pytest.fixture(scope="session")
def upstream() -> Iterator[fake_upstream.FakeUpstream]:
    """The upstream service the I/O-bound endpoints call, faked in this process."""
    with fake_upstream.running() as server:
        yield server


@pytest.fixture(scope="session")
def flask_module(seeded_databases: dict[str, Path], upstream: fake_upstream.FakeUpstream) -> ModuleType:
    """examples/flask/app.py, imported once (it reads DATABASE_PATH and UPSTREAM_URL at import)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_PATH", str(seeded_databases["flask"]))
        mp.setenv("UPSTREAM_URL", upstream.url)
        return load_module("flask_example_app", EXAMPLES / "flask" / "app.py")


@pytest.fixture(scope="session")
def fastapi_module(seeded_databases: dict[str, Path], upstream: fake_upstream.FakeUpstream) -> ModuleType:
    """examples/fastapi/app.py, imported once (it reads DATABASE_PATH and UPSTREAM_URL at import)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_PATH", str(seeded_databases["fastapi"]))
        mp.setenv("UPSTREAM_URL", upstream.url)
        return load_module("fastapi_example_app", EXAMPLES / "fastapi" / "app.py")


@pytest.fixture
def flask_app(
    flask_module: ModuleType,
    seeded_databases: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """The Flask app on a fresh copy of the seeded database."""
    app = flask_module.app
    path = fresh_copy(seeded_databases, "flask", tmp_path / "flask.sqlite3")
    monkeypatch.setitem(app.config, "DATABASE_PATH", str(path))
    monkeypatch.setitem(app.config, "TESTING", True)  # errors raise in the test
    return app


@pytest.fixture
def fastapi_app(fastapi_module: ModuleType, seeded_databases: dict[str, Path], tmp_path: Path) -> Iterator[Any]:
    """The FastAPI app on a fresh copy of the seeded database."""
    app = fastapi_module.app
    path = fresh_copy(seeded_databases, "fastapi", tmp_path / "fastapi.sqlite3")
    # By hand: monkeypatch.setattr cannot restore attributes that State keeps in a dict.
    previous, app.state.database_path = app.state.database_path, str(path)
    yield app
    app.state.database_path = previous


@pytest.fixture(scope="session")
def django_database(
    seeded_databases: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    upstream: fake_upstream.FakeUpstream,
) -> Iterator[Path]:
    """Set Django up once, on a database file that each test gets a fresh copy of."""
    # Django reads its settings once per process, so the file's path stays fixed.
    path = fresh_copy(seeded_databases, "django", tmp_path_factory.mktemp("django") / "db.sqlite3")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(EXAMPLES / "django"))
        mp.setenv("DATABASE_PATH", str(path))
        mp.setenv("UPSTREAM_URL", upstream.url)
        mp.setenv("DJANGO_SETTINGS_MODULE", "project.settings")
        mp.delenv("DJANGO_DEBUG", raising=False)
        import django
        from django.test.utils import setup_test_environment, teardown_test_environment

        django.setup()
        setup_test_environment()  # allows the test client's "testserver" host
        yield path
        teardown_test_environment()


@pytest.fixture
def django_db(django_database: Path, seeded_databases: dict[str, Path]) -> Path:
    """Give the test a fresh copy of the seeded Django database; return its path."""
    from django.db import connections

    connections.close_all()  # nothing may hold the old file open
    return fresh_copy(seeded_databases, "django", django_database)


@pytest.fixture(params=APPS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiClient]:
    """The same API in each framework in turn, on a fresh seeded database."""
    app: str = request.param
    if app == "flask":
        flask_app = request.getfixturevalue("flask_app")
        yield ApiClient(app, flask_app.test_client(), Path(flask_app.config["DATABASE_PATH"]))
    elif app == "django":
        from django.test import Client

        yield ApiClient(app, Client(), request.getfixturevalue("django_db"))
    else:
        from fastapi.testclient import TestClient

        fastapi_app = request.getfixturevalue("fastapi_app")
        with TestClient(fastapi_app) as client:  # runs the lifespan: the upstream clients
            yield ApiClient(app, client, Path(fastapi_app.state.database_path))
