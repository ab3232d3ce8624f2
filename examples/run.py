"""Seed a fresh SQLite database, then run one example app under its production server.

    python examples/run.py APP [--port 8001] [--workers 1] [--database PATH]

APP is one of APPS below. Each app runs under its usual production server (its
default configuration in CONFIGS), bound to 127.0.0.1.
The benchmark harness uses `CONFIGS`, `seed()` and `server_command()` from this file,
which does not import the apps themselves (load it by path, e.g. with importlib).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

EXAMPLES = Path(__file__).resolve().parent
APPS = ("flask", "django", "fastapi", "litestar", "django-ninja", "quart", "starlette")
# The object each server loads, from the app's directory: a WSGI callable for gunicorn's
# sync, gthread and gevent workers, an ASGI one for uvicorn and its gunicorn worker.
WSGI_TARGETS = {
    "flask": "app:app",
    "django": "project.wsgi:application",
    "django-ninja": "ninja_project.wsgi:application",
}
ASGI_TARGETS = {
    "fastapi": "app:app",
    "django": "project.asgi:application",
    "litestar": "app:app",
    "quart": "app:app",
    "starlette": "app:app",
}
# The apps built on Django: their settings module. Their databases are made by
# Django's migrations; the others' by the app's schema.sql.
DJANGO_SETTINGS = {
    "django": "project.settings",
    "django-ninja": "ninja_project.settings",
}


class Config(NamedTuple):
    """One benchmark configuration: an app, the server and worker class that run it, and the view it loads.

    Like TechEmpower's benchmark_config.json, each configuration says what it measures,
    so that a reader of the results sees it: the harness publishes these fields.
    """

    app: str
    server: str  # "gunicorn", "uvicorn" or "hypercorn"
    # gunicorn's --worker-class (sync, gthread, gevent, or uvicorn-worker's class),
    # "uvicorn" for uvicorn's own worker processes, or hypercorn's --worker-class
    # (its event loop: asyncio or uvloop).
    worker_class: str
    # Threads per worker that run the loaded view: gthread's pool, or the thread pool in
    # which FastAPI runs a `def` endpoint (AnyIO's default of 40); 1 for a single thread
    # or an event loop.
    threads: int = 1
    # Which route of the I/O-bound workload this configuration loads, and so whether the
    # handler that waits for the upstream service is a plain (`sync`) or an `async def` view.
    view: str = "sync"
    # Each framework's usual production deployment: what `run.py APP` starts.
    default: bool = False
    # gevent's greenlets per worker (--worker-connections); 0 when the worker class has none.
    worker_connections: int = 0

    @property
    def orm(self) -> str:
        """`full` for an ORM (Django's), `raw` for SQL through sqlite3, as TechEmpower classifies them."""
        return "full" if self.app in DJANGO_SETTINGS else "raw"


# gthread: 32 threads per worker, so that two workers have a thread for each of the 64
# connections of the I/O workload's middle level, and fall short at its highest (256).
GTHREAD_THREADS = 32
# gevent: gunicorn's default, written out so that the command line shows it.
GEVENT_CONNECTIONS = 1000
# AnyIO's default thread limit, which FastAPI runs `def` endpoints under.
FASTAPI_THREADPOOL = 40

# Every benchmark configuration, in the order the results list them.
CONFIGS = {
    "flask-gunicorn": Config("flask", "gunicorn", "sync", default=True),
    "flask-gthread": Config("flask", "gunicorn", "gthread", threads=GTHREAD_THREADS),
    "flask-gevent": Config("flask", "gunicorn", "gevent", worker_connections=GEVENT_CONNECTIONS),
    "flask-async": Config("flask", "gunicorn", "sync", view="async"),
    "django-gunicorn": Config("django", "gunicorn", "sync", default=True),
    "django-gthread": Config("django", "gunicorn", "gthread", threads=GTHREAD_THREADS),
    "django-gevent": Config("django", "gunicorn", "gevent", worker_connections=GEVENT_CONNECTIONS),
    "django-uvicorn": Config("django", "uvicorn", "uvicorn", view="async"),
    "fastapi-uvicorn": Config("fastapi", "uvicorn", "uvicorn", view="async", default=True),
    "fastapi-sync": Config("fastapi", "uvicorn", "uvicorn", threads=FASTAPI_THREADPOOL),
    "fastapi-gunicorn": Config("fastapi", "gunicorn", "uvicorn_worker.UvicornWorker", view="async"),
    "litestar-uvicorn": Config("litestar", "uvicorn", "uvicorn", view="async", default=True),
    "django-ninja-gunicorn": Config("django-ninja", "gunicorn", "sync", default=True),
    "quart-hypercorn": Config("quart", "hypercorn", "uvloop", view="async", default=True),
    "starlette-uvicorn": Config("starlette", "uvicorn", "uvicorn", view="async", default=True),
}
# gunicorn's worker classes that serve a WSGI app; the others (uvicorn-worker's) serve ASGI.
WSGI_WORKERS = {"sync", "gthread", "gevent"}
# The configuration `run.py APP` starts: each framework's usual production server.
DEFAULT_CONFIG = {config.app: name for name, config in CONFIGS.items() if config.default}
SEED_USERS = [
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Alan Turing", "alan@example.com"),
    ("Katherine Johnson", "katherine@example.com"),
    ("Edsger Dijkstra", "edsger@example.com"),
]


class ServerCommand(NamedTuple):
    """What to exec to serve one configuration: the argv and the full environment."""

    argv: list[str]
    env: dict[str, str]


def seed(database_path: str | os.PathLike[str], app: str) -> None:
    """Create a new SQLite database at the path (replacing any file) with SEED_USERS."""
    if app not in APPS:
        raise ValueError(f"Unknown app {app!r}: expected one of {', '.join(APPS)}")
    path = Path(database_path)
    path.unlink(missing_ok=True)
    if app in DJANGO_SETTINGS:
        _seed_django(app, path)
        return
    with sqlite3.connect(path) as db:
        db.executescript((EXAMPLES / app / "schema.sql").read_text(encoding="utf-8"))
        db.executemany("INSERT INTO users (name, email) VALUES (?, ?)", SEED_USERS)
    db.close()


def _seed_django(app: str, path: Path) -> None:
    """Migrate a new database and load SEED_USERS with Django's own commands."""
    # Child processes: Django's settings are per process, and the harness may seed
    # several databases from one process.
    env = _app_env(app, path)
    manage = [sys.executable, "manage.py"]
    cwd = EXAMPLES / app
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=cwd, env=env, check=True)
    now = datetime.now(UTC).isoformat()
    fixture = [
        {"model": "users.user", "pk": pk, "fields": {"name": name, "email": email, "created_at": now}}
        for pk, (name, email) in enumerate(SEED_USERS, start=1)
    ]
    subprocess.run(
        [*manage, "loaddata", "--format", "json", "-v", "0", "-"],
        cwd=cwd,
        env=env,
        input=json.dumps(fixture),
        text=True,
        check=True,
    )


def _app_env(app: str, database_path: Path) -> dict[str, str]:
    """The environment an app runs in: this one, plus its database and settings."""
    env = {**os.environ, "DATABASE_PATH": str(database_path)}
    if app in DJANGO_SETTINGS:
        env["DJANGO_SETTINGS_MODULE"] = DJANGO_SETTINGS[app]
        env["DJANGO_DEBUG"] = "0"  # production settings, as the benchmark measures
    return env


def server_command(config: str, *, port: int, database_path: str | os.PathLike[str], workers: int = 1) -> ServerCommand:
    """Return the argv and environment that serve a configuration on 127.0.0.1:port."""
    if config not in CONFIGS:
        raise ValueError(f"Unknown configuration {config!r}: expected one of {', '.join(CONFIGS)}")
    spec = CONFIGS[config]
    app_dir = str(EXAMPLES / spec.app)
    env = _app_env(spec.app, Path(database_path).resolve())
    if spec.server == "uvicorn":
        target = ASGI_TARGETS[spec.app]
        argv = [
            *(sys.executable, "-m", "uvicorn", target, "--app-dir", app_dir),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--loop", "uvloop", "--http", "httptools"),
            "--no-access-log",  # gunicorn logs no requests by default either
        ]
        return ServerCommand(argv, env)
    if spec.server == "hypercorn":
        # Hypercorn imports `<directory>/app:app` by path, and logs no requests by default.
        argv = [
            *(sys.executable, "-m", "hypercorn", f"{app_dir}/{ASGI_TARGETS[spec.app]}"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--worker-class", spec.worker_class),
        ]
        return ServerCommand(argv, env)
    target = WSGI_TARGETS[spec.app] if spec.worker_class in WSGI_WORKERS else ASGI_TARGETS[spec.app]
    argv = [
        *(sys.executable, "-m", "gunicorn", "--chdir", app_dir),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        # gunicorn 27 otherwise opens a control socket under ~/.gunicorn, shared by
        # every server on the machine.
        "--no-control-socket",
    ]
    if spec.worker_class != "sync":
        argv += ["--worker-class", spec.worker_class]
    if spec.worker_class == "gthread":
        argv += ["--threads", str(spec.threads)]
    if spec.worker_connections:
        argv += ["--worker-connections", str(spec.worker_connections)]
    return ServerCommand([*argv, target], env)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, seed the database, and exec the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=APPS)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=_positive_int, default=1)
    parser.add_argument(
        "--database",
        type=Path,
        help="SQLite file to create (replaced if it exists); default: a new temp file",
    )
    args = parser.parse_args(argv)
    database = args.database
    if database is None:
        fd, name = tempfile.mkstemp(prefix=f"{args.app}-users-", suffix=".sqlite3")
        os.close(fd)
        database = Path(name)
    seed(database, args.app)
    command = server_command(DEFAULT_CONFIG[args.app], port=args.port, database_path=database, workers=args.workers)
    print(
        f"{args.app}: {len(SEED_USERS)} users in {database}\n"
        f"serving http://127.0.0.1:{args.port}/api/users (Ctrl+C stops)",
        file=sys.stderr,
        flush=True,
    )
    # Replace this process, so that signals (Ctrl+C, a harness's SIGTERM) reach the server.
    os.execve(command.argv[0], command.argv, command.env)


def _positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


if __name__ == "__main__":
    main()
