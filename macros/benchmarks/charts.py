"""Inline SVG charts of a run, styled by CSS so that they follow the light and dark palettes."""

from __future__ import annotations

import math
from typing import Any

from macros.benchmarks.labels import configuration_label, framework_name, level_words, number, server_label
from macros.benchmarks.model import METRICS, Benchmarks, Spread
from macros.benchmarks.stats import spread
from macros.catalog import Catalog
from macros.render import esc


def _nice_step(maximum: float, ticks: int = 4) -> float:
    """A round gridline step (1, 2 or 5 times a power of ten) giving about `ticks` lines."""
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def bar_chart(
    bench: Benchmarks,
    catalog: Catalog,
    endpoint_id: str,
    metric: str = "requests_per_second",
    connections: int | None = None,
) -> str:
    """An inline SVG bar chart of one endpoint's medians at one level, with min-max whiskers.

    Colours come from CSS (`docs/assets/site.css`) and `currentColor`, so the chart
    follows the light and dark palettes; the title and description carry every value
    for screen readers, and the table beside it carries them for everyone.
    """
    if metric not in METRICS:
        raise KeyError(f"Unknown metric {metric!r}; known: {', '.join(METRICS)}")
    endpoint = bench.endpoint(endpoint_id)
    level = connections if connections is not None else bench.levels(endpoint_id)[0]
    suffix = f"-{level}" if len(bench.levels(endpoint_id)) > 1 else ""
    chart_id = f"bench-chart-{endpoint_id}{suffix}-{metric.replace('_', '-')}"
    configurations = bench.configurations_on(endpoint_id)
    # Wide enough for the longest server label, at about 6.5 px a character of its small type.
    longest = max((len(server_label(c, endpoint)) for c in configurations), default=0)
    label_width, bar_width, value_width, row_height, top, bottom = (
        max(190, round(6.5 * longest) + 16),
        330,
        70,
        44,
        8,
        28,
    )
    width = label_width + bar_width + value_width
    height = top + row_height * len(configurations) + bottom
    samples = [r[metric] for c in configurations if (r := bench.result(c["id"], endpoint_id, level)) is not None]
    maximum = max((max(s) for s in samples), default=1.0) or 1.0
    step = _nice_step(maximum)
    scale_max = step * math.ceil(maximum / step)

    def x(value: float) -> float:
        return label_width + bar_width * value / scale_max

    # Every gridline in one path, and each bar's whisker with its two caps in one:
    # fewer elements for the browser to style and lay out than a <line> each.
    ticks = [tick_index * step for tick_index in range(round(scale_max / step) + 1)]
    grid = "".join(f"M{x(tick):.1f} {top}V{height - bottom}" for tick in ticks)
    parts = [f'<path class="fw-grid" d="{grid}"/>']
    parts.extend(
        f'<text class="fw-axis" x="{x(tick):.1f}" y="{height - bottom + 18}" text-anchor="middle">{number(tick)}</text>'
        for tick in ticks
    )
    descriptions = []
    for index, configuration in enumerate(configurations):
        y = top + index * row_height
        mid = y + row_height / 2
        parts.append(
            f'<text class="fw-bar-label" x="{label_width - 10}" y="{mid - 3:.1f}" text-anchor="end">'
            f"{esc(framework_name(catalog, configuration))}</text>"
            f'<text class="fw-bar-server" x="{label_width - 10}" y="{mid + 13:.1f}" text-anchor="end">'
            f"{esc(server_label(configuration, endpoint))}</text>"
        )
        label = configuration_label(catalog, configuration, endpoint)
        if "not_measured" in configuration:
            parts.append(f'<text class="fw-bar-failed" x="{label_width + 6}" y="{mid + 5:.1f}">not measured</text>')
            descriptions.append(f"{label}: not measured")
            continue
        result = bench.result(configuration["id"], endpoint_id, level)
        if result is None:
            parts.append(
                f'<text class="fw-bar-failed" x="{label_width + 6}" y="{mid + 5:.1f}">failed: no number published</text>'
            )
            descriptions.append(f"{label}: failed, no number published")
            continue
        s = spread(result[metric])
        bar_h = row_height - 20
        parts.append(
            f'<rect class="fw-bar" x="{label_width}" y="{mid - bar_h / 2:.1f}" width="{x(s.median) - label_width:.1f}" '
            f'height="{bar_h}"/>'
            f'<path class="fw-whisker" d="M{x(s.low):.1f} {mid:.1f}H{x(s.high):.1f}'
            f'M{x(s.low):.1f} {mid - 6:.1f}V{mid + 6:.1f}M{x(s.high):.1f} {mid - 6:.1f}V{mid + 6:.1f}"/>'
            f'<text class="fw-bar-value" x="{x(s.high) + 6:.1f}" y="{mid + 5:.1f}">{number(s.median)}</text>'
        )
        descriptions.append(f"{label}: median {number(s.median)}, range {number(s.low)} to {number(s.high)}")
    title = (
        f"{METRICS[metric].capitalize()}, {endpoint['route']}{level_words(bench, endpoint_id, level)}: "
        f"median of {bench.rounds} rounds, whiskers from lowest to highest"
    )
    svg = (
        f'<svg class="fw-chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc("; ".join(descriptions))}.</desc>'
        f"{''.join(parts)}</svg>"
    )
    return f'<figure class="fw-chart" tabindex="0">{svg}<figcaption>{esc(title)}. The table below gives every value.</figcaption></figure>'


# Per framework (in catalog order) a stroke colour class; per configuration of one
# framework a dash pattern, its default configuration solid (docs/assets/site.css).
SERIES_COLOURS = 6
DASHES = ("", "6 3", "2 3", "9 3 2 3", "1 5")


def _log_ticks(low: float, high: float) -> list[float]:
    """1, 2 and 5 times each power of ten between low and high, for a logarithmic axis."""
    ticks = []
    for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for m in (1, 2, 5):
            value = m * 10**power
            if low <= value <= high:
                ticks.append(float(value))
    return ticks


def level_chart(bench: Benchmarks, catalog: Catalog, endpoint_id: str) -> str:
    """An inline SVG line chart of requests per second against connections, one line per configuration.

    Both axes are logarithmic: the levels grow fourfold, and the results span from
    one request per worker per delay to thousands. The physical bound (connections ÷
    the upstream's delay) is drawn as a dashed line. The legend is HTML under the chart,
    and the title, the description and the tables beside it carry every value.
    """
    endpoint = bench.endpoint(endpoint_id)
    levels = bench.levels(endpoint_id)
    configurations = bench.configurations_on(endpoint_id)
    chart_id = f"bench-levels-{endpoint_id}"
    series: list[tuple[dict[str, Any], list[tuple[int, Spread]]]] = []
    for configuration in configurations:
        points = [
            (level, spread(result["requests_per_second"]))
            for level in levels
            if (result := bench.result(configuration["id"], endpoint_id, level)) is not None
        ]
        series.append((configuration, points))
    bounds = [(level, b) for level in levels if (b := bench.bound(endpoint_id, level)) is not None]
    values = [s.median for _, points in series for _, s in points] + [b for _, b in bounds]
    low = min((v for v in values if v > 0), default=1.0)
    high = max(values, default=10.0)
    y_low, y_high = 10 ** math.floor(math.log10(low)), 10 ** math.ceil(math.log10(high))
    left, right, top, bottom, width, height = 64, 24, 12, 44, 640, 360

    def x(level: int) -> float:
        if len(levels) == 1:
            return left + (width - left - right) / 2
        span = math.log(levels[-1]) - math.log(levels[0])
        return left + (width - left - right) * (math.log(level) - math.log(levels[0])) / span

    def y(value: float) -> float:
        fraction = (math.log10(max(value, y_low)) - math.log10(y_low)) / (math.log10(y_high) - math.log10(y_low))
        return height - bottom - (height - top - bottom) * fraction

    ticks = _log_ticks(y_low, y_high)
    grid = "".join(f"M{left} {y(t):.1f}H{width - right}" for t in ticks)
    parts = [f'<path class="fw-grid" d="{grid}"/>']
    parts.extend(
        f'<text class="fw-axis" x="{left - 8}" y="{y(t) + 4:.1f}" text-anchor="end">{number(t)}</text>' for t in ticks
    )
    parts.extend(
        f'<text class="fw-axis" x="{x(level):.1f}" y="{height - bottom + 18}" text-anchor="middle">{level}</text>'
        for level in levels
    )
    parts.append(
        f'<text class="fw-axis" x="{(left + width - right) / 2:.1f}" y="{height - 6}" text-anchor="middle">'
        "connections</text>"
    )
    descriptions = []
    if bounds:
        path = "M" + "L".join(f"{x(level):.1f} {y(b):.1f}" for level, b in bounds)
        parts.append(f'<path class="fw-bound" d="{path}"/>')
        descriptions.append("bound: " + ", ".join(f"{number(b)} at {level}" for level, b in bounds))
    frameworks = [fw["id"] for fw in catalog.frameworks]
    seen: dict[str, int] = {}
    legend = []
    if bounds:
        legend.append(
            '<li><svg class="fw-legend-line" viewBox="0 0 32 8" aria-hidden="true">'
            '<path class="fw-bound" d="M0 4H32"/></svg>The bound: connections ÷ the upstream’s delay</li>'
        )
    for configuration, points in series:
        colour = frameworks.index(configuration["framework"]) % SERIES_COLOURS
        dash = DASHES[seen.get(configuration["framework"], 0) % len(DASHES)]
        seen[configuration["framework"]] = seen.get(configuration["framework"], 0) + 1
        style = f' stroke-dasharray="{dash}"' if dash else ""
        label = configuration_label(catalog, configuration, endpoint)
        if points:
            path = "M" + "L".join(f"{x(level):.1f} {y(s.median):.1f}" for level, s in points)
            marks = "".join(f'<circle cx="{x(level):.1f}" cy="{y(s.median):.1f}" r="3"/>' for level, s in points)
            parts.append(f'<g class="fw-series fw-series-{colour}"><path d="{path}"{style}/>{marks}</g>')
        missing = [level for level in levels if level not in [p[0] for p in points]]
        words = ", ".join(f"{number(s.median)} at {level}" for level, s in points)
        if missing:
            words += ("; " if words else "") + "no result at " + ", ".join(map(str, missing))
        descriptions.append(f"{label}: {words}")
        legend.append(
            f'<li class="fw-series fw-series-{colour}"><svg class="fw-legend-line" viewBox="0 0 32 8" '
            f'aria-hidden="true"><path d="M0 4H32"{style}/></svg>{esc(label)}'
            + (f' <span class="fw-note">(no result at {", ".join(map(str, missing))})</span>' if missing else "")
            + "</li>"
        )
    title = (
        f"Requests per second against connections, {endpoint['route']}: the median of {bench.rounds} rounds "
        "at each level, on logarithmic axes"
    )
    svg = (
        f'<svg class="fw-chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc("; ".join(descriptions))}.</desc>'
        f"{''.join(parts)}</svg>"
    )
    return (
        f'<figure class="fw-chart fw-level-chart" tabindex="0">{svg}'
        f'<ul class="fw-legend">{"".join(legend)}</ul>'
        f"<figcaption>{esc(title)}. The tables below give every value.</figcaption></figure>"
    )
