"""Line up the release facts the data holds with what the package index says, as rows of a table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.version import Version

from facts.pins import Pin
from macros.releases import COMMAND, DATA_FILE, Release

AGREES = "agrees"
DRIFT = "DRIFT"  # upper case, so that it stands out in a long table
NOT_STATED = "not stated"  # neither the data nor the metadata states it: not drift
LAGS = "lags"  # an example pin older than the latest release: reported, not drift
AHEAD = "ahead"
ABSENT = "-"
HEADINGS = ("framework", "field", "data", "index", "status")

# Release attribute -> the field's name in the table.
FIELDS = (
    ("version", "version"),
    ("uploaded", "uploaded (UTC)"),
    ("requires_python", "Requires-Python"),
    ("python_classifiers", "Python classifiers"),
    ("licence_expression", "License-Expression"),
    ("licence_classifiers", "licence classifiers"),
)


@dataclass(frozen=True)
class Row:
    """One fact of one framework: what the data says, what the index says, and whether they agree."""

    framework: str
    field: str
    data: str
    index: str
    status: str


def _shown(value: str | tuple[str, ...] | None) -> str | None:
    """A fact as the table shows it; None for one that is not stated."""
    if isinstance(value, tuple):
        return ", ".join(value) or None
    return value


def release_rows(name: str, recorded: Release | None, current: Release) -> list[Row]:
    """One row per release fact; `recorded` is None when the data has no entry for the framework."""
    rows = []
    for attribute, label in FIELDS:
        index = _shown(getattr(current, attribute))
        if recorded is None:
            rows.append(Row(name, label, "(no entry)", index or NOT_STATED, DRIFT))
            continue
        data = _shown(getattr(recorded, attribute))
        status = DRIFT if data != index else AGREES if index is not None else NOT_STATED
        rows.append(Row(name, label, data or NOT_STATED, index or NOT_STATED, status))
    return rows


def pin_rows(name: str, pins: Iterable[Pin], latest: str) -> list[Row]:
    """One row per example pin of the framework's package, against its latest release."""
    rows = []
    for pin in pins:
        pinned, newest = Version(pin.version), Version(latest)
        status = AGREES if pinned == newest else LAGS if pinned < newest else AHEAD
        rows.append(Row(name, f"pin in {pin.file}", pin.version, latest, status))
    return rows


def drifted(rows: Iterable[Row]) -> bool:
    """Whether any fact in the data differs from the index."""
    return any(row.status == DRIFT for row in rows)


def table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table with aligned columns."""
    cells = [HEADINGS, *((r.framework, r.field, r.data, r.index, r.status) for r in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(HEADINGS))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip() for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def summary(rows: Sequence[Row]) -> str:
    """What the table adds up to, in a sentence or two."""
    drift = [r for r in rows if r.status == DRIFT]
    lagging = [r for r in rows if r.status == LAGS]
    unstated = [r for r in rows if r.status == NOT_STATED]
    if drift:
        words = [
            f"{len(drift)} {'fact' if len(drift) == 1 else 'facts'} in {DATA_FILE} "
            f"{'differs' if len(drift) == 1 else 'differ'} from the package index: run `{COMMAND}`."
        ]
    else:
        words = [f"{DATA_FILE} agrees with the package index."]
    if unstated:
        words.append(
            f"{len(unstated)} fact{'s are' if len(unstated) != 1 else ' is'} not stated by the package's metadata."
        )
    if lagging:
        pins = ", ".join(f"{r.framework} {r.data} < {r.index} ({r.field.removeprefix('pin in ')})" for r in lagging)
        words.append(f"Example pins that lag the latest release (not drift): {pins}.")
    return " ".join(words)
