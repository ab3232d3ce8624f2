"""Load and validate `data/benchmarks.yml`, compute its statistics, and render it.

The render functions are pure (data in, HTML or Markdown text out, no MkDocs import),
so each can be tested on a small fixture. Every string from the data is escaped.
Names of frameworks come from the catalog (data/frameworks.yml), never from here.
"""

from __future__ import annotations

import dataclasses
import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

# Shared with the frameworks data file, so both report problems in the same words.
from macros.data import (
    MAX_PROBLEMS,
    Add,
    Catalog,
    DataError,
    Problem,
    describe_value,
    expected_from,
    format_path,
    line_for,
    parse,
    read_data_file,
    run_check,
    schema_errors,
)
from macros.render import esc, scroll_region

DATA_FILE = Path("data/benchmarks.yml")
SCHEMA_FILE = Path("data/benchmarks.schema.json")
TOP_LEVEL = "a mapping written by the benchmark (python -m bench), with keys: date, machine, configurations, endpoints, results, ..."

# The metrics a ratio can be taken of: key in a result -> words for the page.
METRICS = {
    "requests_per_second": "requests per second",
    "requests_per_cpu_second": "requests per server CPU-second",
}


# --- loading and validation ------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """The median and the range of one result's per-round samples."""

    median: float
    low: float
    high: float


@dataclass(frozen=True)
class Benchmarks:
    """A validated benchmark run, plus where each key path sits in the file."""

    raw: dict[str, Any]
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    @property
    def configurations(self) -> list[dict[str, Any]]:
        """Configurations in run order."""
        return list(self.raw["configurations"])

    @property
    def endpoints(self) -> list[dict[str, Any]]:
        """Endpoints in run order."""
        return list(self.raw["endpoints"])

    @property
    def rounds(self) -> int:
        """Rounds per result."""
        return int(self.raw["load_generator"]["rounds"])

    def configuration(self, configuration_id: str) -> dict[str, Any]:
        """The configuration with this id, or a precise error."""
        for item in self.raw["configurations"]:
            if item["id"] == configuration_id:
                found: dict[str, Any] = item
                return found
        known = ", ".join(c["id"] for c in self.raw["configurations"])
        raise KeyError(f"Unknown configuration {configuration_id!r}; known: {known}")

    def endpoint(self, endpoint_id: str) -> dict[str, Any]:
        """The endpoint with this id, or a precise error."""
        for item in self.raw["endpoints"]:
            if item["id"] == endpoint_id:
                found: dict[str, Any] = item
                return found
        known = ", ".join(e["id"] for e in self.raw["endpoints"])
        raise KeyError(f"Unknown endpoint {endpoint_id!r}; known: {known}")

    def levels(self, endpoint_id: str) -> list[int]:
        """The numbers of connections an endpoint was measured at; one, load_generator.connections, in older runs."""
        endpoint = self.endpoint(endpoint_id)
        if "levels" in endpoint:
            return [int(level["connections"]) for level in endpoint["levels"]]
        return [int(self.raw["load_generator"]["connections"])]

    def bound(self, endpoint_id: str, connections: int) -> float | None:
        """An I/O level's physical limit (connections ÷ the upstream's delay), in requests per second, if it has one."""
        for level in self.endpoint(endpoint_id).get("levels", []):
            if level["connections"] == connections and "bound_requests_per_second" in level:
                return float(level["bound_requests_per_second"])
        return None

    def runs(self, configuration: Mapping[str, Any], endpoint_id: str) -> bool:
        """Whether a configuration was meant to run an endpoint (a configuration that lists none ran every one)."""
        return endpoint_id in configuration.get("endpoints", [e["id"] for e in self.raw["endpoints"]])

    def configurations_on(self, endpoint_id: str) -> list[dict[str, Any]]:
        """The configurations that run an endpoint, in run order, those not measured included."""
        return [c for c in self.configurations if self.runs(c, endpoint_id)]

    def result(self, configuration_id: str, endpoint_id: str, connections: int | None = None) -> dict[str, Any] | None:
        """The successful result of a configuration on an endpoint (at its first level by default), if there is one."""
        return self._outcome("results", configuration_id, endpoint_id, connections)

    def failure(self, configuration_id: str, endpoint_id: str, connections: int | None = None) -> dict[str, Any] | None:
        """The failure of a configuration on an endpoint (at its first level by default), if it failed."""
        return self._outcome("failures", configuration_id, endpoint_id, connections)

    def _outcome(
        self, section: str, configuration_id: str, endpoint_id: str, connections: int | None
    ) -> dict[str, Any] | None:
        level = connections if connections is not None else self.levels(endpoint_id)[0]
        default = self.raw["load_generator"]["connections"]
        for item in self.raw[section]:
            if (
                item["configuration"] == configuration_id
                and item["endpoint"] == endpoint_id
                and item.get("connections", default) == level
            ):
                found: dict[str, Any] = item
                return found
        return None


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
    return validate_text(read_data_file(path, str(DATA_FILE)), load_schema(root), str(DATA_FILE))


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


# --- statistics ----------------------------------------------------------------------


def spread(values: Sequence[float]) -> Spread:
    """Median, minimum and maximum of some samples."""
    return Spread(statistics.median(values), min(values), max(values))


def slowest(
    bench: Benchmarks, endpoint_id: str, metric: str = "requests_per_second", connections: int | None = None
) -> str | None:
    """The configuration with the lowest median on an endpoint (at a level), among successful results."""
    medians = {
        c["id"]: statistics.median(result[metric])
        for c in bench.configurations
        if (result := bench.result(c["id"], endpoint_id, connections)) is not None
    }
    return min(medians, key=lambda k: medians[k]) if medians else None


def paired_ratio(values: Sequence[float], reference: Sequence[float]) -> float:
    """The median over rounds of value / reference, each pair measured in the same round.

    Pairing by round cancels most of what drifts during a run (other load on the
    machine, CPU frequency), which a ratio of two overall medians would keep.
    """
    return statistics.median(v / r for v, r in zip(values, reference, strict=True) if r > 0)


def ratios(
    bench: Benchmarks,
    endpoint_id: str,
    metric: str = "requests_per_second",
    reference: str | None = None,
    connections: int | None = None,
) -> dict[str, float]:
    """Each successful configuration's paired ratio to the reference (default: the slowest), at one level."""
    if metric not in METRICS:
        raise KeyError(f"Unknown metric {metric!r}; known: {', '.join(METRICS)}")
    reference = reference or slowest(bench, endpoint_id, metric, connections)
    base = bench.result(reference, endpoint_id, connections) if reference else None
    if base is None:
        return {}
    out = {}
    for configuration in bench.configurations:
        result = bench.result(configuration["id"], endpoint_id, connections)
        if result is not None:
            out[configuration["id"]] = paired_ratio(result[metric], base[metric])
    return out


# --- rendering -----------------------------------------------------------------------


def _number(value: float) -> str:
    """1234.5 -> `1,235`; small values keep one decimal."""
    return f"{value:,.0f}" if value >= 100 or value == 0 else f"{value:,.1f}"


def _ratio(value: float) -> str:
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


def not_published() -> str:
    """Markdown: the notice shown when no benchmark file exists."""
    return (
        '!!! note "No measurement is published yet"\n\n'
        "    This build found no `data/benchmarks.yml`, so the page shows no measured\n"
        "    number. Run `make bench` to measure the example apps on your own machine;\n"
        "    the page then shows the results, and [How it is measured](method.md) says\n"
        "    how to read them.\n"
    )


def _level_words(bench: Benchmarks, endpoint_id: str, connections: int | None) -> str:
    """`, 64 connections` for an endpoint measured at several levels, else ''."""
    return f", {connections} connections" if connections is not None and len(bench.levels(endpoint_id)) > 1 else ""


def _not_measured_row(head: str, configuration: Mapping[str, Any], columns: int) -> str:
    return (
        f'<tr class="fw-failed">{head}<td colspan="{columns}"><strong>Not measured</strong>: '
        f"{esc(configuration['not_measured'])}.</td></tr>"
    )


def results_table(bench: Benchmarks, catalog: Catalog, endpoint_id: str, connections: int | None = None) -> str:
    """One endpoint's results at one level as an HTML table, with ratios to the slowest configuration.

    At an I/O level with a bound, two more columns: the median share of the bound
    (connections ÷ the upstream's delay) and wrk's timeouts, a result there, not an error.
    """
    endpoint = bench.endpoint(endpoint_id)
    level = connections if connections is not None else bench.levels(endpoint_id)[0]
    bound = bench.bound(endpoint_id, level)
    references = {metric: slowest(bench, endpoint_id, metric, level) for metric in METRICS}
    ratio_of = {metric: ratios(bench, endpoint_id, metric, connections=level) for metric in METRICS}
    columns = 8 if bound else 6
    rows = []
    for configuration in bench.configurations_on(endpoint_id):
        cid = configuration["id"]
        head = (
            f'<th scope="row"><span class="fw-label">{esc(framework_name(catalog, configuration))}</span>'
            f'<span class="fw-description">{esc(server_label(configuration, endpoint))}</span></th>'
        )
        if "not_measured" in configuration:
            rows.append(_not_measured_row(head, configuration, columns))
            continue
        result = bench.result(cid, endpoint_id, level)
        if result is None:
            failure = bench.failure(cid, endpoint_id, level) or {
                "reason": "not measured",
                "non_2xx": 0,
                "socket_errors": 0,
            }
            statuses = ", ".join(f"{code}: {count:,}" for code, count in failure.get("statuses", {}).items())
            rows.append(
                f'<tr class="fw-failed">{head}<td colspan="{columns}"><strong>Failed</strong>: {esc(failure["reason"])} '
                f"({failure['non_2xx']:,} non-2xx{f' ({esc(statuses)})' if statuses else ''}, "
                f"{failure['socket_errors']:,} socket errors). "
                "No number is published for a run that failed.</td></tr>"
            )
            continue
        cells = []
        for metric in METRICS:
            s = spread(result[metric])
            ratio = ratio_of[metric].get(cid)
            mark = '<span class="fw-note">slowest</span>' if cid == references[metric] else ""
            cells.append(f'<td>{_number(s.median)}<span class="fw-note">{_number(s.low)}–{_number(s.high)}</span></td>')
            cells.append(f"<td>{_ratio(ratio) if ratio is not None else '–'}{mark}</td>")
        p50 = statistics.median(result["latency_p50_ms"])
        p99 = statistics.median(result["latency_p99_ms"])
        memory = max(result.get("peak_rss_mib") or result["rss_mib"])
        cells.append(f"<td>{p50:,.1f} / {p99:,.1f}</td><td>{memory:,.0f}</td>")
        if bound:
            share = statistics.median(result["share_of_bound"])
            cells.append(f"<td>{share:.0%}</td><td>{sum(result.get('timeouts', [])):,}</td>")
        rows.append(f"<tr>{head}{''.join(cells)}</tr>")
    names = [
        "Framework, server",
        "Requests/s, median and range",
        "× slowest",
        "Requests per server CPU-second",
        "× slowest",
        "Latency p50 / p99 (ms)",
        "Peak memory (MiB)",
    ]
    if bound:
        names += [f"Share of the bound ({_number(bound)}/s)", "Timeouts, all rounds"]
    headers = "".join(f'<th scope="col">{esc(h)}</th>' for h in names)
    caption = (
        f"{endpoint['label']}: {endpoint['route']}{_level_words(bench, endpoint_id, level)}, {bench.rounds} rounds"
    )
    table = (
        f'<table class="fw-table fw-bench"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def _nice_step(maximum: float, ticks: int = 4) -> float:
    """A round gridline step (1, 2 or 5 times a power of ten) giving about `ticks` lines."""
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def bar_chart(
    bench: Benchmarks,
    catalog: Catalog,
    endpoint_id: str,
    metric: str = "requests_per_second",
    connections: int | None = None,
) -> str:
    """An inline SVG bar chart of one endpoint's medians at one level, with min-max whiskers.

    Colours come from CSS (`docs/assets/site.css`) and `currentColor`, so the chart
    follows the light and dark palettes; the title and description carry every value
    for screen readers, and the table beside it carries them for everyone.
    """
    if metric not in METRICS:
        raise KeyError(f"Unknown metric {metric!r}; known: {', '.join(METRICS)}")
    endpoint = bench.endpoint(endpoint_id)
    level = connections if connections is not None else bench.levels(endpoint_id)[0]
    suffix = f"-{level}" if len(bench.levels(endpoint_id)) > 1 else ""
    chart_id = f"bench-chart-{endpoint_id}{suffix}-{metric.replace('_', '-')}"
    configurations = bench.configurations_on(endpoint_id)
    # Wide enough for the longest server label, at about 6.5 px a character of its small type.
    longest = max((len(server_label(c, endpoint)) for c in configurations), default=0)
    label_width, bar_width, value_width, row_height, top, bottom = (
        max(190, round(6.5 * longest) + 16),
        330,
        70,
        44,
        8,
        28,
    )
    width = label_width + bar_width + value_width
    height = top + row_height * len(configurations) + bottom
    samples = [r[metric] for c in configurations if (r := bench.result(c["id"], endpoint_id, level)) is not None]
    maximum = max((max(s) for s in samples), default=1.0) or 1.0
    step = _nice_step(maximum)
    scale_max = step * math.ceil(maximum / step)

    def x(value: float) -> float:
        return label_width + bar_width * value / scale_max

    # Every gridline in one path, and each bar's whisker with its two caps in one:
    # fewer elements for the browser to style and lay out than a <line> each.
    ticks = [tick_index * step for tick_index in range(round(scale_max / step) + 1)]
    grid = "".join(f"M{x(tick):.1f} {top}V{height - bottom}" for tick in ticks)
    parts = [f'<path class="fw-grid" d="{grid}"/>']
    parts.extend(
        f'<text class="fw-axis" x="{x(tick):.1f}" y="{height - bottom + 18}" text-anchor="middle">{_number(tick)}</text>'
        for tick in ticks
    )
    descriptions = []
    for index, configuration in enumerate(configurations):
        y = top + index * row_height
        mid = y + row_height / 2
        parts.append(
            f'<text class="fw-bar-label" x="{label_width - 10}" y="{mid - 3:.1f}" text-anchor="end">'
            f"{esc(framework_name(catalog, configuration))}</text>"
            f'<text class="fw-bar-server" x="{label_width - 10}" y="{mid + 13:.1f}" text-anchor="end">'
            f"{esc(server_label(configuration, endpoint))}</text>"
        )
        label = configuration_label(catalog, configuration, endpoint)
        if "not_measured" in configuration:
            parts.append(f'<text class="fw-bar-failed" x="{label_width + 6}" y="{mid + 5:.1f}">not measured</text>')
            descriptions.append(f"{label}: not measured")
            continue
        result = bench.result(configuration["id"], endpoint_id, level)
        if result is None:
            parts.append(
                f'<text class="fw-bar-failed" x="{label_width + 6}" y="{mid + 5:.1f}">failed: no number published</text>'
            )
            descriptions.append(f"{label}: failed, no number published")
            continue
        s = spread(result[metric])
        bar_h = row_height - 20
        parts.append(
            f'<rect class="fw-bar" x="{label_width}" y="{mid - bar_h / 2:.1f}" width="{x(s.median) - label_width:.1f}" '
            f'height="{bar_h}"/>'
            f'<path class="fw-whisker" d="M{x(s.low):.1f} {mid:.1f}H{x(s.high):.1f}'
            f'M{x(s.low):.1f} {mid - 6:.1f}V{mid + 6:.1f}M{x(s.high):.1f} {mid - 6:.1f}V{mid + 6:.1f}"/>'
            f'<text class="fw-bar-value" x="{x(s.high) + 6:.1f}" y="{mid + 5:.1f}">{_number(s.median)}</text>'
        )
        descriptions.append(f"{label}: median {_number(s.median)}, range {_number(s.low)} to {_number(s.high)}")
    title = (
        f"{METRICS[metric].capitalize()}, {endpoint['route']}{_level_words(bench, endpoint_id, level)}: "
        f"median of {bench.rounds} rounds, whiskers from lowest to highest"
    )
    svg = (
        f'<svg class="fw-chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc("; ".join(descriptions))}.</desc>'
        f"{''.join(parts)}</svg>"
    )
    return f'<figure class="fw-chart" tabindex="0">{svg}<figcaption>{esc(title)}. The table below gives every value.</figcaption></figure>'


def ratio_sentence(bench: Benchmarks, catalog: Catalog, endpoint_id: str, connections: int | None = None) -> str:
    """One paragraph: which configuration is the slowest at a level, and how the ratios are taken."""
    reference = slowest(bench, endpoint_id, connections=connections)
    if reference is None:
        return "<p>No configuration completed this endpoint without errors, so no ratio is published.</p>"
    endpoint = bench.endpoint(endpoint_id)
    by_rps = ratios(bench, endpoint_id, connections=connections)
    fastest = max(by_rps, key=lambda k: by_rps[k])
    ref_label = esc(configuration_label(catalog, bench.configuration(reference), endpoint))
    fast_label = esc(configuration_label(catalog, bench.configuration(fastest), endpoint))
    return (
        f'<p class="fw-ratios">The slowest here is {ref_label}; the fastest, {fast_label}, served '
        f"{_ratio(by_rps[fastest])} its requests per second. Each “× slowest” is the median, over the rounds, "
        "of a configuration’s result divided by the slowest one’s in the same round.</p>"
    )


def _claim_bounds(framework: Mapping[str, Any]) -> tuple[int, int | None] | None:
    """(low, high) of a framework's first claim with numbers; high is None when open-ended."""
    for claim in framework["claims"]:
        if "low" in claim:
            return int(claim["low"]), (int(claim["high"]) if "high" in claim else None)
    return None


def claims_comparison(bench: Benchmarks, catalog: Catalog) -> str:
    """Quoted claims beside measured ratios, both relative to the framework the claims rank lowest."""
    bounded = {fw["id"]: b for fw in catalog.frameworks if (b := _claim_bounds(fw)) is not None}
    measured_frameworks = {c["framework"] for c in bench.configurations}
    candidates = [fid for fid in bounded if fid in measured_frameworks]
    if not candidates:
        return "<p>No quoted claim gives a range to set beside the measurements.</p>"
    reference = min(candidates, key=lambda fid: bounded[fid][0])
    ref_low, ref_high = bounded[reference]
    ref_name = catalog.framework(reference)["name"]

    # Each endpoint at its highest level: where the configurations differ most.
    top = {e["id"]: max(bench.levels(e["id"])) for e in bench.endpoints}

    def reference_configuration(endpoint_id: str) -> str | None:
        """The reference framework's slowest successful configuration on an endpoint."""
        own = [
            (statistics.median(r["requests_per_second"]), c["id"])
            for c in bench.configurations
            if c["framework"] == reference and (r := bench.result(c["id"], endpoint_id, top[endpoint_id])) is not None
        ]
        return min(own)[1] if own else None

    endpoint_refs = {e["id"]: reference_configuration(e["id"]) for e in bench.endpoints}
    endpoint_ratios = {
        eid: ratios(bench, eid, reference=ref, connections=top[eid]) if ref else {}
        for eid, ref in endpoint_refs.items()
    }
    rows = []
    for fw in catalog.frameworks:
        configurations = [c for c in bench.configurations if c["framework"] == fw["id"]]
        if not configurations:
            continue
        figures = "; ".join(esc(c["figure"]) for c in fw["claims"] if "low" in c) or "no figure quoted"
        bounds = bounded.get(fw["id"])
        if bounds is None:
            implied = "–"
        elif fw["id"] == reference:
            implied = "1× (reference)"
        else:
            low = bounds[0] / ref_high if ref_high else None
            high = bounds[1] / ref_low if bounds[1] is not None else None
            if low is None:
                implied = f"up to {high:.1f}×" if high is not None else "–"
            elif high is None:
                implied = f"{low:.1f}× or more"
            else:
                implied = f"{low:.1f}–{high:.1f}×"
        cells = [f'<th scope="row">{esc(fw["name"])}</th>', f"<td>{figures}</td>", f"<td>{esc(implied)}</td>"]
        for endpoint in bench.endpoints:
            lines = []
            for configuration in configurations:
                if not bench.runs(configuration, endpoint["id"]):
                    continue
                ratio = endpoint_ratios[endpoint["id"]].get(configuration["id"])
                result = bench.result(configuration["id"], endpoint["id"], top[endpoint["id"]])
                server = esc(server_label(configuration, endpoint))
                if "not_measured" in configuration:
                    lines.append(f'<span class="fw-value">not measured</span><span class="fw-note">{server}</span>')
                elif result is None or ratio is None:
                    lines.append(f'<span class="fw-value">failed</span><span class="fw-note">{server}</span>')
                else:
                    rps = statistics.median(result["requests_per_second"])
                    lines.append(
                        f'<span class="fw-value">{_ratio(ratio)}</span>'
                        f'<span class="fw-note">{server}, {_number(rps)} requests/s</span>'
                    )
            cells.append(f"<td>{''.join(lines)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    endpoint_heads = "".join(
        f'<th scope="col">Measured here, {esc(e["route"])}{esc(_level_words(bench, e["id"], top[e["id"]]))}</th>'
        for e in bench.endpoints
    )
    head = (
        f'<tr><th scope="col">Framework</th><th scope="col">Quoted claim</th>'
        f'<th scope="col">Claim as a ratio to {esc(ref_name)}</th>{endpoint_heads}</tr>'
    )
    caption = f"Claimed and measured throughput, as multiples of {ref_name}"
    table = (
        f'<table class="fw-table fw-bench-claims"><caption>{esc(caption)}</caption>'
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def _load(values: Iterable[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _levels_words(endpoint: Mapping[str, Any]) -> str:
    """`GET /api/upstream/{view} at 16, 64 and 256 connections, with 2, 3 and 10 s timeouts`."""
    levels = endpoint["levels"]
    connections = ", ".join(str(level["connections"]) for level in levels[:-1]) + f" and {levels[-1]['connections']}"
    timeouts = (
        ", ".join(f"{level['timeout_seconds']:g}" for level in levels[:-1]) + f" and {levels[-1]['timeout_seconds']:g}"
    )
    return f"{endpoint['route']} at {connections} connections, with {timeouts} s timeouts"


def _upstream_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The upstream service's row, and how much of the machine it and wrk took, for runs that had one."""
    if "upstream" not in data:
        return []
    upstream, disturbance = data["upstream"], data["disturbance"]
    text = (
        f"Answers <code>GET /</code> after {upstream['delay_ms']:g} ms, on {esc(upstream['bind'])}, "
        f"in one process on {esc(upstream['loop'])}, on the same machine"
    )
    if "upstream_cpu_percent" in disturbance:
        text += (
            f"; it used {disturbance['upstream_cpu_percent']:.0f}% of the machine's CPU during the I/O slices "
            f"(median). A slice is disturbed when the upstream took more than {disturbance['upstream_above_percent']:g}% "
            f"of it ({disturbance['slices_upstream_heavy']} slice(s)) or wrk more than "
            f"{disturbance['load_generator_above_percent']:g}% ({disturbance['slices_load_generator_heavy']} slice(s))"
        )
    return [("Upstream service", text)]


def configurations_table(bench: Benchmarks, catalog: Catalog) -> str:
    """Each configuration's metadata (server, worker class, workers, threads, ORM or raw SQL, view) as an HTML table.

    Empty for a run from before configurations recorded it.
    """
    if not any("worker_class" in c for c in bench.configurations):
        return ""
    names = {e["id"]: e["label"] for e in bench.endpoints}
    rows = []
    for c in bench.configurations:
        if "worker_class" not in c:
            continue
        threads = f"{c['threads']}" + (f", {c['worker_connections']:,} greenlets" if "worker_connections" in c else "")
        endpoints = c.get("endpoints", list(names))
        runs = "every endpoint" if set(endpoints) == set(names) else ", ".join(names.get(e, e) for e in endpoints)
        if "note" in c:
            runs += f'<span class="fw-note">{esc(c["note"])}</span>'
        if "not_measured" in c:
            runs = f"<strong>Not measured</strong>: {esc(c['not_measured'])}"
        cells = [
            f'<th scope="row"><span class="fw-label">{esc(framework_name(catalog, c))}</span>'
            f'<span class="fw-description">{esc(c["id"])}{" (default)" if c.get("default") else ""}</span></th>',
            f"<td>{esc(c['server'])}</td>",
            f"<td>{esc(c['worker_class'])}</td>",
            f"<td>{c['workers']}</td>",
            f"<td>{esc(threads)}</td>",
            f"<td>{'ORM' if c['orm'] == 'full' else 'raw SQL'}</td>",
            f"<td>{esc(c['view'])}</td>",
            f"<td>{runs if 'not_measured' in c or 'note' in c else esc(runs)}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    headers = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Framework, configuration",
            "Server",
            "Worker class",
            "Workers",
            "Threads per worker",
            "Database access",
            "I/O view",
            "Measured",
        )
    )
    caption = "What each configuration runs"
    table = (
        f'<table class="fw-table fw-bench-configurations"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def run_facts(bench: Benchmarks, catalog: Catalog) -> str:
    """The machine, the date, the versions and the settings of the run, as an HTML table."""
    data = bench.raw
    machine, generator, disturbance = data["machine"], data["load_generator"], data["disturbance"]
    cpu = f"{machine['cpu']}, {machine['cores']} logical CPUs, {machine['memory_gib']:.1f} GiB memory"
    if machine["virtual_machine"]:
        cpu += " (a virtual machine)"
    minutes, seconds = divmod(round(data["duration_seconds"]), 60)
    rows = [
        (
            "Date",
            f'<time datetime="{esc(data["date"])}">{esc(data["date"])}</time>, started {esc(data["started"])}, took {minutes} min {seconds} s',
        ),
        ("Machine", esc(cpu)),
        ("Operating system", esc(machine["os"])),
        (
            "Python",
            esc(machine["python"])
            + (f", <code>{esc(machine['interpreter'])}</code>" if "interpreter" in machine else ""),
        ),
        (
            "Other load",
            f"Load average {esc(_load(machine['load_average']['start']))} at the start, "
            f"{esc(_load(machine['load_average']['end']))} at the end. Other processes used "
            f"{disturbance['other_cpu_percent']:.0f}% of the machine's CPU during the slices (median); "
            f"{disturbance['slices_repeated']} slice(s) were measured again because other processes used more than "
            f"{disturbance['repeat_above_percent']:g}% of it, and {disturbance['slices_disturbed']} kept slice(s) "
            "were still above that",
        ),
        ("Servers", f"{data['servers']['workers']} worker processes each, bound to {esc(data['servers']['bind'])}"),
        (
            "Load generator",
            f"{esc(generator['tool'])} {esc(generator['version'])}, {generator['threads']} thread(s), "
            f"{generator['connections']} connections, {generator['timeout_seconds']:g} s timeout, on the same machine"
            + "".join(f"; {esc(_levels_words(e))}" for e in bench.endpoints if len(e.get("levels", [])) > 1),
        ),
        (
            "Method",
            f"{generator['warmup_seconds']:g} s warm-up per configuration and endpoint, then "
            f"{generator['rounds']} rounds of {generator['slice_seconds']:g} s slices; {esc(generator['order'])}",
        ),
        *_upstream_rows(data),
        (
            "Packages",
            ", ".join(f"<code>{esc(name)}=={esc(version)}</code>" for name, version in data["packages"].items()),
        ),
        ("Command", f"<code>{esc(data['command'])}</code>; every slice is in <code>{esc(data['raw'])}</code>"),
    ]
    body = "".join(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    table = f'<table class="fw-facts fw-bench-run"><caption>Machine, versions and settings</caption><tbody>{body}</tbody></table>'
    commands = "".join(
        f"<li><strong>{esc(configuration_label(catalog, c))}</strong> (<code>{esc(c['id'])}</code>): "
        f"<code>{esc(' '.join(c['argv']))}</code>"
        + (f" with <code>{esc(' '.join(f'{k}={v}' for k, v in c['env'].items()))}</code>" if c["env"] else "")
        + "</li>"
        for c in bench.configurations
    )
    return f'{table}<details class="fw-bench-commands"><summary>Server command lines</summary><ul>{commands}</ul></details>'


def results_section(bench: Benchmarks | None, catalog: Catalog) -> str:
    """Markdown: everything measured, by endpoint, then the claims beside it."""
    if bench is None:
        return not_published()
    parts = [
        f'<p class="fw-bench-summary">Measured on <time datetime="{esc(bench.raw["date"])}">{esc(bench.raw["date"])}</time> '
        f"on one machine ({esc(bench.raw['machine']['cpu'])}, {bench.raw['machine']['cores']} logical CPUs), "
        "every configuration with the same number of workers. Compare the ratios; the absolute numbers hold "
        "for this machine only.</p>\n",
        # A Markdown link, so that MkDocs checks and rewrites it; the page that calls this is the results page.
        "The machine, package versions, load and server command lines of this run are under "
        "[The published run](method.md#run) on the method page.\n",
    ]
    if bench.raw["failures"]:
        parts.append(
            '<p class="fw-bench-failed"><strong>Part of this run failed</strong>: '
            f"{len(bench.raw['failures'])} configuration and endpoint pair(s) saw errors or lost their server; "
            "the tables mark them, and publish no number for them.</p>\n"
        )
    configurations = configurations_table(bench, catalog)
    if configurations:
        parts.append("### Configurations { #bench-configurations }\n")
        parts.append(configurations + "\n")
    for endpoint in bench.endpoints:
        eid = endpoint["id"]
        parts.append(f"### {esc(endpoint['label'])} {{ #bench-{eid} }}\n")
        parts.append(f"<p>Request: <code>{esc(endpoint['route'])}</code>. {esc(endpoint['measures'])}</p>\n")
        levels = bench.levels(eid)
        for connections in levels:
            if len(levels) > 1:
                bound = bench.bound(eid, connections)
                parts.append(f"#### {connections} connections {{ #bench-{eid}-{connections} }}\n")
                if bound:
                    parts.append(
                        f"<p>The bound: {connections} connections ÷ the upstream's delay = {_number(bound)} requests/s, "
                        "less where the CPU runs out first.</p>\n"
                    )
            parts.append(bar_chart(bench, catalog, eid, connections=connections) + "\n")
            parts.append(ratio_sentence(bench, catalog, eid, connections) + "\n")
            parts.append(results_table(bench, catalog, eid, connections) + "\n")
    parts.append("### Claims beside the measurements { #bench-claims }\n")
    parts.append(
        "<p>The quoted figures come with no hardware, so only their ratios can be set beside ours. "
        "A claimed range becomes a range of ratios: the lowest claim of one framework over the highest of the "
        "other, and the other way round.</p>\n"
    )
    parts.append(claims_comparison(bench, catalog) + "\n")
    return "\n".join(parts)


def run_section(bench: Benchmarks | None, catalog: Catalog) -> str:
    """Markdown: the published run's machine, versions, settings and commands, or that there is none."""
    if bench is None:
        return (
            "No run is published yet: this build found no `data/benchmarks.yml`. "
            "`make bench` writes one, with the facts that belong here.\n"
        )
    return run_facts(bench, catalog) + "\n"
