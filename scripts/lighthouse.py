#!/usr/bin/env python3
"""Lighthouse scores of the main pages, mobile and desktop, against the site's budgets.

Builds the site into a temp dir, serves it on 127.0.0.1 compressed with gzip as
GitHub Pages serves it, and runs the pinned Lighthouse (package.json, `npm ci`)
with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). Prints a table
and writes test-output/lighthouse.json, with the audits that cost points.

    python scripts/lighthouse.py                   every page, both presets
    python scripts/lighthouse.py --page comparison/ --preset mobile --runs 5

A benchmark, not a test: the performance score moves from run to run (Lighthouse
measures how long each main-thread task took here, then scales it for a slow
phone), so each page and preset runs five times and the run with the median
performance counts. Lighthouse's own guidance: the median of 5 runs is twice as
stable as one run, and runs must not overlap on one machine
(https://github.com/GoogleChrome/lighthouse/blob/main/docs/variability.md).
The table shows each median with the range of its runs, and the machine's load
average before they started: other work on the machine lowers mobile scores most.
Exits 1 when a score misses its target.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUTPUT = ROOT / "test-output" / "lighthouse.json"

PAGES = ["", "comparison/", "performance/"]
PRESETS = ["mobile", "desktop"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {
    ("performance", "mobile"): 0.95,
    ("performance", "desktop"): 1.0,
    ("accessibility", None): 1.0,
    ("best-practices", None): 1.0,
    ("seo", None): 1.0,
}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")


def target(category: str, preset: str) -> float:
    """The lowest acceptable score of a category for a preset."""
    return TARGETS.get((category, preset), TARGETS.get((category, None), 1.0))


class GzipHandler(SimpleHTTPRequestHandler):
    """A static server like GitHub Pages: gzip for text, a short cache, the site's 404 page."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the trailing slash
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes()
        compress = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            body = gzip.compress(body, compresslevel=6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class _Body:
    """What send_head returns: something copyfile can read and close."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build(site: Path, site_url: str) -> None:
    """A strict build for the address it will be served at, so canonical links and the sitemap match."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def run_lighthouse(url: str, preset: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run; its JSON report (lhr)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--max-wait-for-load=30000",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")),
    }
    subprocess.run(command, env=env, check=True, timeout=300)
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def lost_points(lhr: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """The weighted audits of a category that did not score full marks."""
    audits = lhr["audits"]
    lost = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            lost.append(
                {
                    "id": ref["id"],
                    "score": audit["score"],
                    "weight": ref["weight"],
                    "value": audit.get("displayValue", ""),
                }
            )
    return lost


def summary(lhr: dict[str, Any], page: str, preset: str) -> dict[str, Any]:
    """The scores, the audits that cost points and the main metrics of one run."""
    scores = {c: lhr["categories"][c]["score"] for c in CATEGORIES}
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
    return {
        "page": "/" + page,
        "preset": preset,
        "scores": scores,
        "lost": {c: lost_points(lhr, c) for c in CATEGORIES if scores[c] is not None and scores[c] < 1},
        "metrics": {key: lhr["audits"][key].get("displayValue", "") for key in (*metrics, "speed-index")},
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median performance score, holding every run's score in order."""
    ordered = sorted(runs, key=lambda run: run["scores"]["performance"] or 0)
    median = dict(ordered[len(ordered) // 2])
    median["performance_of_each_run"] = [run["scores"]["performance"] for run in ordered]
    return median


def score_text(score: float | None) -> str:
    """A score with two decimals, or n/a where Lighthouse could not score the category."""
    return "n/a" if score is None else f"{score:.2f}"


def spread_text(row: dict[str, Any]) -> str:
    """The lowest and highest performance score of the runs behind a median, as `low-high`."""
    scores = row["performance_of_each_run"]
    return f"{score_text(scores[0])}-{score_text(scores[-1])}"


def meets(score: float | None, goal: float) -> bool:
    """Whether a score reaches its target; a category Lighthouse could not score does not."""
    return score is not None and score >= goal


def misses(rows: list[dict[str, Any]]) -> list[str]:
    """Every score of the median runs that is below its target, as `page preset category score < target`."""
    found = []
    for row in rows:
        for category in CATEGORIES:
            score, goal = row["scores"][category], target(category, row["preset"])
            if not meets(score, goal):
                found.append(f"{row['page']} {row['preset']} {category} {score} < {goal}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", help="a site path such as comparison/ (default: the main pages)")
    parser.add_argument("--preset", action="append", choices=PRESETS, help="mobile or desktop (default: both)")
    parser.add_argument("--runs", type=int, default=5, help="runs per page and preset; the median is kept (default: 5)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `npm ci` first (make lighthouse does).", file=sys.stderr)
        return 2
    if shutil.which(os.environ.get("CHROME_PATH", "/usr/bin/chromium")) is None:
        print("No Chromium: set CHROME_PATH, or run `make system-deps`.", file=sys.stderr)
        return 2

    pages, presets = args.page or PAGES, args.preset or PRESETS
    load_before = os.getloadavg()[0]
    port = free_port()
    site_url = f"http://127.0.0.1:{port}/"
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        build(site, site_url)
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(site)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            # A first run starts Chromium and the server cold and scores lower: warm up, discard it.
            run_lighthouse(site_url + pages[0], presets[0], Path(temp) / "report.json")
            for page in pages:
                for preset in presets:
                    runs = []
                    for _ in range(args.runs):
                        lhr = run_lighthouse(site_url + page, preset, Path(temp) / "report.json")
                        runs.append(summary(lhr, page, preset))
                        print(
                            f"{runs[-1]['page']:<16} {preset:<8} "
                            + "  ".join(f"{c} {score_text(runs[-1]['scores'][c])}" for c in CATEGORIES),
                            file=sys.stderr,
                        )
                    rows.append(median_run(runs))
        finally:
            server.shutdown()
            server.server_close()

    header = f"{'page':<16} {'preset':<8} " + " ".join(f"{c:>14}" for c in CATEGORIES) + "  performance runs"
    print(header)
    for row in rows:
        cells = []
        for category in CATEGORIES:
            score = row["scores"][category]
            mark = "" if meets(score, target(category, row["preset"])) else " !"
            cells.append(f"{score_text(score):>12}{mark:2}")
        print(f"{row['page']:<16} {row['preset']:<8} " + " ".join(cells) + f"  {spread_text(row)}")
    cores = os.cpu_count() or 1
    print(f"load average before the runs (1 min): {load_before:.2f}, on {cores} cores")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    targets = {f"{c}/{p or 'any'}": v for (c, p), v in TARGETS.items()}
    machine = {"cores": cores, "load_average_before": load_before}
    report = {"targets": targets, "runs_per_median": args.runs, "machine": machine, "runs": rows}
    OUTPUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"details: {OUTPUT.relative_to(ROOT)}")
    below = misses(rows)
    for miss in below:
        print(f"below target: {miss}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
