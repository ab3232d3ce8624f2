"""The palette toggle switches to the dark scheme, which survives instant navigation and reloads."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_support import mark_document
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SCHEME = "data-md-color-scheme"


def test_dark_mode_toggle_persists_across_navigation_and_reload(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page(color_scheme="light")
    body = page.locator("body")
    expect(body).to_have_attribute(SCHEME, "default")

    # The toggle cycles system preference -> light -> dark; its visible button changes each time.
    for _ in range(3):
        if body.get_attribute(SCHEME) == "slate":
            break
        before = page.locator("form[data-md-component='palette'] label:not([hidden])").get_attribute("for")
        page.locator("form[data-md-component='palette'] label:not([hidden])").click()
        expect(page.locator("form[data-md-component='palette'] label:not([hidden])")).not_to_have_attribute(
            "for", before or ""
        )
    expect(body).to_have_attribute(SCHEME, "slate")

    # A marker on window survives instant navigation, and only it.
    mark_document(page)
    page.locator(".md-sidebar--primary a.md-nav__link[href$='comparison/']").click()
    expect(page).to_have_url(re.compile(re.escape(site_url) + r"comparison/(#[\w-]*)?$"))
    assert page.evaluate("window.__sameDocument === true"), "the link reloaded the page instead of instant navigation"
    expect(body).to_have_attribute(SCHEME, "slate")

    page.reload()
    assert page.evaluate("window.__sameDocument === undefined")
    expect(body).to_have_attribute(SCHEME, "slate")
