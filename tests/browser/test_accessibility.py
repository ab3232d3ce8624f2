"""axe-core finds no violation on any page, in the light and the dark scheme, on a desktop and a phone."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import PHONE, Browsing, representative_page_urls
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE = Axe()
# The palette follows the system preference until a reader picks one.
SCHEMES = {"light": "default", "dark": "slate"}


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (axe must be injected already)."""
    found: list[dict[str, Any]] = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    return found


def describe(results: list[dict[str, Any]]) -> list[str]:
    """One line per violation and element, with axe's own summary of the fix."""
    lines = []
    for violation in results:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['id']} ({violation['impact']}) at {node['target']}: {summary}")
    return lines


@pytest.mark.parametrize("path", representative_page_urls(), ids=lambda p: p or "home")
def test_axe_finds_no_violations(browsing: Browsing, path: str) -> None:
    page = browsing.open(path)
    # The bundled axe-core, injected once and run three times (AXE.run injects it each time).
    page.evaluate(AXE.axe_script)
    found = []
    for preference, scheme in SCHEMES.items():
        page.emulate_media(color_scheme=preference)  # type: ignore[arg-type]
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        found += [f"{preference}: {line}" for line in describe(violations(page))]
    # A phone gets the drawer button and the search overlay instead of the sidebars.
    page.set_viewport_size(PHONE)
    # The sidebar becomes the closed drawer once its slide-out transition ends.
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    found += [f"{preference}, phone: {line}" for line in describe(violations(page))]
    assert found == [], "\n" + "\n".join(found)
