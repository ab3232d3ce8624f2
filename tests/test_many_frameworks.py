"""A site built from 12 frameworks (a synthetic data file in a temp copy): every page, every pair, every rank."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import yaml

from tests.conftest import MANY_FRAMEWORKS, Build


def frameworks(build: Build) -> list[dict]:
    data = yaml.safe_load((build.site.parent / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    return list(data["frameworks"])


def page(build: Build, path: str) -> str:
    return (build.site / path / "index.html").read_text(encoding="utf-8")


def article(text: str) -> str:
    """The page's content, without the nav and the header, which list every framework."""
    match = re.search(r"<article.*?</article>", text, flags=re.S)
    assert match, "the page has no article"
    return match[0]


def test_every_page_and_every_pair_page_is_built(many_frameworks_site: Build) -> None:
    ids = [fw["id"] for fw in frameworks(many_frameworks_site)]
    assert len(ids) == MANY_FRAMEWORKS
    for framework_id in ids:
        assert (many_frameworks_site.site / "frameworks" / framework_id / "index.html").is_file()
    pair_pages = sorted(p.parent.name for p in (many_frameworks_site.site / "compare").glob("*-vs-*/index.html"))
    expected = sorted(f"{a}-vs-{b}" for i, a in enumerate(ids) for b in ids[i + 1 :])
    assert pair_pages == expected and len(expected) == 66


def test_each_pair_page_holds_exactly_its_two_frameworks(many_frameworks_site: Build) -> None:
    fws = frameworks(many_frameworks_site)
    for i, a in enumerate(fws):
        for b in fws[i + 1 :]:
            body = article(page(many_frameworks_site, f"compare/{a['id']}-vs-{b['id']}"))
            assert set(re.findall(r'data-fw="([\w-]+)"', body)) == {a["id"], b["id"]}
            assert "<h1" in body and f"{html.escape(a['name'])} vs {html.escape(b['name'])}" in body
            others = {fw["id"] for fw in fws} - {a["id"], b["id"]}
            # Besides the two, only what either is built on, where an aspect comes from it.
            bases = {fw["built_on"]["framework"] for fw in (a, b) if "built_on" in fw}
            linked = set(re.findall(r'frameworks/([\w-]+)/"', body))
            assert {a["id"], b["id"]} <= linked <= {a["id"], b["id"]} | bases, (
                f"{a['id']} vs {b['id']} links {(linked & others) - bases}"
            )


def test_pair_pages_without_benchmark_data_say_not_measured(many_frameworks_site: Build) -> None:
    added = next(fw["id"] for fw in frameworks(many_frameworks_site) if fw["id"].startswith("synthetic-"))
    body = article(page(many_frameworks_site, f"compare/flask-vs-{added}"))
    assert f"Not measured: the run has no default configuration of {added}" in body
    measured = article(page(many_frameworks_site, "compare/flask-vs-fastapi"))
    assert "not measured" not in measured.lower() and "÷" in measured


class NavLists(HTMLParser):
    """The number of items each list of the primary nav holds directly."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[int] = []  # per open <ul>: its own <li> count
        self.counts: list[int] = []
        self.in_nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "nav" and "md-nav--primary" in classes:
            self.in_nav += 1
        elif self.in_nav and tag == "ul":
            self.stack.append(0)
        elif self.in_nav and tag == "li" and self.stack:
            self.stack[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.in_nav and tag == "ul" and self.stack:
            self.counts.append(self.stack.pop())
        elif tag == "nav" and self.in_nav and not self.stack:
            self.in_nav -= 1


def test_no_level_of_the_nav_lists_more_than_a_dozen(many_frameworks_site: Build) -> None:
    for path in ("", "compare/flask-vs-django", "frameworks/synthetic-12"):
        parser = NavLists()
        parser.feed(page(many_frameworks_site, path))
        assert parser.counts, "the page has a primary nav"
        assert max(parser.counts) <= 12, (path, sorted(parser.counts))


def test_the_chooser_ranks_all_twelve(many_frameworks_site: Build) -> None:
    text = page(many_frameworks_site, "chooser")
    match = re.search(r'data-chooser="([^"]+)"', text)
    assert match, "the chooser carries its data in an attribute"
    data = json.loads(html.unescape(match[1]))
    assert len(data["frameworks"]) == MANY_FRAMEWORKS


def test_the_home_page_shows_only_the_featured_frameworks(many_frameworks_site: Build) -> None:
    fws = frameworks(many_frameworks_site)
    featured = {fw["id"] for fw in fws if fw.get("featured")}
    body = article(page(many_frameworks_site, ""))
    assert featured and set(re.findall(r'data-fw="([\w-]+)"', body)) == featured
    assert "comparison/" in body
