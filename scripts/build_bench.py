#!/usr/bin/env python3
"""How long a contributor waits: the strict build against a bare Material site, and `make serve` after an edit.

    python scripts/build_bench.py                 both measurements, against the targets
    python scripts/build_bench.py --runs 3        fewer builds each (the median of 3)
    python scripts/build_bench.py --skip-serve    the build ratio only

1. Build: a temp copy of the project grown to FRAMEWORKS frameworks (as the tests
   grow one, with scripts/synthetic_frameworks.py), with every page it generates,
   built with `mkdocs build --strict`; and a bare Material site (`font: false`, the
   search plugin only) with as many pages as that build produced, each about 4 KB
   of Markdown. The two are built in turn, RUNS times each, alternating which goes
   first; the ratio of their medians must be at most BUILD_TARGET.
2. Serve: `mkdocs serve` on the same copy, as `make serve` runs it, on a free port of
   127.0.0.1. Each of EDITS edits writes a new value into a cell of
   data/frameworks.yml; the time from the write until the served comparison page
   holds the value must be at most SERVE_TARGET seconds (the median).

Every process it starts runs in its own process group, which is stopped at the end,
and every step has a time limit. Exits 0 when both targets are met, 1 when one is
missed, 2 when a build or the server failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.project_copy import copy_project  # noqa: E402  (needs ROOT on the path)
from scripts.synthetic_frameworks import grow_project  # noqa: E402

FRAMEWORKS = 7
RUNS = 5
BUILD_TARGET = 1.5  # strict build / bare Material site, medians
EDITS = 5
SERVE_TARGET = 2.0  # seconds from saving data/frameworks.yml to the new value served
PAGE_BYTES = 4096
HOST = "127.0.0.1"
BUILD_TIMEOUT = 180.0
SERVE_START_TIMEOUT = 120.0
EDIT_TIMEOUT = 30.0
POLL_INTERVAL = 0.05
SERVED_PAGE = "comparison/"
MKDOCS = [sys.executable, "-m", "mkdocs"]
# What `make serve` adds to the environment (the Makefile's serve recipe; a test keeps the two alike).
SERVE_ENVIRONMENT = {"LINK_CHECK": "false"}
BARE_CONFIG = """\
site_name: Bare Material site
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  - search
"""


class BenchError(Exception):
    """A build or the server failed, or did not answer in time."""


# --- pure parts ------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    """The median of some timings; an empty list is an error, not zero."""
    if not values:
        raise ValueError("no timings to take the median of")
    return float(statistics.median(values))


def ratio(measured: float, baseline: float) -> float:
    """How many times the baseline the measured time is."""
    if baseline <= 0:
        raise ValueError(f"the baseline must be a positive time, not {baseline}")
    return measured / baseline


PARAGRAPH = (
    "This paragraph stands in for the prose of a documentation page. It has a sentence with "
    "**strong words**, one with *emphasis*, some `inline code`, and a [link](#section-{k}-1) "
    "to a heading of the page, so the Markdown parser and the theme do the work a real page gives them."
)


def bare_page(index: int, size: int = PAGE_BYTES) -> str:
    """A Markdown page of about `size` bytes: a title, then sections of headings, prose, a list, a table and code."""
    parts = [f"# Page {index}\n"]
    k = 0
    while sum(len(p) for p in parts) < size:
        k += 1
        parts.append(f"\n## Section {index}.{k} {{#section-{k}}}\n\n### Section {k}.1 {{#section-{k}-1}}\n")
        parts.append("\n" + PARAGRAPH.format(k=k) + "\n")
        parts.append(f"\n- the first point of section {k}\n- the second point, a little longer\n- the third\n")
        parts.append(f"\n| Column | Value |\n| --- | --- |\n| row {k} | {k * index} |\n| next | {k + index} |\n")
        parts.append(f"\n```python\ndef section_{k}(value: int) -> int:\n    return value * {k}\n```\n")
    return "".join(parts)


def write_bare_site(directory: Path, pages: int, size: int = PAGE_BYTES) -> Path:
    """A bare Material project in `directory`: `pages` pages of about `size` bytes, the first one the home page."""
    if pages < 1:
        raise ValueError("a site needs at least one page")
    docs = directory / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (directory / "mkdocs.yml").write_text(BARE_CONFIG, encoding="utf-8")
    for index in range(pages):
        name = "index.md" if index == 0 else f"page-{index:03d}.md"
        (docs / name).write_text(bare_page(index, size), encoding="utf-8")
    return directory


def count_pages(site: Path) -> int:
    """How many pages a build wrote: each `index.html` outside the theme's assets and the search index."""
    return sum(1 for page in site.rglob("index.html") if not {"assets", "search"} & set(page.relative_to(site).parts))


@dataclass(frozen=True)
class Result:
    """Both measurements: the build timings of each site, and each edit's seconds until it was served."""

    pages: int
    frameworks: int
    project: tuple[float, ...]
    bare: tuple[float, ...]
    served: tuple[float, ...] | None = None  # None when the serve measurement was skipped

    @property
    def build_ratio(self) -> float:
        return ratio(median(self.project), median(self.bare))

    @property
    def build_ok(self) -> bool:
        return self.build_ratio <= BUILD_TARGET

    @property
    def serve_ok(self) -> bool:
        return self.served is None or median(self.served) <= SERVE_TARGET


def _seconds(values: Sequence[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def report(result: Result) -> str:
    """The figures, one per line, each against its target."""
    verdict = {True: "met", False: "MISSED"}
    lines = [
        f"strict build, {result.frameworks} frameworks, {result.pages} pages: "
        f"median {median(result.project):.2f} s of {len(result.project)} ({_seconds(result.project)})",
        f"bare Material site, {result.pages} pages of ~{PAGE_BYTES // 1024} KB: "
        f"median {median(result.bare):.2f} s of {len(result.bare)} ({_seconds(result.bare)})",
        f"build ratio {result.build_ratio:.2f} (target at most {BUILD_TARGET}): {verdict[result.build_ok]}",
    ]
    if result.served is not None:
        lines.append(
            f"make serve, data/frameworks.yml saved to new value served: median {median(result.served):.2f} s "
            f"of {len(result.served)} edits ({_seconds(result.served)}) "
            f"(target at most {SERVE_TARGET:.0f} s): {verdict[result.serve_ok]}"
        )
    else:
        lines.append("make serve: not measured (--skip-serve)")
    return "\n".join(lines)


def exit_code(result: Result) -> int:
    """0 when every target measured is met, else 1."""
    return 0 if result.build_ok and result.serve_ok else 1


def set_cell(data: dict[str, Any], value: str) -> None:
    """Write `value` into the first aspect's cell of the first framework: it shows on the comparison page."""
    first = data["frameworks"][0]["id"]
    data["aspects"][0]["values"][first]["value"] = value


# --- processes ---------------------------------------------------------------------


def _environment(**extra: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in {"REPO_URL", "SITE_URL", "LINK_CHECK"}}
    return {**inherited, "NO_MKDOCS_2_WARNING": "1", **extra}


def _stop(process: subprocess.Popen[Any]) -> None:
    """Stop a process this script started, and its children, by its process group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def time_build(project: Path, site: Path) -> float:
    """Seconds for one `mkdocs build --strict` of a project, as a contributor runs it (a new process)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=project,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise BenchError(f"the build of {project} took over {BUILD_TIMEOUT:.0f} s") from None
    finally:
        _stop(process)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise BenchError(f"the build of {project} failed:\n{output}")
    return elapsed


def interleaved(builds: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Each build `runs` times, in turn, reversing the order every round so neither always goes first."""
    timings: dict[str, list[float]] = {name: [] for name in builds}
    order = list(builds)
    for round_number in range(runs):
        for name in order if round_number % 2 == 0 else reversed(order):
            timings[name].append(builds[name]())
    return timings


def free_port() -> int:
    """A port of 127.0.0.1 where nothing listens (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


def fetch(url: str) -> str | None:
    """The page at `url`, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=EDIT_TIMEOUT) as response:
            text: str = response.read().decode("utf-8", errors="replace")
            return text
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float, server: subprocess.Popen[Any]) -> float:
    """Poll `url` until its page holds `text`; the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise BenchError(f"mkdocs serve stopped (exit {server.returncode})")
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - started
        time.sleep(POLL_INTERVAL)
    raise BenchError(f"{url} did not show {text!r} within {timeout:.0f} s")


@contextlib.contextmanager
def serving(project: Path, port: int, log: Path) -> Iterator[subprocess.Popen[Any]]:
    """`mkdocs serve` on the project, as `make serve` runs it but on `port`; stopped on leaving."""
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [*MKDOCS, "serve", "--dev-addr", f"{HOST}:{port}"],
            cwd=project,
            env=_environment(**SERVE_ENVIRONMENT),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield server
        finally:
            _stop(server)


def edit_to_served(project: Path, edits: int, log: Path) -> list[float]:
    """Seconds from writing a new value into data/frameworks.yml until `mkdocs serve` serves it, per edit."""
    data_file = project / "data" / "frameworks.yml"
    port = free_port()
    url = f"http://{HOST}:{port}/{SERVED_PAGE}"
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    timings: list[float] = []
    with serving(project, port, log) as server:
        try:
            first = data["aspects"][0]["values"][data["frameworks"][0]["id"]]["value"]
            wait_for(url, str(first), SERVE_START_TIMEOUT, server)
            for number in range(1, edits + 1):
                value = f"Bench edit {number} {secrets.token_hex(4)}"
                set_cell(data, value)
                text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
                time.sleep(0.3)  # let the watcher settle after the previous rebuild
                data_file.write_text(text, encoding="utf-8")
                timings.append(wait_for(url, value, EDIT_TIMEOUT, server))
        except BenchError as error:
            raise BenchError(f"{error}\n--- mkdocs serve's log ---\n{log.read_text(encoding='utf-8')}") from None
    return timings


def measure(runs: int, edits: int, frameworks: int, serve: bool) -> Result:
    """Build both sites in turn and, unless told not to, time the edits under `mkdocs serve`."""
    with tempfile.TemporaryDirectory(prefix="build-bench-") as temp:
        work = Path(temp)
        project = copy_project(work / "project")
        grow_project(project, frameworks)
        # One build first, to count the pages the project generates and to warm the caches.
        time_build(project, work / "site-project")
        pages = count_pages(work / "site-project")
        bare = write_bare_site(work / "bare", pages)
        time_build(bare, work / "site-bare")
        if count_pages(work / "site-bare") != pages:
            raise BenchError(f"the bare site built {count_pages(work / 'site-bare')} pages, not {pages}")
        timings = interleaved(
            {
                "project": lambda: time_build(project, work / "site-project"),
                "bare": lambda: time_build(bare, work / "site-bare"),
            },
            runs,
        )
        served = edit_to_served(project, edits, work / "serve.log") if serve else None
    return Result(
        pages, frameworks, tuple(timings["project"]), tuple(timings["bare"]), None if served is None else tuple(served)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"builds of each site (default {RUNS})")
    parser.add_argument("--edits", type=int, default=EDITS, help=f"edits under mkdocs serve (default {EDITS})")
    parser.add_argument(
        "--frameworks", type=int, default=FRAMEWORKS, help=f"frameworks in the grown copy (default {FRAMEWORKS})"
    )
    parser.add_argument("--skip-serve", action="store_true", help="measure the builds only")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.edits < 1:
        parser.error("--runs and --edits must be at least 1")
    try:
        result = measure(args.runs, args.edits, args.frameworks, not args.skip_serve)
    except BenchError as error:
        print(f"build-bench: {error}", file=sys.stderr)
        return 2
    print(report(result))
    return exit_code(result)


if __name__ == "__main__":
    sys.exit(main())
