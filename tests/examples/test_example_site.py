"""The examples and the site agree: every app module is shown and tested, and the data states what the apps do."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from test_api_bad_input import INVALID

from macros.data import load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CATALOG = load(ROOT)

# Modules that configure or start an app rather than hold its code: no page needs them.
ALLOWLIST = {
    "run.py",
    "django/manage.py",
    "django/project/__init__.py",
    "django/project/settings.py",
    "django/project/urls.py",
    "django/project/asgi.py",
    "django/project/wsgi.py",
    "django/users/__init__.py",
    "django/users/apps.py",
}


def app_modules() -> list[str]:
    """Every Python file under examples/ that holds application code."""
    found = []
    for path in sorted(EXAMPLES.rglob("*.py")):
        relative = path.relative_to(EXAMPLES).as_posix()
        if relative not in ALLOWLIST and "/migrations/" not in relative:
            found.append(relative)
    return found


def test_every_app_module_is_included_by_a_page() -> None:
    shown = {
        ref.partition(":")[0]
        for fw in CATALOG.frameworks
        for refs in fw["example"]["snippets"].values()
        for ref in refs
    }
    missing = [m for m in app_modules() if f"examples/{m}" not in shown]
    assert missing == [], "app modules that no page includes; show a section of them or allowlist them"


def test_every_app_module_is_loaded_by_the_tests(flask_app: Any, fastapi_app: Any, django_db: Path) -> None:
    # The fixtures load each app as its tests do; Django imports its views when it first resolves a URL.
    from django.test import Client

    assert Client().get("/api/users/1").status_code == 200
    loaded = {Path(m.__file__).resolve() for m in list(sys.modules.values()) if getattr(m, "__file__", None)}
    missing = [m for m in app_modules() if (EXAMPLES / m).resolve() not in loaded]
    assert missing == []


def test_the_allowlist_names_existing_files() -> None:
    assert [name for name in sorted(ALLOWLIST) if not (EXAMPLES / name).is_file()] == []


@pytest.mark.parametrize("fw", CATALOG.frameworks, ids=[fw["id"] for fw in CATALOG.frameworks])
def test_the_data_states_each_apps_invalid_input_status(fw: dict) -> None:
    """The site's table of answers to invalid input matches what the tests assert."""
    by_case = {case.id: case.expected[fw["id"]] for case in INVALID}
    assert fw["example"]["invalid_input"]["status"] == by_case["missing name"][0]


@pytest.mark.parametrize("fw", CATALOG.frameworks, ids=[fw["id"] for fw in CATALOG.frameworks])
def test_the_data_pins_match_what_the_examples_run(fw: dict) -> None:
    pin = re.search(rf"^{re.escape(fw['name'])}==(\S+)", (EXAMPLES / "requirements.txt").read_text(), re.M | re.I)
    assert pin and pin.group(1) == fw["release"]["tested_version"]
