"""scripts/check_links.py, offline: the links it collects, and LinkChecker's verdicts on pages served on 127.0.0.1.

The checks run the real LinkChecker against a local server: a page that
answers, one that is missing, a redirect, fragments present as id= and as
name=, a missing fragment, a 429 and a 503 that pass on a second try, and
ports where nothing listens.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from macros.yaml_reader import parse
from tests.conftest import ROOT, load_script

check_links = load_script("scripts/check_links.py")
Limits, Outcome, Use = check_links.Limits, check_links.Outcome, check_links.Use

# Polite defaults would make these tests slow: a local server can take more.
FAST = Limits(threads=4, per_host=50.0, timeout=5, run_seconds=60, backoff=0.2, max_wait=5.0)

PAGE = """<!doctype html><html><head><title>Guide</title></head><body>
<h2 id="install">Install</h2>
<p><a name="legacy-anchor">An old-style anchor</a></p>
</body></html>"""


@pytest.fixture
def site(httpserver_ipv4: HTTPServer) -> HTTPServer:
    """A small site on 127.0.0.1: /guide (with an id and a name), /moved (a redirect to it), and no robots.txt."""
    server = httpserver_ipv4
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/guide").respond_with_data(PAGE, content_type="text/html")
    server.expect_request("/moved").respond_with_response(Response(status=301, headers={"Location": "/guide"}))
    server.expect_request("/gone").respond_with_data("Not here", status=404, content_type="text/plain")
    return server


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def requested(server: HTTPServer) -> list[str]:
    """The paths the server was asked for, robots.txt left out."""
    return [request.path for request, _ in server.log if request.path != "/robots.txt"]


# --- collecting ------------------------------------------------------------------


def test_markdown_links_finds_links_images_autolinks_references_and_html_with_their_lines() -> None:
    text = """# Title

A paragraph with [a link](https://a.example/one) and, on its
second line, ![an image](https://b.example/pic.png) and <https://c.example/auto>.

See [the reference][ref] and <a href="https://d.example/html">raw HTML</a>.

[ref]: https://e.example/ref#part
"""
    assert check_links.markdown_links(text) == [
        (3, "https://a.example/one"),
        (4, "https://b.example/pic.png"),
        (4, "https://c.example/auto"),
        (6, "https://e.example/ref#part"),  # a reference link is found where it is used
        (6, "https://d.example/html"),
    ]


def test_markdown_links_leaves_out_code() -> None:
    text = """Inline `[not](https://a.example/code)` code.

```yaml
source: https://b.example/fenced
link: "[x](https://c.example/fenced)"
```

    [indented](https://d.example/indented)
"""
    assert check_links.markdown_links(text) == []


@pytest.mark.parametrize(
    ("url", "external"),
    [
        ("https://docs.example.org/page#part", True),
        ("http://docs.example.org/", True),
        ("http://127.0.0.1:8000/", False),
        ("http://localhost:8000/", False),
        ("http://[::1]:8000/", False),
        ("guide.md#install", False),
        ("#install", False),
        ("/comparison/", False),
        ("mailto:someone@example.org", False),
        ("http://[broken", False),
    ],
)
def test_only_links_to_other_hosts_are_external(url: str, external: bool) -> None:
    assert check_links.is_external(url) is external


def test_docs_links_name_the_page_and_line_and_skip_this_machine(tmp_path: Path) -> None:
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\nServe it at <http://127.0.0.1:8000/>.\n\nRead [the PEP](https://peps.example.org/pep-1/#abstract).\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "guide" / "page.md").write_text(
        "[Home](../index.md) and [elsewhere](https://other.example.org/)\n", encoding="utf-8"
    )
    assert check_links.docs_links(tmp_path) == [
        Use("https://other.example.org/", "docs/guide/page.md:1"),
        Use("https://peps.example.org/pep-1/#abstract", "docs/index.md:5"),
    ]


def test_data_links_give_each_url_field_and_markdown_link_its_line_and_key_path() -> None:
    catalog = parse(
        """aspects:
  - id: type
    values:
      flask:
        value: Micro
        note: See [the foreword](https://flask.example.org/foreword/#why) and [a page](other.md).
        source: https://flask.example.org/foreword/
frameworks:
  - id: flask
    links:
      homepage: https://flask.example.org/
"""
    )
    assert check_links.data_links(catalog) == [
        Use("https://flask.example.org/foreword/#why", "data/frameworks.yml:6 aspects[0].values.flask.note"),
        Use("https://flask.example.org/foreword/", "data/frameworks.yml:7 aspects[0].values.flask.source"),
        Use("https://flask.example.org/", "data/frameworks.yml:11 frameworks[0].links.homepage"),
    ]


def test_every_url_in_the_real_data_is_collected_at_its_line() -> None:
    """Each `https://` in data/frameworks.yml is one collected use, at the line it is on."""
    lines = (ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8").splitlines()
    expected = sorted(
        (number, url)
        for number, line in enumerate(lines, 1)
        if not line.lstrip().startswith("#")
        for url in check_links._WHOLE_URL.findall(line)
    )
    uses = [use for use in check_links.collect(ROOT) if use.where.startswith("data/frameworks.yml:")]
    found = sorted((int(use.where.split(":")[1].split()[0]), use.url) for use in uses)
    assert found == [(number, url.rstrip(").,")) for number, url in expected]
    sources = [use for use in uses if use.where.endswith(".source")]
    assert len(sources) == sum(1 for line in lines if line.lstrip().startswith("source: https://"))


def test_list_prints_every_link_with_where_it_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_links.main(["--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.endswith(".links.repository]") for line in out)
    assert any("[docs/" in line for line in out)


# --- checking, against the local site --------------------------------------------


def test_linkchecker_reports_pages_redirects_and_fragments(site: HTTPServer) -> None:
    urls = {
        "page": site.url_for("/guide"),
        "missing": site.url_for("/gone"),
        "redirect": site.url_for("/moved"),
        "id": site.url_for("/guide#install"),
        "name": site.url_for("/guide#legacy-anchor"),
        "redirect to an id": site.url_for("/moved#install"),
        "no fragment": site.url_for("/guide#uninstall"),
    }
    outcomes = check_links.check(list(urls.values()), FAST)
    got = {name: outcomes[url] for name, url in urls.items()}
    assert {name: outcome.status for name, outcome in got.items()} == {
        "page": "ok",
        "missing": "broken",
        "redirect": "ok",
        "id": "ok",
        "name": "ok",
        "redirect to an id": "ok",
        "no fragment": "no-fragment",
    }
    assert got["missing"].detail == "404 NOT FOUND"
    assert got["redirect"].detail == f"200 OK, after a redirect to {urls['page']}"
    assert got["no fragment"].detail == "no id or name 'uninstall' on the page (200 OK)"
    # Each URL was asked for as given, and nothing else: no crawling of the page's links.
    assert set(requested(site)) == {"/guide", "/gone", "/moved"}
    agents = {request.headers.get("User-Agent") for request, _ in site.log if request.path != "/robots.txt"}
    assert agents == {check_links.USER_AGENT}


def test_a_429_and_a_503_are_tried_again_and_a_lasting_5xx_is_reported_after_the_last_try(site: HTTPServer) -> None:
    site.expect_oneshot_request("/busy").respond_with_data("Slow down", status=429, headers={"Retry-After": "1"})
    site.expect_request("/busy").respond_with_data(PAGE, content_type="text/html")
    site.expect_oneshot_request("/flaky").respond_with_data("Oops", status=503)
    site.expect_request("/flaky").respond_with_data(PAGE, content_type="text/html")
    site.expect_request("/down").respond_with_data("Oops", status=502)
    waits: list[float] = []
    logged: list[str] = []
    busy, flaky, down = site.url_for("/busy"), site.url_for("/flaky#install"), site.url_for("/down")
    outcomes = check_links.check([busy, flaky, down], FAST, sleep=waits.append, log=logged.append)
    assert outcomes[busy] == outcomes[flaky] == Outcome("ok", "200 OK")
    assert outcomes[down] == Outcome("server-error", "502 BAD GATEWAY")
    # The first pause is the 429's Retry-After, longer than the backoff; the second, twice the backoff.
    assert waits == [1.0, pytest.approx(2 * FAST.backoff)]
    assert logged == [
        "check-links: trying 3 link(s) again in 1 s (try 2 of 3)",
        "check-links: trying 1 link(s) again in 0 s (try 3 of 3)",
    ]
    assert sorted(requested(site)) == ["/busy", "/busy", "/down", "/down", "/down", "/flaky", "/flaky"]


# --- the command: report and exit status -----------------------------------------


def test_all_fine_exits_0_with_a_summary(site: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_links.main([site.url_for("/guide#install"), site.url_for("/moved")], FAST) == 0
    assert capsys.readouterr().out == "check-links: 2 URLs in 2 places: 2 ok\n"


def test_a_broken_or_unreachable_link_exits_1_and_each_problem_is_one_line(
    site: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    gone, fragment, ok = site.url_for("/gone"), site.url_for("/guide#nowhere"), site.url_for("/guide")
    dead = f"http://127.0.0.1:{closed_port()}/page"
    assert check_links.main([ok, gone, fragment, dead, "--backoff", "0"], FAST) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"BROKEN        {gone}  404 NOT FOUND  [the command line]",
        f"NO FRAGMENT   {fragment}  no id or name 'nowhere' on the page (200 OK)  [the command line]",
        f"UNREACHABLE   {dead}  no connection (refused, reset, or no route to the host)  [the command line]",
        "check-links: 4 URLs in 4 places: 1 broken, 1 no fragment, 1 unreachable, 1 ok",
    ]


def test_nothing_reachable_exits_2_with_one_line_per_link_and_a_one_line_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dead = sorted(f"http://127.0.0.1:{closed_port()}/{name}" for name in ("a", "b#part"))
    assert check_links.main(dead, FAST) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        *(
            f"UNREACHABLE   {url}  no connection (refused, reset, or no route to the host)  [the command line]"
            for url in dead
        ),
        "check-links: none of the 2 URLs in 2 places could be reached (no connection (refused, reset, or no route to the host)): is the network down?",
    ]
    assert "trying" not in captured.err  # nothing answered: no retries


def test_a_usage_error_exits_3_not_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        check_links.main(["--no-such-option"])
    assert stopped.value.code == 3


# --- reading LinkChecker's report, and the report's own rules ---------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {
                "result": "ReadTimeout: HTTPSConnectionPool(host='a.example', port=443): Read timed out.",
                "valid": "False",
            },
            Outcome("timed-out", "no answer within 5 s"),
        ),
        (
            {
                "result": "ConnectionError: ... (Caused by NameResolutionError(\"Failed to resolve 'a.example'\"))",
                "valid": "False",
            },
            Outcome("unreachable", "the host name does not resolve"),
        ),
        (
            {"result": "SSLError: ... certificate verify failed", "valid": "False"},
            Outcome("broken", "a TLS error (the certificate or the handshake)"),
        ),
        (
            {"result": "200 OK", "infostring": "Access denied by robots.txt, checked only syntax.", "valid": "True"},
            Outcome("not-checked", "the site's robots.txt asks checkers not to fetch it"),
        ),
        (
            {"result": "429 Too Many Requests", "warningstring": "Rate limited (Retry-After: 30)", "valid": "True"},
            Outcome("rate-limited", "429 Too Many Requests", 30.0),
        ),
    ],
)
def test_classify_reads_what_linkchecker_says(row: dict[str, str], expected: Outcome) -> None:
    assert check_links.classify(row, FAST) == expected


def test_report_groups_the_places_of_a_url_and_lists_ok_links_only_when_verbose() -> None:
    uses = [
        Use("https://a.example/", "data/frameworks.yml:3 x.source"),
        Use("https://a.example/", "docs/index.md:9"),
        Use("https://b.example/", "docs/index.md:10"),
    ]
    outcomes = {"https://a.example/": Outcome("ok", "200 OK"), "https://b.example/": Outcome("not-checked", "robots")}
    lines, status = check_links.report(uses, outcomes)
    assert status == 0
    assert lines == [
        "NOT CHECKED   https://b.example/  robots  [docs/index.md:10]",
        "check-links: 2 URLs in 3 places: 1 not checked, 1 ok",
    ]
    lines, _ = check_links.report(uses, outcomes, verbose=True)
    assert lines[1] == "OK            https://a.example/  200 OK  [data/frameworks.yml:3 x.source; docs/index.md:9]"


def test_retries_wait_at_most_max_wait_and_stop_when_nothing_answers() -> None:
    calls: list[list[str]] = []

    def run(urls: list[str], limits: object) -> dict[str, object]:
        calls.append(urls)
        return {url: Outcome("rate-limited", "429", 3600.0) for url in urls}

    waits: list[float] = []
    check_links.check(["https://a.example/"], FAST, run=run, sleep=waits.append, log=lambda _: None)
    assert waits == [FAST.max_wait, FAST.max_wait] and len(calls) == FAST.attempts

    calls.clear()
    down = lambda urls, limits: {url: Outcome("timed-out", "no answer") for url in urls}  # noqa: E731
    check_links.check(["https://a.example/", "https://b.example/"], FAST, run=down, sleep=waits.append)
    assert waits == [FAST.max_wait, FAST.max_wait]  # no further wait: nothing answered, so no retry
