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

Between builds. Each `mkdocs build` is a new process, which highlighted every distinct
block and compiled the theme's templates again: about 0.15 s each. Both stores also
keep what they made on disk, in the user's cache directory (`cache_dir()`), never in the
project: a file there could otherwise arrive in a pull request, and compiled templates
are code. The highlighted blocks are keyed by a hash of everything the highlighting
depends on, Pygments' and pymdownx's versions included, and written when a build ends;
Jinja checks the source of each compiled template, and its own version, itself. A
missing, unreadable or malformed file is treated as empty. BUILD_CACHE=false keeps
both in memory only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from pymdownx.highlight import Highlight, HighlightExtension

MAX_KEPT = 4096  # blocks: the site has a few hundred distinct ones
_kept: dict[tuple[Any, ...], str] = {}
# What the highlighted HTML also depends on, besides each block and the options.
VERSIONS = f"Pygments {version('Pygments')}, pymdown-extensions {version('pymdown-extensions')}"


def cache_dir() -> Path | None:
    """Where builds keep what they made for the next one; None when BUILD_CACHE=false."""
    if os.environ.get("BUILD_CACHE", "").strip().lower() in ("0", "false", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pyweb-compare"


class HighlightStore:
    """Highlighted blocks by a hash of their key, read from and written to one JSON file."""

    def __init__(self) -> None:
        self.blocks: dict[str, str] = {}
        self.read_from: Path | None = None
        self.changed = False

    @staticmethod
    def digest(key: tuple[Any, ...]) -> str:
        return hashlib.sha256(f"{VERSIONS}\n{key!r}".encode()).hexdigest()

    def open(self, path: Path | None) -> None:
        """Read the file once per process (a malformed one counts as empty)."""
        if path is None or path == self.read_from:
            return
        self.read_from, self.blocks, self.changed = path, {}, False
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.blocks = {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, str)}

    def get(self, key: tuple[Any, ...]) -> str | None:
        return self.blocks.get(self.digest(key)) if self.read_from else None

    def put(self, key: tuple[Any, ...], html: str) -> None:
        if self.read_from is None:
            return
        if len(self.blocks) >= MAX_KEPT:
            self.blocks.clear()
        self.blocks[self.digest(key)] = html
        self.changed = True

    def save(self) -> None:
        """Write the file if a block was added, whole or not at all (another build may write it too)."""
        if self.read_from is None or not self.changed:
            return
        with contextlib.suppress(OSError):
            self.read_from.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.read_from.parent, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(self.blocks, out)
                os.replace(temp, self.read_from)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            self.changed = False


HIGHLIGHTS = HighlightStore()


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
        html = _kept.get(key) or HIGHLIGHTS.get(key)
        if html is None:
            html = super().highlight(*arguments, inline, classes, id_value, attrs, title, 0)
            HIGHLIGHTS.put(key, html)
        if key not in _kept:
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


class LayeredBytecodeCache(MemoryBytecodeCache):
    """Compiled templates in memory, and on disk for the next process (Jinja's FileSystemBytecodeCache)."""

    def __init__(self) -> None:
        super().__init__()
        self.disk: jinja2.FileSystemBytecodeCache | None = None

    def use(self, directory: Path | None) -> None:
        """Keep compiled templates in `directory` too; None: in memory only."""
        if directory is None:
            self.disk = None
            return
        with contextlib.suppress(OSError):
            directory.mkdir(parents=True, exist_ok=True)
            self.disk = jinja2.FileSystemBytecodeCache(str(directory))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is None and self.disk is not None:
            with contextlib.suppress(OSError, ValueError, EOFError):
                self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                super().dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        if self.disk is not None:
            with contextlib.suppress(OSError):
                self.disk.dump_bytecode(bucket)


TEMPLATES = LayeredBytecodeCache()
