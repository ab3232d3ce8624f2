"""Numbered stand-ins put back: what macros/plain_code.py and macros/raw_html.py share.

Each swaps parts of a page for numbered stand-ins while other code reads the page, then
puts every part back; a stand-in that went missing, came back twice or names no part is
an error, not a page with a hole in it.
"""

from __future__ import annotations

import re


def put_each_back(text: str, stand_in: re.Pattern[str], parts: list[str], what: str) -> str:
    """The text with each match of `stand_in` (its number in group 1) replaced by that part; each part exactly once."""
    seen: list[int] = []

    def part(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(parts):
            raise ValueError(f"a stand-in for {what} numbered {index}, but the page had {len(parts)}")
        seen.append(index)
        return parts[index]

    restored = stand_in.sub(part, text)
    if sorted(seen) != list(range(len(parts))):
        missing = sorted(set(range(len(parts))) - set(seen))
        raise ValueError(f"{what} not put back (numbers {missing}), or put back twice: {sorted(seen)}")
    return restored
