"""The Markdown the pages include: every measured endpoint, and the published run's facts."""

from __future__ import annotations

from macros.benchmarks.charts import bar_chart, level_chart
from macros.benchmarks.claims import claims_comparison
from macros.benchmarks.labels import configuration_label, number, ratio_text
from macros.benchmarks.model import Benchmarks
from macros.benchmarks.stats import ratios, slowest
from macros.benchmarks.tables import configurations_table, results_table, run_facts
from macros.catalog import Catalog
from macros.render import esc


def not_published() -> str:
    """Markdown: the notice shown when no benchmark file exists."""
    return (
        '!!! note "No measurement is published yet"\n\n'
        "    This build found no `data/benchmarks.yml`, so the page shows no measured\n"
        "    number. Run `make bench` to measure the example apps on your own machine;\n"
        "    the page then shows the results, and [How it is measured](method.md) says\n"
        "    how to read them.\n"
    )


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
        f"{ratio_text(by_rps[fastest])} its requests per second. Each “× slowest” is the median, over the rounds, "
        "of a configuration’s result divided by the slowest one’s in the same round.</p>"
    )


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
        if len(levels) > 1:
            parts.append(level_chart(bench, catalog, eid) + "\n")
        for connections in levels:
            if len(levels) > 1:
                bound = bench.bound(eid, connections)
                parts.append(f"#### {connections} connections {{ #bench-{eid}-{connections} }}\n")
                if bound:
                    parts.append(
                        f"<p>The bound: {connections} connections ÷ the upstream's delay = {number(bound)} requests/s, "
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
