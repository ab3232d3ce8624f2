"""Site search: typed queries find the framework they describe, and the hit is highlighted there."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


# Each framework page carries its `search_terms` from the data as Material tags,
# which the search weighs far above headings and text.
QUERIES = [
    pytest.param("admin panel", "frameworks/django/", id="admin-panel-django"),
    pytest.param("micro-framework", "frameworks/flask/", id="micro-framework-flask"),
    # Litestar's former name finds it.
    pytest.param("starlite", "frameworks/litestar/", id="starlite-litestar"),
    pytest.param("async flask", "frameworks/quart/", id="async-flask-quart"),
    pytest.param("toolkit", "frameworks/starlette/", id="toolkit-starlette"),
    # A pair page carries its title both ways round as tags.
    pytest.param("flask vs django", "compare/flask-vs-django/", id="flask-vs-django"),
    pytest.param("fastapi vs flask", "compare/flask-vs-fastapi/", id="fastapi-vs-flask"),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_search_ranks_the_framework_first_and_highlights_it(
    open_page: Callable[..., Page], site_url: str, site_dir: Path, query: str, expected: str
) -> None:
    page = open_page()
    field = page.locator(".md-search__input")
    field.click()
    # Material searches on keyup, so type key by key rather than filling the field.
    field.press_sequentially(query, delay=20)

    # The words the search splits the query into, by the separator the built index gives it.
    separator = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["config"][
        "separator"
    ]
    terms = [term.lower() for term in re.split(separator, query) if term]
    first = page.locator(".md-search-result__item > a.md-search-result__link").first
    # A result carries the query terms it matched (search.highlight), so this waits
    # for the results of the whole query, not of a prefix typed on the way.
    expect(first).to_have_attribute(
        "href", re.compile(re.escape(site_url + expected) + r"\?h=" + re.escape(quote_plus(" ".join(terms))) + "$")
    )

    first.click()
    expect(page).to_have_url(re.compile(re.escape(site_url + expected)))
    marks = page.locator("article mark[data-md-highlight]")
    expect(marks.first).to_be_visible()
    highlighted = {text.lower() for text in marks.all_text_contents()}
    assert highlighted & set(terms), f"highlighted {sorted(highlighted)}, expected one of {terms}"


def test_a_term_two_frameworks_carry_lists_both_first(open_page: Callable[..., Page], site_url: str) -> None:
    """FastAPI and Django Ninja both tag Pydantic: the two framework pages lead, in either order."""
    page = open_page()
    field = page.locator(".md-search__input")
    field.click()
    field.press_sequentially("pydantic", delay=20)
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    expect(links.first).to_have_attribute("href", re.compile(r"\?h=pydantic$"))
    first_two = {
        re.sub(r"\?.*$", "", href.removeprefix(site_url))
        for href in links.evaluate_all("items => items.slice(0, 2).map(a => a.getAttribute('href'))")
    }
    assert first_two == {"frameworks/fastapi/", "frameworks/django-ninja/"}
