"""macros/field_reference.py: the table of a data file's fields, from its JSON Schema."""

from __future__ import annotations

import re

from macros.field_reference import field_reference


def test_field_reference_lists_nested_fields() -> None:
    schema = {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"description": "The items.", "type": "array", "items": {"$ref": "#/$defs/item"}},
        },
        "$defs": {
            "text": {"type": "string", "description": "Plain text."},
            "item": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"$ref": "#/$defs/text", "description": "Its <name>."},
                    "kind": {"enum": ["a", "b"], "description": "Its kind."},
                    "shown": {"type": "boolean", "description": "Whether it shows."},
                },
            },
        },
    }
    html = field_reference(schema)
    rows = re.findall(r"<tr><td><code>([^<]+)</code></td><td>(.*?)</td><td>(yes|no)</td>", html)
    assert rows == [
        ("items", "list", "yes"),
        ("items[]", "mapping", "yes"),
        ("items[].name", "text", "yes"),
        ("items[].kind", "one of <code>a</code>, <code>b</code>", "no"),
        ("items[].shown", "true or false", "no"),
    ]
    assert "Its &lt;name&gt;." in html
