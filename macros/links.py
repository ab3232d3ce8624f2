"""The internal link check, once over the built site: every link and image in a page's body
must reach a page or file of the site, and a link's #fragment an id on the page it names.

It replaces a per-page checker that parsed each page twice with BeautifulSoup (about
30% of a build, 45 to 60% under a profiler). Here each page's body is read once, by a
tokenizer that finds only tags, while it is built; the links are settled when every
page is there. A fragment is looked up first among the ids of the target's body, and
only when it is not there among those of the whole page the theme rendered (its
header, nav and footer), which is read then, so the common case reads no page twice.

No MkDocs import: macros/link_hooks.py feeds it from the build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urlsplit

# Elements whose URL attribute a reader follows or a page shows, as the old checker read them.
LINK_ATTRIBUTES = {"a": "href", "img": "src"}


@dataclass(frozen=True)
class Scan:
    """What one piece of HTML holds: the ids a fragment can reach, and the URLs of its links and images."""

    ids: frozenset[str]
    links: tuple[str, ...]


@dataclass(frozen=True)
class Broken:
    """One link that does not reach its target: on which page, the link as written, and why."""

    page: str
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page} links to '{self.link}', but {self.reason}"


# One token of HTML, as the standard library's HTMLParser splits it: a comment, a
# declaration or processing instruction, a script or style element with its raw text
# (which may hold `<a href=` in a string without being a link), or a start or end tag
# whose attributes may quote a `>`. Text between tokens is skipped unread, which is
# what makes this several times faster than HTMLParser's event per piece of text.
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(script|style)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>.*?</\1\s*>"
    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def scan(html: str) -> Scan:
    """The ids (and `<a name>`s) outside `<template>`, whose content no fragment reaches, and link URLs of some HTML.

    tests/test_links.py checks that it reads every built page as HTMLParser does.
    """
    ids: set[str] = set()
    links: list[str] = []
    in_template = 0
    for token in _TOKEN.finditer(html):
        raw_tag, raw_attributes, closing, tag, attributes = token.group(1, 2, 3, 4, 5)
        if raw_tag:
            tag, attributes, closing = raw_tag, raw_attributes, ""
        if not tag:
            continue  # a comment or a declaration
        tag = tag.lower()
        if closing:
            if tag == "template" and in_template:
                in_template -= 1
            continue
        wanted = LINK_ATTRIBUTES.get(tag)
        # Most tags of a page (the spans of highlighted code) carry neither an id nor a link.
        if attributes and (wanted or "id" in attributes.lower() or "name" in attributes.lower()):
            for attribute in _ATTRIBUTE.finditer(attributes):
                name = attribute[1].lower()
                if name != wanted and name != "id" and name != "name":
                    continue
                value = next((v for v in attribute.group(2, 3, 4) if v is not None), None)
                if value is None:
                    continue
                value = unescape(value) if "&" in value else value
                if name == wanted:
                    links.append(value)
                # A template element keeps its own id; only what it holds is inert.
                if not in_template and (name == "id" or (name == "name" and tag == "a")):
                    ids.add(value)
        if tag == "template":
            in_template += 1
    return Scan(frozenset(ids), tuple(links))


def _key(path: str) -> str:
    """A site path in one spelling: `frameworks/x/`, `frameworks/x` and `frameworks/x/index.html` are one target."""
    # Relative to the site root; a path that climbs above it keeps its `..` and matches nothing.
    path = posixpath.normpath(path) if path else ""
    if path in {".", "index.html"}:
        return ""
    return path.removesuffix("/index.html")


def target_of(link: str, page_url: str) -> tuple[str, str] | None:
    """The site path and fragment a link in the page at `page_url` leads to; None for a link off the site.

    A link with a scheme (https:, mailto:, data:) or a host is external: the build does not
    go on the network, and `make check-links` checks those.
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    fragment = unquote(parts.fragment)
    if not parts.path:
        return _key(page_url), fragment
    path = unquote(parts.path)
    if path.startswith("/"):
        return _key(path.lstrip("/")), fragment
    # A page's URL is a folder (`comparison/`) or a file (`404.html`); a relative link starts there.
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return _key(posixpath.join(folder, path)), fragment


@dataclass(frozen=True)
class Site:
    """What the check knows of the built site.

    `pages`: each page's URL (`comparison/`) with its source name and the scan of its body;
    `files`: the URL of every other file built (CSS, JSON, images);
    `full_ids`: the ids of a page's whole rendered HTML, by its URL, asked for only when
    its body lacks a fragment that a link names.
    """

    pages: Mapping[str, tuple[str, Scan]]
    files: Iterable[str]
    full_ids: Callable[[str], frozenset[str]]


def check(site: Site) -> list[Broken]:
    """Every broken link of the site's pages, in page order, each link reported once per page."""
    pages = {_key(url): (url, source, body) for url, (source, body) in site.pages.items()}
    files = {_key(url) for url in site.files}
    full: dict[str, frozenset[str]] = {}
    broken: list[Broken] = []
    for url, (source, body) in site.pages.items():
        for link in dict.fromkeys(body.links):  # in order, once each
            target = target_of(link, url)
            if target is None:
                continue
            path, fragment = target
            if path in pages:
                target_url, target_source, target_body = pages[path]
                if not fragment or fragment in target_body.ids:
                    continue
                if target_url not in full:
                    full[target_url] = site.full_ids(target_url)
                if fragment not in full[target_url]:
                    broken.append(Broken(source, link, f"{target_source} has no id '{fragment}'"))
            elif path not in files:
                broken.append(Broken(source, link, f"the site has no page or file at '{path or '/'}'"))
    return broken


def report(broken: Iterable[Broken]) -> str:
    """How many links are broken, then one line for each."""
    lines = [str(b) for b in broken]
    return "\n".join([f"{len(lines)} broken internal link{'s' if len(lines) != 1 else ''}:", *lines])
