"""Settings of the Django Ninja example: the Django example's, with Ninja in place of DRF."""

from __future__ import annotations

import sys
from pathlib import Path

# The same project as examples/django (its users app, model, migrations, admin and
# database settings): only the API layer differs. Appended, so nothing here is shadowed.
sys.path.append(str(Path(__file__).resolve().parents[2] / "django"))

from project.settings import *  # noqa: E402, F403
from project.settings import INSTALLED_APPS  # noqa: E402

# With "ninja" installed, the docs page loads Swagger UI from Ninja's own static files
# (served by WhiteNoise, as the admin's are) instead of from a CDN.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "rest_framework"] + ["ninja"]

ROOT_URLCONF = "ninja_project.urls"
WSGI_APPLICATION = "ninja_project.wsgi.application"
