"""The project's URLs: the Ninja API under /api/ and the Django admin under /admin/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from .api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
