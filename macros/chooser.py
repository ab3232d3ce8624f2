"""The framework chooser: its scoring rules (mirrored in docs/assets/chooser.js) and its page fragment."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from macros.catalog import Catalog
from macros.render import choose_list, esc

# The rules, as the page states them. docs/assets/chooser.js applies the same ones;
# tests/chooser_cases.json feeds both so they cannot drift apart.
POINTS = {"yes": 2, "partly": 1, "no": 0}
WEIGHTS = {"must": 3, "nice": 1}


def chooser_data(catalog: Catalog, root: str) -> dict[str, Any]:
    """What the chooser script needs: needs, support levels, framework names and link targets."""
    return {
        "root": root,
        "needs": [
            {key: need[key] for key in ("id", "label", "aspect", "example", "support") if key in need}
            for need in catalog.needs
        ],
        "frameworks": [
            {"id": fw["id"], "name": fw["name"], "examples": sorted(fw["example"]["snippets"])}
            for fw in catalog.frameworks
        ],
    }


def score(data: Mapping[str, Any], selection: Mapping[str, str]) -> dict[str, Any]:
    """Rank frameworks for a selection {need id: "must" | "nice"}; unknown ids are ignored."""
    needs = [n for n in data["needs"] if selection.get(n["id"]) in WEIGHTS]
    results = []
    for fw in data["frameworks"]:
        total = best = 0
        misses, stretches = [], []
        for need in needs:
            weight = WEIGHTS[selection[need["id"]]]
            level = need["support"][fw["id"]]["level"]
            total += weight * POINTS[level]
            best += weight * POINTS["yes"]
            if selection[need["id"]] == "must":
                if level == "no":
                    misses.append(need["id"])
                elif level == "partly":
                    stretches.append(need["id"])
        results.append({"id": fw["id"], "score": total, "max": best, "misses": misses, "stretches": stretches})
    eligible = sorted((r for r in results if not r["misses"]), key=lambda r: -r["score"])
    ruled_out = sorted((r for r in results if r["misses"]), key=lambda r: -r["score"])
    for result in eligible:
        result["rank"] = 1 + sum(1 for other in eligible if other["score"] > result["score"])
    for result in ruled_out:
        result["rank"] = None
    has_must = any(selection.get(n["id"]) == "must" for n in needs)
    return {
        "ranking": eligible + ruled_out,
        "none_meet_musts": has_must and not eligible,
        "selected": [n["id"] for n in needs],
    }


def data_attribute(value: Any) -> str:
    """JSON for an HTML attribute: escaped so that no value can close the attribute or the element."""
    return esc(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def chooser_html(catalog: Catalog, root: str) -> str:
    """The chooser form, its live results, and the decision lists shown without JavaScript."""
    fieldsets = []
    for need in catalog.needs:
        options = "".join(
            f'<label><input type="radio" name="need-{esc(need["id"])}" value="{value}"{" checked" if value == "" else ""}> '
            f"{label}</label>"
            for value, label in (("", "Not needed"), ("nice", "Nice to have"), ("must", "Must have"))
        )
        fieldsets.append(
            f'<fieldset class="fw-need" data-need="{esc(need["id"])}"><legend>{esc(need["label"])}</legend>'
            f'<p class="fw-need-description">{esc(need["description"])}</p>'
            f'<div class="fw-need-options">{options}</div></fieldset>'
        )
    fallback = "".join(f"<h3>Choose {esc(fw['name'])} when</h3>{choose_list(fw)}" for fw in catalog.frameworks)
    return (
        # The data rides in an attribute, not a <script type="application/json">: Material's
        # instant navigation re-creates inline scripts without their type and would run it.
        f'<div class="fw-chooser" id="fw-chooser" hidden data-chooser="{data_attribute(chooser_data(catalog, root))}">'
        '<form class="fw-chooser-form" aria-label="Your project\'s needs">'
        f"{''.join(fieldsets)}"
        '<p><button type="reset" class="md-button">Clear all</button></p></form>'
        '<section class="fw-chooser-results" aria-labelledby="fw-chooser-heading" tabindex="0">'
        '<h2 id="fw-chooser-heading">Ranking</h2>'
        '<p id="fw-chooser-status" class="fw-chooser-status" role="status" aria-live="polite"></p>'
        '<ol id="fw-chooser-ranking" class="fw-chooser-ranking"></ol></section></div>'
        f'<div class="fw-chooser-fallback" id="fw-chooser-fallback">{fallback}</div>'
        f'<script src="{root}assets/chooser.js"></script>'
    )


def rules_html() -> str:
    """The scoring rules, with the numbers the code uses."""
    return (
        "<ul>"
        f"<li>Each need a framework meets <strong>fully</strong> (built in) earns {POINTS['yes']} points; "
        f"<strong>partly</strong> (with extra setup) earns {POINTS['partly']}; <strong>no</strong> earns {POINTS['no']}.</li>"
        f"<li>A <em>must have</em> counts {WEIGHTS['must']} times, a <em>nice to have</em> {WEIGHTS['nice']} time.</li>"
        "<li>A framework that does not meet a must have at all is ruled out, and the page says which need rules it out. "
        "If every framework is ruled out, the page says so instead of picking one.</li>"
        "<li>Frameworks with equal points share a rank.</li>"
        "</ul>"
    )
