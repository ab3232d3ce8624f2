"""MkDocs hooks: the internal link check of macros/links.py, once the whole site is built.

Each page's body is read as it is built; when every page is there, each link and image
in a body must reach a page or file of the site, and each #fragment an id on its page.
A broken one fails the build, whether or not it is strict, with one line per link.

LINK_CHECK=false turns it off: `make serve` sets it, so a rebuild after an edit is
not held up by a check that `make build`, `make test` and CI all run.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

SWITCH = "LINK_CHECK"
OFF = {"false", "0", "no", "off"}

log = logging.getLogger("mkdocs.hooks.links")

# One build's worth, reset when a build starts (`mkdocs serve` runs many in one process).
_bodies: dict[str, tuple[str, Any]] = {}  # page URL -> (source name, Scan of its body)
_outputs: dict[str, str] = {}  # page URL -> its whole rendered HTML
_files: list[str] = []  # URL of every file that is not a page


def enabled() -> bool:
    """Whether this build checks its links: yes unless LINK_CHECK says false."""
    return os.environ.get(SWITCH, "true").strip().lower() not in OFF


def on_pre_build(config: MkDocsConfig) -> None:
    """Forget the previous build's pages."""
    _bodies.clear()
    _outputs.clear()
    _files.clear()


def on_env(env: Any, config: MkDocsConfig, files: Files) -> None:
    """Note every file of the site that is not a page: a link may point at one (a stylesheet, the data as JSON)."""
    if enabled():
        _files.extend(file.url for file in files if not file.is_documentation_page())


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> None:
    """Read the links and ids of the page's body, and keep its whole HTML in case a fragment needs it."""
    if not enabled():
        return
    from macros.links import scan  # imported late: the macros plugin puts the project on sys.path

    _bodies[page.url] = (page.file.src_uri, scan(page.content or ""))
    _outputs[page.url] = output


def on_post_build(config: MkDocsConfig) -> None:
    """Fail the build on any broken internal link or fragment, naming each."""
    if not enabled():
        log.info("Internal links not checked: %s=%s", SWITCH, os.environ.get(SWITCH))
        return
    from macros.links import Site, check, report, scan

    broken = check(Site(dict(_bodies), list(_files), lambda url: scan(_outputs[url]).ids))
    if broken:
        raise PluginError(report(broken))
    log.info("Internal links checked: %d pages", len(_bodies))
