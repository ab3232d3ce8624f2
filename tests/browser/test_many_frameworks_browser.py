"""The 12-framework site in Chromium: no page scrolls sideways at 360 px, axe finds nothing, the chooser ranks 12.

The site is the temp copy that tests/conftest.py grows to 12 frameworks and builds once
(`many_frameworks_site`); it is served here on a port of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import Browsing, built_page_urls
from conftest import guarded_browsing, serve_site
from playwright.sync_api import Browser, Page, expect
from test_accessibility import describe, violations

from tests.conftest import MANY_FRAMEWORKS, Build

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
AXE = Axe()


@pytest.fixture(scope="module")
def many_url(many_frameworks_site: Build) -> Iterator[str]:
    with serve_site(many_frameworks_site.site) as url:
        yield url


@pytest.fixture
def many(browser: Browser, many_url: str) -> Iterator[Browsing]:
    """Guarded pages of the 12-framework site; a foreign request or a console error fails the test."""
    yield from guarded_browsing(browser, many_url)


def test_no_page_scrolls_sideways_at_360_px(many: Browsing, many_frameworks_site: Build) -> None:
    pages = built_page_urls(many_frameworks_site.site)
    assert len(pages) > MANY_FRAMEWORKS * (MANY_FRAMEWORKS - 1) // 2
    page = many.open("", viewport=NARROW, search_index=False)
    too_wide = []
    for path in pages:
        page.goto(many.site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            too_wide.append(f"{path or 'home'}: {width}px")
    assert too_wide == []


# One page of each kind the 12 frameworks change: the tables, the chooser, the tabs, the lists and the pair pages.
AXE_PAGES = [
    "",
    "comparison/",
    "chooser/",
    "same-api/",
    "frameworks/",
    "frameworks/synthetic-12/",
    "compare/",
    "compare/flask-vs-fastapi/",
    "compare/synthetic-11-vs-synthetic-12/",
]


@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: p or "home")
def test_axe_finds_no_violations_with_twelve_frameworks(many: Browsing, path: str) -> None:
    page = many.open(path)
    page.evaluate(AXE.axe_script)
    found = describe(violations(page))
    page.set_viewport_size(NARROW)
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    found += [f"360 px: {line}" for line in describe(violations(page))]
    assert found == [], "\n" + "\n".join(found)


def ranking(page: Page) -> list[str]:
    return page.locator("#fw-chooser-ranking > li").evaluate_all("items => items.map(i => i.dataset.framework)")


def test_the_chooser_ranks_all_twelve_on_a_phone(many: Browsing) -> None:
    page = many.open("chooser/", viewport=NARROW)
    expect(page.locator("#fw-chooser")).to_be_visible()
    page.locator('fieldset[data-need="admin"] label', has_text="Must have").click()
    ranked = ranking(page)
    assert len(ranked) == MANY_FRAMEWORKS and len(set(ranked)) == MANY_FRAMEWORKS
    top = page.locator("#fw-chooser-ranking > li").first
    expect(top).to_be_visible()
    box = top.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
