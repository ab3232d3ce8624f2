"""A data file against its JSON Schema: each error turned into a located problem, what was found and what is expected, in words."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from typing import Any

import jsonschema

from macros.catalog import Catalog, line_for
from macros.problems import MAX_PROBLEMS, Problem, describe_value, format_path


def expected_from(error: jsonschema.ValidationError) -> str:
    """Turn a jsonschema error into what the field expects, in words."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    description = schema.get("description", "")
    validator = error.validator
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"the required key {missing[0]!r}" if missing else error.message
    if validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        return f"only the keys: {allowed}"
    if validator == "type":
        return f"{_article(str(error.validator_value))}" + (f": {description}" if description else "")
    if validator == "enum":
        return "one of: " + ", ".join(json.dumps(v) for v in error.validator_value)
    if validator == "pattern":
        return description or f"text matching {error.validator_value}"
    if validator in {"minLength"}:
        return "non-empty text" + (f": {description}" if description else "")
    if validator in {"minItems"}:
        return f"at least {error.validator_value} item(s)" + (f": {description}" if description else "")
    if validator in {"minimum", "maximum"}:
        return f"a number {'>=' if validator == 'minimum' else '<='} {error.validator_value}"
    return str(error.message)


def _article(kind: str) -> str:
    """`string` -> `a string`."""
    return {
        "object": "a mapping",
        "array": "a list",
        "integer": "a whole number",
        "string": "a string",
        "boolean": "true or false (unquoted)",
    }.get(kind, kind)


def schema_errors(catalog: Catalog, schema: dict[str, Any]) -> list[jsonschema.ValidationError]:
    """The data's first MAX_PROBLEMS + 1 errors against a JSON Schema, in file order: validation stops there."""
    errors = itertools.islice(jsonschema.Draft202012Validator(schema).iter_errors(catalog.raw), MAX_PROBLEMS + 1)
    return sorted(errors, key=lambda e: line_for(catalog, tuple(e.absolute_path)))


def schema_problems(catalog: Catalog, schema: dict[str, Any], file: str) -> list[Problem]:
    """Validate against the JSON Schema and map each error to its line; stopped at MAX_PROBLEMS + 1."""
    problems = []
    for error in schema_errors(catalog, schema):
        path = tuple(error.absolute_path)
        found: str
        if error.validator == "required":
            found = "no such key"
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            report_path = (*path, missing[0]) if missing else path
        elif error.validator == "additionalProperties":
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            report_path = (*path, extra[0]) if extra else path
            found = f"the unknown key {extra[0]!r}" if extra else error.message
        elif error.validator == "propertyNames":
            report_path = path
            found = error.message
        else:
            report_path = path
            found = describe_value(error.instance)
        problems.append(
            Problem(file, line_for(catalog, report_path), format_path(report_path), found, expected_from(error))
        )
    return problems
