"""MkDocs hooks: the macros' HTML lines go around Python-Markdown (macros/raw_html.py), and come back after it.

After the macros plugin has rendered a page's Markdown (on_page_markdown, priority 0),
each line that is one passed-through HTML element is held; once Markdown has made the
page's HTML, and before any plugin reads it (on_page_content), the lines are put back,
and their ids are added to those MkDocs checks `#anchor` links against.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_held: dict[str, list[str]] = {}  # page source path -> its held lines, from its Markdown to its HTML


@event_priority(-100)  # after the macros plugin
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Hold the page's passed-through HTML lines."""
    from macros.raw_html import hold  # imported late: the macros plugin puts the project on sys.path

    markdown, _held[page.file.src_uri] = hold(markdown)
    return markdown


@event_priority(100)  # before every other plugin reads the page's HTML
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the held lines back, and let MkDocs' anchor validation see their ids."""
    from macros.raw_html import put_back

    try:
        html, ids = put_back(html, _held.pop(page.file.src_uri, []))
    except ValueError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from None
    page.present_anchor_ids = (page.present_anchor_ids or set()) | ids
    return html
