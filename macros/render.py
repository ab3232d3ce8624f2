"""Pure render functions: validated data in, Markdown or HTML text out.

Nothing here imports MkDocs, so each function can be tested on a small fixture.
Every string that comes from the data is escaped, or rendered by `markdown_html`,
which shows raw HTML as text.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import markdown

from macros.catalog import Catalog

if TYPE_CHECKING:
    # Only types here: macros.releases imports macros.benchmarks, which imports this module.
    pass


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


@functools.cache  # made when first needed, not when the module is imported
def _safe_markdown() -> markdown.Markdown:
    """A Markdown converter that treats raw HTML as text."""
    md = markdown.Markdown(extensions=["pymdownx.inlinehilite", "pymdownx.betterem"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


# A note is shown on its framework's page, in the full table and on every pair page it
# is in: each distinct text is converted once.
@functools.lru_cache(maxsize=4096)
def markdown_html(text: str) -> str:
    """Render a Markdown field to HTML; raw HTML in it is escaped, not executed."""
    md = _safe_markdown()
    md.reset()
    # One line keeps the fragment inside an HTML block of the page's Markdown.
    return str(md.convert(text)).replace("\n", " ")


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


def cell_html(
    aspect: Mapping[str, Any], framework: Mapping[str, Any], cell: Mapping[str, Any], root: str, mark: str = ""
) -> str:
    """One comparison cell: value, optional note, source link, and `mark` (HTML) beside them."""
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
    if mark:
        meta.append(mark)
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


def sourced_items(items: Iterable[Mapping[str, Any]], context: str) -> str:
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
