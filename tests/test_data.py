"""The data file: the real one is valid; each kind of broken data fails with a precise message."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from macros import data
from macros.data import MAX_BYTES, MAX_DEPTH, MAX_NODES, DataError, load, load_schema
from tests.conftest import ROOT, Build, run_build

FIXTURE = """\
aspects:
  - id: type
    label: Type
    description: What it is.
    order: 1
    kind: fact
    values:
      alpha:
        value: Micro
        source: https://alpha.example.org/docs/type
      beta:
        value: Full
        source: https://beta.example.org/docs/type
  - id: feel
    label: Feel
    description: How it feels.
    order: 2
    kind: assessment
    values:
      alpha: {value: Light}
      beta: {value: Heavy}
tasks:
  - id: read
    label: Read one user
    description: Reads a user.
needs:
  - id: small
    label: Small
    description: A small core.
    aspect: type
    support:
      alpha: {level: "yes", note: tiny}
      beta: {level: "no", note: big}
frameworks:
"""

FRAMEWORK = """\
  - id: {id}
    name: {name}
    package: {name}
    tagline: the {id} framework
    search_terms: [{id} things]
    verdict: Pick it for tests.
    philosophy: Small.
    overview: Longer.
    links:
      homepage: https://{id}.example.org/
      documentation: https://{id}.example.org/docs/
      repository: https://github.com/example/{id}
    first_release: {{year: 2010, source: "https://{id}.example.org/history"}}
    release:
      notes: https://{id}.example.org/changes/
      support: {{text: Latest only., source: "https://{id}.example.org/versions"}}
    last_verified: "2026-11-25"
    strengths: [{{text: Fast.}}]
    weaknesses: [{{text: Slow to start.}}]
    choose_when: [You need it.]
    claims: []
    example:
      run: make example APP={id}
      invalid_input: {{status: 422, body: '{{"detail": []}}'}}
      snippets:
        read: [examples/app.py:get_user]
      did_for_you: Routing.
      by_hand: SQL.
"""


def fixture_text() -> str:
    """A small valid data file with two frameworks."""
    return FIXTURE + FRAMEWORK.format(id="alpha", name="Alpha") + FRAMEWORK.format(id="beta", name="Beta")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project root holding the real schema and one example file with a section."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "frameworks.schema.json").write_text(
        (ROOT / "data" / "frameworks.schema.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "app.py").write_text(
        "# --8<-- [start:get_user]\ndef get_user(): ...\n# --8<-- [end:get_user]\n", encoding="utf-8"
    )
    return tmp_path


@pytest.fixture(params=["libyaml", "pure-Python"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each parser the loader can read YAML with: libyaml's, and PyYAML's own where PyYAML has no libyaml."""
    if request.param == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    monkeypatch.setattr(data, "LIBYAML", request.param == "libyaml")
    return str(request.param)


def load_text(root: Path, text: str) -> DataError:
    """Write `text` as the data file and return the error loading it raises."""
    (root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(root)
    return caught.value


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


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


def test_fixture_is_valid(root: Path) -> None:
    (root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    assert [fw["id"] for fw in load(root).frameworks] == ["alpha", "beta"]


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
    root: Path, yaml_parser: str, edit, where: tuple[str, int], path: str, found: str, expected: str
) -> None:
    text = edit(fixture_text())
    assert text != fixture_text(), "the edit must change the fixture"
    error = load_text(root, text)
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
def test_empty_file_is_reported(root: Path, text: str) -> None:
    error = load_text(root, text)
    assert error.problems[0].line == 1
    assert error.problems[0].found == "an empty file"


def test_top_level_list_is_reported(root: Path) -> None:
    error = load_text(root, "- just\n- a list\n")
    assert error.problems[0].found == "a list of 2 items"
    assert "aspects, tasks, needs, frameworks" in error.problems[0].expected


def test_every_problem_is_listed(root: Path) -> None:
    text = fixture_text().replace("    tagline: the beta framework\n", "").replace("    order: 2\n", '    order: "2"\n')
    error = load_text(root, text)
    paths = {p.path for p in error.problems}
    assert {"frameworks[1].tagline", "aspects[1].order"} <= paths
    assert "(2 problems)" in str(error)


def test_past_50_problems_the_rest_are_counted(root: Path) -> None:
    text = fixture_text() + "twice:\n" + "  key: 1\n" * 121
    message = str(load_text(root, text))
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
def test_checks_stop_after_50_problems(root: Path, edit) -> None:
    message = str(load_text(root, edit(fixture_text())))
    assert message.startswith("data/frameworks.yml is invalid (more than 50 problems; the first 50 follow):\n")
    assert message.count("\n    found:    ") == 50
    assert message.endswith("\n... and more problems: checking stops after 50")


def test_long_keys_and_values_are_cut_short_in_the_message(root: Path) -> None:
    key = "k" * 5000
    text = fixture_text() + f"twice:\n  ? {key}\n  : 1\n  ? {key}\n  : 2\n"
    found = f"the key '{key}' a second time (first on line {line_of(text, key)})"
    assert str(load_text(root, text)) == located(
        line_of(text, key, 2),
        f"twice.{'k' * 194}... (5,006 characters)",
        f"{found[:200]}... ({len(found):,} characters)",
        "each key once per mapping",
    )


def test_html_in_values_is_accepted_as_text(root: Path) -> None:
    """Markup is data like any other text: validation accepts it, rendering escapes it."""
    text = fixture_text().replace("value: Micro", 'value: "<script>alert(1)</script>"')
    (root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert load(root).aspect("type")["values"]["alpha"]["value"] == "<script>alert(1)</script>"


def test_unknown_ids_in_lookups_raise_with_known_ids(root: Path) -> None:
    (root / "data" / "frameworks.yml").write_text(fixture_text(), encoding="utf-8")
    catalog = load(root)
    with pytest.raises(KeyError, match="Unknown framework id 'gamma'; known ids: alpha, beta"):
        catalog.framework("gamma")
    with pytest.raises(KeyError, match="Unknown aspect id 'speed'; known ids: type, feel"):
        catalog.aspect("speed")


def test_dates_stay_strings(root: Path, yaml_parser: str) -> None:
    text = fixture_text().replace('last_verified: "2026-11-25"', "last_verified: 2026-11-25", 1)
    (root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert load(root).frameworks[0]["last_verified"] == "2026-11-25"


def test_schema_validates_the_yaml_as_json() -> None:
    """The published schema checks the file the way editors and check-jsonschema read it."""
    data = yaml.safe_load((ROOT / "data" / "frameworks.yml").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), load_schema(ROOT))


# --- hostile files: refused quickly, with a located message, never expanded or recursed into ---------


def located(line: int, path: str, found: str, expected: str) -> str:
    """The whole message of a data error with one problem."""
    return (
        "data/frameworks.yml is invalid (1 problem):\n"
        f"data/frameworks.yml:{line}: {path}\n"
        f"    found:    {found}\n"
        f"    expected: {expected}"
    )


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """`lol:` holding anchors that alias the level above `width` times: width**levels strings once expanded."""
    lines = ["lol:", "  l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def padded_to(text: str, size: int) -> str:
    """`text` with a trailing comment that makes it exactly `size` bytes of ASCII."""
    padding = size - len(text.encode()) - 2
    return text + "#" + "x" * padding + "\n"


NO_ANCHORS = "plain values: anchors and aliases are not allowed in this file"
HOSTILE = [
    pytest.param(
        lambda t: t + alias_bomb(),
        ("  l0: &l0 [", 1),
        "lol.l0",
        "the YAML anchor &l0",
        NO_ANCHORS,
        id="alias-bomb",
    ),
    pytest.param(
        lambda t: t.replace("tagline: the beta framework", "tagline: &beta the beta framework"),
        ("&beta", 1),
        "frameworks[1].tagline",
        "the YAML anchor &beta",
        NO_ANCHORS,
        id="anchor-without-alias",
    ),
    pytest.param(
        lambda t: t.replace("tagline: the beta framework", "tagline: *alpha"),
        ("*alpha", 1),
        "frameworks[1].tagline",
        "the YAML alias *alpha",
        NO_ANCHORS,
        id="alias",
    ),
    pytest.param(
        lambda t: t.replace('last_verified: "2026-11-25"', "last_verified: !!timestamp 2026-11-25", 1),
        ("!!timestamp", 1),
        "frameworks[0].last_verified",
        "the YAML tag !!timestamp",
        "plain values: tags are not allowed in this file",
        id="tag",
    ),
    pytest.param(
        lambda t: t.replace("      beta: {value: Heavy}\n", "      ? [beta, gamma]\n      : {value: Heavy}\n"),
        ("? [beta, gamma]", 1),
        "aspects[1].values",
        "a list as a key",
        "a key that is text, such as `name:`",
        id="list-as-a-key",
    ),
    pytest.param(
        lambda t: t.replace("    order: 2\n", "    order: 0x" + "f" * 4000 + "\n"),
        ("order: 0xfff", 1),
        "aspects[1].order",
        "a whole number written with 4,002 characters",
        "a whole number of at most 100 characters",
        id="long-number",
    ),
    pytest.param(
        lambda t: t + "deep: " + "[" * 5000 + "\n",
        ("deep: [[[", 1),
        # The document is level 1 and `deep` level 2: the 33rd level is 31 lists further in.
        "deep" + "[0]" * 31,
        "a list nested 33 levels deep",
        "at most 32 levels of nested lists and mappings",
        id="deep-nesting",
    ),
    pytest.param(
        lambda t: padded_to(t, 1_048_577),
        ("aspects:", 1),
        "(document)",
        "a file of 1,048,577 bytes",
        "a file of at most 1,048,576 bytes (1 MB)",
        id="over-1-MB",
    ),
]


@pytest.mark.timeout(10)  # a hang or an expansion fails here, well before the suite's own timeout
@pytest.mark.parametrize(("edit", "where", "path", "found", "expected"), HOSTILE)
def test_hostile_data_is_refused_quickly_with_a_located_message(
    root: Path, yaml_parser: str, edit, where: tuple[str, int], path: str, found: str, expected: str
) -> None:
    text = edit(fixture_text())
    assert text != fixture_text(), "the edit must change the fixture"
    assert str(load_text(root, text)) == located(line_of(text, *where), path, found, expected)


def nodes_in(text: str) -> int:
    """How many keys, values, lists and mappings a YAML text holds, each counting one."""

    def count(node: yaml.Node) -> int:
        if isinstance(node, yaml.MappingNode):
            return 1 + sum(count(key) + count(value) for key, value in node.value)
        if isinstance(node, yaml.SequenceNode):
            return 1 + sum(count(item) for item in node.value)
        return 1

    return count(yaml.compose(text, Loader=yaml.SafeLoader))


@pytest.mark.timeout(10)
def test_nodes_stop_after_50_000(root: Path) -> None:
    room = MAX_NODES - nodes_in(fixture_text() + "junk: []\n")  # items that fit in `junk`

    def with_items(items: int) -> str:
        return fixture_text() + "junk:\n" + "- 1\n" * items

    error = load_text(root, with_items(room))
    assert error.problems[0].found == "the unknown key 'junk'", "50,000 get as far as the schema"
    text = with_items(room + 1)
    assert str(load_text(root, text)) == located(
        line_of(text, "junk:") + room + 1,
        f"junk[{room}]",
        "more than 50,000 keys, values, lists and mappings",
        "at most 50,000 keys, values, lists and mappings in the file",
    )


def up_to_1_MB(head: str, item: str, tail: str = "") -> str:
    """`head`, then as many copies of `item` as keep the file within 1 MB, then `tail`."""
    room = MAX_BYTES - len(head.encode()) - len(tail.encode())
    return head + item * (room // len(item.encode())) + tail


def up_to_nodes(head: str, item: str, nodes_per_item: int) -> str:
    """`head`, then as many copies of `item` as keep the file within MAX_NODES."""
    return head + item * ((MAX_NODES - nodes_in(head)) // nodes_per_item)


def problems_in(message: str) -> list[str]:
    """The location line of each problem a message lists."""
    return re.findall(r"^data/frameworks\.yml:\d+: \S+$", message, re.M)


@pytest.mark.timeout(10)  # each takes 0.3 to 2 s; a slow parser or an unbounded check fails here
@pytest.mark.parametrize(
    ("text", "first_line", "problems", "found"),
    [
        pytest.param(
            lambda: up_to_1_MB(fixture_text() + "junk:\n", "- x\n"),
            re.escape("data/frameworks.yml is invalid (1 problem):"),
            1,
            "more than 50,000 keys, values, lists and mappings",
            id="block-list-of-1-MB",
        ),
        pytest.param(
            lambda: up_to_1_MB(fixture_text() + "junk: [", "1, ", "1]\n"),
            re.escape("data/frameworks.yml is invalid (1 problem):"),
            1,
            "more than 50,000 keys, values, lists and mappings",
            id="flow-list-of-1-MB",
        ),
        pytest.param(
            lambda: up_to_1_MB("aspects:\n", "- 1\n"),
            re.escape("data/frameworks.yml is invalid (1 problem):"),
            1,
            "more than 50,000 keys, values, lists and mappings",
            id="bad-aspects-of-1-MB",
        ),
        pytest.param(
            lambda: up_to_nodes("aspects:\n", "- 1\n", 1),
            re.escape("data/frameworks.yml is invalid (more than 50 problems; the first 50 follow):"),
            50,
            "no such key",
            id="bad-aspects-up-to-50-000-nodes",
        ),
        pytest.param(
            lambda: up_to_1_MB(fixture_text() + "twice:\n", "  key: 1\n"),
            re.escape("data/frameworks.yml is invalid (1 problem):"),
            1,
            "more than 50,000 keys, values, lists and mappings",
            id="duplicate-keys-of-1-MB",
        ),
        pytest.param(
            lambda: up_to_nodes(fixture_text() + "twice:\n", "  key: 1\n", 2),
            r"data/frameworks.yml is invalid \(2\d,\d{3} problems; the first 50 follow\):",
            50,
            "the key 'key' a second time",
            id="duplicate-keys-up-to-50-000-nodes",
        ),
    ],
)
def test_large_hostile_files_are_refused_quickly_with_a_short_message(
    root: Path, text: Callable[[], str], first_line: str, problems: int, found: str
) -> None:
    text_of_file = text()
    assert len(text_of_file.encode()) <= MAX_BYTES
    message = str(load_text(root, text_of_file))
    assert re.match(first_line + "\n", message), message[:200]
    assert len(problems_in(message)) == problems
    assert f"\n    found:    {found}" in message
    assert len(message.encode()) < 20_000
    assert "Traceback" not in message


def test_a_file_of_exactly_1_MB_is_read(root: Path) -> None:
    text = padded_to(fixture_text(), 1_048_576)
    (root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert [fw["id"] for fw in load(root).frameworks] == ["alpha", "beta"]


def test_nesting_stops_at_the_33rd_level(root: Path, yaml_parser: str) -> None:
    """`claims` is the 4th level (document, frameworks, frameworks[0], claims): 28 lists more make 32."""

    def nested(lists: int) -> str:
        return fixture_text().replace("    claims: []\n", "    claims: " + "[" * lists + "]" * lists + "\n", 1)

    error = load_text(root, nested(29))
    assert error.problems[0].path == "frameworks[0].claims[0]", "32 levels get as far as the schema"
    assert error.problems[0].expected.startswith("a mapping")
    error = load_text(root, nested(30))
    assert error.problems[0].path == "frameworks[0].claims" + "[0]" * 29
    assert error.problems[0].found == "a list nested 33 levels deep"


def test_bytes_that_are_not_text_are_located(root: Path, yaml_parser: str) -> None:
    data = fixture_text().encode().replace(b"value: Heavy", b"value: Heavy\xff")
    (root / "data" / "frameworks.yml").write_bytes(data)
    with pytest.raises(DataError) as caught:
        load(root)
    offset = data.index(b"\xff")
    assert str(caught.value) == located(
        data.count(b"\n", 0, offset) + 1, "(document)", f"bytes that are not UTF-8 (at byte {offset:,})", "UTF-8 text"
    )
    # Letters of two bytes and more before it: the line is counted in characters, not bytes.
    text = (
        fixture_text().replace("How it feels.", "Légère, " + "🪶" * 100, 1).replace("value: Light", "value: Light\x07")
    )
    assert str(load_text(root, text)) == located(
        line_of(text, "\x07"),
        "(document)",
        "the character #x0007, which YAML does not allow in a file",
        "printable text: no control characters",
    )


def test_a_device_in_place_of_the_file_is_not_read(root: Path) -> None:
    (root / "data" / "frameworks.yml").symlink_to("/dev/zero")
    with pytest.raises(DataError) as caught:
        load(root)
    assert str(caught.value) == located(1, "(document)", "something other than a regular file", "a YAML text file")


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("hostile", "needle", "path", "found"),
    [
        pytest.param(alias_bomb(), "  l0: &l0", "lol.l0", "the YAML anchor &l0", id="alias-bomb"),
        pytest.param("deep: " + "[" * 5000 + "\n", "deep: ", "deep" + "[0]" * 31, "a list", id="deep-nesting"),
    ],
)
def test_hostile_data_fails_the_strict_build_quickly(
    project_copy: Path, hostile: str, needle: str, path: str, found: str
) -> None:
    data_file = project_copy / "data" / "frameworks.yml"
    text = data_file.read_text(encoding="utf-8") + hostile
    data_file.write_text(text, encoding="utf-8")
    started = time.monotonic()
    build = run_build(project_copy)
    seconds = time.monotonic() - started
    assert build.returncode != 0
    assert f"data/frameworks.yml:{line_of(text, needle)}: {path}\n    found:    {found}" in build.output, build.output
    assert "Traceback" not in build.output and "RecursionError" not in build.output
    assert seconds < 60, f"the build took {seconds:.0f} s to refuse the file"


@pytest.mark.timeout(120)
def test_a_large_file_fails_the_strict_build_quickly(project_copy: Path) -> None:
    data_file = project_copy / "data" / "frameworks.yml"
    data_file.write_text(up_to_1_MB(data_file.read_text(encoding="utf-8") + "junk:\n", "- x\n"), encoding="utf-8")
    started = time.monotonic()
    build = run_build(project_copy)
    seconds = time.monotonic() - started
    assert build.returncode != 0
    assert re.search(
        r"data/frameworks\.yml:\d+: junk\[\d+\]\n    found:    more than 50,000 keys, values, lists and mappings",
        build.output,
    ), build.output
    assert "Traceback" not in build.output
    assert seconds < 60, f"the build took {seconds:.0f} s to refuse the file"


def test_the_limits_are_on_the_editing_page(built_site: Build) -> None:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", built_site.page("contributing"))).split())
    assert "anchors" in text and "aliases" in text and "tags" in text
    assert f"{MAX_DEPTH} levels" in text
    assert f"{MAX_BYTES:,} bytes" in text
    assert f"{MAX_NODES:,} keys, values, lists and mappings" in text


def test_a_snippet_symlinked_outside_the_project_is_not_read(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.py"
    outside.write_text("# --8<-- [start:get_user]\nSECRET = 1\n# --8<-- [end:get_user]\n", encoding="utf-8")
    (root / "examples" / "link.py").symlink_to(outside)
    text = fixture_text().replace("read: [examples/app.py:get_user]", "read: [examples/link.py:get_user]", 1)
    error = load_text(root, text)
    assert error.problems[0].path == "frameworks[0].example.snippets.read[0]"
    assert error.problems[0].found == "'examples/link.py:get_user', but examples/link.py does not exist"
