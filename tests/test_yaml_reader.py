"""Hostile data files (macros/yaml_reader.py): refused quickly, with a located message, never expanded or recursed into."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from macros.data import load
from macros.problems import DataError
from macros.yaml_reader import MAX_BYTES, MAX_DEPTH, MAX_NODES
from tests.conftest import Build, run_build
from tests.data_samples import fixture_text, line_of, load_text, located

# --- hostile files: refused quickly, with a located message, never expanded or recursed into ---------


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
    data_root: Path, yaml_parser: str, edit, where: tuple[str, int], path: str, found: str, expected: str
) -> None:
    text = edit(fixture_text())
    assert text != fixture_text(), "the edit must change the fixture"
    assert str(load_text(data_root, text)) == located(line_of(text, *where), path, found, expected)


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
def test_nodes_stop_after_50_000(data_root: Path) -> None:
    room = MAX_NODES - nodes_in(fixture_text() + "junk: []\n")  # items that fit in `junk`

    def with_items(items: int) -> str:
        return fixture_text() + "junk:\n" + "- 1\n" * items

    error = load_text(data_root, with_items(room))
    assert error.problems[0].found == "the unknown key 'junk'", "50,000 get as far as the schema"
    text = with_items(room + 1)
    assert str(load_text(data_root, text)) == located(
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
    data_root: Path, text: Callable[[], str], first_line: str, problems: int, found: str
) -> None:
    text_of_file = text()
    assert len(text_of_file.encode()) <= MAX_BYTES
    message = str(load_text(data_root, text_of_file))
    assert re.match(first_line + "\n", message), message[:200]
    assert len(problems_in(message)) == problems
    assert f"\n    found:    {found}" in message
    assert len(message.encode()) < 20_000
    assert "Traceback" not in message


def test_a_file_of_exactly_1_MB_is_read(data_root: Path) -> None:
    text = padded_to(fixture_text(), 1_048_576)
    (data_root / "data" / "frameworks.yml").write_text(text, encoding="utf-8")
    assert [fw["id"] for fw in load(data_root).frameworks] == ["alpha", "beta"]


def test_nesting_stops_at_the_33rd_level(data_root: Path, yaml_parser: str) -> None:
    """`claims` is the 4th level (document, frameworks, frameworks[0], claims): 28 lists more make 32."""

    def nested(lists: int) -> str:
        return fixture_text().replace("    claims: []\n", "    claims: " + "[" * lists + "]" * lists + "\n", 1)

    error = load_text(data_root, nested(29))
    assert error.problems[0].path == "frameworks[0].claims[0]", "32 levels get as far as the schema"
    assert error.problems[0].expected.startswith("a mapping")
    error = load_text(data_root, nested(30))
    assert error.problems[0].path == "frameworks[0].claims" + "[0]" * 29
    assert error.problems[0].found == "a list nested 33 levels deep"


def test_bytes_that_are_not_text_are_located(data_root: Path, yaml_parser: str) -> None:
    data = fixture_text().encode().replace(b"value: Heavy", b"value: Heavy\xff")
    (data_root / "data" / "frameworks.yml").write_bytes(data)
    with pytest.raises(DataError) as caught:
        load(data_root)
    offset = data.index(b"\xff")
    assert str(caught.value) == located(
        data.count(b"\n", 0, offset) + 1, "(document)", f"bytes that are not UTF-8 (at byte {offset:,})", "UTF-8 text"
    )
    # Letters of two bytes and more before it: the line is counted in characters, not bytes.
    text = (
        fixture_text().replace("How it feels.", "Légère, " + "🪶" * 100, 1).replace("value: Light", "value: Light\x07")
    )
    assert str(load_text(data_root, text)) == located(
        line_of(text, "\x07"),
        "(document)",
        "the character #x0007, which YAML does not allow in a file",
        "printable text: no control characters",
    )


def test_a_device_in_place_of_the_file_is_not_read(data_root: Path) -> None:
    (data_root / "data" / "frameworks.yml").symlink_to("/dev/zero")
    with pytest.raises(DataError) as caught:
        load(data_root)
    assert str(caught.value) == located(1, "(document)", "something other than a regular file", "a YAML text file")


# A hang or an expansion fails at the timeout: these builds take a few seconds, and the
# time they take is not asserted (the machine may be busy with other tests).
@pytest.mark.timeout(60)
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
    build = run_build(project_copy)
    assert build.returncode != 0
    assert f"data/frameworks.yml:{line_of(text, needle)}: {path}\n    found:    {found}" in build.output, build.output
    assert "Traceback" not in build.output and "RecursionError" not in build.output


@pytest.mark.timeout(60)
def test_a_large_file_fails_the_strict_build_quickly(project_copy: Path) -> None:
    data_file = project_copy / "data" / "frameworks.yml"
    data_file.write_text(up_to_1_MB(data_file.read_text(encoding="utf-8") + "junk:\n", "- x\n"), encoding="utf-8")
    build = run_build(project_copy)
    assert build.returncode != 0
    assert re.search(
        r"data/frameworks\.yml:\d+: junk\[\d+\]\n    found:    more than 50,000 keys, values, lists and mappings",
        build.output,
    ), build.output
    assert "Traceback" not in build.output


def test_the_limits_are_on_the_editing_page(built_site: Build) -> None:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", built_site.page("contributing"))).split())
    assert "anchors" in text and "aliases" in text and "tags" in text
    assert f"{MAX_DEPTH} levels" in text
    assert f"{MAX_BYTES:,} bytes" in text
    assert f"{MAX_NODES:,} keys, values, lists and mappings" in text
