"""DRF serializers: the validation of the users API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import User


# --8<-- [start:validation]
class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers, which DRF would otherwise turn into text."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class UserSerializer(serializers.ModelSerializer):
    """Validates a new user and renders users as {"id", "name", "email"}."""

    # Declared, not generated from the model: the generated email field would check
    # uniqueness with a query before the INSERT (a race under load) and answer 400.
    # The database's UNIQUE constraint decides instead, and the view answers 409.
    name = StrictCharField(max_length=100)  # trims whitespace, refuses blank
    email = serializers.EmailField(max_length=254)

    class Meta:
        model = User
        fields = ["id", "name", "email"]


# --8<-- [end:validation]


class PageSerializer(serializers.Serializer):
    """Validates ?limit= and ?offset= of the user list."""

    limit = serializers.IntegerField(min_value=1, default=20)
    # SQLite integers are 64-bit: a larger offset cannot be sent to the database.
    offset = serializers.IntegerField(min_value=0, max_value=2**63 - 1, default=0)
