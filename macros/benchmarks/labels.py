"""Words for numbers and configurations: `1,235`, `2.00×`, `<framework> on gunicorn (gthread, 32 threads)` (unescaped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from macros.benchmarks.model import Benchmarks
from macros.catalog import Catalog


def number(value: float) -> str:
    """1234.5 -> `1,235`; small values keep one decimal."""
    return f"{value:,.0f}" if value >= 100 or value == 0 else f"{value:,.1f}"


def ratio_text(value: float) -> str:
    return f"{value:.2f}×"


def framework_name(catalog: Catalog, configuration: Mapping[str, Any]) -> str:
    """The display name of a configuration's framework, from the catalog (unescaped)."""
    return str(catalog.framework(configuration["framework"])["name"])


def server_words(configuration: Mapping[str, Any]) -> str:
    """The server and how its workers serve requests, in words: `gunicorn (gthread, 32 threads)`.

    A run from before configurations recorded their worker class gave `server` in words already.
    """
    if "worker_class" not in configuration:
        return str(configuration["server"])
    server, worker = str(configuration["server"]), str(configuration["worker_class"])
    if worker == server:  # uvicorn's own workers
        return server
    if worker == "sync":
        return f"{server} (sync workers)"
    if worker == "gthread":
        return f"{server} (gthread, {configuration['threads']} threads)"
    return f"{server} ({worker.rsplit('.', 1)[-1]})"


def view_dependent(endpoint: Mapping[str, Any]) -> bool:
    """Whether an endpoint's route is the configuration's view, sync or async."""
    return "{view}" in str(endpoint["request"])


def server_label(configuration: Mapping[str, Any], endpoint: Mapping[str, Any] | None = None) -> str:
    """The server in words, with the view on an endpoint whose route depends on it (unescaped)."""
    words = server_words(configuration)
    if endpoint is not None and view_dependent(endpoint) and "view" in configuration:
        words += f", {configuration['view']} view"
    return words


def configuration_label(
    catalog: Catalog, configuration: Mapping[str, Any], endpoint: Mapping[str, Any] | None = None
) -> str:
    """`<framework> on <server>`, with the view where the endpoint depends on it, unescaped."""
    return f"{framework_name(catalog, configuration)} on {server_label(configuration, endpoint)}"


def level_words(bench: Benchmarks, endpoint_id: str, connections: int | None) -> str:
    """`, 64 connections` for an endpoint measured at several levels, else ''."""
    return f", {connections} connections" if connections is not None and len(bench.levels(endpoint_id)) > 1 else ""


def result_anchor(bench: Benchmarks, endpoint_id: str, connections: int | None) -> str:
    """The Performance page's anchor of an endpoint's results (at a level, when it has several)."""
    if connections is not None and len(bench.levels(endpoint_id)) > 1:
        return f"bench-{endpoint_id}-{connections}"
    return f"bench-{endpoint_id}"
