"""The users app in the Django admin: list, search, add and edit users."""

from __future__ import annotations

from django.contrib import admin

from .models import User


# --8<-- [start:admin]
@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """A searchable, sortable list of users; created_at is set by the database."""

    list_display = ["id", "name", "email", "created_at"]
    search_fields = ["name", "email"]
    readonly_fields = ["created_at"]


# --8<-- [end:admin]
