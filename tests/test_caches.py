"""macros/caches.py: the caching highlighter writes exactly what pymdownx.highlight writes, highlighting each block
once, and the template cache gives Jinja back what it compiled."""

from __future__ import annotations

import jinja2
import markdown
import pytest

from macros import caches
from macros.caches import CachedHighlightExtension, MemoryBytecodeCache

OPTIONS = {"anchor_linenums": True}
OTHERS = ["attr_list", "pymdownx.inlinehilite", "pymdownx.superfences", "pymdownx.tabbed"]

CODE = "def get_user(user_id: int) -> dict:\n    return {'id': user_id}\n"
PAGES = {
    "repeated-at-other-positions": (
        f'```python title="examples/a/app.py"\n{CODE}```\n\ntext\n\n```python\nx = 1\n```\n\n'
        f'```python title="examples/a/app.py"\n{CODE}```\n'
    ),
    "highlighted-lines-and-numbers": f'```python hl_lines="2" linenums="3"\n{CODE}```\n\n```python\n{CODE}```\n',
    "tabs-and-inline": (
        f'=== "One"\n\n    ```python\n    {CODE.splitlines()[0]}\n    ```\n\n'
        f'=== "Two"\n\n    ```python\n    {CODE.splitlines()[0]}\n    ```\n\nInline `#!python len(x)` code.\n'
    ),
    "code-that-holds-an-anchor-prefix": "```text\nsee #__codelineno-0-1\n```\n\n```text\nsee #__codelineno-0-1\n```\n",
    "own-id-and-class": "```{.python #mine .extra}\nx = 1\n```\n\n```python\nx = 1\n```\n",
    "other-languages": "```yaml\nkey: value\n```\n\n```console\n$ make serve\n```\n\n```\nplain\n```\n",
}


def render(text: str, cached: bool) -> str:
    ext: object = CachedHighlightExtension(**OPTIONS) if cached else "pymdownx.highlight"
    configs = {} if cached else {"pymdownx.highlight": OPTIONS}
    return markdown.Markdown(extensions=[ext, *OTHERS], extension_configs=configs).convert(text)


@pytest.mark.parametrize("text", PAGES.values(), ids=PAGES.keys())
def test_the_cached_highlighter_writes_what_pymdownx_writes_on_each_page_and_again(text: str) -> None:
    plain = render(text, cached=False)
    assert 'class="highlight"' in plain
    assert render(text, cached=True) == plain
    assert render(text, cached=True) == plain  # from the store this time


def test_a_block_shown_again_is_highlighted_once_with_its_own_line_anchors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caches, "_kept", {})
    page = render(PAGES["repeated-at-other-positions"], cached=True)
    assert len(caches._kept) == 2  # the repeated block and the other one
    assert 'id="__codelineno-0-1"' in page and 'id="__codelineno-2-1"' in page
    assert 'href="#__codelineno-2-2"' in page


def test_code_holding_an_anchor_prefix_is_never_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caches, "_kept", {})
    render(PAGES["code-that-holds-an-anchor-prefix"], cached=True)
    assert caches._kept == {}


def test_the_store_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caches, "_kept", {})
    monkeypatch.setattr(caches, "MAX_KEPT", 2)
    render("".join(f"```python\nx = {n}\n```\n\n" for n in range(5)), cached=True)
    assert 1 <= len(caches._kept) <= 2


def test_the_template_cache_gives_back_what_jinja_compiled_and_recompiles_an_edited_template() -> None:
    sources = {"page.html": "<p>{{ value }}</p>"}
    cache = MemoryBytecodeCache()

    def environment() -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)

    assert environment().get_template("page.html").render(value=1) == "<p>1</p>"
    assert len(cache.compiled) == 1
    assert environment().get_template("page.html").render(value=2) == "<p>2</p>"  # from the cache
    sources["page.html"] = "<b>{{ value }}</b>"
    assert environment().get_template("page.html").render(value=3) == "<b>3</b>"
