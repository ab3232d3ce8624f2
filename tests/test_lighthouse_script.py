"""scripts/lighthouse.py without Lighthouse: its static server, the median it keeps and the targets it checks."""

from __future__ import annotations

import functools
import gzip
import http.client
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_script

lighthouse = load_script("scripts/lighthouse.py")

PAGE = "<!doctype html><title>Guide</title>" + "<p>The same paragraph, again and again.</p>" * 200
NOT_FOUND = "<!doctype html><title>Not found</title><p>No such page.</p>"
IMAGE = bytes(range(256)) * 8


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    """The script's static server on a free port, over a small site; yields the port."""
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(IMAGE)
    handler = functools.partial(lighthouse.GzipHandler, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def fetch(port: int, path: str, encoding: str | None = "gzip") -> tuple[int, dict[str, str], bytes]:
    """Status, headers and raw body of one GET, asking for gzip unless `encoding` is None."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_server_compresses_html_for_a_browser_that_accepts_gzip(server: int) -> None:
    status, headers, body = fetch(server, "/guide/")
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert int(headers["Content-Length"]) == len(body) < len(PAGE) // 10
    assert gzip.decompress(body).decode("utf-8") == PAGE


def test_server_sends_plain_html_when_gzip_is_not_accepted(server: int) -> None:
    status, headers, body = fetch(server, "/guide/", encoding=None)
    assert status == 200
    assert "Content-Encoding" not in headers
    assert body.decode("utf-8") == PAGE


def test_server_does_not_compress_images(server: int) -> None:
    status, headers, body = fetch(server, "/logo.png")
    assert status == 200
    assert "Content-Encoding" not in headers
    assert headers["Content-Type"] == "image/png"
    assert body == IMAGE


def test_server_redirects_a_directory_to_its_trailing_slash(server: int) -> None:
    status, headers, _ = fetch(server, "/guide")
    assert status == 301
    assert headers["Location"] == "/guide/"


def test_server_answers_a_missing_page_with_the_sites_404_page(server: int) -> None:
    status, headers, body = fetch(server, "/no/such/page/")
    assert status == 404
    assert headers["Content-Type"] == "text/html"
    assert gzip.decompress(body).decode("utf-8") == NOT_FOUND


def run(performance: float | None, **other: float | None) -> dict[str, Any]:
    """A run summary as the script records it, with full marks outside performance unless given."""
    scores = {"performance": performance, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
    scores.update({name.replace("_", "-"): score for name, score in other.items()})
    return {"page": "/performance/", "preset": "mobile", "scores": scores}


def test_median_run_is_the_middle_run_by_performance_with_every_score_kept() -> None:
    runs = [run(0.90), run(0.97), run(0.79), run(0.96, seo=0.92), run(0.98)]
    median = lighthouse.median_run(runs)
    assert median["scores"]["performance"] == 0.96
    assert median["scores"]["seo"] == 0.92  # the whole run, not a mix of runs
    assert median["performance_of_each_run"] == [0.79, 0.90, 0.96, 0.97, 0.98]
    assert "performance_of_each_run" not in runs[3]


def test_a_run_lighthouse_could_not_score_counts_as_lowest_and_prints_as_n_a() -> None:
    median = lighthouse.median_run([run(0.97), run(None), run(0.95)])
    assert median["scores"]["performance"] == 0.95
    assert median["performance_of_each_run"] == [None, 0.95, 0.97]
    assert lighthouse.spread_text(median) == "n/a-0.97"
    assert lighthouse.score_text(1) == "1.00"


def test_targets_are_the_published_budgets() -> None:
    assert lighthouse.target("performance", "mobile") == 0.95
    assert lighthouse.target("performance", "desktop") == 1.0
    for category in ("accessibility", "best-practices", "seo"):
        for preset in lighthouse.PRESETS:
            assert lighthouse.target(category, preset) == 1.0


def test_misses_name_every_score_below_its_target() -> None:
    rows = [
        run(0.95),  # exactly on the mobile target
        run(0.94),
        {**run(0.99), "preset": "desktop"},
        {**run(1.0, accessibility=None), "page": "/"},
    ]
    assert lighthouse.misses(rows) == [
        "/performance/ mobile performance 0.94 < 0.95",
        "/performance/ desktop performance 0.99 < 1.0",
        "/ mobile accessibility None < 1.0",
    ]


def test_lost_points_lists_only_weighted_audits_short_of_full_marks() -> None:
    lhr = {
        "categories": {
            "performance": {
                "auditRefs": [
                    {"id": "first-contentful-paint", "weight": 10},
                    {"id": "total-blocking-time", "weight": 30},
                    {"id": "unused-css-rules", "weight": 0},
                    {"id": "cumulative-layout-shift", "weight": 25},
                ]
            }
        },
        "audits": {
            "first-contentful-paint": {"score": 0.86, "displayValue": "1.9 s"},
            "total-blocking-time": {"score": 1, "displayValue": "20 ms"},
            "unused-css-rules": {"score": 0, "displayValue": "16 KiB"},
            "cumulative-layout-shift": {"score": None},
        },
    }
    assert lighthouse.lost_points(lhr, "performance") == [
        {"id": "first-contentful-paint", "score": 0.86, "weight": 10, "value": "1.9 s"}
    ]
