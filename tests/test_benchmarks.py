"""The benchmark: its data file's schema, its statistics and render functions, the harness, and the page."""

from __future__ import annotations

import copy
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench import INSTALL_WRK
from bench.plan import ENDPOINT_IDS
from bench.sampling import sessions_alive
from bench.servers import load_runner
from macros import benchmarks as bench
from macros.data import DataError, load
from tests.conftest import ROOT, load_script, run_build

CATALOG = load(ROOT)
SCHEMA = bench.load_schema(ROOT)
SCRIPT = "<script>alert(1)</script>"
FILE = "data/benchmarks.yml"


# --- a small valid run -------------------------------------------------------------------


def fixture_data() -> dict[str, Any]:
    """Two frameworks from the catalog, one configuration each, two endpoints, three rounds."""
    first, second = (fw["id"] for fw in CATALOG.frameworks[:2])

    def result(config: str, endpoint: str, rps: list[float], per_cpu: list[float]) -> dict[str, Any]:
        return {
            "configuration": config,
            "endpoint": endpoint,
            "requests": [round(v * 2) for v in rps],
            "requests_per_second": rps,
            "requests_per_cpu_second": per_cpu,
            "latency_p50_ms": [4.0, 5.0, 4.5],
            "latency_p99_ms": [20.0, 25.0, 22.0],
            "rss_mib": [80.0, 81.0, 82.5],
            "non_2xx": 0,
            "socket_errors": 0,
        }

    return {
        "date": "2026-11-25",
        "started": "2026-11-25T10:00:00Z",
        "duration_seconds": 240.5,
        "command": "python -m bench",
        "raw": "data/benchmarks/raw/2026-11-25T10-00-00Z.json",
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "memory_gib": 24.0,
            "virtual_machine": True,
            "os": "Test OS",
            "python": "CPython 3.13.1",
            "interpreter": ".venv-newest/bin/python",
            "load_average": {"start": [0.1, 0.2, 0.3], "end": [1.0, 0.5, 0.4]},
        },
        "packages": {"gunicorn": "27.0.1"},
        "load_generator": {
            "tool": "wrk",
            "version": "4.1.0",
            "threads": 1,
            "connections": 16,
            "timeout_seconds": 2,
            "warmup_seconds": 2,
            "slice_seconds": 2,
            "rounds": 3,
            "order": "interleaved",
        },
        "disturbance": {
            "other_cpu_percent": 3.5,
            "repeat_above_percent": 10,
            "repeat_budget_seconds": 60,
            "slices_repeated": 2,
            "slices_disturbed": 1,
        },
        "servers": {"workers": 2, "bind": "127.0.0.1"},
        "configurations": [
            {
                "id": f"{first}-one",
                "framework": first,
                "server": "server one",
                "argv": ["python", "-m", "one"],
                "env": {},
            },
            {
                "id": f"{second}-two",
                "framework": second,
                "server": "server two",
                "argv": ["python", "-m", "two"],
                "env": {"X": "1"},
            },
        ],
        "endpoints": [
            {
                "id": "health",
                "label": "Overhead",
                "route": "GET /api/health",
                "request": "/api/health",
                "measures": "The framework alone.",
            },
            {
                "id": "user",
                "label": "Read one user",
                "route": "GET /api/users/{id}",
                "request": "/api/users/3",
                "measures": "A row.",
            },
        ],
        "results": [
            # Per-round ratios two/one: 1.5, 1.5, 1.6 -> median 1.5 (the ratio of medians would be 1.6).
            result(f"{first}-one", "health", [100.0, 200.0, 100.0], [400.0, 500.0, 450.0]),
            result(f"{second}-two", "health", [150.0, 300.0, 160.0], [800.0, 1000.0, 900.0]),
            result(f"{first}-one", "user", [50.0, 60.0, 55.0], [100.0, 110.0, 105.0]),
            result(f"{second}-two", "user", [100.0, 120.0, 110.0], [150.0, 165.0, 157.5]),
        ],
        "failures": [],
    }


def dump(data: dict[str, Any]) -> str:
    return "# yaml-language-server: $schema=benchmarks.schema.json\n" + yaml.safe_dump(data, sort_keys=False)


def validated(data: dict[str, Any]) -> bench.Benchmarks:
    return bench.validate_text(dump(data), SCHEMA, FILE)


@pytest.fixture
def run() -> bench.Benchmarks:
    return validated(fixture_data())


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# --- the schema and the checks beyond it ----------------------------------------------------


def test_the_fixture_and_the_committed_file_are_valid() -> None:
    validated(fixture_data())
    committed = ROOT / FILE
    if committed.exists():
        run = bench.load(ROOT)
        assert run is not None
        bench.check_frameworks(run, CATALOG)
        assert (ROOT / run.raw["raw"]).is_file(), "the raw results the file names are committed"


def test_every_schema_field_is_described_and_closed() -> None:
    def visit(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "type" in node or "$ref" in node or "const" in node:
                assert node.get("description"), f"{path} has no description"
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, f"{path} accepts unknown keys"
                assert set(node.get("required", [])) <= set(node["properties"]), path
            for key, child in node.items():
                visit(child, f"{path}.{key}")

    visit(SCHEMA, "schema")


def edit(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = fixture_data()
    change(data)
    return data


BAD = [
    pytest.param(
        edit(lambda d: d["results"][0].update(requets=[1, 2, 3])),
        "results[0].requets",
        "the unknown key 'requets'",
        "only the keys:",
        id="unknown-key",
    ),
    pytest.param(
        edit(lambda d: d["machine"].pop("cpu")),
        "machine.cpu",
        "no such key",
        "the required key 'cpu'",
        id="missing-key",
    ),
    pytest.param(
        edit(lambda d: d["results"][1]["requests_per_second"].__setitem__(1, "fast")),
        "results[1].requests_per_second[1]",
        '"fast" (a string)',
        "number",
        id="wrong-type",
    ),
    pytest.param(
        edit(lambda d: d["results"][2].update(non_2xx=3)),
        "results[2].non_2xx",
        "3 (a number)",
        "a number <= 0: Responses with a status outside 200-299; always 0 here, since a result with any goes to `failures`.",
        id="errors-in-a-result",
    ),
    pytest.param(
        edit(lambda d: d.update(date="25/11/2026")),
        "date",
        '"25/11/2026" (a string)',
        "YYYY-MM-DD",
        id="bad-date",
    ),
    pytest.param(
        edit(lambda d: d["servers"].update(bind="0.0.0.0")),
        "servers.bind",
        '"0.0.0.0" (a string)',
        'exactly "127.0.0.1"',
        id="not-loopback",
    ),
    pytest.param(
        edit(lambda d: d["results"][3].update(configuration="nosuch-server")),
        "results[3].configuration",
        "the unknown configuration 'nosuch-server'",
        "a configuration id from `configurations`",
        id="unknown-configuration",
    ),
    pytest.param(
        edit(lambda d: d["results"][0]["rss_mib"].pop()),
        "results[0].rss_mib",
        "2 sample(s)",
        "one sample per round: load_generator.rounds is 3",
        id="samples-per-round",
    ),
    pytest.param(
        edit(lambda d: d["results"].pop()),
        "results",
        "no result and no failure for",
        "an outcome for every configuration and endpoint",
        id="missing-outcome",
    ),
]


@pytest.mark.parametrize(("data", "path", "found", "expected"), BAD)
def test_malformed_results_are_rejected_with_a_located_message(
    data: dict, path: str, found: str, expected: str
) -> None:
    with pytest.raises(DataError) as caught:
        validated(data)
    message = str(caught.value)
    assert re.search(rf"^data/benchmarks\.yml:\d+: {re.escape(path)}$", message, re.M), message
    assert f"found:    {found}" in message, message
    assert "expected: " in message and expected in message, message


def test_checks_stop_after_50_problems() -> None:
    data = fixture_data()
    endpoint = data["endpoints"][0]
    data["endpoints"] += [{**endpoint, "id": f"more-{index}"} for index in range(30)]  # 60 outcomes missing
    with pytest.raises(DataError) as caught:
        validated(data)
    message = str(caught.value)
    assert message.startswith("data/benchmarks.yml is invalid (more than 50 problems; the first 50 follow):\n")
    assert message.count("found:    no result and no failure for") == 50
    assert message.endswith("\n... and more problems: checking stops after 50")


def test_the_message_points_at_the_line_of_the_bad_value() -> None:
    text = dump(fixture_data()).replace("  cores: 2\n", "  cores: two\n")
    line = text.splitlines().index("  cores: two") + 1
    with pytest.raises(DataError) as caught:
        bench.validate_text(text, SCHEMA, FILE)
    assert f"data/benchmarks.yml:{line}: machine.cores" in str(caught.value)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a list\n"])
def test_an_empty_or_odd_file_says_what_it_needs(text: str) -> None:
    with pytest.raises(DataError) as caught:
        bench.validate_text(text, SCHEMA, FILE)
    assert "written by the benchmark" in str(caught.value)


def test_a_framework_missing_from_the_catalog_is_an_error(run: bench.Benchmarks) -> None:
    data = fixture_data()
    data["configurations"][0]["framework"] = "nosuch"
    with pytest.raises(DataError, match=r"configurations\[0\]\.framework[\s\S]*the unknown framework id 'nosuch'"):
        bench.check_frameworks(validated(data), CATALOG)


def shared_data() -> dict[str, Any]:
    """The fixture with one list object used by two configurations, as code that builds a summary might."""
    data = fixture_data()
    data["configurations"][1]["argv"] = data["configurations"][0]["argv"]
    return data


def load_from(tmp_path: Path, text: str) -> bench.Benchmarks | None:
    """Load `text` as a project's data/benchmarks.yml, the way a build reads it."""
    (tmp_path / "data").mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "benchmarks.schema.json", tmp_path / "data")
    (tmp_path / FILE).write_text(text, encoding="utf-8")
    return bench.load(tmp_path)


@pytest.mark.timeout(10)
def test_anchors_and_aliases_in_the_results_file_are_refused(tmp_path: Path) -> None:
    text = dump(shared_data())  # PyYAML's own dumper: `argv: &id001` once, `argv: *id001` after
    assert "&id001" in text and "*id001" in text
    with pytest.raises(DataError) as caught:
        load_from(tmp_path, text)
    anchor_line = next(n for n, line in enumerate(text.splitlines(), 1) if "&id001" in line)
    assert str(caught.value) == (
        "data/benchmarks.yml is invalid (1 problem):\n"
        f"data/benchmarks.yml:{anchor_line}: configurations[0].argv\n"
        "    found:    the YAML anchor &id001\n"
        "    expected: plain values: anchors and aliases are not allowed in this file"
    )
    alias_only = text.replace("&id001", "")
    with pytest.raises(DataError) as caught:
        load_from(tmp_path, alias_only)
    alias_line = next(n for n, line in enumerate(alias_only.splitlines(), 1) if "*id001" in line)
    assert str(caught.value) == (
        "data/benchmarks.yml is invalid (1 problem):\n"
        f"data/benchmarks.yml:{alias_line}: configurations[1].argv\n"
        "    found:    the YAML alias *id001\n"
        "    expected: plain values: anchors and aliases are not allowed in this file"
    )


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


# --- runs with workloads at several levels, configurations with their metadata --------------------


def levelled_data() -> dict[str, Any]:
    """The fixture plus what runs since the workloads record: configuration metadata, an I/O endpoint at two
    levels, a configuration that runs only it, and one that was not measured."""
    data = fixture_data()
    first, second = (c["id"] for c in data["configurations"])
    framework = data["configurations"][0]["framework"]
    meta = {"worker_class": "sync", "workers": 2, "threads": 1, "orm": "raw", "view": "sync", "default": True}
    data["configurations"][0] |= {"server": "gunicorn", **meta, "endpoints": ["health", "user", "upstream"]}
    data["configurations"][1] |= {"server": "uvicorn", **meta, "worker_class": "uvicorn", "view": "async"}
    data["configurations"][1]["endpoints"] = ["health", "user", "upstream"]
    data["configurations"].append(
        {
            "id": f"{framework}-async",
            "framework": framework,
            "server": "gunicorn",
            **meta,
            "view": "async",
            "default": False,
            "endpoints": ["upstream"],
            "note": "Runs only upstream.",
            "argv": ["python", "-m", "one"],
            "env": {},
        }
    )
    data["configurations"].append(
        {
            "id": f"{framework}-gevent",
            "framework": framework,
            "server": "gunicorn",
            **meta,
            "worker_class": "gevent",
            "worker_connections": 1000,
            "default": False,
            "not_measured": "the gevent worker class needs the `gevent` package",
            "argv": ["python", "-m", "one"],
            "env": {},
        }
    )
    data["upstream"] = {"delay_ms": 50, "loop": "uvloop", "bind": "127.0.0.1"}
    data["endpoints"].append(
        {
            "id": "upstream",
            "label": "Call an upstream service",
            "route": "GET /api/upstream/{view}",
            "request": "/api/upstream/{view}",
            "measures": "I/O.",
            "method": "GET",
            "timeouts_fail": False,
            "levels": [
                {"connections": 16, "timeout_seconds": 2, "bound_requests_per_second": 320.0},
                {"connections": 256, "timeout_seconds": 10, "bound_requests_per_second": 5120.0},
            ],
        }
    )
    for config, rps in ((first, 40.0), (second, 300.0), (f"{framework}-async", 30.0)):
        for connections, scale in ((16, 1), (256, 8)):
            rates = [rps * scale, rps * scale * 1.1, rps * scale * 0.9]
            bound = 320.0 if connections == 16 else 5120.0
            data["results"].append(
                {
                    "configuration": config,
                    "endpoint": "upstream",
                    "connections": connections,
                    "requests": [round(r * 2) for r in rates],
                    "requests_per_second": rates,
                    "requests_per_cpu_second": [r * 2 for r in rates],
                    "latency_p50_ms": [50.0, 51.0, 52.0],
                    "latency_p99_ms": [60.0, 70.0, 80.0],
                    "rss_mib": [80.0, 81.0, 82.0],
                    "peak_rss_mib": [90.0, 95.0, 91.0],
                    "timeouts": [0, 3, 1],
                    "share_of_bound": [round(r / bound, 4) for r in rates],
                    "upstream_cpu_seconds": [0.1, 0.1, 0.1],
                    "disturbed": 0,
                    "non_2xx": 0,
                    "socket_errors": 0,
                }
            )
    return data


def test_a_run_with_levels_and_metadata_is_valid_and_has_an_outcome_per_level() -> None:
    run = validated(levelled_data())
    framework = run.configurations[0]["framework"]
    assert run.levels("upstream") == [16, 256] and run.levels("health") == [16]
    assert run.bound("upstream", 256) == 5120.0 and run.bound("health", 16) is None
    assert [c["id"] for c in run.configurations_on("health")] == [c["id"] for c in run.configurations[:2]] + [
        f"{framework}-gevent"
    ]
    assert run.result(f"{framework}-async", "upstream", 256)["requests_per_second"][0] == 240.0
    assert run.result(f"{framework}-async", "health") is None
    by_rps = bench.ratios(run, "upstream", connections=256)
    assert by_rps[run.configurations[1]["id"]] == pytest.approx(10.0)


LEVELLED_BAD = [
    pytest.param(
        lambda d: d["results"].pop(),
        "results",
        "at 256 connections",
        "at every level",
        id="missing-level",
    ),
    pytest.param(
        lambda d: d["results"][-1].update(connections=64),
        "connections",
        "64 connections",
        "one of upstream's levels: 16, 256",
        id="unknown-level",
    ),
    pytest.param(
        lambda d: d["results"].append(
            {**copy.deepcopy(d["results"][0]), "configuration": d["configurations"][3]["id"]}
        ),
        "configuration",
        "which is marked not measured",
        "no result and no failure for a configuration that was not measured",
        id="outcome-for-not-measured",
    ),
    pytest.param(
        lambda d: d["configurations"][2]["endpoints"].append("nosuch"),
        "configurations[2].endpoints[1]",
        "the unknown endpoint 'nosuch'",
        "an endpoint id from `endpoints`",
        id="unknown-endpoint-in-configuration",
    ),
    pytest.param(
        lambda d: d["results"][-1]["timeouts"].pop(),
        "timeouts",
        "2 sample(s)",
        "one sample per round",
        id="timeouts-per-round",
    ),
    pytest.param(
        lambda d: d["configurations"][0].update(view="maybe"),
        "configurations[0].view",
        '"maybe" (a string)',
        "sync",
        id="bad-view",
    ),
]


@pytest.mark.parametrize(("change", "path", "found", "expected"), LEVELLED_BAD)
def test_a_levelled_run_with_a_mistake_is_rejected_with_a_located_message(
    change: Callable[[dict[str, Any]], None], path: str, found: str, expected: str
) -> None:
    data = levelled_data()
    change(data)
    with pytest.raises(DataError) as caught:
        validated(data)
    message = str(caught.value)
    assert path in message and found in message and expected in message, message


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


# --- smoke mode ---------------------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def bench_python() -> str:
    """What `make bench` runs the harness with: .venv-newest's python, which `make test` installs first."""
    newest = load_script("scripts/newest_venv.py")
    if (newest.VENV / newest.STAMP).is_file():
        return str(newest.venv_python())
    if in_ci():
        pytest.fail(f"{newest.VENV.name} is not installed; make test installs it before this run")
    return sys.executable  # no Python 3.12+ here: the harness on this venv is still worth a smoke run


def test_smoke_mode_covers_every_configuration_and_workload_and_leaves_no_process(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        message = f"wrk is not installed: {INSTALL_WRK} (make test installs it as root)"
        pytest.fail(message) if in_ci() else pytest.skip(message)
    python = bench_python()
    output = tmp_path / "benchmarks.yml"
    published = ROOT / FILE
    before = published.stat().st_mtime_ns if published.exists() else None
    # Its 90-second budget is measured by `make bench-smoke`, which prints what the run took
    # against its estimate; this test runs beside others, so it asserts no time.
    result = subprocess.run(
        [python, "-m", "bench", "--smoke", "--output", str(output), "--raw-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    run = bench.validate_text(output.read_text(), SCHEMA)
    assert run.raw["failures"] == []
    assert ROOT / run.raw["machine"]["interpreter"] == Path(python), "the file names the python every server ran"
    configurations = load_runner().CONFIGS
    assert [c["id"] for c in run.configurations] == list(configurations)
    assert not [c["id"] for c in run.configurations if "not_measured" in c]
    measured = set()
    for configuration in run.configurations:
        for endpoint in configuration["endpoints"]:
            measured.add(endpoint)
            for connections in run.levels(endpoint):
                outcome = run.result(configuration["id"], endpoint, connections)
                assert outcome is not None, (configuration["id"], endpoint, connections)
                assert min(outcome["requests"]) > 0
                assert outcome["non_2xx"] == 0 and outcome["socket_errors"] == 0
    assert measured == set(ENDPOINT_IDS), "every workload"
    assert (published.stat().st_mtime_ns if published.exists() else None) == before, "smoke mode never writes data/"
    raw = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert all(s["wrk"]["requests"] > 0 for s in raw["slices"])
    groups = raw["process_groups"]
    sessions = [groups["upstream"], *groups["servers"].values()]
    assert groups["upstream"] and len(groups["servers"]) == len(configurations)
    assert sessions_alive(sessions) == {}, "every server and the upstream stopped, with all their processes"
