"""macros/releases.py: data/releases.yml is valid, and each broken file gives its located message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from macros import data, releases
from macros.problems import DataError
from tests.conftest import ROOT, run_build

CATALOG = data.load(ROOT)
SCHEMA = releases.load_schema(ROOT)
FIRST_VERSION_LINE = next(
    number
    for number, line in enumerate((ROOT / "data" / "releases.yml").read_text(encoding="utf-8").splitlines(), 1)
    if line.startswith("    version: ")
)
ENTRY = """\
    package: {package}
    version: {version}
    uploaded: '2026-02-19'
    requires_python: '>=3.9'
    python_classifiers: ['3.9', '3.10']
    licence_expression: BSD-3-Clause
    licence_classifiers: []
"""


def text(**changes: str) -> str:
    """A valid file for the real catalog, with one entry's package or version changed."""
    out = "releases:\n"
    for fw in CATALOG.frameworks:
        values = {"package": fw["package"], "version": "1.0.0"}
        values.update({k.removeprefix(fw["id"] + "_"): v for k, v in changes.items() if k.startswith(fw["id"] + "_")})
        out += f"  {fw['id']}:\n" + ENTRY.format(**values)
    return out


def message(source: str) -> str:
    with pytest.raises(DataError) as raised:
        releases.validate_text(source, SCHEMA, CATALOG)
    return str(raised.value)


def test_the_real_file_is_valid_and_follows_the_catalog() -> None:
    loaded = releases.load(ROOT, CATALOG)
    assert list(loaded.entries) == [fw["id"] for fw in CATALOG.frameworks]
    for fw in CATALOG.frameworks:
        assert loaded.of(fw["id"]).package == fw["package"]


def test_an_unknown_framework_id_is_a_precise_error() -> None:
    with pytest.raises(KeyError, match="No release in data/releases.yml for framework id 'bottle'"):
        releases.load(ROOT, CATALOG).of("bottle")


def test_a_missing_file_fails_with_its_location(tmp_path: Path) -> None:
    with pytest.raises(DataError) as raised:
        releases.load(tmp_path, CATALOG)
    assert str(raised.value).splitlines()[1:3] == [
        "data/releases.yml:1: (document)",
        "    found:    no such file",
    ]
    assert "`make refresh-facts`" in str(raised.value)


def test_a_pre_release_version_is_refused_at_its_line() -> None:
    first = CATALOG.frameworks[0]["id"]
    found = message(text(**{f"{first}_version": "3.2.0rc1"}))
    assert f'data/releases.yml:4: releases.{first}.version\n    found:    "3.2.0rc1"' in found


def test_a_package_other_than_the_data_names_is_refused() -> None:
    first = CATALOG.frameworks[0]
    found = message(text(**{f"{first['id']}_package": "Quart"}))
    assert f"releases.{first['id']}.package\n    found:    'Quart'" in found
    assert f"{first['package']!r}, the package data/frameworks.yml names" in found


def test_a_missing_and_an_unknown_framework_are_refused() -> None:
    source = text().replace(f"  {CATALOG.frameworks[0]['id']}:\n", "  bottle:\n", 1)
    found = message(source)
    assert "a release for the unknown framework id 'bottle'" in found
    assert f"no release for framework {CATALOG.frameworks[0]['id']!r}" in found


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("", "an empty file"),
        ("- a list\n", "a mapping with the key `releases`"),
        ("releases:\n  flask: &entry {}\n", "the YAML anchor &entry"),
    ],
)
def test_a_file_that_is_not_a_releases_file_is_refused(source: str, words: str) -> None:
    assert words in message(source)


@pytest.mark.parametrize(
    ("change", "located"),
    [
        (lambda path: path.unlink(), "data/releases.yml:1: (document)\n    found:    no such file"),
        (
            lambda path: path.write_text(path.read_text().replace("\n    version: ", "\n    version: v", 1)),
            f"data/releases.yml:{FIRST_VERSION_LINE}: releases.{CATALOG.frameworks[0]['id']}.version",
        ),
    ],
    ids=["missing", "invalid"],
)
def test_a_missing_or_invalid_file_fails_the_build_with_a_located_message(
    project_copy: Path, change: Callable[[Path], object], located: str
) -> None:
    change(project_copy / "data" / "releases.yml")
    build = run_build(project_copy)
    assert build.returncode != 0
    assert located in build.output
    assert "Traceback" not in build.output
