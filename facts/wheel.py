"""Read the release facts a wheel's own metadata states: its `*.dist-info/METADATA`.

The index does not always serve a release's metadata on its own (PEP 658), so
the wheel is downloaded and its METADATA read from the zip; packaging parses it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.metadata import parse_email
from packaging.version import Version

# A wheel's METADATA is a few kilobytes (4 kB for the largest framework here); anything far larger is not one.
MAX_METADATA_BYTES = 1_048_576
_METADATA = re.compile(r"^[^/]+\.dist-info/METADATA$")
_PYTHON = re.compile(r"^Programming Language :: Python :: ([0-9]+\.[0-9]+)$")
LICENCE_PREFIX = "License :: "


class WheelError(Exception):
    """The file is not a wheel whose metadata can be read."""


@dataclass(frozen=True)
class WheelMetadata:
    """What a wheel's METADATA says about Python versions and the licence; None or () where it says nothing."""

    requires_python: str | None
    python_classifiers: tuple[str, ...]
    licence_expression: str | None
    licence_classifiers: tuple[str, ...]


def metadata_bytes(path: Path, name: str) -> bytes:
    """The bytes of the one top-level `*.dist-info/METADATA` in a wheel; `name` is the file's name for messages."""
    try:
        with zipfile.ZipFile(path) as wheel:
            members = [info for info in wheel.infolist() if _METADATA.match(info.filename)]
            if len(members) != 1:
                found = ", ".join(info.filename for info in members) or "none"
                raise WheelError(f"{name} has {len(members)} *.dist-info/METADATA files ({found}); a wheel has one")
            member = members[0]
            if member.file_size > MAX_METADATA_BYTES:
                raise WheelError(f"{name}: {member.filename} is {member.file_size:,} bytes, more than a METADATA file")
            return wheel.read(member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise WheelError(f"{name} is not a readable zip file: {error}") from None


def parse(metadata: bytes) -> WheelMetadata:
    """The Requires-Python, Python version classifiers, License-Expression and licence classifiers of METADATA."""
    raw, _unparsed = parse_email(metadata)
    classifiers = raw.get("classifiers", [])
    versions = sorted({m[1] for c in classifiers if (m := _PYTHON.match(c))}, key=Version)
    return WheelMetadata(
        requires_python=raw.get("requires_python") or None,
        python_classifiers=tuple(versions),
        licence_expression=raw.get("license_expression") or None,
        licence_classifiers=tuple(dict.fromkeys(c for c in classifiers if c.startswith(LICENCE_PREFIX))),
    )


def read(path: Path, name: str) -> WheelMetadata:
    """The metadata of the wheel at `path`."""
    return parse(metadata_bytes(path, name))
