"""Pure render functions: validated data in, Markdown or HTML text out.

Nothing here imports MkDocs, so each function can be tested on a small fixture.
Every string that comes from the data is escaped, or rendered by `markdown_html`,
which shows raw HTML as text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import markdown
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from macros.data import Catalog
from macros.example_runs import ExampleRun, tested_with

if TYPE_CHECKING:
    # Only types here: macros.releases imports macros.benchmarks, which imports this module.
    from macros.releases import Release, Releases


def esc(text: object) -> str:
    """HTML-escape a value for text or attribute context."""
    return html.escape(str(text), quote=True)


def scroll_region(label: str, table: str) -> str:
    """A table in a labelled region that scrolls sideways on a narrow screen.

    The frame around the region is where docs/assets/site.js puts the "scroll
    sideways" hint, positioned over the region's top margin: showing or hiding
    the hint moves nothing on the page.
    """
    region = f'<div class="fw-scroll" role="region" aria-label="{esc(label)}" tabindex="0">{table}</div>'
    return f'<div class="fw-scroll-frame">{region}</div>'


def _safe_markdown() -> markdown.Markdown:
    """A Markdown converter that treats raw HTML as text."""
    md = markdown.Markdown(extensions=["pymdownx.inlinehilite", "pymdownx.betterem"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_MD = _safe_markdown()


def markdown_html(text: str) -> str:
    """Render a Markdown field to HTML; raw HTML in it is escaped, not executed."""
    _MD.reset()
    # One line keeps the fragment inside an HTML block of the page's Markdown.
    return str(_MD.convert(text)).replace("\n", " ")


def markdown_inline(text: str) -> str:
    """Render a one-paragraph Markdown field without its wrapping <p>."""
    rendered = markdown_html(text).strip()
    match = re.fullmatch(r"<p>(.*)</p>", rendered, flags=re.S)
    return match.group(1) if match and "<p>" not in match.group(1) else rendered


def chosen_frameworks(catalog: Catalog, frameworks: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The frameworks with these ids, in the order given; every framework, in data order, for None.

    An unknown id raises with the known ones; an id given twice, or no id at all, raises too.
    """
    if frameworks is None:
        return catalog.frameworks
    if isinstance(frameworks, str):
        raise TypeError(f"frameworks= takes a list of framework ids, not the string {frameworks!r}")
    if not frameworks:
        raise ValueError("frameworks= names no framework; give at least one id, or None for all")
    repeated = sorted({fw_id for fw_id in frameworks if list(frameworks).count(fw_id) > 1})
    if repeated:
        raise ValueError(f"frameworks= names {', '.join(map(repr, repeated))} more than once")
    return [catalog.framework(fw_id) for fw_id in frameworks]


def names(catalog: Catalog, frameworks: Sequence[str] | None = None) -> str:
    """Framework names as prose: `A, B and C`; only those of `frameworks` (ids) when given."""
    items = [esc(fw["name"]) for fw in chosen_frameworks(catalog, frameworks)]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def framework_url(root: str, framework_id: str) -> str:
    """The site URL of a framework's generated page, relative to `root`."""
    return f"{root}frameworks/{framework_id}/"


def source_link(url: str, context: str) -> str:
    """A small link to a fact's source; its accessible name says what it backs."""
    return f'<a class="fw-source" href="{esc(url)}" aria-label="Source: {esc(context)}" rel="noopener">source</a>'


# --- release facts, from data/releases.yml (`make refresh-facts`) -----------------


def _python_range(requires_python: str) -> str | None:
    """`3.10 and newer` for `>=3.10` (`, older than 4` for an upper bound); None when the words would not be exact."""
    try:
        specifiers = list(SpecifierSet(requires_python))
    except InvalidSpecifier:
        return None
    words = {">=": "{} and newer", ">": "newer than {}", "<": "older than {}", "<=": "up to {}"}
    # `!=` excludes single releases, which a range in words leaves out.
    kept = [s for s in specifiers if s.operator != "!="]
    if not kept or any(s.operator not in words for s in kept):
        return None
    lower = [s for s in kept if s.operator in {">=", ">"}]
    upper = [s for s in kept if s.operator in {"<", "<="}]
    if len(lower) > 1 or len(upper) > 1:
        return None
    return ", ".join(words[s.operator].format(s.version) for s in lower + upper)


def _classifier_versions(versions: Iterable[str]) -> str:
    """`classifiers list 3.10 to 3.14`, or each version when the list has gaps."""
    listed = list(versions)
    if not listed:
        return "classifiers list no Python versions"
    parsed = [Version(v) for v in listed]
    consecutive = all((b.major, b.minor) == (a.major, a.minor + 1) for a, b in zip(parsed, parsed[1:], strict=False))
    if len(listed) == 1:
        return f"classifiers list {listed[0]}"
    if consecutive:
        return f"classifiers list {listed[0]} to {listed[-1]}"
    return f"classifiers list {', '.join(listed[:-1])} and {listed[-1]}"


def python_support(release: Release) -> str:
    """Python support in the same words for every framework: `3.10 and newer (Requires-Python >=3.10); classifiers list 3.10 to 3.14`."""
    if release.requires_python is None:
        stated = "no Requires-Python stated"
    else:
        words = _python_range(release.requires_python)
        stated = f"Requires-Python {release.requires_python}"
        stated = f"{words} ({stated})" if words else stated
    return esc(f"{stated}; {_classifier_versions(release.python_classifiers)}")


def licence_text(release: Release) -> str:
    """The licence as the package states it: its License-Expression, else its licence classifiers, else that it states none."""
    if release.licence_expression is not None:
        return f'{esc(release.licence_expression)}<span class="fw-note">from the License-Expression in the package\'s metadata</span>'
    if release.licence_classifiers:
        names = "; ".join(c.removeprefix("License :: ") for c in release.licence_classifiers)
        return (
            f'{esc(names)}<span class="fw-note">from the package\'s licence classifier; '
            "its metadata states no License-Expression</span>"
        )
    return "Not stated in the package's metadata"


def latest_release(release: Release, notes_url: str, name: str) -> str:
    """`3.1.3, uploaded to the package index on 2026-02-19 (UTC)`, with the release-notes link beside it."""
    return (
        f"{esc(release.version)}, uploaded to the package index on "
        f'<time datetime="{esc(release.uploaded)}">{esc(release.uploaded)}</time> (UTC) '
        f'<a class="fw-source" href="{esc(notes_url)}" aria-label="Release notes: {esc(name)}" rel="noopener">'
        "release notes</a>"
    )


def install_line(package: str) -> str:
    """The command that installs the framework from the package index pip is configured with."""
    return f"<code>pip install {esc(package)}</code>"


def cell_html(aspect: Mapping[str, Any], framework: Mapping[str, Any], cell: Mapping[str, Any], root: str) -> str:
    """One comparison cell: value, optional note, source link."""
    parts = [f'<span class="fw-value">{esc(cell["value"])}</span>']
    if "note" in cell:
        parts.append(f'<span class="fw-note">{markdown_inline(cell["note"])}</span>')
    meta = []
    if aspect["kind"] == "assessment":
        meta.append('<span class="fw-kind">assessment</span>')
    if "source" in cell:
        meta.append(source_link(cell["source"], f"{framework['name']}, {aspect['label']}"))
    if "example" in cell:
        meta.append(
            f'<a class="fw-example" href="{root}same-api/#task-{esc(cell["example"])}" '
            f'aria-label="Example code: {esc(framework["name"])}, {esc(aspect["label"])}">example</a>'
        )
    if meta:
        parts.append(f'<span class="fw-meta">{" ".join(meta)}</span>')
    return "".join(parts)


def comparison_table(
    catalog: Catalog,
    root: str,
    detailed: bool = True,
    caption: str | None = None,
    measured: Mapping[str, Mapping[str, str]] | None = None,
    frameworks: Sequence[str] | None = None,
) -> str:
    """The comparison table as one HTML block; each row has the anchor `aspect-<id>`.

    `measured`: per aspect id, per framework id, HTML that the detailed table adds to
    the cell: links to the measurements that bear on it. `frameworks`: the ids of the
    columns to show, in that order; every framework when None.

    Each framework's header and cells carry `data-fw="<id>"`, and the table lists its
    columns' ids, space-separated, in `data-columns`: docs/assets/columns.js hides
    the columns a reader leaves out with one CSS rule on these attributes.
    """
    shown = chosen_frameworks(catalog, frameworks)
    head = "".join(
        f'<th scope="col" data-fw="{esc(fw["id"])}"><a href="{esc(framework_url(root, fw["id"]))}">'
        f"{esc(fw['name'])}</a></th>"
        for fw in shown
    )
    rows = []
    for aspect in catalog.aspects:
        label = f'<span class="fw-label">{esc(aspect["label"])}</span>'
        if detailed:
            label += f'<span class="fw-description">{esc(aspect["description"])}</span>'
        cells = []
        for fw in shown:
            cell = aspect["values"][fw["id"]]
            body = cell_html(aspect, fw, cell, root) if detailed else esc(cell["value"])
            if detailed and measured:
                body += measured.get(aspect["id"], {}).get(fw["id"], "")
            cells.append(f'<td data-fw="{esc(fw["id"])}">{body}</td>')
        row_id = f' id="aspect-{esc(aspect["id"])}"' if detailed else ""
        rows.append(f'<tr{row_id}><th scope="row">{label}</th>{"".join(cells)}</tr>')
    caption_html = f"<caption>{esc(caption)}</caption>" if caption else ""
    # Fixed layout (docs/assets/site.css): each header cell sets its column's minimum
    # width, so the table's minimum width follows the columns the reader keeps.
    classes = "fw-table fw-table--fixed" + (" fw-table--detailed" if detailed else "")
    columns = " ".join(fw["id"] for fw in shown)
    table = (
        f'<table class="{classes}" data-columns="{esc(columns)}">{caption_html}'
        f'<thead><tr><th scope="col">Aspect</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption or "Comparison table", table)


def verdicts(catalog: Catalog, root: str, frameworks: Sequence[str] | None = None) -> str:
    """A short verdict per framework (only those of `frameworks`, ids, when given), as a grid of cards."""
    cards = []
    for fw in chosen_frameworks(catalog, frameworks):
        cards.append(
            f'<li><p class="fw-card-title"><a href="{esc(framework_url(root, fw["id"]))}">'
            f"<strong>{esc(fw['name'])}</strong></a>, {esc(fw['tagline'])}</p>"
            f"{markdown_html(fw['verdict'])}</li>"
        )
    return f'<div class="grid cards fw-cards" markdown="0"><ul>{"".join(cards)}</ul></div>'


def _items(items: Iterable[Mapping[str, Any]], context: str) -> str:
    """A list of strengths or weaknesses, each with its source when it has one."""
    out = []
    for item in items:
        link = f" {source_link(item['source'], context)}" if "source" in item else ""
        out.append(f"<li>{markdown_inline(item['text'])}{link}</li>")
    return f'<ul class="fw-list">{"".join(out)}</ul>'


def choose_list(framework: Mapping[str, Any]) -> str:
    """The 'choose it when' list of one framework."""
    return f'<ul class="fw-list">{"".join(f"<li>{markdown_inline(t)}</li>" for t in framework["choose_when"])}</ul>'


def decision_lists(catalog: Catalog, root: str) -> str:
    """Markdown: one heading and decision list per framework."""
    parts = []
    for fw in catalog.frameworks:
        parts.append(f"## Choose {esc(fw['name'])} when {{ #choose-{fw['id']} }}\n")
        parts.append(choose_list(fw) + "\n")
        parts.append(
            f'<p class="fw-more"><a href="{esc(framework_url(root, fw["id"]))}">'
            f"More about {esc(fw['name'])}: strengths, weaknesses and code</a></p>\n"
        )
    return "\n".join(parts)


def snippet_fence(ref: str, indent: str = "") -> str:
    """A fenced code block that pymdownx.snippets fills from an example section."""
    path = ref.partition(":")[0]
    lang = "python" if path.endswith(".py") else "text"
    return f'{indent}``` {lang} title="{path}"\n{indent}--8<-- "{ref}"\n{indent}```\n'


def tested_versions(runs: Sequence[ExampleRun], fw: Mapping[str, Any]) -> str:
    """`6.1.3 on Python 3.13; 5.2.19 on Python 3.11`: each version the example tests run, on which Pythons."""
    return "; ".join(
        f"{esc(version)} on Python {esc(' and '.join(pythons))}" for version, pythons in tested_with(runs, fw)
    )


def _facts_table(fw: Mapping[str, Any], published: Release, runs: Sequence[ExampleRun]) -> str:
    """The release facts of one framework as a two-column HTML table; `published` is its entry in data/releases.yml."""
    release = fw["release"]
    name = fw["name"]
    rows = [
        ("Latest release", latest_release(published, release["notes"], name)),
        ("Python versions", python_support(published)),
        ("Licence", licence_text(published)),
        ("Install", install_line(fw["package"])),
        (
            "Support policy",
            f"{esc(release['support']['text'])} " + source_link(release["support"]["source"], f"{name} support policy"),
        ),
        (
            "First public release",
            f"{esc(fw['first_release']['year'])} "
            + source_link(fw["first_release"]["source"], f"{name} first release"),
        ),
        ("Examples on this site tested with", tested_versions(runs, fw)),
        ("Last verified", f'<time datetime="{esc(fw["last_verified"])}">{esc(fw["last_verified"])}</time>'),
    ]
    links = fw["links"]
    rows.append(
        (
            "Links",
            " · ".join(
                f'<a href="{esc(links[key])}" rel="noopener">{label}</a>'
                for key, label in (
                    ("homepage", "Home"),
                    ("documentation", "Docs"),
                    ("repository", "Source"),
                )
            ),
        )
    )
    body = "".join(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    return f'<table class="fw-facts"><caption>{esc(name)} release facts</caption><tbody>{body}</tbody></table>'


def framework_column(catalog: Catalog, framework_id: str, root: str) -> str:
    """One framework's values for every aspect, each linking to its table row."""
    fw = catalog.framework(framework_id)
    items = []
    for aspect in catalog.aspects:
        cell = aspect["values"][framework_id]
        items.append(
            f'<li><a href="{root}comparison/#aspect-{esc(aspect["id"])}">{esc(aspect["label"])}</a>: '
            f"{cell_html(aspect, fw, cell, root)}</li>"
        )
    return f'<ul class="fw-list fw-column">{"".join(items)}</ul>'


def framework_page(
    catalog: Catalog, releases: Releases, framework_id: str, root: str, runs: Sequence[ExampleRun]
) -> str:
    """The Markdown of one framework's page, generated from its data entry."""
    fw = catalog.framework(framework_id)
    name = esc(fw["name"])
    snippets = fw["example"]["snippets"]
    first_task = catalog.tasks[0]
    code = "".join(snippet_fence(ref) for ref in snippets.get(first_task["id"], []))
    parts = [
        f"# {name}\n",
        f'<p class="fw-tagline">{esc(fw["tagline"])}</p>\n',
        markdown_html(fw["verdict"]) + "\n",
        _facts_table(fw, releases.of(framework_id), runs) + "\n",
        "## Core philosophy\n",
        markdown_html(fw["philosophy"]) + "\n",
        "## Overview\n",
        markdown_html(fw["overview"]) + "\n",
        f"## Code: {esc(first_task['label'].lower())}\n",
        code,
        f'<p><a href="{root}same-api/">The whole example API in {name}, side by side with the others</a>. '
        f"Run it with <code>{esc(fw['example']['run'])}</code>.</p>\n",
        "## Strengths\n",
        _items(fw["strengths"], f"{fw['name']} strength") + "\n",
        "## Weaknesses\n",
        _items(fw["weaknesses"], f"{fw['name']} weakness") + "\n",
        f"## Choose {name} when\n",
        choose_list(fw) + "\n",
        "## In the comparison table\n",
        framework_column(catalog, framework_id, root) + "\n",
    ]
    return "\n".join(parts)


def claims_table(catalog: Catalog) -> str:
    """The quoted throughput claims, labelled as claims with their context."""
    rows = []
    for fw in catalog.frameworks:
        for claim in fw["claims"]:
            attribution = esc(claim["attribution"])
            if "source" in claim:
                attribution += " " + source_link(claim["source"], f"{fw['name']} claim")
            rows.append(
                f'<tr><th scope="row">{esc(fw["name"])}</th><td>{esc(claim["figure"])}</td>'
                f"<td>{esc(claim['server'])}</td><td>{markdown_inline(claim['context'])}</td>"
                f"<td>{attribution}</td></tr>"
            )
    if not rows:
        return "<p>No claims are quoted.</p>"
    head = "".join(
        f'<th scope="col">{h}</th>' for h in ("Framework", "Claimed throughput", "Server", "Context", "Attribution")
    )
    table = f'<table class="fw-table fw-claims"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return scroll_region("Quoted throughput claims", table)


def same_api(catalog: Catalog) -> str:
    """Markdown: per task, linked content tabs with each framework's code."""
    parts = []
    for task in catalog.tasks:
        parts.append(f"## {esc(task['label'])} {{ #task-{task['id']} }}\n")
        parts.append(markdown_html(task["description"]) + "\n")
        for fw in catalog.frameworks:
            refs = fw["example"]["snippets"].get(task["id"])
            parts.append(f'=== "{esc(fw["name"])}"\n')
            if refs:
                parts.append("\n".join(snippet_fence(ref, "    ") for ref in refs))
            else:
                parts.append(f"    <p>The {esc(fw['name'])} example has no code for this task.</p>\n")
    parts.append("## What invalid input gets back {#invalid-input}\n")
    parts.append(
        "<p>Each app keeps its framework's usual status and error body for invalid input, "
        "so this is where they differ on purpose; every other status is the same in all of them.</p>\n"
    )
    parts.append(invalid_input_table(catalog) + "\n")
    parts.append("## What each framework did for you {#did-for-you}\n")
    for fw in catalog.frameworks:
        parts.append(
            f'=== "{esc(fw["name"])}"\n\n'
            f"    <p><strong>Done for you:</strong> {markdown_inline(fw['example']['did_for_you'])}</p>\n"
            f"    <p><strong>Written by hand:</strong> {markdown_inline(fw['example']['by_hand'])}</p>\n"
            f"    <p>Run it: <code>{esc(fw['example']['run'])}</code></p>\n"
        )
    return "\n".join(parts)


def invalid_input_table(catalog: Catalog) -> str:
    """Per framework: the status and error body its example sends for invalid input."""
    rows = []
    for fw in catalog.frameworks:
        answer = fw["example"]["invalid_input"]
        note = f'<span class="fw-note">{markdown_inline(answer["note"])}</span>' if "note" in answer else ""
        rows.append(
            f'<tr><th scope="row">{esc(fw["name"])}</th><td>{esc(answer["status"])}</td>'
            f"<td><code>{esc(answer['body'])}</code>{note}</td></tr>"
        )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Framework", "Status", "Error body"))
    table = f'<table class="fw-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return scroll_region("Answers to invalid input", table)


def data_json(catalog: Catalog) -> str:
    """The comparison data as pretty JSON, for download."""
    return json.dumps(catalog.raw, indent=2, ensure_ascii=False) + "\n"
