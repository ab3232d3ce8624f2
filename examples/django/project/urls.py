"""The project's URLs: the API under /api/ and the Django admin under /admin/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/", include("users.urls")),
    path("admin/", admin.site.urls),
]
