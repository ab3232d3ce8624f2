"""The macros' HTML goes around Python-Markdown, not through its HTML parser; the page comes out the same.

Most of a generated page is HTML that the render functions wrote, one element per
line (tables, grids, lists). Python-Markdown passes such a block through unchanged, yet
first reads all of it with the standard library's HTMLParser, twice (md_in_html to find
where the block ends, and MkDocs to collect its ids for anchor validation): about half
the time a pair page takes to convert.

`hold` swaps each such line of a page's Markdown for an HTML comment, which both
parsers read as one token, and `put_back` swaps the lines in again in the converted
HTML. A line is held only when it is certainly passed through unchanged:

- it is outside a fenced code block and an HTML comment;
- it starts at the first column with a block-level tag (`<div`, `<table`, `<p` ...);
- the tag it opens closes at the end of the line, and nothing else does before;
- nothing in it asks md_in_html for Markdown (a `markdown` attribute);
- blank lines (or the page's edges) stand before and after it.

tests/test_raw_html.py builds the site with and without this and compares every page.
No MkDocs import: macros/raw_html_hooks.py applies it around the Markdown conversion.
"""

from __future__ import annotations

import re

import markdown

from macros.links import scan
from macros.stand_ins import put_each_back

PLACEHOLDER = "<!--fw-held-{}-->"
_PLACEHOLDER = re.compile(r"<!--fw-held-(\d+)-->")
# The block-level elements a held line may start with: Python-Markdown's own list, but for
# those whose content is raw text or a document of its own.
RAW_TEXT_TAGS = frozenset({"pre", "script", "style", "textarea", "math", "html", "body"})
BLOCK_TAGS = frozenset(markdown.Markdown().block_level_elements) - RAW_TEXT_TAGS
VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown(?:\s*=|[\s/>])")


def _one_element(line: str) -> bool:
    """Whether the line is exactly one block-level element, opened at its start and closed at its end."""
    first = _TAG.match(line)
    if first is None or first.group(1) or first.group(2).lower() not in BLOCK_TAGS:
        return False
    if "<!--" in line or "<script" in line or "<style" in line or _MARKDOWN_ATTRIBUTE.search(line):
        return False
    depth = 0
    for tag in _TAG.finditer(line):
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in VOID_TAGS or attributes.rstrip().endswith("/"):
            if depth == 0:
                return False  # a void element first, or one after the first element closed
            continue
        if depth == 0 and tag.start() > 0:
            return False  # a second element after the first closed
        depth += -1 if closing else 1
        if depth < 0:
            return False
        if depth == 0 and tag.end() != len(line):
            return False
    return depth == 0


def hold(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each line that is one passed-through HTML element swapped for a placeholder, and those lines."""
    lines = markdown.split("\n")
    held: list[str] = []
    fence = ""
    in_comment = False
    for index, line in enumerate(lines):
        if in_comment or "<!--" in line:
            # A comment that runs on past this line holds what follows until `-->`.
            in_comment = line.rfind("<!--") > line.rfind("-->") or (in_comment and "-->" not in line)
            continue
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        blank_before = index == 0 or not lines[index - 1].strip()
        blank_after = index == len(lines) - 1 or not lines[index + 1].strip()
        if blank_before and blank_after and line.startswith("<") and _one_element(line):
            held.append(line)
            lines[index] = PLACEHOLDER.format(len(held) - 1)
    return "\n".join(lines), held


def put_back(html: str, held: list[str]) -> tuple[str, frozenset[str]]:
    """The converted HTML with each held line in its placeholder's place, and the ids those lines hold."""
    return put_each_back(html, _PLACEHOLDER, held, "held HTML lines"), scan("\n".join(held)).ids
