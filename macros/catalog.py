"""The data of data/frameworks.yml as the pages use it, with the line of each key path, and checks that report by line."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from macros.problems import MAX_PROBLEMS, Add, KeyPath, Problem, format_path

DATA_FILE = Path("data/frameworks.yml")
SCHEMA_FILE = Path("data/frameworks.schema.json")


@dataclass
class Catalog:
    """The validated data, plus where each key path sits in the file."""

    raw: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    @property
    def aspects(self) -> list[dict[str, Any]]:
        """Aspects in table order."""
        aspects: list[dict[str, Any]] = sorted(self.raw["aspects"], key=lambda a: a["order"])
        return aspects

    @property
    def frameworks(self) -> list[dict[str, Any]]:
        """Frameworks in file order."""
        return list(self.raw["frameworks"])

    @property
    def featured(self) -> list[dict[str, Any]]:
        """The frameworks marked `featured`, in file order; all of them when none is."""
        featured = [fw for fw in self.raw["frameworks"] if fw.get("featured", False)]
        return featured or self.frameworks

    @property
    def needs(self) -> list[dict[str, Any]]:
        """Chooser needs in file order."""
        return list(self.raw["needs"])

    @property
    def performance_claims(self) -> list[dict[str, Any]]:
        """Performance claims in file order; none in a file without the section."""
        return list(self.raw.get("performance_claims", []))

    @property
    def tasks(self) -> list[dict[str, Any]]:
        """Example tasks in file order."""
        return list(self.raw["tasks"])

    def framework(self, framework_id: str) -> dict[str, Any]:
        """The framework with this id, or a precise error."""
        for fw in self.raw["frameworks"]:
            if fw["id"] == framework_id:
                return cast(dict[str, Any], fw)
        known = ", ".join(fw["id"] for fw in self.raw["frameworks"])
        raise KeyError(f"Unknown framework id {framework_id!r}; known ids: {known}")

    def aspect(self, aspect_id: str) -> dict[str, Any]:
        """The aspect with this id, or a precise error."""
        for aspect in self.raw["aspects"]:
            if aspect["id"] == aspect_id:
                return cast(dict[str, Any], aspect)
        known = ", ".join(a["id"] for a in self.raw["aspects"])
        raise KeyError(f"Unknown aspect id {aspect_id!r}; known ids: {known}")


def line_for(catalog: Catalog, path: KeyPath) -> int:
    """The line of the deepest known prefix of a key path."""
    for end in range(len(path), -1, -1):
        if path[:end] in catalog.lines:
            return catalog.lines[path[:end]]
    return 1


class _Enough(Exception):
    """A check has found one problem more than a message lists."""


def run_check(catalog: Catalog, file: str, check: Callable[[Add], object]) -> list[Problem]:
    """The problems a check reports through `add(path, found, expected)`; it is stopped at MAX_PROBLEMS + 1."""
    problems: list[Problem] = []

    def add(path: KeyPath, found: str, expected: str) -> None:
        problems.append(Problem(file, line_for(catalog, path), format_path(path), found, expected))
        if len(problems) > MAX_PROBLEMS:
            raise _Enough

    with contextlib.suppress(_Enough):
        check(add)
    return problems
