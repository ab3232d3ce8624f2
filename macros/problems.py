"""One problem with a data file, located by file, line and key path, and the error that lists them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# One message lists at most this many problems, each value in it cut to MAX_SHOWN
# characters, so that a file with thousands of mistakes gets a message one can read.
MAX_PROBLEMS = 50
MAX_SHOWN = 200

KeyPath = tuple[str | int, ...]
Add = Callable[[KeyPath, str, str], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located in the file."""

    file: str
    line: int
    path: str
    found: str
    expected: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {_clip(self.path) or '(document)'}\n"
            f"    found:    {_clip(self.found)}\n"
            f"    expected: {_clip(self.expected)}"
        )


def _clip(text: str) -> str:
    """Text cut to MAX_SHOWN characters, saying how long it was: a key or a value can be a whole file long."""
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}... ({len(text):,} characters)"


class DataError(Exception):
    """The data file is invalid; the message lists the problems found, the first MAX_PROBLEMS of them.

    `stopped` says the check stopped looking after MAX_PROBLEMS, so there may be
    more than `problems` holds.
    """

    def __init__(self, problems: list[Problem], stopped: bool = False) -> None:
        self.problems = problems
        self.stopped = stopped
        body = "\n".join(str(p) for p in problems[:MAX_PROBLEMS])
        if stopped:
            count = f"more than {MAX_PROBLEMS} problems; the first {MAX_PROBLEMS} follow"
            body += f"\n... and more problems: checking stops after {MAX_PROBLEMS}"
        elif len(problems) > MAX_PROBLEMS:
            count = f"{len(problems):,} problems; the first {MAX_PROBLEMS} follow"
            body += f"\n... and {len(problems) - MAX_PROBLEMS:,} more problems"
        else:
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{problems[0].file} is invalid ({count}):\n{body}")


class _Enough(Exception):
    """A check has found one problem more than a message lists."""


def describe_value(value: Any) -> str:
    """A short, readable rendering of a found value and its YAML type."""
    kinds = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing (null or empty)",
    }
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        return f"{kind} with keys: {keys}" if keys else "an empty mapping"
    if isinstance(value, list):
        return f"{kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > 80:
        text = text[:77] + '..."'
    return f"{text} ({kind})" if value is not None else kind


def format_path(path: KeyPath) -> str:
    """`frameworks[0].release.version` style key path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
