"""What a framework is built on: checked against the other frameworks and aspects, with a precise message."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.data import load
from tests.data_samples import fixture_text, line_of, load_text

BUILT_ON = """\
    built_on:
      framework: {base}
      note: Takes its routing from {base}.
      source: https://beta.example.org/docs/built-on
      inherits: [{inherits}]
"""


def built_on(text: str, framework: str, base: str, inherits: str = "type") -> str:
    """Give `framework` a built_on entry naming `base`, after its first_release line."""
    marker = f'    first_release: {{year: 2010, source: "https://{framework}.example.org/history"}}\n'
    assert marker in text
    return text.replace(marker, marker + BUILT_ON.format(base=base, inherits=inherits))


def test_a_framework_built_on_another_loads(data_root: Path) -> None:
    (data_root / "data" / "frameworks.yml").write_text(built_on(fixture_text(), "beta", "alpha"), encoding="utf-8")
    beta = load(data_root).framework("beta")
    assert beta["built_on"] == {
        "framework": "alpha",
        "note": "Takes its routing from alpha.",
        "source": "https://beta.example.org/docs/built-on",
        "inherits": ["type"],
    }
    assert "built_on" not in load(data_root).framework("alpha")


@pytest.mark.parametrize(
    ("framework", "base", "inherits", "where", "path", "found", "expected"),
    [
        pytest.param(
            "beta", "gamma", "type", "framework: gamma", "frameworks[1].built_on.framework",
            "the unknown framework id 'gamma'", "a framework id from `frameworks`: alpha, beta", id="unknown-base",
        ),
        pytest.param(
            "beta", "beta", "type", "framework: beta", "frameworks[1].built_on.framework",
            "'beta', the framework's own id", "the id of another framework", id="itself",
        ),
        pytest.param(
            "beta", "alpha", "type, speed", "inherits: [type, speed]", "frameworks[1].built_on.inherits[1]",
            "the unknown aspect id 'speed'", "an aspect id from `aspects`: type, feel", id="unknown-aspect",
        ),
    ],
)  # fmt: skip
def test_a_wrong_built_on_is_reported_precisely(
    data_root: Path,
    framework: str,
    base: str,
    inherits: str,
    where: str,
    path: str,
    found: str,
    expected: str,
) -> None:
    text = built_on(fixture_text(), framework, base, inherits)
    problem = load_text(data_root, text).problems[0]
    assert (problem.line, problem.path) == (line_of(text, where), path)
    assert found in problem.found
    assert expected in problem.expected


def test_a_chain_that_comes_back_round_is_reported(data_root: Path) -> None:
    text = built_on(built_on(fixture_text(), "alpha", "beta"), "beta", "alpha")
    problems = load_text(data_root, text).problems
    assert [problem.path for problem in problems] == [
        "frameworks[0].built_on.framework",
        "frameworks[1].built_on.framework",
    ]
    assert problems[0].found == "a chain that comes back to itself: alpha on beta on alpha"
    assert problems[0].line == line_of(text, "framework: beta")
