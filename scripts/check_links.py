#!/usr/bin/env python3
"""Check every external link the site cites: each page answers, and its #fragment is on it.

The links come from the loaded data (every URL field, `source` included, and
the links in its Markdown fields) and from the Markdown pages in docs/ (links
to other hosts only; code is left out). LinkChecker checks them: it fetches
each URL, follows redirects, honours robots.txt, and its AnchorCheck plugin
looks for the fragment as an `id` or an `<a name>` on the page. This script
adds what LinkChecker lacks: it retries a link that answered 429 or 5xx or
timed out, after a pause, and it reports each link with where it is used.

    python scripts/check_links.py              check the data's and the pages' links
    python scripts/check_links.py --list       list them, with where each is used; check nothing
    python scripts/check_links.py URL [URL...] check these URLs instead

Exit status: 0 every link is fine; 1 some link is broken, lacks its fragment,
or could not be checked; 2 no link could be reached at all (the network is
down, or DNS is); 3 the data or the command line is invalid.
"""

from __future__ import annotations

import argparse
import csv
import ipaddress
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.catalog import DATA_FILE, Catalog, line_for  # noqa: E402  (needs ROOT on the path)
from macros.data import load  # noqa: E402
from macros.problems import DataError, format_path  # noqa: E402

DOCS = Path("docs")
USER_AGENT = "pyweb-compare-link-check/1 (LinkChecker; a weekly check of the pages a comparison site cites)"


@dataclass(frozen=True)
class Limits:
    """How hard the check may press on other people's servers, and how long it may take."""

    threads: int = 4  # links checked at once
    per_host: float = 2.0  # requests a second to any one host, at most
    timeout: int = 20  # seconds to connect, and between bytes of an answer
    run_seconds: int = 900  # one LinkChecker run stops after this
    attempts: int = 3  # a 429, a 5xx or a timeout is tried this many times in all
    backoff: float = 15.0  # seconds before the second try; twice that before the third
    max_wait: float = 120.0  # the longest pause, whatever a Retry-After header asks


@dataclass(frozen=True)
class Use:
    """One place a URL is used: a data field (file:line and key path) or a page (file:line)."""

    url: str
    where: str


@dataclass(frozen=True)
class Outcome:
    """What checking one URL found."""

    status: str  # a key of STATUSES
    detail: str
    retry_after: float | None = None  # seconds, from a 429's Retry-After header

    @property
    def retryable(self) -> bool:
        """Whether another try later may find the link fine."""
        return self.status in {"rate-limited", "server-error", "timed-out"}


# Each status: its label in the report, and whether the link counts as a problem.
STATUSES: dict[str, tuple[str, bool]] = {
    "broken": ("BROKEN", True),
    "no-fragment": ("NO FRAGMENT", True),
    "server-error": ("SERVER ERROR", True),
    "rate-limited": ("RATE LIMITED", True),
    "timed-out": ("TIMED OUT", True),
    "unreachable": ("UNREACHABLE", True),
    "no-result": ("NO RESULT", True),
    "not-checked": ("NOT CHECKED", False),
    "ok": ("OK", False),
}
# A status that says nothing answered at all: when every link has one, the network is down.
NO_ANSWER = {"unreachable", "timed-out"}


# --- collecting the links --------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark")
_WHOLE_URL = re.compile(r"https?://\S+")


def is_external(url: str) -> bool:
    """An http(s) URL on another host: not this machine (`localhost`, 127.0.0.1, ::1), not a relative link."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in {"http", "https"} or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def _html_links(html: str) -> Iterator[str]:
    """The href and src values of raw HTML inside Markdown."""
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for attribute in ("href", "src"):
            value = tag.get(attribute)
            if isinstance(value, str):
                yield value


def markdown_links(text: str) -> list[tuple[int, str]]:
    """The link and image targets in Markdown text, each with its line (from 1), in order; code is no link."""
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    for token in _MARKDOWN.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "html_block":
            found += [(start + 1, url) for url in _html_links(token.content)]
        if token.type != "inline":
            continue
        # Inline tokens carry no line of their own: find each target in the block's lines, in order.
        line, column = start, 0
        for child in token.children or []:
            if child.type in {"link_open", "image"}:
                targets = [str(child.attrGet("href" if child.type == "link_open" else "src") or "")]
            elif child.type == "html_inline":
                targets = list(_html_links(child.content))
            else:
                continue
            for target in targets:
                for number in range(line, end):
                    at = lines[number].find(target, column if number == line else 0)
                    if at >= 0:
                        line, column = number, at + len(target)
                        break
                found.append((line + 1, target))
    return found


def _strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in the data, with its key path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def data_links(catalog: Catalog, file: str = str(DATA_FILE)) -> list[Use]:
    """Every external URL in the data: whole-URL fields (sources, links, release notes) and links in Markdown fields."""
    uses: list[Use] = []
    for path, text in _strings(catalog.raw):
        where = f"{file}:{line_for(catalog, path)} {format_path(path)}"
        # A field that is one URL (source, links, release notes), or Markdown text with links in it.
        targets = [text] if _WHOLE_URL.fullmatch(text) else [url for _, url in markdown_links(text)]
        uses += [Use(url, where) for url in targets if is_external(url)]
    return uses


def docs_links(root: Path) -> list[Use]:
    """Every external link and image in the Markdown pages under docs/, with its file and line."""
    uses: list[Use] = []
    for page in sorted((root / DOCS).rglob("*.md")):
        name = page.relative_to(root).as_posix()
        for line, url in markdown_links(page.read_text(encoding="utf-8")):
            if is_external(url):
                uses.append(Use(url, f"{name}:{line}"))
    return uses


def collect(root: Path) -> list[Use]:
    """The data's links, then the pages'; DataError if the data is invalid."""
    return data_links(load(root)) + docs_links(root)


# --- checking them with LinkChecker ----------------------------------------------


def linkchecker_config(limits: Limits) -> str:
    """A linkcheckerrc: check only the URLs given (no crawling), report every one as CSV, and look for fragments."""
    return f"""\
[checking]
threads={limits.threads}
timeout={limits.timeout}
aborttimeout={limits.timeout * 3}
maxrunseconds={limits.run_seconds}
maxrequestspersecond={limits.per_host}
recursionlevel=0
useragent={USER_AGENT}

[filtering]
checkextern=1

[output]
log=csv
verbose=1
status=0

[csv]
parts=urlname,result,warningstring,infostring,valid

[AnchorCheck]
"""


_ANCHOR = re.compile(r"Anchor `(?P<anchor>.*?)' \(decoded: `(?P<decoded>.*?)'\) not found")
_REDIRECT = re.compile(r"Redirected to `(?P<url>.*?)'")
_RETRY_AFTER = re.compile(r"Retry-After: (?P<seconds>\d+)")
_STATUS = re.compile(r"^(?P<code>\d{3})\b")
# LinkChecker reports a failed connection as requests' exception text, cut to 240
# characters, so the errno at its end may be gone: the exception's name says enough.
_CONNECTION = [
    (
        re.compile(r"NameResolutionError|Failed to resolve|Name or service not known"),
        "unreachable",
        "the host name does not resolve",
    ),
    (re.compile(r"[Tt]imed? ?out|Timeout"), "timed-out", "no answer within {timeout} s"),
    (re.compile(r"SSL|[Cc]ertificate"), "broken", "a TLS error (the certificate or the handshake)"),
    (
        re.compile(r"ConnectionError|NewConnectionError|Connection (refused|reset|aborted)|RemoteDisconnected"),
        "unreachable",
        "no connection (refused, reset, or no route to the host)",
    ),
]


def classify(row: dict[str, str], limits: Limits = Limits()) -> Outcome:
    """What one row of LinkChecker's CSV report means for the link."""
    result = (row.get("result") or "").strip()
    warnings = row.get("warningstring") or ""
    infos = row.get("infostring") or ""
    code = _STATUS.match(result)
    if row.get("valid") != "True":
        if code and int(code["code"]) >= 500:
            return Outcome("server-error", result)
        if code:
            return Outcome("broken", result)
        for pattern, status, detail in _CONNECTION:
            if pattern.search(result):
                return Outcome(status, detail.format(timeout=limits.timeout))
        return Outcome("broken", result[:200])
    if code and code["code"] == "429":
        wait = _RETRY_AFTER.search(warnings)
        return Outcome("rate-limited", result, float(wait["seconds"]) if wait else None)
    redirects = _REDIRECT.findall(warnings)
    answered = f"{result}, after a redirect to {redirects[-1]}" if redirects else result
    anchor = _ANCHOR.search(warnings)
    if anchor:
        return Outcome("no-fragment", f"no id or name {anchor['decoded']!r} on the page ({answered})")
    if "Access denied by robots.txt" in infos:
        return Outcome("not-checked", "the site's robots.txt asks checkers not to fetch it")
    return Outcome("ok", answered)


def parse_report(text: str, limits: Limits = Limits()) -> dict[str, Outcome]:
    """LinkChecker's CSV report as an outcome per URL, as the URL was given."""
    return {row["urlname"]: classify(row, limits) for row in csv.DictReader(text.splitlines(True), delimiter=";")}


def run_linkchecker(urls: list[str], limits: Limits) -> dict[str, Outcome]:
    """Check URLs with one LinkChecker run; a URL it reported nothing for gets 'no-result'."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "linkcheckerrc"
        config.write_text(linkchecker_config(limits), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "linkcheck", "--config", str(config), "--stdin"],
            input="\n".join(urls) + "\n",
            capture_output=True,
            text=True,
            timeout=limits.run_seconds + 120,
        )
    # 0: all valid; 1: some link invalid or warned about; 2 or more: LinkChecker itself failed.
    if done.returncode not in {0, 1} or not done.stdout.startswith("urlname;"):
        raise RuntimeError(f"LinkChecker failed (exit status {done.returncode}):\n{done.stderr.strip()[-2000:]}")
    outcomes = parse_report(done.stdout, limits)
    return {url: outcomes.get(url, Outcome("no-result", "LinkChecker reported nothing for it")) for url in urls}


def check(
    urls: list[str],
    limits: Limits = Limits(),
    run: Callable[[list[str], Limits], dict[str, Outcome]] = run_linkchecker,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> dict[str, Outcome]:
    """Check each URL once, then try again, after a pause, those that may pass on another try."""
    outcomes = run(urls, limits)
    for attempt in range(1, limits.attempts):
        again = [url for url in urls if outcomes[url].retryable]
        if not again or all(o.status in NO_ANSWER for o in outcomes.values()):
            break  # nothing to retry, or nothing answered at all: trying again cannot help
        asked = max((outcomes[url].retry_after or 0.0 for url in again), default=0.0)
        wait = min(max(limits.backoff * attempt, asked), limits.max_wait)
        log(f"check-links: trying {len(again)} link(s) again in {wait:.0f} s (try {attempt + 1} of {limits.attempts})")
        sleep(wait)
        outcomes.update(run(again, limits))
    return outcomes


# --- the report ------------------------------------------------------------------


def report(uses: list[Use], outcomes: dict[str, Outcome], verbose: bool = False) -> tuple[list[str], int]:
    """One line per link (every link if verbose, else only those with a problem), a summary line, and the exit status."""
    places: dict[str, list[str]] = {}
    for use in uses:
        places.setdefault(use.url, []).append(use.where)
    order = list(STATUSES)
    lines = []
    for url in sorted(places, key=lambda u: (order.index(outcomes[u].status), u)):
        outcome = outcomes[url]
        label, problem = STATUSES[outcome.status]
        if problem or verbose or outcome.status == "not-checked":
            lines.append(f"{label:<12}  {url}  {outcome.detail}  [{'; '.join(places[url])}]")
    counts: dict[str, int] = {}
    for url in places:
        counts[outcomes[url].status] = counts.get(outcomes[url].status, 0) + 1
    total = f"{len(places)} URL{'s' if len(places) != 1 else ''} in {len(uses)} place{'s' if len(uses) != 1 else ''}"
    if places and set(counts) <= NO_ANSWER:
        reasons = sorted({outcomes[url].detail for url in places})
        lines.append(f"check-links: none of the {total} could be reached ({'; '.join(reasons)}): is the network down?")
        return lines, 2
    tally = ", ".join(f"{counts[s]} {STATUSES[s][0].lower()}" for s in order if s in counts)
    lines.append(f"check-links: {total}: {tally or 'nothing to check'}")
    return lines, 1 if any(STATUSES[s][1] for s in counts) else 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        """Exit 3 on a usage error: 2 means that nothing could be reached."""
        self.print_usage(sys.stderr)
        self.exit(3, f"{self.prog}: error: {message}\n")


def main(argv: list[str] | None = None, limits: Limits = Limits()) -> int:
    """Collect the links (or take the URLs given), check them, print the report; return the exit status."""
    parser = _Parser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="*", metavar="URL", help="check these URLs instead of the site's links")
    parser.add_argument("--list", action="store_true", help="list the links and where each is used; check nothing")
    parser.add_argument("--verbose", action="store_true", help="report every link, not only those with a problem")
    parser.add_argument("--backoff", type=float, default=limits.backoff, help="seconds before a second try")
    args = parser.parse_args(argv)
    limits = replace(limits, backoff=args.backoff)
    if args.urls:
        uses = [Use(url, "the command line") for url in args.urls]
    else:
        try:
            uses = collect(ROOT)
        except DataError as error:
            print(error, file=sys.stderr)
            return 3
    if args.list:
        for use in uses:
            print(f"{use.url}  [{use.where}]")
        return 0
    urls = list(dict.fromkeys(use.url for use in uses))
    print(f"check-links: checking {len(urls)} URLs with LinkChecker ...", file=sys.stderr, flush=True)
    outcomes = check(urls, limits) if urls else {}
    lines, status = report(uses, outcomes, verbose=args.verbose)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
