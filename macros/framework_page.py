"""One framework's generated page: its release facts, prose, code, lists and column of the table.

Pure, like macros.render: the catalog, the release facts (data/releases.yml) and the
example test runs in, Markdown out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from macros import lineage
from macros.catalog import Catalog
from macros.example_runs import ExampleRun, tested_with
from macros.render import cell_html, choose_list, esc, markdown_html, snippet_fence, source_link, sourced_items

if TYPE_CHECKING:
    # Only types here: macros.releases imports macros.benchmarks, which imports macros.render.
    from macros.releases import Release, Releases


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


def tested_versions(runs: Sequence[ExampleRun], fw: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> str:
    """`6.1.3 on Python 3.13; 5.2.19 on Python 3.11`: each version the example tests run, on which Pythons.

    For a framework built on `base`, each run instead, with the base's version in it:
    `1.7.1 with Base 6.1.3 on Python 3.13; 1.7.1 with Base 5.2.19 on Python 3.11`.
    """
    if base is None:
        return "; ".join(
            f"{esc(version)} on Python {esc(' and '.join(pythons))}" for version, pythons in tested_with(runs, fw)
        )
    parts = []
    for run in runs:
        ((version, _),) = tested_with([run], fw)
        ((base_version, _),) = tested_with([run], base)
        parts.append(f"{esc(version)} with {esc(base['name'])} {esc(base_version)} on Python {esc(run.python)}")
    return "; ".join(parts)


def _facts_table(
    fw: Mapping[str, Any], published: Release, runs: Sequence[ExampleRun], base: Mapping[str, Any] | None
) -> str:
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
        ("Examples on this site tested with", tested_versions(runs, fw, base)),
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
            f"{cell_html(aspect, fw, cell, root, lineage.inherited_mark(catalog, fw, aspect['id'], root))}</li>"
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
        lineage.built_on_line(catalog, fw, root) + lineage.foundation_line(catalog, fw, root) + "\n",
        _facts_table(fw, releases.of(framework_id), runs, lineage.base(catalog, fw)) + "\n",
        "## Core philosophy\n",
        markdown_html(fw["philosophy"]) + "\n",
        "## Overview\n",
        markdown_html(fw["overview"]) + "\n",
        f"## Code: {esc(first_task['label'].lower())}\n",
        code,
        f'<p><a href="{root}same-api/">The whole example API in {name}, side by side with the others</a>. '
        f"Run it with <code>{esc(fw['example']['run'])}</code>.</p>\n",
        "## Strengths\n",
        sourced_items(fw["strengths"], f"{fw['name']} strength") + "\n",
        "## Weaknesses\n",
        sourced_items(fw["weaknesses"], f"{fw['name']} weakness") + "\n",
        f"## Choose {name} when\n",
        choose_list(fw) + "\n",
        "## In the comparison table\n",
        framework_column(catalog, framework_id, root) + "\n",
    ]
    return "\n".join(parts)
