"""macros/links.py and macros/link_hooks.py: the internal link check, once over the built site.

Its tokenizer must read every built page as the standard library's HTMLParser does; its
verdicts are checked on small sites in memory, and a strict build of a project copy
must fail on a broken link that only it can see (one in a macro's raw HTML).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.links import Broken, Scan, Site, check, report, scan, target_of
from tests.conftest import Build, run_build


class ReferenceScanner(HTMLParser):
    """What scan() must find, read by HTMLParser: ids and `<a name>` outside templates, hrefs of a, srcs of img."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if value is None:
                continue
            if name == wanted:
                self.links.append(value)
            if not self.depth and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)
        if tag == "template":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "template" and self.depth:
            self.depth -= 1


def reference(html: str) -> Scan:
    parser = ReferenceScanner()
    parser.feed(html)
    parser.close()
    return Scan(frozenset(parser.ids), tuple(parser.links))


# --- reading HTML ----------------------------------------------------------------


def test_scan_reads_every_built_page_as_htmlparser_does(built_site: Build) -> None:
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert scan(html) == reference(html), page.relative_to(built_site.site)


TRICKY = [
    pytest.param('<a href="a.md" title="x > y">A</a>', id="quoted-gt"),
    pytest.param("<A HREF='b/'>B</A><IMG SRC=c.png>", id="upper-case-and-unquoted"),
    pytest.param('<a href="?q=1&amp;r=2#f">amp</a>', id="entity-in-value"),
    pytest.param('<!-- <a href="commented.md" id="no"> --><p id="yes">', id="comment"),
    pytest.param('<script>var s = \'<a href="in-script" id="no">\';</script><b id=after>', id="script-text"),
    pytest.param('<template id="kept"><h2 id="inert"></h2><a href="t/">t</a></template><h2 id="out">', id="template"),
    pytest.param('<div name="x" id="d"><a name="legacy"></a><img name="i" src="i.png" alt="">', id="names"),
    pytest.param('<a id="bare" href>no value</a><a>none</a>', id="no-value"),
    pytest.param("text with a < b and 3<4 <br/> <hr /> <a href=x.md/>", id="stray-less-than"),
]


@pytest.mark.parametrize("html", TRICKY)
def test_scan_agrees_with_htmlparser_on_tricky_html(html: str) -> None:
    assert scan(html) == reference(html)


def test_scan_finds_ids_links_and_images_but_not_what_a_template_holds() -> None:
    found = scan(
        '<h2 id="install">Install</h2><a name="old"></a><a href="../x/#y">x</a><img src="p.png" alt="">'
        '<template id="t"><p id="inert"></p></template>'
    )
    assert found.ids == {"install", "old", "t"}
    assert found.links == ("../x/#y", "p.png")


# --- where a link goes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "page", "expected"),
    [
        ("../frameworks/one/", "comparison/", ("frameworks/one", "")),
        ("#aspect-a", "comparison/", ("comparison", "aspect-a")),
        ("same-api/#task-read", "", ("same-api", "task-read")),
        ("assets/site.css", "", ("assets/site.css", "")),
        ("/comparison/?x=1#Caf%C3%A9", "frameworks/one/", ("comparison", "Café")),
        ("index.html", "", ("", "")),
        ("sub/index.html#z", "", ("sub", "z")),
        ("x/", "404.html", ("x", "")),
        ("../../outside/", "comparison/", ("../outside", "")),
        ("https://example.org/a#b", "", None),
        ("//cdn.example.org/x.js", "", None),
        ("mailto:someone@example.org", "", None),
        ("http://127.0.0.1:8000/", "", None),
    ],
)
def test_target_of_resolves_a_link_from_its_page(link: str, page: str, expected: tuple[str, str] | None) -> None:
    assert target_of(link, page) == expected


# --- verdicts ------------------------------------------------------------------------

HOME = Scan(frozenset({"intro"}), ("comparison/#aspect-a", "comparison/#nav-only", "#intro", "data/frameworks.json"))
COMPARISON = Scan(frozenset({"aspect-a"}), ("../#intro", "../frameworks/gone/", "#aspect-b", "../#intro"))


def small_site(full_ids: dict[str, frozenset[str]] | None = None) -> tuple[Site, list[str]]:
    """Two pages and a JSON file; `asked` records which pages' whole HTML the check read."""
    asked: list[str] = []
    outputs = full_ids or {"": frozenset({"intro", "top"}), "comparison/": frozenset({"aspect-a", "nav-only"})}

    def whole(url: str) -> frozenset[str]:
        asked.append(url)
        return outputs[url]

    pages = {"": ("index.md", HOME), "comparison/": ("comparison.md", COMPARISON)}
    return Site(pages, ["data/frameworks.json", "assets/site.css"], whole), asked


def test_check_reports_each_missing_page_and_fragment_once_and_nothing_else() -> None:
    site, _ = small_site()
    assert check(site) == [
        Broken("comparison.md", "../frameworks/gone/", "the site has no page or file at 'frameworks/gone'"),
        Broken("comparison.md", "#aspect-b", "comparison.md has no id 'aspect-b'"),
    ]


def test_a_fragment_outside_the_body_is_looked_up_in_the_whole_page_only_then() -> None:
    site, asked = small_site()
    check(site)
    # nav-only and aspect-b are not in the comparison page's body: its whole HTML is read, once.
    assert asked == ["comparison/"]


def test_a_fragment_in_no_part_of_the_page_is_broken() -> None:
    site, _ = small_site({"": frozenset(), "comparison/": frozenset({"aspect-a"})})
    assert Broken("index.md", "comparison/#nav-only", "comparison.md has no id 'nav-only'") in check(site)


def test_report_counts_then_lists() -> None:
    broken = [Broken("a.md", "x/", "the site has no page or file at 'x'")]
    assert report(broken) == ("1 broken internal link:\na.md links to 'x/', but the site has no page or file at 'x'")
    assert report([]).startswith("0 broken internal links")


# --- the build -------------------------------------------------------------------------


def break_a_macro_link(project: Path) -> None:
    """Make the comparison table's first framework link point at a page that does not exist."""
    render = project / "macros" / "render.py"
    text = render.read_text(encoding="utf-8")
    marker = 'return f"{root}frameworks/{framework_id}/"'
    assert marker in text, "framework_url changed shape: update this test"
    render.write_text(text.replace(marker, 'return f"{root}frameworks/{framework_id}-gone/"'), encoding="utf-8")


def test_a_broken_link_in_a_macros_raw_html_fails_the_strict_build(project_copy: Path) -> None:
    break_a_macro_link(project_copy)
    build = run_build(project_copy)
    assert build.returncode != 0
    assert "broken internal link" in build.output
    assert "-gone/', but the site has no page or file at 'frameworks/" in build.output, build.output
    assert "Traceback" not in build.output


def test_a_missing_anchor_in_raw_html_fails_the_build(project_copy: Path) -> None:
    page = project_copy / "docs" / "comparison.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<p><a href="#aspect-no-such-row">gone</a></p>\n')
    build = run_build(project_copy)
    assert build.returncode != 0
    assert "comparison.md links to '#aspect-no-such-row', but comparison.md has no id 'aspect-no-such-row'" in (
        build.output
    ), build.output


def test_link_check_false_leaves_the_links_unchecked(project_copy: Path) -> None:
    break_a_macro_link(project_copy)
    build = run_build(project_copy, LINK_CHECK="false")
    assert build.returncode == 0, build.output
    assert "Internal links not checked" in build.output
