"""Load and validate `data/releases.yml`: the release facts `make refresh-facts` reads from the package index.

Nothing here reaches the network: the file is written by `facts/` (the
`make refresh-facts` command) and read here, when the site is built and when
`make check-facts` compares it with the index.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from macros.benchmarks import schema_problems
from macros.catalog import Catalog, run_check
from macros.problems import MAX_PROBLEMS, Add, DataError, KeyPath, Problem
from macros.yaml_reader import parse, read_data_file

DATA_FILE = Path("data/releases.yml")
SCHEMA_FILE = Path("data/releases.schema.json")
COMMAND = "make refresh-facts"
TOP_LEVEL = f"a mapping with the key `releases`, as `{COMMAND}` writes it"


@dataclass(frozen=True)
class Release:
    """One package's latest final release, as the index and its wheel state it."""

    package: str
    version: str
    uploaded: str  # YYYY-MM-DD, UTC
    requires_python: str | None
    python_classifiers: tuple[str, ...]
    licence_expression: str | None
    licence_classifiers: tuple[str, ...]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Release:
        """A release from its validated entry in the file."""
        return cls(
            package=raw["package"],
            version=raw["version"],
            uploaded=raw["uploaded"],
            requires_python=raw.get("requires_python"),
            python_classifiers=tuple(raw["python_classifiers"]),
            licence_expression=raw.get("licence_expression"),
            licence_classifiers=tuple(raw["licence_classifiers"]),
        )

    def to_raw(self) -> dict[str, Any]:
        """The entry as the file holds it: a fact the metadata does not state is left out."""
        raw: dict[str, Any] = {"package": self.package, "version": self.version, "uploaded": self.uploaded}
        if self.requires_python is not None:
            raw["requires_python"] = self.requires_python
        raw["python_classifiers"] = list(self.python_classifiers)
        if self.licence_expression is not None:
            raw["licence_expression"] = self.licence_expression
        raw["licence_classifiers"] = list(self.licence_classifiers)
        return raw


@dataclass(frozen=True)
class Releases:
    """The validated file: a release per framework id, plus where each key path sits in the file."""

    entries: dict[str, Release]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def of(self, framework_id: str) -> Release:
        """The release of a framework, or a precise error."""
        if framework_id not in self.entries:
            known = ", ".join(self.entries)
            raise KeyError(f"No release in {DATA_FILE} for framework id {framework_id!r}; it has: {known}")
        return self.entries[framework_id]


def _semantic_checks(data: dict[str, Any], catalog: Catalog, add: Add) -> None:
    """Report through `add` each framework without an entry, each unknown id and each package that differs."""
    releases = data["releases"]
    packages = {fw["id"]: fw["package"] for fw in catalog.frameworks}
    for framework_id, entry in releases.items():
        if framework_id not in packages:
            add(
                ("releases", framework_id),
                f"a release for the unknown framework id {framework_id!r}",
                f"a framework id from data/frameworks.yml ({', '.join(packages)}): run `{COMMAND}`",
            )
        elif canonicalize_name(entry["package"]) != canonicalize_name(packages[framework_id]):
            add(
                ("releases", framework_id, "package"),
                f"{entry['package']!r}",
                f"{packages[framework_id]!r}, the package data/frameworks.yml names for {framework_id!r}: run `{COMMAND}`",
            )
    for framework_id in packages:
        if framework_id not in releases:
            add(
                ("releases",),
                f"no release for framework {framework_id!r}",
                f"one for every framework in data/frameworks.yml: run `{COMMAND}`",
            )


def validate_text(text: str, schema: dict[str, Any], catalog: Catalog, file: str = str(DATA_FILE)) -> Releases:
    """Parse and validate the file's text against its schema and the catalog; raise DataError listing the problems."""
    if not text.strip() or all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
        raise DataError([Problem(file, 1, "", "an empty file", TOP_LEVEL)])
    try:
        parsed = parse(text, file)
    except DataError as error:
        # parse() words a wrong top level for the frameworks file; say what this file needs.
        raise DataError(
            [
                dataclasses.replace(p, expected=TOP_LEVEL) if not p.path and "aspects" in p.expected else p
                for p in error.problems
            ],
            error.stopped,
        ) from None
    problems = schema_problems(parsed, schema, file)
    if not problems:
        problems = run_check(parsed, file, lambda add: _semantic_checks(parsed.raw, catalog, add))
    if problems:
        raise DataError(problems, stopped=len(problems) > MAX_PROBLEMS)
    entries = {framework_id: Release.from_raw(raw) for framework_id, raw in parsed.raw["releases"].items()}
    # In the catalog's order, so every list of releases follows the frameworks file.
    ordered = {fw["id"]: entries[fw["id"]] for fw in catalog.frameworks}
    return Releases(entries=ordered, lines=parsed.lines)


def load_schema(root: Path) -> dict[str, Any]:
    """The JSON Schema of the releases file."""
    schema: dict[str, Any] = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def load(root: Path, catalog: Catalog) -> Releases:
    """Read and validate `data/releases.yml` under a project root; a missing file is an error too."""
    path = root / DATA_FILE
    if not path.exists():
        raise DataError(
            [
                Problem(
                    str(DATA_FILE),
                    1,
                    "",
                    "no such file",
                    f"the release facts `{COMMAND}` writes from the package index: run it and commit {DATA_FILE}",
                )
            ]
        )
    return validate_text(read_data_file(path, str(DATA_FILE)), load_schema(root), catalog)
