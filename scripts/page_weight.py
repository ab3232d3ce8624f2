#!/usr/bin/env python3
"""The home page's transfer weight: its HTML and every stylesheet and script it references, gzip-compressed.

GitHub Pages serves text compressed with gzip, so the gzip size is what a reader
downloads. The search worker and its index load later, when a reader searches,
and are not counted.

    python scripts/page_weight.py            build the site into a temp dir and report
    python scripts/page_weight.py --site DIR report on a site already built in DIR
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 80 * 1024
# Fetched on demand by Material's search, not by the page itself.
EXCLUDED = ("assets/javascripts/workers/", "assets/javascripts/lunr/", "search/")


@dataclass(frozen=True)
class Asset:
    """One file of the page, with its size on disk and gzip-compressed."""

    path: str
    raw: int
    gzipped: int


class _References(HTMLParser):
    """The stylesheets and scripts an HTML page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "").split() and found.get("href"):
            self.urls.append(found["href"] or "")
        elif tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")


def gzip_size(data: bytes) -> int:
    """The size of `data` compressed as a web server would (gzip, default level)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(site: Path, page: str = "index.html") -> list[Asset]:
    """The page and each local stylesheet and script it references, in load order."""
    html = (site / page).read_bytes()
    parser = _References()
    parser.feed(html.decode("utf-8"))
    assets = [Asset(page, len(html), gzip_size(html))]
    seen = {page}
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            raise ValueError(f"{page} loads {url} from another host")
        path = urlsplit(urljoin(page, parts.path)).path.lstrip("/")
        if path in seen or path.startswith(EXCLUDED):
            continue
        seen.add(path)
        data = (site / path).read_bytes()
        assets.append(Asset(path, len(data), gzip_size(data)))
    return assets


def report(assets: list[Asset]) -> str:
    """A plain-text table of the assets and their total against the budget."""
    width = max(len(a.path) for a in assets)
    lines = [f"{'file':<{width}}  {'bytes':>9}  {'gzip':>9}"]
    lines += [f"{a.path:<{width}}  {a.raw:>9,}  {a.gzipped:>9,}" for a in assets]
    total = sum(a.gzipped for a in assets)
    lines.append(f"{'total':<{width}}  {sum(a.raw for a in assets):>9,}  {total:>9,}")
    lines.append(f"home page weight: {total / 1024:.1f} KB gzip of a {BUDGET // 1024} KB budget")
    return "\n".join(lines)


def build(site: Path) -> None:
    """A strict build of the project into `site`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        site = args.site or Path(temp) / "site"
        if args.site is None:
            build(site)
        assets = page_weight(site)
    print(report(assets))
    total = sum(a.gzipped for a in assets)
    if total > BUDGET:
        print(f"over budget by {(total - BUDGET) / 1024:.1f} KB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
