"""Browser fixtures: the built site served on 127.0.0.1, one Chromium per session, guarded pages.

Every page these fixtures open fails its test when it requests another host or logs
a console error, so each browser test checks both on top of what it asserts itself.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browsing
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def in_ci() -> bool:
    """Whether this run is CI's, where a missing browser must fail, not skip."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site quietly, with its sitemap pointing at this server.

    Material's instant navigation only intercepts links to URLs listed in
    sitemap.xml, matched with the port: the build lists the site's configured
    address (SITE_URL, port 8000), so the sitemap is served with this server's.
    """

    built_url = ""
    served_url = ""

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/sitemap.xml":
            super().do_GET()
            return
        body = Path(self.directory, "sitemap.xml").read_bytes()
        body = body.replace(self.built_url.encode(), self.served_url.encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def _configured_url(site: Path) -> str:
    """The address the site was built for: the home page's canonical link."""
    match = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    assert match, "the home page has no canonical link, so the build's site_url is unknown"
    return match[1]


@contextlib.contextmanager
def serve_site(site_dir: Path) -> Iterator[str]:
    """A built site, served on a free 127.0.0.1 port until the block ends; yields its address."""
    handler = type("Handler", (_SiteHandler,), {"built_url": _configured_url(site_dir)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    served_url = f"http://127.0.0.1:{server.server_address[1]}/"
    handler.served_url = served_url
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield served_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The built site, served on a free 127.0.0.1 port for the whole session."""
    with serve_site(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def site_dir(built_site: Any) -> Path:
    """The directory the session's build wrote the site to."""
    return Path(built_site.site)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver for the session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the session: Debian's, or the one CHROMIUM_PATH names."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except PlaywrightError as error:
        reason = f"Chromium did not start from {executable}: {str(error).splitlines()[0]}"
        if in_ci():
            pytest.fail(f"{reason}. CI=true, so a missing browser fails the run (make system-deps installs it).")
        pytest.skip(f"{reason}. Install it with `make system-deps` or point CHROMIUM_PATH at one.")
    yield chromium
    chromium.close()


def guarded_browsing(browser: Browser, site_url: str) -> Iterator[Browsing]:
    """Guarded pages of a served site for one test; any request to another host or console error fails it."""
    session = Browsing(browser, site_url)
    try:
        yield session
    finally:
        session.close()
    problems = session.guard.problems()
    if problems:
        pytest.fail("The pages of this test misbehaved:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def browsing(browser: Browser, site_url: str) -> Iterator[Browsing]:
    """Guarded pages of the session's site for one test."""
    yield from guarded_browsing(browser, site_url)


@pytest.fixture
def open_page(browsing: Browsing) -> Callable[..., Page]:
    """`open_page("comparison/", viewport=PHONE)`: a guarded page at a site path."""
    return browsing.open
