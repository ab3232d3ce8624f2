"""Fixtures for the example apps: each framework's own test client on a fresh database."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import fake_upstream
import pytest
from example_api import APPS, EXAMPLES, ApiClient, django_send, httpx_send, load_module, quart_send, werkzeug_send


@pytest.fixture(scope="session")
def run_module() -> ModuleType:
    """examples/run.py: seeding and server commands, shared with the benchmark."""
    return load_module("examples_run", EXAMPLES / "run.py")


class SeededDatabases(dict[str, Path]):
    """One seeded database per app, built the first time a test asks for it, then copied for each test."""

    def __init__(self, run_module: ModuleType, directory: Path) -> None:
        super().__init__()
        self.run_module = run_module
        self.directory = directory

    def __missing__(self, app: str) -> Path:
        if app not in APPS:
            raise KeyError(f"Unknown app {app!r}: expected one of {', '.join(APPS)}")
        path = self[app] = self.directory / f"{app}.sqlite3"
        self.run_module.seed(path, app)
        return path


@pytest.fixture(scope="session")
def seeded_databases(run_module: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One seeded database per app, built once (when first needed) and copied for each test."""
    return SeededDatabases(run_module, tmp_path_factory.mktemp("seeded"))


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
def api(request: pytest.FixtureRequest) -> ApiClient:
    """The same API in each framework in turn, on a fresh seeded database.

    Each app has its own fixture, `<app>_api` (dashes as underscores), below.
    """
    app: str = request.param
    client: ApiClient = request.getfixturevalue(app.replace("-", "_") + "_api")
    return client


@pytest.fixture
def flask_api(flask_app: Any) -> ApiClient:
    """The Flask app through Flask's test client."""
    return ApiClient("flask", werkzeug_send(flask_app.test_client()), Path(flask_app.config["DATABASE_PATH"]))


@pytest.fixture
def django_api(django_db: Path) -> ApiClient:
    """The Django app through Django's test client."""
    from django.test import Client

    return ApiClient("django", django_send(Client()), django_db)


@pytest.fixture
def fastapi_api(fastapi_app: Any) -> Iterator[ApiClient]:
    """The FastAPI app through its TestClient, which runs the lifespan (the upstream clients)."""
    from fastapi.testclient import TestClient

    with TestClient(fastapi_app) as client:
        yield ApiClient("fastapi", httpx_send(client), Path(fastapi_app.state.database_path))


# --- litestar fixtures ---
@pytest.fixture(scope="session")
def litestar_module(seeded_databases: dict[str, Path], upstream: fake_upstream.FakeUpstream) -> ModuleType:
    """examples/litestar/app.py, imported once (it reads DATABASE_PATH and UPSTREAM_URL at import)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_PATH", str(seeded_databases["litestar"]))
        mp.setenv("UPSTREAM_URL", upstream.url)
        return load_module("litestar_example_app", EXAMPLES / "litestar" / "app.py")


@pytest.fixture
def litestar_app(litestar_module: ModuleType, seeded_databases: dict[str, Path], tmp_path: Path) -> Iterator[Any]:
    """The Litestar app on a fresh copy of the seeded database."""
    app = litestar_module.app
    path = fresh_copy(seeded_databases, "litestar", tmp_path / "litestar.sqlite3")
    previous, app.state.database_path = app.state.database_path, str(path)
    yield app
    app.state.database_path = previous


@pytest.fixture
def litestar_api(litestar_app: Any) -> Iterator[ApiClient]:
    """The Litestar app through its TestClient, which runs the lifespan (the upstream clients)."""
    from litestar.testing import TestClient

    with TestClient(litestar_app) as client:
        yield ApiClient("litestar", httpx_send(client), Path(litestar_app.state.database_path))


# --- django-ninja fixtures ---
@pytest.fixture
def django_ninja_db(django_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Django as examples/django-ninja configures it, on a fresh copy of the same seeded database.

    Django is set up once per process, with examples/django's settings; those of
    examples/django-ninja extend them, and differ only in what is overridden here.
    """
    import importlib

    from django.test import override_settings

    monkeypatch.syspath_prepend(str(EXAMPLES / "django-ninja"))
    settings = importlib.import_module("ninja_project.settings")
    with override_settings(ROOT_URLCONF=settings.ROOT_URLCONF, INSTALLED_APPS=settings.INSTALLED_APPS):
        yield django_db


@pytest.fixture
def ninja_api(django_ninja_db: Path) -> Any:
    """The NinjaAPI of examples/django-ninja; imported once, as it registers a URL namespace."""
    import importlib

    return importlib.import_module("ninja_project.api").api


@pytest.fixture
def django_ninja_api(django_ninja_db: Path) -> ApiClient:
    """The Django Ninja app through Django's test client: the whole project, URLs and middleware."""
    from django.test import Client

    return ApiClient("django-ninja", django_send(Client()), django_ninja_db)


# --- quart fixtures ---
@pytest.fixture(scope="session")
def quart_module(seeded_databases: dict[str, Path], upstream: fake_upstream.FakeUpstream) -> ModuleType:
    """examples/quart/app.py, imported once (it reads DATABASE_PATH and UPSTREAM_URL at import)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_PATH", str(seeded_databases["quart"]))
        mp.setenv("UPSTREAM_URL", upstream.url)
        return load_module("quart_example_app", EXAMPLES / "quart" / "app.py")


@pytest.fixture
def quart_app(
    quart_module: ModuleType,
    seeded_databases: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """The Quart app on a fresh copy of the seeded database."""
    app = quart_module.app
    path = fresh_copy(seeded_databases, "quart", tmp_path / "quart.sqlite3")
    monkeypatch.setitem(app.config, "DATABASE_PATH", str(path))
    monkeypatch.setitem(app.config, "TESTING", True)  # errors raise in the test
    return app


@pytest.fixture
def quart_api(quart_app: Any) -> Iterator[ApiClient]:
    """The Quart app through its test client, on one event loop, between the app's startup and shutdown.

    Quart's test client alone runs no lifespan; its test app does, and so opens the upstream clients.
    """
    with asyncio.Runner() as runner:
        test_app = quart_app.test_app()
        runner.run(test_app.startup())
        try:
            send = quart_send(test_app.test_client(), runner.run)
            yield ApiClient("quart", send, Path(quart_app.config["DATABASE_PATH"]))
        finally:
            runner.run(test_app.shutdown())


# --- starlette fixtures ---
@pytest.fixture(scope="session")
def starlette_module(seeded_databases: dict[str, Path], upstream: fake_upstream.FakeUpstream) -> ModuleType:
    """examples/starlette/app.py, imported once (it reads DATABASE_PATH and UPSTREAM_URL at import)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_PATH", str(seeded_databases["starlette"]))
        mp.setenv("UPSTREAM_URL", upstream.url)
        return load_module("starlette_example_app", EXAMPLES / "starlette" / "app.py")


@pytest.fixture
def starlette_app(starlette_module: ModuleType, seeded_databases: dict[str, Path], tmp_path: Path) -> Iterator[Any]:
    """The Starlette app on a fresh copy of the seeded database."""
    app = starlette_module.app
    path = fresh_copy(seeded_databases, "starlette", tmp_path / "starlette.sqlite3")
    # By hand: monkeypatch.setattr cannot restore attributes that State keeps in a dict.
    previous, app.state.database_path = app.state.database_path, str(path)
    yield app
    app.state.database_path = previous


@pytest.fixture
def starlette_api(starlette_app: Any) -> Iterator[ApiClient]:
    """The Starlette app through its TestClient, which runs the lifespan (the upstream clients)."""
    from starlette.testclient import TestClient

    with TestClient(starlette_app) as client:
        yield ApiClient("starlette", httpx_send(client), Path(starlette_app.state.database_path))
