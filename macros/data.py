"""Load `data/frameworks.yml`, validate it, and report errors by file, line and key path."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from macros import catalog_checks
from macros.catalog import DATA_FILE, SCHEMA_FILE, Catalog, run_check
from macros.problems import MAX_PROBLEMS, DataError, Problem
from macros.schema_messages import schema_problems
from macros.yaml_reader import parse, read_data_file


def _semantic_problems(catalog: Catalog, root: Path, file: str) -> list[Problem]:
    """Checks a schema cannot express: unique ids, complete rows, resolvable references; stopped at MAX_PROBLEMS + 1."""
    return run_check(catalog, file, lambda add: catalog_checks.check(catalog.raw, root, add))


def validate(catalog: Catalog, schema: dict[str, Any], root: Path, file: str = str(DATA_FILE)) -> Catalog:
    """Raise DataError listing the problems (the first MAX_PROBLEMS), or return the catalog unchanged."""
    problems = schema_problems(catalog, schema, file)
    if not problems:
        problems = _semantic_problems(catalog, root, file)
    if problems:
        # Each check stops at one problem past MAX_PROBLEMS.
        raise DataError(problems, stopped=len(problems) > MAX_PROBLEMS)
    return catalog


def load_schema(root: Path) -> dict[str, Any]:
    """The JSON Schema of the data file."""
    schema: dict[str, Any] = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def load(root: Path) -> Catalog:
    """Read, parse and validate `data/frameworks.yml` under a project root."""
    text = read_data_file(root / DATA_FILE, str(DATA_FILE))
    if not text.strip() or all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
        raise DataError(
            [Problem(str(DATA_FILE), 1, "", "an empty file", "a mapping with keys: aspects, tasks, needs, frameworks")]
        )
    return validate(parse(text, str(DATA_FILE)), load_schema(root), root)


def sample_error(root: Path, catalog: Catalog | None = None) -> str:
    """The real message for a typical mistake: the first source URL written without https://.

    Given the catalog the build loaded, it edits a copy of that in place of parsing the
    file again: the edit changes one value on one line, so every line number holds.
    """
    text = read_data_file(root / DATA_FILE, str(DATA_FILE))
    pattern = re.compile(r"^(\s+source: )https://", flags=re.M)
    broken = _without_https(catalog, text, pattern) if catalog is not None else None
    try:
        validate(broken or parse(pattern.sub(r"\1", text, count=1)), load_schema(root), root)
    except DataError as error:
        return str(error)
    raise AssertionError("removing https:// from a source URL no longer fails validation")


def _without_https(catalog: Catalog, text: str, pattern: re.Pattern[str]) -> Catalog | None:
    """A copy of the catalog whose value on the pattern's first line has lost its https://; None if no key path sits there."""
    match = pattern.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.end(1)) + 1  # `\s+` may have crossed blank lines before the key
    path = next((p for p, n in catalog.lines.items() if n == line and p and p[-1] == "source"), None)
    if path is None:
        return None
    raw = copy.deepcopy(catalog.raw)
    holder: Any = raw
    for key in path[:-1]:
        holder = holder[key]
    if not isinstance(holder, dict) or not str(holder.get("source", "")).startswith("https://"):
        return None
    holder["source"] = holder["source"].removeprefix("https://")
    return Catalog(raw=raw, lines=catalog.lines)
