"""facts/writer.py: data/releases.yml as the build reads it, with its header, no anchors, written in one step."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest
import yaml

from facts import writer
from macros import data, releases
from macros.problems import DataError
from macros.releases import Release
from tests.conftest import ROOT

CATALOG = data.load(ROOT)
SAME = ("3.12", "3.13")
MIT = "License :: OSI Approved :: MIT License"
RELEASES = {
    "flask": Release("Flask", "3.1.3", "2026-02-19", ">=3.9", (), "BSD-3-Clause", ()),
    "django": Release(
        "Django", "6.1.3", "2026-11-03", ">=3.12", SAME, None, ("License :: OSI Approved :: BSD License",)
    ),
    # The same tuple twice would be an alias in PyYAML's output, were aliases not turned off.
    "fastapi": Release("fastapi", "0.165.0", "2026-11-18", None, SAME, "MIT", ()),
    "litestar": Release("litestar", "2.25.0", "2026-10-18", "<4.0,>=3.8", SAME, None, (MIT,)),
    "django-ninja": Release("django-ninja", "1.7.1", "2026-09-19", ">=3.7", SAME, None, (MIT,)),
    "quart": Release("quart", "0.23.1", "2026-08-29", ">=3.13", (), "MIT", ()),
    "starlette": Release("starlette", "1.10.0", "2026-10-24", ">=3.11", SAME, "BSD-3-Clause", ()),
}


def test_the_text_has_the_header_no_anchors_and_reads_back() -> None:
    text = writer.to_yaml(RELEASES, CATALOG, ROOT)
    assert text.startswith(writer.HEADER)
    assert "Written by `make refresh-facts`" in writer.HEADER
    assert "&" not in text and "*" not in text
    assert "python_classifiers: ['3.12', '3.13']" in text
    loaded = releases.validate_text(text, releases.load_schema(ROOT), CATALOG)
    assert loaded.entries == RELEASES


def test_an_unstated_fact_is_left_out() -> None:
    entries = yaml.safe_load(writer.to_yaml(RELEASES, CATALOG, ROOT))["releases"]
    assert "licence_expression" not in entries["django"]
    assert "requires_python" not in entries["fastapi"]


def test_what_the_build_would_refuse_is_never_written() -> None:
    broken = {**RELEASES, "flask": dataclasses.replace(RELEASES["flask"], version="3.2.0rc1")}
    with pytest.raises(DataError, match=r"releases\.flask\.version"):
        writer.to_yaml(broken, CATALOG, ROOT)


def test_write_replaces_the_file_readable_by_all(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "releases.yml").write_text("old\n")
    path = writer.write(tmp_path, "new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["releases.yml"]
