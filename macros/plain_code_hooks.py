"""MkDocs hooks: highlighted code stands as plain text while the search index and the link check read a page.

Before Material's search plugin indexes a page (on_page_context, priority 0), its
highlighted blocks become plain text (macros/plain_code.py); once the link check has
read the rendered page (macros/link_hooks.py, on_post_page, priority 0), every block
is put back in both the page's content and its HTML. What either reads is the same
text, ids and links; what a reader gets is the highlighted page.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

_blocks: dict[str, list[str]] = {}  # page URL -> its highlighted blocks, while they stand as plain text


@event_priority(50)  # before the search plugin
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Put plain text in place of the page's highlighted blocks."""
    from macros.plain_code import plain  # imported late: the macros plugin puts the project on sys.path

    page.content, _blocks[page.url] = plain(page.content or "")
    return context


@event_priority(-100)  # after the link check and every other plugin
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put the highlighted blocks back, in the page's HTML and in its content."""
    from macros.plain_code import restore

    blocks = _blocks.pop(page.url, [])
    try:
        page.content = restore(page.content or "", blocks)
        return restore(output, blocks)
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
