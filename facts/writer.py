"""Write data/releases.yml: a header naming the command, plain YAML with no anchors, validated before it is written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from macros.catalog import Catalog
from macros.releases import COMMAND, DATA_FILE, Release, load_schema, validate_text

HEADER = f"""\
# yaml-language-server: $schema=releases.schema.json
#
# Written by `{COMMAND}` (python -m facts refresh); do not edit by hand, rerun it.
# Each framework's latest final release on the package index: its version, the day
# (UTC) its first file was uploaded and its Requires-Python, from the index's Simple
# API; its classifiers and licence, from the release's wheel. A fact the package does
# not state is left out. `make check-facts` says when this file is stale.
"""


class _Dumper(yaml.SafeDumper):
    """Block style throughout, and never an anchor or alias: the site's loader refuses them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def to_yaml(releases: Mapping[str, Release], catalog: Catalog, root: Path) -> str:
    """The file's text for these releases (by framework id), validated as the build will validate it."""
    data = {"releases": {framework_id: release.to_raw() for framework_id, release in releases.items()}}
    # Lists of plain values on one line (`['3.12', '3.13']`), everything else in block style.
    text = HEADER + yaml.dump(
        data, Dumper=_Dumper, default_flow_style=None, sort_keys=False, allow_unicode=True, width=120
    )
    validate_text(text, load_schema(root), catalog, str(DATA_FILE))
    return text


def write(root: Path, text: str) -> Path:
    """Replace data/releases.yml with `text` in one step, so a reader never sees half a file."""
    path = root / DATA_FILE
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".releases-", suffix=".yml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes the file private; this one is published
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
