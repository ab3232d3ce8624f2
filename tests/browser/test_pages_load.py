"""Every page of the built site loads cleanly, stays on this host, and links only to what exists."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from browser_support import (
    Browsing,
    built_page_urls,
    covering_pair_urls,
    docs_page_urls,
    expected_page_urls,
    fragment_targets,
    framework_page_urls,
    pair_page_urls,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PAGES = expected_page_urls()


def test_the_build_has_one_page_per_doc_per_framework_and_per_pair(site_dir: Path) -> None:
    built = built_page_urls(site_dir)
    n = len(framework_page_urls())
    assert len(pair_page_urls()) == n * (n - 1) // 2
    assert len(built) == len(docs_page_urls()) + n + n * (n - 1) // 2
    assert sorted(built) == sorted(PAGES)


@pytest.mark.parametrize("count", [1, 2, 7, 12])
def test_the_covering_pairs_hold_every_framework_in_half_as_many_pages(count: int) -> None:
    frameworks = [{"id": f"fw{k}"} for k in range(count)]
    covering = covering_pair_urls(frameworks)
    assert set(covering) <= set(pair_page_urls(frameworks))
    if count == 1:
        assert covering == [], "one framework has no pair"
        return
    assert len(covering) == (count + 1) // 2
    shown = {part for url in covering for part in url.removeprefix("compare/").rstrip("/").split("-vs-")}
    assert shown == {fw["id"] for fw in frameworks}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_page_loads_without_errors_or_foreign_requests(browsing: Browsing, path: str) -> None:
    page = browsing.open(path)
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").count() == 1
    # Checked here as well as after every browser test, so a failure names the page.
    assert browsing.guard.foreign_requests == []
    assert browsing.guard.console_errors == []


def fetch(url: str) -> tuple[int, str, str]:
    """Status, final URL after redirects, and text if HTML, of a GET on the test server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            is_html = "html" in response.headers.get("Content-Type", "")
            return response.status, response.url, response.read().decode("utf-8") if is_html else ""
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, url, ""


def _internal_links(page: Page, origin: str) -> set[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    return {href for href in hrefs if href.startswith(origin)}


def test_every_internal_link_resolves(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page(search_index=False)
    links: set[str] = set()
    for path in PAGES:
        page.goto(site_url + path)
        links |= _internal_links(page, site_url)
    assert len(links) > len(PAGES)

    targets: dict[str, set[str] | None] = {}
    broken = []
    for link in sorted(links):
        url, fragment = urldefrag(link)
        if url not in targets:
            status, final_url, html = fetch(url)
            ok = status == 200 and final_url.rstrip("/") == url.rstrip("/")
            targets[url] = fragment_targets(html) if ok else None
            if not ok:
                broken.append(f"{urlsplit(url).path}: HTTP {status} (ended at {final_url})")
        ids = targets[url]
        if fragment and ids is not None and fragment not in ids:
            broken.append(f"{urlsplit(url).path}#{fragment}: no element with that id")
    assert broken == []


def test_the_guard_blocks_and_reports_a_request_to_another_host(browsing: Browsing) -> None:
    page = browsing.open()
    outcome = page.evaluate("fetch('https://cdn.example.org/x.js').then(() => 'loaded', () => 'blocked')")
    assert outcome == "blocked"
    assert browsing.guard.foreign_requests == ["GET https://cdn.example.org/x.js"]
    # Handled here: the blocked request is this test's own doing.
    browsing.guard.foreign_requests.clear()
    browsing.guard.console_errors.clear()


def test_a_walk_without_the_search_index_gets_its_configuration_and_no_document(
    browsing: Browsing, site_dir: Path
) -> None:
    """What the page walks above are served instead of the search index (search_index=False)."""
    page = browsing.open("comparison/", search_index=False)
    served = page.evaluate("fetch('/search/search_index.json').then(response => response.json())")
    built = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert built["docs"], "the built index has documents, so leaving them out shows"
    assert served == {**built, "docs": []}
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("flask")
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
