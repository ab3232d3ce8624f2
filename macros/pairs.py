"""One page per pair of frameworks, "A vs B", generated from the data: N × (N − 1) / 2 pages.

Pure functions, like macros.render: the catalog and the published run in, Markdown or
HTML text out. macros/hooks.py generates the pages and their nav entries from `pairs`,
`pair_uri` and `nav_groups`; each page's body is the `pair_page` macro.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from collections.abc import Mapping
from typing import Any

from macros import lineage
from macros.benchmarks import verdicts
from macros.benchmarks.labels import number, ratio_text, result_anchor, server_label
from macros.benchmarks.model import Benchmarks
from macros.catalog import Catalog
from macros.render import cell_html, esc, framework_url, markdown_inline, scroll_region, snippet_fence

Framework = Mapping[str, Any]
SECTION = "compare"
INDEX_URI = f"{SECTION}/index.md"
LEVEL_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No"}
# What splits a search query into words: Material's default in English; the build passes the
# search plugin's own setting (macros/hooks.py).
DEFAULT_SEARCH_SEPARATOR = r"[\s\-]+"


def pairs(catalog: Catalog) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every pair of frameworks once, each in data order: (first, second)."""
    return list(itertools.combinations(catalog.frameworks, 2))


def pair_slug(first: Framework, second: Framework) -> str:
    """`<first>-vs-<second>`, the pair's page name."""
    return f"{first['id']}-vs-{second['id']}"


def pair_uri(first: Framework, second: Framework) -> str:
    """The generated page's source path."""
    return f"{SECTION}/{pair_slug(first, second)}.md"


def pair_url(root: str, first: Framework, second: Framework) -> str:
    """The pair page's site URL, relative to `root`."""
    return f"{root}{SECTION}/{pair_slug(first, second)}/"


def title(first: Framework, second: Framework) -> str:
    """`A vs B` (unescaped)."""
    return f"{first['name']} vs {second['name']}"


def description(first: Framework, second: Framework) -> str:
    """The page's description for search results and link previews (unescaped)."""
    return (
        f"{first['name']} ({first['tagline']}) and {second['name']} ({second['tagline']}) compared: "
        "each aspect with its source, the needs they differ on, the same API in both, and the measured ratios."
    )


def search_boost(first: Framework, second: Framework, separator: str = DEFAULT_SEARCH_SEPARATOR) -> float:
    """The page's search boost, a little higher the fewer words the two names hold.

    Material's search turns off lunr's field-length normalisation, so a search for
    "a vs b" matches the tags of "A vs B" and of "A vs B C" (a framework named "B C")
    equally, and the page text, a millionth of the tags' weight, decides. This boost puts
    the page whose title is only the query first; against a page that matches more of
    the query's words it is far too small to matter.
    """
    words = len([w for w in re.split(separator, f"{first['name']} {second['name']}".strip()) if w])
    return round(1 + 1 / (10 * words), 4)


def front_matter(first: Framework, second: Framework, separator: str = DEFAULT_SEARCH_SEPARATOR) -> str:
    """The generated page's front matter and body: JSON values are valid, safely quoted YAML."""
    tags = [title(first, second), title(second, first)]
    return (
        f"---\ntitle: {json.dumps(title(first, second))}\n"
        f"description: {json.dumps(description(first, second))}\n"
        f"tags: {json.dumps(tags)}\n"
        f"search:\n  boost: {search_boost(first, second, separator)}\n---\n"
        f"{{{{ pair_page({json.dumps(first['id'])}, {json.dumps(second['id'])}) }}}}\n"
    )


def nav_groups(catalog: Catalog) -> list[dict[str, list[str]]]:
    """The nav under the section's index: one group per framework, `A vs …`, holding its pairs with a later one.

    With N frameworks no group holds more than N − 1 pages, and there are N − 1 groups.
    """
    groups: dict[str, list[str]] = {}
    for first, second in pairs(catalog):
        groups.setdefault(f"{first['name']} vs …", []).append(pair_uri(first, second))
    return [{label: uris} for label, uris in groups.items()]


def _ordered(catalog: Catalog, a: str, b: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two frameworks in data order, whichever order the ids come in."""
    ids = [fw["id"] for fw in catalog.frameworks]
    first, second = sorted((a, b), key=ids.index)
    return catalog.framework(first), catalog.framework(second)


def pair_links(catalog: Catalog, framework_id: str, root: str) -> str:
    """A framework's pair pages, one link per other framework."""
    fw = catalog.framework(framework_id)
    links = []
    for other in catalog.frameworks:
        if other["id"] != framework_id:
            first, second = _ordered(catalog, framework_id, other["id"])
            links.append(f'<li><a href="{esc(pair_url(root, first, second))}">{esc(title(fw, other))}</a></li>')
    return f'<ul class="fw-pair-links">{"".join(links)}</ul>'


def compare_section(catalog: Catalog, framework_id: str, root: str) -> str:
    """Markdown: the end of a framework's page, linking its pair pages."""
    name = esc(catalog.framework(framework_id)["name"])
    return f"## Compare {name} with {{ #compare }}\n\n{pair_links(catalog, framework_id, root)}\n"


def pair_index(catalog: Catalog, root: str) -> str:
    """Markdown: every framework's pair pages, under a heading per framework."""
    parts = []
    for fw in catalog.frameworks:
        parts.append(f"## {esc(fw['name'])} {{ #with-{fw['id']} }}\n")
        parts.append(pair_links(catalog, fw["id"], root) + "\n")
    return "\n".join(parts)


# --- the page ----------------------------------------------------------------------------


def differs(aspect: Mapping[str, Any], first: Framework, second: Framework) -> bool:
    """Whether the two frameworks' values for an aspect differ."""
    return bool(aspect["values"][first["id"]]["value"] != aspect["values"][second["id"]]["value"])


def aspects_table(catalog: Catalog, first: Framework, second: Framework, root: str) -> str:
    """Every aspect with both values, notes and sources: the aspects where they differ first."""
    groups = (
        ("Where they differ", [a for a in catalog.aspects if differs(a, first, second)]),
        ("Where they agree", [a for a in catalog.aspects if not differs(a, first, second)]),
    )
    bodies = []
    for heading, aspects in groups:
        if not aspects:
            continue
        rows = [f'<tr class="fw-rowgroup"><th scope="rowgroup" colspan="3">{esc(heading)} ({len(aspects)})</th></tr>']
        for aspect in aspects:
            cells = "".join(
                f'<td data-fw="{esc(fw["id"])}">'
                f"{cell_html(aspect, fw, aspect['values'][fw['id']], root, lineage.inherited_mark(catalog, fw, aspect['id'], root))}</td>"
                for fw in (first, second)
            )
            rows.append(
                f'<tr id="aspect-{esc(aspect["id"])}"><th scope="row">'
                f'<a href="{root}comparison/#aspect-{esc(aspect["id"])}">{esc(aspect["label"])}</a></th>{cells}</tr>'
            )
        bodies.append(f"<tbody>{''.join(rows)}</tbody>")
    head = "".join(
        f'<th scope="col"><a href="{esc(framework_url(root, fw["id"]))}">{esc(fw["name"])}</a></th>'
        for fw in (first, second)
    )
    table = (
        f'<table class="fw-table fw-table--fixed fw-table--detailed fw-table--pair" style="--fw-columns: 3">'
        f"<caption>{esc(title(first, second))}, aspect by aspect</caption>"
        f'<thead><tr><th scope="col">Aspect</th>{head}</tr></thead>{"".join(bodies)}</table>'
    )
    return scroll_region(f"{title(first, second)}, aspect by aspect", table)


def _support(entry: Mapping[str, Any]) -> str:
    note = f' <span class="fw-note">{markdown_inline(entry["note"])}</span>' if "note" in entry else ""
    return f'<span class="fw-value">{LEVEL_WORDS[entry["level"]]}</span>{note}'


def needs_section(catalog: Catalog, first: Framework, second: Framework, root: str) -> str:
    """The chooser's needs on which the two differ, as a table, and those they meet alike, in a sentence."""
    differ = [n for n in catalog.needs if n["support"][first["id"]]["level"] != n["support"][second["id"]]["level"]]
    alike = [n for n in catalog.needs if n not in differ]
    parts = []
    if differ:
        rows = "".join(
            f'<tr><th scope="row">{esc(need["label"])}</th>'
            + "".join(f"<td>{_support(need['support'][fw['id']])}</td>" for fw in (first, second))
            + "</tr>"
            for need in differ
        )
        head = "".join(f'<th scope="col">{esc(fw["name"])}</th>' for fw in (first, second))
        table = (
            f'<table class="fw-table"><caption>Needs where {esc(title(first, second))} differ</caption>'
            f'<thead><tr><th scope="col">Need</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
        parts.append(scroll_region(f"Needs where {title(first, second)} differ", table))
    else:
        parts.append(f"<p>{esc(first['name'])} and {esc(second['name'])} meet every need of the chooser alike.</p>")
    if alike and differ:
        labels = ", ".join(esc(n["label"].lower()) for n in alike)
        parts.append(f"<p>They meet these alike: {labels}.</p>")
    parts.append(f'<p><a href="{root}chooser/">Rank every framework by what you need</a>.</p>')
    return "\n".join(parts)


def code_section(catalog: Catalog, first: Framework, second: Framework) -> str:
    """Markdown: per task, the two frameworks' example code side by side (stacked on a narrow screen)."""
    parts = []
    for task in catalog.tasks:
        parts.append(f"### {esc(task['label'])} {{ #task-{task['id']} }}\n")
        parts.append('<div class="grid fw-pair-code" markdown>\n')
        for fw in (first, second):
            refs = fw["example"]["snippets"].get(task["id"])
            parts.append(f'<div markdown>\n\n<p class="fw-pair-code-name">{esc(fw["name"])}</p>\n')
            if refs:
                parts.append("\n".join(snippet_fence(ref) for ref in refs))
            else:
                parts.append(f"<p>The {esc(fw['name'])} example has no code for this task.</p>\n")
            parts.append("\n</div>\n")
        parts.append("</div>\n")
    return "\n".join(parts)


def _median(bench: Benchmarks, configuration: Mapping[str, Any], endpoint: str, level: int) -> float:
    return float(statistics.median(verdicts.samples(bench, configuration, endpoint, level)))


def benchmark_section(
    bench: Benchmarks | None, catalog: Catalog, first: Framework, second: Framework, root: str
) -> str:
    """The published run's ratios between the two frameworks' default configurations, per workload and level."""
    if bench is None:
        return (
            '<p class="fw-not-measured">Not measured: no benchmark run is published yet '
            f'(<a href="{root}performance/method/">how the benchmark runs</a>).</p>'
        )
    try:
        defaults = [verdicts.default_configuration(bench, fw["id"]) for fw in (first, second)]
    except verdicts.Missing as missing:
        return f'<p class="fw-not-measured">Not measured: {esc(missing)}.</p>'
    servers = " and ".join(
        f"{esc(fw['name'])} on {esc(server_label(c))}" for fw, c in zip((first, second), defaults, strict=True)
    )
    rows = []
    for endpoint in bench.endpoints:
        for level in bench.levels(endpoint["id"]):
            head = (
                f'<th scope="row"><a href="{root}performance/#{esc(result_anchor(bench, endpoint["id"], level))}">'
                f"{esc(endpoint['label'])}, {level} connections</a></th>"
            )
            try:
                medians = [_median(bench, c, endpoint["id"], level) for c in defaults]
                value = verdicts.ratio(bench, defaults[0], defaults[1], endpoint["id"], level).value
                cells = "".join(f"<td>{number(m)}</td>" for m in medians) + f"<td>{ratio_text(value)}</td>"
            except verdicts.Missing as missing:
                cells = f'<td colspan="3" class="fw-not-measured">not measured: {esc(missing)}</td>'
            rows.append(f"<tr>{head}{cells}</tr>")
    names = "".join(f'<th scope="col">{esc(fw["name"])}, requests/s</th>' for fw in (first, second))
    table = (
        f'<table class="fw-table"><caption>{esc(title(first, second))}: default configurations</caption>'
        f'<thead><tr><th scope="col">Workload</th>{names}'
        f'<th scope="col">{esc(first["name"])} ÷ {esc(second["name"])}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    intro = (
        f"<p>Each framework's default configuration in the published run: {servers}. The ratio is the median "
        "of the per-round ratios, as on the Performance page, which has every configuration and the method.</p>"
    )
    return intro + "\n" + scroll_region(f"{title(first, second)}: measured ratios", table)


def pair_page(catalog: Catalog, bench: Benchmarks | None, first_id: str, second_id: str, root: str) -> str:
    """The Markdown of one pair page."""
    first, second = _ordered(catalog, first_id, second_id)
    both = f"{esc(first['name'])} and {esc(second['name'])}"
    return "\n".join(
        [
            f"# {esc(title(first, second))}\n",
            f'<p class="fw-tagline">{esc(first["name"])}, {esc(first["tagline"])}; '
            f"{esc(second['name'])}, {esc(second['tagline'])}.</p>\n",
            f"<p>Everything on this page comes from the site's data and its example apps, as on the "
            f'<a href="{root}comparison/">comparison of every framework</a>. Their own pages: '
            f'<a href="{esc(framework_url(root, first["id"]))}">{esc(first["name"])}</a>, '
            f'<a href="{esc(framework_url(root, second["id"]))}">{esc(second["name"])}</a>.</p>\n',
            lineage.pair_line(catalog, first, second, root) + "\n",
            "## Aspect by aspect { #aspects }\n",
            aspects_table(catalog, first, second, root) + "\n",
            "## Where they differ on what you need { #needs }\n",
            needs_section(catalog, first, second, root) + "\n",
            "## The same API in both { #code }\n",
            f'<p>The example API\'s code in {both}; <a href="{root}same-api/">every framework, task by task</a>.</p>\n',
            code_section(catalog, first, second),
            "## Measured { #benchmark }\n",
            benchmark_section(bench, catalog, first, second, root) + "\n",
        ]
    )
