"""macros/benchmarks/verdicts.py: each rule on small runs, supported, partly, not supported, and not measured."""

from __future__ import annotations

from typing import Any

import pytest

from macros.benchmarks import verdicts
from macros.benchmarks.model import Benchmarks
from macros.benchmarks.verdicts import (
    BEST,
    CONSISTENT,
    DEFAULTS,
    INCONSISTENT,
    NOT_MEASURED,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
)

LEVELS = (16, 64, 256)
ADVANTAGE = {"id": "io", "rule": "advantage", "framework": "a", "over": ["b", "c"], "factor": 2, "endpoint": "io"}
NARROWS = {"id": "cpu", "rule": "narrows", "frameworks": ["a", "b", "c"], "endpoint": "cpu", "than": "io"}
RANGES = {"id": "ranges", "rule": "ranges", "reference": "b"}


def run(
    results: dict[tuple[str, str, int], list[float]],
    configurations: list[dict[str, Any]],
    failures: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
) -> Benchmarks:
    """A run with an I/O endpoint at three levels and a CPU endpoint at 16 connections."""
    return Benchmarks(
        raw={
            "load_generator": {"rounds": 3, "connections": 16},
            "endpoints": [
                {
                    "id": "io",
                    "label": "I/O",
                    "route": "GET /io",
                    "request": "/io",
                    "levels": [{"connections": c, "bound_requests_per_second": c * 20.0} for c in LEVELS],
                },
                {"id": "cpu", "label": "CPU", "route": "GET /cpu", "request": "/cpu"},
            ],  # fmt: skip
            "configurations": configurations,
            "results": [
                {"configuration": c, "endpoint": e, "connections": n, "requests_per_second": values}
                for (c, e, n), values in results.items()
            ],
            "failures": [
                {"configuration": c, "endpoint": e, "connections": n, "reason": "wrk saw 3 non-2xx responses"}
                for c, e, n in failures
            ],
        }
    )


def configuration(cid: str, framework: str, default: bool = False, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "framework": framework, "default": default, **extra}


DEFAULT_CONFIGURATIONS = [
    configuration("a1", "a", True),
    configuration("b1", "b", True),
    configuration("c1", "c", True),
]


def io_results(a: float, b: float, c: float, **more: float) -> dict[tuple[str, str, int], list[float]]:
    """The same requests per second in each of 3 rounds, at every I/O level, for a1, b1, c1 and any `more`."""
    values = {"a1": a, "b1": b, "c1": c, **more}
    return {(cid, "io", n): [v, v, v] for cid, v in values.items() for n in LEVELS}


def test_advantage_is_supported_at_every_level_when_the_framework_serves_twice_each_other() -> None:
    verdict = verdicts.advantage(run(io_results(100, 50, 40), DEFAULT_CONFIGURATIONS), ADVANTAGE)
    assert verdict.status == SUPPORTED and [f.status for f in verdict.findings] == [SUPPORTED] * 3
    assert [r.value for r in verdict.findings[0].ratios] == [2.0, 2.5]
    assert [f.connections for f in verdict.findings] == list(LEVELS)


def test_advantage_is_partly_supported_when_it_beats_only_one_framework_twice() -> None:
    verdict = verdicts.advantage(run(io_results(100, 60, 40), DEFAULT_CONFIGURATIONS), ADVANTAGE)
    assert verdict.status == PARTLY and {f.status for f in verdict.findings} == {PARTLY}


def test_advantage_is_partly_supported_when_it_holds_at_some_levels_only() -> None:
    results = io_results(100, 60, 60)
    results[("a1", "io", 256)] = [150.0, 150.0, 150.0]
    verdict = verdicts.advantage(run(results, DEFAULT_CONFIGURATIONS), ADVANTAGE)
    assert [f.status for f in verdict.findings] == [NOT_SUPPORTED, NOT_SUPPORTED, SUPPORTED]
    assert verdict.status == PARTLY


def test_advantage_is_not_supported_when_no_level_shows_twice_any_framework() -> None:
    verdict = verdicts.advantage(run(io_results(100, 99, 51), DEFAULT_CONFIGURATIONS), ADVANTAGE)
    assert verdict.status == NOT_SUPPORTED


def test_ratios_pair_the_rounds_instead_of_dividing_medians() -> None:
    results = io_results(1, 1, 1)
    results[("a1", "io", 16)] = [100.0, 300.0, 200.0]
    results[("b1", "io", 16)] = [50.0, 150.0, 200.0]  # per round: 2, 2, 1
    verdict = verdicts.advantage(run(results, DEFAULT_CONFIGURATIONS), ADVANTAGE)
    assert verdict.findings[0].ratios[0].value == 2.0


def test_the_best_reading_compares_with_each_framework_s_fastest_configuration_at_each_level() -> None:
    configurations = [*DEFAULT_CONFIGURATIONS, configuration("b2", "b", worker_class="gthread")]
    results = io_results(100, 20, 20, b2=80)
    results[("b2", "io", 16)] = [10.0, 10.0, 10.0]  # at 16 connections b1 is b's best
    bench = run(results, configurations)
    defaults, best = verdicts.advantage(bench, ADVANTAGE, DEFAULTS), verdicts.advantage(bench, ADVANTAGE, BEST)
    assert defaults.status == SUPPORTED
    assert [f.ratios[0].other for f in best.findings] == ["b1", "b2", "b2"]
    assert [f.status for f in best.findings] == [SUPPORTED, PARTLY, PARTLY] and best.status == PARTLY


def test_a_failed_configuration_makes_its_level_and_the_verdict_not_measured() -> None:
    results = io_results(100, 20, 20)
    del results[("c1", "io", 64)]
    verdict = verdicts.advantage(run(results, DEFAULT_CONFIGURATIONS, failures=[("c1", "io", 64)]), ADVANTAGE)
    assert [f.status for f in verdict.findings] == [SUPPORTED, NOT_MEASURED, SUPPORTED]
    assert verdict.status == NOT_MEASURED
    assert "c1 on io at 64 connections failed: wrk saw 3 non-2xx responses" in verdict.findings[1].note


def test_a_configuration_not_measured_never_counts_as_a_framework_s_best() -> None:
    configurations = [*DEFAULT_CONFIGURATIONS, configuration("c2", "c", not_measured="gevent cannot be imported")]
    verdict = verdicts.advantage(run(io_results(100, 20, 20), configurations), ADVANTAGE, BEST)
    assert verdict.status == NOT_MEASURED and "c2 was not measured" in verdict.findings[0].note


def test_a_missing_workload_or_default_gives_not_measured_not_a_guess() -> None:
    bench = run(io_results(100, 20, 20), DEFAULT_CONFIGURATIONS)
    missing = verdicts.advantage(bench, {**ADVANTAGE, "endpoint": "stream"})
    assert missing.status == NOT_MEASURED and "did not measure the stream endpoint" in missing.findings[0].note
    no_default = verdicts.advantage(bench, {**ADVANTAGE, "framework": "d"})
    assert no_default.status == NOT_MEASURED and "no default configuration of d" in no_default.findings[0].note


def cpu_and_io(cpu: dict[str, float], io: dict[str, float]) -> Benchmarks:
    results = {(cid, "io", n): [v] * 3 for cid, v in io.items() for n in LEVELS}
    results |= {(cid, "cpu", 16): [v] * 3 for cid, v in cpu.items()}
    return run(results, DEFAULT_CONFIGURATIONS)


def test_narrows_is_judged_per_pair_by_the_absolute_logarithm_of_their_ratios() -> None:
    bench = cpu_and_io(cpu={"a1": 110, "b1": 100, "c1": 100}, io={"a1": 400, "b1": 100, "c1": 120})
    verdict = verdicts.narrows(bench, NARROWS)
    assert [f.frameworks for f in verdict.findings] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert [f.status for f in verdict.findings] == [SUPPORTED, SUPPORTED, SUPPORTED] and verdict.status == SUPPORTED
    # A ratio below 1 is as far from 1 as its inverse: 0.5 and 2 are equally wide.
    inverse = verdicts.narrows(cpu_and_io({"a1": 50, "b1": 100, "c1": 100}, {"a1": 200, "b1": 100, "c1": 100}), NARROWS)
    assert inverse.findings[0].status == NOT_SUPPORTED


def test_narrows_is_partly_supported_when_some_pairs_narrow() -> None:
    bench = cpu_and_io(cpu={"a1": 100, "b1": 100, "c1": 500}, io={"a1": 400, "b1": 100, "c1": 100})
    verdict = verdicts.narrows(bench, NARROWS)
    assert [f.status for f in verdict.findings] == [SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED]
    assert verdict.status == PARTLY


def test_narrows_without_the_cpu_workload_is_not_measured() -> None:
    bench = run(io_results(100, 20, 20), DEFAULT_CONFIGURATIONS)
    verdict = verdicts.narrows(bench, NARROWS)
    assert verdict.status == NOT_MEASURED and "no result for a1 on cpu" in verdict.findings[0].note


FRAMEWORKS = [
    {"id": "a", "claims": [{"low": 10_000}]},  # open-ended: ~10,000+
    {"id": "b", "claims": [{"low": 2_000, "high": 4_000}]},
    {"id": "c", "claims": [{"low": 3_000, "high": 5_000}]},
    {"id": "d", "claims": []},
]


def test_a_quoted_range_becomes_a_range_of_ratios_to_the_reference_s() -> None:
    assert verdicts.claimed_ratio((3_000, 5_000), (2_000, 4_000)) == (0.75, 2.5)
    assert verdicts.claimed_ratio((10_000, None), (2_000, 4_000)) == (2.5, None)


def test_ranges_are_consistent_when_each_measured_ratio_lies_inside_the_claimed_one() -> None:
    bench = cpu_and_io(cpu={"a1": 300, "b1": 100, "c1": 100}, io={"a1": 500, "b1": 100, "c1": 200})
    verdict = verdicts.ranges(bench, RANGES, FRAMEWORKS)
    found = {(f.frameworks[0], f.endpoint): (f.status, f.ratios[0].value) for f in verdict.findings}
    assert found == {
        ("a", "io"): (CONSISTENT, 5.0),
        ("a", "cpu"): (CONSISTENT, 3.0),
        ("c", "io"): (CONSISTENT, 2.0),
        ("c", "cpu"): (CONSISTENT, 1.0),
    }, "the reference and a framework with no quoted range are left out"
    assert verdict.status == CONSISTENT
    assert verdict.findings[0].ratios[0].connections == 256, "each endpoint at its highest level"


def test_ranges_are_not_consistent_when_a_measured_ratio_falls_outside() -> None:
    bench = cpu_and_io(cpu={"a1": 100, "b1": 100, "c1": 100}, io={"a1": 500, "b1": 100, "c1": 300})
    verdict = verdicts.ranges(bench, RANGES, FRAMEWORKS)
    statuses = {(f.frameworks[0], f.endpoint): f.status for f in verdict.findings}
    assert statuses[("a", "cpu")] == INCONSISTENT and statuses[("c", "io")] == INCONSISTENT
    assert verdict.status == INCONSISTENT


def test_judge_reads_advantage_twice_and_refuses_an_unknown_rule() -> None:
    bench = run(io_results(100, 20, 20), DEFAULT_CONFIGURATIONS)
    assert [v.reading for v in verdicts.judge(bench, ADVANTAGE, FRAMEWORKS)] == [DEFAULTS, BEST]
    with pytest.raises(KeyError, match="Unknown rule 'fastest'"):
        verdicts.judge(bench, {**ADVANTAGE, "rule": "fastest"}, FRAMEWORKS)
