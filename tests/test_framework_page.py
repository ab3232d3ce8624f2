"""One framework's generated page on a small fixture: facts, code, lists, release words, and escaping."""

from __future__ import annotations

import dataclasses
import re

import pytest

from macros import framework_page as render
from macros.catalog import Catalog
from macros.example_runs import ExampleRun
from macros.releases import Release
from tests.test_render import RELEASES, RUNS, SCRIPT, catalog  # noqa: F401  (catalog is a fixture)


def test_framework_page_includes_facts_code_and_lists(catalog: Catalog) -> None:  # noqa: F811
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


def test_framework_page_lists_each_tested_version_with_its_pythons(catalog: Catalog) -> None:  # noqa: F811
    row = r'<tr><th scope="row">Examples on this site tested with</th><td>(.*?)</td></tr>'
    alpha = re.search(row, render.framework_page(catalog, RELEASES, "alpha", root="", runs=RUNS))
    beta = re.search(row, render.framework_page(catalog, RELEASES, "beta", root="", runs=RUNS))
    assert alpha and alpha.group(1) == "2.0.0 on Python 3.13; 1.9.4 on Python 3.11"
    assert beta and beta.group(1) == "1.2.3 on Python 3.13 and 3.11"


def test_a_framework_no_run_pins_raises(catalog: Catalog) -> None:  # noqa: F811
    runs = (ExampleRun("examples/requirements.txt", "3.11", {"alpha": "1.9.4"}),)
    with pytest.raises(KeyError, match="examples/requirements.txt pins no Beta"):
        render.framework_page(catalog, RELEASES, "beta", root="", runs=runs)


def test_unknown_framework_raises(catalog: Catalog) -> None:  # noqa: F811
    with pytest.raises(KeyError, match="Unknown framework id 'gamma'"):
        render.framework_page(catalog, RELEASES, "gamma", root="", runs=RUNS)


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
