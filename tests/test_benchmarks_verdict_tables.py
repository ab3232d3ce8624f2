"""macros/benchmarks/verdict_tables.py and the level chart: the claims, their rules and verdicts, in words and tables."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from macros import render
from macros.benchmarks import charts, verdict_tables
from macros.benchmarks.model import Benchmarks
from macros.data import load
from macros.problems import DataError
from tests.benchmark_samples import text_of
from tests.conftest import ROOT, edit_data

CATALOG = load(ROOT)
LEVELS = (16, 64, 256)


def configuration(cid: str, framework: str, worker_class: str, default: bool = False, **extra: Any) -> dict[str, Any]:
    server = "uvicorn" if worker_class == "uvicorn" else "gunicorn"
    return {
        "id": cid,
        "framework": framework,
        "server": server,
        "worker_class": worker_class,
        "threads": extra.pop("threads", 1),
        "view": extra.pop("view", "sync"),
        "default": default,
        **extra,
    }


CONFIGURATIONS = [
    configuration("flask-gunicorn", "flask", "sync", True),
    configuration("flask-gthread", "flask", "gthread", threads=32),
    configuration("django-gunicorn", "django", "sync", True),
    configuration("fastapi-uvicorn", "fastapi", "uvicorn", True, view="async"),
]
IO = {"flask-gunicorn": 40.0, "flask-gthread": 600.0, "django-gunicorn": 38.0, "fastapi-uvicorn": 900.0}
CPU = {"flask-gunicorn": 130.0, "flask-gthread": 120.0, "django-gunicorn": 120.0, "fastapi-uvicorn": 125.0}


def levelled_run(io: dict[str, float] = IO, drop: tuple[str, str, int] | None = None) -> Benchmarks:
    results = [
        {"configuration": c, "endpoint": "upstream", "connections": n, "requests_per_second": [v * n / 16] * 3}
        for c, v in io.items()
        for n in LEVELS
    ] + [
        {"configuration": c, "endpoint": "cpu", "connections": 16, "requests_per_second": [v] * 3}
        for c, v in CPU.items()
    ]
    results = [r for r in results if drop is None or (r["configuration"], r["endpoint"], r["connections"]) != drop]
    failures = (
        [{"configuration": drop[0], "endpoint": drop[1], "connections": drop[2], "reason": "the server was lost"}]
        if drop
        else []
    )
    return Benchmarks(
        raw={
            "load_generator": {"rounds": 3, "connections": 16},
            "endpoints": [
                {
                    "id": "upstream",
                    "label": "Call an upstream service",
                    "route": "GET /api/upstream/{view}",
                    "request": "/api/upstream/{view}",
                    "levels": [{"connections": n, "bound_requests_per_second": n * 20.0} for n in LEVELS],
                },
                {"id": "cpu", "label": "Pure-Python work", "route": "GET /api/cpu", "request": "/api/cpu"},
            ],  # fmt: skip
            "configurations": copy.deepcopy(CONFIGURATIONS),
            "results": results,
            "failures": failures,
        }
    )


def section_of(out: str, claim_id: str) -> str:
    """The text of one claim's part of the claims section."""
    start = out.index(f"{{ #claim-{claim_id} }}")
    end = out.find("### ", start)
    return text_of(out[start : end if end > 0 else None])


def test_each_claim_states_the_claim_its_measurement_its_rule_and_its_verdicts_with_numbers() -> None:
    out = verdict_tables.claims_section(levelled_run(), CATALOG)
    assert [m for m in re.findall(r"\{ #claim-([a-z-]+) \}", out)] == [c["id"] for c in CATALOG.performance_claims]
    io = section_of(out, "io-advantage")
    assert "The claim As the heading says it, quoted: a claim, not a measurement." in io
    assert "Call an upstream service (GET /api/upstream/{view}) at 16, 64 and 256 connections" in io
    assert "serves at least 2× the requests per second of each of Flask and Django" in io
    # Against the defaults: 900/40 and 900/38 at every level. Against the best: Flask's gthread, 1.5×.
    assert "Against each framework's default configuration: Supported" in io
    assert "22.50×" in io and "23.68×" in io
    assert "Against each framework's best configuration: Partly supported" in io
    assert "1.50× Flask on gunicorn (gthread, 32 threads)" in io
    cpu = section_of(out, "cpu-narrows")
    assert "FastAPI / Flask" in cpu and "|log| 0.04" in cpu
    # Django and Flask: 0.92× on the CPU-bound endpoint, 0.95× on the I/O-bound one: wider, not narrower.
    assert (
        "Verdict: Partly supported" in cpu and "Django / Flask 0.92× |log| 0.08 0.95× |log| 0.05 Not supported" in cpu
    )
    ranges = section_of(out, "quoted-ranges")
    assert "as multiples of Flask" in ranges and "2.5× or more" in ranges
    assert "22.50× at 256 connections" in ranges and "Consistent" in ranges and "Not consistent" in ranges


def test_a_failed_configuration_is_not_measured_on_the_page_with_its_reason() -> None:
    out = verdict_tables.claims_section(levelled_run(drop=("django-gunicorn", "upstream", 64)), CATALOG)
    io = section_of(out, "io-advantage")
    assert "Against each framework's default configuration: Not measured" in io
    assert "Not measured : django-gunicorn on upstream at 64 connections failed: the server was lost." in io
    assert "Supported" in io, "the levels that were measured keep their verdicts"


def test_with_no_published_run_every_claim_is_not_measured() -> None:
    out = verdict_tables.claims_section(None, CATALOG)
    assert out.count("no benchmark run is published") == len(CATALOG.performance_claims)


def test_every_string_in_a_verdict_is_escaped() -> None:
    run = levelled_run()
    run.raw["endpoints"][0]["label"] = "<script>alert(1)</script>"
    out = verdict_tables.claims_section(run, CATALOG)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_the_level_chart_draws_a_line_per_configuration_the_bound_and_a_legend() -> None:
    out = charts.level_chart(levelled_run(drop=("flask-gthread", "upstream", 256)), CATALOG, "upstream")
    assert out.count('<g class="fw-series') == len(CONFIGURATIONS)
    assert out.count('class="fw-bound"') == 2, "the bound in the chart and in the legend"
    assert 'role="img"' in out and "<title" in out and "<desc" in out
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", out).group(1)  # type: ignore[union-attr]
    assert "bound: 320 at 16, 1,280 at 64, 5,120 at 256" in desc
    assert "Flask on gunicorn (gthread, 32 threads), sync view: 600 at 16, 2,400 at 64; no result at 256" in desc
    legend = text_of(out.split('<ul class="fw-legend">')[1].split("</ul>")[0])
    assert "FastAPI on uvicorn, async view" in legend and "(no result at 256)" in legend
    # Each framework has its colour; a second configuration of one framework is dashed.
    assert 'fw-series fw-series-0"><path d="M' in out and 'stroke-dasharray="6 3"' in out


def test_the_comparison_row_links_each_cell_to_the_measured_default() -> None:
    evidence = verdict_tables.evidence(levelled_run(), CATALOG, ["upstream", "cpu"], "../")
    assert set(evidence) == {"flask", "django", "fastapi"}
    assert 'href="../performance/#bench-upstream-256"' in evidence["fastapi"]
    assert "call an upstream service at 256 connections: 14,400 requests/s" in text_of(evidence["fastapi"])
    assert 'href="../performance/#bench-cpu"' in evidence["flask"] and "130 requests/s" in evidence["flask"]
    failed = verdict_tables.evidence(levelled_run(drop=("flask-gunicorn", "cpu", 16)), CATALOG, ["cpu"], "")
    assert "pure-python work at 16 connections: failed" in text_of(failed["flask"])
    table = render.comparison_table(CATALOG, "", measured={"performance": evidence})
    row = table.split('id="aspect-performance"')[1].split("</tr>")[0]
    assert row.count('class="fw-evidence"') == 6
    assert 'class="fw-evidence"' not in render.comparison_table(
        CATALOG, "", detailed=False, measured={"performance": evidence}
    )
    assert verdict_tables.evidence(None, CATALOG, ["cpu"], "") == {}


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (lambda d: d["performance_claims"][0].__setitem__("over", ["flask", "bottle"]),
         "performance_claims[0].over[1]", "a framework id from `frameworks`"),
        (lambda d: d["performance_claims"][0].pop("factor"),
         "performance_claims[0].factor", "no such key"),
        (lambda d: d["performance_claims"][1].__setitem__("rule", "fastest"),
         "performance_claims[1].rule", "one of"),
        (lambda d: d["performance_claims"].append(dict(d["performance_claims"][2])),
         "performance_claims[3].id", "already used"),
    ],
)  # fmt: skip
def test_a_wrong_performance_claim_fails_with_a_located_message(
    project_copy: Path, change: Any, path: str, expected: str
) -> None:
    edit_data(project_copy, change)
    with pytest.raises(DataError) as error:
        load(project_copy)
    message = str(error.value)
    assert "data/frameworks.yml:" in message and path in message and expected in message, message
