"""bench/agreement.py: two runs side by side on the verdicts and the ratios they use."""

from __future__ import annotations

import math
import re

import pytest

from bench import agreement
from macros.data import load
from tests.conftest import ROOT
from tests.test_benchmarks_verdict_tables import IO, levelled_run

CATALOG = load(ROOT)


def compare(first: object, second: object) -> tuple[str, float, bool]:
    return agreement.compare(first, second, CATALOG.performance_claims, CATALOG.frameworks)  # type: ignore[arg-type]


def test_a_run_with_no_verdict_ratio_compares_none() -> None:
    run = levelled_run()
    for configuration in run.raw["configurations"]:
        configuration["default"] = False  # as in runs from before the configurations said so
    _, largest, same = compare(run, run)
    assert largest is None and same


def test_a_run_agrees_with_itself() -> None:
    text, largest, same = compare(levelled_run(), levelled_run())
    assert largest == 0.0 and same
    assert "io-advantage     defaults  supported" in text
    assert "Largest difference 0.0%" in text


def test_a_ratio_that_moved_is_reported_with_its_difference() -> None:
    faster = levelled_run({**IO, "fastapi-uvicorn": IO["fastapi-uvicorn"] * 1.2})
    text, largest, same = compare(levelled_run(), faster)
    assert largest == pytest.approx(0.2)
    assert same, "22.5x or 27x: the verdicts are the same"
    assert any(
        line.split()[:3] == ["io-advantage", "defaults", "fastapi/flask"] and "+20.0%" in line
        for line in text.splitlines()
    )


def test_a_verdict_that_changes_is_flagged_and_a_change_of_best_configuration_is_named() -> None:
    # Flask's gthread falls behind its sync default: the best configuration changes, and
    # FastAPI's default now serves more than twice each framework's best.
    slower = levelled_run({**IO, "flask-gthread": 30.0})
    text, _, same = compare(levelled_run(), slower)
    assert not same and "DIFFERENT" in text
    assert "(best: flask-gthread, then flask-gunicorn)" in text


# --- how many rounds the tolerance would need ----------------------------------------------


def test_log_ratios_pair_the_rounds_and_leave_out_a_round_without_an_answer() -> None:
    assert agreement.log_ratios([2.0, 0.0, 3.0], [1.0, 1.0, 3.0]) == pytest.approx([math.log(2), 0.0])


def test_the_spread_is_pooled_within_each_run() -> None:
    # Each run's values sit 0.1 either side of its own mean: the runs' different means add nothing.
    assert agreement.pooled_sd([[0.0, 0.2], [1.1, 1.3]]) == pytest.approx(math.sqrt((0.02 + 0.02) / 2))
    assert agreement.pooled_sd([[0.5], []]) is None, "one value has no spread"


def test_rounds_needed_grow_with_the_square_of_the_spread() -> None:
    # One round suffices when 1.96 × √2 × √(π/2) × sd is ln(1.1) (a hair under it, against rounding).
    one = math.log(1.1) / (1.96 * math.sqrt(2) * math.sqrt(math.pi / 2)) * 0.999
    assert agreement.rounds_needed(0.0) == 1
    assert agreement.rounds_needed(one) == 1
    assert agreement.rounds_needed(one * 2) == 4
    assert agreement.rounds_needed(one * 2.01) == 5
    assert agreement.rounds_needed(one * 2, tolerance=0.21) == 1, "ln(1.21) is twice ln(1.1)"
    with pytest.raises(ValueError, match="no number of rounds"):
        agreement.rounds_needed(one, tolerance=0.0)


def spread_run(d: float) -> object:
    """The levelled run with FastAPI's CPU-bound rounds e^-d, 1 and e^d times its value: per-round log ratios spread by d."""
    run = levelled_run()
    for result in run.raw["results"]:
        if (result["configuration"], result["endpoint"]) == ("fastapi-uvicorn", "cpu"):
            value = result["requests_per_second"][0]
            result["requests_per_second"] = [value * math.exp(-d), value, value * math.exp(d)]
    return run


def test_compare_says_how_many_rounds_the_most_spread_ratio_needs() -> None:
    text, _, _ = compare(levelled_run(), levelled_run())
    rounds_line = next(line for line in text.splitlines() if line.startswith("Rounds:"))
    assert re.search(r"(\d+) of \1 would stay within 10%", rounds_line), "no spread: every ratio holds at 3 rounds"
    assert "needs 1 round;" in rounds_line

    # sd 0.1: (1.96 × √2 × √(π/2) × 0.1 / ln 1.1)² = 13.3, so 14 rounds.
    text, _, _ = compare(spread_run(0.1), spread_run(0.1))
    rounds_line = next(line for line in text.splitlines() if line.startswith("Rounds:"))
    assert "cpu at 16 (per-round spread 10.0%), needs 14 rounds" in rounds_line
    assert "would stay within 10% between two runs 19 times in 20 at 3 rounds" in rounds_line
