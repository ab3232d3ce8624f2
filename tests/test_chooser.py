"""The chooser's Python mirror of its scoring rules, its data checks and its page fragment."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest

from macros.chooser import chooser_data, chooser_html, score
from macros.data import load
from macros.problems import DataError
from tests.conftest import ROOT
from tests.data_samples import fixture_text, load_text

CASES = json.loads((ROOT / "tests" / "chooser_cases.json").read_text(encoding="utf-8"))


def summary(result: dict) -> list[list]:
    """The fields the cases file states, per ranked framework."""
    return [[r["id"], r["rank"], r["score"], r["misses"]] for r in result["ranking"]]


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_python_rules_match_the_shared_cases(case: dict) -> None:
    result = score(CASES["data"], case["selection"])
    assert summary(result) == case["ranking"]
    assert result["none_meet_musts"] is case["none_meet_musts"]


def test_real_data_ranks_as_the_decision_lists_suggest() -> None:
    data = chooser_data(load(ROOT), root="")

    def first(selection: dict[str, str]) -> set[str]:
        """The frameworks that share the top rank."""
        return {r["id"] for r in score(data, selection)["ranking"] if r["rank"] == 1}

    assert first({"admin": "must"}) == {"django", "django-ninja"}
    assert first({"api-docs": "nice", "async": "nice"}) == {"fastapi", "litestar"}
    assert first({"minimal": "nice", "freedom": "nice"}) == {"flask", "quart", "starlette"}
    # An admin, a small core and an event loop: only Starlette has all three, its admin from a listed package.
    result = score(data, {"admin": "must", "minimal": "must", "concurrency": "must"})
    assert result["none_meet_musts"] is False
    assert [r["id"] for r in result["ranking"] if r["rank"] is not None] == ["starlette"]


def test_chooser_fragment_embeds_escaped_data_and_a_fallback(data_root: Path) -> None:
    text = fixture_text().replace("note: tiny", 'note: "</script><b>tiny</b>"')
    (data_root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    html = chooser_html(load(data_root), root="../")
    embedded = re.search(r'data-chooser="([^"]*)"', html).group(1)
    assert "<" not in embedded and ">" not in embedded
    assert json.loads(htmllib.unescape(embedded))["needs"][0]["support"]["alpha"]["note"] == "</script><b>tiny</b>"
    assert html.count("</script>") == 1 and "<b>tiny" not in html
    assert '<script src="../assets/chooser.js"></script>' in html
    # Without JavaScript the chooser stays hidden and the decision lists show.
    assert 'id="fw-chooser" hidden' in html
    assert re.search(r'id="fw-chooser-fallback">.*Choose Alpha when.*You need it\.', html)
    assert re.findall(r"<legend>([^<]+)</legend>", html) == ["Small"]


@pytest.mark.parametrize(
    ("edit", "path", "found"),
    [
        (
            lambda t: t.replace("    aspect: type\n    support:", "    aspect: speed\n    support:"),
            "needs[0].aspect",
            "the unknown aspect id 'speed'",
        ),
        (
            lambda t: t.replace('      beta: {level: "no", note: big}\n', ""),
            "needs[0].support",
            "no support entry for framework 'beta'",
        ),
        (
            lambda t: t.replace(
                '      beta: {level: "no", note: big}\n',
                '      beta: {level: "no", note: big}\n      gamma: {level: "no", note: x}\n',
            ),
            "needs[0].support.gamma",
            "support for the unknown framework id 'gamma'",
        ),
        (
            lambda t: t.replace('alpha: {level: "yes", note: tiny}', "alpha: {level: yes, note: tiny}"),
            "needs[0].support.alpha.level",
            "true (a boolean)",
        ),
    ],
    ids=["unknown-aspect", "missing-framework", "unknown-framework", "unquoted-yes"],
)
def test_bad_needs_are_reported(data_root: Path, edit, path: str, found: str) -> None:
    text = edit(fixture_text())
    assert text != fixture_text()
    error = load_text(data_root, text)
    assert isinstance(error, DataError)
    problem = next(p for p in error.problems if p.path == path)
    assert found in problem.found
