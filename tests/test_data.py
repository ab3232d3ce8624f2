"""The data file: the real one is valid; each kind of broken data fails with a precise message."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from macros.data import load, load_schema
from tests.conftest import ROOT
from tests.data_samples import fixture_text, line_of, load_text, located


def test_real_data_file_is_valid() -> None:
    catalog = load(ROOT)
    assert len(catalog.frameworks) >= 3
    assert len(catalog.aspects) >= 9


def test_real_data_file_names_its_schema_for_editors() -> None:
    first_line = (ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=frameworks.schema.json"


def test_schema_is_itself_valid_and_closed() -> None:
    schema = load_schema(ROOT)
    jsonschema.Draft202012Validator.check_schema(schema)

    def objects(node: object) -> list[dict]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                found.append(node)
            for value in node.values():
                found.extend(objects(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(objects(value))
        return found

    for node in objects(schema):
        assert node.get("additionalProperties") is False, node.get("description")
        assert "required" in node, node.get("description")
        for name, prop in node["properties"].items():
            assert "description" in prop, name


def test_fixture_is_valid(data_root: Path) -> None:
    (data_root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    assert [fw["id"] for fw in load(data_root).frameworks] == ["alpha", "beta"]


BROKEN = [
    pytest.param(
        lambda t: t.replace("    label: Feel\n", "    label: Feel: bad\n"),
        ("label: Feel: bad", 1),
        "",
        "invalid YAML",
        "well-formed YAML",
        id="yaml-syntax-error",
    ),
    pytest.param(
        lambda t: t.replace("    tagline: the beta framework\n", ""),
        ("- id: beta", 1),
        "frameworks[1].tagline",
        "no such key",
        "the required key 'tagline'",
        id="missing-required-key",
    ),
    pytest.param(
        lambda t: t.replace("    verdict: Pick it for tests.\n", "    verdcit: Pick it for tests.\n", 1),
        ("verdcit", 1),
        "frameworks[0].verdcit",
        "the unknown key 'verdcit'",
        "only the keys:",
        id="unknown-key",
    ),
    pytest.param(
        lambda t: t.replace("{year: 2010,", '{year: "2010",', 1),
        ('year: "2010"', 1),
        "frameworks[0].first_release.year",
        '"2010" (a string)',
        "a whole number",
        id="wrong-type",
    ),
    pytest.param(
        lambda t: t.replace(
            "    tagline: the beta framework\n", '    tagline: the beta framework\n    featured: "yes"\n'
        ),
        ('featured: "yes"', 1),
        "frameworks[1].featured",
        '"yes" (a string)',
        "true or false (unquoted)",
        id="featured-not-a-boolean",
    ),
    pytest.param(
        lambda t: t.replace("      beta: {value: Heavy}\n", "      beta: {value: Heavy}\n      gamma: {value: Odd}\n"),
        ("gamma: {value: Odd}", 1),
        "aspects[1].values.gamma",
        "a value for the unknown framework id 'gamma'",
        "a framework id from `frameworks`: alpha, beta",
        id="unknown-framework-id",
    ),
    pytest.param(
        lambda t: t.replace("      beta: {value: Heavy}\n", ""),
        ("    values:", 2),
        "aspects[1].values",
        "no value for framework 'beta' in aspect 'feel'",
        "value for every framework: add `beta:` here",
        id="missing-aspect-value",
    ),
    pytest.param(
        lambda t: t.replace("  - id: beta\n", "  - id: alpha\n"),
        ("  - id: alpha", 2),
        "frameworks[1].id",
        "'alpha', already used by frameworks[0]",
        "a id that is unique among frameworks",
        id="duplicate-id",
    ),
    pytest.param(
        lambda t: t.replace("    order: 2\n", "    order: 2\n    order: 3\n"),
        ("order: 3", 1),
        "aspects[1].order",
        "the key 'order' a second time",
        "each key once per mapping",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        lambda t: t.replace("source: https://beta.example.org/docs/type", "source: beta.example.org/docs/type"),
        ("source: beta.example.org", 1),
        "aspects[0].values.beta.source",
        '"beta.example.org/docs/type" (a string)',
        "https URL of the specific official page",
        id="bad-url",
    ),
    pytest.param(
        lambda t: t.replace("source: https://beta.example.org/docs/type", "source: https://beta.example.org/"),
        ("source: https://beta.example.org/", 1),
        "aspects[0].values.beta.source",
        '"https://beta.example.org/" (a string)',
        "not a site's home page",
        id="home-page-as-source",
    ),
    pytest.param(
        lambda t: t.replace("    verdict: Pick it for tests.\n", '    verdict: ""\n', 1),
        ('verdict: ""', 1),
        "frameworks[0].verdict",
        '"" (a string)',
        "non-empty text",
        id="empty-string",
    ),
    pytest.param(
        lambda t: t.replace(
            "        value: Micro\n        source: https://alpha.example.org/docs/type\n", "        value: Micro\n"
        ),
        ("      alpha:", 1),
        "aspects[0].values.alpha",
        "a value with no `source`",
        "a `source` URL, since aspect 'type' states facts",
        id="fact-without-source",
    ),
    pytest.param(
        lambda t: t.replace("read: [examples/app.py:get_user]", "read: [examples/app.py:get_users]", 1),
        ("examples/app.py:get_users", 1),
        "frameworks[0].example.snippets.read[0]",
        "examples/app.py has no section 'get_users'",
        "# --8<-- [start:get_users]",
        id="missing-snippet-section",
    ),
    pytest.param(
        lambda t: t.replace("read: [examples/app.py:get_user]", "read: [examples/../../etc/passwd.py:get_user]", 1),
        ("examples/../../etc", 1),
        "frameworks[0].example.snippets.read[0]",
        '"examples/../../etc/passwd.py:get_user" (a string)',
        "A pymdownx.snippets reference",
        id="snippet-outside-examples",
    ),
    pytest.param(
        lambda t: t.replace("    kind: assessment\n", "    kind: opinion\n"),
        ("kind: opinion", 1),
        "aspects[1].kind",
        '"opinion" (a string)',
        'one of: "fact", "assessment"',
        id="not-in-enum",
    ),
    pytest.param(
        lambda t: t.replace("    philosophy: Small.\n", "    philosophy: See [this](javascript:alert(1)).\n", 1),
        ("javascript:alert", 1),
        "frameworks[0].philosophy",
        "the link target 'javascript:alert(1'",
        "an https:// URL or a relative link",
        id="script-link-in-markdown",
    ),
]


@pytest.mark.parametrize(("edit", "where", "path", "found", "expected"), BROKEN)
def test_broken_data_is_reported_precisely(
    data_root: Path, yaml_parser: str, edit, where: tuple[str, int], path: str, found: str, expected: str
) -> None:
    text = edit(fixture_text())
    assert text != fixture_text(), "the edit must change the fixture"
    error = load_text(data_root, text)
    problem = error.problems[0]
    assert problem.file == "data/frameworks.yml"
    assert problem.line == line_of(text, *where)
    assert problem.path == path
    assert found in problem.found
    assert expected in problem.expected
    message = str(error)
    assert f"data/frameworks.yml:{problem.line}: {path or '(document)'}" in message
    assert "found:" in message and "expected:" in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_is_reported(data_root: Path, text: str) -> None:
    error = load_text(data_root, text)
    assert error.problems[0].line == 1
    assert error.problems[0].found == "an empty file"


def test_top_level_list_is_reported(data_root: Path) -> None:
    error = load_text(data_root, "- just\n- a list\n")
    assert error.problems[0].found == "a list of 2 items"
    assert "aspects, tasks, needs, frameworks" in error.problems[0].expected


def test_every_problem_is_listed(data_root: Path) -> None:
    text = fixture_text().replace("    tagline: the beta framework\n", "").replace("    order: 2\n", '    order: "2"\n')
    error = load_text(data_root, text)
    paths = {p.path for p in error.problems}
    assert {"frameworks[1].tagline", "aspects[1].order"} <= paths
    assert "(2 problems)" in str(error)


def test_past_50_problems_the_rest_are_counted(data_root: Path) -> None:
    text = fixture_text() + "twice:\n" + "  key: 1\n" * 121
    message = str(load_text(data_root, text))
    assert message.startswith("data/frameworks.yml is invalid (120 problems; the first 50 follow):\n")
    assert message.count("\n    found:    the key 'key' a second time") == 50
    assert message.endswith("\n    expected: each key once per mapping\n... and 70 more problems")


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda t: t.replace("aspects:\n", "aspects:\n" + "  - 1\n" * 80, 1), id="schema"),
        pytest.param(
            lambda t: t.replace("tasks:\n", "tasks:\n" + "  - {id: read, label: R, description: D.}\n" * 80, 1),
            id="semantic",
        ),
    ],
)
def test_checks_stop_after_50_problems(data_root: Path, edit) -> None:
    message = str(load_text(data_root, edit(fixture_text())))
    assert message.startswith("data/frameworks.yml is invalid (more than 50 problems; the first 50 follow):\n")
    assert message.count("\n    found:    ") == 50
    assert message.endswith("\n... and more problems: checking stops after 50")


def test_long_keys_and_values_are_cut_short_in_the_message(data_root: Path) -> None:
    key = "k" * 5000
    text = fixture_text() + f"twice:\n  ? {key}\n  : 1\n  ? {key}\n  : 2\n"
    found = f"the key '{key}' a second time (first on line {line_of(text, key)})"
    assert str(load_text(data_root, text)) == located(
        line_of(text, key, 2),
        f"twice.{'k' * 194}... (5,006 characters)",
        f"{found[:200]}... ({len(found):,} characters)",
        "each key once per mapping",
    )


def test_html_in_values_is_accepted_as_text(data_root: Path) -> None:
    """Markup is data like any other text: validation accepts it, rendering escapes it."""
    text = fixture_text().replace("value: Micro", 'value: "<script>alert(1)</script>"')
    (data_root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert load(data_root).aspect("type")["values"]["alpha"]["value"] == "<script>alert(1)</script>"


def test_unknown_ids_in_lookups_raise_with_known_ids(data_root: Path) -> None:
    (data_root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    catalog = load(data_root)
    with pytest.raises(KeyError, match="Unknown framework id 'gamma'; known ids: alpha, beta"):
        catalog.framework("gamma")
    with pytest.raises(KeyError, match="Unknown aspect id 'speed'; known ids: type, feel"):
        catalog.aspect("speed")


def test_dates_stay_strings(data_root: Path, yaml_parser: str) -> None:
    text = fixture_text().replace('last_verified: "2026-11-25"', "last_verified: 2026-11-25", 1)
    (data_root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert load(data_root).frameworks[0]["last_verified"] == "2026-11-25"


def test_schema_validates_the_yaml_as_json() -> None:
    """The published schema checks the file the way editors and check-jsonschema read it."""
    data = yaml.safe_load((ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), load_schema(ROOT))


def test_a_snippet_symlinked_outside_the_project_is_not_read(
    data_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.py"
    outside.write_text("# --8<-- [start:get_user]\nSECRET = 1\n# --8<-- [end:get_user]\n", encoding="utf-8")
    (data_root / "examples" / "link.py").symlink_to(outside)
    text = fixture_text().replace("read: [examples/app.py:get_user]", "read: [examples/link.py:get_user]", 1)
    error = load_text(data_root, text)
    assert error.problems[0].path == "frameworks[0].example.snippets.read[0]"
    assert error.problems[0].found == "'examples/link.py:get_user', but examples/link.py does not exist"
