"""The Performance pages of a real build: no results, a sample run, a bad file, the committed run."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from macros import benchmarks as bench
from tests.benchmark_samples import (
    CATALOG,
    FILE,
    SCRIPT,
    dump,
    fixture_data,
    text_of,
)
from tests.conftest import ROOT, run_build

# --- the page ----------------------------------------------------------------------------------------


def copy_without_benchmarks(project: Path) -> None:
    (project / FILE).unlink(missing_ok=True)


def test_a_build_without_results_says_none_is_published(project_copy: Path) -> None:
    copy_without_benchmarks(project_copy)
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    page = build.page("performance")
    assert "No measurement is published yet" in text_of(page)
    assert "No run is published yet" in text_of(build.page("performance/method"))
    assert "<svg" not in page.split('id="measured"')[1].split('id="claims"')[0]
    for fw in CATALOG.frameworks:
        for claim in fw["claims"]:
            assert claim["figure"] in text_of(page)


def test_a_build_renders_the_results_chart_ratios_claims_and_method(project_copy: Path) -> None:
    data = fixture_data()
    data["machine"]["cpu"] = f"CPU {SCRIPT}"
    (project_copy / FILE).write_text(dump(data))
    build = run_build(project_copy)
    assert build.returncode == 0, build.output
    page = build.page("performance")
    text = text_of(page)
    assert page.count('<svg class="fw-chart-svg" role="img"') == 2
    assert page.count('<table class="fw-table fw-bench">') == 2
    assert "1.50×" in text and "Claimed and measured throughput" in text
    assert "2026-11-25" in text and "Test CPU" not in text.replace(f"CPU {SCRIPT}", "")
    assert SCRIPT not in page and html.escape(SCRIPT) in page
    assert '<a href="method/">How it is measured</a>' in page  # the results link to their method
    assert '<a href="method/#run">The published run</a>' in page  # the numbers link to their run
    method_page = build.page("performance/method")
    method = text_of(method_page)
    for heading in ("Reproduce it", "What the harness does", "What it does not show", "The published run"):
        assert heading in method
    assert 'id="run"' in method_page and "Machine, versions and settings" in method
    assert "gunicorn==27.0.1" in method and html.escape(f"CPU {SCRIPT}") in method_page
    assert "close the connection after every response" in method
    assert "make bench" in method


def test_a_bad_results_file_fails_the_build_with_a_located_message(project_copy: Path) -> None:
    data = fixture_data()
    data["results"][0]["socket_errors"] = 2
    (project_copy / FILE).write_text(dump(data))
    build = run_build(project_copy)
    assert build.returncode != 0
    assert re.search(r"data/benchmarks\.yml:\d+: results\[0\]\.socket_errors", build.output), build.output
    assert "Traceback" not in build.output


def test_the_committed_results_are_on_the_built_page(built_site: Any) -> None:
    run = bench.load(ROOT)
    if run is None:
        pytest.skip("no data/benchmarks.yml is committed yet")
    text = text_of(built_site.page("performance"))
    assert run.raw["date"] in text and run.raw["machine"]["cpu"] in text
    for configuration in run.configurations:
        assert configuration["server"] in text
