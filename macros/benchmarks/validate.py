"""Load `data/benchmarks.yml` and validate it: the JSON Schema, then what a schema cannot say.

Problems are reported in the frameworks file's words (`file:line: key.path`, found,
expected), through the loader the two files share.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema

from macros.benchmarks.model import DATA_FILE, SCHEMA_FILE, Benchmarks
from macros.catalog import Catalog, line_for, run_check
from macros.problems import MAX_PROBLEMS, Add, DataError, Problem, describe_value, format_path
from macros.schema_messages import expected_from, schema_errors
from macros.yaml_reader import parse, read_data_file

TOP_LEVEL = "a mapping written by the benchmark (python -m bench), with keys: date, machine, configurations, endpoints, results, ..."


def _expected_words(error: jsonschema.ValidationError) -> str:
    """What a field expects, in words, with the field's description where it explains why."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    description = schema.get("description", "")
    if error.validator == "const":
        return f"exactly {json.dumps(error.validator_value)}" + (f": {description}" if description else "")
    if error.validator in {"minimum", "maximum", "exclusiveMinimum", "maxItems", "minProperties"}:
        words = {
            "minimum": f"a number >= {error.validator_value}",
            "maximum": f"a number <= {error.validator_value}",
            "exclusiveMinimum": f"a number > {error.validator_value}",
            "maxItems": f"at most {error.validator_value} item(s)",
            "minProperties": f"at least {error.validator_value} key(s)",
        }[str(error.validator)]
        return words + (f": {description}" if description else "")
    return expected_from(error)


def schema_problems(catalog: Catalog, schema: dict[str, Any], file: str) -> list[Problem]:
    """Validate against the JSON Schema; one located problem per error, stopped at MAX_PROBLEMS + 1."""
    problems = []
    for error in schema_errors(catalog, schema):
        path = tuple(error.absolute_path)
        report_path = path
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            report_path = (*path, missing) if missing else path
            found = "no such key"
        elif error.validator == "additionalProperties":
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            report_path = (*path, extra[0]) if extra else path
            found = f"the unknown key {extra[0]!r}" if extra else error.message
        else:
            found = describe_value(error.instance)
        problems.append(
            Problem(file, line_for(catalog, report_path), format_path(report_path), found, _expected_words(error))
        )
    return problems


def semantic_problems(catalog: Catalog, file: str) -> list[Problem]:
    """Checks a schema cannot express: known ids, one outcome per pair, one sample per round; stopped at MAX_PROBLEMS + 1."""
    return run_check(catalog, file, lambda add: _semantic_checks(catalog.raw, add))


# The keys of a result that hold one value per round.
PER_ROUND = (
    *("requests", "requests_per_second", "requests_per_cpu_second", "latency_p50_ms", "latency_p99_ms"),
    *("rss_mib", "peak_rss_mib", "timeouts", "share_of_bound", "upstream_cpu_seconds"),
)


def _semantic_checks(data: dict[str, Any], add: Add) -> None:
    """Report through `add` each unknown or repeated id, missing or second outcome, and wrong number of samples."""

    def unique_ids(section: str) -> list[str]:
        seen: list[str] = []
        for index, item in enumerate(data[section]):
            if item["id"] in seen:
                add((section, index, "id"), f"{item['id']!r}, already used", f"an id that is unique among {section}")
            seen.append(item["id"])
        return seen

    configurations = unique_ids("configurations")
    endpoints = unique_ids("endpoints")
    default = data["load_generator"]["connections"]
    levels = {
        e["id"]: [level["connections"] for level in e["levels"]] if "levels" in e else [default]
        for e in data["endpoints"]
    }
    for index, configuration in enumerate(data["configurations"]):
        for position, endpoint in enumerate(configuration.get("endpoints", [])):
            if endpoint not in endpoints:
                add(
                    ("configurations", index, "endpoints", position),
                    f"the unknown endpoint {endpoint!r}",
                    "an endpoint id from `endpoints`: " + ", ".join(endpoints),
                )
    skipped = {c["id"] for c in data["configurations"] if "not_measured" in c}
    rounds = data["load_generator"]["rounds"]
    outcomes: dict[tuple[str, str, int], str] = {}
    for section in ("results", "failures"):
        for index, item in enumerate(data[section]):
            where = (section, index)
            if item["configuration"] not in configurations:
                add(
                    (*where, "configuration"),
                    f"the unknown configuration {item['configuration']!r}",
                    "a configuration id from `configurations`: " + ", ".join(configurations),
                )
            elif item["configuration"] in skipped:
                add(
                    (*where, "configuration"),
                    f"an outcome for {item['configuration']}, which is marked not measured",
                    "no result and no failure for a configuration that was not measured",
                )
            if item["endpoint"] not in endpoints:
                add(
                    (*where, "endpoint"),
                    f"the unknown endpoint {item['endpoint']!r}",
                    "an endpoint id from `endpoints`: " + ", ".join(endpoints),
                )
            elif item.get("connections", default) not in levels[item["endpoint"]]:
                add(
                    (*where, "connections"),
                    f"{item.get('connections', default)} connections",
                    f"one of {item['endpoint']}'s levels: " + ", ".join(map(str, levels[item["endpoint"]])),
                )
            cell = (item["configuration"], item["endpoint"], item.get("connections", default))
            if cell in outcomes:
                add(
                    where,
                    f"a second outcome for {cell[0]} on {cell[1]} at {cell[2]} connections (first in {outcomes[cell]})",
                    "one result or failure per configuration, endpoint and level",
                )
            outcomes[cell] = format_path(where)
            if section == "results":
                for key in PER_ROUND:
                    if key in item and len(item[key]) != rounds:
                        add(
                            (*where, key),
                            f"{len(item[key])} sample(s)",
                            f"one sample per round: load_generator.rounds is {rounds}",
                        )
    for configuration in data["configurations"]:
        if configuration["id"] in skipped:
            continue
        for endpoint in configuration.get("endpoints", endpoints):
            for level in levels.get(endpoint, []):
                if (configuration["id"], endpoint, level) not in outcomes:
                    add(
                        ("results",),
                        f"no result and no failure for {configuration['id']} on {endpoint}"
                        + (f" at {level} connections" if len(levels[endpoint]) > 1 else ""),
                        "an outcome for every configuration and endpoint it runs, at every level",
                    )


def validate_text(text: str, schema: dict[str, Any], file: str = str(DATA_FILE)) -> Benchmarks:
    """Parse and validate benchmark YAML; raise DataError listing every problem."""
    if not text.strip() or all(line.lstrip().startswith("#") for line in text.splitlines() if line.strip()):
        raise DataError([Problem(file, 1, "", "an empty file", TOP_LEVEL)])
    try:
        catalog = parse(text, file)
    except DataError as error:
        # parse() words a wrong top level for the frameworks file; say what this file needs.
        raise DataError(
            [
                dataclasses.replace(p, expected=TOP_LEVEL) if not p.path and "aspects" in p.expected else p
                for p in error.problems
            ],
            error.stopped,
        ) from None
    problems = schema_problems(catalog, schema, file)
    if not problems:
        problems = semantic_problems(catalog, file)
    if problems:
        # Each check stops at one problem past MAX_PROBLEMS.
        raise DataError(problems, stopped=len(problems) > MAX_PROBLEMS)
    return Benchmarks(raw=catalog.raw, lines=catalog.lines)


def load_schema(root: Path) -> dict[str, Any]:
    """The JSON Schema of the benchmark file."""
    schema: dict[str, Any] = json.loads((root / SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def load(root: Path) -> Benchmarks | None:
    """Read and validate `data/benchmarks.yml` under a project root; None when there is none."""
    path = root / DATA_FILE
    if not path.exists():
        return None
    text = read_data_file(path, str(DATA_FILE))
    return _validated(text, (root / SCHEMA_FILE).read_text(encoding="utf-8"))


# `mkdocs serve` builds again after every save, mostly of another file: the same text
# and schema give the same run, so it is validated once (about 0.15 s). A file that
# fails is validated again each time, as nothing is kept for it.
@functools.lru_cache(maxsize=2)
def _validated(text: str, schema_text: str) -> Benchmarks:
    return validate_text(text, json.loads(schema_text), str(DATA_FILE))


def check_frameworks(bench: Benchmarks, catalog: Catalog) -> None:
    """Raise DataError when a configuration names a framework the catalog does not have."""
    known = [fw["id"] for fw in catalog.frameworks]
    located = Catalog(raw=bench.raw, lines=bench.lines)
    problems = [
        Problem(
            str(DATA_FILE),
            line_for(located, ("configurations", index, "framework")),
            format_path(("configurations", index, "framework")),
            f"the unknown framework id {item['framework']!r}",
            "a framework id from data/frameworks.yml: " + ", ".join(known),
        )
        for index, item in enumerate(bench.configurations)
        if item["framework"] not in known
    ]
    if problems:
        raise DataError(problems)
