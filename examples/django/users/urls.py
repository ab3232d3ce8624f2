"""The API's URLs: no trailing slashes, the same paths as the Flask and FastAPI apps."""

from __future__ import annotations

from django.urls import path

from . import views

# --8<-- [start:routes]
urlpatterns = [
    path("health", views.health),
    path("users", views.users),
    path("users/<int:user_id>", views.get_user),
]
# --8<-- [end:routes]

# --8<-- [start:workloads]
urlpatterns += [  # the benchmark's workloads
    path("upstream/sync", views.upstream_sync),
    path("upstream/async", views.upstream_async),
    path("cpu", views.cpu),
]
# --8<-- [end:workloads]
