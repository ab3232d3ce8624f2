"""What publishing adds to the built site: the data as JSON, the sitemap, the 404 page,
link previews, last-updated dates, licences, the Pages address and the repository links."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from tests.conftest import ROOT, Build, edit_data, run_build

SITE_URL = "http://127.0.0.1:8000/"  # what run_build sets
PAGES_URL = "https://example-owner.github.io/pyweb-compare/"  # a Pages project site's shape
FORK_URL = "https://github.com/someone/fork"  # a repository the Pages workflow passes as REPO_URL
PLACEHOLDER = "pyweb-compare/pyweb-compare"  # mkdocs.yml's default repository, owner/name
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DATE_CLASS = "git-revision-date-localized-plugin-date"


class Head(HTMLParser):
    """The <meta> tags, canonical link, anchors and forms of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.links: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.inputs: list[dict[str, str]] = []
        self.stylesheets: list[str] = []
        self.anchors: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        elif tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values["href"])
        elif tag == "a" and "href" in values:
            self.links.append(values["href"])
            self.anchors.append(values)
        elif tag == "form":
            self.forms.append(values)
        elif tag == "input":
            self.inputs.append(values)


def head(page_html: str) -> Head:
    parser = Head()
    parser.feed(page_html)
    return parser


def iso_dates(value: Any) -> Any:
    """YAML read by a plain safe loader, with its dates written back as ISO text."""
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def sitemap_urls(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    return [loc.text or "" for loc in tree.getroot().findall("sm:url/sm:loc", SITEMAP_NS)]


def built_pages(site: Path) -> set[str]:
    """Site paths of every built page (`comparison/`), not the 404 page or theme files."""
    pages = set()
    for path in site.rglob("index.html"):
        folder = path.parent.relative_to(site)
        if not {"assets", "search"} & set(folder.parts):
            pages.add("" if folder == Path(".") else f"{folder.as_posix()}/")
    return pages


def page_path(url: str, base: str = SITE_URL) -> str:
    """`http://127.0.0.1:8000/comparison/` -> `comparison/`."""
    assert url.startswith(base), (url, base)
    return url[len(base) :]


def long_date(timestamp: float) -> str:
    """How the date plugin writes a day in English: `November 5, 2026`."""
    day = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    return f"{day:%B} {day.day}, {day.year}"


def page_dates(page_html: str) -> list[str]:
    return re.findall(rf'class="[^"]*\b{DATE_CLASS}\b[^"]*"[^>]*>([^<]+)<', page_html)


GENERATED = re.compile(r"(frameworks/[\w-]+|compare/[\w-]+-vs-[\w-]+)/")


def generated(page: str) -> bool:
    """Whether a page is generated from the data (a framework's or a pair's), with no docs/ file of its own."""
    return GENERATED.fullmatch(page) is not None


def source_of(page: str) -> Path:
    """The docs/ file a page is built from."""
    stem = page.rstrip("/")
    for candidate in (f"{stem}.md", f"{stem}/index.md", "index.md" if not stem else ""):
        if candidate and (ROOT / "docs" / candidate).exists():
            return ROOT / "docs" / candidate
    raise LookupError(page)


# --- the data as JSON ------------------------------------------------------------


def test_json_download_equals_the_yaml_data(built_site: Build) -> None:
    published = json.loads((built_site.site / "data" / "frameworks.json").read_text(encoding="utf-8"))
    source = iso_dates(yaml.safe_load((ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8")))
    assert published == source


def test_comparison_page_links_the_json_download(built_site: Build) -> None:
    links = [href for href in head(built_site.page("comparison")).links if href.endswith("frameworks.json")]
    assert links, "the comparison page does not link the JSON download"
    for href in links:
        target = urlsplit(urljoin(SITE_URL + "comparison/", href)).path.lstrip("/")
        assert (built_site.site / target).is_file(), href


def test_json_is_generated_from_the_data_at_build_time(project_copy: Path) -> None:
    first = yaml.safe_load((project_copy / "data" / "frameworks.yml").read_text(encoding="utf-8"))["frameworks"][0]
    edit_data(project_copy, lambda d: d["aspects"][0]["values"][first["id"]].update(value="Changed before the build"))
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    published = json.loads((build.site / "data" / "frameworks.json").read_text(encoding="utf-8"))
    assert published["aspects"][0]["values"][first["id"]]["value"] == "Changed before the build"
    assert not (project_copy / "docs" / "data").exists(), "the build must not write into docs/"


# --- sitemap and 404 -------------------------------------------------------------


def test_sitemap_lists_every_page_and_only_pages_that_exist(built_site: Build) -> None:
    urls = sitemap_urls(built_site.site)
    listed = [page_path(url) for url in urls]
    assert len(listed) == len(set(listed)), "a page is listed twice"
    for page in listed:
        assert (built_site.site / page / "index.html").is_file(), page
    assert set(listed) == built_pages(built_site.site)
    assert "comparison/" in listed and "" in listed


def test_404_page_has_the_site_layout_a_way_home_and_a_search(built_site: Build) -> None:
    page_html = (built_site.site / "404.html").read_text(encoding="utf-8")
    parsed = head(page_html)
    assert re.search(r"<h1[^>]*>Page not found</h1>", page_html)
    assert "<title>Page not found - " in page_html
    assert 'class="md-header' in page_html and 'class="md-footer' in page_html
    # Served for any missing address, so every local URL on it is absolute.
    assert parsed.stylesheets and all(href.startswith("/") for href in parsed.stylesheets if "//" not in href)
    assert "/" in parsed.links
    (search,) = [form for form in parsed.forms if form.get("role") == "search"]
    assert search["action"] == "/" and search["method"] == "get"
    assert any(i.get("name") == "q" and i.get("type") == "search" for i in parsed.inputs)
    assert parsed.meta["robots"] == ["noindex"]
    for href in parsed.links:
        if href.startswith("/") and not href.startswith("//"):
            target = built_site.site / href.lstrip("/").split("#")[0]
            assert (target / "index.html").is_file() or target.is_file(), href


# --- link previews ---------------------------------------------------------------


def test_every_page_has_open_graph_and_description_metadata(built_site: Build) -> None:
    for url in sitemap_urls(built_site.site):
        page = page_path(url)
        meta = head(built_site.page(page)).meta
        for key in ("og:title", "og:description", "og:url", "og:type", "description"):
            assert len(meta.get(key, [])) == 1 and meta[key][0].strip(), (page, key)
        assert meta["og:url"] == [url], page
        assert meta["og:description"] == meta["description"], page


def test_open_graph_uses_each_pages_own_description(built_site: Build) -> None:
    descriptions = set()
    for source in sorted((ROOT / "docs").rglob("*.md")):
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("---\n")[1])
        page = str(source.relative_to(ROOT / "docs").with_suffix("")).removesuffix("index") + "/"
        page = "" if page == "/" else page.replace("//", "/")
        meta = head(built_site.page(page)).meta
        assert meta["og:description"] == [front["description"]], page
        descriptions.add(front["description"])
    assert len(descriptions) > 1


def test_generated_framework_pages_describe_their_framework(built_site: Build) -> None:
    data = yaml.safe_load((ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    for fw in data["frameworks"]:
        meta = head(built_site.page(f"frameworks/{fw['id']}")).meta
        assert meta["og:title"] == [fw["name"]]
        assert meta["og:description"] == [f"{fw['name']}, {fw['tagline']}"]


def test_open_graph_text_is_escaped(project_copy: Path) -> None:
    page = project_copy / "docs" / "comparison.md"
    page.write_text(page.read_text().replace("description: ", 'description: Quotes " and <tags> & ', 1))
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    assert '<meta property="og:description" content="Quotes &#34; and &lt;tags&gt; &amp; ' in build.page("comparison")


# --- last updated ----------------------------------------------------------------


def test_each_page_shows_when_its_source_last_changed(built_site: Build) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("no git history in this copy of the project")
    build_day = long_date(built_site.started)
    for url in sitemap_urls(built_site.site):
        page = page_path(url)
        dates = page_dates(built_site.page(page))
        assert len(dates) == 1, (page, dates)
        if generated(page):
            assert dates == [build_day], page  # generated from data: no file of its own
            continue
        source = source_of(page).relative_to(ROOT)
        last = subprocess.run(
            ["git", "log", "-1", "--format=%at", "--", str(source)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # Not committed yet: the plugin falls back to the build date.
        assert dates == [long_date(float(last)) if last else build_day], (page, source)


def test_a_copy_without_git_history_builds_strictly_with_the_build_date(project_copy: Path) -> None:
    assert not (project_copy / ".git").exists()
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    assert "Falling back to build date" in build.output
    assert not re.search(r"^WARNING .*git", build.output, re.MULTILINE)
    assert page_dates(build.page("comparison")) == [long_date(build.started)]


# --- licences --------------------------------------------------------------------


def test_every_page_footer_names_both_licences(built_site: Build) -> None:
    for url in sitemap_urls(built_site.site):
        page_html = built_site.page(page_path(url))
        footer = page_html[page_html.index('class="md-copyright"') :]
        assert 'href="https://creativecommons.org/licenses/by/4.0/"' in footer and "CC BY 4.0" in footer
        assert 'href="https://opensource.org/license/mit"' in footer and "MIT" in footer


def test_licence_files_hold_the_full_texts_and_the_readme_names_them() -> None:
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-CONTENT").read_text(encoding="utf-8")
    assert code.startswith("MIT License\n") and 'THE SOFTWARE IS PROVIDED "AS IS"' in code
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert "Section 8 -- Interpretation." in content and content.endswith("contacted at creativecommons.org.\n")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "LICENSE-CONTENT" in readme and "CC BY 4.0" in readme and "MIT" in readme


# --- the Pages address -----------------------------------------------------------


@pytest.fixture(scope="module")
def pages_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A strict build with SITE_URL and REPO_URL set the way the Pages workflow sets them."""
    build = run_build(ROOT, tmp_path_factory.mktemp("pages") / "site", SITE_URL=PAGES_URL, REPO_URL=FORK_URL)
    assert build.returncode == 0, build.output
    return build


def test_a_pages_build_points_every_absolute_url_at_the_pages_address(pages_build: Build) -> None:
    urls = sitemap_urls(pages_build.site)
    assert urls and all(url.startswith(PAGES_URL) for url in urls)
    comparison = head(pages_build.page("comparison"))
    assert comparison.canonical == PAGES_URL + "comparison/"
    assert comparison.meta["og:url"] == [PAGES_URL + "comparison/"]
    not_found = head((pages_build.site / "404.html").read_text(encoding="utf-8"))
    base = urlsplit(PAGES_URL).path
    assert base in not_found.links
    assert all(href.startswith(base) for href in not_found.stylesheets if "//" not in href)
    assert [form["action"] for form in not_found.forms if form.get("role") == "search"] == [base]


# --- the repository links ---------------------------------------------------------


def repository_links(page_html: str) -> list[str]:
    """The header's "Go to repository" links (Material repeats it in the drawer)."""
    return [a["href"] for a in head(page_html).anchors if "md-source" in a.get("class", "").split()]


def edit_links(page_html: str) -> list[str]:
    return [a["href"] for a in head(page_html).anchors if a.get("rel") == "edit"]


def links_of(build: Build, page: str) -> tuple[list[str], list[str]]:
    """The repository and edit links of one built page."""
    page_html = build.page(page)
    return repository_links(page_html), edit_links(page_html)


def test_a_build_given_a_repository_links_every_page_to_it_and_only_to_it(pages_build: Build) -> None:
    """REPO_URL, as the Pages workflow sets it: every edit and repository link opens that repository."""
    html_files = sorted(pages_build.site.rglob("*.html"))
    pages = built_pages(pages_build.site)
    assert len(pages) > 5 and len(html_files) > len(pages)
    for path in html_files:
        page_html = path.read_text(encoding="utf-8")
        where = path.relative_to(pages_build.site).as_posix()
        assert PLACEHOLDER not in page_html, where
        repository = repository_links(page_html)
        assert repository and set(repository) == {FORK_URL}, where
        assert '<div class="md-source__repository">\n    someone/fork\n' in page_html, where
        edits = edit_links(page_html)
        if where == "404.html":
            assert edits == [], where
            continue
        # One "Edit this page" per page, opening a file that exists in this repository.
        (edit,) = edits
        assert edit.startswith(FORK_URL + "/edit/main/"), (where, edit)
        assert (ROOT / edit.removeprefix(FORK_URL + "/edit/main/")).is_file(), (where, edit)
    for page in pages:
        if generated(page):
            # A generated framework or pair page opens the data file it is made from.
            assert edit_links(pages_build.page(page)) == [FORK_URL + "/edit/main/data/frameworks.yml"], page
        else:
            source = source_of(page).relative_to(ROOT).as_posix()
            assert edit_links(pages_build.page(page)) == [f"{FORK_URL}/edit/main/{source}"], page


def test_a_local_build_links_to_the_clones_git_remote(project_copy: Path) -> None:
    """No REPO_URL: a fork's clone, with an ssh remote, links to the fork."""
    for command in (["init", "--quiet"], ["remote", "add", "origin", "git@github.com:someone/fork.git"]):
        subprocess.run(["git", "-C", str(project_copy), *command], check=True, capture_output=True, timeout=30)
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    assert links_of(build, "comparison") == ([FORK_URL, FORK_URL], [FORK_URL + "/edit/main/docs/comparison.md"])
    first = yaml.safe_load((project_copy / "data" / "frameworks.yml").read_text(encoding="utf-8"))["frameworks"][0]
    assert links_of(build, f"frameworks/{first['id']}")[1] == [FORK_URL + "/edit/main/data/frameworks.yml"]
    assert f"Repository links go to {FORK_URL}, from the git remote origin" in build.output


def test_without_a_repository_or_a_remote_the_links_use_the_documented_default(project_copy: Path) -> None:
    """No REPO_URL and no git (a tarball, a temp copy): the default in mkdocs.yml, also named in CONTRIBUTING.md."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r'^repo_url: !ENV \[REPO_URL, "([^"]+)"\]$', config, re.MULTILINE)
    assert match, "mkdocs.yml reads repo_url from REPO_URL, with a default"
    default = match.group(1)
    assert default.endswith("/" + PLACEHOLDER)
    assert default in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    build = run_build(project_copy, GIT_CEILING_DIRECTORIES=str(project_copy.parent))
    assert build.returncode == 0, build.output
    assert links_of(build, "comparison") == ([default, default], [default + "/edit/main/docs/comparison.md"])
