"""Load `data/frameworks.yml`, validate it, and report errors by file, line and key path."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, cast

import jsonschema
import yaml

from macros import catalog_checks

DATA_FILE = Path("data/frameworks.yml")
SCHEMA_FILE = Path("data/frameworks.schema.json")

# Data files arrive in pull requests, so these bound what one can cost a build.
# data/frameworks.yml is about 27 kB of 1,234 nodes (each key, value, list and
# mapping is one) and its deepest key path (frameworks[0].example.snippets.read[0])
# sits 6 levels down; data/benchmarks.yml is 8 kB of 889 nodes, 4 levels deep.
# Reading and validating 50,000 nodes takes about 2 s; a file just under 1 MB can
# hold 250,000 and more, which took 10 to 40 s.
MAX_BYTES = 1_048_576
MAX_DEPTH = 32
MAX_NODES = 50_000
NODES = "keys, values, lists and mappings"
NO_ANCHORS = "plain values: anchors and aliases are not allowed in this file"
# A tag makes a date, bytes or a set, which neither the schema nor the messages can
# show; a list or a mapping as a key has no place in a Python dict; and Python
# refuses to turn a whole number of over 4,300 digits into text, or back.
NO_TAGS = "plain values: tags are not allowed in this file"
MAX_NUMBER_CHARS = 100
INT_TAG = "tag:yaml.org,2002:int"
# One message lists at most this many problems, each value in it cut to MAX_SHOWN
# characters, so that a file with thousands of mistakes gets a message one can read.
MAX_PROBLEMS = 50
MAX_SHOWN = 200

KeyPath = tuple[str | int, ...]
Add = Callable[[KeyPath, str, str], None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located in the file."""

    file: str
    line: int
    path: str
    found: str
    expected: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {_clip(self.path) or '(document)'}\n"
            f"    found:    {_clip(self.found)}\n"
            f"    expected: {_clip(self.expected)}"
        )


def _clip(text: str) -> str:
    """Text cut to MAX_SHOWN characters, saying how long it was: a key or a value can be a whole file long."""
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}... ({len(text):,} characters)"


class DataError(Exception):
    """The data file is invalid; the message lists the problems found, the first MAX_PROBLEMS of them.

    `stopped` says the check stopped looking after MAX_PROBLEMS, so there may be
    more than `problems` holds.
    """

    def __init__(self, problems: list[Problem], stopped: bool = False) -> None:
        self.problems = problems
        self.stopped = stopped
        body = "\n".join(str(p) for p in problems[:MAX_PROBLEMS])
        if stopped:
            count = f"more than {MAX_PROBLEMS} problems; the first {MAX_PROBLEMS} follow"
            body += f"\n... and more problems: checking stops after {MAX_PROBLEMS}"
        elif len(problems) > MAX_PROBLEMS:
            count = f"{len(problems):,} problems; the first {MAX_PROBLEMS} follow"
            body += f"\n... and {len(problems) - MAX_PROBLEMS:,} more problems"
        else:
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{problems[0].file} is invalid ({count}):\n{body}")


class _Enough(Exception):
    """A check has found one problem more than a message lists."""


def run_check(catalog: Catalog, file: str, check: Callable[[Add], object]) -> list[Problem]:
    """The problems a check reports through `add(path, found, expected)`; it is stopped at MAX_PROBLEMS + 1."""
    problems: list[Problem] = []

    def add(path: KeyPath, found: str, expected: str) -> None:
        problems.append(Problem(file, line_for(catalog, path), format_path(path), found, expected))
        if len(problems) > MAX_PROBLEMS:
            raise _Enough

    with contextlib.suppress(_Enough):
        check(add)
    return problems


@dataclass
class Catalog:
    """The validated data, plus where each key path sits in the file."""

    raw: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)

    @property
    def aspects(self) -> list[dict[str, Any]]:
        """Aspects in table order."""
        aspects: list[dict[str, Any]] = sorted(self.raw["aspects"], key=lambda a: a["order"])
        return aspects

    @property
    def frameworks(self) -> list[dict[str, Any]]:
        """Frameworks in file order."""
        return list(self.raw["frameworks"])

    @property
    def featured(self) -> list[dict[str, Any]]:
        """The frameworks marked `featured`, in file order; all of them when none is."""
        featured = [fw for fw in self.raw["frameworks"] if fw.get("featured", False)]
        return featured or self.frameworks

    @property
    def needs(self) -> list[dict[str, Any]]:
        """Chooser needs in file order."""
        return list(self.raw["needs"])

    @property
    def performance_claims(self) -> list[dict[str, Any]]:
        """Performance claims in file order; none in a file without the section."""
        return list(self.raw.get("performance_claims", []))

    @property
    def tasks(self) -> list[dict[str, Any]]:
        """Example tasks in file order."""
        return list(self.raw["tasks"])

    def framework(self, framework_id: str) -> dict[str, Any]:
        """The framework with this id, or a precise error."""
        for fw in self.raw["frameworks"]:
            if fw["id"] == framework_id:
                return cast(dict[str, Any], fw)
        known = ", ".join(fw["id"] for fw in self.raw["frameworks"])
        raise KeyError(f"Unknown framework id {framework_id!r}; known ids: {known}")

    def aspect(self, aspect_id: str) -> dict[str, Any]:
        """The aspect with this id, or a precise error."""
        for aspect in self.raw["aspects"]:
            if aspect["id"] == aspect_id:
                return cast(dict[str, Any], aspect)
        known = ", ".join(a["id"] for a in self.raw["aspects"])
        raise KeyError(f"Unknown aspect id {aspect_id!r}; known ids: {known}")


# libyaml's C parser, when PyYAML was built with it, reads a file several times
# faster than PyYAML's pure-Python parser, which is the fallback without it.
LIBYAML: bool = yaml.__with_libyaml__


def _event_parser(text: str) -> Any:
    """A YAML parser of `text` into events: libyaml's when PyYAML has it, else PyYAML's own."""
    # Only the loaders' parsers are used: _PositionLoader composes and constructs.
    return yaml.CSafeLoader(text) if LIBYAML else yaml.SafeLoader(text)


class _PositionLoader(yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """A safe loader that keeps dates as strings and refuses anchors, aliases, tags, deep nesting and too many nodes.

    The refusals happen while composing, event by event, so an alias is never
    expanded ("billion laughs"), nesting never gets deep enough to exhaust
    Python's recursion limit in the composer, the constructor or `_walk`, and
    no more than MAX_NODES nodes are ever composed, constructed or validated.
    The events come from `_event_parser`; the composer is PyYAML's Python one
    (yaml.CSafeLoader's is in C, out of reach of these checks).
    """

    def __init__(self, text: str, file: str) -> None:
        self.parser = _event_parser(text)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.file = file
        self.paths: list[KeyPath] = []  # key paths of the lists and mappings being composed, outermost first
        self.nodes = 0

    def check_event(self, *choices: type[yaml.Event]) -> bool:
        """Whether the next event is one of `choices` (any event, if none is given)."""
        return bool(self.parser.check_event(*choices))

    def peek_event(self) -> yaml.Event:
        """The next event, left in place."""
        event: yaml.Event = self.parser.peek_event()
        return event

    def get_event(self) -> yaml.Event:
        """The next event, consumed."""
        event: yaml.Event = self.parser.get_event()
        return event

    def dispose(self) -> None:
        """Release the parser's state."""
        self.parser.dispose()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """Compose one node, after refusing an alias, an anchor, a tag, a key that is not text, one level too
        many or one node too many, and then a whole number too long to convert.

        In place of Composer.compose_node, whose handling of anchors is not needed
        once they are refused; the key path is worked out only for a list or a
        mapping, or to locate a refusal, since this runs for every node.
        """
        event = cast(yaml.NodeEvent, self.peek_event())
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._refuse(
                event, parent, index, f"more than {MAX_NODES:,} {NODES}", f"at most {MAX_NODES:,} {NODES} in the file"
            )
        if isinstance(event, yaml.AliasEvent):
            self._refuse(event, parent, index, f"the YAML alias *{event.anchor}", NO_ANCHORS)
        if event.anchor is not None:
            self._refuse(event, parent, index, f"the YAML anchor &{event.anchor}", NO_ANCHORS)
        tag = cast(str | None, getattr(event, "tag", None))
        if tag is not None:
            shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
            self._refuse(event, parent, index, f"the YAML tag {shown}", NO_TAGS)
        if parent is not None and index is None and not isinstance(event, yaml.ScalarEvent):
            kind = "list" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
            self._refuse(event, parent, index, f"a {kind} as a key", "a key that is text, such as `name:`")
        self.descend_resolver(parent, index)
        anchor: Any = None  # the stubs type this argument, the anchor's name, as a dict
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            node = self.compose_scalar_node(anchor)
            if node.tag == INT_TAG and len(node.value) > MAX_NUMBER_CHARS:
                self._refuse(
                    event,
                    parent,
                    index,
                    f"a whole number written with {len(node.value):,} characters",
                    f"a whole number of at most {MAX_NUMBER_CHARS} characters",
                )
        else:
            if len(self.paths) >= MAX_DEPTH:
                kind = "list" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
                self._refuse(
                    event,
                    parent,
                    index,
                    f"a {kind} nested {len(self.paths) + 1} levels deep",
                    f"at most {MAX_DEPTH} levels of nested lists and mappings",
                )
            self.paths.append(self._path_of(parent, index))
            try:
                if isinstance(event, yaml.SequenceStartEvent):
                    node = self.compose_sequence_node(anchor)
                else:
                    node = self.compose_mapping_node(anchor)
            finally:
                self.paths.pop()
        self.ascend_resolver()
        return node

    def _path_of(self, parent: yaml.Node | None, index: Any) -> KeyPath:
        """The key path of the node about to be composed; a mapping key is reported at its mapping."""
        if parent is None:
            return ()
        if isinstance(index, int):
            return (*self.paths[-1], index)
        if isinstance(index, yaml.ScalarNode):
            return (*self.paths[-1], index.value)
        return self.paths[-1]

    def _refuse(self, event: yaml.Event, parent: yaml.Node | None, index: Any, found: str, expected: str) -> NoReturn:
        line = event.start_mark.line + 1 if event.start_mark else 1
        raise DataError([Problem(self.file, line, format_path(self._path_of(parent, index)), found, expected)])


# Dates stay strings so the schema, not the YAML resolver, decides what a date is.
_PositionLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}


def describe_value(value: Any) -> str:
    """A short, readable rendering of a found value and its YAML type."""
    kinds = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing (null or empty)",
    }
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        return f"{kind} with keys: {keys}" if keys else "an empty mapping"
    if isinstance(value, list):
        return f"{kind} of {len(value)} item{'s' if len(value) != 1 else ''}"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > 80:
        text = text[:77] + '..."'
    return f"{text} ({kind})" if value is not None else kind


def format_path(path: KeyPath) -> str:
    """`frameworks[0].release.version` style key path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], problems: list[Problem], file: str) -> None:
    """Record the line of every key path and flag duplicate mapping keys."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        format_path((*path, key)),
                        f"the key {key!r} a second time (first on line {seen[key]})",
                        "each key once per mapping",
                    )
                )
            seen[key] = line
            _walk(value_node, (*path, key), lines, problems, file)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, problems, file)


def parse(text: str, file: str = str(DATA_FILE)) -> Catalog:
    """Parse YAML text into a Catalog with line positions; raise DataError on syntax errors, anchors, aliases and deep nesting."""
    try:
        loader = _PositionLoader(text, file)
        try:
            node = loader.get_single_node()
            problems: list[Problem] = []
            lines: dict[KeyPath, int] = {}
            if node is not None:
                _walk(node, (), lines, problems, file)
            if problems:
                raise DataError(problems)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise DataError(
            [
                Problem(
                    file,
                    line,
                    "",
                    f"invalid YAML: {error.problem}",
                    "well-formed YAML (check indentation, colons and quotes)",
                )
            ]
        ) from None
    except yaml.reader.ReaderError as error:
        # libyaml counts the position in bytes of UTF-8, PyYAML's reader in characters.
        newlines = text.encode().count(b"\n", 0, error.position) if LIBYAML else text.count("\n", 0, error.position)
        raise DataError(
            [
                Problem(
                    file,
                    newlines + 1,
                    "",
                    f"the character #x{error.character:04x}, which YAML does not allow in a file",
                    "printable text: no control characters",
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise DataError(
            [
                Problem(
                    file,
                    lines.get((), 1),
                    "",
                    describe_value(data),
                    "a mapping with keys: aspects, tasks, needs, frameworks",
                )
            ]
        )
    return Catalog(raw=data, lines=lines)


def read_data_file(path: Path, file: str) -> str:
    """A data file's text; a file over MAX_BYTES is refused from its size, before it is read."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise DataError([Problem(file, 1, "", "something other than a regular file", "a YAML text file")])
    size_limit = f"a file of at most {MAX_BYTES:,} bytes (1 MB)"
    if info.st_size > MAX_BYTES:
        raise DataError([Problem(file, 1, "", f"a file of {info.st_size:,} bytes", size_limit)])
    with path.open("rb") as handle:
        # Bounded even so: the file may have grown since the stat.
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DataError([Problem(file, 1, "", f"a file of more than {MAX_BYTES:,} bytes", size_limit)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError(
            [Problem(file, line, "", f"bytes that are not UTF-8 (at byte {error.start:,})", "UTF-8 text")]
        ) from None


def line_for(catalog: Catalog, path: KeyPath) -> int:
    """The line of the deepest known prefix of a key path."""
    for end in range(len(path), -1, -1):
        if path[:end] in catalog.lines:
            return catalog.lines[path[:end]]
    return 1


def expected_from(error: jsonschema.ValidationError) -> str:
    """Turn a jsonschema error into what the field expects, in words."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    description = schema.get("description", "")
    validator = error.validator
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"the required key {missing[0]!r}" if missing else error.message
    if validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        return f"only the keys: {allowed}"
    if validator == "type":
        return f"{_article(str(error.validator_value))}" + (f": {description}" if description else "")
    if validator == "enum":
        return "one of: " + ", ".join(json.dumps(v) for v in error.validator_value)
    if validator == "pattern":
        return description or f"text matching {error.validator_value}"
    if validator in {"minLength"}:
        return "non-empty text" + (f": {description}" if description else "")
    if validator in {"minItems"}:
        return f"at least {error.validator_value} item(s)" + (f": {description}" if description else "")
    if validator in {"minimum", "maximum"}:
        return f"a number {'>=' if validator == 'minimum' else '<='} {error.validator_value}"
    return str(error.message)


def _article(kind: str) -> str:
    """`string` -> `a string`."""
    return {
        "object": "a mapping",
        "array": "a list",
        "integer": "a whole number",
        "string": "a string",
        "boolean": "true or false (unquoted)",
    }.get(kind, kind)


def schema_errors(catalog: Catalog, schema: dict[str, Any]) -> list[jsonschema.ValidationError]:
    """The data's first MAX_PROBLEMS + 1 errors against a JSON Schema, in file order: validation stops there."""
    errors = itertools.islice(jsonschema.Draft202012Validator(schema).iter_errors(catalog.raw), MAX_PROBLEMS + 1)
    return sorted(errors, key=lambda e: line_for(catalog, tuple(e.absolute_path)))


def _schema_problems(catalog: Catalog, schema: dict[str, Any], file: str) -> list[Problem]:
    """Validate against the JSON Schema and map each error to its line; stopped at MAX_PROBLEMS + 1."""
    problems = []
    for error in schema_errors(catalog, schema):
        path = tuple(error.absolute_path)
        found: str
        if error.validator == "required":
            found = "no such key"
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            report_path = (*path, missing[0]) if missing else path
        elif error.validator == "additionalProperties":
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            report_path = (*path, extra[0]) if extra else path
            found = f"the unknown key {extra[0]!r}" if extra else error.message
        elif error.validator == "propertyNames":
            report_path = path
            found = error.message
        else:
            report_path = path
            found = describe_value(error.instance)
        problems.append(
            Problem(file, line_for(catalog, report_path), format_path(report_path), found, expected_from(error))
        )
    return problems


def _semantic_problems(catalog: Catalog, root: Path, file: str) -> list[Problem]:
    """Checks a schema cannot express: unique ids, complete rows, resolvable references; stopped at MAX_PROBLEMS + 1."""
    return run_check(catalog, file, lambda add: catalog_checks.check(catalog.raw, root, add))


def validate(catalog: Catalog, schema: dict[str, Any], root: Path, file: str = str(DATA_FILE)) -> Catalog:
    """Raise DataError listing the problems (the first MAX_PROBLEMS), or return the catalog unchanged."""
    problems = _schema_problems(catalog, schema, file)
    if not problems:
        problems = _semantic_problems(catalog, root, file)
    if problems:
        # Each check stops at one problem past MAX_PROBLEMS.
        raise DataError(problems, stopped=len(problems) > MAX_PROBLEMS)
    return catalog


def load_schema(root: Path) -> dict[str, Any]:
    """The JSON Schema of the data file."""
    schema: dict[str, Any] = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def load(root: Path) -> Catalog:
    """Read, parse and validate `data/frameworks.yml` under a project root."""
    text = read_data_file(root / DATA_FILE, str(DATA_FILE))
    if not text.strip() or all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
        raise DataError(
            [Problem(str(DATA_FILE), 1, "", "an empty file", "a mapping with keys: aspects, tasks, needs, frameworks")]
        )
    return validate(parse(text, str(DATA_FILE)), load_schema(root), root)


def sample_error(root: Path, catalog: Catalog | None = None) -> str:
    """The real message for a typical mistake: the first source URL written without https://.

    Given the catalog the build loaded, it edits a copy of that in place of parsing the
    file again: the edit changes one value on one line, so every line number holds.
    """
    text = read_data_file(root / DATA_FILE, str(DATA_FILE))
    pattern = re.compile(r"^(\s+source: )https://", flags=re.M)
    broken = _without_https(catalog, text, pattern) if catalog is not None else None
    try:
        validate(broken or parse(pattern.sub(r"\1", text, count=1)), load_schema(root), root)
    except DataError as error:
        return str(error)
    raise AssertionError("removing https:// from a source URL no longer fails validation")


def _without_https(catalog: Catalog, text: str, pattern: re.Pattern[str]) -> Catalog | None:
    """A copy of the catalog whose value on the pattern's first line has lost its https://; None if no key path sits there."""
    match = pattern.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.end(1)) + 1  # `\s+` may have crossed blank lines before the key
    path = next((p for p, n in catalog.lines.items() if n == line and p and p[-1] == "source"), None)
    if path is None:
        return None
    raw = copy.deepcopy(catalog.raw)
    holder: Any = raw
    for key in path[:-1]:
        holder = holder[key]
    if not isinstance(holder, dict) or not str(holder.get("source", "")).startswith("https://"):
        return None
    holder["source"] = holder["source"].removeprefix("https://")
    return Catalog(raw=raw, lines=catalog.lines)
