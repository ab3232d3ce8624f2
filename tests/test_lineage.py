"""What a framework is built on, on its page, its base's page and its pair pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros import framework_page, lineage, pairs
from macros.catalog import Catalog
from macros.data import load
from tests.data_samples import fixture_text
from tests.test_catalog_checks import built_on
from tests.test_render import RELEASES, RUNS, SCRIPT


@pytest.fixture
def catalog(data_root: Path) -> Catalog:
    """The two-framework fixture, with beta built on alpha and taking its `type` from it."""
    (data_root / "data" / "frameworks.yml").write_text(built_on(fixture_text(), "beta", "alpha"), encoding="utf-8")
    return load(data_root)


def test_the_framework_page_says_what_it_is_built_on(catalog: Catalog) -> None:
    page = framework_page.framework_page(catalog, RELEASES, "beta", root="../../", runs=RUNS)
    line = lineage.built_on_line(catalog, catalog.framework("beta"), "../../")
    assert line in page
    assert '<strong>Built on <a href="../../frameworks/alpha/">Alpha</a>.</strong>' in line
    assert "Takes its routing from alpha." in line
    assert 'href="https://beta.example.org/docs/built-on"' in line
    assert 'the same in both: <a href="../../comparison/#aspect-type">Type</a>.' in line


def test_the_base_page_names_what_is_built_on_it(catalog: Catalog) -> None:
    page = framework_page.framework_page(catalog, RELEASES, "alpha", root="", runs=RUNS)
    assert '<p class="fw-built-on"><a href="frameworks/beta/">Beta</a> is built on Alpha.</p>' in page
    assert "<strong>Built on" not in page


def test_inherited_values_are_marked_in_the_column_and_the_pair_table(catalog: Catalog) -> None:
    mark = '<span class="fw-inherited">from <a href="frameworks/alpha/">Alpha</a></span>'
    column = framework_page.framework_column(catalog, "beta", "")
    assert column.count(mark) == 1
    assert column.index(mark) < column.index("comparison/#aspect-feel"), "on the Type row, not on Feel"
    assert mark not in framework_page.framework_column(catalog, "alpha", "")
    page = pairs.pair_page(catalog, None, "alpha", "beta", "")
    assert page.count(mark) == 1
    assert lineage.built_on_line(catalog, catalog.framework("beta"), "") in page


def test_frameworks_built_on_none_get_no_lines(data_root: Path) -> None:
    (data_root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    catalog = load(data_root)
    for fw in catalog.frameworks:
        assert lineage.built_on_line(catalog, fw, "") == lineage.foundation_line(catalog, fw, "") == ""
    assert lineage.pair_line(catalog, *catalog.frameworks, "") == ""
    assert "fw-built-on" not in pairs.pair_page(catalog, None, "alpha", "beta", "")


def test_the_note_is_escaped(catalog: Catalog) -> None:
    catalog.framework("beta")["built_on"]["note"] = SCRIPT
    line = lineage.built_on_line(catalog, catalog.framework("beta"), "")
    assert "<script>" not in line and "&lt;script&gt;" in line


def test_the_tested_versions_name_the_base_framework_in_each_run(catalog: Catalog) -> None:
    page = framework_page.framework_page(catalog, RELEASES, "beta", root="", runs=RUNS)
    row = '<tr><th scope="row">Examples on this site tested with</th><td>{}</td></tr>'
    assert row.format("1.2.3 with Alpha 2.0.0 on Python 3.13; 1.2.3 with Alpha 1.9.4 on Python 3.11") in page
    alpha = framework_page.framework_page(catalog, RELEASES, "alpha", root="", runs=RUNS)
    assert row.format("2.0.0 on Python 3.13; 1.9.4 on Python 3.11") in alpha
