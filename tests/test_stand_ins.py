"""macros/stand_ins.py: numbered stand-ins come back each exactly once, or the page fails."""

from __future__ import annotations

import re

import pytest

from macros.stand_ins import put_each_back

STAND_IN = re.compile(r"\[part (\d+)\]")


def test_each_stand_in_is_replaced_by_its_part_in_place() -> None:
    assert put_each_back("a [part 1] b [part 0] c", STAND_IN, ["zero", "one"], "parts") == "a one b zero c"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[part 0]", r"parts not put back \(numbers \[1\]\)"),
        ("[part 0] [part 0] [part 1]", r"put back twice: \[0, 0, 1\]"),
        ("[part 0] [part 1] [part 2]", "a stand-in for parts numbered 2, but the page had 2"),
    ],
)
def test_a_missing_repeated_or_unknown_stand_in_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        put_each_back(text, STAND_IN, ["zero", "one"], "parts")
