"""docs/assets/site.js runs on pages reached by instant navigation, not only on a first load."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_support import DESKTOP, PHONE, mark_document
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_table_scroll_hint_after_instant_navigation(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    mark_document(page)
    page.locator("article a[href$='/comparison/']").first.click()
    expect(page).to_have_url(re.compile(re.escape(site_url) + r"comparison/(#[\w-]*)?$"))
    assert page.evaluate("window.__sameDocument === true"), "the link reloaded the page instead of instant navigation"

    box = page.locator(".fw-scroll").first
    hint = page.locator(".fw-scroll + .fw-scroll-hint, .fw-scroll-hint:has(+ .fw-scroll)").first
    expect(box).to_have_attribute("data-overflow", "true")
    expect(hint).to_be_visible()
    expect(hint).to_have_text(re.compile("sideways"))

    # On a wide screen with two columns chosen the table fits, and the hint goes away.
    page.set_viewport_size(DESKTOP)
    boxes = page.locator("#fw-columns").get_by_role("checkbox")
    for index in range(2, boxes.count()):
        boxes.nth(index).uncheck()
    expect(box).to_have_attribute("data-overflow", "false")
    expect(hint).to_be_hidden()
    # A column back, on a phone: too wide again.
    boxes.nth(2).check()
    page.set_viewport_size(PHONE)
    expect(box).to_have_attribute("data-overflow", "true")
    expect(hint).to_be_visible()
