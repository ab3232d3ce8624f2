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
TOP_LEVEL = "a mapping written by bench/run.py, with keys: date, machine, configurations, endpoints, results, ..."

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

    def result(self, configuration_id: str, endpoint_id: str) -> dict[str, Any] | None:
        """The successful result of a configuration on an endpoint, if there is one."""
        return self._outcome("results", configuration_id, endpoint_id)

    def failure(self, configuration_id: str, endpoint_id: str) -> dict[str, Any] | None:
        """The failure of a configuration on an endpoint, if it failed."""
        return self._outcome("failures", configuration_id, endpoint_id)

    def _outcome(self, section: str, configuration_id: str, endpoint_id: str) -> dict[str, Any] | None:
        for item in self.raw[section]:
            if item["configuration"] == configuration_id and item["endpoint"] == endpoint_id:
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
    rounds = data["load_generator"]["rounds"]
    outcomes: dict[tuple[str, str], str] = {}
    for section in ("results", "failures"):
        for index, item in enumerate(data[section]):
            where = (section, index)
            if item["configuration"] not in configurations:
                add(
                    (*where, "configuration"),
                    f"the unknown configuration {item['configuration']!r}",
                    "a configuration id from `configurations`: " + ", ".join(configurations),
                )
            if item["endpoint"] not in endpoints:
                add(
                    (*where, "endpoint"),
                    f"the unknown endpoint {item['endpoint']!r}",
                    "an endpoint id from `endpoints`: " + ", ".join(endpoints),
                )
            pair = (item["configuration"], item["endpoint"])
            if pair in outcomes:
                add(
                    where,
                    f"a second outcome for {pair[0]} on {pair[1]} (first in {outcomes[pair]})",
                    "one result or failure per configuration and endpoint",
                )
            outcomes[pair] = format_path(where)
            if section == "results":
                for key, value in item.items():
                    if isinstance(value, list) and len(value) != rounds:
                        add(
                            (*where, key),
                            f"{len(value)} sample(s)",
                            f"one sample per round: load_generator.rounds is {rounds}",
                        )
    for configuration in configurations:
        for endpoint in endpoints:
            if (configuration, endpoint) not in outcomes:
                add(
                    ("results",),
                    f"no result and no failure for {configuration} on {endpoint}",
                    "an outcome for every configuration and endpoint",
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


def slowest(bench: Benchmarks, endpoint_id: str, metric: str = "requests_per_second") -> str | None:
    """The configuration with the lowest median on an endpoint, among successful results."""
    medians = {
        c["id"]: statistics.median(result[metric])
        for c in bench.configurations
        if (result := bench.result(c["id"], endpoint_id)) is not None
    }
    return min(medians, key=lambda k: medians[k]) if medians else None


def paired_ratio(values: Sequence[float], reference: Sequence[float]) -> float:
    """The median over rounds of value / reference, each pair measured in the same round.

    Pairing by round cancels most of what drifts during a run (other load on the
    machine, CPU frequency), which a ratio of two overall medians would keep.
    """
    return statistics.median(v / r for v, r in zip(values, reference, strict=True) if r > 0)


def ratios(
    bench: Benchmarks, endpoint_id: str, metric: str = "requests_per_second", reference: str | None = None
) -> dict[str, float]:
    """Each successful configuration's paired ratio to the reference (default: the slowest)."""
    if metric not in METRICS:
        raise KeyError(f"Unknown metric {metric!r}; known: {', '.join(METRICS)}")
    reference = reference or slowest(bench, endpoint_id, metric)
    base = bench.result(reference, endpoint_id) if reference else None
    if base is None:
        return {}
    out = {}
    for configuration in bench.configurations:
        result = bench.result(configuration["id"], endpoint_id)
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


def configuration_label(catalog: Catalog, configuration: Mapping[str, Any]) -> str:
    """`<framework> on <server>`, unescaped."""
    return f"{framework_name(catalog, configuration)} on {configuration['server']}"


def not_published() -> str:
    """Markdown: the notice shown when no benchmark file exists."""
    return (
        '!!! note "No measurement is published yet"\n\n'
        "    This build found no `data/benchmarks.yml`, so the page shows no measured\n"
        "    number. Run `make bench` to measure the example apps on your own machine;\n"
        "    the page then shows the results, and [How it is measured](method.md) says\n"
        "    how to read them.\n"
    )


def results_table(bench: Benchmarks, catalog: Catalog, endpoint_id: str) -> str:
    """One endpoint's results as an HTML table, with ratios to the slowest configuration."""
    endpoint = bench.endpoint(endpoint_id)
    references = {metric: slowest(bench, endpoint_id, metric) for metric in METRICS}
    ratio_of = {metric: ratios(bench, endpoint_id, metric) for metric in METRICS}
    rows = []
    for configuration in bench.configurations:
        cid = configuration["id"]
        head = (
            f'<th scope="row"><span class="fw-label">{esc(framework_name(catalog, configuration))}</span>'
            f'<span class="fw-description">{esc(configuration["server"])}</span></th>'
        )
        result = bench.result(cid, endpoint_id)
        if result is None:
            failure = bench.failure(cid, endpoint_id) or {"reason": "not measured", "non_2xx": 0, "socket_errors": 0}
            rows.append(
                f'<tr class="fw-failed">{head}<td colspan="6"><strong>Failed</strong>: {esc(failure["reason"])} '
                f"({failure['non_2xx']:,} non-2xx, {failure['socket_errors']:,} socket errors). "
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
        cells.append(f"<td>{p50:,.1f} / {p99:,.1f}</td><td>{max(result['rss_mib']):,.0f}</td>")
        rows.append(f"<tr>{head}{''.join(cells)}</tr>")
    headers = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Framework, server",
            "Requests/s, median and range",
            "× slowest",
            "Requests per server CPU-second",
            "× slowest",
            "Latency p50 / p99 (ms)",
            "Peak memory (MiB)",
        )
    )
    caption = f"{endpoint['label']}: {endpoint['route']}, {bench.rounds} rounds"
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


def bar_chart(bench: Benchmarks, catalog: Catalog, endpoint_id: str, metric: str = "requests_per_second") -> str:
    """An inline SVG bar chart of one endpoint's medians, with min-max whiskers.

    Colours come from CSS (`docs/assets/site.css`) and `currentColor`, so the chart
    follows the light and dark palettes; the title and description carry every value
    for screen readers, and the table beside it carries them for everyone.
    """
    if metric not in METRICS:
        raise KeyError(f"Unknown metric {metric!r}; known: {', '.join(METRICS)}")
    endpoint = bench.endpoint(endpoint_id)
    chart_id = f"bench-chart-{endpoint_id}-{metric.replace('_', '-')}"
    label_width, bar_width, value_width, row_height, top, bottom = 190, 330, 70, 44, 8, 28
    width = label_width + bar_width + value_width
    configurations = bench.configurations
    height = top + row_height * len(configurations) + bottom
    samples = [r[metric] for c in configurations if (r := bench.result(c["id"], endpoint_id)) is not None]
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
            f"{esc(configuration['server'])}</text>"
        )
        label = configuration_label(catalog, configuration)
        result = bench.result(configuration["id"], endpoint_id)
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
    title = f"{METRICS[metric].capitalize()}, {endpoint['route']}: median of {bench.rounds} rounds, whiskers from lowest to highest"
    svg = (
        f'<svg class="fw-chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc("; ".join(descriptions))}.</desc>'
        f"{''.join(parts)}</svg>"
    )
    return f'<figure class="fw-chart" tabindex="0">{svg}<figcaption>{esc(title)}. The table below gives every value.</figcaption></figure>'


def ratio_sentence(bench: Benchmarks, catalog: Catalog, endpoint_id: str) -> str:
    """One paragraph: which configuration is the slowest, and how the ratios are taken."""
    reference = slowest(bench, endpoint_id)
    if reference is None:
        return "<p>No configuration completed this endpoint without errors, so no ratio is published.</p>"
    by_rps = ratios(bench, endpoint_id)
    fastest = max(by_rps, key=lambda k: by_rps[k])
    ref_label = esc(configuration_label(catalog, bench.configuration(reference)))
    fast_label = esc(configuration_label(catalog, bench.configuration(fastest)))
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

    def reference_configuration(endpoint_id: str) -> str | None:
        """The reference framework's slowest successful configuration on an endpoint."""
        own = [
            (statistics.median(r["requests_per_second"]), c["id"])
            for c in bench.configurations
            if c["framework"] == reference and (r := bench.result(c["id"], endpoint_id)) is not None
        ]
        return min(own)[1] if own else None

    endpoint_refs = {e["id"]: reference_configuration(e["id"]) for e in bench.endpoints}
    endpoint_ratios = {eid: ratios(bench, eid, reference=ref) if ref else {} for eid, ref in endpoint_refs.items()}
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
                ratio = endpoint_ratios[endpoint["id"]].get(configuration["id"])
                result = bench.result(configuration["id"], endpoint["id"])
                server = esc(configuration["server"])
                if result is None or ratio is None:
                    lines.append(f'<span class="fw-value">failed</span><span class="fw-note">{server}</span>')
                else:
                    rps = statistics.median(result["requests_per_second"])
                    lines.append(
                        f'<span class="fw-value">{_ratio(ratio)}</span>'
                        f'<span class="fw-note">{server}, {_number(rps)} requests/s</span>'
                    )
            cells.append(f"<td>{''.join(lines)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    endpoint_heads = "".join(f'<th scope="col">Measured here, {esc(e["route"])}</th>' for e in bench.endpoints)
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
            f"{generator['connections']} connections, {generator['timeout_seconds']:g} s timeout, on the same machine",
        ),
        (
            "Method",
            f"{generator['warmup_seconds']:g} s warm-up per configuration and endpoint, then "
            f"{generator['rounds']} rounds of {generator['slice_seconds']:g} s slices; {esc(generator['order'])}",
        ),
        (
            "Packages",
            ", ".join(f"<code>{esc(name)}=={esc(version)}</code>" for name, version in data["packages"].items()),
        ),
        ("Command", f"<code>{esc(data['command'])}</code>; every slice is in <code>{esc(data['raw'])}</code>"),
    ]
    body = "".join(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    table = f'<table class="fw-facts fw-bench-run"><caption>Machine, versions and settings</caption><tbody>{body}</tbody></table>'
    commands = "".join(
        f"<li><strong>{esc(configuration_label(catalog, c))}</strong>: "
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
    for endpoint in bench.endpoints:
        parts.append(f"### {esc(endpoint['label'])} {{ #bench-{endpoint['id']} }}\n")
        parts.append(f"<p>Request: <code>{esc(endpoint['route'])}</code>. {esc(endpoint['measures'])}</p>\n")
        parts.append(bar_chart(bench, catalog, endpoint["id"]) + "\n")
        parts.append(ratio_sentence(bench, catalog, endpoint["id"]) + "\n")
        parts.append(results_table(bench, catalog, endpoint["id"]) + "\n")
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
