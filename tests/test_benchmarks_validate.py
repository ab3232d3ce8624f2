"""data/benchmarks.yml: its schema and the checks beyond it, each mistake named with its file, line and key path."""

from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from macros import benchmarks as bench
from macros.problems import DataError
from tests.benchmark_samples import (
    CATALOG,
    FILE,
    SCHEMA,
    dump,
    edit,
    fixture_data,
    levelled_data,
    validated,
)
from tests.conftest import ROOT


@pytest.fixture
def run() -> bench.Benchmarks:
    return validated(fixture_data())


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
