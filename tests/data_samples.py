"""A small valid data file, and how the data tests write it, load it and word what they expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.data import load
from macros.problems import DataError

FIXTURE = """\
aspects:
  - id: type
    label: Type
    description: What it is.
    order: 1
    kind: fact
    values:
      alpha:
        value: Micro
        source: https://alpha.example.org/docs/type
      beta:
        value: Full
        source: https://beta.example.org/docs/type
  - id: feel
    label: Feel
    description: How it feels.
    order: 2
    kind: assessment
    values:
      alpha: {value: Light}
      beta: {value: Heavy}
tasks:
  - id: read
    label: Read one user
    description: Reads a user.
needs:
  - id: small
    label: Small
    description: A small core.
    aspect: type
    support:
      alpha: {level: "yes", note: tiny}
      beta: {level: "no", note: big}
frameworks:
"""

FRAMEWORK = """\
  - id: {id}
    name: {name}
    package: {name}
    tagline: the {id} framework
    search_terms: [{id} things]
    verdict: Pick it for tests.
    philosophy: Small.
    overview: Longer.
    links:
      homepage: https://{id}.example.org/
      documentation: https://{id}.example.org/docs/
      repository: https://github.com/example/{id}
    first_release: {{year: 2010, source: "https://{id}.example.org/history"}}
    release:
      notes: https://{id}.example.org/changes/
      support: {{text: Latest only., source: "https://{id}.example.org/versions"}}
    last_verified: "2026-11-25"
    strengths: [{{text: Fast.}}]
    weaknesses: [{{text: Slow to start.}}]
    choose_when: [You need it.]
    claims: []
    example:
      run: make example APP={id}
      invalid_input: {{status: 422, body: '{{"detail": []}}'}}
      snippets:
        read: [examples/app.py:get_user]
      did_for_you: Routing.
      by_hand: SQL.
"""


def fixture_text() -> str:
    """A small valid data file with two frameworks."""
    return FIXTURE + FRAMEWORK.format(id="alpha", name="Alpha") + FRAMEWORK.format(id="beta", name="Beta")


def load_text(root: Path, text: str) -> DataError:
    """Write `text` as the data file and return the error loading it raises."""
    (root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(root)
    return caught.value


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def located(line: int, path: str, found: str, expected: str) -> str:
    """The whole message of a data error with one problem."""
    return (
        "data/frameworks.yml is invalid (1 problem):\n"
        f"data/frameworks.yml:{line}: {path}\n"
        f"    found:    {found}\n"
        f"    expected: {expected}"
    )
