"""The benchmark's statistics and render functions: paired ratios, tables, charts, claims and the run's facts."""

from __future__ import annotations

import re
import statistics

import pytest

from macros import benchmarks as bench
from tests.benchmark_samples import (
    CATALOG,
    SCRIPT,
    fixture_data,
    levelled_data,
    text_of,
    validated,
)


@pytest.fixture
def run() -> bench.Benchmarks:
    return validated(fixture_data())


# --- statistics ------------------------------------------------------------------------------


def test_ratios_pair_the_rounds_and_default_to_the_slowest(run: bench.Benchmarks) -> None:
    one, two = (c["id"] for c in run.configurations)
    assert bench.slowest(run, "health") == one
    assert bench.ratios(run, "health") == {one: 1.0, two: 1.5}
    assert bench.ratios(run, "health", "requests_per_cpu_second") == {one: 1.0, two: 2.0}
    assert bench.ratios(run, "health", reference=two)[one] == pytest.approx(1 / 1.5, rel=0.05)
    assert bench.spread([3.0, 1.0, 2.0]) == bench.Spread(2.0, 1.0, 3.0)
    with pytest.raises(KeyError, match="Unknown metric 'speed'"):
        bench.ratios(run, "health", "speed")


def test_a_failed_pair_takes_no_part_in_ratios() -> None:
    data = fixture_data()
    one = data["configurations"][0]["id"]
    data["results"].pop(0)  # one's health result
    data["failures"] = [
        {
            "configuration": one,
            "endpoint": "health",
            "reason": "lost",
            "rounds_completed": 1,
            "non_2xx": 0,
            "socket_errors": 4,
        }
    ]
    run = validated(data)
    assert bench.slowest(run, "health") == data["configurations"][1]["id"]
    assert one not in bench.ratios(run, "health")


# --- render functions ---------------------------------------------------------------------------


def test_results_table_has_a_row_per_configuration_with_ratios(run: bench.Benchmarks) -> None:
    out = bench.results_table(run, CATALOG, "health")
    rows = re.findall(r"<tr>(.*?)</tr>", out)[1:]
    names = [CATALOG.framework(c["framework"])["name"] for c in run.configurations]
    assert [text_of(r).split(" ")[0] for r in rows] == [n.split(" ")[0] for n in names]
    first, second = (text_of(r) for r in rows)
    assert "100 100–200 1.00× slowest" in first and "450 400–500 1.00× slowest" in first
    assert "160 150–300 1.50×" in second and "900 800–1,000 2.00×" in second
    assert "4.5 / 22.0" in first and "82" in first
    assert "<caption>Overhead: GET /api/health, 3 rounds</caption>" in out


def test_a_failed_pair_shows_failed_and_no_number() -> None:
    data = fixture_data()
    failed = data["results"].pop(2)
    data["failures"] = [
        {
            "configuration": failed["configuration"],
            "endpoint": "user",
            "reason": "the server was lost in round 2",
            "rounds_completed": 1,
            "non_2xx": 0,
            "socket_errors": 7,
        }
    ]
    run = validated(data)
    row = text_of(re.findall(r'<tr class="fw-failed">(.*?)</tr>', bench.results_table(run, CATALOG, "user"))[0])
    assert row.startswith(f"{CATALOG.frameworks[0]['name']} server one Failed")
    assert "the server was lost in round 2 (0 non-2xx, 7 socket errors)" in row
    assert not re.search(r"\d+(\.\d+)?×|requests/s", row)
    chart = bench.bar_chart(run, CATALOG, "user")
    assert chart.count('<rect class="fw-bar"') == 1 and "failed: no number published" in chart
    assert "Part of this run failed" in bench.results_section(run, CATALOG)


def test_bar_chart_is_an_accessible_themed_svg(run: bench.Benchmarks) -> None:
    out = bench.bar_chart(run, CATALOG, "health")
    svg = re.search(r"<svg[^>]*>", out).group(0)
    assert 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for ident in labelled:
        assert f'id="{ident}"' in out
    assert re.search(r"<title id=[^>]+>Requests per second, GET /api/health", out)
    desc = text_of(re.search(r"<desc[^>]*>(.*?)</desc>", out).group(1))
    for configuration in run.configurations:
        assert bench.configuration_label(CATALOG, configuration) in desc
    assert "median 160, range 150 to 300" in desc
    # Bars in proportion to the medians; colours from CSS, none hard-coded.
    widths = [float(w) for w in re.findall(r'<rect class="fw-bar"[^>]* width="([0-9.]+)"', out)]
    assert widths[1] / widths[0] == pytest.approx(1.6, rel=0.01)
    # Each whisker runs from the lowest round to the highest, on the bars' scale, with a cap at each end.
    whiskers = re.findall(r'<path class="fw-whisker" d="([^"]+)"', out)
    assert len(whiskers) == len(widths) == len(run.configurations)
    origin = float(re.search(r'<rect class="fw-bar" x="([0-9.]+)"', out).group(1))
    for configuration, width, d in zip(run.configurations, widths, whiskers, strict=True):
        values = run.result(configuration["id"], "health")["requests_per_second"]
        per_unit = width / statistics.median(values)
        xs = [float(v) for v in re.findall(r"[MH]([0-9.]+)", d)]
        assert min(xs) - origin == pytest.approx(min(values) * per_unit, abs=0.2)
        assert max(xs) - origin == pytest.approx(max(values) * per_unit, abs=0.2)
        assert d.count("V") == 2
    assert not re.search(r'(fill|stroke)="#|style="', out)
    assert "<script" not in out and "http://" not in out.replace("http://www.w3.org/2000/svg", "")


def test_claims_sit_beside_measured_ratios(run: bench.Benchmarks) -> None:
    out = bench.claims_comparison(run, CATALOG)
    bounded = [fw for fw in CATALOG.frameworks[:2] if any("low" in c for c in fw["claims"])]
    assert len(bounded) == 2, "the fixture uses the first two frameworks, which quote ranges"
    (ref, other) = sorted(bounded, key=lambda fw: next(c["low"] for c in fw["claims"] if "low" in c))
    ref_claim = next(c for c in ref["claims"] if "low" in c)
    other_claim = next(c for c in other["claims"] if "low" in c)
    low = other_claim["low"] / ref_claim["high"]
    assert f"multiples of {ref['name']}" in out
    rows = {text_of(r).split(" ")[0]: text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", out)[1:]}
    assert "1× (reference)" in rows[ref["name"].split(" ")[0]]
    other_row = rows[other["name"].split(" ")[0]]
    assert other_claim["figure"] in other_row
    assert f"{low:.1f}" in other_row
    # Measured: relative to the reference framework's configuration, per endpoint.
    ratio = bench.ratios(
        run, "user", reference=next(c["id"] for c in run.configurations if c["framework"] == ref["id"])
    )
    assert f"{ratio[next(c['id'] for c in run.configurations if c['framework'] == other['id'])]:.2f}×" in other_row


def test_run_facts_show_the_machine_date_versions_and_commands(run: bench.Benchmarks) -> None:
    out = text_of(bench.run_facts(run, CATALOG))
    for expected in (
        "2026-11-25",
        "Test CPU, 2 logical CPUs, 24.0 GiB memory (a virtual machine)",
        "Test OS",
        "CPython 3.13.1, .venv-newest/bin/python",
    ):
        assert expected in out
    assert "gunicorn==27.0.1" in out and "wrk 4.1.0, 1 thread(s), 16 connections" in out
    assert "3 rounds of 2 s slices" in out and "python -m two with X=1" in out
    assert "0.10, 0.20, 0.30 at the start" in out
    assert "used 4% of the machine's CPU during the slices (median); 2 slice(s) were measured again" in out


def test_a_run_from_before_the_interpreter_was_recorded_is_valid_and_shows_its_python() -> None:
    data = fixture_data()
    del data["machine"]["interpreter"]
    out = text_of(bench.run_facts(validated(data), CATALOG))
    assert "CPython 3.13.1" in out and ".venv" not in out


def test_no_run_renders_the_not_published_notice() -> None:
    out = bench.results_section(None, CATALOG)
    assert out.startswith('!!! note "No measurement is published yet"')
    assert "make bench" in out
    facts = bench.run_section(None, CATALOG)
    assert facts.startswith("No run is published yet") and "make bench" in facts


def test_the_results_link_to_their_run_and_leave_its_facts_to_the_method_page(run: bench.Benchmarks) -> None:
    results = bench.results_section(run, CATALOG)
    assert "[The published run](method.md#run)" in results
    assert "Machine, versions and settings" not in results and "gunicorn==" not in results
    assert "Machine, versions and settings" in bench.run_section(run, CATALOG)


def test_everything_from_the_data_is_escaped() -> None:
    data = fixture_data()
    data["configurations"][0]["server"] = SCRIPT
    data["configurations"][1]["argv"] = ["python", SCRIPT]
    data["endpoints"][0]["label"] = SCRIPT
    data["endpoints"][0]["measures"] = SCRIPT
    data["endpoints"][0]["route"] = f"GET {SCRIPT}"
    data["machine"]["cpu"] = SCRIPT
    data["machine"]["os"] = SCRIPT
    data["packages"] = {SCRIPT: "1.0"}
    data["load_generator"]["order"] = SCRIPT
    data["command"] = SCRIPT
    run = validated(data)
    results, facts = bench.results_section(run, CATALOG), bench.run_section(run, CATALOG)
    for out in (results, facts):
        assert "<script>" not in out
    # The results: server, label, what it measures, route, machine; the facts: os, packages, order, command, argv.
    assert results.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    assert facts.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5


def test_an_io_level_shows_its_bound_timeouts_peak_memory_and_the_view() -> None:
    run = validated(levelled_data())
    table = bench.results_table(run, CATALOG, "upstream", 256)
    assert "Share of the bound (5,120/s)" in text_of(table) and "Timeouts, all rounds" in text_of(table)
    rows = [text_of(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table)[1:]]
    assert len(rows) == 4, "three measured configurations and the one not measured"
    assert "gunicorn (sync workers), sync view" in rows[0] and "6% 4" in rows[0], rows[0]  # 320/5120, 0+3+1
    assert "95" in rows[0], "the peak memory, not the memory after the slice"
    assert "uvicorn, async view" in rows[1]
    assert rows[3].endswith(
        "gunicorn (gevent), sync view Not measured : the gevent worker class needs the `gevent` package."
    )
    assert "<caption>Call an upstream service: GET /api/upstream/{view}, 256 connections, 3 rounds</caption>" in table
    health = bench.results_table(run, CATALOG, "health")
    assert "Share of the bound" not in health and "sync view" not in text_of(health)
    chart = bench.bar_chart(run, CATALOG, "upstream", connections=16)
    assert 'id="bench-chart-upstream-16-requests-per-second-title"' in chart and "not measured" in chart


def test_the_results_section_has_the_configurations_and_a_heading_per_level() -> None:
    run = validated(levelled_data())
    out = bench.results_section(run, CATALOG)
    assert "### Configurations { #bench-configurations }" in out
    assert "#### 16 connections { #bench-upstream-16 }" in out and "#### 256 connections { #bench-upstream-256 }" in out
    assert "#### " not in out.split("### Call an upstream service")[0], "single-level endpoints have no level heading"
    configurations = text_of(bench.configurations_table(run, CATALOG))
    for expected in (
        "gthread" if False else "gevent",
        "1,000 greenlets",
        "raw SQL",
        "Runs only upstream.",
        "(default)",
    ):
        assert expected in configurations
    assert "Not measured : the gevent worker class" in configurations
    facts = text_of(bench.run_facts(run, CATALOG))
    assert "Answers GET / after 50 ms, on 127.0.0.1, in one process on uvloop" in facts
    assert "GET /api/upstream/{view} at 16 and 256 connections, with 2 and 10 s timeouts" in facts
    claims = text_of(bench.claims_comparison(run, CATALOG))
    assert "Measured here, GET /api/upstream/{view}, 256 connections" in claims and "not measured" in claims


def test_a_run_from_before_the_metadata_renders_as_it_did(run: bench.Benchmarks) -> None:
    assert bench.configurations_table(run, CATALOG) == ""
    assert "### Configurations" not in bench.results_section(run, CATALOG)
    assert bench.server_label(run.configurations[0]) == "server one"
