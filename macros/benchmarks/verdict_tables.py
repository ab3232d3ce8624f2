"""The Performance page's claims: each claim, the measurement that tests it, the rule, and the verdict with its numbers.

The verdicts come from `verdicts` (pure computations on the published run); this
module only puts them into words and tables. Framework names come from the catalog.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from macros.benchmarks.labels import configuration_label, number, ratio_text, result_anchor
from macros.benchmarks.model import Benchmarks
from macros.benchmarks.verdicts import (
    BEST,
    CONSISTENT,
    NOT_MEASURED,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    Finding,
    Missing,
    Ratio,
    Verdict,
    default_configuration,
    judge,
)
from macros.catalog import Catalog
from macros.render import esc, scroll_region

# The badge class of each status (docs/assets/site.css).
STATUS_CLASS = {
    SUPPORTED: "fw-verdict--yes",
    CONSISTENT: "fw-verdict--yes",
    PARTLY: "fw-verdict--partly",
    NOT_SUPPORTED: "fw-verdict--no",
    "not consistent": "fw-verdict--no",
    NOT_MEASURED: "fw-verdict--none",
}


def _names(catalog: Catalog, ids: Sequence[str]) -> str:
    """Names as prose: `A and B`, `A, B and C`."""
    items = [str(catalog.framework(i)["name"]) for i in ids]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def badge(status: str) -> str:
    """A verdict's status as a labelled badge."""
    return f'<strong class="fw-verdict {STATUS_CLASS[status]}">{esc(status.capitalize())}</strong>'


def _endpoint_words(bench: Benchmarks, endpoint_id: str) -> str:
    """`Call an upstream service (GET /api/upstream/{view})`, or the bare id for an endpoint the run lacks."""
    for endpoint in bench.endpoints:
        if endpoint["id"] == endpoint_id:
            return f"{endpoint['label']} ({endpoint['route']})"
    return endpoint_id


def _levels_text(bench: Benchmarks, endpoint_id: str) -> str:
    if endpoint_id not in [e["id"] for e in bench.endpoints]:
        return ""
    levels = bench.levels(endpoint_id)
    if len(levels) == 1:
        return f" at {levels[0]} connections"
    return f" at {', '.join(map(str, levels[:-1]))} and {levels[-1]} connections"


def rule_text(bench: Benchmarks, catalog: Catalog, claim: Mapping[str, Any]) -> tuple[str, str]:
    """(the measurement, the rule), in words, from the claim's parameters (unescaped)."""
    rule = claim["rule"]
    if rule == "advantage":
        subject, others = _names(catalog, [claim["framework"]]), _names(catalog, claim["over"])
        measurement = (
            f"{_endpoint_words(bench, claim['endpoint'])}{_levels_text(bench, claim['endpoint'])}: "
            f"{subject}'s default configuration against {others}, first their defaults, then the best "
            "configuration of each at each level."
        )
        factor = f"{claim['factor']:g}"
        text = (
            f"At a level, supported when {subject} serves at least {factor}× the requests per second of each of "
            f"{others}; partly when it does so for some of them; not supported otherwise. The claim is supported "
            "when every level is, partly when some level is supported or partly, and not supported otherwise. "
            "A ratio is the median over the rounds of the two configurations' results in the same round."
        )
        return measurement, text
    if rule == "narrows":
        measurement = (
            f"{_endpoint_words(bench, claim['endpoint'])} against {_endpoint_words(bench, claim['than'])} at its "
            f"highest level, for each pair of {_names(catalog, claim['frameworks'])}, on their default configurations."
        )
        text = (
            "Supported for a pair when their ratio on the first is closer to 1 than on the second: "
            "|log(ratio)| is smaller. The claim is supported when every pair is, partly when some are."
        )
        return measurement, text
    reference = _names(catalog, [claim["reference"]])
    measurement = (
        f"Each framework's default configuration against {reference}'s, on every endpoint at its highest level."
    )
    text = (
        f"A quoted range becomes a range of ratios to {reference}'s: its low over {reference}'s high, its high "
        f"over {reference}'s low. Consistent when the measured ratio lies inside it."
    )
    return measurement, text


def _ratio_cell(bench: Benchmarks, catalog: Catalog, ratio: Ratio) -> str:
    other = bench.configuration(ratio.other)
    return (
        f'<span class="fw-value">{ratio_text(ratio.value)}</span>'
        f'<span class="fw-note">{esc(configuration_label(catalog, other, bench.endpoint(ratio.endpoint)))}</span>'
    )


def _not_measured(finding: Finding, columns: int) -> str:
    return f'<td colspan="{columns}">{badge(NOT_MEASURED)}: {esc(finding.note)}.</td>'


def advantage_table(bench: Benchmarks, catalog: Catalog, claim: Mapping[str, Any], verdict: Verdict) -> str:
    """One row per level: the ratio to each other framework's configuration, and the level's verdict."""
    others = claim["over"]
    rows = []
    for finding in verdict.findings:
        head = f'<th scope="row">{finding.connections} connections</th>' if finding.connections else "<th></th>"
        if finding.status == NOT_MEASURED:
            rows.append(f"<tr>{head}{_not_measured(finding, len(others) + 1)}</tr>")
            continue
        cells = "".join(f"<td>{_ratio_cell(bench, catalog, r)}</td>" for r in finding.ratios)
        rows.append(f"<tr>{head}{cells}<td>{badge(finding.status)}</td></tr>")
    subject = catalog.framework(claim["framework"])["name"]
    reading = "best configuration" if verdict.reading == BEST else "default configuration"
    heads = "".join(f'<th scope="col">× {esc(catalog.framework(o)["name"])}’s {reading}</th>' for o in others)
    caption = f"{subject}'s default configuration against each framework's {reading}"
    table = (
        f'<table class="fw-table fw-verdict-table"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">Level</th>{heads}<th scope="col">Verdict at this level</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def narrows_table(bench: Benchmarks, catalog: Catalog, claim: Mapping[str, Any], verdict: Verdict) -> str:
    """One row per pair: the ratio on each endpoint, their absolute logarithms, and the pair's verdict."""
    rows = []
    for finding in verdict.findings:
        pair = " / ".join(str(catalog.framework(f)["name"]) for f in finding.frameworks)
        head = f'<th scope="row">{esc(pair)}</th>'
        if finding.status == NOT_MEASURED or finding.io_ratio is None:
            rows.append(f"<tr>{head}{_not_measured(finding, 3)}</tr>")
            continue
        narrow, wide = finding.ratios[0], finding.io_ratio
        cells = "".join(
            f'<td><span class="fw-value">{ratio_text(r.value)}</span>'
            f'<span class="fw-note">|log| {abs(math.log(r.value)):.2f}</span></td>'
            for r in (narrow, wide)
        )
        rows.append(f"<tr>{head}{cells}<td>{badge(finding.status)}</td></tr>")
    endpoints = [claim["endpoint"], claim["than"]]
    heads = "".join(
        f'<th scope="col">Ratio, {esc(_endpoint_words(bench, e))}'
        + (f", {max(bench.levels(e))} connections" if e in [x["id"] for x in bench.endpoints] else "")
        + "</th>"
        for e in endpoints
    )
    caption = "Each pair's ratio (first over second) on the two endpoints"
    table = (
        f'<table class="fw-table fw-verdict-table"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">Pair</th>{heads}<th scope="col">Verdict</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def _claimed_words(claimed: tuple[float, float | None] | None) -> str:
    if claimed is None:
        return "–"
    low, high = claimed
    return f"{low:.1f}× or more" if high is None else f"{low:.1f}–{high:.1f}×"


def ranges_table(bench: Benchmarks, catalog: Catalog, claim: Mapping[str, Any], verdict: Verdict) -> str:
    """One row per framework and endpoint: the claimed ratio, the measured one, and whether they agree."""
    rows = []
    for finding in verdict.findings:
        name = catalog.framework(finding.frameworks[0])["name"]
        endpoint = _endpoint_words(bench, finding.endpoint or "")
        head = f'<th scope="row">{esc(name)}<span class="fw-note">{esc(endpoint)}</span></th>'
        claimed = f"<td>{esc(_claimed_words(finding.claimed))}</td>"
        if finding.status == NOT_MEASURED:
            rows.append(f"<tr>{head}{claimed}{_not_measured(finding, 2)}</tr>")
            continue
        measured = finding.ratios[0]
        rows.append(
            f"<tr>{head}{claimed}<td>{ratio_text(measured.value)}"
            f'<span class="fw-note">at {measured.connections} connections</span></td>'
            f"<td>{badge(finding.status)}</td></tr>"
        )
    reference = catalog.framework(claim["reference"])["name"]
    caption = f"Quoted ranges and measured ratios, as multiples of {reference}"
    table = (
        f'<table class="fw-table fw-verdict-table"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">Framework, endpoint</th><th scope="col">Claimed ratio</th>'
        f'<th scope="col">Measured ratio</th><th scope="col">Verdict</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


TABLES = {"advantage": advantage_table, "narrows": narrows_table, "ranges": ranges_table}


def _summary(verdict: Verdict) -> str:
    """`Against each framework's default configuration: Partly supported.`"""
    if verdict.rule != "advantage":
        return f"<p>Verdict: {badge(verdict.status)}.</p>"
    reading = "best configuration" if verdict.reading == BEST else "default configuration"
    return f"<p>Against each framework's {reading}: {badge(verdict.status)}.</p>"


def claims_section(bench: Benchmarks | None, catalog: Catalog) -> str:
    """Markdown: each performance claim with its measurement, rule, verdicts and their numbers."""
    claims = catalog.performance_claims
    if not claims:
        return "<p>The data lists no performance claim to test.</p>\n"
    parts = []
    for claim in claims:
        parts.append(f"### {esc(claim['claim'])} {{ #claim-{claim['id']} }}\n")
        if bench is None:
            parts.append(f"<p>{badge(NOT_MEASURED)}: no benchmark run is published.</p>\n")
            continue
        measurement, rule = rule_text(bench, catalog, claim)
        parts.append(
            '<dl class="fw-claim"><dt>The claim</dt><dd>As the heading says it, quoted: a claim, not a measurement.</dd>'
            f"<dt>The measurement</dt><dd>{esc(measurement)}</dd>"
            f"<dt>The rule</dt><dd>{esc(rule)}</dd></dl>\n"
        )
        for verdict in judge(bench, claim, catalog.frameworks):
            parts.append(_summary(verdict) + "\n")
            parts.append(TABLES[claim["rule"]](bench, catalog, claim, verdict) + "\n")
    return "\n".join(parts)


def evidence(bench: Benchmarks | None, catalog: Catalog, endpoints: Sequence[str], root: str) -> dict[str, str]:
    """Per framework id: its default configuration's median on each endpoint (highest level), linked to the results."""
    out: dict[str, str] = {}
    if bench is None:
        return out
    known = [e["id"] for e in bench.endpoints]
    for fw in catalog.frameworks:
        lines = []
        try:
            default: dict[str, Any] | None = default_configuration(bench, fw["id"])
        except Missing:
            default = None
        for endpoint_id in endpoints:
            if endpoint_id not in known or default is None:
                continue
            endpoint = bench.endpoint(endpoint_id)
            level = max(bench.levels(endpoint_id))
            anchor = result_anchor(bench, endpoint_id, level)
            result = bench.result(default["id"], endpoint_id, level)
            if "not_measured" in default:
                value = "not measured"
            elif result is None:
                value = "failed"
            else:
                value = f"{number(statistics.median(result['requests_per_second']))} requests/s"
            lines.append(
                f'<a class="fw-evidence" href="{esc(root)}performance/#{esc(anchor)}">'
                f"Measured, {esc(endpoint['label'].lower())} at {level} connections: {esc(value)}</a>"
            )
        if lines:
            out[fw["id"]] = "".join(lines)
    return out
