"""The versions the example apps pin: `name==version` lines of examples/requirements*.in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

# examples/requirements.in, and any other environment's file beside it (e.g. one per Python).
PIN_FILES = "examples/requirements*.in"


@dataclass(frozen=True)
class Pin:
    """One exact pin of a package, and the file that holds it."""

    file: str
    package: str
    version: str


def read(root: Path) -> list[Pin]:
    """Every `==` pin in the examples' requirement files, in file then line order."""
    found = []
    for path in sorted(root.glob(PIN_FILES)):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.split(" #", 1)[0].strip()
            if not text or text.startswith(("#", "-")):
                continue
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            exact = [s.version for s in requirement.specifier if s.operator == "=="]
            if len(exact) == 1:
                found.append(Pin(str(path.relative_to(root)), requirement.name, exact[0]))
    return found


def of(pins: list[Pin], package: str) -> list[Pin]:
    """The pins of one package, whatever the spelling of its name."""
    return [pin for pin in pins if canonicalize_name(pin.package) == canonicalize_name(package)]
