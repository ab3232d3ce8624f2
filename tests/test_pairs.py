"""macros/pairs.py: the pairs, their pages' names and nav, and each part of a pair page."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from macros import pairs
from macros.benchmarks.model import Benchmarks
from macros.catalog import Catalog
from macros.data import load
from tests.conftest import ROOT, edit_data, load_script, run_build
from tests.test_benchmarks_verdict_tables import levelled_run

CATALOG = load(ROOT)
synthetic = load_script("scripts/synthetic_frameworks.py")


def grown(count: int) -> Catalog:
    """The real catalog grown or trimmed to `count` frameworks, as the synthetic-data script resizes a copy."""
    raw = copy.deepcopy(CATALOG.raw)
    releases = {"releases": {fw["id"]: {} for fw in raw["frameworks"]}}
    synthetic.resize(raw, releases, count)
    return Catalog(raw)


def fw(framework_id: str) -> dict:
    return CATALOG.framework(framework_id)


@pytest.mark.parametrize("count", [3, 7, 12])
def test_every_pair_once_in_data_order(count: int) -> None:
    catalog = grown(count)
    found = pairs.pairs(catalog)
    ids = [f["id"] for f in catalog.frameworks]
    assert len(found) == count * (count - 1) // 2
    assert len({frozenset((a["id"], b["id"])) for a, b in found}) == len(found)
    assert all(ids.index(a["id"]) < ids.index(b["id"]) for a, b in found)


@pytest.mark.parametrize("count", [3, 7, 12])
def test_the_nav_groups_pairs_under_their_first_framework_with_no_level_over_a_dozen(count: int) -> None:
    catalog = grown(count)
    groups = pairs.nav_groups(catalog)
    uris = [uri for group in groups for uris in group.values() for uri in uris]
    assert sorted(uris) == sorted(pairs.pair_uri(a, b) for a, b in pairs.pairs(catalog))
    assert len(groups) == count - 1 <= 12
    assert max(len(uris) for group in groups for uris in group.values()) == count - 1 <= 12
    first = catalog.frameworks[0]
    assert list(groups[0]) == [f"{first['name']} vs …"]


def test_page_names_and_front_matter_survive_hostile_names() -> None:
    a, b = dict(fw("flask"), name='A: "quoted" #not-a-comment'), fw("django")
    assert pairs.pair_uri(a, b) == "compare/flask-vs-django.md"
    assert pairs.pair_url("../", a, b) == "../compare/flask-vs-django/"
    head, _, body = pairs.front_matter(a, b).removeprefix("---\n").partition("---\n")
    meta = yaml.safe_load(head)
    assert meta["title"] == 'A: "quoted" #not-a-comment vs Django'
    assert meta["tags"] == [meta["title"], 'Django vs A: "quoted" #not-a-comment']
    assert a["tagline"] in meta["description"] and b["tagline"] in meta["description"]
    assert body == '{{ pair_page("flask", "django") }}\n'


def test_the_pair_whose_title_is_only_the_query_has_the_higher_search_boost() -> None:
    """Material's search does not weigh a field by its length: the boost breaks the tie."""
    boost = lambda a, b: yaml.safe_load(pairs.front_matter(fw(a), fw(b)).split("---\n")[1])["search"]["boost"]  # noqa: E731
    assert boost("flask", "django") > boost("flask", "django-ninja") > 1
    assert boost("flask", "django") == boost("flask", "fastapi")


def test_the_boost_counts_the_words_as_the_search_separator_splits_them() -> None:
    a, b = dict(fw("flask"), name="Flask"), dict(fw("django"), name="Django_Ninja")
    assert pairs.search_boost(a, b) == round(1 + 1 / 20, 4), "whitespace and hyphens: two words"
    assert pairs.search_boost(a, b, r"[\s\-_]+") == round(1 + 1 / 30, 4), "underscores too: three"


def test_the_build_takes_the_separator_from_the_search_plugin(project_copy: Path) -> None:
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - search\n" in text
    config.write_text(
        text.replace("\n  - search\n", "\n  - search:\n      separator: '[\\s\\-_]+'\n"), encoding="utf-8"
    )
    first, second = (fw["id"] for fw in CATALOG.frameworks[:2])
    assert " " not in CATALOG.frameworks[0]["name"]
    edit_data(project_copy, lambda data: data["frameworks"][1].update(name="Two_Words"))
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    index = json.loads((build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["separator"] == r"[\s\-_]+"
    page = next(doc for doc in index["docs"] if doc["location"] == f"compare/{first}-vs-{second}/")
    # A one-word name and "Two_Words", split at the underscore too: three words.
    assert page["boost"] == round(1 + 1 / 30, 4)


def rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>.*?</tr>", html)


def test_the_aspects_table_puts_the_aspects_where_they_differ_first() -> None:
    html = pairs.aspects_table(CATALOG, fw("flask"), fw("django"), "../")
    differ = [a["id"] for a in CATALOG.aspects if pairs.differs(a, fw("flask"), fw("django"))]
    agree = [a["id"] for a in CATALOG.aspects if a["id"] not in differ]
    assert differ, "the fixture pair differs somewhere"
    assert re.findall(r'<tr id="aspect-([\w-]+)"', html) == differ + agree
    assert f"Where they differ ({len(differ)})" in html
    assert ("Where they agree" in html) == bool(agree)
    # Exactly the pair's two frameworks, in every row, with every value, note and source.
    assert set(re.findall(r'data-fw="([\w-]+)"', html)) == {"flask", "django"}
    for aspect in CATALOG.aspects:
        for framework_id in ("flask", "django"):
            cell = aspect["values"][framework_id]
            assert pairs.esc(cell["value"]) in html
            if "source" in cell:
                assert pairs.esc(cell["source"]) in html


def test_an_aspect_with_equal_values_is_where_they_agree() -> None:
    catalog = Catalog(copy.deepcopy(CATALOG.raw))
    first = catalog.aspects[0]
    first["values"]["django"]["value"] = first["values"]["flask"]["value"]
    html = pairs.aspects_table(catalog, catalog.framework("flask"), catalog.framework("django"), "")
    agree_at = html.index("Where they agree")
    assert html.index(f'id="aspect-{first["id"]}"') > agree_at


def test_the_needs_section_lists_the_needs_they_differ_on_and_names_the_others() -> None:
    a, b = fw("flask"), fw("django")
    html = pairs.needs_section(CATALOG, a, b, "../")
    for need in CATALOG.needs:
        differ = need["support"]["flask"]["level"] != need["support"]["django"]["level"]
        in_table = f'<th scope="row">{pairs.esc(need["label"])}</th>' in html
        assert in_table == differ, need["id"]
    catalog = Catalog(copy.deepcopy(CATALOG.raw))
    for need in catalog.needs:
        need["support"]["django"] = need["support"]["flask"]
    same = pairs.needs_section(catalog, catalog.framework("flask"), catalog.framework("django"), "")
    assert "meet every need of the chooser alike" in same and "<table" not in same


def test_the_code_section_shows_each_task_for_both_frameworks() -> None:
    a, b = fw("flask"), fw("fastapi")
    md = pairs.code_section(CATALOG, a, b)
    for task in CATALOG.tasks:
        assert f"{{ #task-{task['id']} }}" in md
        for framework in (a, b):
            for ref in framework["example"]["snippets"].get(task["id"], []):
                assert f'--8<-- "{ref}"' in md
    assert "django" not in md


def test_the_benchmark_section_gives_the_defaults_medians_and_paired_ratio_per_level() -> None:
    html = pairs.benchmark_section(levelled_run(), CATALOG, fw("flask"), fw("fastapi"), "../")
    # levelled_run: flask-gunicorn serves 40 × n/16 and fastapi-uvicorn 900 × n/16 at every level.
    table_rows = [r for r in rows(html) if "<td" in r]
    assert len(table_rows) == 4  # upstream at 16, 64 and 256 connections, cpu at 16
    assert "<td>40.0</td><td>900</td><td>0.04×</td>" in table_rows[0]
    assert "<td>640</td><td>14,400</td><td>0.04×</td>" in table_rows[2]
    assert "<td>130</td><td>125</td><td>1.04×</td>" in table_rows[3]
    assert 'href="../performance/#bench-upstream-64"' in html


def test_a_failed_cell_or_a_framework_without_a_default_is_not_measured() -> None:
    failed = levelled_run(drop=("fastapi-uvicorn", "upstream", 64))
    html = pairs.benchmark_section(failed, CATALOG, fw("flask"), fw("fastapi"), "")
    (row,) = [r for r in rows(html) if "64 connections" in r]
    assert "not measured: fastapi-uvicorn on upstream at 64 connections failed" in row
    assert html.count("not measured") == 1
    added = f"synthetic-{len(CATALOG.frameworks) + 1}"
    catalog = grown(len(CATALOG.frameworks) + 1)
    html = pairs.benchmark_section(levelled_run(), catalog, fw("flask"), catalog.framework(added), "")
    assert f"Not measured: the run has no default configuration of {added}" in html
    none = pairs.benchmark_section(None, CATALOG, fw("flask"), fw("django"), "../")
    assert "Not measured: no benchmark run is published yet" in none


def test_a_pair_page_is_the_same_whichever_order_the_ids_come_in() -> None:
    bench: Benchmarks = levelled_run()
    page = pairs.pair_page(CATALOG, bench, "fastapi", "flask", "../")
    assert page == pairs.pair_page(CATALOG, bench, "flask", "fastapi", "../")
    assert page.startswith("# Flask vs FastAPI\n")
    for anchor in ("aspects", "needs", "code", "benchmark"):
        assert f"{{ #{anchor} }}" in page


def test_each_framework_links_every_pair_it_is_in() -> None:
    catalog = grown(5)
    html = pairs.compare_section(catalog, "django", "../")
    links = re.findall(r'href="\.\./compare/([\w-]+)/"', html)
    assert sorted(links) == sorted(
        pairs.pair_slug(a, b) for a, b in pairs.pairs(catalog) if "django" in (a["id"], b["id"])
    )
    index = pairs.pair_index(catalog, "../")
    assert index.count("<li>") == 5 * 4
