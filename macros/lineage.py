"""What a framework is built on, and the aspects it takes from there: lines for its page and its pair pages.

Pure, like macros.render: the catalog in, HTML out. `built_on` in data/frameworks.yml
names the base framework and the ids of the aspects whose value comes from it;
macros.catalog_checks has checked both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from macros.catalog import Catalog
from macros.render import esc, framework_url, markdown_inline, source_link

Framework = Mapping[str, Any]


def base(catalog: Catalog, fw: Framework) -> dict[str, Any] | None:
    """The framework `fw` is built on, or None."""
    return catalog.framework(fw["built_on"]["framework"]) if "built_on" in fw else None


def built_on_it(catalog: Catalog, fw: Framework) -> list[dict[str, Any]]:
    """The frameworks built on `fw`, in data order."""
    return [other for other in catalog.frameworks if other.get("built_on", {}).get("framework") == fw["id"]]


def _link(root: str, fw: Framework) -> str:
    return f'<a href="{esc(framework_url(root, fw["id"]))}">{esc(fw["name"])}</a>'


def _aspect_links(catalog: Catalog, aspect_ids: list[str], root: str) -> str:
    return ", ".join(
        f'<a href="{root}comparison/#aspect-{esc(a)}">{esc(catalog.aspect(a)["label"])}</a>' for a in aspect_ids
    )


def built_on_line(catalog: Catalog, fw: Framework, root: str) -> str:
    """`<p>Built on Base: note (source). Taken from Base…: ORM.</p>`, or "" for a framework built on none."""
    parent = base(catalog, fw)
    if parent is None:
        return ""
    built_on = fw["built_on"]
    text = f"<strong>Built on {_link(root, parent)}.</strong> {markdown_inline(built_on['note'])} " + source_link(
        built_on["source"], f"{fw['name']} built on {parent['name']}"
    )
    if built_on["inherits"]:
        text += (
            f" Taken from {esc(parent['name'])}, so the same in both: "
            f"{_aspect_links(catalog, built_on['inherits'], root)}."
        )
    return f'<p class="fw-built-on">{text}</p>'


def foundation_line(catalog: Catalog, fw: Framework, root: str) -> str:
    """`<p>Child is built on Base.</p>` on the base's page, or "" when none is."""
    children = built_on_it(catalog, fw)
    if not children:
        return ""
    names = ", ".join(_link(root, child) for child in children)
    verb = "is" if len(children) == 1 else "are"
    return f'<p class="fw-built-on">{names} {verb} built on {esc(fw["name"])}.</p>'


def inherited_mark(catalog: Catalog, fw: Framework, aspect_id: str, root: str) -> str:
    """A note for a cell whose value `fw` takes from the framework it is built on, or ""."""
    parent = base(catalog, fw)
    if parent is None or aspect_id not in fw["built_on"]["inherits"]:
        return ""
    return f'<span class="fw-inherited">from {_link(root, parent)}</span>'


def pair_line(catalog: Catalog, first: Framework, second: Framework, root: str) -> str:
    """What either framework of a pair is built on, in one or two paragraphs, or ""."""
    return "".join(built_on_line(catalog, fw, root) for fw in (first, second))
