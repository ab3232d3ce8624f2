"""Sample benchmark runs for the tests: a small valid run, one with workloads at levels, and how to write and load them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import yaml

from macros import benchmarks as bench
from macros.data import load
from tests.conftest import ROOT

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


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def edit(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = fixture_data()
    change(data)
    return data


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
