"""Reading a data file's YAML safely: bounded in size, depth and nodes, with no anchor, alias or tag, and the line of every key path."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any, NoReturn, cast

import yaml

from macros.catalog import DATA_FILE, Catalog
from macros.problems import DataError, KeyPath, Problem, describe_value, format_path

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
