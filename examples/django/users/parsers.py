"""The API's JSON parser: DRF's, with JSON nested too deeply to parse a 400 like any malformed JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


# --8<-- [start:parsers]
class JSONParser(parsers.JSONParser):
    """DRF's JSONParser turns a ValueError into a 400; Python's json raises RecursionError
    for a body nested thousands of levels deep, which would otherwise be a 500."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None


# --8<-- [end:parsers]
