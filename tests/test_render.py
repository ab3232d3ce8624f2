"""Render functions on small fixtures: structure, order, and escaping."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from macros import render
from macros.data import Catalog, load
from macros.example_runs import ExampleRun
from macros.releases import Release, Releases
from tests.test_data import fixture_text, root  # noqa: F401  (fixture)

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
def catalog(root: Path) -> Catalog:  # noqa: F811
    """The two-framework fixture, loaded and validated."""
    (root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    return load(root)


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


def test_framework_page_includes_facts_code_and_lists(catalog: Catalog) -> None:
    page = render.framework_page(catalog, RELEASES, "beta", root="../../", runs=RUNS)
    assert page.startswith("# Beta\n")
    assert '--8<-- "examples/app.py:get_user"' in page
    assert '``` python title="examples/app.py"' in page
    for heading in ("## Core philosophy", "## Strengths", "## Weaknesses", "## Choose Beta when", "## Overview"):
        assert heading in page
    assert '1.2.3, uploaded to the package index on <time datetime="2026-01-02">2026-01-02</time> (UTC)' in page
    assert 'href="https://beta.example.org/changes/"' in page
    assert "Requires-Python &gt;=3.9" in page and "<code>pip install Beta</code>" in page
    assert '<a href="../../comparison/#aspect-type">Type</a>: ' in page
    assert "<code>make example APP=beta</code>" in page


def test_framework_page_lists_each_tested_version_with_its_pythons(catalog: Catalog) -> None:
    row = r'<tr><th scope="row">Examples on this site tested with</th><td>(.*?)</td></tr>'
    alpha = re.search(row, render.framework_page(catalog, RELEASES, "alpha", root="", runs=RUNS))
    beta = re.search(row, render.framework_page(catalog, RELEASES, "beta", root="", runs=RUNS))
    assert alpha and alpha.group(1) == "2.0.0 on Python 3.13; 1.9.4 on Python 3.11"
    assert beta and beta.group(1) == "1.2.3 on Python 3.13 and 3.11"


def test_a_framework_no_run_pins_raises(catalog: Catalog) -> None:
    runs = (ExampleRun("examples/requirements.txt", "3.11", {"alpha": "1.9.4"}),)
    with pytest.raises(KeyError, match="examples/requirements.txt pins no Beta"):
        render.framework_page(catalog, RELEASES, "beta", root="", runs=runs)


def test_unknown_framework_raises(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="Unknown framework id 'gamma'"):
        render.framework_page(catalog, RELEASES, "gamma", root="", runs=RUNS)


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

DJANGO = Release("Django", "6.1.3", "2026-11-03", ">=3.12", ("3.12", "3.13", "3.14"), "BSD-3-Clause", ())


@pytest.mark.parametrize(
    ("requires_python", "classifiers", "words"),
    [
        (
            ">=3.10",
            ("3.10", "3.11", "3.12", "3.13", "3.14"),
            "3.10 and newer (Requires-Python &gt;=3.10); classifiers list 3.10 to 3.14",
        ),
        (">=3.9", (), "3.9 and newer (Requires-Python &gt;=3.9); classifiers list no Python versions"),
        (
            ">=3.8,<4",
            ("3.8", "3.10"),
            "3.8 and newer, older than 4 (Requires-Python &gt;=3.8,&lt;4); classifiers list 3.8 and 3.10",
        ),
        (">=3.9,!=3.9.0", ("3.12",), "3.9 and newer (Requires-Python &gt;=3.9,!=3.9.0); classifiers list 3.12"),
        ("~=3.10", (), "Requires-Python ~=3.10; classifiers list no Python versions"),
        (None, ("3.12",), "no Requires-Python stated; classifiers list 3.12"),
    ],
)
def test_python_support_is_worded_the_same_way_for_every_framework(
    requires_python: str | None, classifiers: tuple[str, ...], words: str
) -> None:
    release = dataclasses.replace(DJANGO, requires_python=requires_python, python_classifiers=classifiers)
    assert render.python_support(release) == words


def test_the_licence_is_the_expression_else_the_classifier_else_not_stated() -> None:
    assert render.licence_text(DJANGO).startswith("BSD-3-Clause<span")
    by_classifier = dataclasses.replace(
        DJANGO, licence_expression=None, licence_classifiers=("License :: OSI Approved :: BSD License",)
    )
    assert render.licence_text(by_classifier).startswith("OSI Approved :: BSD License<span")
    assert "states no License-Expression" in render.licence_text(by_classifier)
    neither = dataclasses.replace(by_classifier, licence_classifiers=())
    assert render.licence_text(neither) == "Not stated in the package's metadata"


def test_the_latest_release_shows_its_upload_day_beside_the_release_notes() -> None:
    html = render.latest_release(DJANGO, "https://docs.example.org/6.1.3/", "Django")
    assert html.startswith(
        '6.1.3, uploaded to the package index on <time datetime="2026-11-03">2026-11-03</time> (UTC) '
    )
    assert 'href="https://docs.example.org/6.1.3/"' in html and ">release notes</a>" in html


def test_release_facts_are_escaped() -> None:
    hostile = dataclasses.replace(DJANGO, version=SCRIPT, licence_expression=SCRIPT, requires_python=SCRIPT)
    for html in (
        render.latest_release(hostile, "https://x.example.org/", SCRIPT),
        render.licence_text(hostile),
        render.python_support(hostile),
    ):
        assert "<script>" not in html
    assert render.install_line(SCRIPT) == "<code>pip install &lt;script&gt;alert(1)&lt;/script&gt;</code>"
