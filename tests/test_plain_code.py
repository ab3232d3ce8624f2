"""macros/plain_code.py and its hooks: highlighted code as plain text while the search index and the link check read a page.

The search index and the link check must read exactly what they read from the
highlighted page, on every built page; and the reader must get the highlighted page.
"""

from __future__ import annotations

import json
import re

import markdown
import pytest
from material.plugins.search.plugin import Parser

from macros.links import scan
from macros.plain_code import MARKER, plain, restore
from tests.conftest import Build

HIGHLIGHTED = markdown.markdown(
    '```python\ndef greet(name: str) -> str:\n    return f"<b>{name}</b> & co"  # a comment\n\n\n```\n',
    extensions=["pymdownx.highlight", "pymdownx.superfences"],
)


def sections(page_html: str) -> list[tuple[str | None, str, str]]:
    """What Material's search plugin takes from some HTML: each section's id, title and text."""
    parser = Parser()
    parser.feed(page_html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data]


def article(page: str) -> str:
    """The body of a built page, as the theme placed the page's content."""
    start = page.index('<article class="md-content__inner md-typeset">')
    return page[start : page.index("</article>", start)]


def test_a_highlighted_block_stands_as_its_text_and_comes_back_exactly() -> None:
    assert HIGHLIGHTED.count("<span") > 10  # the fixture is highlighted
    page = f'<h2 id="code">Code</h2><p>Before</p>{HIGHLIGHTED}<p>After</p>'
    light, blocks = plain(page)
    assert len(blocks) == 1 and "<span" not in light
    assert f'<pre {MARKER}="0"><code>def greet' in light
    assert "&lt;b&gt;{name}&lt;/b&gt; &amp; co" in light  # still escaped, as text
    assert restore(light, blocks) == page
    assert sections(light) == sections(page)
    assert scan(light) == scan(page)


@pytest.mark.parametrize(
    "block",
    [
        '<pre><code>see <a href="#top">the top</a></code></pre>',  # a link the link check must see
        '<pre><span id="line-1"></span><code>x = 1</code></pre>',  # an id a fragment may reach
        '<pre class="x"><code><em>emphasis</em></code></pre>',  # any other tag
    ],
)
def test_a_block_with_a_link_an_id_or_another_tag_is_left_as_it_is(block: str) -> None:
    light, blocks = plain(f"<p>Text</p>{block}")
    assert light == f"<p>Text</p>{block}" and blocks == []


def test_restore_refuses_a_missing_an_unknown_or_a_repeated_block() -> None:
    light, blocks = plain(HIGHLIGHTED + HIGHLIGHTED)
    assert len(blocks) == 2
    stand_ins = re.findall(rf'<pre {MARKER}="\d+"><code>[^<]*</code></pre>', light)
    with pytest.raises(ValueError, match=r"not put back \(numbers \[1\]\)"):
        restore(light.replace(stand_ins[1], ""), blocks)
    with pytest.raises(ValueError, match="code blocks numbered 1, but the page had 1"):
        restore(light, blocks[:1])
    with pytest.raises(ValueError, match="put back twice"):
        restore(light.replace(stand_ins[1], stand_ins[0]), blocks)


def test_the_search_index_and_the_link_check_read_every_built_page_alike(built_site: Build) -> None:
    pages = sorted(built_site.site.rglob("*.html"))
    blocks = 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        if '<article class="md-content__inner md-typeset">' not in page:
            continue
        body = article(page)
        light, kept = plain(body)
        blocks += len(kept)
        where = path.relative_to(built_site.site)
        assert sections(light) == sections(body), where
        assert scan(light) == scan(body), where
    assert blocks > 100  # the pair pages and the side-by-side page hold highlighted code


def test_readers_get_highlighted_code_and_search_finds_its_text(built_site: Build) -> None:
    page = built_site.page("compare/flask-vs-django/")
    assert MARKER not in page
    assert page.count('<span class="k">def</span>') > 5
    assert "__codelineno-" not in page  # no empty line anchors: no line numbers are shown
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any(MARKER in doc["text"] for doc in index["docs"])
    code = [doc for doc in index["docs"] if doc["location"].startswith("compare/flask-vs-django/#task-")]
    assert sum("<pre><code>" in doc["text"] for doc in code) > len(code) / 2
    assert any("def get_user(user_id: int)" in doc["text"] for doc in code)
