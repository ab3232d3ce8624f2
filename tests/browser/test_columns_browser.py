"""Choosing the comparison table's columns in a real browser: the table, the address, storage, and the pages that follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import PHONE, Browsing, data, mark_document
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FRAMEWORKS: list[dict[str, Any]] = data()["frameworks"]
FEATURED = [fw for fw in FRAMEWORKS if fw.get("featured")] or FRAMEWORKS
# Left out in most tests: a featured framework, so the home page has a column to leave out too.
OUT = FEATURED[1]
KEPT = [fw for fw in FRAMEWORKS if fw is not OUT]
VISIBLE = "cells => cells.filter(c => c.getClientRects().length > 0).map(c => c.dataset.fw)"


def box(page: Page, fw: dict[str, Any]) -> Any:
    """The checkbox of a framework, found by its label as a reader finds it."""
    return page.locator("#fw-columns").get_by_role("checkbox", name=fw["name"], exact=True)


def shown_columns(page: Page) -> list[str]:
    """The ids of the framework columns whose header cell is on screen, in column order."""
    ids: list[str] = page.locator("table[data-columns] thead th[data-fw]").evaluate_all(VISIBLE)
    return ids


def shown_cells(page: Page, fw: dict[str, Any]) -> int:
    """How many body cells of a framework's column are drawn."""
    return len(page.locator(f'table[data-columns] td[data-fw="{fw["id"]}"]').evaluate_all(VISIBLE))


def chosen_in(url: str) -> list[str] | None:
    """The ids of the address's `frameworks` parameter, or None without it."""
    values = parse_qs(urlsplit(url).query).get("frameworks")
    return values[0].split(",") if values else None


def ids(frameworks: list[dict[str, Any]]) -> list[str]:
    return [fw["id"] for fw in frameworks]


def remember(choice: str) -> str:
    """An init script that puts a choice in localStorage, as the comparison page does, before a page of the site loads."""
    return f"if (location.protocol === 'http:') localStorage.setItem('fw-columns', {choice!r})"


def leave_out(page: Page, fw: dict[str, Any]) -> None:
    """Untick one framework on the comparison page and wait for its column to go."""
    box(page, fw).uncheck()
    expect(page.locator(f'table[data-columns] th[data-fw="{fw["id"]}"]')).to_be_hidden()


def test_unticking_a_framework_removes_its_column_and_says_so(open_page: Callable[..., Page]) -> None:
    page = open_page("comparison/")
    controls = page.locator("#fw-columns")
    expect(controls).to_be_visible()
    expect(controls.locator("legend")).to_have_text("Frameworks in the table")
    assert shown_columns(page) == ids(FRAMEWORKS)
    for fw in FRAMEWORKS:
        expect(box(page, fw)).to_be_checked()

    leave_out(page, OUT)
    assert shown_columns(page) == ids(KEPT)
    assert shown_cells(page, OUT) == 0
    for fw in KEPT:
        assert shown_cells(page, fw) == len(data()["aspects"]), fw["id"]
    # The table keeps its header row and its row labels.
    expect(page.locator("table[data-columns] thead th").first).to_have_text("Aspect")
    expect(page.locator("table[data-columns] tbody th").first).to_be_visible()
    status = controls.locator("[role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(f"The table shows {len(KEPT)} of {len(FRAMEWORKS)} frameworks: " + prose(KEPT) + ".")
    assert chosen_in(page.url) == ids(KEPT)
    assert "frameworks=" + ",".join(ids(KEPT)) in page.url

    box(page, OUT).check()
    expect(page.locator(f'table[data-columns] th[data-fw="{OUT["id"]}"]')).to_be_visible()
    assert shown_columns(page) == ids(FRAMEWORKS)
    assert chosen_in(page.url) is None
    expect(status).to_have_text(f"The table shows all {len(FRAMEWORKS)} frameworks.")


def prose(frameworks: list[dict[str, Any]]) -> str:
    names = [fw["name"] for fw in frameworks]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def test_the_last_ticked_framework_stays_and_show_all_brings_the_rest_back(open_page: Callable[..., Page]) -> None:
    page = open_page("comparison/")
    *others, last = FRAMEWORKS
    for fw in others:
        leave_out(page, fw)
    box(page, last).click()
    expect(box(page, last)).to_be_checked()
    expect(page.locator("#fw-columns [role=status]")).to_contain_text("At least one framework stays in the table")
    assert shown_columns(page) == [last["id"]]
    assert chosen_in(page.url) == [last["id"]]

    page.locator("#fw-columns").get_by_role("button", name="Show all").click()
    expect(page.locator(f'table[data-columns] th[data-fw="{others[0]["id"]}"]')).to_be_visible()
    assert shown_columns(page) == ids(FRAMEWORKS)
    assert chosen_in(page.url) is None
    for fw in FRAMEWORKS:
        expect(box(page, fw)).to_be_checked()


def test_a_reload_keeps_the_choice(open_page: Callable[..., Page]) -> None:
    page = open_page("comparison/")
    leave_out(page, OUT)
    page.reload()
    expect(box(page, OUT)).not_to_be_checked()
    assert shown_columns(page) == ids(KEPT)
    assert shown_cells(page, OUT) == 0
    assert chosen_in(page.url) == ids(KEPT)


def test_a_shared_address_restores_the_choice_in_a_fresh_browser(
    open_page: Callable[..., Page], browsing: Browsing
) -> None:
    page = open_page("comparison/#aspect-" + data()["aspects"][0]["id"])
    leave_out(page, OUT)
    shared = page.url
    assert urlsplit(shared).fragment == "aspect-" + data()["aspects"][0]["id"]

    fresh = browsing.context().new_page()
    fresh.goto(shared)
    expect(box(fresh, OUT)).not_to_be_checked()
    assert shown_columns(fresh) == ids(KEPT)
    assert shown_cells(fresh, OUT) == 0
    # Unknown and repeated ids in an address are left out; the address is tidied to what is shown.
    fresh.goto(fresh.url.split("?")[0] + f"?frameworks=no-such-framework,{KEPT[0]['id']},{KEPT[0]['id']}")
    assert shown_columns(fresh) == [KEPT[0]["id"]]
    assert chosen_in(fresh.url) == [KEPT[0]["id"]]


def test_the_choice_survives_instant_navigation_away_and_back(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("comparison/")
    leave_out(page, OUT)
    mark_document(page)
    page.locator(".md-sidebar--primary a.md-nav__link[href$='when-to-choose/']").first.click()
    page.wait_for_url("**/when-to-choose/")
    page.locator(".md-sidebar--primary a.md-nav__link[href$='comparison/']").first.click()
    page.wait_for_url(re.compile(re.escape(site_url) + r"comparison/\?frameworks="))
    assert page.evaluate("window.__sameDocument === true"), "the links reloaded the page instead of instant navigation"
    expect(box(page, OUT)).not_to_be_checked()
    assert shown_columns(page) == ids(KEPT)
    assert chosen_in(page.url) == ids(KEPT)
    # Still one working set of controls, not two.
    expect(page.locator("#fw-columns")).to_have_count(1)
    box(page, OUT).check()
    expect(page.locator(f'table[data-columns] th[data-fw="{OUT["id"]}"]')).to_be_visible()
    assert chosen_in(page.url) is None
    expect(page.locator("#fw-columns [role=status]")).to_have_text(f"The table shows all {len(FRAMEWORKS)} frameworks.")


def test_the_controls_work_when_reached_by_instant_navigation(open_page: Callable[..., Page]) -> None:
    page = open_page("chooser/")
    assert page.evaluate("typeof window.fwColumns") == "undefined"
    mark_document(page)
    page.locator(".md-sidebar--primary a.md-nav__link[href$='comparison/']").first.click()
    page.wait_for_url("**/comparison/")
    expect(page.locator("#fw-columns")).to_be_visible()
    leave_out(page, OUT)
    assert chosen_in(page.url) == ids(KEPT)
    assert page.evaluate("window.__sameDocument === true")


def test_without_javascript_every_column_shows_and_no_control(browsing: Browsing) -> None:
    page = browsing.context(java_script_enabled=False).new_page()
    page.goto(browsing.site_url + "comparison/?frameworks=" + KEPT[0]["id"])
    expect(page.locator("#fw-columns")).to_be_hidden()
    assert shown_columns(page) == ids(FRAMEWORKS)
    for fw in FRAMEWORKS:
        assert shown_cells(page, fw) == len(data()["aspects"])
    page.goto(browsing.site_url)
    assert shown_columns(page) == ids(FEATURED)
    expect(page.locator(".fw-columns-note")).to_be_hidden()
    page.goto(browsing.site_url + "same-api/")
    labels = page.locator(".tabbed-set").first.locator(".tabbed-labels > label")
    expect(labels).to_have_count(len(FRAMEWORKS))
    for index in range(len(FRAMEWORKS)):
        expect(labels.nth(index)).to_be_visible()


def test_the_home_page_follows_the_choice_until_shown_all(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("comparison/")
    leave_out(page, OUT)
    page.goto(site_url)
    assert shown_columns(page) == [fw["id"] for fw in FEATURED if fw is not OUT]
    note = page.locator(".fw-columns-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text(f"{OUT['name']} is left out of the table below")
    expect(note.get_by_role("link", name="Change the choice")).to_have_attribute(
        "href", re.compile(re.escape(site_url + "comparison/?frameworks=" + ",".join(ids(KEPT))) + "$")
    )
    note.get_by_role("button", name="Show all frameworks").click()
    expect(page.locator(f'table[data-columns] th[data-fw="{OUT["id"]}"]')).to_be_visible()
    assert shown_columns(page) == ids(FEATURED)
    expect(note).to_have_text("Every framework is shown again, here and in the full comparison.")
    expect(note).to_be_focused()
    # Shown all here is shown all in the full comparison too.
    page.goto(site_url + "comparison/")
    assert shown_columns(page) == ids(FRAMEWORKS)
    assert chosen_in(page.url) is None


def test_the_same_api_tabs_follow_the_choice(open_page: Callable[..., Page], site_url: str) -> None:
    page = open_page("comparison/")
    leave_out(page, OUT)
    page.goto(site_url + "same-api/")
    note = page.locator(".fw-columns-note")
    expect(note).to_contain_text(f"{OUT['name']} is left out of the code tabs below")
    sets = page.locator(".md-content .tabbed-set")
    assert sets.count() >= len(data()["tasks"])
    for index in range(sets.count()):
        tab_set = sets.nth(index)
        shown = tab_set.locator(".tabbed-labels > label").evaluate_all(
            "labels => labels.filter(l => l.getClientRects().length > 0).map(l => l.textContent.trim())"
        )
        assert shown == [fw["name"] for fw in KEPT], index
        # The open tab is a kept framework's, and its code shows.
        open_label = tab_set.evaluate(
            "set => document.querySelector(`label[for='${set.querySelector(':scope > input:checked').id}']`).textContent.trim()"
        )
        assert open_label in {fw["name"] for fw in KEPT}
        expect(tab_set.locator(".tabbed-content > .tabbed-block:visible")).to_have_count(1)

    # From the keyboard too, the arrow keys go from tab to tab past the left-out ones.
    first_set = sets.first
    first_set.locator(":scope > input:checked").focus()
    seen = []
    for _ in KEPT:
        page.keyboard.press("ArrowRight")
        seen.append(
            page.evaluate("document.querySelector(`label[for='${document.activeElement.id}']`).textContent.trim()")
        )
    assert OUT["name"] not in seen and set(seen) == {fw["name"] for fw in KEPT}

    note.get_by_role("button", name="Show all frameworks").click()
    first = sets.first.locator(".tabbed-labels > label")
    for index in range(len(FRAMEWORKS)):
        expect(first.nth(index)).to_be_visible()
    first.nth(ids(FRAMEWORKS).index(OUT["id"])).click()
    expect(sets.first.locator(".tabbed-content > .tabbed-block:visible")).to_have_count(1)


def test_a_choice_of_frameworks_a_page_lacks_leaves_it_whole(browsing: Browsing) -> None:
    # A framework since dropped from the data, say: remembered, but on no page.
    context = browsing.context()
    context.add_init_script(remember("no-such-framework"))
    page = context.new_page()
    page.goto(browsing.site_url)
    assert shown_columns(page) == ids(FEATURED)
    note = page.locator(".fw-columns-note")
    expect(note).to_contain_text("None of the frameworks you chose in the full comparison is in the table below")
    expect(note.get_by_role("link", name="See your choice")).to_have_attribute(
        "href", re.compile(re.escape(browsing.site_url + "comparison/?frameworks=no-such-framework") + "$")
    )
    page.goto(browsing.site_url + "comparison/")
    assert shown_columns(page) == ids(FRAMEWORKS)


LAYOUT_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__layoutShifts.push(entry.value);
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("path", ["comparison/?frameworks=" + ",".join(ids(KEPT)), "comparison/", ""])
def test_the_controls_and_the_left_out_columns_move_nothing(browsing: Browsing, path: str) -> None:
    context = browsing.context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(LAYOUT_SHIFTS)
    context.add_init_script(remember(",".join(ids(KEPT))))
    page = context.new_page()
    page.goto(browsing.site_url + path)
    assert shown_columns(page) == ids([fw for fw in (FEATURED if path == "" else FRAMEWORKS) if fw is not OUT])
    page.wait_for_timeout(500)  # let any late shift be reported
    assert page.evaluate("window.__layoutShifts") == []


def test_on_a_phone_the_table_still_scrolls_in_its_box_with_the_first_column_pinned(
    open_page: Callable[..., Page],
) -> None:
    page = open_page("comparison/", viewport=PHONE, is_mobile=True, has_touch=True)
    leave_out(page, OUT)
    scroller = page.locator(".fw-scroll:has(> table[data-columns])")
    widths = page.locator("table[data-columns] thead th").evaluate_all(
        "cells => cells.filter(c => c.getClientRects().length > 0).map(c => c.getBoundingClientRect().width)"
    )
    # The left-out column takes no room: the columns shown keep their minimum width, and no more.
    assert len(widths) == len(KEPT) + 1
    table_width = page.locator("table[data-columns]").evaluate("t => t.getBoundingClientRect().width")
    assert sum(widths) == pytest.approx(table_width, abs=2)
    label = page.locator("table[data-columns] tbody tr").first.locator("th")
    before = label.bounding_box()
    scrolled = scroller.evaluate("b => { b.scrollLeft = b.scrollWidth; return b.scrollLeft }")
    assert scrolled > 0
    after = label.bounding_box()
    assert before is not None and after is not None
    assert after["x"] == pytest.approx(before["x"], abs=1), "the first column moved: it is not sticky"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


AXE = Axe()


@pytest.mark.parametrize("path", ["comparison/", "", "same-api/"], ids=["comparison", "home", "same-api"])
def test_axe_finds_no_violations_with_columns_left_out(browsing: Browsing, path: str) -> None:
    context = browsing.context()
    context.add_init_script(remember(",".join(ids(KEPT))))
    page = context.new_page()
    page.goto(browsing.site_url + path)
    # The controls or the note are on show, with a framework left out.
    expect(page.locator("#fw-columns, .fw-columns-note:not(:empty)")).to_be_visible()
    page.evaluate(AXE.axe_script)
    found = []
    for preference, scheme in {"light": "default", "dark": "slate"}.items():
        page.emulate_media(color_scheme=preference)  # type: ignore[arg-type]
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        violations = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
        found += [f"{preference}: {v['id']} at {[n['target'] for n in v['nodes']]}" for v in violations]
    assert found == []
