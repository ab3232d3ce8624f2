"""macros/caches.py: the caching highlighter writes exactly what pymdownx.highlight writes, highlighting each block
once, the template cache gives Jinja back what it compiled, and both keep what they made on disk for the next build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import markdown
import pytest

from macros import caches
from macros.caches import CachedHighlightExtension, MemoryBytecodeCache
from tests.conftest import Build, run_build

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


# --- between builds: on disk, in the user's cache directory ------------------------------------


def test_the_cache_directory_is_the_users_and_build_cache_false_turns_it_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BUILD_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert caches.cache_dir() == tmp_path / "pyweb-compare"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert caches.cache_dir() == tmp_path / "home" / ".cache" / "pyweb-compare"
    monkeypatch.setenv("BUILD_CACHE", "false")
    assert caches.cache_dir() is None


def test_highlighted_blocks_are_read_back_by_the_next_process_and_keyed_by_the_versions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "cache" / "highlighted.json"
    key = ("x = 1\n", "python")
    first = caches.HighlightStore()
    first.open(path)
    assert first.get(key) is None
    first.put(key, "<pre>x = 1</pre>")
    first.save()
    assert path.is_file() and list(path.parent.iterdir()) == [path], "no temp file is left"

    second = caches.HighlightStore()  # as in the next build's process
    second.open(path)
    assert second.get(key) == "<pre>x = 1</pre>"
    assert second.get(("x = 2\n", "python")) is None
    monkeypatch.setattr(caches, "VERSIONS", "Pygments 0.0, pymdown-extensions 0.0")
    assert second.get(key) is None, "another Pygments highlights afresh"


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"k": 1}', ""], ids=["text", "a-list", "not-html", "empty"])
def test_a_malformed_file_counts_as_empty(tmp_path: Path, text: str) -> None:
    path = tmp_path / "highlighted.json"
    path.write_text(text, encoding="utf-8")
    store = caches.HighlightStore()
    store.open(path)
    assert store.blocks == {}
    store.put(("y\n", "text"), "<pre>y</pre>")
    store.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {store.digest(("y\n", "text")): "<pre>y</pre>"}


def test_without_a_cache_directory_nothing_is_kept_on_disk(tmp_path: Path) -> None:
    store = caches.HighlightStore()
    store.open(None)
    store.put(("z\n", "text"), "<pre>z</pre>")
    store.save()
    assert store.get(("z\n", "text")) is None and list(tmp_path.iterdir()) == []


def test_compiled_templates_on_disk_serve_a_new_process_and_an_edited_template_is_compiled_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sources = {"page.html": "<p>{{ value }}</p>"}

    def environment() -> jinja2.Environment:
        cache = caches.LayeredBytecodeCache()  # a new one: as in the next build's process
        cache.use(tmp_path / "templates")
        return jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)

    assert environment().get_template("page.html").render(value=1) == "<p>1</p>"
    assert len(list((tmp_path / "templates").iterdir())) == 1
    compiled = jinja2.Environment.compile
    with monkeypatch.context() as patch:
        patch.setattr(jinja2.Environment, "compile", lambda *_a, **_k: pytest.fail("compiled again"))
        assert environment().get_template("page.html").render(value=2) == "<p>2</p>"
    sources["page.html"] = "<b>{{ value }}</b>"
    calls = []
    monkeypatch.setattr(
        jinja2.Environment, "compile", lambda self, *a, **k: calls.append(a[1]) or compiled(self, *a, **k)
    )
    assert environment().get_template("page.html").render(value=3) == "<b>3</b>"
    assert calls == ["page.html"]


def test_a_build_with_the_caches_warm_writes_the_same_site_as_one_without(project_copy: Path, tmp_path: Path) -> None:
    def pages(build: Build) -> dict[str, str]:
        assert build.returncode == 0, build.output
        # The build time in "Last updated" is the one thing that may differ.
        return {
            str(p.relative_to(build.site)): re.sub(r'title="[^"]*UTC"', "", p.read_text(encoding="utf-8"))
            for p in build.site.rglob("*.html")
        }

    cache = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "BUILD_CACHE": "true"}
    cold = pages(run_build(project_copy, tmp_path / "cold", **cache))
    assert (tmp_path / "cache" / "pyweb-compare" / "highlighted.json").is_file()
    assert any((tmp_path / "cache" / "pyweb-compare" / "templates").iterdir())
    warm = pages(run_build(project_copy, tmp_path / "warm", **cache))
    without = pages(run_build(project_copy, tmp_path / "without", BUILD_CACHE="false"))
    assert warm == cold == without
