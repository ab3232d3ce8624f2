"""The copy button of a code block copies exactly the snippet of the example file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browser_support import data, snippet_section
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FRAMEWORKS = data()["frameworks"]
# A framework page shows the code of the first example task.
FIRST_TASK = data()["tasks"][0]["id"]


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda fw: fw["id"])
def test_copy_button_copies_the_example_snippet(open_page: Callable[..., Page], framework: dict[str, Any]) -> None:
    refs = framework["example"]["snippets"].get(FIRST_TASK, [])
    if not refs:
        pytest.skip(f"{framework['id']} has no example for the task {FIRST_TASK!r}")
    page = open_page(f"frameworks/{framework['id']}/", permissions=["clipboard-read", "clipboard-write"])
    blocks = page.locator("article .highlight:has(> .filename)")
    expect(blocks).to_have_count(len(refs))

    for index, ref in enumerate(refs):
        block = blocks.nth(index)
        expect(block.locator(".filename")).to_have_text(ref.partition(":")[0])
        block.hover()
        block.locator("button[data-md-type='copy']").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.rstrip("\n") == snippet_section(ref), f"the copy button of {ref} copied something else"
