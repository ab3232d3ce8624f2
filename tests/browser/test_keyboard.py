"""Every page works from the keyboard alone: skip link, visible focus, tabs, tables, drawer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_support import PHONE, representative_page_urls
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MAX_TAB_STOPS = 250

# How the focused element shows its focus. Visually hidden inputs (the palette
# toggle, content tabs) show it on their label; the search field opens the search.
FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {where: "body"};
  let shown = element;
  if (element.matches("input.md-option")) {
    shown = element.nextElementSibling;
  } else if (element.matches(".tabbed-set > input")) {
    const set = element.parentElement;
    const index = [...set.querySelectorAll(":scope > input")].indexOf(element);
    shown = set.querySelectorAll(":scope > .tabbed-labels > label")[index];
  }
  const style = getComputedStyle(shown);
  const box = shown.getBoundingClientRect();
  const accent = document.createElement("span");
  accent.style.color = "var(--md-accent-fg-color)";
  shown.parentElement.append(accent);
  const accentColor = getComputedStyle(accent).color;
  accent.remove();
  let opaque = true;
  for (let node = shown; node instanceof Element; node = node.parentElement) {
    if (getComputedStyle(node).opacity === "0") opaque = false;
  }
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none"
    || (shown !== element && style.color === accentColor)
    || (element.matches(".md-search__input") && document.getElementById("__search").checked);
  const where = element.outerHTML.slice(0, 120);
  return {
    where, ring, opaque,
    visible: style.visibility === "visible" && box.width > 0 && box.height > 0,
    inView: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def shows_focus(stop: dict[str, Any]) -> bool:
    """Whether a tab stop, as FOCUS_SHOWN describes it, visibly has the focus."""
    return bool(stop["ring"] and stop["opaque"] and stop["visible"] and stop["inView"])


def tab_stops(page: Page) -> list[dict[str, Any]]:
    """Press Tab until focus leaves the page; describe how each stop shows its focus."""
    stops: list[dict[str, Any]] = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_SHOWN)
        if stop["where"] == "body" or (stops and stop["where"] == stops[0]["where"]):
            return stops
        if not shows_focus(stop):
            # Some widgets react to focus a moment later (the search field opens the search).
            page.wait_for_timeout(200)
            stop = page.evaluate(FOCUS_SHOWN)
        stops.append(stop)
    raise AssertionError(f"focus did not leave the page after {MAX_TAB_STOPS} tab stops")


@pytest.mark.parametrize("path", representative_page_urls(), ids=lambda p: p or "home")
def test_skip_link_and_visible_focus(open_page: Callable[..., Page], path: str) -> None:
    page = open_page(path)
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_css("opacity", "1")
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator(".md-content :focus")).to_have_count(1)
    expect(page.locator(".md-content :focus")).to_be_in_viewport()

    page.reload()
    # Judge each stop in its final state, not halfway through a fade-in.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important }")
    stops = tab_stops(page)
    assert len(stops) > 5
    hidden = [stop["where"] for stop in stops if not shows_focus(stop)]
    assert hidden == [], "focus is not visible on:\n" + "\n".join(hidden)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_content_tabs_work_from_the_keyboard(open_page: Callable[..., Page]) -> None:
    page = open_page("same-api/")
    tab_to(page, ".tabbed-set > input")
    tab_set = page.locator(".tabbed-set:has(> input:focus)")
    inputs, blocks = tab_set.locator(":scope > input"), tab_set.locator(".tabbed-block")
    expect(inputs.nth(0)).to_be_checked()
    expect(blocks.nth(0)).to_be_visible()

    page.keyboard.press("ArrowRight")
    expect(inputs.nth(1)).to_be_focused()
    expect(inputs.nth(1)).to_be_checked()
    expect(blocks.nth(1)).to_be_visible()
    expect(blocks.nth(0)).to_be_hidden()


def test_table_container_scrolls_from_the_keyboard(open_page: Callable[..., Page]) -> None:
    page = open_page("comparison/", viewport=PHONE, is_mobile=True)
    tab_to(page, ".fw-scroll")
    box = page.locator(".fw-scroll:focus")
    expect(box).to_have_attribute("role", "region")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")


def test_drawer_opens_and_closes_from_the_keyboard(open_page: Callable[..., Page]) -> None:
    page = open_page(viewport=PHONE, is_mobile=True)
    button = page.get_by_role("button", name="Navigation")
    tab_to(page, ".md-header .fw-drawer-button")
    expect(button).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    focused = page.locator(".md-sidebar--primary a:focus")
    expect(focused).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(".md-sidebar--primary :focus")).to_be_in_viewport()

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(page.locator(".md-sidebar--primary a.md-nav__link").first).to_be_hidden()
