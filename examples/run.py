"""Seed a fresh SQLite database, then run one example app under its production server.

    python examples/run.py {flask|django|fastapi} [--port 8001] [--workers 1]
                           [--database PATH]

Flask and Django run under gunicorn, FastAPI under uvicorn, all bound to 127.0.0.1.
The benchmark harness uses `seed()` and `server_command()` from this file, which does
not import the apps themselves (load it by path, e.g. with importlib).
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
APPS = ("flask", "django", "fastapi")
# Each benchmark configuration: which app, under which server.
CONFIGS = {
    "flask-gunicorn": "flask",
    "django-gunicorn": "django",
    "fastapi-uvicorn": "fastapi",
    "fastapi-gunicorn": "fastapi",
}
# The configuration `run.py APP` starts: each framework's usual production server.
DEFAULT_CONFIG = {
    "flask": "flask-gunicorn",
    "django": "django-gunicorn",
    "fastapi": "fastapi-uvicorn",
}
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
    if app == "django":
        _seed_django(path)
        return
    with sqlite3.connect(path) as db:
        db.executescript((EXAMPLES / app / "schema.sql").read_text(encoding="utf-8"))
        db.executemany("INSERT INTO users (name, email) VALUES (?, ?)", SEED_USERS)
    db.close()


def _seed_django(path: Path) -> None:
    """Migrate a new database and load SEED_USERS with Django's own commands."""
    # Child processes: Django's settings are per process, and the harness may seed
    # several databases from one process.
    env = _app_env("django", path)
    manage = [sys.executable, "manage.py"]
    cwd = EXAMPLES / "django"
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
    if app == "django":
        env["DJANGO_SETTINGS_MODULE"] = "project.settings"
        env["DJANGO_DEBUG"] = "0"  # production settings, as the benchmark measures
    return env


def server_command(config: str, *, port: int, database_path: str | os.PathLike[str], workers: int = 1) -> ServerCommand:
    """Return the argv and environment that serve a configuration on 127.0.0.1:port."""
    if config not in CONFIGS:
        raise ValueError(f"Unknown configuration {config!r}: expected one of {', '.join(CONFIGS)}")
    app = CONFIGS[config]
    app_dir = str(EXAMPLES / app)
    env = _app_env(app, Path(database_path).resolve())
    if config == "fastapi-uvicorn":
        argv = [
            *(sys.executable, "-m", "uvicorn", "app:app", "--app-dir", app_dir),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--loop", "uvloop", "--http", "httptools"),
            "--no-access-log",  # gunicorn logs no requests by default either
        ]
        return ServerCommand(argv, env)
    target = "project.wsgi:application" if app == "django" else "app:app"
    argv = [
        *(sys.executable, "-m", "gunicorn", "--chdir", app_dir),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        # gunicorn 27 otherwise opens a control socket under ~/.gunicorn, shared by
        # every server on the machine.
        "--no-control-socket",
    ]
    if config == "fastapi-gunicorn":
        argv += ["--worker-class", "uvicorn_worker.UvicornWorker"]
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
