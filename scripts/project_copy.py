"""What a build reads, and a temp copy of it: for the tests and for `make build-bench`.

A copy holds only BUILD_INPUTS, so whoever uses it can edit the data, the pages or
the config freely; it has no git history, so pages show the build date.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a build reads; a temp copy holds only these, so a test can edit them freely.
BUILD_INPUTS = ("mkdocs.yml", "docs", "data", "macros", "overrides", "examples", "tests/examples")


def copy_project(destination: Path, root: Path = ROOT) -> Path:
    """Copy what a build reads from `root` into `destination`, for tests and benchmarks that edit it."""
    for name in BUILD_INPUTS:
        source = root / name
        target = destination / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", "static"))
        elif source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination
