"""Highlighted code blocks as plain text while the search index and the link check read a page, then put back.

Pygments writes one `<span>` per token, so highlighted code is most of the tags on a
page that shows code (about 2,300 of the 2,700 in a pair page's body). Material's
search plugin feeds every tag to the standard library's HTMLParser, yet all it keeps
of a `<pre>` is its text, between `<pre>` and `<code>`; the link check looks only for
ids and links, which a `<span>` or `<code>` of Pygments does not carry.

So `plain` stands each `<pre>` whose only tags are `<span>` and `<code>`, none with an
id, for `<pre data-fw-code="N"><code>its text</code></pre>`: the same text, the same
search index (tests/test_plain_code.py compares both on every built page), the same
ids and links, a tenth of the tags. `restore` puts every block back exactly. A `<pre>`
holding any other tag (a link, an anchor) is left as it is.

No MkDocs import: macros/plain_code_hooks.py applies it around the build's events.
"""

from __future__ import annotations

import html
import re

from macros.stand_ins import put_each_back

MARKER = "data-fw-code"
_PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
# A tag other than those a block may hold to stand as plain text: Pygments' spans and the code element.
_OTHER_TAG = re.compile(r"<(?!/?(?:span|code)(?:\s+class=\"[^\"<>]*\")?\s*>)")
_STAND_IN = re.compile(rf'<pre {MARKER}="(\d+)"><code>[^<]*</code></pre>')


def plain(page_html: str) -> tuple[str, list[str]]:
    """The HTML with each plain highlighted `<pre>` as its text, and the blocks it stands for, in order."""
    blocks: list[str] = []

    def stand_in(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _OTHER_TAG.search(inner):
            return match.group(0)
        blocks.append(match.group(0))
        text = html.escape(html.unescape(_TAG.sub("", inner)), quote=False)
        return f'<pre {MARKER}="{len(blocks) - 1}"><code>{text}</code></pre>'

    return _PRE.sub(stand_in, page_html), blocks


def restore(page_html: str, blocks: list[str]) -> str:
    """The HTML with each stand-in replaced by the block it stands for; each must be there exactly once."""
    return put_each_back(page_html, _STAND_IN, blocks, "code blocks")
