"""The User model: the people the API serves (not Django's login accounts)."""

from __future__ import annotations

from django.db import models


# --8<-- [start:model]
class User(models.Model):
    """A user of the API; the admin lists and edits them."""

    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "users"  # the same table name as the Flask and FastAPI examples
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


# --8<-- [end:model]
