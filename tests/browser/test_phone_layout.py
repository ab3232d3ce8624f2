"""On a phone: the drawer opens, wide tables scroll inside their box, and no page scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_support import DESKTOP, PHONE, Browsing, expected_page_urls
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE_OPTIONS = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def test_navigation_drawer_opens_and_navigates(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page(**PHONE_OPTIONS)
    link = page.locator(".md-sidebar--primary a.md-nav__link[href$='comparison/']")
    expect(link).to_be_hidden()

    page.get_by_role("button", name="Navigation").click()
    expect(link).to_be_visible()
    # The drawer slides in: wait until the link is fully on screen.
    page.wait_for_function(
        "link => { const r = link.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth }",
        arg=link.element_handle(),
    )
    link.click()
    expect(page).to_have_url(re.compile(re.escape(site_url) + r"comparison/(#[\w-]*)?$"))


def test_comparison_table_scrolls_inside_its_box_with_the_first_column_in_view(open_page: Callable[..., Page]) -> None:
    page = open_page("comparison/", **PHONE_OPTIONS)
    box = page.locator(".fw-scroll:has(> table.fw-table)").first
    box.scroll_into_view_if_needed()
    first_row = box.locator("tbody tr").first
    label = first_row.locator("th")
    last_cell = first_row.locator("td").last
    before = label.bounding_box()
    assert before is not None

    scrolled = box.evaluate("b => { b.scrollLeft = b.scrollWidth; return b.scrollLeft }")
    assert scrolled > 0, "the table fits a phone screen, so it cannot show sideways scrolling"

    after, last = label.bounding_box(), last_cell.bounding_box()
    assert after is not None and last is not None
    assert after["x"] == pytest.approx(before["x"], abs=1), "the first column moved: it is not sticky"
    assert after["x"] >= 0 and after["x"] + after["width"] <= PHONE["width"]
    # The far column has scrolled into the box, beside the pinned first column.
    assert last["x"] >= after["x"] + after["width"] - 1
    assert last["x"] + last["width"] <= PHONE["width"] + 1

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("path", expected_page_urls(), ids=lambda p: p or "home")
def test_no_page_scrolls_sideways_on_a_phone(open_page: Callable[..., Page], path: str) -> None:
    page = open_page(path, search_index=False, **PHONE_OPTIONS)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.evaluate("window.scrollTo(10000, 0)")
    assert page.evaluate("window.scrollX") == 0
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


LAYOUT_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__layoutShifts.push({
      value: entry.value,
      moved: entry.sources.map(source => source.node ? source.node.className || source.node.nodeName : "?"),
    });
  }
}).observe({type: "layout-shift", buffered: true});
"""


def test_scroll_hint_shows_above_a_wide_table_without_moving_anything(browsing: Browsing) -> None:
    context = browsing.context(**PHONE_OPTIONS)
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    page.goto(browsing.site_url + "comparison/")
    box = page.locator(".fw-scroll").first
    hint = page.locator(".fw-scroll-hint").first
    expect(hint).to_be_visible()
    page.wait_for_timeout(500)  # let any late shift be reported
    assert page.evaluate("window.__layoutShifts") == []

    # The hint sits in the gap between the text above and the table, overlapping neither.
    above = box.locator("xpath=ancestor::div[contains(@class, 'fw-scroll-frame')]/preceding-sibling::*[1]")
    hint_box, table_box, text_box = hint.bounding_box(), box.bounding_box(), above.bounding_box()
    assert hint_box is not None and table_box is not None and text_box is not None
    assert text_box["y"] + text_box["height"] <= hint_box["y"]
    assert hint_box["y"] + hint_box["height"] <= table_box["y"]
    assert hint_box["x"] + hint_box["width"] <= PHONE["width"]

    # Hiding it, as on a wide screen, leaves the table where it was.
    page.evaluate("hint => { hint.hidden = true }", hint.element_handle())
    expect(hint).to_be_hidden()
    moved = box.bounding_box()
    assert moved is not None and moved["y"] == pytest.approx(table_box["y"], abs=0.5)


@pytest.mark.parametrize("path", ["", "comparison/"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_comparison_columns_do_not_depend_on_the_rows_below(
    open_page: Callable[..., Page], path: str, viewport: dict[str, int]
) -> None:
    # While a slow load parses the table, the browser can paint its first rows. If the
    # columns' widths depended on later rows, those cells would then move sideways.
    page = open_page(path, viewport=viewport)
    widths = "[...document.querySelector('table.fw-table').rows[0].cells].map(c => c.getBoundingClientRect().width)"
    full = page.evaluate(widths)
    page.evaluate("document.querySelectorAll('table.fw-table tbody tr:not(:first-child)').forEach(r => r.remove())")
    assert page.evaluate(widths) == pytest.approx(full, abs=0.5)
    # On a phone the table is still wider than the screen, and scrolls in its box.
    if viewport == PHONE:
        assert sum(full) > viewport["width"]
