"""ASGI entry point, for an ASGI server such as uvicorn (`ninja_project.asgi:application`)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ninja_project.settings")

application = get_asgi_application()
