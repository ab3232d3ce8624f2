"""The checks of data/frameworks.yml that its JSON Schema cannot express.

Unique ids, a value for every framework in every row, references that resolve (task,
aspect and framework ids, example files and their snippet sections, what a framework
is built on), and link targets. `macros.data` runs them after the schema passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from macros.problems import Add, KeyPath

_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_SECTION = "--8<-- [start:{}]"


def _markdown_strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every string in the data, with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _markdown_strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _markdown_strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def check(data: dict[str, Any], root: Path, add: Add) -> None:
    """Report through `add` each id used twice, row left incomplete and reference that does not resolve."""

    def unique(section: str, key: str) -> list[Any]:
        seen: dict[Any, int] = {}
        for index, item in enumerate(data[section]):
            value = item[key]
            if value in seen:
                add(
                    (section, index, key),
                    f"{value!r}, already used by {section}[{seen[value]}]",
                    f"a {key} that is unique among {section}",
                )
            else:
                seen[value] = index
        return list(seen)

    framework_ids = unique("frameworks", "id")

    def keyed_by_framework(mapping: dict[str, Any], path: KeyPath, noun: str, entry: str, owner: str) -> list[str]:
        """Flag unknown and missing framework ids in a mapping keyed by them; return the ids present."""
        for fw_id in mapping:
            if fw_id not in framework_ids:
                add(
                    (*path, fw_id),
                    f"{noun} for the unknown framework id {fw_id!r}",
                    "a framework id from `frameworks`: " + ", ".join(framework_ids),
                )
        for fw_id in framework_ids:
            if fw_id not in mapping:
                add(
                    path,
                    f"no {entry} for framework {fw_id!r} in {owner}",
                    f"{entry} for every framework: add `{fw_id}:` here",
                )
        return [fw_id for fw_id in framework_ids if fw_id in mapping]

    aspect_ids = unique("aspects", "id")
    unique("aspects", "order")
    task_ids = unique("tasks", "id")

    for index, aspect in enumerate(data["aspects"]):
        values = aspect["values"]
        for fw_id in keyed_by_framework(
            values, ("aspects", index, "values"), "a value", "value", f"aspect {aspect['id']!r}"
        ):
            if "example" in values[fw_id] and values[fw_id]["example"] not in task_ids:
                add(
                    ("aspects", index, "values", fw_id, "example"),
                    f"the unknown task id {values[fw_id]['example']!r}",
                    "a task id from `tasks`: " + ", ".join(task_ids),
                )
            if aspect["kind"] == "fact" and "source" not in values[fw_id]:
                add(
                    ("aspects", index, "values", fw_id),
                    "a value with no `source`",
                    f"a `source` URL, since aspect {aspect['id']!r} states facts",
                )

    unique("needs", "id")
    for index, need in enumerate(data["needs"]):
        for key, known, section in (("aspect", aspect_ids, "aspects"), ("example", task_ids, "tasks")):
            if key in need and need[key] not in known:
                add(
                    ("needs", index, key),
                    f"the unknown {key if key == 'aspect' else 'task'} id {need[key]!r}",
                    f"an id from `{section}`: " + ", ".join(known),
                )
        keyed_by_framework(
            need["support"], ("needs", index, "support"), "support", "support entry", f"need {need['id']!r}"
        )

    examples: dict[str, str | None] = {}  # each example file's text, read once however many snippets name it
    for index, fw in enumerate(data["frameworks"]):
        for task_id, refs in fw["example"]["snippets"].items():
            if task_id not in task_ids:
                add(
                    ("frameworks", index, "example", "snippets", task_id),
                    f"the unknown task id {task_id!r}",
                    "a task id from `tasks`: " + ", ".join(task_ids),
                )
            for ref_index, ref in enumerate(refs):
                path_text, _, section = ref.partition(":")
                if path_text not in examples:
                    target = root / path_text
                    # The schema keeps `..` out; a symlink could still point outside the project.
                    inside = target.resolve().is_relative_to(root.resolve())
                    examples[path_text] = (
                        target.read_text(encoding="utf-8", errors="replace") if inside and target.is_file() else None
                    )
                example = examples[path_text]
                where = ("frameworks", index, "example", "snippets", task_id, ref_index)
                if example is None:
                    add(where, f"{ref!r}, but {path_text} does not exist", "a path to an existing example file")
                elif _SECTION.format(section) not in example:
                    add(
                        where,
                        f"{ref!r}, but {path_text} has no section {section!r}",
                        f"a section marked with `# {_SECTION.format(section)}` in {path_text}",
                    )

    _check_built_on(data["frameworks"], framework_ids, aspect_ids, add)

    if "performance_claims" in data:
        unique("performance_claims", "id")
    for index, claim in enumerate(data.get("performance_claims", [])):
        for key in ("framework", "over", "frameworks", "reference"):
            named = claim.get(key, [])
            for position, fw_id in enumerate([named] if isinstance(named, str) else named):
                if fw_id not in framework_ids:
                    claim_path: KeyPath = ("performance_claims", index, key)
                    add(
                        claim_path if isinstance(named, str) else (*claim_path, position),
                        f"the unknown framework id {fw_id!r}",
                        "a framework id from `frameworks`: " + ", ".join(framework_ids),
                    )

    for path, text in _markdown_strings(data, ()):
        for target in _LINK.findall(text):
            if not re.match(r"^(https://|#|/|[a-z0-9_./-]+(#[a-z0-9_-]+)?$)", target):
                add(path, f"the link target {target!r}", "an https:// URL or a relative link")


def _check_built_on(
    frameworks: list[dict[str, Any]], framework_ids: list[str], aspect_ids: list[str], add: Add
) -> None:
    """Each `built_on` names another known framework and known aspects, and no chain of them comes back round."""
    base = {}
    for index, fw in enumerate(frameworks):
        if "built_on" not in fw:
            continue
        built_on, path = fw["built_on"], ("frameworks", index, "built_on")
        if built_on["framework"] == fw["id"]:
            add((*path, "framework"), f"{fw['id']!r}, the framework's own id", "the id of another framework")
        elif built_on["framework"] not in framework_ids:
            add(
                (*path, "framework"),
                f"the unknown framework id {built_on['framework']!r}",
                "a framework id from `frameworks`: " + ", ".join(framework_ids),
            )
        else:
            base[fw["id"]] = (index, built_on["framework"])
        for position, aspect_id in enumerate(built_on["inherits"]):
            if aspect_id not in aspect_ids:
                add(
                    (*path, "inherits", position),
                    f"the unknown aspect id {aspect_id!r}",
                    "an aspect id from `aspects`: " + ", ".join(aspect_ids),
                )
    for start, (index, _) in base.items():
        chain = [start]
        while chain[-1] in base and base[chain[-1]][1] not in chain:
            chain.append(base[chain[-1]][1])
        if chain[-1] in base and base[chain[-1]][1] == start:
            add(
                ("frameworks", index, "built_on", "framework"),
                "a chain that comes back to itself: " + " on ".join([*chain, start]),
                "a chain of `built_on` that ends at a framework built on none",
            )
