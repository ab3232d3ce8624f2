"""Strict builds of the site: what the built HTML holds, and how a bad edit fails."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from macros import releases
from macros.data import load
from tests.conftest import ROOT, Build, edit_data, run_build

CATALOG = load(ROOT)
RELEASES = releases.load(ROOT, CATALOG)
SCRIPT = "<script>alert(1)</script>"


def text_of(page_html: str) -> str:
    """A page's HTML with tags removed and entities decoded, whitespace folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


class ResourceFinder(HTMLParser):
    """Collect every URL a page loads by itself (not ordinary links a reader follows)."""

    LOADING = {
        "script": ("src",),
        "img": ("src", "srcset"),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "video": ("src", "poster"),
        "audio": ("src",),
        "embed": ("src",),
        "object": ("data",),
        "input": ("src",),
    }
    LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link" and set(values.get("rel", "").split()) & self.LINK_RELS:
            self.urls.append(values.get("href", ""))
        for attr in self.LOADING.get(tag, ()):
            if attr in values:
                self.urls.extend(part.strip().split(" ")[0] for part in values[attr].split(","))
        self.urls.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", values.get("style", "")))


def external_resources(page_html: str) -> list[str]:
    """URLs on another host that a page would load while rendering."""
    finder = ResourceFinder()
    finder.feed(page_html)
    return [url for url in finder.urls if urlsplit(url).netloc or url.startswith("//")]


def pages(site: Path) -> list[Path]:
    """Every built HTML page."""
    return sorted(site.rglob("*.html"))


# --- the real site ---------------------------------------------------------------


def test_every_aspect_and_value_is_on_the_comparison_page(built_site: Build) -> None:
    page = built_site.page("comparison")
    text = text_of(page)
    for aspect in CATALOG.aspects:
        assert f'id="aspect-{aspect["id"]}"' in page
        assert aspect["label"] in text and aspect["description"] in text
        for fw in CATALOG.frameworks:
            cell = aspect["values"][fw["id"]]
            assert cell["value"] in text, (aspect["id"], fw["id"])
            if "source" in cell:
                assert f'href="{html.escape(cell["source"])}"' in page


def test_rows_follow_the_aspect_order_and_columns_the_framework_order(built_site: Build) -> None:
    page = built_site.page("comparison")
    assert re.findall(r'<tr id="aspect-([a-z-]+)">', page) == [a["id"] for a in CATALOG.aspects]
    header = re.search(r"<thead>(.*?)</thead>", page).group(1)
    assert [html.unescape(n) for n in re.findall(r'<a href="[^"]+">([^<]+)</a>', header)] == [
        fw["name"] for fw in CATALOG.frameworks
    ]


def test_each_framework_has_a_generated_page(built_site: Build) -> None:
    for fw in CATALOG.frameworks:
        page = built_site.page(f"frameworks/{fw['id']}")
        text = text_of(page)
        assert "<h1" in page and fw["name"] in re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)
        # The release facts come from data/releases.yml, which `make refresh-facts` writes.
        published = RELEASES.of(fw["id"])
        assert f"{published.version}, uploaded to the package index on {published.uploaded} (UTC)" in text
        assert f"Requires-Python {published.requires_python}" in text and f"pip install {fw['package']}" in text
        assert (published.licence_expression or "") in text and fw["release"]["support"]["text"] in text
        assert "PyPI" not in text
        assert fw["last_verified"] in text
        # Inline code becomes its own element, so compare without backticks or spaces.
        squashed = re.sub(r"\s+", "", text)
        for item in fw["strengths"] + fw["weaknesses"]:
            assert re.sub(r"\s+", "", text_of(item["text"].replace("`", ""))) in squashed, item["text"]
        # Its code sample is the example file's section, included by snippets.
        ref = fw["example"]["snippets"][CATALOG.tasks[0]["id"]][0]
        assert ref.partition(":")[0] in text
        # "Edit this page" opens the data file the page comes from.
        assert re.search(r'href="[^"]+/edit/main/data/frameworks\.yml"', page), fw["id"]
        # The nav lists it.
        assert f'href="frameworks/{fw["id"]}/"' in built_site.page("")


def test_decision_lists_and_verdicts_come_from_the_data(built_site: Build) -> None:
    choose = text_of(built_site.page("when-to-choose"))
    home = text_of(built_site.page(""))
    for fw in CATALOG.frameworks:
        for item in fw["choose_when"]:
            assert item in choose
    # The home page has the verdicts of the featured frameworks, and says how many the site compares.
    for fw in CATALOG.featured:
        assert text_of(fw["verdict"]) in home
    assert f"This site compares {len(CATALOG.frameworks)} Python web frameworks" in home
    featured = [fw["name"] for fw in CATALOG.featured]
    listed = featured[0] if len(featured) == 1 else ", ".join(featured[:-1]) + " and " + featured[-1]
    assert f"This page shows {listed}; the full comparison has all {len(CATALOG.frameworks)} frameworks" in home


def test_quoted_claims_are_labelled(built_site: Build) -> None:
    text = text_of(built_site.page("performance"))
    for fw in CATALOG.frameworks:
        for claim in fw["claims"]:
            assert claim["figure"] in text and claim["attribution"] in text


def test_field_reference_covers_the_schema(built_site: Build) -> None:
    page = built_site.page("contributing")
    for key in ("aspects[].values.&lt;id&gt;.source", "frameworks[].last_verified", "tasks[].label"):
        assert f"<code>{key}</code>" in page


def test_no_built_page_loads_from_another_host(built_site: Build) -> None:
    offenders = {
        str(path.relative_to(built_site.site)): external_resources(path.read_text(encoding="utf-8"))
        for path in pages(built_site.site)
    }
    assert {page: urls for page, urls in offenders.items() if urls} == {}
    for css in built_site.site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css


def test_external_resource_check_trips_on_an_external_image() -> None:
    assert external_resources('<p><img src="https://fonts.example.com/x.png" alt=""></p>') == [
        "https://fonts.example.com/x.png"
    ]
    assert external_resources('<link rel="stylesheet" href="//cdn.example.com/a.css">') == ["//cdn.example.com/a.css"]
    assert external_resources('<a href="https://docs.example.com/">docs</a><img src="../a.png" alt="">') == []


def test_external_image_in_a_page_fails_the_check(project_copy: Path) -> None:
    page = project_copy / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<img src="https://img.example.com/x.png" alt="x">\n')
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    assert external_resources(build.page("")) == ["https://img.example.com/x.png"]


def test_site_pages_and_macros_name_no_framework(built_site: Build) -> None:
    """Prose and code stay generic; only examples/ and tests/ may name a framework."""
    ids = [fw["id"] for fw in CATALOG.frameworks] + [fw["name"] for fw in CATALOG.frameworks]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, ids)) + r")\b", re.IGNORECASE)
    skip = {".venv", ".venv-newest", "node_modules", "site", "test-output", "examples", "tests", ".git"}
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix in {".py", ".md"} and not skip & set(path.relative_to(ROOT).parts):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


# --- edited copies -------------------------------------------------------------


def test_editing_a_cell_changes_the_built_page(project_copy: Path) -> None:
    fw_id = CATALOG.frameworks[0]["id"]
    edit_data(project_copy, lambda d: d["aspects"][0]["values"][fw_id].update(value="Edited in a test"))
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    assert "Edited in a test" in text_of(build.page("comparison"))
    assert "Edited in a test" in text_of(build.page(f"frameworks/{fw_id}"))


def fourth_framework(data: dict) -> None:
    """Add a fourth framework, modelled on the first, with its own values."""
    template = data["frameworks"][0]
    new = yaml.safe_load(yaml.safe_dump(template))
    new.update(id="quartz", name="Quartz", tagline="a fourth framework")
    new["choose_when"] = ["You want the fourth option."]
    new["verdict"] = "Pick the fourth one."
    data["frameworks"].append(new)
    for aspect in data["aspects"]:
        aspect["values"]["quartz"] = {**aspect["values"][template["id"]], "value": f"Quartz {aspect['id']}"}
    for need in data["needs"]:
        need["support"]["quartz"] = {"level": "yes", "note": f"Quartz meets {need['id']}"}


def add_fourth_framework(project: Path) -> None:
    """Add the fourth framework to a project copy, with its release facts as `make refresh-facts`
    would add them (the first framework's package)."""
    edit_data(project, fourth_framework)
    releases_file = project / "data" / "releases.yml"
    published = yaml.safe_load(releases_file.read_text(encoding="utf-8"))
    published["releases"]["quartz"] = yaml.safe_load(yaml.safe_dump(published["releases"][CATALOG.frameworks[0]["id"]]))
    releases_file.write_text(yaml.safe_dump(published, sort_keys=False), encoding="utf-8")


def test_a_fourth_framework_gets_a_column_a_page_a_list_and_tabs(project_copy: Path) -> None:
    add_fourth_framework(project_copy)
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    comparison = build.page("comparison")
    assert ">Quartz</a></th>" in comparison
    for aspect in CATALOG.aspects:
        assert f"Quartz {aspect['id']}" in text_of(comparison)
    assert "Quartz type" in text_of(build.page(""))
    assert "You want the fourth option." in text_of(build.page("when-to-choose"))
    assert "Pick the fourth one." in text_of(build.page(""))
    page = build.page("frameworks/quartz")
    assert "Quartz" in re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)
    assert "Quartz type" in text_of(page)
    assert text_of(build.page("same-api")).count("Quartz") >= len(CATALOG.tasks)
    assert "Quartz meets admin" in build.page("chooser")


def test_script_in_a_value_is_escaped_everywhere(project_copy: Path) -> None:
    def inject(data: dict) -> None:
        fw = data["frameworks"][0]
        data["aspects"][0]["values"][fw["id"]]["value"] = SCRIPT
        data["aspects"][0]["values"][fw["id"]]["note"] = f"A note {SCRIPT}"
        fw["choose_when"].append(SCRIPT)
        fw["verdict"] = f"Verdict {SCRIPT}"

    edit_data(project_copy, inject)
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    for url in ("", "comparison", "when-to-choose", f"frameworks/{CATALOG.frameworks[0]['id']}"):
        page = build.page(url)
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


# --- bad edits fail the real build ---------------------------------------------


def fact_value(data: dict) -> dict:
    return data["aspects"][0]["values"][data["frameworks"][0]["id"]]


BAD_EDITS = [
    pytest.param(
        lambda path: path.write_text(path.read_text().replace("aspects:\n", "aspects: [\n", 1)),
        "invalid YAML",
        "well-formed YAML",
        id="syntax-error",
    ),
    pytest.param(
        lambda path: path.write_text(path.read_text().replace("    order: 2\n", "    order: 2\n    order: 3\n", 1)),
        "the key 'order' a second time",
        "each key once per mapping",
        id="duplicate-key",
    ),
    pytest.param(
        lambda path: path.write_text(path.read_text().replace("      notes: ", "      ntoes: ", 1)),
        "the unknown key 'ntoes'",
        "only the keys:",
        id="unknown-key",
    ),
    pytest.param(
        lambda path: path.write_text(re.sub(r"(      year: )([0-9]+)", r'\g<1>"\g<2>"', path.read_text(), count=1)),
        "(a string)",
        "a whole number",
        id="wrong-type",
    ),
]


@pytest.mark.parametrize(("edit", "found", "expected"), BAD_EDITS)
def test_bad_edit_fails_the_build_with_a_located_message(project_copy: Path, edit, found: str, expected: str) -> None:
    data_file = project_copy / "data" / "frameworks.yml"
    before = data_file.read_text()
    edit(data_file)
    assert data_file.read_text() != before
    build = run_build(project_copy)
    assert build.returncode != 0
    assert re.search(r"data/frameworks\.yml:\d+: \S+", build.output), build.output
    assert f"found:    {found}" in build.output or found in build.output
    assert "expected: " in build.output and expected in build.output
    assert "Traceback" not in build.output
    assert not (build.site / "index.html").exists()


def test_bad_edit_message_points_at_the_edited_line(project_copy: Path) -> None:
    data_file = project_copy / "data" / "frameworks.yml"
    lines = data_file.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("    tagline: "))
    lines[number] = "    tagline: 42\n"
    data_file.write_text("".join(lines))
    build = run_build(project_copy)
    assert build.returncode != 0
    assert f"data/frameworks.yml:{number + 1}: frameworks[0].tagline" in build.output, build.output
    assert "found:    42 (a number)" in build.output
    assert "Traceback" not in build.output


def test_unknown_framework_in_a_value_fails_the_build(project_copy: Path) -> None:
    edit_data(
        project_copy, lambda d: d["aspects"][1]["values"].update(nosuch={"value": "x", "source": "https://x.org/a"})
    )
    build = run_build(project_copy)
    assert build.returncode != 0
    assert "aspects[1].values.nosuch" in build.output
    assert "a value for the unknown framework id 'nosuch'" in build.output
    assert "Traceback" not in build.output


def test_missing_snippet_section_fails_the_build(project_copy: Path) -> None:
    ref = CATALOG.frameworks[0]["example"]["snippets"][CATALOG.tasks[0]["id"]][0]
    path, _, section = ref.partition(":")
    target = project_copy / path
    target.write_text(target.read_text().replace(f"[start:{section}]", "[start:renamed]"))
    build = run_build(project_copy)
    assert build.returncode != 0
    assert f"has no section {section!r}" in build.output
    assert "Traceback" not in build.output


def test_a_page_calling_an_unknown_macro_fails_the_build(project_copy: Path) -> None:
    page = project_copy / "docs" / "comparison.md"
    page.write_text(page.read_text() + "\n{{ no_such_macro() }}\n")
    assert run_build(project_copy).returncode != 0


def test_a_broken_internal_link_fails_the_build(project_copy: Path) -> None:
    page = project_copy / "docs" / "comparison.md"
    page.write_text(page.read_text() + "\n[gone](no-such-page.md) and [anchor](#aspect-no-such-row)\n")
    build = run_build(project_copy)
    assert build.returncode != 0
    assert "no-such-page.md" in build.output


SWITCHING_MARK = 'document.body.setAttribute("data-md-color-switching","")'


def test_the_switching_mark_is_set_early_only_with_a_palette_toggle(built_site: Build, project_copy: Path) -> None:
    # Material removes the mark only from its palette toggle; without one, the mark would stop every transition.
    assert SWITCHING_MARK in built_site.page("")
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("  palette:\n"), text.index("\n# Plugins")
    config.write_text(
        text[:start] + "  palette:\n    scheme: default\n    primary: indigo\n" + text[end:], encoding="utf-8"
    )
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    page = build.page("")
    assert 'data-md-color-scheme="default"' in page and SWITCHING_MARK not in page
