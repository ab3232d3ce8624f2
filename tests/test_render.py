"""Render functions on small fixtures: structure, order, and escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros import render
from macros.catalog import Catalog
from macros.data import load
from macros.example_runs import ExampleRun
from macros.releases import Release, Releases
from tests.data_samples import fixture_text

SCRIPT = "<script>alert(1)</script>"
# The two fixture frameworks' entries in data/releases.yml.
RELEASES = Releases(
    {
        fw_id: Release(name, "1.2.3", "2026-01-02", ">=3.9", ("3.9", "3.10"), "MIT", ())
        for fw_id, name in (("alpha", "Alpha"), ("beta", "Beta"))
    }
)
# Two example test runs: alpha's versions differ between them, beta's do not.
RUNS = (
    ExampleRun("examples/requirements-newest.txt", "3.13", {"alpha": "2.0.0", "beta": "1.2.3"}),
    ExampleRun("examples/requirements.txt", "3.11", {"alpha": "1.9.4", "beta": "1.2.3"}),
)


@pytest.fixture
def catalog(data_root: Path) -> Catalog:
    """The two-framework fixture, loaded and validated."""
    (data_root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    return load(data_root)


def test_table_has_one_row_per_aspect_in_order_with_anchors(catalog: Catalog) -> None:
    html = render.comparison_table(catalog, root="../")
    assert re.findall(r'<tr id="aspect-([a-z-]+)">', html) == ["type", "feel"]
    headers = re.findall(r'<th scope="col" data-fw="([a-z]+)"><a href="([^"]+)">([^<]+)</a></th>', html)
    assert headers == [("alpha", "../frameworks/alpha/", "Alpha"), ("beta", "../frameworks/beta/", "Beta")]


def test_table_cells_carry_value_note_source_and_kind(catalog: Catalog) -> None:
    catalog.aspect("type")["values"]["alpha"]["note"] = "Uses `async def`."
    html = render.comparison_table(catalog, root="")
    row = re.search(r'<tr id="aspect-type">.*?</tr>', html).group(0)
    assert '<span class="fw-value">Micro</span>' in row
    assert "<code>async def</code>" in row
    assert 'href="https://alpha.example.org/docs/type"' in row
    assert 'aria-label="Source: Alpha, Type"' in row
    feel = re.search(r'<tr id="aspect-feel">.*?</tr>', html).group(0)
    assert feel.count('class="fw-kind">assessment<') == 2
    assert "fw-source" not in feel


def test_compact_table_has_values_only(catalog: Catalog) -> None:
    html = render.comparison_table(catalog, root="", detailed=False)
    assert "fw-note" not in html and "fw-source" not in html and 'id="aspect-' not in html
    assert '<td data-fw="alpha">Micro</td>' in html and '<td data-fw="beta">Heavy</td>' in html


def test_table_escapes_values_notes_and_labels(catalog: Catalog) -> None:
    aspect = catalog.aspect("type")
    aspect["label"] = SCRIPT
    aspect["values"]["alpha"]["value"] = SCRIPT
    aspect["values"]["beta"]["note"] = f"Note {SCRIPT} <img src=x onerror=alert(2)>"
    html = render.comparison_table(catalog, root="")
    assert "<script>" not in html and "<img" not in html
    # Label, value and note, plus the label inside two source links' accessible names.
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 5
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_markdown_fields_render_markdown_but_not_html() -> None:
    html = render.markdown_html(f"**bold**, `<b>code</b>`, [link](https://example.org/a) and {SCRIPT}")
    assert "<strong>bold</strong>" in html
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html
    assert '<a href="https://example.org/a">link</a>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_markdown_output_cannot_start_a_snippet_line() -> None:
    html = render.markdown_html('first line\n--8<-- "mkdocs.yml"')
    assert "\n" not in html and "--8&lt;--" in html


def test_names_joins_as_prose(catalog: Catalog) -> None:
    assert render.names(catalog) == "Alpha and Beta"
    catalog.raw["frameworks"].append({**catalog.frameworks[0], "id": "gamma", "name": "Gamma & Co"})
    assert render.names(catalog) == "Alpha, Beta and Gamma &amp; Co"


def test_decision_lists_follow_the_data(catalog: Catalog) -> None:
    catalog.framework("alpha")["choose_when"] = ["You like *lists*.", SCRIPT]
    markdown = render.decision_lists(catalog, root="../")
    assert re.findall(r"^## Choose (\w+) when \{ #choose-(\w+) \}$", markdown, flags=re.M) == [
        ("Alpha", "alpha"),
        ("Beta", "beta"),
    ]
    assert "<li>You like <em>lists</em>.</li>" in markdown
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in markdown
    assert "<li>You need it.</li>" in markdown


def test_verdict_cards_link_each_framework(catalog: Catalog) -> None:
    html = render.verdicts(catalog, root="")
    assert re.findall(r'href="(frameworks/\w+/)"', html) == ["frameworks/alpha/", "frameworks/beta/"]
    assert "Pick it for tests." in html


def test_claims_are_labelled_with_their_attribution(catalog: Catalog) -> None:
    assert render.claims_table(catalog) == "<p>No claims are quoted.</p>"
    catalog.framework("alpha")["claims"] = [
        {"figure": "~5 requests/second", "server": "Gunicorn", "context": "Unclear.", "attribution": "unsourced"}
    ]
    html = render.claims_table(catalog)
    assert "<td>~5 requests/second</td>" in html and "<td>unsourced</td>" in html


def test_same_api_has_a_tab_per_framework_per_task(catalog: Catalog) -> None:
    del catalog.framework("beta")["example"]["snippets"]["read"]
    markdown = render.same_api(catalog)
    assert markdown.count('=== "Alpha"') == 2 and markdown.count('=== "Beta"') == 2
    assert '    --8<-- "examples/app.py:get_user"' in markdown
    assert "The Beta example has no code for this task." in markdown


# --- release facts (data/releases.yml) ----------------------------------------------
