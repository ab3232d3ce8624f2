"""Quoted throughput claims beside the measured ratios."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

from macros.benchmarks.labels import level_words, number, ratio_text, server_label
from macros.benchmarks.model import Benchmarks
from macros.benchmarks.stats import ratios
from macros.catalog import Catalog
from macros.render import esc, scroll_region


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

    # Each endpoint at its highest level: where the configurations differ most.
    top = {e["id"]: max(bench.levels(e["id"])) for e in bench.endpoints}

    def reference_configuration(endpoint_id: str) -> str | None:
        """The reference framework's slowest successful configuration on an endpoint."""
        own = [
            (statistics.median(r["requests_per_second"]), c["id"])
            for c in bench.configurations
            if c["framework"] == reference and (r := bench.result(c["id"], endpoint_id, top[endpoint_id])) is not None
        ]
        return min(own)[1] if own else None

    endpoint_refs = {e["id"]: reference_configuration(e["id"]) for e in bench.endpoints}
    endpoint_ratios = {
        eid: ratios(bench, eid, reference=ref, connections=top[eid]) if ref else {}
        for eid, ref in endpoint_refs.items()
    }
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
                if not bench.runs(configuration, endpoint["id"]):
                    continue
                ratio = endpoint_ratios[endpoint["id"]].get(configuration["id"])
                result = bench.result(configuration["id"], endpoint["id"], top[endpoint["id"]])
                server = esc(server_label(configuration, endpoint))
                if "not_measured" in configuration:
                    lines.append(f'<span class="fw-value">not measured</span><span class="fw-note">{server}</span>')
                elif result is None or ratio is None:
                    lines.append(f'<span class="fw-value">failed</span><span class="fw-note">{server}</span>')
                else:
                    rps = statistics.median(result["requests_per_second"])
                    lines.append(
                        f'<span class="fw-value">{ratio_text(ratio)}</span>'
                        f'<span class="fw-note">{server}, {number(rps)} requests/s</span>'
                    )
            cells.append(f"<td>{''.join(lines)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    endpoint_heads = "".join(
        f'<th scope="col">Measured here, {esc(e["route"])}{esc(level_words(bench, e["id"], top[e["id"]]))}</th>'
        for e in bench.endpoints
    )
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
