"""The benchmark's workload endpoints, in every app through its own test client."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from example_api import APPS, EXAMPLES, ApiClient
from fake_upstream import ANSWER, FakeUpstream

VIEWS = ["sync", "async"]
# Where each app defines its views; cpu_work must be the same function in all of them.
SOURCES = {app: EXAMPLES / app / "app.py" for app in APPS} | {
    "django": EXAMPLES / "django" / "users" / "views.py",
    "django-ninja": EXAMPLES / "django-ninja" / "ninja_project" / "api.py",
}


@pytest.mark.parametrize("view", VIEWS)
def test_upstream_endpoint_returns_what_the_upstream_answered(
    api: ApiClient, upstream: FakeUpstream, view: str
) -> None:
    before = upstream.requests
    reply = api.get(f"/api/upstream/{view}")
    assert (reply.status, reply.body) == (200, {"upstream": ANSWER}), reply.text
    assert upstream.requests == before + 1, "one call to the upstream per request"


@pytest.mark.parametrize("failure", ["failing", "garbled"])
@pytest.mark.parametrize("view", VIEWS)
def test_an_upstream_failure_is_a_502_with_a_json_body(
    api: ApiClient, upstream: FakeUpstream, view: str, failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upstream, failure, True)
    reply = api.get(f"/api/upstream/{view}")
    assert reply.status == 502, reply.text
    assert reply.body["detail"] == "The upstream service did not answer"


def reference_cpu_work(rounds: int) -> int:
    """The workload's result, computed here independently of the apps."""
    total = 0
    for i in range(rounds):
        total = (total * 31 + i) % 1_000_003
    return total


def test_cpu_endpoint_returns_the_fixed_result(api: ApiClient) -> None:
    reply = api.get("/api/cpu")
    assert (reply.status, reply.body) == (200, {"result": reference_cpu_work(30_000)})


def function_source(path: Path, name: str) -> str:
    """A function's code as a normalised syntax tree, comments and layout aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    (function,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]
    return ast.dump(function)


def test_every_app_does_the_same_cpu_work() -> None:
    sources = {app: function_source(path, "cpu_work") for app, path in SOURCES.items()}
    assert len(set(sources.values())) == 1, sorted(sources)
