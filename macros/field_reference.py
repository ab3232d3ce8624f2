"""The fields of a data file as a table, generated from its JSON Schema (the Editing page's reference)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from macros.render import esc, markdown_inline, scroll_region


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local `$ref`, keeping the referring node's own description."""
    if "$ref" not in node:
        return node
    target: Any = schema
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(_resolve(schema, target))
    if "description" in node:
        merged["description"] = node["description"]
    return merged


def _type_label(schema: Mapping[str, Any], node: Mapping[str, Any]) -> str:
    """A short type name for the field reference."""
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type", "")
    ref = node.get("$ref", "")
    if ref.endswith("/markdown"):
        return "Markdown text"
    if ref.endswith(("/source", "/url")):
        return "https URL"
    if ref.endswith("/date"):
        return "date (YYYY-MM-DD)"
    if ref.endswith("/snippet"):
        return "snippet reference"
    if ref.endswith("/id"):
        return "id"
    if ref.endswith("/text"):
        return "text"
    words = {
        "object": "mapping",
        "array": "list",
        "string": "text",
        "integer": "whole number",
        "boolean": "true or false",
    }
    return words.get(kind, kind or "mapping")


def field_reference(schema: Mapping[str, Any], label: str = "Field reference") -> str:
    """A table of every field of the data file, generated from its JSON Schema.

    `label` names the table's scroll region: each region on a page needs its own name.
    """
    rows: list[str] = []

    def visit(node: Mapping[str, Any], path: str, required: bool) -> None:
        resolved = _resolve(schema, node)
        kind = _type_label(schema, node if "$ref" in node else resolved)
        description = resolved.get("description", "")
        rows.append(
            f"<tr><td><code>{esc(path)}</code></td><td>{markdown_inline(kind)}</td>"
            f"<td>{'yes' if required else 'no'}</td><td>{markdown_inline(description) if description else ''}</td></tr>"
        )
        if resolved.get("type") == "object" and "properties" in resolved:
            for key, child in resolved["properties"].items():
                visit(child, f"{path}.{key}" if path else key, key in resolved.get("required", []))
        elif resolved.get("type") == "object" and isinstance(resolved.get("additionalProperties"), Mapping):
            visit(resolved["additionalProperties"], f"{path}.<id>", True)
        elif resolved.get("type") == "array" and "items" in resolved:
            visit(resolved["items"], f"{path}[]", True)

    for key, child in schema["properties"].items():
        visit(child, key, key in schema.get("required", []))
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Field", "Type", "Required", "Description"))
    table = f'<table class="fw-table fw-fields"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return scroll_region(label, table)
