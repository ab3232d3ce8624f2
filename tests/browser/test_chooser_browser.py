"""The chooser in a real browser: its rules, its ranking, its URL state, its fallback."""

from __future__ import annotations

import functools
import html as htmllib
import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_support import Browsing
from playwright.sync_api import Page, Route, expect

from tests.conftest import ROOT, run_build
from tests.test_site import add_fourth_framework

CASES = json.loads((ROOT / "tests" / "chooser_cases.json").read_text(encoding="utf-8"))


def tick(page: Page, need: str, importance: str) -> None:
    """Mark a need as `must` or `nice`, as a reader would, by its label."""
    page.locator(
        f'fieldset[data-need="{need}"] label', has_text="Must have" if importance == "must" else "Nice to have"
    ).click()


def ranking(page: Page) -> list[str]:
    """The framework ids in ranked order, as shown."""
    return page.locator("#fw-chooser-ranking > li").evaluate_all("items => items.map(i => i.dataset.framework)")


def test_browser_rules_match_the_shared_cases(open_page: Callable[..., Page]) -> None:
    page = open_page("chooser/")
    for case in CASES["cases"]:
        result = page.evaluate(
            "([data, selection]) => window.fwChooser.score(data, selection)", [CASES["data"], case["selection"]]
        )
        shown = [[r["id"], r["rank"], r["score"], r["misses"]] for r in result["ranking"]]
        assert shown == case["ranking"], case["name"]
        assert result["none_meet_musts"] is case["none_meet_musts"], case["name"]


@pytest.mark.parametrize(
    ("selection", "first"),
    [
        ({"admin": "must"}, "django"),
        ({"api-docs": "nice", "async": "nice"}, "fastapi"),
        ({"minimal": "nice", "freedom": "nice"}, "flask"),
    ],
    ids=["admin-ranks-django", "docs-and-async-rank-fastapi", "minimal-and-freedom-rank-flask"],
)
def test_ticking_needs_ranks_the_right_framework_first(
    open_page: Callable[..., Page], selection: dict, first: str
) -> None:
    page = open_page("chooser/")
    expect(page.locator("#fw-chooser")).to_be_visible()
    for need, importance in selection.items():
        tick(page, need, importance)
    assert ranking(page)[0] == first
    status = page.locator("#fw-chooser-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("Best match: ")
    # The explanation says how the top framework meets each ticked need, with links to back it.
    top = page.locator("#fw-chooser-ranking > li").first
    for need in selection:
        label = page.locator(f'fieldset[data-need="{need}"] legend').inner_text()
        expect(top).to_contain_text(label + ": ")
    assert top.locator('a[href*="comparison/#aspect-"]').count() >= 1


MUSTS = ("admin", "minimal", "concurrency")


def without_a_match(html: str) -> str:
    """The chooser page with its data edited so that no framework meets every one of MUSTS.

    In the real data one framework meets them all, at least in part; the page must still say
    so when none does, as it will once a contributor's data says it."""
    match = re.search(r'data-chooser="([^"]*)"', html)
    assert match, "the chooser carries its data in an attribute"
    data = json.loads(htmllib.unescape(match[1]))
    needs = {need["id"]: need["support"] for need in data["needs"]}
    meets_all = [fw for fw in needs["admin"] if all(needs[n][fw]["level"] != "no" for n in MUSTS)]
    assert meets_all, "the real data has a framework that meets them all; if not, this edit is not needed"
    for fw in meets_all:
        needs["admin"][fw]["level"] = "no"
    edited = htmllib.escape(json.dumps(data), quote=True)
    return html[: match.start(1)] + edited + html[match.end(1) :]


def test_a_must_have_no_framework_meets_is_said(browsing: Browsing) -> None:
    page = browsing.context().new_page()

    def edit(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=without_a_match(response.text()))

    page.route("**/chooser/", edit)
    page.goto(browsing.site_url + "chooser/")
    for need in MUSTS:
        tick(page, need, "must")
    expect(page.locator("#fw-chooser-status")).to_contain_text("No framework meets every must have")
    shown = ranking(page)
    expect(page.locator("#fw-chooser-ranking > li.fw-choice--out")).to_have_count(len(shown))
    expect(page.locator("#fw-chooser-ranking > li").first).to_contain_text("ruled out")


def test_a_shared_url_restores_the_selection(open_page: Callable[..., Page], browsing: Browsing) -> None:
    page = open_page("chooser/")
    tick(page, "admin", "must")
    tick(page, "orm", "nice")
    shared = page.url
    assert "must=admin" in shared and "nice=orm" in shared
    again = browsing.context().new_page()
    again.goto(shared)
    expect(again.locator('fieldset[data-need="admin"] input[value="must"]')).to_be_checked()
    expect(again.locator('fieldset[data-need="orm"] input[value="nice"]')).to_be_checked()
    assert ranking(again) == ranking(page)


def test_the_chooser_works_after_instant_navigation(open_page: Callable[..., Page]) -> None:
    page = open_page("")
    page.locator(".md-nav a[href$='chooser/']").first.click()
    page.wait_for_url("**/chooser/")
    expect(page.locator("#fw-chooser")).to_be_visible()
    tick(page, "admin", "must")
    assert ranking(page)[0] == "django"
    # Away and back again: still one working chooser, not two.
    page.locator(".md-nav a[href$='comparison/']").first.click()
    page.wait_for_url("**/comparison/")
    page.go_back()
    page.wait_for_url("**/chooser/**")
    expect(page.locator("#fw-chooser")).to_be_visible()
    tick(page, "minimal", "nice")
    expect(page.locator("#fw-chooser-status")).to_contain_text("Best match")


def test_without_javascript_the_decision_lists_show(browsing: Browsing) -> None:
    page = browsing.context(java_script_enabled=False).new_page()
    page.goto(browsing.site_url + "chooser/")
    expect(page.locator("#fw-chooser")).to_be_hidden()
    fallback = page.locator("#fw-chooser-fallback")
    expect(fallback).to_be_visible()
    frameworks = json.loads(page.locator("#fw-chooser").get_attribute("data-chooser") or "{}")["frameworks"]
    expect(fallback.locator("h3")).to_have_count(len(frameworks))


def test_the_chooser_script_stays_off_other_pages(open_page: Callable[..., Page]) -> None:
    page = open_page("")
    assert page.locator('script[src$="chooser.js"]').count() == 0
    assert page.evaluate("typeof window.fwChooser") == "undefined"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves a built copy without logging each request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def fourth_site(tmp_path: Path) -> Iterator[str]:
    """A temp copy of the project with a fourth framework, built and served on 127.0.0.1."""
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "project")

    add_fourth_framework(project)
    build = run_build(project)
    assert build.returncode == 0, build.output
    handler = functools.partial(_QuietHandler, directory=str(build.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_fourth_framework_appears_in_the_chooser(browsing: Browsing, fourth_site: str) -> None:
    page = browsing.context().new_page()
    page.goto(fourth_site + "chooser/?nice=admin,minimal")
    assert "quartz" in ranking(page)
    assert ranking(page)[0] == "quartz"
    expect(page.locator('#fw-chooser-ranking > li[data-framework="quartz"] h3')).to_contain_text("Quartz")
