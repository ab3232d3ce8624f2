"""The assets a docs page (Swagger UI, ReDoc) loads: every one from the app itself, none from a CDN."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit


class AssetLinks(HTMLParser):
    """Collects the URLs of a page's scripts, stylesheets and icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") if tag == "script" else found.get("href") if tag == "link" else None
        if url:
            self.urls.append(url)


# A GET through a framework's test client: path to (status, content type, body).
Get = Callable[[str], tuple[int, str, bytes]]


def assert_only_local_assets(get: Get, page: str) -> list[str]:
    """Fail unless the page is HTML whose every script, stylesheet and icon the app serves; return their URLs."""
    status, content_type, body = get(page)
    assert status == 200, page
    assert content_type.startswith("text/html"), content_type
    html = body.decode("utf-8")
    parser = AssetLinks()
    parser.feed(html)
    assert parser.urls, "the page loads its assets from somewhere"
    for url in parser.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{page} loads {url} from another host"
        asset_status, _, asset = get(url)
        assert asset_status == 200, url
        assert asset, url
    assert "cdn" not in html.lower()
    assert "fonts.googleapis" not in html
    return parser.urls
