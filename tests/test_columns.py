"""Choosing the columns: `featured` in the data, restricted tables and verdicts, and the controls and note of macros/columns.py."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from macros import columns, render
from macros.catalog import Catalog
from macros.data import load
from tests.conftest import Build, edit_data, run_build
from tests.data_samples import fixture_text
from tests.test_site import CATALOG, text_of

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def catalog(data_root: Path) -> Catalog:
    """The two-framework fixture, alpha and beta, loaded and validated."""
    (data_root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    return load(data_root)


def featuring(data_root: Path, *ids: str) -> Catalog:
    """The fixture with `featured: true` on the frameworks `ids`, loaded and validated."""
    text = fixture_text()
    for fw_id in ids:
        text = text.replace(
            f"    tagline: the {fw_id} framework\n", f"    tagline: the {fw_id} framework\n    featured: true\n"
        )
    assert text.count("featured: true") == len(ids)
    (data_root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    return load(data_root)


def data_of(fragment: str, attribute: str) -> dict:
    """The JSON a fragment carries in a data attribute."""
    match = re.search(rf'{attribute}="([^"]*)"', fragment)
    assert match, f"no {attribute} in the fragment"
    loaded: dict = json.loads(html.unescape(match.group(1)))
    return loaded


# --- featured, in the data ----------------------------------------------------------


def test_with_none_featured_every_framework_is(catalog: Catalog) -> None:
    assert [fw["id"] for fw in catalog.featured] == ["alpha", "beta"]


def test_featured_frameworks_come_in_data_order(data_root: Path) -> None:
    assert [fw["id"] for fw in featuring(data_root, "beta").featured] == ["beta"]
    assert [fw["id"] for fw in featuring(data_root, "beta", "alpha").featured] == ["alpha", "beta"]


def test_featured_false_is_not_featured(data_root: Path) -> None:
    text = fixture_text().replace(
        "    tagline: the alpha framework\n", "    tagline: the alpha framework\n    featured: false\n"
    )
    text = text.replace("    tagline: the beta framework\n", "    tagline: the beta framework\n    featured: true\n")
    (data_root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert [fw["id"] for fw in load(data_root).featured] == ["beta"]


def test_the_real_data_features_some_frameworks() -> None:
    assert CATALOG.featured and all(fw.get("featured") is True for fw in CATALOG.featured)


# --- the table: data-fw on every framework cell, restricted columns ----------------------


def test_every_framework_header_and_cell_names_its_framework(catalog: Catalog) -> None:
    table = render.comparison_table(catalog, root="")
    assert 'data-columns="alpha beta"' in table
    header = re.search(r"<thead>(.*?)</thead>", table).group(1)
    assert re.findall(r'<th scope="col"( data-fw="[a-z]+")?>', header) == ["", ' data-fw="alpha"', ' data-fw="beta"']
    for row in re.findall(r"<tr id=[^>]*>(.*?)</tr>", table):
        # The row's label is no framework's; each cell after it is one framework's, in column order.
        assert re.findall(r'<td data-fw="([a-z]+)">', row) == ["alpha", "beta"]
        assert row.count("<td") == 2 and '<th scope="row">' in row


def test_a_restricted_table_has_only_those_columns_in_that_order(catalog: Catalog) -> None:
    table = render.comparison_table(catalog, root="", frameworks=["beta"])
    assert 'data-columns="beta"' in table
    assert re.findall(r'data-fw="([a-z]+)"', table) == ["beta"] * (1 + len(catalog.aspects))
    assert "Alpha" not in table and "Micro" not in table and "Full" in table
    both = render.comparison_table(catalog, root="", detailed=False, frameworks=["beta", "alpha"])
    assert re.findall(r'<th scope="col" data-fw="([a-z]+)">', both) == ["beta", "alpha"]
    assert re.findall(r"<td data-fw=\"[a-z]+\">(\w+)</td>", both)[:2] == ["Full", "Micro"]


@pytest.mark.parametrize(
    ("frameworks", "error", "message"),
    [
        (["gamma"], KeyError, "Unknown framework id 'gamma'; known ids: alpha, beta"),
        ([], ValueError, "names no framework"),
        (["alpha", "alpha"], ValueError, "names 'alpha' more than once"),
        ("alpha", TypeError, "a list of framework ids, not the string 'alpha'"),
    ],
    ids=["unknown-id", "none", "twice", "a-string"],
)
def test_a_bad_column_list_raises(catalog: Catalog, frameworks: list[str], error: type, message: str) -> None:
    for call in (
        lambda: render.comparison_table(catalog, root="", frameworks=frameworks),
        lambda: render.verdicts(catalog, root="", frameworks=frameworks),
        lambda: render.names(catalog, frameworks),
    ):
        with pytest.raises(error, match=re.escape(message)):
            call()


def test_restricted_verdicts_and_names(catalog: Catalog) -> None:
    cards = render.verdicts(catalog, root="../", frameworks=["beta"])
    assert re.findall(r'href="([^"]+)"><strong>(\w+)</strong>', cards) == [("../frameworks/beta/", "Beta")]
    assert render.names(catalog, ["beta"]) == "Beta"
    assert render.names(catalog, ["beta", "alpha"]) == "Beta and Alpha"
    assert render.names(catalog) == "Alpha and Beta"


# --- the controls and the note ----------------------------------------------------------


def test_the_controls_are_a_hidden_fieldset_of_named_checkboxes(catalog: Catalog) -> None:
    fragment = columns.column_chooser(catalog, root="../")
    assert fragment.startswith('<fieldset class="fw-columns" id="fw-columns" hidden ')
    assert "<legend>Frameworks in the table</legend>" in fragment
    boxes = re.findall(
        r'<label class="fw-columns-option"><input type="checkbox" name="fw-column" value="([a-z]+)" checked> (\w+)</label>',
        fragment,
    )
    assert boxes == [("alpha", "Alpha"), ("beta", "Beta")]
    assert '<button type="button" class="md-button fw-columns-all">Show all</button>' in fragment
    assert re.search(r'<span class="fw-columns-status" role="status" aria-live="polite"></span>', fragment)
    # The script runs from inside the fieldset, once all of it is parsed.
    assert fragment.endswith('<script src="../assets/columns.js"></script></fieldset>')
    data = data_of(fragment, "data-columns-chooser")
    assert data == {
        "root": "../",
        "param": "frameworks",
        "storage": "fw-columns",
        "frameworks": [{"id": "alpha", "name": "Alpha"}, {"id": "beta", "name": "Beta"}],
    }
    assert 'href="../same-api/"' in fragment and 'href="../"' in fragment


def test_the_note_is_an_empty_live_region_with_the_pages_frameworks(catalog: Catalog) -> None:
    fragment = columns.columns_note(catalog, root="", frameworks=["beta"], place="the table below")
    assert '<div class="fw-columns-note" role="status" aria-live="polite" tabindex="-1"></div>' in fragment
    assert fragment.endswith('<script src="assets/columns.js"></script></div>')
    data = data_of(fragment, "data-columns-follow")
    assert data["frameworks"] == [{"id": "beta", "name": "Beta"}]
    assert data["place"] == "the table below" and data["storage"] == columns.STORAGE_KEY
    assert data_of(columns.columns_note(catalog, root=""), "data-columns-follow")["place"] == "this page"
    with pytest.raises(KeyError, match="Unknown framework id 'gamma'"):
        columns.columns_note(catalog, root="", frameworks=["gamma"])


def test_names_and_places_are_escaped(catalog: Catalog) -> None:
    catalog.framework("alpha")["name"] = SCRIPT
    chooser = columns.column_chooser(catalog, root="")
    note = columns.columns_note(catalog, root="", place=SCRIPT)
    table = render.comparison_table(catalog, root="")
    for fragment in (chooser, note, table):
        assert "<script>alert" not in fragment
    assert f"> {html.escape(SCRIPT)}</label>" in chooser
    assert data_of(chooser, "data-columns-chooser")["frameworks"][0]["name"] == SCRIPT
    assert data_of(note, "data-columns-follow")["place"] == SCRIPT


# --- the built site -----------------------------------------------------------------------


def test_the_pages_carry_the_controls_and_the_note(built_site: Build) -> None:
    comparison = built_site.page("comparison")
    # The controls come before the table, outside it.
    assert (
        comparison.index('<fieldset class="fw-columns"') < comparison.index("</fieldset>") < comparison.index("<table")
    )
    assert comparison.count('src="../assets/columns.js"') == 1
    all_ids = " ".join(fw["id"] for fw in CATALOG.frameworks)
    assert f'data-columns="{all_ids}"' in comparison
    home = built_site.page("")
    featured = " ".join(fw["id"] for fw in CATALOG.featured)
    assert f'data-columns="{featured}"' in home and 'src="assets/columns.js"' in home
    assert data_of(home, "data-columns-follow")["frameworks"] == [
        {"id": fw["id"], "name": fw["name"]} for fw in CATALOG.featured
    ]
    same_api = built_site.page("same-api")
    assert len(data_of(same_api, "data-columns-follow")["frameworks"]) == len(CATALOG.frameworks)
    # The other pages do without the script.
    for url in ("chooser", "when-to-choose", f"frameworks/{CATALOG.frameworks[0]['id']}"):
        assert "columns.js" not in built_site.page(url), url
    assert "<code>frameworks[].featured</code>" in built_site.page("contributing")


def test_the_home_page_shows_only_the_featured_frameworks(project_copy: Path) -> None:
    first, rest = CATALOG.frameworks[0], CATALOG.frameworks[1:]

    def feature_one(data: dict) -> None:
        for fw in data["frameworks"]:
            fw["featured"] = fw["id"] == first["id"]

    edit_data(project_copy, feature_one)
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    home = build.page("")
    assert f'data-columns="{first["id"]}"' in home
    assert re.findall(r'<th scope="col" data-fw="([a-z0-9-]+)">', home) == [first["id"]]
    text = text_of(home)
    assert text_of(first["verdict"]) in text
    for fw in rest:
        assert text_of(fw["verdict"]) not in text, fw["id"]
    assert f"This site compares {len(CATALOG.frameworks)} Python web frameworks" in text
    assert f"This page shows {first['name']}; the full comparison has all {len(CATALOG.frameworks)} frameworks" in text
    # The comparison page still has every framework.
    comparison = build.page("comparison")
    assert re.findall(r'<th scope="col" data-fw="([a-z0-9-]+)">', comparison) == [fw["id"] for fw in CATALOG.frameworks]
