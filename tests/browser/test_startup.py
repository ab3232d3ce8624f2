"""Material's start-up does not restyle the whole page for changes made while it is parsed.

While the page is parsed, overrides/main.html sets what Material's bundle would
otherwise change on a page already styled: the root's js and js-focus-visible
classes, absolute stylesheet addresses (instant navigation's rewrite) and the
palette's switching mark on <body>. Each, changed from the bundle, invalidates
every element, so these tests read Chromium's own trace of the bundle's
evaluation: what it invalidated and what it parsed. The trace records causes,
not times, so the tests do not depend on how fast this machine is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from browser_support import Browsing, mark_document
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# The results page: the largest, so the one where a restyle of every element costs most.
PAGE = "performance/"
SETTLED = "!document.body.hasAttribute('data-md-color-switching')"


def bundle_trace(browsing: Browsing, browser: Any, path: str = PAGE) -> list[dict[str, Any]]:
    """The trace events recorded while Material's bundle was first evaluated on a page."""
    page = browsing.context().new_page()
    browser.start_tracing(
        page=page,
        categories=["devtools.timeline", "disabled-by-default-devtools.timeline.invalidationTracking"],
    )
    page.goto(browsing.site_url + path)
    page.wait_for_function(SETTLED)
    events: list[dict[str, Any]] = json.loads(browser.stop_tracing())["traceEvents"]
    bundles = [
        e
        for e in events
        if e.get("name") == "EvaluateScript"
        and "/assets/javascripts/bundle." in e.get("args", {}).get("data", {}).get("url", "")
    ]
    assert len(bundles) == 1, f"expected one evaluation of Material's bundle, found {len(bundles)}"
    start, end = bundles[0]["ts"], bundles[0]["ts"] + bundles[0]["dur"]
    return [e for e in events if start <= e.get("ts", -1) <= end]


def whole_page_invalidations(events: list[dict[str, Any]]) -> list[str]:
    """Each change in the events that Chromium answered by invalidating an element's whole subtree."""
    found = []
    for event in events:
        data = event.get("args", {}).get("data", {})
        if event.get("name") == "StyleInvalidatorInvalidationTracking" and data.get("reason", "").endswith(
            "invalidates subtree"
        ):
            selectors = ", ".join(s["selector"] for s in data.get("selectors", [])[:2])
            found.append(f"{data.get('nodeName')}: {selectors}")
    return found


def test_the_bundle_does_not_reparse_the_stylesheets(browsing: Browsing, browser: Any) -> None:
    events = bundle_trace(browsing, browser)
    reparsed = [e["args"]["data"].get("styleSheetUrl") for e in events if e.get("name") == "ParseAuthorStyleSheet"]
    assert reparsed == [], f"Material's start-up parsed stylesheets again: {reparsed}"


def test_the_bundle_does_not_invalidate_the_whole_page(browsing: Browsing, browser: Any) -> None:
    # Without the parse-time changes: html.no-js -> js, html.js-focus-visible, body[data-md-color-switching].
    assert whole_page_invalidations(bundle_trace(browsing, browser)) == []


def test_the_switching_mark_goes_and_transitions_come_back(open_page: Callable[..., Page]) -> None:
    page = open_page(PAGE)
    page.wait_for_function(SETTLED)
    assert page.evaluate("document.documentElement.className.split(' ').includes('js')")
    assert not page.evaluate("document.documentElement.classList.contains('no-js')")
    # Material's CSS stops every transition under the mark; with it gone, the header buttons' fade returns.
    duration = page.evaluate("getComputedStyle(document.querySelector('.md-header__button')).transitionDuration")
    assert duration == "0.25s", duration


def test_stylesheets_stay_single_and_absolute_through_instant_navigation(
    open_page: Callable[..., Page], site_url: str
) -> None:
    page = open_page()
    page.wait_for_function(SETTLED)
    sheets = "[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.getAttribute('href'))"
    first = page.evaluate(sheets)
    assert first and all(href.startswith(site_url) for href in first), first
    mark_document(page)
    page.locator("article a[href$='/comparison/']").first.click()
    expect(page).to_have_url(re.compile(re.escape(site_url) + r"comparison/(#[\w-]*)?$"))
    assert page.evaluate("window.__sameDocument === true"), "the link reloaded the page instead of instant navigation"
    # Instant navigation keeps head elements whose markup matches the new page's: no sheet twice, none lost.
    assert page.evaluate(sheets) == first
    expect(page.locator(".md-header")).to_have_css("position", "sticky")
