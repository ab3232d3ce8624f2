"""bench/agreement.py: two runs side by side on the verdicts and the ratios they use."""

from __future__ import annotations

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
