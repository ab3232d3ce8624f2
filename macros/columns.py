"""Choose the columns: the controls above the comparison table, and the note on the pages that follow the choice.

docs/assets/columns.js does the choosing in the browser. The reader ticks the
frameworks the comparison table shows; the choice is kept in the address
(`?frameworks=<id>,<id>`) and remembered in localStorage, and the pages that
follow it (the home page's table, the code tabs of "Same API, side by side")
leave the other frameworks out, with a note that says so and a button that
shows them all again. Without JavaScript the controls stay hidden and every
page shows every framework it lists.

The script tag sits inside the element it serves, at its end: the script runs
as soon as that element is parsed, before the table below it is, so the
controls appear and the left-out columns go before anything below has been
drawn, and nothing moves once it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from macros.catalog import Catalog
from macros.chooser import data_attribute
from macros.render import chosen_frameworks, esc

# The query parameter and the localStorage key docs/assets/columns.js reads and writes.
PARAM = "frameworks"
STORAGE_KEY = "fw-columns"


def script_tag(root: str) -> str:
    """The script that runs the controls and the note; loaded only by the pages that use them."""
    return f'<script src="{root}assets/columns.js"></script>'


def columns_data(catalog: Catalog, root: str, frameworks: Sequence[str] | None = None) -> dict[str, Any]:
    """What the script needs: the site root, the parameter, the storage key, and the id and name of each framework."""
    return {
        "root": root,
        "param": PARAM,
        "storage": STORAGE_KEY,
        "frameworks": [{"id": fw["id"], "name": fw["name"]} for fw in chosen_frameworks(catalog, frameworks)],
    }


def column_chooser(catalog: Catalog, root: str) -> str:
    """One checkbox per framework, named after it, that picks the columns of the comparison table below.

    The fieldset is `hidden` until the script shows it; the script applies the
    choice to every table with `data-columns` on the page. "Show all" ticks every
    box again, and the last ticked box cannot be unticked, so the table always
    keeps one framework column besides its labels.
    """
    data = data_attribute(columns_data(catalog, root))
    boxes = "".join(
        f'<label class="fw-columns-option"><input type="checkbox" name="fw-column" value="{esc(fw["id"])}" checked> '
        f"{esc(fw['name'])}</label>"
        for fw in catalog.frameworks
    )
    return (
        f'<fieldset class="fw-columns" id="fw-columns" hidden data-columns-chooser="{data}">'
        "<legend>Frameworks in the table</legend>"
        '<p class="fw-columns-help">Untick a framework to leave its column out; the last one ticked stays. '
        f'The address keeps your choice, so you can share it, and the <a href="{root}">home page</a> and '
        f'<a href="{root}same-api/">the same API, side by side</a> follow it.</p>'
        f'<div class="fw-columns-options">{boxes}</div>'
        '<p class="fw-columns-actions"><button type="button" class="md-button fw-columns-all">Show all</button> '
        '<span class="fw-columns-status" role="status" aria-live="polite"></span></p>'
        f"{script_tag(root)}</fieldset>"
    )


def columns_note(catalog: Catalog, root: str, frameworks: Sequence[str] | None = None, place: str = "this page") -> str:
    """Where a page that follows the column choice says which of its frameworks it leaves out.

    `frameworks`: the ids of the frameworks the page shows (all when None);
    `place`: what leaves them out, in words ("the table below"). The note is
    empty, so invisible, until the script finds a remembered choice that leaves
    out one of them; it then names them, with a button that shows every
    framework again and a link back to the choice.
    """
    data = data_attribute({**columns_data(catalog, root, frameworks), "place": place})
    return (
        f'<div class="fw-columns-follow" data-columns-follow="{data}">'
        '<div class="fw-columns-note" role="status" aria-live="polite" tabindex="-1"></div>'
        f"{script_tag(root)}</div>"
    )
