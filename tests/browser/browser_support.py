"""What the browser tests know about the site, computed from its sources and its build."""

from __future__ import annotations

import functools
import json
import re
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Route

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DATA = ROOT / "data" / "frameworks.yml"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
SCREENSHOTS = ROOT / "test-output" / "screenshots"

# Lines that open and close a named section of an example file (pymdownx.snippets).
SECTION_START = re.compile(r"^\s*#\s*--8<--\s*\[start:(?P<name>[\w.-]+)\]\s*$")
SECTION_END = re.compile(r"^\s*#\s*--8<--\s*\[end:(?P<name>[\w.-]+)\]\s*$")


def data() -> dict[str, Any]:
    """The parsed data file."""
    loaded: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


def docs_page_urls() -> list[str]:
    """The site path of every Markdown page in docs/ (`""` for the home page)."""
    urls = []
    for source in sorted(DOCS.rglob("*.md")):
        parts = list(source.relative_to(DOCS).with_suffix("").parts)
        if parts[-1] in ("index", "README"):
            parts.pop()
        urls.append("".join(f"{part}/" for part in parts))
    return urls


def framework_page_urls() -> list[str]:
    """The site path of the page generated for each framework in the data."""
    return [f"frameworks/{fw['id']}/" for fw in data()["frameworks"]]


def pair_page_urls(frameworks: list[dict[str, Any]] | None = None) -> list[str]:
    """The site path of the page generated for each pair of frameworks, each pair in data order."""
    ids = [fw["id"] for fw in (frameworks if frameworks is not None else data()["frameworks"])]
    return [f"compare/{a}-vs-{b}/" for i, a in enumerate(ids) for b in ids[i + 1 :]]


def covering_pair_urls(frameworks: list[dict[str, Any]] | None = None) -> list[str]:
    """Pair pages in which every framework appears at least once: (1, 2), (3, 4), ... and, for an
    odd count, the last with the first. ⌈N / 2⌉ pages instead of N × (N − 1) / 2."""
    ids = [fw["id"] for fw in (frameworks if frameworks is not None else data()["frameworks"])]
    paired = ids + ids[:1] if len(ids) % 2 else ids
    chosen = {frozenset(paired[i : i + 2]) for i in range(0, len(paired) - 1, 2)}
    return [f"compare/{a}-vs-{b}/" for i, a in enumerate(ids) for b in ids[i + 1 :] if {a, b} in chosen]


def expected_page_urls() -> list[str]:
    """Every page the build should produce: the docs pages, one per framework and one per pair."""
    return docs_page_urls() + framework_page_urls() + pair_page_urls()


def representative_page_urls() -> list[str]:
    """Every page but most pair pages, for the costliest per-page checks (axe, the keyboard walk).

    Pair pages come from one template, and each shows cells, needs and code that the framework
    pages and the comparison page show too: the covering set puts every framework's column
    through the checks once. Every pair page is still loaded, link-checked and measured at
    phone width (test_pages_load, test_phone_layout)."""
    return docs_page_urls() + framework_page_urls() + covering_pair_urls()


def built_page_urls(site: Path) -> list[str]:
    """Every page of a built site: each index.html outside assets/ (404.html is no index.html)."""
    urls = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site)
        if relative.parts[:1] == ("assets",):
            continue
        urls.append("".join(f"{part}/" for part in relative.parts))
    return urls


def snippet_section(ref: str) -> str:
    """The text of `path:section` cut from the example file itself, as the reader should copy it."""
    path, _, name = ref.partition(":")
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    inside, picked = False, []
    for line in lines:
        start, end = SECTION_START.match(line), SECTION_END.match(line)
        if start and start["name"] == name:
            inside = True
        elif end and end["name"] == name:
            break
        elif inside and not start and not end:
            # Markers of other, nested sections are not part of the copied code.
            picked.append(line)
    else:
        raise AssertionError(f"{path} has no complete section {name!r}")
    # A code block does not keep the blank lines around a section.
    return "\n".join(picked).strip("\n")


class _IdCollector(HTMLParser):
    """Collects every id (and legacy a[name]) a fragment can point to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (tag == "a" and key == "name")):
                self.ids.add(value)


def fragment_targets(html: str) -> set[str]:
    """The ids of an HTML document."""
    collector = _IdCollector()
    collector.feed(html)
    return collector.ids


# Any URL that is not on the test server, nor inline (data:, blob:, about:); same rule as is_local.
FOREIGN_URL = re.compile(r"^(?!(?:https?://127\.0\.0\.1(?::\d+)?(?:/|$)|data:|blob:|about:))")


def is_local(url: str) -> bool:
    """Whether a request stays on this machine's test server (or never leaves the page)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == "127.0.0.1"


@dataclass
class Guard:
    """What the pages of one test did that no page of the site may do."""

    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        """Block and record requests to other hosts; record console errors of every page."""

        def on_request(request: Request) -> None:
            if not is_local(request.url):
                self.foreign_requests.append(f"{request.method} {request.url}")

        def block(route: Route) -> None:
            route.abort("blockedbyclient")

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url", "")
                self.console_errors.append(f"{message.text} ({where})" if where else message.text)

        def on_page(page: Page) -> None:
            page.on("console", on_console)
            page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

        context.on("request", on_request)
        context.on("page", on_page)
        # A pattern, not a Python predicate: the driver matches it without a round trip per request.
        context.route(FOREIGN_URL, block)

    def problems(self) -> list[str]:
        """Everything recorded, one line each."""
        return [f"request to another host: {r}" for r in self.foreign_requests] + [
            f"console error: {e}" for e in self.console_errors
        ]


SEARCH_INDEX = "**/search/search_index.json"


@functools.cache
def _index_without_documents(url: str) -> str:
    """The search index at `url` with its documents left out, read once per served site."""
    with urllib.request.urlopen(url, timeout=10) as response:
        index = json.load(response)
    return json.dumps({**index, "docs": []})


def _without_documents(route: Route) -> None:
    """Answer with the site's own search index, its documents left out."""
    route.fulfill(body=_index_without_documents(route.request.url), content_type="application/json")


@dataclass
class Browsing:
    """Opens guarded pages of the served site for one test."""

    browser: Browser
    site_url: str
    guard: Guard = field(default_factory=Guard)
    contexts: list[BrowserContext] = field(default_factory=list)

    def context(self, search_index: bool = True, **options: Any) -> BrowserContext:
        """A fresh, guarded browser context (desktop size unless told otherwise).

        `search_index=False`: the search index is served with its configuration but no
        document, for tests that walk many pages and look at none of the search: each page
        load would otherwise have the search worker index every page of the site again.
        """
        options.setdefault("viewport", DESKTOP)
        context = self.browser.new_context(base_url=self.site_url, **options)
        context.set_default_timeout(10_000)
        self.guard.watch(context)
        if not search_index:
            context.route(SEARCH_INDEX, _without_documents)
        self.contexts.append(context)
        return context

    def open(self, path: str = "", search_index: bool = True, **options: Any) -> Page:
        """A new page in a fresh context, loaded at a site path such as `comparison/`."""
        page = self.context(search_index, **options).new_page()
        page.goto(self.site_url + path)
        return page

    def close(self) -> None:
        """Close every context this test opened."""
        for context in self.contexts:
            # A route still answering when the test ends (the search index) must not fail it.
            context.unroute_all(behavior="ignoreErrors")
            context.close()


def mark_document(page: Page) -> None:
    """Mark the loaded document, so a test can tell instant navigation (the mark stays) from a reload.

    Material's instant navigation handles only links to pages its sitemap lists, and it
    fetches the sitemap after the page loads: a click before that reloads the page.
    """
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")
