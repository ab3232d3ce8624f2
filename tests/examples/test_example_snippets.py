"""The snippet sections the site includes exist, once each, and are safe to include."""

from __future__ import annotations

import re

import pytest
import yaml
from example_api import ROOT


def referenced_sections() -> dict[str, list[str]]:
    """The sections the pages include with pymdownx.snippets, per file, from data/frameworks.yml."""
    data = yaml.safe_load((ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    sections: dict[str, list[str]] = {}
    for fw in data["frameworks"]:
        for refs in fw["example"]["snippets"].values():
            for ref in refs:
                path, _, name = ref.partition(":")
                sections.setdefault(path, []).append(name)
    return sections


SECTIONS = referenced_sections()
MARKER = re.compile(r"^\s*# --8<-- \[(start|end):([a-z][-_0-9a-z]*)\]\s*$")
MAX_LINES = 40  # a section is read on a web page, on its own


def sections(path: str) -> dict[str, list[str]]:
    """The lines of each section in a file; fails on unbalanced or repeated markers."""
    found: dict[str, list[str]] = {}
    open_name = None
    for number, line in enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), start=1):
        marker = MARKER.match(line)
        if marker is None:
            if open_name is not None:
                found[open_name].append(line)
            continue
        kind, name = marker.groups()
        if kind == "start":
            assert open_name is None, f"{path}:{number}: {name} starts inside {open_name}"
            assert name not in found, f"{path}:{number}: a second section {name}"
            open_name, found[name] = name, []
        else:
            assert name == open_name, f"{path}:{number}: end of {name}, but {open_name} is open"
            open_name = None
    assert open_name is None, f"{path}: section {open_name} never ends"
    return found


@pytest.mark.parametrize("path", SECTIONS)
def test_sections_exist_and_read_on_their_own(path: str) -> None:
    found = sections(path)
    assert sorted(found) == sorted(SECTIONS[path])
    for name, lines in found.items():
        code = "\n".join(lines)
        assert code.strip(), f"{path}:{name} is empty"
        # Macros render pages before Markdown: these would be read as Jinja.
        assert "{{" not in code and "{%" not in code, f"{path}:{name} holds Jinja syntax"
        assert len([line for line in lines if line.strip()]) <= MAX_LINES, f"{path}:{name} is long"
