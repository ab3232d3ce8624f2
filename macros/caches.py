"""What the build keeps from one page to the next, and from one `mkdocs serve` rebuild to the next.

Both stores live in this module, which stays loaded across the rebuilds of `mkdocs
serve` (macros/cache_hooks.py puts them in place at each build), and both give back
exactly what would have been made again.

Highlighted code. The same example sections appear on many pages: a framework's page,
the side-by-side page and every pair page it is in, and Pygments lexed and formatted
each of them again. CachedHighlightExtension is pymdownx.highlight with the same
options; it hands superfences (through the hook pymdownx provides for it,
`get_pymdownx_highlighter`) a highlighter that keeps what it made. A kept block is
used again only for the same code, language, title, options and settings; the one
thing that differs from block to block, the number in its line anchors' ids
(`__codelineno-<n>-<line>`), is written in afresh. Code that itself holds an anchor's
prefix, inline code, a block with its own id and an HTML title are highlighted as
before, every time.

Compiled theme templates. MkDocs makes the theme's Jinja environment anew for every
build, so each rebuild compiled Material's templates again (about 0.2 s). TEMPLATES
is a Jinja bytecode cache in memory: Jinja keys it by template name and a checksum of
its source, so an edited template is compiled afresh.
"""

from __future__ import annotations

from typing import Any

import jinja2
from pymdownx.highlight import Highlight, HighlightExtension

MAX_KEPT = 4096  # blocks: the site has a few hundred distinct ones
_kept: dict[tuple[Any, ...], str] = {}


class CachedHighlight(Highlight):  # type: ignore[misc]  # pymdownx is untyped
    """A highlighter that reuses the HTML of a block it has already highlighted."""

    def highlight(
        self,
        src: str,
        language: str,
        css_class: str = "highlight",
        hl_lines: list[int] | None = None,
        linestart: int = -1,
        linestep: int = -1,
        linespecial: int = -1,
        inline: bool = False,
        classes: list[str] | None = None,
        id_value: str = "",
        attrs: dict[str, str] | None = None,
        title: str | None = None,
        code_block_count: int = 0,
    ) -> Any:
        """The block's HTML, highlighted once per distinct block."""
        arguments = (src, language, css_class, hl_lines, linestart, linestep, linespecial)
        prefixes = [f"{p}-" for p in (self.line_anchors, self.line_spans) if p]
        if inline or id_value or self.title_mode != "text" or any(p in src or p in (title or "") for p in prefixes):
            return super().highlight(*arguments, inline, classes, id_value, attrs, title, code_block_count)
        key = (
            repr(sorted((k, v) for k, v in vars(self).items() if k != "md")),
            *arguments[:3],
            tuple(hl_lines or ()),
            *arguments[4:],
            tuple(classes or ()),
            tuple((attrs or {}).items()),
            title,
        )
        html = _kept.get(key)
        if html is None:
            html = super().highlight(*arguments, inline, classes, id_value, attrs, title, 0)
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = html
        for prefix in prefixes:
            html = html.replace(f"{prefix}0-", f"{prefix}{code_block_count}-")
        return html


class CachedHighlightExtension(HighlightExtension):  # type: ignore[misc]
    """pymdownx.highlight, handing out the caching highlighter."""

    def get_pymdownx_highlighter(self) -> type[Highlight]:
        """The highlighter superfences and inlinehilite use."""
        return CachedHighlight


def makeExtension(**kwargs: Any) -> CachedHighlightExtension:  # noqa: N802  (Python-Markdown's name)
    """The extension, as Python-Markdown loads it by module name."""
    return CachedHighlightExtension(**kwargs)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in memory for as long as the process runs."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from the store; Jinja compiles the template itself when its checksum changed."""
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep what Jinja compiled."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()
