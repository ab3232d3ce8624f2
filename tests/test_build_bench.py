"""scripts/build_bench.py's pure parts: the median, the ratio, the bare site's pages, the report and the exit code.

The measurement itself is `make build-bench`, a benchmark rather than a test: its
figures depend on the machine and what else runs on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, load_script

bench = load_script("scripts/build_bench.py")
Result = bench.Result


def test_median_of_odd_and_even_counts_and_none() -> None:
    assert bench.median([3.0, 1.0, 2.0]) == 2.0
    assert bench.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert bench.median([5.0]) == 5.0
    with pytest.raises(ValueError, match="no timings"):
        bench.median([])


def test_ratio_is_measured_over_baseline_and_refuses_a_zero_baseline() -> None:
    assert bench.ratio(3.0, 2.0) == 1.5
    assert bench.ratio(1.0, 4.0) == 0.25
    with pytest.raises(ValueError, match="positive"):
        bench.ratio(1.0, 0.0)


@pytest.mark.parametrize("size", [1024, 4096, 8192])
def test_a_bare_page_is_about_the_size_asked_and_uses_common_markdown(size: int) -> None:
    page = bench.bare_page(7, size)
    assert size <= len(page.encode()) < size + 1024
    assert page.startswith("# Page 7\n")
    for piece in ("\n## ", "**strong words**", "\n- ", "| --- |", "```python"):
        assert piece in page
    assert bench.bare_page(7, size) == page  # the same every run, so runs compare


def test_the_bare_site_has_the_pages_asked_and_only_search_and_material_without_fonts(tmp_path: Path) -> None:
    project = bench.write_bare_site(tmp_path / "bare", 4, 2048)
    names = sorted(p.name for p in (project / "docs").iterdir())
    assert names == ["index.md", "page-001.md", "page-002.md", "page-003.md"]
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"] == {"name": "material", "font": False}
    assert config["plugins"] == ["search"]
    assert "markdown_extensions" not in config and "hooks" not in config
    with pytest.raises(ValueError):
        bench.write_bare_site(tmp_path / "empty", 0)


def test_count_pages_counts_built_pages_not_theme_files_search_or_404(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for page in ("index.html", "a/index.html", "compare/x-vs-y/index.html", "assets/x/index.html", "search/index.html"):
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<html></html>", encoding="utf-8")
    (site / "404.html").write_text("<html></html>", encoding="utf-8")
    assert bench.count_pages(site) == 3


def test_interleaved_runs_each_build_in_turn_and_reverses_the_order_each_round() -> None:
    calls: list[str] = []

    def build(name: str, seconds: float) -> Callable[[], float]:
        def run() -> float:
            calls.append(name)
            return seconds

        return run

    timings = bench.interleaved({"project": build("project", 2.0), "bare": build("bare", 1.0)}, 3)
    assert calls == ["project", "bare", "bare", "project", "project", "bare"]
    assert timings == {"project": [2.0, 2.0, 2.0], "bare": [1.0, 1.0, 1.0]}


def result(project: tuple[float, ...], bare: tuple[float, ...], served: tuple[float, ...] | None) -> object:
    return Result(pages=38, frameworks=7, project=project, bare=bare, served=served)


def test_report_gives_both_medians_the_ratio_and_the_serve_time_against_their_targets() -> None:
    text = bench.report(result((3.0, 2.9, 3.1), (2.0, 2.1, 1.9), (1.2, 1.0, 1.4)))
    assert "strict build, 7 frameworks, 38 pages: median 3.00 s of 3 (3.00, 2.90, 3.10)" in text
    assert "bare Material site, 38 pages of ~4 KB: median 2.00 s of 3" in text
    assert "build ratio 1.50 (target at most 1.5): met" in text
    assert re.search(r"median 1\.20 s of 3 edits \(1\.20, 1\.00, 1\.40\) \(target at most 2 s\): met", text)


def test_a_missed_target_says_so_and_exits_1() -> None:
    slow_build = result((3.1,), (2.0,), (1.0,))
    assert "build ratio 1.55 (target at most 1.5): MISSED" in bench.report(slow_build)
    assert bench.exit_code(slow_build) == 1
    slow_serve = result((2.0,), (2.0,), (2.5, 2.1, 0.5))
    assert "(target at most 2 s): MISSED" in bench.report(slow_serve)
    assert bench.exit_code(slow_serve) == 1
    assert bench.exit_code(result((2.0,), (2.0,), (2.0,))) == 0


def test_a_skipped_serve_measurement_is_reported_and_judged_on_the_build_alone() -> None:
    skipped = result((2.0,), (2.0,), None)
    assert "make serve: not measured" in bench.report(skipped)
    assert bench.exit_code(skipped) == 0


def test_set_cell_changes_a_value_the_comparison_page_shows() -> None:
    data = yaml.safe_load((ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    bench.set_cell(data, "Bench edit 1 abc")
    first = data["frameworks"][0]["id"]
    assert data["aspects"][0]["values"][first]["value"] == "Bench edit 1 abc"


def test_the_bench_serves_as_make_serve_does() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n\t(.+)$", makefile, re.M)
    assert recipe is not None
    assert "mkdocs serve --dev-addr 127.0.0.1:" in recipe[1]
    for name, value in bench.SERVE_ENVIRONMENT.items():
        assert f"{name}={value}" in recipe[1]
    assert bench.HOST == "127.0.0.1"
