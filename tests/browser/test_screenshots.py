"""Screenshots of the main pages, on a desktop and on a phone, for a person to look at.

They land in test-output/screenshots/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_support import DESKTOP, PHONE, SCREENSHOTS
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}
PAGES = {"home": "", "comparison": "comparison/"}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(open_page: Callable[..., Page], name: str, device: str) -> None:
    page = open_page(PAGES[name], color_scheme="light", **DEVICES[device])
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{device}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    assert path.stat().st_size > 0
