"""macros/raw_html.py and its hooks: the macros' HTML lines go around Python-Markdown, and the pages come out the same.

Which lines are held is checked on small Markdown; that nothing changes is checked by
building the project without the hooks and comparing every page; that MkDocs still
validates `#anchor` links into held HTML, by a strict build of a copy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from macros.raw_html import PLACEHOLDER, hold, put_back
from tests.conftest import Build, run_build

HOOK = "macros/raw_html_hooks.py"
# What differs between a build of the project and one of a copy: "Last updated", from
# git in the one and the build time in the other.
BUILD_TIME = re.compile(r'<span class="git-revision-date-localized-plugin[^"]*"[^>]*>[^<]*</span>')


def held_lines(markdown: str) -> list[str]:
    return hold(markdown)[1]


TABLE = '<div class="frame"><table id="t"><tr><td>a</td><td><br>b</td></tr></table></div>'


def test_a_line_that_is_one_block_element_is_held_and_put_back() -> None:
    markdown = f'# Title\n\n{TABLE}\n\nSome *prose*.\n\n<p class="x">One paragraph</p>\n'
    text, held = hold(markdown)
    assert held == [TABLE, '<p class="x">One paragraph</p>']
    assert PLACEHOLDER.format(0) in text and TABLE not in text
    html, ids = put_back(
        f"<h1>Title</h1>\n{PLACEHOLDER.format(0)}\n<p>Some <em>prose</em>.</p>\n{PLACEHOLDER.format(1)}", held
    )
    assert TABLE in html and '<p class="x">One paragraph</p>' in html and "fw-held" not in html
    assert ids == {"t"}


@pytest.mark.parametrize(
    "markdown",
    [
        f"```html\n\n{TABLE}\n\n```\n",  # in a fenced code block
        f"~~~~\n\n{TABLE}\n\n~~~~\n",
        f"<!--\n\n{TABLE}\n\n-->\n",  # in a comment that spans lines
        '<div class="grid" markdown><p>a</p></div>\n',  # md_in_html would read Markdown in it
        "<p>a</p><p>b</p>\n",  # two elements
        "<p>a</p> and text\n",  # text after the element
        "<span>inline</span>\n",  # not block-level: Markdown wraps it in a paragraph
        "<div>opened here\n\nclosed later</div>\n",  # not closed on its line
        "<hr>\n",  # a void element
        f"Text right before\n{TABLE}\n",  # no blank line before
        f"{TABLE}\nText right after\n",  # no blank line after
        " <p>indented</p>\n",
    ],
)
def test_a_line_markdown_might_change_is_left_in_place(markdown: str) -> None:
    assert held_lines(markdown) == []


def test_put_back_refuses_a_missing_or_an_unknown_line() -> None:
    _, held = hold(f"{TABLE}\n\n{TABLE}\n")
    assert len(held) == 2
    with pytest.raises(ValueError, match=r"not put back \(numbers \[1\]\)"):
        put_back(PLACEHOLDER.format(0), held)
    with pytest.raises(ValueError, match="held HTML lines numbered 2, but the page had 2"):
        put_back(PLACEHOLDER.format(0) + PLACEHOLDER.format(1) + PLACEHOLDER.format(2), held)


def test_the_site_is_the_same_without_the_hooks(built_site: Build, tmp_path: Path) -> None:
    from scripts.project_copy import copy_project

    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"  - {HOOK}\n" in config
    (project / "mkdocs.yml").write_text(config.replace(f"  - {HOOK}\n", ""), encoding="utf-8")
    without = run_build(project)
    assert without.returncode == 0, without.output
    pages = sorted(p.relative_to(built_site.site) for p in built_site.site.rglob("*.html"))
    assert len(pages) > 30
    assert pages == sorted(p.relative_to(without.site) for p in without.site.rglob("*.html"))
    for page in [*pages, Path("search/search_index.json")]:
        held = BUILD_TIME.sub("", (built_site.site / page).read_text(encoding="utf-8"))
        assert held == BUILD_TIME.sub("", (without.site / page).read_text(encoding="utf-8")), page


def test_mkdocs_still_checks_anchor_links_into_held_html(project_copy: Path) -> None:
    data = yaml.safe_load((project_copy / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    aspect = data["aspects"][0]["id"]
    index = project_copy / "docs" / "index.md"
    original = index.read_text(encoding="utf-8")
    # The comparison table's rows, with their ids, are one held line.
    index.write_text(original + f"\n[The first aspect](comparison.md#aspect-{aspect}).\n", encoding="utf-8")
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    index.write_text(original + "\n[No such aspect](comparison.md#aspect-no-such-aspect).\n", encoding="utf-8")
    broken = run_build(project_copy)
    assert broken.returncode != 0
    assert "aspect-no-such-aspect" in broken.output and "does not contain an anchor" in broken.output
