"""MkDocs hooks: the repository the site links to, one generated page per framework and one per pair.

The data is loaded and validated once, by the macros plugin's `define_env`; these
hooks read the result from that plugin instead of loading the file again.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

SECTION_INDEX = "frameworks/index.md"
# Relative to edit_uri (edit/main/docs/), so it follows whatever repo_url is.
DATA_EDIT_PATH = "../data/frameworks.yml"
# mkdocs.yml reads repo_url from it; without it, a local build follows the git remote.
REPO_URL_VARIABLE = "REPO_URL"
# The comparison data as JSON, published beside the pages for download.
DATA_JSON_URI = "data/frameworks.json"

log = logging.getLogger("mkdocs.hooks.repository")


def _catalog(config: MkDocsConfig) -> Any:
    """The catalog that the macros plugin loaded for this build."""
    # The macros plugin's class is not typed: its `variables` are known only at run time.
    return cast(Any, config.plugins["macros"]).variables["catalog"]


def _page_uri(framework_id: str) -> str:
    return f"frameworks/{framework_id}.md"


def _add_to_nav(nav: list[Any], pages: list[Any], section_index: str = SECTION_INDEX) -> bool:
    """Append pages (paths, or `{title: [paths]}` groups) to the nav section that holds `section_index`."""
    for entry in nav:
        children = next(iter(entry.values())) if isinstance(entry, dict) else None
        if isinstance(children, list):
            if section_index in children or any(isinstance(c, dict) and section_index in c.values() for c in children):
                children.extend(p for p in pages if p not in children)
                return True
            if _add_to_nav(children, pages, section_index):
                return True
    return False


def _follow_the_repository(config: MkDocsConfig) -> None:
    """Point repo_url at the clone's own remote when REPO_URL is not given, and name it owner/name."""
    # imported late: the macros plugin puts the project on sys.path
    from macros.repository import local_repo_url, repo_name

    source = f"{REPO_URL_VARIABLE} in the environment"
    if REPO_URL_VARIABLE not in os.environ:
        local = local_repo_url(Path(config.config_file_path).parent)
        if local is not None:
            config.repo_url, source = local, "the git remote origin"
        else:
            source = "the default in mkdocs.yml"
    log.info("Repository links go to %s, from %s", config.repo_url, source)
    if config.repo_url:
        # MkDocs would label it "GitHub"; the header shows which repository instead.
        config.repo_name = repo_name(config.repo_url) or config.repo_name


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Link the repository that builds the site; list every framework page and every pair page in the nav."""
    from macros import pairs  # imported late: the macros plugin puts the project on sys.path

    _follow_the_repository(config)
    catalog = _catalog(config)
    pages = [_page_uri(fw["id"]) for fw in catalog.frameworks]
    if config.nav is not None and not _add_to_nav(config.nav, pages):
        raise RuntimeError(f"The nav has no section holding {SECTION_INDEX}; framework pages need one.")
    if config.nav is not None and not _add_to_nav(config.nav, pairs.nav_groups(catalog), pairs.INDEX_URI):
        raise RuntimeError(f"The nav has no section holding {pairs.INDEX_URI}; pair pages need one.")
    return config


def search_separator(config: MkDocsConfig, default: str) -> str:
    """The pattern Material's search splits queries with: its plugin's setting, which it fills in at on_config."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    separator = getattr(getattr(plugin, "config", None), "separator", None)
    return separator if isinstance(separator, str) and separator else default


# Before other plugins, so the link checker and search see the generated pages too.
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add one generated page per framework and per pair (each renders through a macro), and the data as JSON."""
    from macros import pairs  # imported late: the macros plugin puts the project on sys.path

    catalog = _catalog(config)
    for fw in catalog.frameworks:
        # Front matter is YAML, and JSON is YAML: every value is quoted safely. The tags
        # feed Material's search, which ranks a page first for a tag it carries.
        content = (
            f"---\ndescription: {json.dumps(fw['name'] + ', ' + fw['tagline'])}\n"
            f"tags: {json.dumps(fw['search_terms'])}\n---\n"
        )
        content += f"{{{{ framework_page({json.dumps(fw['id'])}) }}}}\n"
        file = File.generated(config, _page_uri(fw["id"]), content=content)
        # "Edit this page" on a generated page opens the data file it comes from.
        file.edit_uri = DATA_EDIT_PATH
        files.append(file)
    separator = search_separator(config, pairs.DEFAULT_SEARCH_SEPARATOR)
    for first, second in pairs.pairs(catalog):
        content = pairs.front_matter(first, second, separator)
        file = File.generated(config, pairs.pair_uri(first, second), content=content)
        file.edit_uri = DATA_EDIT_PATH
        files.append(file)
    # A generated file rather than one written after the build: MkDocs copies it,
    # `mkdocs serve` serves it, and the strict build checks links to it.
    from macros.render import data_json  # imported late: the macros plugin puts the project on sys.path

    files.append(File.generated(config, DATA_JSON_URI, content=data_json(_catalog(config))))
    return files
